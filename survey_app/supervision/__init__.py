"""Supervision: reports across operators: the Calls section and the Surveys list."""
from flask import Blueprint

bp = Blueprint("supervision", __name__)

from survey_app.supervision import calls, surveys  # noqa: E402,F401

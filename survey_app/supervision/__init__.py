"""Supervision: reports across operators (the Calls section today)."""
from flask import Blueprint

bp = Blueprint("supervision", __name__)

from survey_app.supervision import calls  # noqa: E402,F401

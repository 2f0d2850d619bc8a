"""Supervision: reports across operators: the Calls section, the Surveys list and its
exports, a survey's review."""
from flask import Blueprint

bp = Blueprint("supervision", __name__)

from survey_app.supervision import (  # noqa: E402,F401
    call_export,
    calls,
    exports,
    results,
    review,
    surveys,
)

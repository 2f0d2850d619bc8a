"""A user's own settings (the telephony's "Call Centre parameters")."""
from flask import Blueprint

bp = Blueprint("accounts", __name__)

from survey_app.accounts import settings  # noqa: E402,F401

"""Users managed by admins (create, edit, reset a password, disable), `flask users`, and
the audit log."""
from flask import Blueprint

bp = Blueprint("users", __name__)

from survey_app.users import audit_log, routes  # noqa: E402,F401

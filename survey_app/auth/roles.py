"""Role checks on the server: a decorator for routes."""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from survey_app.models import Role


def roles_required(*roles: Role, message: str | None = None):
    """Let only logged-in users with one of these roles through; others get 403."""
    def decorate(view):
        @wraps(view)
        @login_required
        def guarded(*args, **kwargs):
            if current_user.role not in roles:
                names = " or ".join(str(r) for r in roles)
                abort(403, message or f"This page is for the {names} role only.")
            return view(*args, **kwargs)
        return guarded
    return decorate

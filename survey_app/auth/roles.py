"""Role checks on the server: a decorator for routes."""
from functools import wraps

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user, login_required

from survey_app.language.words import ROLES, label
from survey_app.models import Role


def roles_required(*roles: Role, message=None):
    """Let only logged-in users with one of these roles through; others get 403 (with
    `message`, a lazy string, worded at the request's language)."""
    def decorate(view):
        @wraps(view)
        @login_required
        def guarded(*args, **kwargs):
            if not current_user.has(*roles):
                names = ", ".join(label(ROLES, r) for r in roles)
                abort(403, str(message) if message else _("This page is only for the role: "
                                                          "%(roles)s.", roles=names))
            return view(*args, **kwargs)
        return guarded
    return decorate

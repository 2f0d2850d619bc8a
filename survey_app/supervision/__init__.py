"""Supervision: reports across operators: the Calls section, the Surveys list and its
exports, a survey's review."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Role, User

bp = Blueprint("supervision", __name__)
BAD_FILTER = _l("A filter is not valid (the list says which): correct it, then export.")


def sees_all() -> bool:
    """Supervisors and admins see every operator's calls and surveys; others their own."""
    return current_user.has(Role.SUPERVISOR, Role.ADMIN)


def export_refused(form) -> str | None:
    """Why an export of this list is refused for its filters: an export takes what the list
    shows, and a list leaves a bad filter out (an operator's operator filter is never used)."""
    if form.bad_filter(*(() if sees_all() else ("operator",))):
        return str(BAD_FILTER)
    return None


def operators_for(*seeing_all: Role) -> list[User]:
    """The operators a filter offers to a user holding one of `seeing_all`; none to anyone
    else, who sees only their own."""
    if not current_user.has(*seeing_all):
        return []
    return db.session.scalars(select(User).where(User.holding(Role.OPERATOR))
                              .order_by(User.sort_name)).all()


from survey_app.supervision import (  # noqa: E402,F401
    call_export,
    calls,
    exports,
    floor,
    floor_push,
    results,
    review,
    surveys,
)


@bp.record_once
def _floor(state) -> None:
    floor_push.init_app(state.app)
    state.app.jinja_env.globals["FloorState"] = floor.FloorState

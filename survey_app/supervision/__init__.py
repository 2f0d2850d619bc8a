"""Supervision: reports across operators: the Calls section, the Surveys list and its
exports, a survey's review."""
from flask import Blueprint
from flask_login import current_user
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Role, User

bp = Blueprint("supervision", __name__)


def sees_all() -> bool:
    """Supervisors and admins see every operator's calls and surveys; others their own."""
    return current_user.has(Role.SUPERVISOR, Role.ADMIN)


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

"""The operator's agent state in the header: Ready or Do not disturb."""
from flask import current_app, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from survey_app import floor_changes
from survey_app.extensions import db
from survey_app.models.surveys import utcnow
from survey_app.telephony.ami.wire import AmiError
from survey_app.telephony.control import LinkDown, NotSetUp
from survey_app.telephony.web import bp
from survey_app.telephony.web.forms import AgentStateForm


@bp.post("/agent-state")
@login_required
def agent_state():
    """Ready or Do not disturb; with a PBX link the operator is paused in the queues too."""
    form = AgentStateForm()
    if not form.validate_on_submit():
        return _answer(form.first_error(), 422)
    if not current_user.extension:
        return _answer(_("Set your extension in the telephony settings first."), 409)
    state = form.state.data
    try:
        current_app.extensions["call_control"].pause(current_user.extension, state == "dnd")
    except (NotSetUp, LinkDown):
        pass  # the app's own state still changes; the queues are not told while unreachable
    except AmiError as error:  # the PBX said no: keep the old state and say why
        return _answer(_("The PBX refused: %(error)s", error=error), 502)
    current_user.agent_state, current_user.agent_state_at = state, utcnow()
    user_id = current_user.id
    db.session.commit()
    floor_changes.tell_here(user_ids=[user_id])
    return _answer(None, 200)


def _answer(error: str | None, status: int):
    return render_template("telephony/_agent_state.html", error=error), status

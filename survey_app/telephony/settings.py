"""The operator's "Call Centre parameters" and agent state (Ready / Do not disturb)."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, StringField
from wtforms.validators import Length, Optional, Regexp, ValidationError

from survey_app.extensions import db
from survey_app.language.words import AGENT_STATES
from survey_app.models import User
from survey_app.telephony import bp
from survey_app.telephony.actions import _bridge


class TelephonySettingsForm(FlaskForm):
    """For line PJSIP/305 the extension is "305"."""

    extension = StringField(_l("Extension"), validators=[Optional(), Length(max=40), Regexp(
        r"^[0-9A-Za-z_.-]+$", message=_l("Letters, digits, dot, dash or underscore only."))])
    outgoing_context = StringField(_l("Outgoing context"), validators=[
        Optional(), Length(max=80),
        Regexp(r"^[0-9A-Za-z_-]+$", message=_l("A dialplan context name, e.g. from-crm."))])
    telephony_enabled = BooleanField(_l("Telephony on"))
    telephony_debug = BooleanField(_l("Debug (raw events in the browser console)"))

    def validate_extension(self, field) -> None:
        taken = db.session.scalar(select(User.full_name).where(
            User.extension == field.data, User.id != current_user.id))
        if field.data and taken:
            raise ValidationError(_("Extension %(extension)s is already taken by %(user)s.",
                                    extension=field.data, user=taken))


@bp.route("/settings/telephony", methods=["GET", "POST"])
@login_required
def telephony_settings():
    form = TelephonySettingsForm(obj=current_user)
    if form.validate_on_submit():
        current_user.extension = form.extension.data or None
        current_user.outgoing_context = form.outgoing_context.data or None
        current_user.telephony_enabled = form.telephony_enabled.data
        current_user.telephony_debug = form.telephony_debug.data
        db.session.commit()
        flash(_("Telephony settings saved."), "success")
        return redirect(url_for("telephony.telephony_settings"), code=303)
    return render_template("telephony/settings.html", form=form,
                           default_context=current_app.config["AMI_CONTEXT"]), \
        422 if form.errors else 200


@bp.post("/agent-state")
@login_required
def agent_state():
    """Ready or Do not disturb; with a PBX link the operator is paused in the queues too."""
    state = request.form.get("state")
    if state not in AGENT_STATES:
        return _answer(_("This state is not one of Ready or Do not disturb; nothing was "
                         "changed."), 422)
    if not current_user.extension:
        return _answer(_("Set your extension in the telephony settings first."), 409)
    bridge = _bridge()
    if bridge is not None:
        try:
            bridge.queue_pause(f"PJSIP/{current_user.extension}", paused=state == "dnd",
                               reason="Do not disturb" if state == "dnd" else "")
        except Exception as error:  # the PBX said no: keep the old state and say why
            return _answer(_("The PBX refused: %(error)s", error=error), 502)
    current_user.agent_state = state
    db.session.commit()
    return _answer(None, 200)


def _answer(error: str | None, status: int):
    return render_template("telephony/_agent_state.html", error=error), status

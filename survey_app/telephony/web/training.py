"""Training / demo mode for admins: simulate a call that goes through the real pipeline."""
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from survey_app.auth.roles import roles_required
from survey_app.extensions import db
from survey_app.models import Role, User
from survey_app.telephony.simulator import WITHHELD, SimulatedCall
from survey_app.telephony.web import bp
from survey_app.telephony.web.forms import SimulatedCallForm
from survey_app.telephony.web.socket import telephony


def _training():
    if not current_app.config.get("TRAINING_MODE"):
        abort(404, _("Training mode is off (set TRAINING_MODE=1 to use it)."))
    return telephony()


@bp.get("/training")
@roles_required(Role.ADMIN)
def training():
    pipeline = _training()
    operators = db.session.scalars(select(User).where(User.extension.is_not(None))
                                   .order_by(User.extension)).all()
    return render_template("telephony/training.html", operators=operators,
                           calls=pipeline.simulations)


@bp.post("/training/calls")
@roles_required(Role.ADMIN)
def simulate_call():
    """Ring an operator's phone from a number (empty: a withheld number)."""
    pipeline, form = _training(), SimulatedCallForm()
    if not form.validate_on_submit():
        flash(form.first_error(), "warning")
        return redirect(url_for("telephony.training"), code=303)
    extension = form.extension.data
    if not db.session.scalar(select(User.id).where(User.extension == extension)):
        flash(_("No operator has the extension “%(extension)s”.", extension=extension), "warning")
        return redirect(url_for("telephony.training"), code=303)
    call = SimulatedCall(form.e164, extension)
    pipeline.simulations[call.linkedid] = call
    _feed(pipeline, call.ring())
    flash(_("Ringing %(extension)s from %(number)s.", extension=extension,
            number=call.number if call.number != WITHHELD else _("a withheld number")), "info")
    return redirect(url_for("telephony.training"), code=303)


@bp.post("/training/calls/<linkedid>/<step>")
@roles_required(Role.ADMIN)
def simulated_step(linkedid: str, step: str):
    pipeline = _training()
    call = pipeline.simulations.get(linkedid) or abort(404, _("There is no such simulated call."))
    if step == "answer":
        _feed(pipeline, call.answer())
    elif step == "hangup":
        _feed(pipeline, call.hang_up())
        del pipeline.simulations[linkedid]
    else:
        abort(404, _("A simulated call can only be answered or hung up."))
    return redirect(url_for("telephony.training"), code=303)


def _feed(pipeline, events: list[dict]) -> None:
    for event in events:
        pipeline.on_ami_event(event)

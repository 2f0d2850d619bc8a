"""The user's "Call Centre parameters": extension, outgoing context, telephony on, debug."""
from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from survey_app.accounts import bp
from survey_app.accounts.forms import TelephonySettingsForm
from survey_app.auth.roles import roles_required
from survey_app.extensions import db
from survey_app.models import Role


@bp.route("/settings/telephony", methods=["GET", "POST"])
@roles_required(Role.OPERATOR, message=_l("Telephony settings are for the users who take "
                                          "calls."))
def telephony_settings():
    form = TelephonySettingsForm(obj=current_user)
    if form.validate_on_submit():
        current_user.extension = form.extension.data or None
        current_user.outgoing_context = form.outgoing_context.data or None
        current_user.telephony_enabled = form.telephony_enabled.data
        current_user.telephony_debug = form.telephony_debug.data
        db.session.commit()
        current_app.extensions["telephony"].operators.changed()  # pops follow the new name
        flash(_("Telephony settings saved."), "success")
        return redirect(url_for("accounts.telephony_settings"), code=303)
    return render_template("accounts/settings.html", form=form,
                           default_context=current_app.config["AMI_CONTEXT"]), \
        422 if form.errors else 200

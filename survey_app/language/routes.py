"""Switching the language: kept in a cookie, and saved for a logged-in user."""
from flask import Blueprint, abort, make_response, redirect
from flask_babel import gettext as _
from flask_login import current_user

from survey_app.auth.routes import safe_next
from survey_app.extensions import db
from survey_app.language.forms import LanguageForm
from survey_app.language.selection import remembered

bp = Blueprint("language", __name__)


@bp.post("/language")
def switch():
    """Use the chosen language from now on and go back to the page the switch was on."""
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400, _("This language is not offered; nothing was changed."))
    choice = form.language.data
    if current_user.is_authenticated:
        current_user.language = choice
        db.session.commit()
    return remembered(make_response(redirect(safe_next(form.next.data), code=303)), choice)

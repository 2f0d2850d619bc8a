"""Switching the language: kept in a cookie, and saved for a logged-in user."""
from flask import Blueprint, abort, current_app, make_response, redirect
from flask_babel import gettext as _
from flask_login import current_user

from survey_app.auth.routes import safe_next
from survey_app.extensions import db
from survey_app.language import COOKIE
from survey_app.language.forms import LanguageForm

ONE_YEAR = 365 * 24 * 3600

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
    response = make_response(redirect(safe_next(form.next.data), code=303))
    response.set_cookie(COOKIE, choice, max_age=ONE_YEAR, httponly=True, samesite="Lax",
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response

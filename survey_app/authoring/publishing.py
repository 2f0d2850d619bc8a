"""The buttons on a questionnaire's page that change its versions: "Publish", "Edit" (the
draft of the next version), "Duplicate", "Archive" and "Discard draft". Each is a POST with
its CSRF token; a refusal says why and changes nothing."""
from flask import abort, flash, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from survey_app.authoring import bp, service, versioning
from survey_app.authoring.access import authors_only
from survey_app.authoring.questionnaires import page
from survey_app.extensions import db
from survey_app.htmx import go
from survey_app.models import Questionnaire

REASONS = {
    "changed": lambda: _("Another marketer changed this version a moment ago: here it is now."),
    "archived": lambda: _("This questionnaire is archived: it is kept for its history only."),
}


@bp.post("/questionnaires/<int:questionnaire_id>/publish")
@authors_only
def publish(questionnaire_id: int):
    draft = _posted(questionnaire_id)
    try:
        versioning.publish(draft, current_user)
    except versioning.Refused as refused:
        return _refused(draft, refused)
    db.session.commit()
    flash(_("Version %(number)s is published: new surveys start on it.",
            number=draft.version), "success")
    return _to(draft)


@bp.post("/questionnaires/<int:questionnaire_id>/edit")
@authors_only
def edit(questionnaire_id: int):
    published = _posted(questionnaire_id)
    try:
        draft = versioning.next_draft(published)
        db.session.commit()
    except versioning.Refused as refused:
        return _refused(published, refused)
    except IntegrityError:  # another marketer made the draft at the same moment
        db.session.rollback()
        draft = versioning.draft_of(published.key) or abort(409)
    flash(_("This is the draft of version %(number)s: the published version stays as it is "
            "until you publish this one.", number=draft.version), "info")
    return _to(draft)


@bp.post("/questionnaires/<int:questionnaire_id>/duplicate")
@authors_only
def duplicate(questionnaire_id: int):
    source = _posted(questionnaire_id)
    copy = versioning.duplicate(source, _copy_name(source))
    db.session.commit()
    flash(_("“%(name)s” is a copy, a new questionnaire of its own.", name=copy.name), "success")
    return _to(copy)


@bp.post("/questionnaires/<int:questionnaire_id>/archive")
@authors_only
def archive(questionnaire_id: int):
    questionnaire = _posted(questionnaire_id)
    try:
        versioning.archive(questionnaire, current_user)
    except versioning.Refused as refused:
        return _refused(questionnaire, refused)
    db.session.commit()
    flash(_("“%(name)s” is archived: operators are not offered it any more; its surveys "
            "stay in the history.", name=questionnaire.name), "success")
    return _to(questionnaire)


@bp.post("/questionnaires/<int:questionnaire_id>/discard")
@authors_only
def discard(questionnaire_id: int):
    draft = _posted(questionnaire_id)
    try:
        before = versioning.discard(draft)
    except versioning.Refused as refused:
        return _refused(draft, refused)
    db.session.commit()
    flash(_("The draft is discarded."), "success")
    if before is None:
        return go(url_for("authoring.questionnaires"))
    return _to(before)


def _posted(questionnaire_id: int) -> Questionnaire:
    """The questionnaire a button was pressed on (CSRFProtect has checked the token)."""
    return db.session.get(Questionnaire, questionnaire_id) or abort(404)


def _refused(questionnaire: Questionnaire, refused: versioning.Refused):
    """The page as it is now, with why nothing changed: 422 for errors in the graph, 409
    when the version's state does not allow it."""
    db.session.rollback()
    if refused.problems:
        flash(ngettext("Not published: the checks found %(num)d error; fix it first.",
                       "Not published: the checks found %(num)d errors; fix them first.",
                       len(refused.problems)), "warning")
        return page(questionnaire, 422)
    flash(REASONS[refused.reason](), "warning")
    return page(questionnaire, 409)


def _to(questionnaire: Questionnaire):
    return go(url_for("authoring.questionnaire", questionnaire_id=questionnaire.id))


def _copy_name(source: Questionnaire) -> str:
    """“Name (copy)”, “Name (copy 2)”...: a free name in the campaign."""
    for n in range(1, 1000):
        name = _("%(name)s (copy)", name=source.name) if n == 1 else _(
            "%(name)s (copy %(number)s)", name=source.name, number=n)
        if not service.name_taken(source.campaign_id, name[:200]):
            return name[:200]
    abort(409)

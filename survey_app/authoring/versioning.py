"""A questionnaire's versions: publishing a draft (it supersedes the version published
before), the draft of the next version, a duplicate, archiving and discarding a draft.

Each change of status is one conditional UPDATE, so that of two marketers publishing (or
making a next draft) at once, the second finds the state changed and is told so."""
from sqlalchemy import func, select, update

from survey_app import audit
from survey_app.authoring.copying import copy_graph
from survey_app.extensions import db
from survey_app.models import (
    AuditAction,
    Questionnaire,
    QuestionnaireStatus,
    User,
)
from survey_app.models.surveys import utcnow
from survey_app.scripts import checks
from survey_app.scripts.loading import load_graph

DRAFT, PUBLISHED, SUPERSEDED, ARCHIVED = (
    QuestionnaireStatus.DRAFT, QuestionnaireStatus.PUBLISHED, QuestionnaireStatus.SUPERSEDED,
    QuestionnaireStatus.ARCHIVED)


class Refused(Exception):
    """The change cannot be made; `problems` are the blocking findings, if that is why."""

    def __init__(self, reason: str, problems: list | None = None):
        super().__init__(reason)
        self.reason, self.problems = reason, problems or []


def versions(key: str) -> list[Questionnaire]:
    """Every version of a questionnaire, the newest first."""
    return list(db.session.scalars(select(Questionnaire).where(Questionnaire.key == key)
                                   .order_by(Questionnaire.version.desc())))


def draft_of(key: str) -> Questionnaire | None:
    return db.session.scalar(select(Questionnaire).where(
        Questionnaire.key == key, Questionnaire.status == DRAFT))


def publish(draft: Questionnaire, by: User) -> None:
    """The draft becomes the version operators start; the one published before is kept, as
    superseded, for the surveys taken on it (and those still in progress finish on it)."""
    problems = checks.blocking(checks.check(load_graph(draft.id)))  # never a cached graph
    if problems:
        raise Refused("blocking", problems)
    _change(draft, DRAFT, status=PUBLISHED, published_at=utcnow(), published_by_id=by.id)
    db.session.execute(update(Questionnaire).where(
        Questionnaire.key == draft.key, Questionnaire.id != draft.id,
        Questionnaire.status == PUBLISHED).values(status=SUPERSEDED))
    audit.record(by, AuditAction.QUESTIONNAIRE_PUBLISHED, draft.name, version=draft.version)


def next_draft(published: Questionnaire) -> Questionnaire:
    """The draft of the next version, a copy of this one with the same keys; the draft there
    is, if there is one already (a questionnaire has at most one)."""
    existing = draft_of(published.key)
    if existing is not None:
        return existing
    if published.status == ARCHIVED:
        raise Refused("archived")
    draft = Questionnaire(key=published.key, version=newest(published.key) + 1,
                          campaign_id=published.campaign_id, name=published.name,
                          description=published.description, status=DRAFT)
    db.session.add(draft)
    db.session.flush()  # a second one at once breaks the unique (key, version): refused
    copy_graph(published, draft, keep_keys=True)
    return draft


def duplicate(source: Questionnaire, name: str) -> Questionnaire:
    """Another questionnaire (new keys, version 1, a draft) with the same questions."""
    copy = Questionnaire(campaign_id=source.campaign_id, name=name,
                         description=source.description, status=DRAFT)
    db.session.add(copy)
    db.session.flush()
    copy_graph(source, copy, keep_keys=False)
    return copy


def archive(questionnaire: Questionnaire, by: User) -> None:
    """No version of it is offered any more; its surveys and their history stay."""
    changed = db.session.execute(update(Questionnaire).where(
        Questionnaire.key == questionnaire.key, Questionnaire.status != ARCHIVED)
        .values(status=ARCHIVED)).rowcount
    if not changed:
        raise Refused("archived")
    audit.record(by, AuditAction.QUESTIONNAIRE_ARCHIVED, questionnaire.name,
                 version=questionnaire.version)


def discard(draft: Questionnaire) -> Questionnaire | None:
    """Delete a draft (no survey is ever taken on one); the version before it, if any."""
    _change(draft, DRAFT, status=ARCHIVED)  # claims it: a second discard at once is refused
    db.session.delete(draft)
    db.session.flush()
    return db.session.scalar(select(Questionnaire).where(Questionnaire.key == draft.key)
                             .order_by(Questionnaire.version.desc()).limit(1))


def _change(questionnaire: Questionnaire, was: QuestionnaireStatus, **values) -> None:
    changed = db.session.execute(update(Questionnaire).where(
        Questionnaire.id == questionnaire.id, Questionnaire.status == was)
        .values(**values)).rowcount
    if not changed:
        raise Refused("changed")
    db.session.refresh(questionnaire)


def newest(key: str) -> int:
    return db.session.scalar(select(func.max(Questionnaire.version)).where(
        Questionnaire.key == key)) or 0

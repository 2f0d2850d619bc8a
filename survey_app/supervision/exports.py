"""The Surveys list exported as the filters show it: wide (a row per survey, a column per
question) or long (a row per answer, with its times), as CSV or XLSX, streamed.

Surveys are read a thousand at a time by id (keyset, not OFFSET), with the confirmed answers
of just those surveys, so a 100,000-survey export holds one batch in memory at a time. Times
are the centre's (TIMEZONE), as the pages show them.
"""
import datetime as dt
from collections.abc import Iterator

from flask import Response, flash, redirect, request, stream_with_context, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from survey_app.auth.roles import roles_required
from survey_app.extensions import db
from survey_app.formatting import local_moment
from survey_app.language.words import SURVEY_STATUSES, label
from survey_app.models import (
    Campaign,
    Contact,
    CustomerAnswer,
    CustomerSurvey,
    Question,
    Questionnaire,
    User,
)
from survey_app.models.surveys import HANDLE_SECONDS
from survey_app.portable_sql import seconds_between
from survey_app.spreadsheets import csv_chunks, xlsx_chunks
from survey_app.supervision import bp, export_refused
from survey_app.supervision.survey_filters import SurveyFilterForm
from survey_app.supervision.surveys import (
    NOT_FOR_YOU,
    SURVEYS_READERS,
    conditions_of,
    operators_to_filter,
)

BATCH = 1000
SHAPES = ("wide", "long")
_surveys = CustomerSurvey.__table__
_SURVEY_COLUMNS = (CustomerSurvey.id, CustomerSurvey.started_at, CustomerSurvey.finished_at,
                   HANDLE_SECONDS, CustomerSurvey.status, Contact.full_name, Questionnaire.name,
                   Questionnaire.version, Campaign.name, User.full_name,
                   CustomerSurvey.review_score, CustomerSurvey.review_comment,
                   Questionnaire.key)


@bp.get("/surveys/export.<any(csv, xlsx):kind>")
@roles_required(*SURVEYS_READERS, message=NOT_FOR_YOU)
def export_surveys(kind: str):
    form = SurveyFilterForm(request.args, operators_to_filter())
    form.validate()
    conditions = conditions_of(form)[0]
    shape = request.args.get("shape", "wide")
    refusal = _refusal(form, shape, conditions)
    if refusal:
        flash(refusal, "warning")
        return redirect(url_for("supervision.surveys", **_filters()), code=303)
    header, rows = (_wide if shape == "wide" else _long)(conditions)
    chunks = (csv_chunks(header, rows) if kind == "csv"
              else xlsx_chunks(_("Surveys"), header, rows))
    return download(chunks, f"surveys-{shape}-{dt.date.today().isoformat()}.{kind}")


MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def download(chunks: Iterator[bytes], name: str) -> Response:
    """A file streamed as it is written, in the request's context (its queries need it)."""
    return Response(stream_with_context(chunks), mimetype=MIMETYPES[name.rsplit(".", 1)[1]],
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})


def in_batches(statement, id_column) -> Iterator[list]:
    """The statement's rows a thousand at a time in id order (by the last id, not OFFSET,
    so the thousandth batch costs what the first does); a row's first column is its id."""
    last = 0
    while batch := db.session.execute(statement.where(id_column > last).order_by(id_column)
                                      .limit(BATCH)).all():
        yield batch
        last = batch[-1][0]


def _refusal(form: SurveyFilterForm, shape: str, conditions: list) -> str | None:
    """Why there is no file to send, if there is none (the list then says it)."""
    if refusal := export_refused(form):
        return refusal
    if shape not in SHAPES:
        return _("Choose a row per survey or a row per answer to export.")
    if db.session.scalar(select(CustomerSurvey.id).where(*conditions).limit(1)) is None:
        return _("No surveys match these filters: there is nothing to export.")
    return None


def _filters() -> dict:
    return {k: v for k, v in request.args.items() if k != "shape"}


def _survey_header() -> list[str]:
    return [_("Survey"), _("Started"), _("Finished"), _("Duration, s"), _("Status"),
            _("Contact"), _("Questionnaire"), _("Version"), _("Campaign"), _("Operator"),
            _("Score"), _("Review comment")]


def _survey_cells(row) -> list:
    return [row[0], local_moment(row[1]), local_moment(row[2]),
            round(row[3]) if row[3] is not None else None, label(SURVEY_STATUSES, row[4]),
            *row[5:12]]


def _batches(conditions: list) -> Iterator[list]:
    """The filtered surveys with their names, a batch at a time, by id."""
    return in_batches(select(*_SURVEY_COLUMNS).select_from(CustomerSurvey)
                      .join(Contact, Contact.id == CustomerSurvey.contact_id)
                      .join(Questionnaire, Questionnaire.id == CustomerSurvey.questionnaire_id)
                      .join(Campaign, Campaign.id == CustomerSurvey.campaign_id)
                      .join(User, User.id == CustomerSurvey.operator_id)
                      .where(*conditions), CustomerSurvey.id)


def _answers_of(survey_ids: list[int]):
    """The confirmed answers of these surveys, in order, with their question's key."""
    return db.session.execute(
        select(CustomerAnswer.survey_id, CustomerAnswer.position, CustomerAnswer.question_number,
               CustomerAnswer.question_text, CustomerAnswer.answer_text, CustomerAnswer.refused,
               CustomerAnswer.shown_at, CustomerAnswer.answered_at,
               seconds_between(CustomerAnswer.shown_at, CustomerAnswer.answered_at),
               Question.key)
        .join(_surveys, _surveys.c.id == CustomerAnswer.survey_id)
        .outerjoin(Question, Question.id == CustomerAnswer.question_id)
        .where(CustomerAnswer.survey_id.in_(survey_ids),
               CustomerAnswer.position <= _surveys.c.step)
        .order_by(CustomerAnswer.survey_id, CustomerAnswer.position)).all()


def _wide(conditions: list) -> tuple[list[str], Iterator[list]]:
    """A row per survey; a column per question of the versions the surveys ran, in the
    newest version's order (questions keep their key across versions)."""
    columns = _question_columns(conditions)
    where = {key: n for n, key in enumerate(columns)}

    def rows():
        for batch in _batches(conditions):
            answers: dict[int, list] = {}
            for answer in _answers_of([row[0] for row in batch]):
                answers.setdefault(answer.survey_id, []).append(answer)
            for row in batch:
                cells = [None] * len(columns)
                for answer in answers.get(row[0], ()):
                    column = where.get((row[12], answer.key))
                    if column is not None:
                        cells[column] = answer.answer_text
                yield _survey_cells(row) + cells
    return _survey_header() + list(columns.values()), rows()


def _question_columns(conditions: list) -> dict[tuple[str, str], str]:
    """(questionnaire key, question key) -> the column's title, newest version first."""
    versions = select(CustomerSurvey.questionnaire_id).where(*conditions).distinct()
    found = db.session.execute(
        select(Questionnaire.key, Questionnaire.name, Question.key, Question.number,
               Question.text)
        .join(Question, Question.questionnaire_id == Questionnaire.id)
        .where(Questionnaire.id.in_(versions))
        .order_by(Questionnaire.sort_name, Questionnaire.key, Questionnaire.version.desc(),
                  Question.number)).all()
    several = len({row[0] for row in found}) > 1
    columns = {}
    for questionnaire_key, name, key, number, text in found:
        title = f"{number}. {text}"
        columns.setdefault((questionnaire_key, key), f"{name} · {title}" if several else title)
    return columns


def _long(conditions: list) -> tuple[list[str], Iterator[list]]:
    """A row per confirmed answer, with the survey's facts and the answer's times."""
    header = _survey_header() + [_("Step"), _("Question no."), _("Question"), _("Answer"),
                                 _("Refused / don’t know"), _("Shown"), _("Answered at"),
                                 _("Seconds")]

    def rows():
        for batch in _batches(conditions):
            surveys = {row[0]: _survey_cells(row) for row in batch}
            for answer in _answers_of(list(surveys)):
                yield surveys[answer.survey_id] + [
                    answer.position, answer.question_number, answer.question_text,
                    answer.answer_text, _("yes") if answer.refused else "",
                    local_moment(answer.shown_at), local_moment(answer.answered_at),
                    round(answer[8], 1) if answer[8] is not None else None]
    return header, rows()

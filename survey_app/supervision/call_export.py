"""The Calls list as CSV, as its filters show it, streamed a thousand calls at a time."""
import datetime as dt
from collections.abc import Iterator

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.formatting import local_moment
from survey_app.language.words import DIRECTIONS, OUTCOMES, label
from survey_app.models import Call, Contact, User
from survey_app.portable_sql import seconds_between
from survey_app.spreadsheets import csv_chunks
from survey_app.supervision import bp, export_refused
from survey_app.supervision.calls import conditions_of, filter_form
from survey_app.supervision.exports import download, in_batches

_COLUMNS = (Call.id, Call.started_at, Call.direction, User.full_name, Call.extension,
            Call.external_number, Call.caller_name, Contact.full_name, Call.queue,
            Call.answered_at, Call.ended_at,
            seconds_between(Call.started_at, Call.answered_at), Call.talk_seconds, Call.outcome)


@bp.get("/calls/export.csv")
@login_required
def export_calls():
    form = filter_form()
    conditions = conditions_of(form)
    if refusal := export_refused(form):
        flash(refusal, "warning")
        return redirect(url_for("supervision.calls", **request.args.to_dict()), code=303)
    if db.session.scalar(select(Call.id).where(*conditions).limit(1)) is None:
        flash(_("No calls match these filters: there is nothing to export."), "warning")
        return redirect(url_for("supervision.calls", **request.args.to_dict()), code=303)
    header = [_("Call"), _("Started"), _("Direction"), _("Operator"), _("Ext"), _("Number"),
              _("Caller’s name"), _("Contact"), _("Queue"), _("Answered at"), _("Ended"),
              _("Ring time, s"), _("Talk time, s"), _("Outcome")]
    return download(csv_chunks(header, _rows(conditions)),
                    f"calls-{dt.date.today().isoformat()}.csv")


def _rows(conditions: list) -> Iterator[list]:
    for batch in in_batches(select(*_COLUMNS).select_from(Call)
                            .outerjoin(User, User.id == Call.operator_id)
                            .outerjoin(Contact, Contact.id == Call.contact_id)
                            .where(*conditions), Call.id):
        for row in batch:
            ring = row[11]
            yield [row[0], local_moment(row[1]), label(DIRECTIONS, row[2]), *row[3:9],
                   local_moment(row[9]), local_moment(row[10]),
                   round(ring) if ring is not None else None, row[12],
                   label(OUTCOMES, row[13])]

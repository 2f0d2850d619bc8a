"""`flask surveys close-stale`: close every survey left in progress longer than
SURVEY_STALE_HOURS as abandoned, then bring the results' tallies up to date (so the first
look at a questionnaire's results in the morning counts only the night's surveys); meant for
a nightly timer (deploy/)."""
import click
from flask import current_app
from flask_babel import ngettext
from sqlalchemy import select

from survey_app.cli import speaking
from survey_app.extensions import db
from survey_app.models import Questionnaire
from survey_app.supervision import tallies
from survey_app.survey import stale


@click.group("surveys")
def surveys() -> None:
    """Customer surveys: close the stale ones."""


@surveys.command("close-stale")
@speaking
def close_stale() -> None:
    """Close as abandoned every survey with no step for SURVEY_STALE_HOURS (default 12)."""
    closed = stale.close_all()
    click.echo(ngettext("%(num)s stale survey closed as abandoned (no step for %(hours)s "
                        "hours or more).",
                        "%(num)s stale surveys closed as abandoned (no step for %(hours)s "
                        "hours or more).", closed, hours=current_app.config["SURVEY_STALE_HOURS"]))
    tallies.refresh(db.session.scalars(select(Questionnaire.id)).all())

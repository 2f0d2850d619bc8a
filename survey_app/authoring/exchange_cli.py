"""flask questionnaire export ID [-o FILE] / import FILE --campaign NAME [--into ID]."""
import json
import sys

import click
from flask_babel import gettext as _
from sqlalchemy import select

from survey_app import audit
from survey_app.authoring import exchange, file_check
from survey_app.cli import speaking
from survey_app.extensions import db
from survey_app.models import AuditAction, Campaign, Questionnaire


@click.group("questionnaire")
def questionnaire() -> None:
    """Export a questionnaire to JSON, or import one as a draft."""


@questionnaire.command("export")
@click.argument("questionnaire_id", type=int)
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="The file to write (standard output by default).")
@speaking
def export_command(questionnaire_id: int, output) -> None:
    """Write version QUESTIONNAIRE_ID as JSON."""
    shown = db.session.get(Questionnaire, questionnaire_id)
    if shown is None:
        raise click.ClickException(_("There is no questionnaire %(id)s.", id=questionnaire_id))
    output.write(json.dumps(exchange.export(shown), ensure_ascii=False, indent=2) + "\n")


@questionnaire.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--campaign", "campaign_name", required=True, help="The campaign's name.")
@click.option("--into", "into_id", type=int, help="Make the next version of this questionnaire.")
@speaking
def import_command(file, campaign_name: str, into_id: int | None) -> None:
    """Import FILE as a draft; every problem is printed with its JSON path."""
    campaign = db.session.scalar(select(Campaign).where(Campaign.name == campaign_name))
    if campaign is None:
        raise click.ClickException(_("There is no campaign “%(name)s”.", name=campaign_name))
    into = db.session.get(Questionnaire, into_id) if into_id else None
    if into_id and into is None:
        raise click.ClickException(_("There is no questionnaire %(id)s.", id=into_id))
    try:
        draft = exchange.import_file(file.read(), campaign.id, into)
    except file_check.Refused as refused:
        db.session.rollback()
        for p in refused.problems:
            click.echo(f"{p.path}: {p.message}" if p.path else p.message, err=True)
        sys.exit(1)
    except exchange.Refused:
        db.session.rollback()
        raise click.ClickException(
            _("That questionnaire is archived or has a draft already.")) from None
    audit.record(None, AuditAction.QUESTIONNAIRE_IMPORTED, draft.name, version=draft.version)
    db.session.commit()
    click.echo(_("Imported: questionnaire %(id)s, version %(number)s, a draft.", id=draft.id,
                 number=draft.version))

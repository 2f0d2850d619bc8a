"""flask commands: seed-demo, ami-bridge, translations, users (survey_app/users),
questionnaire (survey_app/authoring/exchange_cli.py) and surveys (survey_app/survey). They
speak the terminal's language (LANGUAGE, LC_ALL, LC_MESSAGES or LANG, as gettext reads them),
else DEFAULT_LANGUAGE."""
import functools
import os
import threading

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from survey_app import demo
from survey_app.language import LANGUAGES, catalogs
from survey_app.language.pbx import link_status
from survey_app.language.words import ROLES, label


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(ami_bridge)
    app.cli.add_command(translations)
    from survey_app.users.commands import users
    app.cli.add_command(users)
    from survey_app.authoring.exchange_cli import questionnaire
    app.cli.add_command(questionnaire)
    from survey_app.backup import backup
    app.cli.add_command(backup)
    from survey_app.survey.commands import surveys
    app.cli.add_command(surveys)


def terminal_language() -> str:
    """The first of the terminal's locale variables that is set, if the app speaks it."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            code = value.split(":")[0][:2].lower()
            return code if code in LANGUAGES else current_app.config["DEFAULT_LANGUAGE"]
    return current_app.config["DEFAULT_LANGUAGE"]


def speaking(command):
    """Run a command in the app context, in the terminal's language."""
    @functools.wraps(command)
    def run(*args, **kwargs):
        with force_locale(terminal_language()):
            return command(*args, **kwargs)
    return with_appcontext(run)


@click.command("seed-demo")
@click.option("--contacts", default=10_000, show_default=True,
              help="How many generated contacts to add beside the sample one.")
@speaking
def seed_demo(contacts: int) -> None:
    """Fill an empty database with the demo data; leave a filled one as it is."""
    if demo.seed(volume=contacts):
        click.echo(_("Demo data added: Survey 1, Уляненко Олександра and %(count)s contacts.",
                     count=contacts))
    else:
        click.echo(_("The database already has data; demo data not added."))
    logins = ", ".join(
        _("%(login)s (%(role)s, ext %(extension)s)", login=u, role=label(ROLES, r), extension=e)
        if e else _("%(login)s (%(role)s)", login=u, role=label(ROLES, r))
        for u, _name, r, e in demo.DEMO_USERS)
    click.echo(_("Demo logins (password “demo”): %(logins)s", logins=logins))


@click.group("translations")
def translations() -> None:
    """The interface's words: extract them into the catalogs, compile the catalogs."""


@translations.command("update")
@speaking
def update_translations() -> None:
    """Extract the strings of the code and templates and merge them into each messages.po."""
    for language, missing in catalogs.update().items():
        click.echo(ngettext("%(language)s: %(num)s message to translate.",
                            "%(language)s: %(num)s messages to translate.", missing,
                            language=language))


@translations.command("compile")
@speaking
def compile_translations() -> None:
    """Compile each messages.po that is newer than its messages.mo."""
    catalogs.ensure_compiled()


@click.command("ami-bridge")
@click.option("--run-for", type=float, default=None, hidden=True,
              help="Stop after this many seconds (tests).")
@speaking
def ami_bridge(run_for: float | None) -> None:
    """Run the AMI bridge alone, feeding the bus (set REDIS_URL so web processes get it, and
    AMI_BRIDGE_IN_WEB=0 on the web processes so only this one logs in to Asterisk)."""
    config = current_app.config
    if not config.get("AMI_HOST"):
        raise click.UsageError(_("Set AMI_HOST (and AMI_PORT, AMI_USERNAME, AMI_SECRET)."))
    if not config.get("REDIS_URL"):
        click.echo(_("Warning: without REDIS_URL the call events reach no web process."),
                   err=True)
    pipeline = current_app.extensions["telephony"]
    pipeline.start_bridge()
    address = f"{config['AMI_HOST']}:{config['AMI_PORT']}"
    click.echo(_("AMI bridge started for %(address)s; Ctrl+C stops it.", address=address))
    try:
        threading.Event().wait(run_for)
    except KeyboardInterrupt:
        pass
    finally:
        pipeline.stop()
        click.echo(_("AMI bridge stopped (%(status)s).", status=link_status(pipeline.pbx_status)))

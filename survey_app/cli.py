"""flask commands: seed-demo (and, later, the AMI bridge and import/export)."""
import threading

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from survey_app import demo


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(ami_bridge)


@click.command("seed-demo")
@click.option("--contacts", default=10_000, show_default=True,
              help="How many generated contacts to add beside the sample one.")
@with_appcontext
def seed_demo(contacts: int) -> None:
    """Fill an empty database with the demo data; leave a filled one as it is."""
    if demo.seed(volume=contacts):
        click.echo(f"Demo data added: Survey 1, Уляненко Олександра and {contacts} contacts.")
    else:
        click.echo("The database already has data; demo data not added.")
    click.echo("Demo logins (password \"demo\"): "
               + ", ".join(f"{u} ({r}{', ext ' + e if e else ''})"
                           for u, _n, r, e in demo.DEMO_USERS))


@click.command("ami-bridge")
@click.option("--run-for", type=float, default=None, hidden=True,
              help="Stop after this many seconds (tests).")
@with_appcontext
def ami_bridge(run_for: float | None) -> None:
    """Run the AMI bridge alone, feeding the bus (set REDIS_URL so web processes get it, and
    AMI_BRIDGE_IN_WEB=0 on the web processes so only this one logs in to Asterisk)."""
    config = current_app.config
    if not config.get("AMI_HOST"):
        raise click.UsageError("Set AMI_HOST (and AMI_PORT, AMI_USERNAME, AMI_SECRET).")
    if not config.get("REDIS_URL"):
        click.echo("Warning: without REDIS_URL the call events reach no web process.", err=True)
    pipeline = current_app.extensions["telephony"]
    pipeline.start_bridge()
    click.echo(f"AMI bridge started for {config['AMI_HOST']}:{config['AMI_PORT']}; "
               "Ctrl+C stops it.")
    try:
        threading.Event().wait(run_for)
    except KeyboardInterrupt:
        pass
    finally:
        pipeline.stop()
        click.echo(f"AMI bridge stopped ({pipeline.pbx_message}).")

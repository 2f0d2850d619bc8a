"""flask commands: seed-demo (and, later, the AMI bridge and import/export)."""
import click
from flask import Flask
from flask.cli import with_appcontext

from survey_app import demo


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo)


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

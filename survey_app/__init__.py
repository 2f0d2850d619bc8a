"""The survey app: create_app() builds a configured Flask application.

Flask is imported inside the factory, not here: every module of the app is below this file,
and the pure ones (the resolver, the graph checks, the translator) must load without Flask.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, error pages and CLI commands."""
    from flask import Flask

    from survey_app import config
    app = Flask(__name__, template_folder=str(ROOT / "templates"),
                static_folder=str(ROOT / "static"), instance_path=str(ROOT / "instance"))
    if test_config is None:
        app.config.from_mapping(config.from_environment(Path(app.instance_path)))
    else:
        app.config.from_mapping(config.defaults())
        app.config.from_mapping(test_config)
    from survey_app import logs, request_slots, security
    request_slots.init_app(app)
    logs.init_app(app)
    security.init_app(app)
    _register_extensions(app)
    _register_blueprints(app)
    _register_template_helpers(app)
    from survey_app import cli, errors
    errors.register(app)
    cli.register(app)
    from survey_app.telephony import setup
    setup.init_app(app)
    return app


def _register_extensions(app: Flask) -> None:
    from survey_app.extensions import csrf, db, login_manager, migrate, sock
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    from survey_app.auth import sessions, throttling
    sessions.init_app(app)
    throttling.init_app(app)
    sock.init_app(app)
    from survey_app.language import selection
    selection.init_app(app)
    from survey_app import models  # noqa: F401  (registers the tables)


def _register_blueprints(app: Flask) -> None:
    from survey_app.accounts import bp as accounts_bp
    from survey_app.auth import bp as auth_bp
    from survey_app.authoring import bp as authoring_bp
    from survey_app.contacts import bp as contacts_bp
    from survey_app.health import bp as health_bp
    from survey_app.language.routes import bp as language_bp
    from survey_app.supervision import bp as supervision_bp
    from survey_app.survey import bp as survey_bp
    from survey_app.telephony.web import bp as telephony_bp
    from survey_app.users import bp as users_bp
    for blueprint in (accounts_bp, auth_bp, authoring_bp, contacts_bp, health_bp, language_bp,
                      supervision_bp, survey_bp, telephony_bp, users_bp):
        app.register_blueprint(blueprint)


def _register_template_helpers(app: Flask) -> None:
    from survey_app import formatting, links
    from survey_app.language import words
    from survey_app.models import AnswerKind, AuditAction, Role, SurveyStatus
    from survey_app.telephony.calls.events import CallState, Direction, Outcome
    formatting.register(app)
    words.register(app)
    # templates compare with the fixed lists' members, never with bare strings
    app.jinja_env.globals.update(CallState=CallState, Direction=Direction, Outcome=Outcome,
                                 Role=Role, AuditAction=AuditAction, SurveyStatus=SurveyStatus,
                                 AnswerKind=AnswerKind, url_for=links.template_url_for)

"""`flask users` for a fresh installation: create the first admin, list, disable, enable,
set a password; bad input says why, exits 1 and changes nothing."""
from flask_migrate import upgrade
from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import AuditAction, AuditEvent, Role, User
from tests.helpers import empty_app_on, login

STRONG = "kava-v-ranci-42"


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def test_a_fresh_installation_gets_its_first_admin_from_the_command_line(database, tmp_path,
                                                                        request):
    app = empty_app_on(database, tmp_path, request)
    with app.app_context():
        upgrade()
    try:
        _first_admin(app)
    finally:
        with app.app_context():
            db.engine.dispose()


def _first_admin(app):
    runner = app.test_cli_runner(env={"LANG": "en_GB.UTF-8"})
    result = runner.invoke(args=["users", "create", "chief", "--role", "admin", "--name",
                                 "Головна адміністраторка"], input=f"{STRONG}\n{STRONG}\n")
    assert result.exit_code == 0, result.output
    assert "User chief created (admin)." in result.output
    client = app.test_client()
    login(client, "chief", STRONG)
    assert client.get("/users").status_code == 200
    listed = runner.invoke(args=["users", "list"])
    assert "chief\tГоловна адміністраторка\tadmin" in listed.output
    with app.app_context():
        event = db.session.scalar(select(AuditEvent))
        assert (event.action, event.actor, event.subject) == (AuditAction.USER_CREATED, None,
                                                              "chief")


def test_bad_input_on_the_command_line_changes_nothing(app):
    runner = app.test_cli_runner(env={"LANG": "en_GB.UTF-8"})
    before = _count(app)
    for args, message in (
            (["--role", "boss"], "'boss' is not a valid choice"),
            (["--role", "operator", "--extension", "305"], "already taken by Олена Коваль"),
            (["--role", "supervisor", "--extension", "333"], "Only a user who takes calls")):
        result = runner.invoke(args=["users", "create", "newbie", *args, "--password", STRONG])
        assert result.exit_code == 1 and message in result.output, result.output
    result = runner.invoke(args=["users", "create", "Operator", "--role", "operator",
                                 "--password", STRONG])
    assert result.exit_code == 1 and "The username Operator is taken." in result.output
    result = runner.invoke(args=["users", "create", "newbie", "--role", "operator",
                                 "--password", "123456789"])
    assert result.exit_code == 1 and "At least 10 characters." in result.output
    assert _count(app) == before
    result = runner.invoke(args=["users", "disable", "nobody"])
    assert result.exit_code == 1 and "There is no user nobody." in result.output


def test_disable_enable_and_set_password_from_the_command_line(app):
    runner = app.test_cli_runner(env={"LANG": "en_GB.UTF-8"})
    session = app.test_client()
    login(session, "operator")
    assert runner.invoke(args=["users", "disable", "operator"]).exit_code == 0
    assert session.get("/contacts").status_code == 302
    assert "(disabled)" in runner.invoke(args=["users", "list"]).output
    assert runner.invoke(args=["users", "enable", "operator"]).exit_code == 0
    result = runner.invoke(args=["users", "set-password", "operator"],
                           input=f"{STRONG}\n{STRONG}\n")
    assert result.exit_code == 0 and "New password set for operator." in result.output
    login(app.test_client(), "operator", STRONG)
    weak = runner.invoke(args=["users", "set-password", "operator", "--password", "password1"])
    assert weak.exit_code == 1
    login(app.test_client(), "operator", STRONG)  # unchanged


def test_the_last_admin_cannot_be_disabled_from_the_command_line(app):
    runner = app.test_cli_runner(env={"LANG": "en_GB.UTF-8"})
    result = runner.invoke(args=["users", "disable", "admin"])
    assert result.exit_code == 1 and "admin is the last active admin" in result.output
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        assert admin.active and admin.has(Role.ADMIN)


def test_the_command_speaks_the_terminals_language(app):
    runner = app.test_cli_runner(env={"LANG": "uk_UA.UTF-8"})
    result = runner.invoke(args=["users", "disable", "nobody"])
    assert "Користувача nobody немає." in result.output

"""A user may hold several roles: each check reads them all. The migration gives every
existing user the role they had, on SQLite and PostgreSQL, and comes back down."""
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text

from survey_app.extensions import db
from survey_app.models import Role, User
from survey_app.names import sort_key
from tests.helpers import csrf_from, empty_app_on, login, sample_contact_id

BEFORE = "e5f1a4b3c2d0"


def _give(app, username: str, *roles: Role) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        user.roles = roles
        db.session.commit()


def test_a_supervisor_who_takes_calls_is_one_account_with_both_roles(app, client):
    _give(app, "operator", Role.OPERATOR, Role.SUPERVISOR)
    login(client, "operator")
    card = client.get(f"/contacts/{sample_contact_id(app)}").text
    assert "Start survey" in card  # the operator's
    assert "Merge" in card  # the supervisor's
    calls = client.get("/calls").text
    assert 'name="operator"' in calls  # a supervisor's filter: every operator's calls
    assert "Олена Коваль · operator, supervisor" in calls
    assert client.get("/settings/telephony").status_code == 200  # takes calls


def test_taking_away_a_role_takes_away_its_pages_at_the_next_request(app, client):
    login(client, "supervisor")
    contact = sample_contact_id(app)
    assert client.get(f"/contacts/{contact}/merge").status_code == 200
    _give(app, "supervisor", Role.MARKETER)
    assert client.get(f"/contacts/{contact}/merge").status_code == 403
    token = csrf_from(client.get("/contacts").text)
    assert client.post(f"/contacts/{contact}/merge", data={"csrf_token": token,
                                                          "other": "2"}).status_code == 403


def test_the_roles_of_the_logged_in_user_cost_no_extra_statement(app, operator):
    statements = []
    with app.app_context():
        from sqlalchemy import event
        listen = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            assert operator.get("/calls").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
    users = [s for s in statements if "FROM users" in s and "user_roles" in s]
    assert len(users) == 1 and not any(s.lstrip().startswith("SELECT user_roles")
                                       for s in statements)


def test_the_migration_keeps_every_users_role(tmp_path, request, database):
    app = empty_app_on(database, tmp_path, request)
    with app.app_context():
        upgrade(revision=BEFORE)
        for number, (name, role) in enumerate((("olena", "operator"), ("iryna", "supervisor"),
                                               ("taras", "marketer"), ("root", "admin")), 1):
            db.session.execute(text(
                "INSERT INTO users (id, username, full_name, password_hash, role, active, "
                "telephony_enabled, telephony_debug, agent_state, sort_name) VALUES "
                "(:id, :name, :name, 'x', :role, :yes, :yes, :no, 'ready', :sort)"),
                {"id": number, "name": name, "role": role, "sort": sort_key(name),
                 "yes": True, "no": False})
        db.session.commit()
        upgrade()
        held = {u.username: u.roles for u in db.session.scalars(select(User))}
        assert held == {"olena": {Role.OPERATOR}, "iryna": {Role.SUPERVISOR},
                        "taras": {Role.MARKETER}, "root": {Role.ADMIN}}
        keys = db.session.scalars(text("SELECT session_key FROM users")).all()
        assert len(set(keys)) == 4 and all(keys)
        olena = db.session.get(User, 1)
        olena.roles = {Role.OPERATOR, Role.ADMIN}
        db.session.commit()
        downgrade(revision=BEFORE)
        rows = dict(db.session.execute(text("SELECT username, role FROM users")).all())
        assert rows == {"olena": "admin", "iryna": "supervisor", "taras": "marketer",
                        "root": "admin"}  # several roles: the one that allows the most
        assert "user_roles" not in inspect(db.engine).get_table_names()
        db.session.remove()
        db.engine.dispose()

"""The first migration builds the models' schema, and seed-demo fills an empty database once."""
import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text

from survey_app import create_app, demo
from survey_app.extensions import db
from survey_app.models import Contact, ContactPhone, Question, User
from survey_app.scripts import checks
from survey_app.scripts.loading import load_graph
from tests.helpers import empty_app_on, login, sample_contact_id, screen_of, start_survey, step


def _empty_app(tmp_path):
    return create_app({"TESTING": True, "SECRET_KEY": "t", "DEFAULT_LANGUAGE": "en",
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.db'}"})


def test_migrations_build_exactly_the_models_schema(database, tmp_path, request):
    app = empty_app_on(database, tmp_path, request)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection, warnings.catch_warnings():
            # SQLite does not reflect indexes on an expression: their names are checked below
            warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression")
            warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expr")
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
            built = set(connection.scalars(text(
                "SELECT name FROM sqlite_master WHERE type = 'index'" if database == "sqlite"
                else "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")))
        db.engine.dispose()
    assert diff == []
    on_expressions = {index.name for table in db.metadata.tables.values()
                      for index in table.indexes if index.expressions != list(index.columns)
                      and getattr(index._ddl_if, "dialect", database) == database}
    assert on_expressions and on_expressions <= built


def test_seed_demo_fills_once_and_prints_the_logins(tmp_path):
    app = _empty_app(tmp_path)
    with app.app_context():
        db.create_all()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo", "--contacts", "30"])
    assert "Demo data added" in result.output
    for shown in ("operator (operator, ext 305)", "operator2 (operator, ext 306)",
                  "supervisor", "marketer", "admin"):
        assert shown in result.output
    again = runner.invoke(args=["seed-demo", "--contacts", "30"])
    assert "already has data" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Contact)) == 31
        assert db.session.scalar(select(func.count()).select_from(User)) == 6
        assert db.session.scalar(select(ContactPhone.e164).join(Contact).where(
            Contact.full_name == "Уляненко Олександра")) == "+380501234567"
        assert db.session.scalar(select(User.extension).where(User.username == "operator2")) \
            == "306"
        db.engine.dispose()


def test_seeded_survey_1_passes_every_graph_check(app):
    with app.app_context():
        assert checks.check(load_graph(1)) == []
        texts = db.session.scalars(select(Question.text).order_by(Question.number)).all()
    assert "О котрій годині вам зручно відвідувати семінари?" in texts


def test_upgrading_a_filled_database_keeps_its_data_and_gives_users_telephony_defaults(
        database, tmp_path, request):
    app = empty_app_on(database, tmp_path, request)
    with app.app_context():
        upgrade(revision="4c488f081c65")  # the first release's schema, with data in it
        db.session.execute(db.text(
            "INSERT INTO users (username, full_name, password_hash, role, active) "
            "VALUES ('old', 'Old Operator', 'x', 'operator', true)"))
        db.session.commit()
        upgrade()
        row = db.session.execute(db.text(
            "SELECT telephony_enabled, telephony_debug, agent_state FROM users")).one()
        assert tuple(row) == (True, False, "ready")
        db.session.commit()  # on PostgreSQL the open read would hold the downgrade's locks
        downgrade(revision="4c488f081c65")
        assert db.session.execute(db.text("SELECT count(*) FROM users")).scalar() == 1


KEPT = ("accounts", "campaigns", "users", "contacts", "contact_phones", "addresses",
        "anniversaries", "questionnaires", "questions", "answer_options", "transitions",
        "customer_surveys", "customer_answers", "survey_events")  # the first release's tables


def _counts() -> dict[str, int]:
    return {table: db.session.execute(db.text(f"SELECT count(*) FROM {table}")).scalar()
            for table in KEPT}


def test_the_filled_demo_goes_down_to_the_first_release_and_up_again_with_its_rows(
        database, tmp_path, request):
    """Every migration's downgrade and upgrade run over a filled database (the demo with its
    completed surveys); the rows the first release had come back, and the app still works."""
    app = empty_app_on(database, tmp_path, request)
    with app.app_context():
        upgrade()
        demo.seed(volume=50)
    operator = app.test_client()
    login(operator, "operator")
    url = start_survey(operator, sample_contact_id(app))
    screen = screen_of(operator.get(url).text)
    answered = step(operator, url, "answer", screen.form(option_id=screen.options["Так"]))
    assert answered.status_code == 200
    with app.app_context():
        before = _counts()
        db.session.commit()  # on PostgreSQL the open read would hold the migrations' locks
        downgrade(revision="4c488f081c65")
        assert _counts() == before
        db.session.commit()
        upgrade()
        assert _counts() == before and before["customer_answers"] > 0
        assert checks.check(load_graph(1)) == []
    client = app.test_client()
    login(client, "supervisor")
    assert "Коваленко" in client.get("/contacts?q=Коваленко").get_data(as_text=True)

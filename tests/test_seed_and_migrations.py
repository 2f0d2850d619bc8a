"""The first migration builds the models' schema, and seed-demo fills an empty database once."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import func, select

from survey_app import create_app
from survey_app.extensions import db
from survey_app.models import Contact, ContactPhone, Question, User
from survey_app.scripts import checks
from survey_app.scripts.loading import load_graph


def _empty_app(tmp_path):
    return create_app({"TESTING": True, "SECRET_KEY": "t", "DEFAULT_LANGUAGE": "en",
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.db'}"})


def test_migrations_build_exactly_the_models_schema(tmp_path):
    app = _empty_app(tmp_path)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
        db.engine.dispose()
    assert diff == []


def test_seed_demo_fills_once_and_prints_the_logins(tmp_path):
    app = _empty_app(tmp_path)
    with app.app_context():
        db.create_all()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo", "--contacts", "30"])
    assert "Demo data added" in result.output
    for login in ("operator (operator, ext 305)", "operator2 (operator, ext 306)",
                  "supervisor", "marketer", "admin"):
        assert login in result.output
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
        tmp_path):
    from flask_migrate import downgrade
    app = _empty_app(tmp_path)
    with app.app_context():
        upgrade(revision="4c488f081c65")  # the first release's schema, with data in it
        db.session.execute(db.text(
            "INSERT INTO users (username, full_name, password_hash, role, active) "
            "VALUES ('old', 'Old Operator', 'x', 'operator', 1)"))
        db.session.commit()
        upgrade()
        row = db.session.execute(db.text(
            "SELECT telephony_enabled, telephony_debug, agent_state FROM users")).one()
        assert tuple(row) == (1, 0, "ready")
        downgrade(revision="4c488f081c65")
        assert db.session.execute(db.text("SELECT count(*) FROM users")).scalar() == 1
        db.engine.dispose()

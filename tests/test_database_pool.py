"""Each process's pool of database connections: sized from the environment, and every
connection checked before use, so a restarted database is picked up without restarting."""
import pytest

from survey_app import config


@pytest.mark.database("postgresql")
def test_a_restarted_database_is_picked_up_without_restarting_the_app(operator, postgres):
    assert operator.get("/contacts").status_code == 200  # its connection now waits in the pool
    postgres.restart()  # that connection is cut
    page = operator.get("/contacts")
    assert page.status_code == 200 and "Contacts" in page.text
    assert operator.get("/healthz").get_json()["checks"]["database"]["ok"] is True


def test_the_pool_is_sized_from_the_environment(tmp_path, monkeypatch):
    for name, value in {"DB_POOL_SIZE": "20", "DB_MAX_OVERFLOW": "0", "DB_POOL_TIMEOUT": "5",
                        "DB_POOL_RECYCLE": "600"}.items():
        monkeypatch.setenv(name, value)
    assert config.from_environment(tmp_path)["SQLALCHEMY_ENGINE_OPTIONS"] == {
        "pool_pre_ping": True, "pool_size": 20, "max_overflow": 0, "pool_timeout": 5,
        "pool_recycle": 600}


@pytest.mark.parametrize("name, value", [("DB_POOL_SIZE", "0"), ("DB_POOL_TIMEOUT", "soon"),
                                         ("DB_MAX_OVERFLOW", "-1")])
def test_a_pool_setting_that_is_no_count_refuses_to_start(tmp_path, monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name):
        config.from_environment(tmp_path)

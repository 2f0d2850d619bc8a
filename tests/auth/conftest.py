"""The test's app built again with other settings (limits, proxies, HTTPS), same database."""
import pytest

from survey_app import create_app
from survey_app.extensions import db


@pytest.fixture
def app_with(app):
    built = []

    def build(**settings):
        built.append(create_app({**app.config, **settings}))
        return built[-1]

    yield build
    for other in built:
        with other.app_context():
            db.engine.dispose()

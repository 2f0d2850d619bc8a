import pytest

from tests.helpers import login


@pytest.fixture
def marketer(client):
    """The test client, logged in as the demo's marketer."""
    login(client, "marketer")
    return client

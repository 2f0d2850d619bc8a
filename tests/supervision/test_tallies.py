"""The results page reads closed surveys from tallies: the figures must be the same as
counting every answer live, each survey counted once, whoever refreshes at the same time."""
import datetime as dt
import re

from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import AnswerTally, ResultsWatermark
from survey_app.models.surveys import utcnow
from survey_app.supervision import tallies
from tests.supervision.test_results import _contacts, _operator_client, _run, surveys  # noqa: F401

LIVE = "?from=01.01.2000"  # a filter that leaves every survey in, counted live


def _no_margin(app) -> None:
    """Tally a survey as soon as it closed, not a minute later (the tests do not wait)."""
    app.config["RESULTS_TALLY_MARGIN_SECONDS"] = 0


def _figures(app, query: str = "") -> str:
    client = _operator_client(app, "supervisor")
    page = client.get(f"/questionnaires/1/results{query}").text
    shown = page.split("<h2>Surveys</h2>")[1]
    return re.sub(r"<form .*?</form>", "", shown, flags=re.S)


def _tallied(app) -> int:
    """The answers in the tallies (not the stops, also kept there)."""
    with app.app_context():
        return sum(db.session.scalars(select(AnswerTally.count)
                                      .where(AnswerTally.answer != "s")))


def test_tallied_figures_are_the_live_ones(app, surveys):  # noqa: F811
    _no_margin(app)
    live = _figures(app, LIVE)
    assert _tallied(app) == 0  # a filtered view counts live and tallies nothing
    first = _figures(app)
    assert _tallied(app) == 18  # every confirmed answer of the 7 closed surveys
    assert first == live
    assert _figures(app) == live  # read again, from the tallies alone


def test_a_survey_closed_since_is_counted_live_then_tallied_once(app, surveys):  # noqa: F811
    _figures(app)  # the surveys closed in the last minute: counted live, not tallied
    assert _tallied(app) == 0
    _no_margin(app)
    _figures(app)
    before = _tallied(app)
    _run(app, _operator_client(app, "operator"), _contacts(app, 9)[-1], ["Ні", "2", "Так"],
         "done")
    page = _figures(app)
    assert '<dd id="total-completed">6</dd>' in page and _tallied(app) == before + 3
    for _ in range(3):
        assert _figures(app) == page
    assert _tallied(app) == before + 3
    assert page == _figures(app, LIVE)


def test_a_refresh_that_lost_the_race_adds_nothing(app, surveys):  # noqa: F811
    _no_margin(app)
    with app.app_context():
        tallies.refresh([1])
        mark = db.session.get(ResultsWatermark, 1).upto
        counted = _tallied(app)
        # another process moved the watermark after this one read it
        assert not tallies._move_watermark(1, mark - dt.timedelta(seconds=1), utcnow())
        db.session.rollback()
        assert db.session.get(ResultsWatermark, 1).upto == mark
    assert _tallied(app) == counted

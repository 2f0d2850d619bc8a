"""Stored surveys with known operators, times, statuses and reviews, for the lists and
figures to be checked against."""
import datetime as dt
import re
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import (
    Contact,
    CustomerSurvey,
    Questionnaire,
    SurveyStatus,
    User,
)
from survey_app.models.surveys import utcnow


@dataclass
class Stored:
    """A survey to store: who ran it, how it ended, when (hours ago), how long it took."""

    operator: str
    status: SurveyStatus
    hours_ago: float
    minutes: float = 3.0
    contact: str | None = None  # a contact's full name; else the n-th generated contact
    questionnaire: str = "Survey 1"
    score: int | None = None


def store(app, surveys: list[Stored], now: dt.datetime | None = None) -> list[int]:
    """Store the surveys as rows, as if run earlier; their ids in order."""
    now = now or utcnow()
    with app.app_context():
        users = {u.username: u.id for u in db.session.scalars(select(User))}
        contacts = db.session.scalars(select(Contact).order_by(Contact.id)).all()
        ids = []
        for n, wanted in enumerate(surveys):
            questionnaire = db.session.scalar(select(Questionnaire).where(
                Questionnaire.name == wanted.questionnaire))
            contact = next((c for c in contacts if c.full_name == wanted.contact),
                           contacts[(n + 1) % len(contacts)])
            started = now - dt.timedelta(hours=wanted.hours_ago)
            finished = (None if wanted.status == SurveyStatus.IN_PROGRESS
                        else started + dt.timedelta(minutes=wanted.minutes))
            survey = CustomerSurvey(
                contact_id=contact.id, questionnaire_id=questionnaire.id,
                campaign_id=questionnaire.campaign_id, operator_id=users[wanted.operator],
                status=wanted.status, step=0, started_at=started, current_shown_at=started,
                finished_at=finished, review_score=wanted.score,
                reviewed_by_id=users["supervisor"] if wanted.score else None,
                reviewed_at=now if wanted.score else None)
            db.session.add(survey)
            db.session.flush()
            ids.append(survey.id)
        db.session.commit()
        return ids


def listed(page: str) -> list[int]:
    """The ids of the surveys the list shows, in its order."""
    table = page.split('id="surveys-table"')[1] if 'id="surveys-table"' in page else ""
    return [int(i) for i in re.findall(r'<td><a href="/surveys/(\d+)">', table)]


@pytest.fixture
def shift(app):
    """Eight surveys of two operators over two days, of each status, two reviewed."""
    return store(app, [
        Stored("operator", SurveyStatus.COMPLETED, 1, minutes=4, score=5),
        Stored("operator", SurveyStatus.CANCELLED, 2, minutes=1),
        Stored("operator2", SurveyStatus.COMPLETED, 3, minutes=6, score=2),
        Stored("operator2", SurveyStatus.IN_PROGRESS, 0.5),
        Stored("operator", SurveyStatus.ABANDONED, 30, minutes=2),
        Stored("operator2", SurveyStatus.COMPLETED, 26, minutes=3,
               questionnaire="Webinar invitation"),
        Stored("operator", SurveyStatus.COMPLETED, 27, minutes=5,
               contact="Уляненко Олександра"),
        Stored("operator", SurveyStatus.IN_PROGRESS, 20),  # stale: no step for 20 hours
    ])

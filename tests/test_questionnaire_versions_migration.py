"""The versions migration: each questionnaire becomes version 1 of its own, its edit counter
kept as the revision, every question and option given a key; and it comes back down."""
import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from survey_app.extensions import db
from survey_app.models import AnswerOption, Question, Questionnaire
from tests.helpers import empty_app_on

BEFORE = "a7c3d6e5f4b2"


def _fill_before() -> None:
    run = db.session.execute
    run(text("INSERT INTO campaigns (id, name, active, sort_name) "
             "VALUES (1, 'CRM Days', :yes, 'crm days')"), {"yes": True})
    for qid, name, revision in ((1, "Survey 1", 7), (2, "Webinar", 1)):
        run(text("INSERT INTO questionnaires (id, campaign_id, name, description, status, "
                 "version, sort_name) VALUES (:id, 1, :name, '', 'published', :rev, :sort)"),
            {"id": qid, "name": name, "rev": revision, "sort": name.casefold()})
        run(text("INSERT INTO questions (id, questionnaire_id, number, text, kind, is_first, "
                 "is_last) VALUES (:id, :q, 1, 'Чи сподобалось?', 'choice', :yes, :yes)"),
            {"id": qid, "q": qid, "yes": True})
        for position in (1, 2):
            run(text("INSERT INTO answer_options (question_id, position, text) "
                     "VALUES (:q, :p, :t)"), {"q": qid, "p": position, "t": f"option {position}"})
    db.session.commit()


def test_every_questionnaire_becomes_version_1_with_keys_and_comes_back(
        tmp_path, request, database):
    app = empty_app_on(database, tmp_path, request)
    with app.app_context():
        upgrade(revision=BEFORE)
        _fill_before()
        upgrade()
        versions = {q.name: (q.version, q.revision, q.key)
                    for q in db.session.scalars(select(Questionnaire))}
        assert {name: v[:2] for name, v in versions.items()} == {
            "Survey 1": (1, 7), "Webinar": (1, 1)}
        keys = [v[2] for v in versions.values()]
        keys += db.session.scalars(select(Question.key)).all()
        keys += db.session.scalars(select(AnswerOption.key)).all()
        assert len(keys) == 8 and len(set(keys)) == 8 and all(len(k) == 32 for k in keys)
        assert db.session.scalars(select(Question.allows_refusal)).all() == [False, False]
        db.session.remove()
        downgrade(revision=BEFORE)
        revisions = dict(db.session.execute(text("SELECT name, version FROM questionnaires")).all())
        assert revisions == {"Survey 1": 7, "Webinar": 1}
        with pytest.raises(IntegrityError):  # the name is unique per campaign again
            db.session.execute(text(
                "INSERT INTO questionnaires (campaign_id, name, description, status, version, "
                "sort_name) VALUES (1, 'Webinar', '', 'draft', 1, 'webinar')"))
        db.session.rollback()
        db.session.remove()
        db.engine.dispose()

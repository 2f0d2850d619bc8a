"""Results kept as surveys close (supervision/tallies.py): a closed survey's answers never
change, so they are counted once into these tallies and a questionnaire's results page reads
a few hundred rows instead of a million answers. Each version has a watermark: the surveys
that closed up to it are in the tallies; the rest are counted live."""
import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.extensions import db


class ResultsWatermark(db.Model):
    """A version's surveys finished up to `upto` are in the tallies."""

    __tablename__ = "results_watermarks"

    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaires.id", ondelete="CASCADE"), primary_key=True)
    upto: Mapped[dt.datetime] = mapped_column(DateTime)


class AnswerTally(db.Model):
    """How often a question got an answer: "o<option id>", "n<number>", "r" (refused) or
    "t" (a free text)."""

    __tablename__ = "answer_tallies"

    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"),
                                             primary_key=True)
    answer: Mapped[str] = mapped_column(String(24), primary_key=True)
    count: Mapped[int]


class AnswerTimeTally(db.Model):
    """How often a question took so many whole seconds to answer."""

    __tablename__ = "answer_time_tallies"

    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"),
                                             primary_key=True)
    seconds: Mapped[int] = mapped_column(primary_key=True)
    count: Mapped[int]


class PathTally(db.Model):
    """How many completed surveys of a version took a path ("1 → 2 → 4")."""

    __tablename__ = "path_tallies"

    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaires.id", ondelete="CASCADE"), primary_key=True)
    path: Mapped[str] = mapped_column(String(400), primary_key=True)
    count: Mapped[int]


class SurveyTally(db.Model):
    """How many closed surveys of a version an operator ended so, after so many answers, in
    so many whole seconds (-1 for those not completed), with how many Back presses."""

    __tablename__ = "survey_tallies"

    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaires.id", ondelete="CASCADE"), primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                             primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    step: Mapped[int] = mapped_column(primary_key=True)
    seconds: Mapped[int] = mapped_column(primary_key=True)
    count: Mapped[int]
    backs: Mapped[int]

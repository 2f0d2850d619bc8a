"""Why a survey step was refused: each says so in the operator's words, with its HTTP status."""
from flask_babel import gettext as _

from survey_app.language.findings import graph_error
from survey_app.scripts.resolver import GraphError


class SurveyError(Exception):
    """A request the survey cannot take, worded for the operator; `status` is the HTTP
    status to answer with."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Forbidden(SurveyError):
    status = 403


class Closed(SurveyError):
    """The survey is completed or cancelled: nothing more can be recorded."""

    status = 409


class Stale(SurveyError):
    """The step was already taken (double click, another tab): the current state is shown."""

    status = 409


class Invalid(SurveyError):
    status = 422


class Broken(SurveyError):
    """The questionnaire changed under the survey, or leads nowhere from this answer."""

    status = 409

    def __init__(self, problem: GraphError):
        super().__init__(_("This survey cannot go on: %(problem)s Cancel it (its answers are "
                           "kept) and tell the questionnaire’s author.",
                           problem=graph_error(problem)))

"""The marketer's editor: campaigns, questionnaires and their questions, built in forms; the
picture of a question graph. Marketers and admins change scripts, everyone else reads them."""
from flask import Blueprint

bp = Blueprint("authoring", __name__)

from survey_app.authoring import (  # noqa: E402,F401
    campaigns,
    exchange_routes,
    graph_view,
    options,
    preview,
    publishing,
    question_list,
    questionnaires,
    questions,
    versions,
    ways,
)

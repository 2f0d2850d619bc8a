"""The telephony's web side: the operator's socket, call control routes, agent state, training."""
from flask import Blueprint

bp = Blueprint("telephony", __name__)

from survey_app.telephony.web import (  # noqa: E402,F401,I001
    agent_state, call_actions, socket, training)

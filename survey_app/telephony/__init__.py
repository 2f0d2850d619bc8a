"""Telephony: the AMI bridge, call events, the bus to the operators' pages, call control."""
from flask import Blueprint

bp = Blueprint("telephony", __name__)

from survey_app.telephony import actions, history, routes, settings, training  # noqa: E402,F401,I001

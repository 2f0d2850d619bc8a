"""Contact cards, their history, and contact search."""
from flask import Blueprint

bp = Blueprint("contacts", __name__)

from survey_app.contacts import merging, register_routes, routes  # noqa: E402,F401,I001

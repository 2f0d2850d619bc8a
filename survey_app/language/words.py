"""The words for the app's fixed lists (roles, statuses, outcomes...), in the reader's language.

Values are stored as codes ("no_answer"); only these labels are shown. What people typed
(names, question texts, options) is shown as typed and never goes through here.
"""
from flask import Flask
from flask_babel import lazy_gettext as _l

ROLES = {"operator": _l("operator"), "supervisor": _l("supervisor"),
         "marketer": _l("marketer"), "admin": _l("admin")}
SURVEY_STATUSES = {"in_progress": _l("In progress"), "completed": _l("Completed"),
                   "cancelled": _l("Cancelled")}
OUTCOMES = {"answered": _l("Answered"), "no_answer": _l("No answer"), "busy": _l("Busy"),
            "failed": _l("Failed"), "not_found": _l("Number not found"),
            "cancelled": _l("Cancelled by the caller"),
            "answered_elsewhere": _l("Answered elsewhere"), "transferred": _l("Transferred"),
            None: _l("In progress")}
DIRECTIONS = {"inbound": _l("Inbound"), "outbound": _l("Outbound")}
AGENT_STATES = {"ready": _l("Ready"), "dnd": _l("Do not disturb")}
# The contact's lists are stored as English words until they become fixed lists of codes
# (issue 8); the known ones are shown translated, anything else as typed.
CONTACT_TYPES = {"Client": _l("Client"), "Partner": _l("Partner"), "Employee": _l("Employee")}
CONTACT_LISTS = CONTACT_TYPES | {"Mobile": _l("Mobile"), "Work": _l("Work"),
                                 "Home": _l("Home"), "Delivery": _l("Delivery"),
                                 "Birthday": _l("Birthday")}


def label(words: dict, value) -> str:
    """The label of a code; an unknown code is shown as it is rather than failing a page."""
    value = getattr(value, "value", value)
    return str(words.get(value, value if value is not None else ""))


def register(app: Flask) -> None:
    for name, words in (("role", ROLES), ("survey_status", SURVEY_STATUSES),
                        ("outcome", OUTCOMES), ("direction", DIRECTIONS),
                        ("agent_state", AGENT_STATES), ("listed", CONTACT_LISTS)):
        app.add_template_filter(lambda value, words=words: label(words, value), name)
    from survey_app.language.pbx import link_status
    app.add_template_filter(link_status, "link_status")

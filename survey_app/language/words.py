"""The words for the app's fixed lists (roles, statuses, outcomes...), in the reader's language.

Values are stored as codes ("no_answer"); only these labels are shown. What people typed
(names, question texts, options) is shown as typed and never goes through here.
"""
from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

ROLES = {"operator": _l("operator"), "supervisor": _l("supervisor"),
         "marketer": _l("marketer"), "admin": _l("admin")}
SURVEY_STATUSES = {"in_progress": _l("In progress"), "completed": _l("Completed"),
                   "cancelled": _l("Cancelled"), "abandoned": _l("Abandoned")}
# the steps of a survey as its audit records them (models.SurveyEvent.kind)
SURVEY_EVENTS = {"started": _l("Started"), "answered": lazy_pgettext("survey step", "Answered"),
                 "back": lazy_pgettext("survey step", "Back"), "resumed": _l("Resumed"),
                 "completed": _l("Completed"), "cancelled": _l("Cancelled"),
                 "abandoned": _l("Closed as abandoned")}
OUTCOMES = {"answered": _l("Answered"), "no_answer": _l("No answer"), "busy": _l("Busy"),
            "failed": _l("Failed"), "not_found": _l("Number not found"),
            "cancelled": _l("Cancelled by the caller"),
            "answered_elsewhere": _l("Answered elsewhere"), "transferred": _l("Transferred"),
            None: _l("In progress")}
DIRECTIONS = {"inbound": _l("Inbound"), "outbound": _l("Outbound")}
AGENT_STATES = {"ready": _l("Ready"), "dnd": _l("Do not disturb")}
CALL_STATES = {"ringing": _l("Ringing"), "talking": _l("Talking"), "held": _l("On hold"),
               "ended": _l("Ended")}
FLOOR_STATES = {"ringing": _l("Ringing"), "talking": _l("Talking"),
                "in_survey": _l("In a survey"), "dnd": _l("Do not disturb"),
                "ready": _l("Ready"), "offline": _l("Offline")}
CONTACT_TYPES = {"client": _l("Client"), "partner": _l("Partner"), "employee": _l("Employee"),
                 "supplier": _l("Supplier"),
                 "other": lazy_pgettext("contact type", "Other")}
PHONE_KINDS = {"mobile": _l("Mobile"), "work": _l("Work"), "home": lazy_pgettext("phone", "Home"),
               "other": lazy_pgettext("phone", "Other")}
ADDRESS_TYPES = {"delivery": _l("Delivery"), "legal": _l("Legal"), "actual": _l("Actual"),
                 "home": lazy_pgettext("address", "Home"),
                 "other": lazy_pgettext("address", "Other")}
AUDIT_ACTIONS = {"user_created": _l("User created"), "user_changed": _l("User changed"),
                 "roles_changed": _l("Roles changed"), "password_reset": _l("Password reset"),
                 "password_changed": _l("Own password changed"),
                 "user_disabled": _l("User disabled"), "user_enabled": _l("User enabled"),
                 "contacts_merged": _l("Contacts merged"),
                 "questionnaire_published": _l("Questionnaire published"),
                 "questionnaire_imported": _l("Questionnaire imported"),
                 "questionnaire_archived": _l("Questionnaire archived")}
ANSWER_KINDS = {"choice": _l("Single choice"), "number": _l("Number"), "text": _l("Free text")}
QUESTIONNAIRE_STATUSES = {"draft": _l("Draft"), "published": _l("Published"),
                          "superseded": _l("Superseded"), "archived": _l("Archived")}
ANNIVERSARY_TYPES = {"birthday": _l("Birthday"), "wedding": _l("Wedding anniversary"),
                     "company_day": _l("Company day"),
                     "other": lazy_pgettext("anniversary", "Other")}


def label(words: dict, value) -> str:
    """The label of a code; an unknown code is shown as it is rather than failing a page."""
    value = getattr(value, "value", value)
    return str(words.get(value, value if value is not None else ""))


def roles_label(roles) -> str:
    """A user's roles, in the list's order: "operator, supervisor"."""
    held = {getattr(role, "value", role) for role in roles}
    return ", ".join(str(words) for code, words in ROLES.items() if code in held)


def register(app: Flask) -> None:
    for name, words in (("role", ROLES), ("survey_status", SURVEY_STATUSES),
                        ("survey_event", SURVEY_EVENTS),
                        ("outcome", OUTCOMES), ("direction", DIRECTIONS),
                        ("agent_state", AGENT_STATES), ("call_state", CALL_STATES),
                        ("floor_state", FLOOR_STATES),
                        ("contact_type", CONTACT_TYPES), ("phone_kind", PHONE_KINDS),
                        ("address_type", ADDRESS_TYPES), ("audit_action", AUDIT_ACTIONS),
                        ("anniversary_type", ANNIVERSARY_TYPES), ("answer_kind", ANSWER_KINDS),
                        ("questionnaire_status", QUESTIONNAIRE_STATUSES)):
        app.add_template_filter(lambda value, words=words: label(words, value), name)
    app.add_template_filter(roles_label, "roles")
    from survey_app.language.pbx import link_status
    app.add_template_filter(link_status, "link_status")

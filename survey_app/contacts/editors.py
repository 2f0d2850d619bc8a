"""Who may create and edit contacts: the people who talk to them and those who check."""
from flask_babel import lazy_gettext as _l

from survey_app.models import Role

EDITORS = (Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN)
EDITORS_ONLY = _l("Contacts are created and edited by operators, supervisors and admins.")

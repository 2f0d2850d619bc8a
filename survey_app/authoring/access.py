"""Who may read and who may change scripts: checked on the server for every route."""
from flask_babel import lazy_gettext as _l

from survey_app.auth.roles import roles_required
from survey_app.models import Role

AUTHORS = (Role.MARKETER, Role.ADMIN)
READERS = (Role.OPERATOR, Role.SUPERVISOR, Role.MARKETER, Role.ADMIN)
AUTHORS_ONLY = _l("Only marketers and admins change questionnaires and campaigns.")

authors_only = roles_required(*AUTHORS, message=AUTHORS_ONLY)
readers = roles_required(*READERS)

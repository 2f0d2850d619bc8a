"""The audit log, for admins: newest first, filtered by action, a page at a time."""
from flask import render_template, request
from sqlalchemy import func, select

from survey_app.auth.roles import roles_required
from survey_app.extensions import db
from survey_app.models import AuditAction, AuditEvent, Role
from survey_app.users import bp
from survey_app.users.forms import AuditFilterForm
from survey_app.users.routes import ADMINS_ONLY

PAGE_SIZE = 50


@bp.get("/audit")
@roles_required(Role.ADMIN, message=ADMINS_ONLY)
def audit_log():
    form = AuditFilterForm(request.args)
    form.validate()  # an unknown action or page filters nothing
    chosen = AuditAction(form.action.data) if form.action.data and not form.action.errors \
        else None
    page = 1 if form.page.errors or not form.page.data else form.page.data
    conditions = [AuditEvent.action == chosen] if chosen else []
    total = db.session.scalar(select(func.count(AuditEvent.id)).where(*conditions))
    events = db.session.scalars(select(AuditEvent).where(*conditions)
                                .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                                .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return render_template("users/audit.html", events=events, chosen=chosen, page=page,
                           pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1), total=total,
                           form=form)

"""Users, for admins: the list, a new user, edit (name, roles, extension), a new password,
disable and enable; and everyone's own password."""
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from survey_app import floor_changes
from survey_app.auth.roles import roles_required
from survey_app.extensions import db
from survey_app.models import Role, User
from survey_app.users import bp, management
from survey_app.users.forms import NewUserForm, OwnPasswordForm, PasswordResetForm, UserForm

ADMINS_ONLY = _l("Only admins manage users.")
LAST_ADMIN = _l("At least one active admin must remain: give another user the admin role "
                "first.")


@bp.get("/users")
@roles_required(Role.ADMIN, message=ADMINS_ONLY)
def users():
    everyone = db.session.scalars(select(User).options(selectinload(User.role_rows))
                                  .order_by(User.active.desc(), User.sort_name))
    return render_template("users/list.html", users=everyone.all())


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN, message=ADMINS_ONLY)
def new_user():
    form = NewUserForm()
    if form.validate_on_submit():
        user = management.create(current_user, form.username.data.strip(), form.full_name.data,
                                 form.roles.data, form.password.data, form.extension.data or None)
        db.session.commit()
        floor_changes.tell_roster_here()
        flash(_("User %(username)s created.", username=user.username), "success")
        return redirect(url_for("users.edit_user", user_id=user.id), code=303)
    return render_template("users/new.html", form=form), 422 if form.errors else 200


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN, message=ADMINS_ONLY)
def edit_user(user_id: int):
    user = _user(user_id)
    form = UserForm(obj=user)
    form.user_id = user.id
    if form.validate_on_submit():
        try:
            changes = management.change(current_user, user, form.full_name.data,
                                        form.roles.data, form.extension.data or None,
                                        _version(form.version.data))
        except management.Stale:
            db.session.rollback()
            flash(_("Another admin saved this user while you were editing. These are the "
                    "values now: make your change again."), "warning")
            return _edit_page(user, status=409)  # expired by the rollback: read anew
        except management.LastAdmin:
            db.session.rollback()
            form.roles.errors.append(str(LAST_ADMIN))
        else:
            db.session.commit()
            floor_changes.tell_roster_here()
            if "extension" in changes:  # read after the commit, or pops go to the old one
                current_app.extensions["telephony"].operators.changed()
            flash(_("User %(username)s saved.", username=user.username), "success")
            return redirect(url_for("users.edit_user", user_id=user.id), code=303)
    return _edit_page(user, form=form)


@bp.post("/users/<int:user_id>/password")
@roles_required(Role.ADMIN, message=ADMINS_ONLY)
def reset_password(user_id: int):
    user = _user(user_id)
    form = PasswordResetForm(user.username)
    if not form.validate_on_submit():
        return _edit_page(user, password_form=form)
    management.reset_password(current_user, user, form.password.data)
    db.session.commit()
    management.close_sockets(user)
    if user.id == current_user.id:  # their own new password: this session goes on
        login_user(user)
    flash(_("New password set for %(username)s; their open sessions have ended.",
            username=user.username), "success")
    return redirect(url_for("users.edit_user", user_id=user.id), code=303)


@bp.post("/users/<int:user_id>/disable")
@roles_required(Role.ADMIN, message=ADMINS_ONLY)
def disable_user(user_id: int):
    user = _user(user_id)
    try:
        management.disable(current_user, user)
    except management.LastAdmin:
        db.session.rollback()
        return _edit_page(user, refusal=str(LAST_ADMIN), status=409)
    db.session.commit()
    floor_changes.tell_roster_here()
    management.close_sockets(user)
    flash(_("User %(username)s disabled: they can no longer log in.", username=user.username),
          "success")
    return redirect(url_for("users.edit_user", user_id=user.id), code=303)


@bp.post("/users/<int:user_id>/enable")
@roles_required(Role.ADMIN, message=ADMINS_ONLY)
def enable_user(user_id: int):
    user = _user(user_id)
    management.enable(current_user, user)
    db.session.commit()
    floor_changes.tell_roster_here()
    flash(_("User %(username)s enabled.", username=user.username), "success")
    return redirect(url_for("users.edit_user", user_id=user.id), code=303)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def own_password():
    """Every user's own password: the current one is asked first."""
    form = OwnPasswordForm(current_user)
    if form.validate_on_submit():
        user = current_user._get_current_object()
        management.change_own_password(user, form.password.data)
        db.session.commit()
        management.close_sockets(user)
        login_user(user)  # a renewed session for this page; every other one has ended
        flash(_("Your password is changed; your other sessions have ended."), "success")
        return redirect(url_for("contacts.search"), code=303)
    return render_template("users/own_password.html", form=form), 422 if form.errors else 200


def _version(sent: str | None) -> int:
    """The version the form was opened on; a tampered one matches no save."""
    return int(sent) if sent and sent.isdecimal() else -1


def _user(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404, _("There is no such user."))


def _edit_page(user: User, form=None, password_form=None, refusal=None, status=None):
    if form is None:
        form = UserForm(formdata=None, obj=user)
    password_form = password_form or PasswordResetForm(user.username, formdata=None)
    failed = form.errors or password_form.errors
    return render_template("users/edit.html", user=user, form=form, password_form=password_form,
                           refusal=refusal), status or (422 if failed else 200)

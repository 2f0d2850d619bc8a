"""The contact's card as a form: new (with its first phone, e.g. from a pop) and edit."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import EmailField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from survey_app.extensions import db
from survey_app.forms import ActionForm, PhoneNumber, optional_int
from survey_app.language.words import CONTACT_TYPES, PHONE_KINDS
from survey_app.models import Account, ContactType, PhoneKind, User


def _text(max_length: int, label, required: bool = False):
    first = DataRequired() if required else Optional()
    return StringField(label, filters=[lambda v: " ".join(v.split()) if v else v],
                       validators=[first, Length(max=max_length)])


class ContactForm(ActionForm):
    """Name in parts, account (chosen or new), owner, type, language, role, country, email."""

    last_name = _text(80, _l("Last name"), required=True)
    first_name = _text(80, _l("First name"))
    middle_name = _text(80, _l("Middle name"))
    account_name = _text(200, _l("Account"))
    owner_id = SelectField(_l("Owner"), coerce=optional_int, validate_choice=True)
    contact_type = SelectField(_l("Type"), choices=lambda: [
        (t.value, CONTACT_TYPES[t.value]) for t in ContactType], default=ContactType.CLIENT.value)
    language = _text(40, _l("Language"))
    job_role = _text(80, _l("Role"))
    country = _text(80, _l("Country"))
    email = EmailField(_l("Email"), validators=[
        Optional(), Length(max=200),
        Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("This is not an email address."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        card = kwargs.get("obj")  # its owner stays offered even when no longer active
        offered = User.active.is_(True) | (User.id == getattr(card, "owner_id", None))
        users = db.session.execute(select(User.id, User.full_name).where(offered)
                                   .order_by(User.sort_name)).all()
        self.owner_id.choices = [(None, "—")] + [(user.id, user.full_name) for user in users]

    @staticmethod
    def account_names() -> list[str]:
        """The accounts to choose from (a name typed that is none of them makes a new one)."""
        return list(db.session.scalars(select(Account.name).order_by(Account.name)))

    def fill(self, contact) -> None:
        """The card from the form (the account found by its name, or created), in one
        flush: the card's version counts saves, not statements."""
        name = self.account_name.data
        with db.session.no_autoflush:
            contact.account = Account.named(name) if name else None
        contact.name_as(self.last_name.data, self.first_name.data, self.middle_name.data)
        contact.owner_id = self.owner_id.data
        contact.contact_type = ContactType(self.contact_type.data)
        for name in ("language", "job_role", "country", "email"):
            setattr(contact, name, getattr(self, name).data or None)


class NewContactForm(ContactForm):
    phone = StringField(_l("Phone"), validators=[DataRequired(), Length(max=60),
                                                 PhoneNumber(_l("This is not a valid phone "
                                                                "number."))])
    phone_kind = SelectField(_l("Phone kind"), default=PhoneKind.MOBILE.value, choices=lambda: [
        (kind.value, PHONE_KINDS[kind.value]) for kind in PhoneKind])


class EditContactForm(ContactForm):
    version = HiddenField()  # the card's version the form was opened on

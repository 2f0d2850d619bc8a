"""Clients: accounts, contacts, their phones, addresses and anniversaries."""

import datetime as dt
import enum

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.extensions import db, fixed_list
from survey_app.models.naming import SortedByName
from survey_app.names import search_key


class ContactType(enum.StrEnum):
    """The card's "Тип": who the contact is to the centre."""

    CLIENT = "client"
    PARTNER = "partner"
    EMPLOYEE = "employee"
    SUPPLIER = "supplier"
    OTHER = "other"


class PhoneKind(enum.StrEnum):
    MOBILE = "mobile"
    WORK = "work"
    HOME = "home"
    OTHER = "other"


class AddressType(enum.StrEnum):
    DELIVERY = "delivery"
    LEGAL = "legal"
    ACTUAL = "actual"
    HOME = "home"
    OTHER = "other"


class AnniversaryType(enum.StrEnum):
    BIRTHDAY = "birthday"
    WEDDING = "wedding"
    COMPANY_DAY = "company_day"
    OTHER = "other"


class Account(db.Model):
    """The company a contact belongs to ("Контрагент")."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    # search_key(name): one account per name however it is typed (case, spaces, apostrophes)
    name_key: Mapped[str | None] = mapped_column(String(200), index=True)

    @classmethod
    def named(cls, name: str) -> "Account":
        """The account of this name, created when there is none yet."""
        key = search_key(name)
        found = db.session.scalar(db.select(cls).where(cls.name_key == key))
        return found or cls(name=" ".join(name.split()), name_key=key)


class Contact(SortedByName, db.Model):
    """The client card."""

    __tablename__ = "contacts"
    __sorted_by__ = "full_name"

    id: Mapped[int] = mapped_column(primary_key=True)
    # the thesis's ПІБ in parts; full_name is "Last First Middle", as the card shows it
    last_name: Mapped[str | None] = mapped_column(String(80))
    first_name: Mapped[str | None] = mapped_column(String(80))
    middle_name: Mapped[str | None] = mapped_column(String(80))
    full_name: Mapped[str] = mapped_column(String(200))
    # the name as searched (names.search_key): SQLite's lower() folds only ASCII, and
    # ' ’ ʼ are typed for one another
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    contact_type: Mapped[ContactType] = mapped_column(fixed_list(ContactType),
                                                      default=ContactType.CLIENT)
    language: Mapped[str | None] = mapped_column(String(40))
    job_role: Mapped[str | None] = mapped_column(String(80))
    country: Mapped[str | None] = mapped_column(String(80))
    email: Mapped[str | None] = mapped_column(String(200))
    # counts the card's saves: a form opened before someone else's save is refused
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    account = relationship("Account", lazy="joined")
    owner = relationship("User", lazy="joined")
    phones = relationship(
        "ContactPhone",
        back_populates="contact",
        order_by="ContactPhone.id",
        cascade="all, delete-orphan",
    )
    addresses = relationship("Address", order_by="Address.id", cascade="all, delete-orphan")
    anniversaries = relationship(
        "Anniversary", order_by="Anniversary.date", cascade="all, delete-orphan"
    )

    @classmethod
    def keys_for(cls, name: str) -> dict:
        return super().keys_for(name) | {"name_key": search_key(name)}

    def name_as(self, last: str, first: str | None, middle: str | None) -> None:
        """The ПІБ in parts, and the full name the card and the lists show."""
        self.last_name, self.first_name, self.middle_name = last, first or None, middle or None
        self.full_name = " ".join(part for part in (last, first, middle) if part)


class ContactPhone(db.Model):
    """A phone number as entered, and as E.164 for lookups by caller number."""

    __tablename__ = "contact_phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[PhoneKind] = mapped_column(fixed_list(PhoneKind), default=PhoneKind.MOBILE)
    number: Mapped[str] = mapped_column(String(60))
    e164: Mapped[str | None] = mapped_column(String(20), index=True)

    contact = relationship("Contact", back_populates="phones")


class Address(db.Model):
    """A postal address of a contact, e.g. Delivery, Ukraine, Kyiv, ..."""

    __tablename__ = "addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[AddressType] = mapped_column(fixed_list(AddressType))
    country: Mapped[str | None] = mapped_column(String(80))
    city: Mapped[str | None] = mapped_column(String(80))
    line: Mapped[str | None] = mapped_column(String(200))


class Anniversary(db.Model):
    """A date that matters to the client, e.g. a birthday."""

    __tablename__ = "anniversaries"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[AnniversaryType] = mapped_column(fixed_list(AnniversaryType))

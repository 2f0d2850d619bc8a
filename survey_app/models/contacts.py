"""Clients: accounts, contacts, their phones, addresses and anniversaries."""

import datetime as dt
import enum

from sqlalchemy import Date, ForeignKey, Index, String, delete, event, insert, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.extensions import db, fixed_list
from survey_app.models.naming import SortedByName
from survey_app.names import name_words, search_key
from survey_app.phones import reversed_digits

# A search key compared by its code points on both databases: SQLite's default collation is
# binary; PostgreSQL's is the database's locale, under which a range is not a prefix.
BINARY_KEY = String(200).with_variant(String(200, collation="C"), "postgresql")


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
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
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
    # the digits last first (phones.reversed_digits): found by the number's last digits
    digits_reversed: Mapped[str] = mapped_column(BINARY_KEY, index=True, default="")

    contact = relationship("Contact", back_populates="phones")

    @staticmethod
    def keys_for(e164: str | None, number: str) -> dict:
        """The search key, for bulk inserts that skip the ORM's events."""
        return {"digits_reversed": reversed_digits(e164 or number)}


@event.listens_for(ContactPhone, "before_insert")
@event.listens_for(ContactPhone, "before_update")
def _keep_digits(_mapper, _connection, phone: ContactPhone) -> None:
    phone.digits_reversed = reversed_digits(phone.e164 or phone.number)


class ContactWord(db.Model):
    """A word of a contact's name as searched (names.name_words), one row each: a search by a
    word's beginning reads this table's index instead of every name, and whether a contact
    has such a word, the index by contact and word."""

    __tablename__ = "contact_words"
    __table_args__ = (Index("ix_contact_words_contact_id_word", "contact_id", "word",
                            unique=True),)

    word: Mapped[str] = mapped_column(BINARY_KEY, primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True)

    @staticmethod
    def rows_for(contact_id: int, name: str) -> list[dict]:
        return [{"word": word, "contact_id": contact_id} for word in name_words(name)]


@event.listens_for(Contact, "after_insert")
@event.listens_for(Contact, "after_update")
def _keep_words(_mapper, connection, contact: Contact) -> None:
    """The words follow the name on every write through the ORM (a deleted contact's go with
    it, ON DELETE CASCADE)."""
    if not inspect(contact).attrs.full_name.history.has_changes():
        return
    table = ContactWord.__table__
    connection.execute(delete(table).where(table.c.contact_id == contact.id))
    rows = ContactWord.rows_for(contact.id, contact.full_name)
    if rows:
        connection.execute(insert(table), rows)


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

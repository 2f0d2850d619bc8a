"""The demo data: the thesis's campaign, "Survey 1", its sample contact, users and volume."""
import datetime as dt
import random
import secrets

from sqlalchemy import func, insert, select

from survey_app.extensions import db
from survey_app.models import (
    Account,
    Address,
    AddressType,
    Anniversary,
    AnniversaryType,
    AnswerKind,
    AnswerOption,
    Campaign,
    Contact,
    ContactPhone,
    ContactType,
    ContactWord,
    PhoneKind,
    Question,
    Questionnaire,
    QuestionnaireStatus,
    Role,
    Transition,
    User,
)
from survey_app.names import search_key
from survey_app.phones import to_e164

DEMO_PASSWORD = "demo"
DEMO_USERS = [  # username, full name, role, extension
    ("operator", "Олена Коваль", Role.OPERATOR, "305"),
    ("operator2", "Андрій Мельник", Role.OPERATOR, "306"),
    ("supervisor", "Ірина Бондар", Role.SUPERVISOR, None),
    ("marketer", "Тарас Шевчук", Role.MARKETER, None),
    ("admin", "Адміністратор", Role.ADMIN, None),
]
YES, NO = "Так", "Ні"


def is_seeded() -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(User)))


def seed(volume: int = 10_000, rng_seed: int = 2018) -> bool:
    """Fill an empty database; False (and nothing written) when it already has users."""
    if is_seeded():
        return False
    users = _users()
    owner = users["natalia"]
    _survey_one()
    _webinar_campaign()
    _sample_contact(owner)
    db.session.flush()
    _volume(volume, random.Random(rng_seed), [u.id for u in users.values()])
    db.session.commit()
    return True


def _users() -> dict[str, User]:
    users = {}
    for username, full_name, role, extension in DEMO_USERS:
        user = User(username=username, full_name=full_name, roles=[role], extension=extension)
        user.set_password(DEMO_PASSWORD)
        users[username] = user
    # the sample contact's owner is an employee who does not log in to this app
    owner = User(username="natalia", full_name="Молниста Наталья", roles=[Role.SUPERVISOR],
                 active=False)
    owner.set_password(secrets.token_urlsafe(24))
    users["natalia"] = owner
    db.session.add_all(users.values())
    return users


def _survey_one() -> Questionnaire:
    """The thesis's "Survey 1", with NPS as a number 1-10 so the ranges no longer overlap."""
    campaign = Campaign(name='Conference "CRM Days"')
    survey = Questionnaire(campaign=campaign, name="Survey 1",
                           status=QuestionnaireStatus.PUBLISHED,
                           description="After-webinar call: satisfaction, NPS, follow-up.")
    q1 = _choice(survey, 1, "Чи сподобався вам вебінар?", [YES, NO], first=True)
    q2 = _question(survey, 2, "Яка вірогідність що ви порекомендуєте нас знайомим та друзям? "
                   "Від 1 до 10.", AnswerKind.NUMBER, min_value=1, max_value=10)
    q3 = _choice(survey, 3, "Вам цікаво отримувати на пошту подібні запрошення на лекції?",
                 [YES, NO], last=True)
    q4 = _question(survey, 4, "Що не сподобалось на вебінарі?", AnswerKind.TEXT, last=True)
    q5 = _choice(survey, 5, "Чи хочете ви відписатись?", [YES, NO], last=True)
    q6 = _choice(survey, 6, "О котрій годині вам зручно відвідувати семінари?",
                 ["09:00-12:00", "12:00-15:00", "15:00-18:00", "18:00-21:00"], last=True)
    db.session.add(survey)
    db.session.flush()
    _link(survey, q1, q2)
    _link(survey, q2, q5, low=1, high=3)
    _link(survey, q2, q4, low=4, high=6)
    _link(survey, q2, q3, low=7, high=10)
    _link(survey, q3, q6, option=q3.options[0])  # only who wants invitations is asked the time
    return survey


def _webinar_campaign() -> Questionnaire:
    campaign = Campaign(name="Attracting an audience to the webinar")
    survey = Questionnaire(campaign=campaign, name="Webinar invitation",
                           status=QuestionnaireStatus.PUBLISHED,
                           description="Invite the client to the next webinar.")
    q1 = _choice(survey, 1, "Чи бажаєте ви взяти участь у наступному вебінарі?", [YES, NO],
                 first=True, last=True)
    q2 = _question(survey, 2, "На яку адресу надіслати запрошення?", AnswerKind.TEXT, last=True)
    db.session.add(survey)
    db.session.flush()
    _link(survey, q1, q2, option=q1.options[0])
    return survey


def _question(survey, number, text, kind, first=False, last=False, **extra) -> Question:
    question = Question(number=number, text=text, kind=kind, is_first=first, is_last=last,
                        **extra)
    survey.questions.append(question)
    return question


def _choice(survey, number, text, options, first=False, last=False) -> Question:
    question = _question(survey, number, text, AnswerKind.CHOICE, first, last)
    question.options = [AnswerOption(position=i, text=t) for i, t in enumerate(options, 1)]
    return question


def _link(survey, source, target, option=None, low=None, high=None) -> None:
    if option is not None or low is not None or high is not None:
        source.branches = True  # "Next question depends on the answer"
    db.session.add(Transition(questionnaire_id=survey.id, source_id=source.id,
                              target_id=target.id, option_id=option.id if option else None,
                              range_low=low, range_high=high))


def _sample_contact(owner: User) -> Contact:
    contact = Contact(account=Account.named("Our company"),
                      owner=owner, contact_type=ContactType.EMPLOYEE, language="Українська",
                      job_role="Marketing manager", country="Ukraine",
                      email="aleksandra-ulianenko@gmail.com")
    contact.name_as("Уляненко", "Олександра", None)
    contact.phones = [ContactPhone(kind=PhoneKind.MOBILE, number="+380501234567",
                                   e164="+380501234567")]
    contact.addresses = [Address(kind=AddressType.DELIVERY, country="Ukraine", city="Kyiv",
                                 line="Moskovskyi ave. 16")]
    contact.anniversaries = [Anniversary(date=dt.date(1989, 5, 31), kind=AnniversaryType.BIRTHDAY)]
    db.session.add(contact)
    return contact


SURNAMES = ("Коваленко Бондаренко Ткаченко Шевченко Кравченко Олійник Шевчук Поліщук Мельник "
            "Лисенко Бойко Руденко Савченко Петренко Мороз Марченко Гончаренко Левченко "
            "Кравчук Павленко Романенко Іваненко Клименко Тимошенко Литвиненко Семенко").split()
FIRST_NAMES = ("Олександр Олександра Андрій Марія Дмитро Ірина Сергій Олена Юлія Максим "
               "Наталія Тарас Оксана Богдан Катерина Віктор Софія Ігор Анна Василь").split()
CITIES = ("Kyiv Lviv Odesa Kharkiv Dnipro Vinnytsia Poltava Chernihiv Zhytomyr Rivne").split()
MOBILE_CODES = ("50", "63", "66", "67", "68", "73", "93", "95", "96", "97", "98", "99")
FORMATS = ("+380{c}{n}", "0{c}{n}", "0{c} {a}-{b}-{d}", "+380 {c} {a} {b} {d}", "380{c}{n}")


def _volume(count: int, rng: random.Random, owner_ids: list[int]) -> None:
    """Generated contacts with phones, addresses and birthdays, inserted in bulk.

    The database numbers the rows (RETURNING, in the order given): ids written by hand would
    leave PostgreSQL's sequence behind, and the next contact created would collide.
    """
    if count <= 0:
        return
    names = [f"ТОВ «{rng.choice(SURNAMES)} {i}»" for i in range(1, 201)]
    accounts = [{"name": name, "name_key": search_key(name)} for name in names]
    db.session.execute(insert(Account), accounts)
    account_ids = db.session.scalars(select(Account.id)).all()
    contacts = []
    for offset in range(count):
        last, first = rng.choice(SURNAMES), rng.choice(FIRST_NAMES)
        name = f"{last} {first}"
        contacts.append({"full_name": name, "last_name": last, "first_name": first,
                         **Contact.keys_for(name),
                         "account_id": rng.choice(account_ids), "owner_id": rng.choice(owner_ids),
                         "contact_type": rng.choice((ContactType.CLIENT, ContactType.CLIENT,
                                                    ContactType.PARTNER)),
                         "language": "Українська", "country": "Ukraine",
                         "email": f"client{offset + 1}@example.com"})
    ids = db.session.scalars(
        insert(Contact).returning(Contact.id, sort_by_parameter_order=True), contacts).all()
    db.session.execute(insert(ContactWord), [
        row for contact_id, contact in zip(ids, contacts, strict=True)
        for row in ContactWord.rows_for(contact_id, contact["full_name"])])
    _details(ids, rng)


def _details(contact_ids: list[int], rng: random.Random) -> None:
    """A phone for every generated contact, an address for every second, a birthday for every
    third."""
    used = {"+380501234567"}
    phones, addresses, birthdays = [], [], []
    for offset, contact_id in enumerate(contact_ids):
        number = _unique_mobile(rng, used)
        e164 = to_e164(number)  # typed in one of several ways, stored one way
        phones.append({"contact_id": contact_id, "kind": PhoneKind.MOBILE, "number": e164,
                       "e164": e164, **ContactPhone.keys_for(e164, e164)})
        if offset % 2 == 0:
            addresses.append({"contact_id": contact_id, "kind": AddressType.DELIVERY,
                              "country": "Ukraine",
                              "city": rng.choice(CITIES), "line": f"вул. Січових Стрільців, "
                              f"{rng.randint(1, 120)}"})
        if offset % 3 == 0:
            birthdays.append({"contact_id": contact_id, "kind": AnniversaryType.BIRTHDAY,
                              "date": dt.date(rng.randint(1950, 2004), rng.randint(1, 12),
                                              rng.randint(1, 28))})
    for model, rows in ((ContactPhone, phones), (Address, addresses), (Anniversary, birthdays)):
        if rows:
            db.session.execute(insert(model), rows)


def _unique_mobile(rng: random.Random, used: set[str]) -> str:
    while True:
        code, n = rng.choice(MOBILE_CODES), f"{rng.randint(0, 9_999_999):07d}"
        e164 = f"+380{code}{n}"
        if e164 not in used:
            used.add(e164)
            return rng.choice(FORMATS).format(c=code, n=n, a=n[:3], b=n[3:5], d=n[5:])

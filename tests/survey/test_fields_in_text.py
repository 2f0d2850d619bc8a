"""Fields in a question's text ({first_name}, {answer:2}...) as the operator reads them in the
survey: filled from the contact, the operator and the campaign and from earlier answers,
shown as text (never markup), and stored in the answer's snapshot as shown."""
from html import unescape

from sqlalchemy import event, select, update

from survey_app.extensions import db
from survey_app.models import Contact, CustomerAnswer, Question, Questionnaire
from tests.helpers import HTMX_STEP, csrf, sample_contact_id, screen_of, start_survey, step

GREETING = ("Добрий день, {first_name} {last_name}! Ви {full_name} з {account}, ваш менеджер "
            "{owner}. Мене звати {operator}, дзвоню щодо «{campaign}». Чи сподобався вам вебінар?")
GREETED = ("Добрий день, Олександра Уляненко! Ви Уляненко Олександра з Our company, ваш "
           "менеджер Молниста Наталья. Мене звати Олена Коваль, дзвоню щодо «Conference "
           "\"CRM Days\"». Чи сподобався вам вебінар?")


def _script(app, **texts: str) -> None:
    """Give Survey 1's questions these texts (q1="...", by question number), as a new revision."""
    with app.app_context():
        survey = db.session.scalar(select(Questionnaire).where(Questionnaire.name == "Survey 1"))
        for name, text in texts.items():
            db.session.execute(update(Question).where(
                Question.questionnaire_id == survey.id,
                Question.number == int(name.removeprefix("q"))).values(text=text))
        survey.revision += 1
        db.session.commit()


def _contact(app, **values) -> int:
    """Change the sample contact (first_name=..., account=None...); returns its id."""
    contact_id = sample_contact_id(app)
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        for name, value in values.items():
            setattr(contact, name, value)
        db.session.commit()
    return contact_id


def _start(app, client, contact_id=None):
    url = start_survey(client, contact_id or sample_contact_id(app))
    return url, screen_of(client.get(url).text)


def _answer(client, url, screen, **answer):
    response = step(client, url, "answer", screen.form(**answer))
    assert response.status_code in (200, 204), response.text
    return screen_of(response.text) if response.status_code == 200 else None


def _snapshots(app) -> list[str]:
    with app.app_context():
        return db.session.scalars(select(CustomerAnswer.question_text)
                                  .order_by(CustomerAnswer.position)).all()


def test_the_question_reads_the_contact_operator_and_campaign(app, operator):
    _script(app, q1=GREETING, q2="{first_name}, від 1 до 10: чи порекомендуєте нас?")
    url, screen = _start(app, operator)
    assert screen.text == GREETED
    next_screen = _answer(operator, url, screen, option_id=screen.options["Так"])  # htmx step
    assert next_screen.text == "Олександра, від 1 до 10: чи порекомендуєте нас?"


def test_contact_data_in_the_text_shows_as_text_never_as_markup(app, operator):
    _script(app, q1="Добрий день, {first_name} {last_name}!", q2="{full_name}: від 1 до 10?")
    contact_id = _contact(app, first_name="<b>x</b>", last_name='"><script>alert(1)</script>',
                          full_name='<i>y</i> "><script>alert(2)</script>')
    url, screen = _start(app, operator, contact_id)
    page = operator.get(url).text
    assert screen.text == 'Добрий день, <b>x</b> "><script>alert(1)</script>!'
    assert "&lt;b&gt;x&lt;/b&gt; &#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>x</b>" not in page and "<script>alert(1)" not in page
    fragment = step(operator, url, "answer", screen.form(option_id=screen.options["Так"])).text
    assert "&lt;i&gt;y&lt;/i&gt; &#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;: від 1 до 10?" \
        in fragment
    assert "<i>y</i>" not in fragment and "<script>alert(2)" not in fragment


def test_an_earlier_answer_is_read_back_after_a_branch_and_follows_a_changed_answer(
        app, operator):
    _script(app, q4="Ви оцінили нас на {answer:2} і сказали «{answer:1}». Що не сподобалось?")
    url, screen = _start(app, operator)
    screen = _answer(operator, url, screen, option_id=screen.options["Так"])
    screen = _answer(operator, url, screen, value="5")  # 4-6: to question 4
    assert screen.text == "Ви оцінили нас на 5 і сказали «Так». Що не сподобалось?"
    screen = screen_of(step(operator, url, "back", screen.form()).text)
    screen = _answer(operator, url, screen, value="6")  # a changed answer, the same way on
    assert screen.text == "Ви оцінили нас на 6 і сказали «Так». Що не сподобалось?"


def test_a_refused_earlier_answer_reads_as_refused(app, operator):
    with app.app_context():
        db.session.execute(update(Question).where(Question.number == 1)
                           .values(allows_refusal=True))
        db.session.commit()
    _script(app, q2="Ви відповіли «{answer:1}». Від 1 до 10?")  # a new revision: both read
    url, screen = _start(app, operator)
    screen = _answer(operator, url, screen, option_id="refused")
    assert screen.text == "Ви відповіли «Refused / don’t know». Від 1 до 10?"


def test_an_answer_not_given_on_this_path_shows_a_placeholder_not_a_hole(app, operator):
    # question 4 is asked only after a rating of 4-6; a rating of 8 goes to question 3
    _script(app, q3="Ви писали: «{answer:4}». Вам цікаво отримувати запрошення?")
    url, screen = _start(app, operator)
    screen = _answer(operator, url, screen, option_id=screen.options["Ні"])
    screen = _answer(operator, url, screen, value="8")
    assert screen.text == ("Ви писали: «[no answer to question 4]». Вам цікаво отримувати "
                           "запрошення?")


def test_the_snapshot_keeps_the_text_as_shown_and_the_history_shows_it(app, operator):
    _script(app, q1="Добрий день, {first_name}! Чи сподобався вам вебінар?",
            q2="{operator}: ви сказали «{answer:1}». Від 1 до 10?",
            q5="{first_name}, ви оцінили нас на {answer:2}. Відписатись?")
    url, screen = _start(app, operator)
    shown = [screen.text]
    screen = _answer(operator, url, screen, option_id=screen.options["Так"])
    shown.append(screen.text)
    screen = _answer(operator, url, screen, value="2")  # 1-3: to question 5
    shown.append(screen.text)
    assert _answer(operator, url, screen, option_id=screen.options["Ні"]) is None  # completed
    assert shown == ["Добрий день, Олександра! Чи сподобався вам вебінар?",
                     "Олена Коваль: ви сказали «Так». Від 1 до 10?",
                     "Олександра, ви оцінили нас на 2. Відписатись?"]
    assert _snapshots(app) == shown
    _contact(app, first_name="Інша")  # a later edit of the contact rewrites no history
    card = operator.get(f"/contacts/{sample_contact_id(app)}").text
    assert url in card  # the card's survey history links to the survey's answers
    review = unescape(operator.get(url).text)
    assert all(f"<td>{text}</td>" in review for text in shown)
    assert "Інша" not in review


def test_an_answer_kept_on_back_stores_the_text_as_shown(app, operator):
    _script(app, q2="{first_name}, від 1 до 10?")
    url, screen = _start(app, operator)
    screen = _answer(operator, url, screen, option_id=screen.options["Так"])
    step(operator, url, "back", screen.form(value="7"))  # typed, then Back: kept, unconfirmed
    assert _snapshots(app) == ["Чи сподобався вам вебінар?", "Олександра, від 1 до 10?"]


def test_an_unknown_field_is_left_as_typed(app, operator):
    _script(app, q1="{nmae}, {first_name}, {answer:x}, {{first_name}}?")
    _, screen = _start(app, operator)
    assert screen.text == "{nmae}, Олександра, {answer:x}, {first_name}?"


def test_fields_without_a_value_read_as_nothing(app, operator):
    _script(app, q1="Ім’я: «{first_name}», компанія: «{account}», менеджер: «{owner}».")
    contact_id = _contact(app, first_name=None, account=None, owner=None)
    url, screen = _start(app, operator, contact_id)
    assert screen.text == "Ім’я: «», компанія: «», менеджер: «»."
    assert "None" not in operator.get(url).text


FIELD_READ = "JOIN contacts ON contacts.id = customer_surveys.contact_id"  # the values' query


def _statements_of(app, client, url, screen, **answer) -> list[str]:
    """The SQL of one htmx answer step (the CSRF token read before, outside the count)."""
    headers = {**HTMX_STEP, "X-CSRFToken": csrf(client)}
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def note(conn, cursor, statement, *args):
        seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", note)
    try:
        response = client.post(f"{url}/answer", data=screen.form(**answer), headers=headers)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert response.status_code == 200, response.text
    return seen


def test_a_step_reads_the_contact_once_and_only_for_a_text_with_fields(app, operator):
    url, screen = _start(app, operator)
    statements = _statements_of(app, operator, url, screen, option_id=screen.options["Так"])
    assert sum(FIELD_READ in s for s in statements) == 0  # no text with fields: no read
    # the question answered (its snapshot) and the next one both use fields: one read
    _script(app, q2="{first_name}, від 1 до 10?", q4="{account}: що не сподобалось?")
    screen = screen_of(operator.get(url).text)
    statements = _statements_of(app, operator, url, screen, value="5")
    assert sum(FIELD_READ in s for s in statements) == 1

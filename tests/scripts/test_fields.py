"""Fields in a question's text: which ones a text uses, and the text as the operator reads it."""
import pytest

from survey_app.scripts.fields import FIELDS, answer_number, fields_in, fill, is_known

CONTACT = {"first_name": "Олександра", "last_name": "Уляненко",
           "full_name": "Уляненко Олександра", "account": "Our company",
           "owner": "Молниста Наталья", "operator": "Оператор 1", "campaign": "Вебінар"}


@pytest.mark.parametrize(("text", "found"), [
    ("Чи сподобався вам вебінар?", []),
    ("Добрий день, {first_name}!", ["first_name"]),
    ("{first_name} {last_name}, {first_name}?", ["first_name", "last_name"]),
    ("Ви сказали «{answer:2}», {answer:10}", ["answer:2", "answer:10"]),
    ("{ account }", ["account"]),
    ("{nmae} and {}", ["nmae", ""]),
    ("{{first_name}} is literal, {{ too", []),
    ("{{{first_name}}}", ["first_name"]),
    ("an unclosed {first_name brace", []),
])
def test_fields_are_what_the_braces_hold(text, found):
    assert fields_in(text) == found


@pytest.mark.parametrize(("field", "number"), [
    ("answer:2", 2), ("answer: 12", 12), ("answer:", None), ("answer:x", None),
    ("answer:-1", None), ("first_name", None),
])
def test_answer_fields_name_a_question_number(field, number):
    assert answer_number(field) == number


def test_known_fields_are_the_documented_ones_and_answers():
    assert all(is_known(name) for name in FIELDS)
    assert is_known("answer:3")
    assert not any(is_known(name) for name in ("nmae", "First_Name", "", "answer:x"))


@pytest.mark.parametrize(("text", "shown"), [
    ("Добрий день, {first_name}!", "Добрий день, Олександра!"),
    ("{full_name} ({account}), власник {owner}", "Уляненко Олександра (Our company), власник "
     "Молниста Наталья"),
    ("Мене звати {operator}, кампанія «{campaign}»", "Мене звати Оператор 1, кампанія «Вебінар»"),
    ("Ви оцінили нас на {answer:2}.", "Ви оцінили нас на 8."),
    ("Без відповіді: «{answer:5}»", "Без відповіді: «»"),
    ("{nmae} stays as typed, {{first_name}} is literal", "{nmae} stays as typed, {first_name} is "
     "literal"),
    ("{ first_name }", "Олександра"),
])
def test_fill_puts_the_plain_values_in(text, shown):
    assert fill(text, CONTACT, {2: "8"}) == shown


def test_a_known_field_without_a_value_reads_as_nothing():
    assert fill("Компанія: {account}.", {"first_name": "Олександра"}, {}) == "Компанія: ."


def test_fill_does_not_escape_markup_the_template_does():
    assert fill("{first_name}", {"first_name": "<b>Ол</b>"}, {}) == "<b>Ол</b>"


def test_an_answer_not_given_reads_as_the_caller_words_it():
    def placeholder(number: int) -> str:
        return f"[no answer to {number}]"

    text = "Ви сказали «{answer:2}», а потім «{answer: 5}»."
    shown = fill(text, CONTACT, {2: "8"}, placeholder)
    assert shown == "Ви сказали «8», а потім «[no answer to 5]»."


def test_an_empty_answer_given_is_not_taken_for_one_not_given():
    assert fill("«{answer:2}»", {}, {2: ""}, lambda number: "[none]") == "«»"


def test_unknown_fields_and_contact_fields_never_read_as_an_unanswered_answer():
    assert fill("{nmae} {account}", {}, {}, lambda number: "[none]") == "{nmae} "

"""Fields in a question's text, filled from the contact, the call and earlier answers: pure.

"Добрий день, {first_name}!" reads as "Добрий день, Олександро!" to the operator. A field is
a name in braces; {answer:2} is the answer given to question number 2. Doubled braces, {{ and
}}, stand for a brace itself. An unknown field is left as typed, so a typo shows in the
preview, and the graph checks name it (survey_app.scripts.checks).
"""
import re
from collections.abc import Callable

# The fields a script may use, as call-centre suites name them; the caller fills the values.
FIELDS = (
    "first_name",  # the contact's first name
    "last_name",  # the contact's last name
    "full_name",  # the contact's name as stored ("Уляненко Олександра")
    "account",  # the contact's company
    "owner",  # the user who owns the contact
    "operator",  # the operator on the call
    "campaign",  # the campaign the survey runs in
)
ANSWER_FIELD = "answer:N"  # {answer:2}: the answer given to question number 2

# a doubled brace first, so "{{first_name}}" stays literal text
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
_ANSWER_REF = re.compile(r"answer:\s*([0-9]{1,9})")


def fields_in(text: str) -> list[str]:
    """The fields a text uses, as typed between the braces (stripped), each once, in order."""
    if "{" not in text:  # most texts: the checks ask for every question on every edit
        return []
    found = (m.group(1).strip() for m in _TOKEN.finditer(text) if m.group(1) is not None)
    return list(dict.fromkeys(found))


def answer_number(field: str) -> int | None:
    """The question number of an {answer:N} field, or None for any other field."""
    match = _ANSWER_REF.fullmatch(field)
    return int(match.group(1)) if match else None


def is_known(field: str) -> bool:
    """True for a contact or call field, or a well-formed {answer:N}."""
    return field in FIELDS or answer_number(field) is not None


def fill(text: str, values: dict[str, str], answers_by_number: dict[int, str],
         unanswered: Callable[[int], str] | None = None) -> str:
    """The text with its fields replaced by plain values (the template escapes them).

    A known field without a value (a contact with no account) reads as nothing; so does an
    {answer:N} whose question was not answered on this path, unless `unanswered` words it
    (unanswered(N), e.g. a visible "[no answer to question N]"). An unknown field stays as
    typed.
    """
    def replace(match: re.Match) -> str:
        token, field = match.group(0), match.group(1)
        if field is None:  # "{{" or "}}"
            return token[0]
        field = field.strip()
        number = answer_number(field)
        if number is not None:
            return _answer(number, answers_by_number, unanswered)
        return (values.get(field) or "") if field in FIELDS else token

    return _TOKEN.sub(replace, text)


def renumbered(text: str, moved: dict[int, int]) -> str:
    """The text with each {answer:N} of a moved question pointing at its new number; the
    rest, doubled braces included, exactly as typed."""
    def replace(match: re.Match) -> str:
        token, field = match.group(0), match.group(1)
        number = answer_number(field.strip()) if field is not None else None
        if number is None or number not in moved:
            return token
        return token.replace(str(number), str(moved[number]), 1)

    return _TOKEN.sub(replace, text) if "{" in text else text


def _answer(number: int, answers_by_number: dict[int, str],
            unanswered: Callable[[int], str] | None) -> str:
    """The answer given to question `number`; an answer given but empty reads as nothing."""
    given = answers_by_number.get(number)
    if given is not None:
        return given
    return unanswered(number) if unanswered else ""

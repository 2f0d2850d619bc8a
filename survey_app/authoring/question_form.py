"""The question form, with the thesis's fields: the question itself and its first way in
("Previous question" and "Answer"), checked against the draft it belongs to."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from survey_app.forms import optional_int
from survey_app.language.words import ANSWER_KINDS
from survey_app.models import AnswerKind, Question, Transition
from survey_app.scripts.resolver import MAX_TEXT

ANY = "any"  # the Answer "Any other answer"
WHOLE = [Optional(), NumberRange(min=-999_999_999, max=999_999_999)]


class QuestionForm(FlaskForm):
    """A question of a draft; `questions` (the draft's others) and `question` (the one edited,
    None for a new one) are set before validating."""

    text = TextAreaField(_l("Question text"), validators=[DataRequired(), Length(max=MAX_TEXT)])
    kind = SelectField(_l("Answer kind"), default=AnswerKind.CHOICE.value,
                       choices=lambda: [(k.value, ANSWER_KINDS[k.value]) for k in AnswerKind])
    min_value = IntegerField(_l("Minimum"), validators=WHOLE)
    max_value = IntegerField(_l("Maximum"), validators=WHOLE)
    is_first = BooleanField(_l("First question"))
    is_last = BooleanField(_l("Last question"))
    branches = BooleanField(_l("Next question depends on the answer"))
    allows_refusal = BooleanField(_l("The client may refuse or not know (key 0)"))
    previous_id = SelectField(_l("Previous question"), coerce=optional_int)
    answer = SelectField(_l("Answer"), default="", validate_choice=False)  # see validate_answer
    range_low = IntegerField(_l("From"), validators=WHOLE)
    range_high = IntegerField(_l("To"), validators=WHOLE)
    any_other = BooleanField(_l("Any other answer"))
    revision = HiddenField()

    def setup(self, questions: list[Question], ways: list[Transition],
              question: Question | None) -> "QuestionForm":
        """The draft's questions to choose from, its ways (transitions), and the Answer
        choices of the chosen previous question."""
        self.questions = {q.id: q for q in questions}
        self.question = question
        self.first_way = first_way_in(ways, question)
        self.ways = [w for w in ways if w is not self.first_way]
        self.previous_id.choices = [(None, "")] + [
            (q.id, f"{q.number}. {shorten(q.text)}") for q in questions
            if question is None or q.id != question.id]
        self.answer.choices = answer_choices(self.previous)
        return self

    @property
    def previous(self) -> Question | None:
        return self.questions.get(self.previous_id.data)

    def validate_is_first(self, field) -> None:
        other = next((q for q in self.questions.values() if q.is_first
                      and q is not self.question), None)
        if field.data and other is not None:
            raise ValidationError(_l("Question %(number)s is already the first question.",
                                     number=other.number))

    def validate_max_value(self, field) -> None:
        low = self.min_value.data
        if field.data is not None and low is not None and low > field.data:
            raise ValidationError(_l("The maximum is below the minimum."))

    def validate_previous_id(self, field) -> None:
        if field.data is None and not self.is_first.data:
            raise ValidationError(_l("Choose the previous question: only the first question "
                                     "has none."))
        previous = self.previous
        taken = previous is not None and not previous.branches and self._leads_on(
            lambda w: w.option_id is None and w.range_low is None and w.range_high is None)
        if taken:
            raise ValidationError(_l(
                "Question %(number)s already leads to question %(target)s whatever the answer: "
                "tick “Next question depends on the answer” on question %(number)s first.",
                number=previous.number, target=taken.number))

    def validate_answer(self, field) -> None:
        previous = self.previous
        if previous is None or not previous.branches or previous.kind != AnswerKind.CHOICE:
            return
        if not field.data:
            raise ValidationError(_l("Question %(number)s depends on the answer: choose which "
                                     "answer leads here.", number=previous.number))
        if field.data not in {value for value, _label in field.choices if value}:
            raise ValidationError(_l("Choose one of the answers of question %(number)s.",
                                     number=previous.number))
        option_id = None if field.data == ANY else int(field.data)
        taken = self._leads_on(lambda w: w.option_id == option_id and w.range_low is None
                               and w.range_high is None)
        if taken:
            raise ValidationError(_l("This answer of question %(number)s already leads to "
                                     "question %(target)s.", number=previous.number,
                                     target=taken.number))

    def _leads_on(self, matching) -> Question | None:
        """Another question that the previous question's way `matching` already leads to."""
        for way in self.ways:
            if way.source_id == self.previous_id.data and matching(way):
                return self.questions.get(way.target_id)
        return None

    def validate_range_high(self, field) -> None:
        previous = self.previous
        if previous is None or not previous.branches or previous.kind != AnswerKind.NUMBER \
                or self.any_other.data:
            return
        low, high = self.range_low.data, field.data
        if low is None or high is None:
            raise ValidationError(_l("Question %(number)s depends on the answer: enter From "
                                     "and To, or tick “Any other answer”.",
                                     number=previous.number))
        if low > high:
            raise ValidationError(_l("“From” is greater than “To”."))
        bounds = (previous.min_value, previous.max_value)
        if (bounds[0] is not None and low < bounds[0]) or (
                bounds[1] is not None and high > bounds[1]):
            raise ValidationError(_l("Question %(number)s takes numbers from %(low)s to "
                                     "%(high)s.", number=previous.number,
                                     low=bounds[0] if bounds[0] is not None else "…",
                                     high=bounds[1] if bounds[1] is not None else "…"))

    def way_in(self) -> dict | None:
        """The first way in as typed: source, and option / range / nothing (any answer)."""
        previous = self.previous
        if previous is None:
            return None
        way = {"source_id": previous.id, "option_id": None, "range_low": None,
               "range_high": None}
        if previous.branches and previous.kind == AnswerKind.CHOICE and self.answer.data != ANY:
            way["option_id"] = int(self.answer.data)
        elif previous.branches and previous.kind == AnswerKind.NUMBER and not self.any_other.data:
            way["range_low"], way["range_high"] = self.range_low.data, self.range_high.data
        return way


def first_way_in(ways: list[Transition], question: Question | None) -> Transition | None:
    """The way in that the question form edits: the oldest; the others are "ways in"."""
    if question is None:
        return None
    return min((w for w in ways if w.target_id == question.id), key=lambda w: w.id,
               default=None)


def answer_choices(previous: Question | None) -> list[tuple[str, str]]:
    """The previous question's options, and "Any other answer"; nothing for a number."""
    if previous is None or previous.kind != AnswerKind.CHOICE:
        return [("", "")]
    return [("", "")] + [(str(o.id), o.text) for o in previous.options] + [
        (ANY, str(_l("Any other answer")))]


def shorten(text: str, limit: int = 60) -> str:
    """A question's text cut for a list: whole words, with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"

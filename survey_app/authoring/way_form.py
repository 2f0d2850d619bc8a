"""A way into a question: the previous question and the answer to it that leads here (an
option, a range of numbers, or any other answer). The question form edits its first way in;
"Add a way in" adds the others."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional, ValidationError

from survey_app.forms import Form, optional_int
from survey_app.models import AnswerKind, Question, Transition

ANY = "any"  # the Answer "Any other answer"
WHOLE = [Optional(), NumberRange(min=-999_999_999, max=999_999_999)]


class WayForm(Form):
    """A way in to `question`; setup() gives it the draft's questions and ways first."""

    previous_id = SelectField(_l("Previous question"), coerce=optional_int)
    answer = SelectField(_l("Answer"), default="", validate_choice=False)  # see validate_answer
    range_low = IntegerField(_l("From"), validators=WHOLE)
    range_high = IntegerField(_l("To"), validators=WHOLE)
    any_other = BooleanField(_l("Any other answer"))
    revision = HiddenField()

    def setup(self, questions: list[Question], ways: list[Transition],
              question: Question | None, way: Transition | None = None) -> "WayForm":
        """The draft's questions to choose from, its other ways, and the Answer choices of
        the chosen previous question; `way` is the way edited (None for a new one)."""
        self.questions = {q.id: q for q in questions}
        self.question, self.way = question, way
        self.ways = [w for w in ways if w is not way]
        self.previous_id.choices = [(None, "")] + [
            (q.id, f"{q.number}. {shorten(q.text)}") for q in questions
            if question is None or q.id != question.id]
        self.answer.choices = answer_choices(self.previous)
        return self

    def show(self, way: Transition) -> None:
        """The fields as the stored way has them."""
        self.previous_id.data = way.source_id
        self.answer.choices = answer_choices(self.previous)
        self.answer.data = str(way.option_id) if way.option_id is not None else ANY
        self.range_low.data, self.range_high.data = way.range_low, way.range_high
        self.any_other.data = way.option_id is None and way.range_low is None \
            and way.range_high is None

    @property
    def previous(self) -> Question | None:
        return self.questions.get(self.previous_id.data)

    def needs_previous(self) -> bool:
        return True

    def _branching(self, kind: AnswerKind) -> Question | None:
        """The previous question when it branches on its answer and is of this kind."""
        previous = self.previous
        if previous is not None and previous.branches and previous.kind == kind:
            return previous
        return None

    def validate_previous_id(self, field) -> None:
        if field.data is None:
            if self.needs_previous():
                raise ValidationError(_l("Choose the previous question: only the first "
                                         "question has none."))
            return
        previous = self.previous
        if previous is None:  # not one of the choices: the Select says so
            return
        taken = not previous.branches and self._leads_on(
            lambda w: w.option_id is None and w.range_low is None and w.range_high is None)
        if taken:
            raise ValidationError(_l(
                "Question %(number)s already leads to question %(target)s whatever the answer: "
                "tick “Next question depends on the answer” on question %(number)s first.",
                number=previous.number, target=taken.number))

    def validate_answer(self, field) -> None:
        previous = self._branching(AnswerKind.CHOICE)
        if previous is None:
            return
        if field.data not in {value for value, _label in field.choices if value}:
            raise ValidationError(
                _l("Question %(number)s depends on the answer: choose which answer leads "
                   "here.", number=previous.number) if not field.data else
                _l("Choose one of the answers of question %(number)s.", number=previous.number))
        option_id = None if field.data == ANY else int(field.data)
        taken = self._leads_on(lambda w: w.option_id == option_id and w.range_low is None
                               and w.range_high is None)
        if taken:
            raise ValidationError(_l("This answer of question %(number)s already leads to "
                                     "question %(target)s.", number=previous.number,
                                     target=taken.number))

    def validate_range_high(self, field) -> None:
        previous = self._branching(AnswerKind.NUMBER)
        if previous is None or self.any_other.data:
            return
        low, high = self.range_low.data, field.data
        if low is None or high is None:
            raise ValidationError(_l("Question %(number)s depends on the answer: enter From "
                                     "and To, or tick “Any other answer”.",
                                     number=previous.number))
        if low > high:
            raise ValidationError(_l("“From” is greater than “To”."))
        if not _within(low, high, previous.min_value, previous.max_value):
            raise ValidationError(_l("Question %(number)s takes numbers from %(low)s to "
                                     "%(high)s.", number=previous.number,
                                     low=_bound(previous.min_value),
                                     high=_bound(previous.max_value)))

    def _leads_on(self, matching) -> Question | None:
        """Another question that the previous question's way `matching` already leads to."""
        for way in self.ways:
            if way.source_id == self.previous_id.data and matching(way):
                return self.questions.get(way.target_id)
        return None

    def way_in(self) -> dict | None:
        """The way in as typed: source, and option / range / nothing (any answer)."""
        previous = self.previous
        if previous is None:
            return None
        way = {"source_id": previous.id, "option_id": None, "range_low": None,
               "range_high": None}
        if self._branching(AnswerKind.CHOICE) and self.answer.data != ANY:
            way["option_id"] = int(self.answer.data)
        elif self._branching(AnswerKind.NUMBER) and not self.any_other.data:
            way["range_low"], way["range_high"] = self.range_low.data, self.range_high.data
        return way


def _within(low: int, high: int, minimum: int | None, maximum: int | None) -> bool:
    return (minimum is None or low >= minimum) and (maximum is None or high <= maximum)


def _bound(value: int | None) -> str:
    return "…" if value is None else str(value)


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

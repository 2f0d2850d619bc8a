"""The question form, with the thesis's fields: the question itself and its first way in
("Previous question" and "Answer", from WayForm), checked against the draft it belongs to."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from survey_app.authoring.way_form import WHOLE, WayForm, first_way_in
from survey_app.language.words import ANSWER_KINDS
from survey_app.models import AnswerKind, Question, Transition
from survey_app.scripts.resolver import MAX_TEXT


class QuestionForm(WayForm):
    """A question of a draft, with the way in that the form edits (the oldest)."""

    text = TextAreaField(_l("Question text"), validators=[DataRequired(), Length(max=MAX_TEXT)])
    kind = SelectField(_l("Answer kind"), default=AnswerKind.CHOICE.value,
                       choices=lambda: [(k.value, ANSWER_KINDS[k.value]) for k in AnswerKind])
    min_value = IntegerField(_l("Minimum"), validators=WHOLE)
    max_value = IntegerField(_l("Maximum"), validators=WHOLE)
    is_first = BooleanField(_l("First question"))
    is_last = BooleanField(_l("Last question"))
    branches = BooleanField(_l("Next question depends on the answer"))
    allows_refusal = BooleanField(_l("The client may refuse or not know (key 0)"))

    def setup(self, questions: list[Question], ways: list[Transition],
              question: Question | None, way: Transition | None = None) -> "QuestionForm":
        self.first_way = first_way_in(ways, question)
        super().setup(questions, ways, question, self.first_way)
        return self

    def needs_previous(self) -> bool:
        return not self.is_first.data

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

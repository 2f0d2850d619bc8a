"""What is wrong in a questionnaire file, each problem named with where it is (its JSON path,
"$.questions[2].options[0].text"): broken JSON, the schema (docs/questionnaire.schema.json),
then what a schema cannot say (unique keys and numbers, ways to known questions and options),
then the graph checks. A file with any problem is imported not at all."""
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask_babel import gettext as _
from jsonschema import Draft202012Validator

from survey_app.language.findings import problem as finding_words
from survey_app.scripts import checks
from survey_app.scripts.resolver import Graph, Option, Question, Transition

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "questionnaire.schema.json"
SHOWN = 20  # problems listed at most: the first ones say what is wrong


@dataclass(frozen=True)
class FileProblem:
    path: str  # "$.questions[2].text", or "" for the file as a whole
    message: str


class Refused(Exception):
    def __init__(self, problems: list[FileProblem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems[:SHOWN]
        self.count = len(problems)


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def read(raw: bytes | str) -> dict:
    """The file's questionnaire, checked whole; Refused with every problem found first."""
    try:
        data = json.loads(raw)
    except UnicodeDecodeError:
        raise Refused([FileProblem("", _("The file is not text in UTF-8."))]) from None
    except json.JSONDecodeError as error:
        raise Refused([FileProblem("", _("Not JSON: %(what)s at line %(line)s, column "
                                         "%(column)s.", what=error.msg, line=error.lineno,
                                         column=error.colno))]) from None
    problems = [_schema_problem(e) for e in sorted(_validator().iter_errors(data),
                                                   key=lambda e: list(e.absolute_path))]
    if problems:
        raise Refused(problems)
    problems = _references(data["questions"])
    if problems:
        raise Refused(problems)
    problems = [FileProblem(_question_path(data, p), finding_words(p))
                for p in checks.blocking(checks.check(graph_of(data)))]
    if problems:
        raise Refused(problems)
    return data


def _path(parts) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


def _schema_problem(error) -> FileProblem:
    """The schema's finding in the user's words; jsonschema's own English otherwise."""
    where, value = _path(error.absolute_path), error.validator_value
    words = {
        "required": lambda: _("“%(field)s” is missing.", field=error.message.split("'")[1]),
        "additionalProperties": lambda: _("Unknown field: %(detail)s.",
                                          detail=error.message.split("(")[-1].rstrip(")")),
        "type": lambda: _("Should be %(type)s.", type=_type_words(value)),
        "minLength": lambda: _("Empty."),
        "pattern": lambda: _("Empty or not allowed: %(value)s.", value=json.dumps(
            error.instance, ensure_ascii=False)[:60]),
        "maxLength": lambda: _("Longer than %(limit)s characters.", limit=value),
        "minItems": lambda: _("Needs at least %(count)s.", count=value),
        "maxItems": lambda: _("More than %(count)s.", count=value),
        "enum": lambda: _("Should be one of: %(values)s.", values=", ".join(map(str, value))),
        "const": lambda: _("Should be %(value)s.", value=json.dumps(value)),
        "minimum": lambda: _("Less than %(limit)s.", limit=value),
        "maximum": lambda: _("More than %(limit)s.", limit=value),
        "not": lambda: _("A way on is taken either on an option or on a range, not both."),
    }
    word = words.get(error.validator)
    return FileProblem(where, word() if word else error.message)


def _type_words(value) -> str:
    names = {"object": _("an object"), "array": _("a list"), "string": _("text"),
             "integer": _("a whole number"), "boolean": _("true or false"),
             "null": _("null")}
    kinds = value if isinstance(value, list) else [value]
    return _(" or ").join(str(names.get(k, k)) for k in kinds)


def _references(questions: list[dict]) -> list[FileProblem]:
    """Keys and numbers each once; ways to known questions, on the question's own options."""
    problems, keys, numbers, option_keys = [], {}, set(), set()
    for i, q in enumerate(questions):
        problems += _unique(f"$.questions[{i}]", q, keys, numbers, option_keys)
    for i, q in enumerate(questions):
        problems += _ways(f"$.questions[{i}]", q, keys)
    return problems


def _unique(at: str, q: dict, keys: dict, numbers: set, option_keys: set) -> list[FileProblem]:
    problems = []
    if q["key"] in keys:
        problems.append(FileProblem(f"{at}.key", _("Another question has the key “%(key)s”.",
                                                   key=q["key"])))
    if q["number"] in numbers:
        problems.append(FileProblem(f"{at}.number", _("Another question has the number "
                                                      "%(number)s.", number=q["number"])))
    keys[q["key"]] = q
    numbers.add(q["number"])
    for k, option in enumerate(q.get("options", [])):
        if option["key"] in option_keys:
            problems.append(FileProblem(f"{at}.options[{k}].key", _(
                "Another option has the key “%(key)s”.", key=option["key"])))
        option_keys.add(option["key"])
    if q.get("options") and q["kind"] != "choice":
        problems.append(FileProblem(f"{at}.options", _("Only a single-choice question has "
                                                       "options.")))
    low, high = q.get("minimum"), q.get("maximum")
    if low is not None and high is not None and low > high:
        problems.append(FileProblem(f"{at}.maximum", _("The maximum is below the minimum.")))
    return problems


def _ways(at: str, q: dict, keys: dict) -> list[FileProblem]:
    problems, options = [], {o["key"] for o in q.get("options", [])}
    for k, way in enumerate(q.get("ways_on", [])):
        where = f"{at}.ways_on[{k}]"
        if way["next"] not in keys:
            problems.append(FileProblem(f"{where}.next", _("No question has the key "
                                                           "“%(key)s”.", key=way["next"])))
        if "option" in way and way["option"] not in options:
            problems.append(FileProblem(f"{where}.option", _(
                "Question %(number)s has no option with the key “%(key)s”.",
                number=q["number"], key=way["option"])))
        problems += _range_problem(where, q, way.get("range"))
    return problems


def _range_problem(where: str, q: dict, bounds) -> list[FileProblem]:
    if bounds is None:
        return []
    if q["kind"] != "number":
        return [FileProblem(f"{where}.range", _("Only a number question has ranges."))]
    if bounds[0] is not None and bounds[1] is not None and bounds[0] > bounds[1]:
        return [FileProblem(f"{where}.range", _("“From” is greater than “To”."))]
    return []


def graph_of(data: dict) -> Graph:
    """The file's graph for the checks, numbered in file order (ids are positions)."""
    qids = {q["key"]: i + 1 for i, q in enumerate(data["questions"])}
    oids = {o["key"]: n + 1 for n, o in enumerate(
        o for q in data["questions"] for o in q.get("options", []))}
    questions = [Question(
        id=qids[q["key"]], number=q["number"], text=q["text"], kind=q["kind"],
        is_first=q.get("first", False), is_last=q.get("last", False),
        min_value=q.get("minimum"), max_value=q.get("maximum"),
        allows_refusal=q.get("allows_refusal", False),
        options=tuple(Option(oids[o["key"]], o["text"]) for o in q.get("options", [])))
        for q in data["questions"]]
    ways = [Transition(qids[q["key"]], qids[w["next"]], oids.get(w.get("option")),
                       *(w.get("range") or (None, None)))
            for q in data["questions"] for w in q.get("ways_on", [])]
    return Graph(questions, ways)


def _question_path(data: dict, found: checks.Problem) -> str:
    if found.question_id is None:
        return "$.questions"
    return f"$.questions[{found.question_id - 1}]"

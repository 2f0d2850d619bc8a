"""What changed between two versions of a questionnaire, lined up by the questions' and
options' keys (copied with each draft): pure, no Flask and no database."""
from dataclasses import dataclass, field

FIELDS = ("text", "kind", "is_first", "is_last", "min_value", "max_value", "allows_refusal",
          "branches")


@dataclass(frozen=True)
class Side:
    """One version's question as compared: its fields and options (key → text)."""

    key: str
    number: int
    values: dict
    options: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Way:
    """A way as compared: from and to question keys, on an option key, a range, or any."""

    source: str
    target: str
    option: str | None = None
    low: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class Change:
    """A question in both versions: the fields changed (name → (old, new)) and options."""

    old: Side
    new: Side
    fields: dict
    options_added: tuple[str, ...] = ()
    options_removed: tuple[str, ...] = ()
    options_renamed: tuple[tuple[str, str], ...] = ()


@dataclass
class Comparison:
    added: list[Side]
    removed: list[Side]
    changed: list[Change]
    ways_added: list[Way]
    ways_removed: list[Way]

    @property
    def same(self) -> bool:
        return not (self.added or self.removed or self.changed or self.ways_added
                    or self.ways_removed)


def compare(old: list[Side], new: list[Side], old_ways: set[Way],
            new_ways: set[Way]) -> Comparison:
    """From version `old` to version `new`; lists in the new (or old) questions' order."""
    before, after = {q.key: q for q in old}, {q.key: q for q in new}
    changes = [_change(before[q.key], q) for q in new if q.key in before]
    return Comparison(
        added=_missing(new, before), removed=_missing(old, after),
        changed=[c for c in changes if c],
        ways_added=sorted(new_ways - old_ways, key=_order(after)),
        ways_removed=sorted(old_ways - new_ways, key=_order(before)))


def _missing(questions: list[Side], other: dict[str, Side]) -> list[Side]:
    return [q for q in questions if q.key not in other]


def _change(old: Side, new: Side) -> Change | None:
    fields = {name: (old.values.get(name), new.values.get(name)) for name in FIELDS
              if old.values.get(name) != new.values.get(name)}
    if old.number != new.number:
        fields["number"] = (old.number, new.number)
    added, removed, renamed = _options(old.options, new.options)
    if not (fields or added or removed or renamed):
        return None
    return Change(old, new, fields, added, removed, renamed)


def _options(old: dict[str, str], new: dict[str, str]):
    """The option texts added and removed, and the (old, new) texts of those renamed."""
    added = tuple(text for key, text in new.items() if key not in old)
    removed = tuple(text for key, text in old.items() if key not in new)
    renamed = tuple((old[key], text) for key, text in new.items()
                    if key in old and old[key] != text)
    return added, removed, renamed


def _order(questions: dict[str, Side]):
    def key(way: Way):
        source = questions.get(way.source)
        return (source.number if source else 0, way.low or 0, way.option or "", way.target)
    return key

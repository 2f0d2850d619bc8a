"""The comparison of two versions, lined up by keys (pure)."""
from survey_app.scripts.comparison import Side, Way, compare


def side(key, number, text, **values):
    options = values.pop("options", {})
    return Side(key, number, {"text": text, "kind": "choice", **values}, options)


OLD = [side("a", 1, "Чи сподобався?", options={"y": "Так", "n": "Ні"}),
       side("b", 2, "Чому?"), side("c", 3, "Дякуємо")]
WAYS = {Way("a", "b", option="y"), Way("a", "c", option="n"), Way("b", "c")}


def test_the_same_version_has_no_change():
    assert compare(OLD, OLD, WAYS, WAYS).same


def test_added_removed_and_changed_questions_by_key_not_by_number():
    new = [side("a", 1, "Чи сподобався вебінар?", options={"y": "Так", "n": "Ні, не дуже",
                                                            "m": "Не знаю"}),
           side("c", 2, "Дякуємо"), side("d", 3, "Ще щось?")]
    found = compare(OLD, new, WAYS, WAYS)
    assert [q.key for q in found.added] == ["d"] and [q.key for q in found.removed] == ["b"]
    by_key = {c.new.key: c for c in found.changed}
    assert by_key["a"].fields == {"text": ("Чи сподобався?", "Чи сподобався вебінар?")}
    assert by_key["a"].options_added == ("Не знаю",)
    assert by_key["a"].options_renamed == (("Ні", "Ні, не дуже"),)
    assert by_key["c"].fields == {"number": (3, 2)}  # renumbered, otherwise the same


def test_ways_added_and_removed_in_question_order():
    new_ways = {Way("a", "b", option="y"), Way("a", "b", option="n"), Way("b", "c", low=1,
                                                                       high=5)}
    found = compare(OLD, OLD, WAYS, new_ways)
    assert found.ways_added == [Way("a", "b", option="n"), Way("b", "c", low=1, high=5)]
    assert found.ways_removed == [Way("a", "c", option="n"), Way("b", "c")]

"""The Ukrainian catalog is complete and current: every string the code and templates show
has a translation, none is fuzzy or left over, placeholders match, and the .mo follows it."""
import shutil

import pytest
from babel.messages.pofile import read_po

from survey_app.language import catalogs

PO = catalogs.DIRECTORY / "uk" / "LC_MESSAGES" / "messages.po"


@pytest.fixture(scope="module")
def catalog():
    return catalogs.read(PO)


def _key(message) -> tuple:
    return (message.context, message.id)


def _forms(message) -> tuple:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def test_every_message_has_a_ukrainian_translation(catalog):
    untranslated = [m.id for m in catalog if m.id and not all(_forms(m))]
    assert untranslated == []


def test_no_entry_is_fuzzy(catalog):
    assert [m.id for m in catalog if m.id and m.fuzzy] == []


def test_no_obsolete_entry_is_kept():
    assert "#~" not in PO.read_text(encoding="utf-8")


def test_plurals_have_the_three_ukrainian_forms(catalog):
    assert catalog.num_plurals == 3
    plurals = [m for m in catalog if m.pluralizable]
    assert plurals and all(len(m.string) == 3 for m in plurals)


def test_translations_keep_the_placeholders_of_their_message(catalog):
    assert [(m.id, str(e)) for m in catalog if m.id for e in m.check(catalog)] == []


def test_every_string_in_the_code_is_in_the_catalog_and_nothing_else_is(catalog):
    extracted = {_key(m) for m in catalogs.extract() if m.id}
    translated = {_key(m) for m in catalog if m.id}
    assert sorted(extracted - translated, key=str) == [], "run `make messages` and translate"
    assert sorted(translated - extracted, key=str) == [], "msgids the code no longer has"


def test_a_missing_or_older_compiled_catalog_is_compiled_at_start(tmp_path):
    copy = tmp_path / "uk" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    shutil.copy(PO, copy / "messages.po")
    catalogs.ensure_compiled(tmp_path)
    compiled = copy / "messages.mo"
    assert compiled.exists()
    from babel.support import Translations
    assert Translations.load(tmp_path, ["uk"]).gettext("Next") == "Далі"

    po_text = (copy / "messages.po").read_text(encoding="utf-8")
    (copy / "messages.po").write_text(po_text.replace('msgstr "Далі"', 'msgstr "Вперед"'),
                                      encoding="utf-8")
    newer = compiled.stat().st_mtime + 5
    import os
    os.utime(copy / "messages.po", (newer, newer))
    catalogs.ensure_compiled(tmp_path)
    assert Translations.load(tmp_path, ["uk"]).gettext("Next") == "Вперед"


def test_the_catalog_reads_as_babel_writes_it():
    # a hand edit that breaks the file's syntax fails here, not at a user's first request
    with PO.open("rb") as source:
        assert len(read_po(source, locale="uk")) > 250

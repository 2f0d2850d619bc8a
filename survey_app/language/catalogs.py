"""The translation catalogs: messages.po is committed, messages.mo is compiled from it.

`flask translations update` (make messages) extracts every string from the code and the
templates and merges them into each language's messages.po; the tests run the same
extraction to find a string missing from a catalog or a msgid the code no longer has.
`make run` and `make test` compile the .mo files; the app also compiles a missing or older
.mo at start, so a server started any other way never speaks from a stale catalog.
"""
import logging
import os
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
DIRECTORY = ROOT / "translations"
KEYWORDS = DEFAULT_KEYWORDS | {"_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2),
                               "lazy_pgettext": ((1, "c"), 2)}
log = logging.getLogger(__name__)


def ensure_compiled(directory: Path = DIRECTORY) -> None:
    """Compile each language's messages.po whose messages.mo is missing or older."""
    for po in directory.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        try:
            _compile(po, mo)
        except OSError:  # a read-only install: say so, and serve what is there
            log.exception("could not compile %s", po)


def _compile(po: Path, mo: Path) -> None:
    catalog = read(po)
    # written aside and renamed: a process starting beside this one never reads half a file
    handle, temporary = tempfile.mkstemp(dir=mo.parent, suffix=".mo")
    with os.fdopen(handle, "wb") as target:
        write_mo(target, catalog)
    os.replace(temporary, mo)


def read(po: Path) -> Catalog:
    with po.open("rb") as source:
        return read_po(source, locale=po.parts[-3])


def extract(root: Path = ROOT) -> Catalog:
    """Every string a user sees, as the code and the templates have them now."""
    with (root / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    template = Catalog(project="Survey app", fuzzy=False)
    for filename, line, message, comments, context in extract_from_dir(
            root, method_map, options_map, keywords=KEYWORDS,
            comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
        template.add(message, None, [(filename, line)], auto_comments=comments,
                     context=context)
    return template


def update(directory: Path = DIRECTORY) -> dict[str, int]:
    """Merge the extracted strings into each messages.po; how many still need a translation."""
    template = extract()
    with (directory / "messages.pot").open("wb") as pot:
        write_po(pot, template, no_location=True, sort_output=True)
    untranslated = {}
    for po in directory.glob("*/LC_MESSAGES/messages.po"):
        catalog = read(po)
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        with po.open("wb") as target:
            write_po(target, catalog, no_location=True, sort_output=True, ignore_obsolete=True)
        untranslated[po.parts[-3]] = sum(1 for m in catalog if m.id and not all(
            m.string if isinstance(m.string, tuple) else (m.string,)))
    return untranslated

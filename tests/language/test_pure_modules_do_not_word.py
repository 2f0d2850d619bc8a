"""The pure modules return codes and values and never call gettext: the web layer words them
(survey_app/language). Their imports say so; tests/test_structure.py holds the whole graph."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "survey_app"
PURE = ["scripts/resolver.py", "scripts/checks.py", "scripts/walks.py",
        "scripts/fields.py", "scripts/comparison.py", "telephony/link.py", "names.py",
        "phones.py"] + sorted(str(p.relative_to(PACKAGE))
                              for p in (PACKAGE / "telephony" / "calls").glob("*.py"))
WORDING = {"flask", "flask_babel", "babel", "gettext", "jinja2", "wtforms", "sqlalchemy"}


def _imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def _called(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.func.id for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}


@pytest.mark.parametrize("module", PURE)
def test_a_pure_module_imports_no_wording_and_calls_no_gettext(module):
    path = PACKAGE / module
    assert _imported(path) & WORDING == set()
    assert _called(path) & {"_", "gettext", "ngettext", "lazy_gettext", "_l"} == set()

"""The architecture holds: pure modules load without the web, the database or I/O, counting
the package __init__ files Python runs on the way; import-linter's contracts are kept; every
function is simple enough to hold in one's head."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PURE = ["survey_app.scripts.resolver", "survey_app.scripts.checks",
        "survey_app.scripts.walks", "survey_app.scripts.fields",
        "survey_app.scripts.comparison",
        "survey_app.telephony.calls.translator", "survey_app.telephony.calls.click_to_call",
        "survey_app.telephony.link", "survey_app.names", "survey_app.phones",
        "survey_app.passwords"]
NEVER_LOADED = {"flask", "flask_babel", "flask_login", "flask_wtf", "flask_sqlalchemy",
                "sqlalchemy", "wtforms", "jinja2", "babel", "redis", "asterisk", "socket",
                "survey_app.extensions", "survey_app.models", "survey_app.language"}
MAX_COMPLEXITY = 10


def _loaded_by(module: str) -> set[str]:
    """What importing `module` in a fresh interpreter loads, package __init__ files included."""
    before = (f"import sys, json; ambient = set(sys.modules); import {module}; "
              "print(json.dumps(sorted(set(sys.modules) - ambient)))")
    out = subprocess.run([sys.executable, "-c", before], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    return set(json.loads(out))


@pytest.mark.parametrize("module", PURE)
def test_a_pure_module_loads_without_the_web_or_the_database(module):
    loaded = _loaded_by(module)
    assert {m for m in loaded if m in NEVER_LOADED or m.split(".")[0] in NEVER_LOADED} == set()


def test_the_import_contracts_are_kept():
    result = subprocess.run([str(Path(sys.executable).parent / "lint-imports"), "--no-logo",
                             "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_function_is_at_most_complexity_10_by_radon():
    from radon.complexity import cc_visit
    too_complex = []
    for path in sorted((ROOT / "survey_app").rglob("*.py")):
        for block in cc_visit(path.read_text(encoding="utf-8")):
            if block.complexity > MAX_COMPLEXITY:
                too_complex.append(f"{path.relative_to(ROOT)}:{block.lineno} {block.fullname} "
                                   f"{block.complexity}")
    assert too_complex == []

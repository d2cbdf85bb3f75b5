"""The rule engine depends on no domain app: queries over cases belong to the case file."""

from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[1]
# The pages and the pack-sync command are callers of the engine, not part of it.
CALLERS = {"views.py", "urls.py"}
FORBIDDEN = ("cases", "work", "plans", "referrals", "assessments", "people", "consent")


def _imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return modules


def test_policy_engine_imports_no_case_work_module():
    sources = [
        p
        for p in ENGINE.rglob("*.py")
        if p.name not in CALLERS and "tests" not in p.parts and "migrations" not in p.parts
    ]
    assert any(p.name == "selectors.py" for p in sources)
    offenders = {
        str(path.relative_to(ENGINE)): sorted(
            m for m in _imported_modules(path) if m.split(".")[0] in FORBIDDEN
        )
        for path in sources
    }
    assert {k: v for k, v in offenders.items() if v} == {}

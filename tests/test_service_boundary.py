"""The TUI and the CLI reach the database only through services (issue 10, "A closed service
boundary"): they import nothing from SQLModel or SQLAlchemy but the Session type and the database
errors they report, never run a query or fetch a row, and look a case up by reference through
`cases.case_by_reference` (plain data), not `find_case` (a table row)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "caseterm"
ALLOWED_IMPORTS = {"Session", "DBAPIError", "InterfaceError", "OperationalError", "make_url"}
SESSION_NAMES = {"session", "s", "db_session"}
QUERY_METHODS = {"exec", "execute", "get", "scalar", "scalars", "query", "add", "delete", "flush"}


def _violations(path: Path, root: Path = SRC.parent) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in (
            "sqlmodel",
            "sqlalchemy",
        ):
            names = [a.name for a in node.names if a.name not in ALLOWED_IMPORTS]
            found += [f"imports {node.module}.{name}" for name in names]
        elif isinstance(node, ast.Import):
            found += [
                f"imports {a.name}"
                for a in node.names
                if a.name.split(".")[0] in ("sqlmodel", "sqlalchemy")
            ]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target, method = node.func.value, node.func.attr
            if (
                isinstance(target, ast.Name)
                and target.id in SESSION_NAMES
                and method in QUERY_METHODS
            ):
                found.append(f"calls {target.id}.{method}")
            if method == "find_case":
                found.append("calls find_case")
    return [f"{path.relative_to(root)}:{v}" for v in found]


def test_the_tui_and_the_cli_never_touch_the_session() -> None:
    files = sorted([*(SRC / "tui").rglob("*.py"), *(SRC / "cli").rglob("*.py")])
    assert len(files) > 100  # the walk sees the tree
    assert [v for f in files for v in _violations(f)] == []


def test_the_walk_sees_a_query_and_an_orm_import(tmp_path: Path) -> None:
    """The check can fail: each way of reaching past a service is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from sqlmodel import Session, select\n"
        "import sqlalchemy\n"
        "def f(session: Session) -> None:\n"
        "    session.exec(select(1))\n"
        "    session.get(object, 1)\n"
        "    cases.find_case(session, 'X')\n",
        encoding="utf-8",
    )
    found = [v.split(":", 1)[1] for v in _violations(bad, tmp_path)]
    assert found == [
        "imports sqlmodel.select",
        "imports sqlalchemy",
        "calls session.exec",
        "calls session.get",
        "calls find_case",
    ]

"""Every service that changes data writes an audit event in the same transaction, and none
changes or deletes audit rows. The test walks `caseterm.core.services.*`: a public function that
is not listed in `tests/audit_scenarios/` fails here by name (see that package's docstring)."""

from __future__ import annotations

import ast
import hashlib
import importlib
import inspect
import pkgutil
import re
import sqlite3
import textwrap
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import col, func, select

import caseterm.core.services as services_pkg
from caseterm.core import clock
from caseterm.core.models import AuditEvent
from caseterm.core.storage.database import Database
from caseterm.core.storage.opening import open_database
from tests import audit_scenarios
from tests.audit_scenarios import NOW, PARTS, READS, SCENARIOS, Audited, Ephemeral
from tests.factories import World, build_world

audit_scenarios.load_all()

JOURNAL_TABLES = {"audit_event", "access_log", "edit_presence", "draft", "notification"}
# The one exception to "audit rows are never changed": retention redacts the personal content
# of events about the people and cases it anonymises (who/when/what stay). Never a DELETE.
MAY_REDACT_AUDIT = {"retention.run_retention"}
WRITE_SQL = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
DB_ATTRS = {"add", "add_all", "delete", "merge", "bulk_save_objects", "bulk_insert_mappings"}
SQL_WRITERS = {"insert", "update", "delete"}


def service_functions() -> dict[str, Any]:
    found = {}
    for info in pkgutil.iter_modules(services_pkg.__path__):
        module = importlib.import_module(f"{services_pkg.__name__}.{info.name}")
        for name, obj in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(obj):
                continue
            if obj.__module__ == module.__name__:
                found[f"{info.name}.{name}"] = obj
    return found


FUNCTIONS = service_functions()
AUDITED = sorted(k for k, v in SCENARIOS.items() if isinstance(v, Audited))
EPHEMERAL = sorted(k for k, v in SCENARIOS.items() if isinstance(v, Ephemeral))


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_service_function_is_classified(name: str) -> None:
    listed = [
        kind
        for kind, table in (("reads", READS), ("part", PARTS), ("scenario", SCENARIOS))
        if name in table
    ]
    assert listed, (
        f"caseterm.core.services.{name} is not listed in tests/audit_scenarios/: add an "
        "`audited` scenario (it changes data), `ephemeral`, `reads` or `part` entry"
    )


def test_registry_names_only_existing_functions() -> None:
    stale = sorted((set(READS) | set(PARTS) | set(SCENARIOS)) - set(FUNCTIONS))
    assert not stale, f"listed in tests/audit_scenarios but not found in services: {stale}"


# --- running scenarios on copies of one world -------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, World]]:
    path = tmp_path_factory.mktemp("template") / "world.db"
    db = open_database(str(path)).db
    clock.freeze(NOW - timedelta(days=1))
    try:
        world = build_world(db)
    finally:
        clock.freeze(None)
    db.dispose()
    yield path, world


@pytest.fixture
def world_copy(template: tuple[Path, World], tmp_path: Path) -> Iterator[World]:
    source, world = template
    target = tmp_path / "copy.db"
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    db = Database("sqlite:///" + str(target))
    clock.freeze(NOW)
    try:
        yield replace(world, db=db)
    finally:
        clock.freeze(None)
        db.dispose()


def fingerprint(path: Path) -> dict[str, str]:
    """A digest of every row of every table (FTS shadow tables left out)."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE '%fts%'"
            )
        ]
        digest = {}
        for table in tables:
            h = hashlib.sha256()
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                h.update(repr(row).encode())
            digest[table] = h.hexdigest()
        return digest
    finally:
        conn.close()


class Captured:
    """The INSERT/UPDATE/DELETE statements a database sees, as (verb, table)."""

    def __init__(self, db: Database) -> None:
        self.writes: list[tuple[str, str]] = []
        self.engine = db.engine
        event.listen(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        m = WRITE_SQL.match(statement)
        if m:
            self.writes.append((m[1].split()[0].upper(), m[2].lower()))

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


class Rollback(Exception):
    pass


def _run(world: World, name: str) -> tuple[list[str], Captured, dict[str, str], dict[str, str]]:
    scenario = SCENARIOS[name]
    prepared = scenario.setup(world) if scenario.setup else None
    path = world.db.path
    assert path is not None
    world.db.engine.dispose()
    before = fingerprint(path)
    captured = Captured(world.db)
    actions: list[str] = []
    try:
        with world.db.write() as s:
            last = s.exec(select(func.max(AuditEvent.id))).one() or 0
            scenario.run(s, world, prepared)
            s.flush()
            actions = list(s.exec(select(AuditEvent.action).where(col(AuditEvent.id) > last)).all())
            raise Rollback
    except Rollback:
        pass
    finally:
        captured.close()
    world.db.engine.dispose()
    return actions, captured, before, fingerprint(path)


@pytest.mark.parametrize("name", AUDITED)
def test_change_writes_its_audit_event_in_the_same_transaction(
    world_copy: World, name: str
) -> None:
    scenario = SCENARIOS[name]
    assert isinstance(scenario, Audited)
    actions, captured, before, after = _run(world_copy, name)
    assert scenario.action in actions, f"{name} wrote audit actions {actions}"
    data_writes = [w for w in captured.writes if w[1] not in JOURNAL_TABLES]
    if scenario.changes_data:
        assert data_writes, f"{name}'s scenario changed nothing but the journal: {captured.writes}"
    else:
        assert not data_writes, f"{name} is an audited read but wrote {data_writes}"
    assert ("INSERT", "audit_event") in captured.writes
    assert after == before, "rolling back the transaction must remove the change and its event"
    touched = {w for w in captured.writes if w[1] == "audit_event" and w[0] != "INSERT"}
    if name in MAY_REDACT_AUDIT:
        assert touched <= {("UPDATE", "audit_event")}, touched
    else:
        assert not touched, f"{name} changed or deleted audit rows: {touched}"


@pytest.mark.parametrize("name", EPHEMERAL)
def test_ephemeral_writes_only_its_own_tables(world_copy: World, name: str) -> None:
    scenario = SCENARIOS[name]
    assert isinstance(scenario, Ephemeral)
    actions, captured, _before, _after = _run(world_copy, name)
    tables = {t for _verb, t in captured.writes}
    assert tables, f"{name}'s scenario wrote nothing; is it really a writer?"
    assert tables <= scenario.tables, f"{name} wrote {tables - scenario.tables}"
    assert not actions, f"{name} wrote audit events {actions}"


# --- reading the source ----------------------------------------------------------------------


def _writes_in_source(fn: Any, changing: set[str], seen: set[str] | None = None) -> list[str]:
    """Calls in `fn`'s source that write, following the module's own private helpers."""
    seen = seen if seen is not None else set()
    seen.add(fn.__name__)
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        target = node.func
        if isinstance(target, ast.Attribute):
            owner = target.value.id if isinstance(target.value, ast.Name) else ""
            if target.attr in DB_ATTRS and owner in {"session", "s"}:
                found.append(f"session.{target.attr}")
            if target.attr == "record" or target.attr in changing:
                found.append(f"{owner}.{target.attr}")
        elif isinstance(target, ast.Name):
            if target.id in SQL_WRITERS or target.id in changing:
                found.append(target.id)
            helper = fn.__globals__.get(target.id)
            if (
                target.id.startswith("_")
                and inspect.isfunction(helper)
                and helper.__module__ == fn.__module__
                and target.id not in seen
            ):
                found += [f"{target.id} → {w}" for w in _writes_in_source(helper, changing, seen)]
    return found


@pytest.mark.parametrize("name", sorted(READS))
def test_reads_only_functions_do_not_write(name: str) -> None:
    if name not in FUNCTIONS:
        pytest.fail(f"{name} is listed as reads-only but does not exist")
    # Calling an ephemeral function (journal tables only) is allowed; a changing one is not.
    changing = {n.split(".", 1)[1] for n in set(AUDITED) | set(PARTS)} - {"get"}
    writes = _writes_in_source(FUNCTIONS[name], changing)
    assert not writes, f"{name} is listed as reads-only but calls {writes}"


def test_no_service_updates_or_deletes_audit_rows_in_its_source() -> None:
    offenders = []
    for info in pkgutil.iter_modules(services_pkg.__path__):
        source = Path(services_pkg.__path__[0], f"{info.name}.py").read_text()
        for pattern in (
            r"update\(\s*AuditEvent",
            r"delete\(\s*AuditEvent",
            r"(?i)(update|delete\s+from)\s+audit_event",
        ):
            if re.search(pattern, source):
                offenders.append(f"{info.name}: {pattern}")
    assert not offenders, offenders

"""Migration 0030 (enforcement paths, holds, the officer's decision on a step): a database of
the revision before, holding a step the money run proposed, upgrades in place; the step reads
as proposed with no decision, and the new tables are there, empty."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from sqlmodel import select

from caseterm.core.models import EnforcementHold, EnforcementPath, EnforcementStep
from caseterm.core.storage import migrate
from caseterm.core.storage.database import Database
from caseterm.core.storage.opening import open_database


def test_a_proposed_step_survives_the_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(f"sqlite:///{path}")
    cfg = migrate.alembic_config(old)
    with old.engine.begin() as alembic_conn:
        cfg.attributes["connection"] = alembic_conn
        command.upgrade(cfg, "0026")
    old.dispose()
    now = "'2026-11-23 01:30:00'"
    with sqlite3.connect(path) as raw:
        raw.execute(
            "INSERT INTO case_type (id, code, name, ref_prefix, retention_years, fta_limit,"
            " fta_window_months, active) VALUES (3, 'FINE', 'Fines enforcement', 'FE', 6, 2,"
            " 12, 1)"
        )
        raw.execute(
            "INSERT INTO person (id, created_at, updated_at, given_name, family_name, title,"
            f" gender, language, interpreter, anonymised, version) VALUES (5, {now}, {now},"
            " 'Ann', 'Smith', '', '', 'en', 0, 0, 1)"
        )
        raw.execute(
            "INSERT INTO case_file (id, created_at, updated_at, reference, case_type_id,"
            " subject_id, status, status_reason, priority, summary, restricted, version)"
            f" VALUES (7, {now}, {now}, 'FE/2026/000001', 3, 5, 'open', '', 3, '', 0, 1)"
        )
        raw.execute(
            "INSERT INTO enforcement_step (case_id, number, action, task_id, proposed_on,"
            f" created_at) VALUES (7, 0, 'reminder', NULL, '2026-11-23', {now})"
        )
    raw.close()
    opened = open_database(str(path))
    with opened.db.read() as s:
        step = s.exec(select(EnforcementStep)).one()
        assert s.exec(select(EnforcementHold)).all() == []
        assert s.exec(select(EnforcementPath)).all() == []
    opened.db.dispose()
    assert (step.case_id, step.action, step.status, step.decided_on, step.reason) == (
        7,
        "reminder",
        "proposed",
        None,
        "",
    )
    assert step.document_id is None and step.decided_by_id is None

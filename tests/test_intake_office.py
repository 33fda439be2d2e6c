"""Intake records the office a file arrived at: named when the folder is scanned
(`intake scan --office CODE`), else the scanner's own office; its incoming item is that office's
(triage there shows it); the waiting files list by office (`intake list --office CODE --json`);
an unknown office is refused before any file is touched; files taken before migration 0022 get
the office of whoever took them."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from sqlmodel import select

from caseterm.core.errors import ValidationError
from caseterm.core.models import AuditEvent, IntakeFile, Task
from caseterm.core.services import intake_files, triage
from caseterm.core.storage import intake_folder, migrate
from caseterm.core.storage.database import Database
from caseterm.core.storage.opening import open_database
from tests.cli import run_cli
from tests.factories import World

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + bytes(range(256))


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> None:
    """Received-at times are the frozen clock's."""


def _take(w: World, name: str, office: str = "") -> intake_files.Taken:
    with w.db.write() as s:
        return intake_files.take_file(
            s, w.clerk, filename=name, data=PDF + name.encode(), office_code=office
        )


def test_a_file_arrives_at_the_named_office_or_the_scanners_own(world: World) -> None:
    own = _take(world, "own.pdf")
    there = _take(world, "lan.pdf", office="lan")
    assert (own.info.office_code, own.info.office_name) == ("PRE", "Preston")
    assert (there.info.office_code, there.info.office_name) == ("LAN", "Lancaster")
    with world.db.read() as s:
        rows = {r.filename: r for r in s.exec(select(IntakeFile))}
        own_task = s.get(Task, own.info.task_id)
        lan_task = s.get(Task, there.info.task_id)
        summary = s.exec(
            select(AuditEvent.summary).where(
                AuditEvent.action == "intake.take", AuditEvent.entity_id == there.info.task_id
            )
        ).one()
    assert rows["own.pdf"].office_id == world.office.id == (own_task and own_task.office_id)
    assert rows["lan.pdf"].office_id == world.other_office.id
    assert lan_task is not None and lan_task.office_id == world.other_office.id
    assert "at LAN" in summary


def test_triage_at_an_office_shows_only_what_arrived_there(world: World) -> None:
    _take(world, "own.pdf")
    _take(world, "lan.pdf", office="LAN")
    with world.db.read() as s:
        counts = triage.incoming_counts(s, world.clerk)  # the clerk works at Preston
    assert (counts.due_here, counts.other_offices) == (1, 1)


def test_the_waiting_files_list_by_office(world: World) -> None:
    _take(world, "a.pdf")
    _take(world, "b.pdf", office="LAN")
    with world.db.read() as s:
        every = intake_files.waiting_files(s, world.clerk)
        lan = intake_files.waiting_files(s, world.clerk, office_code="lan")
        pre = intake_files.waiting_files(s, world.clerk, office_code="PRE")
    assert [f.filename for f in every] == ["a.pdf", "b.pdf"]
    assert [f.filename for f in lan] == ["b.pdf"] and [f.filename for f in pre] == ["a.pdf"]
    with pytest.raises(ValidationError) as err, world.db.read() as s:
        intake_files.waiting_files(s, world.clerk, office_code="XYZ")
    assert err.value.field == "office" and "LAN, PRE" in str(err.value)


def test_an_unknown_office_is_refused_and_nothing_is_written(world: World) -> None:
    with pytest.raises(ValidationError) as err, world.db.write() as s:
        intake_files.take_file(s, world.clerk, filename="x.pdf", data=PDF, office_code="NOPE")
    assert err.value.field == "office" and "'NOPE'" in str(err.value)
    with world.db.read() as s:
        assert s.exec(select(IntakeFile)).all() == []


@pytest.mark.sqlite_only  # the folder's handling; the database part runs on both
def test_a_scan_for_an_unknown_office_touches_no_file(world: World, tmp_path: Path) -> None:
    folder = tmp_path / "intake"
    folder.mkdir()
    (folder / "scan.pdf").write_bytes(PDF)
    with pytest.raises(ValidationError):
        intake_folder.scan(world.db, world.clerk, folder, "NOPE")
    assert [p.name for p in folder.iterdir()] == ["scan.pdf"]  # not rejected/, not done/
    report = intake_folder.scan(world.db, world.clerk, folder, "LAN")
    [(taken, _moved)] = report.taken
    assert taken.info.office_code == "LAN"


@pytest.mark.sqlite_only  # the command line's handling; the services run on both above
def test_intake_scan_and_list_by_office_from_the_command_line(world: World, tmp_path: Path) -> None:
    db = world.db.url
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "lan.pdf").write_bytes(PDF)
    bad = run_cli(tmp_path, "intake", "scan", "--folder", str(folder), "--office", "XYZ",
                  db=db, user="clerk")  # fmt: skip
    assert bad.code != 0 and "no office 'XYZ'" in bad.one_error_line()
    assert (folder / "lan.pdf").exists()
    scanned = run_cli(tmp_path, "intake", "scan", "--folder", str(folder), "--office", "LAN",
                      "--json", db=db, user="clerk")  # fmt: skip
    assert scanned.code == 0, scanned.err
    assert [t["office"] for t in scanned.json()["taken"]] == ["LAN"]
    (folder / "pre.pdf").write_bytes(PDF + b"pre")
    assert (
        run_cli(tmp_path, "intake", "scan", "--folder", str(folder), db=db, user="clerk").code == 0
    )
    lan = run_cli(tmp_path, "intake", "list", "--office", "LAN", "--json", db=db, user="clerk")
    assert [(x["filename"], x["office"]) for x in lan.json()] == [("lan.pdf", "LAN")]
    every = run_cli(tmp_path, "intake", "list", db=db, user="clerk")
    assert every.code == 0 and "OFFICE" in every.out and "LAN" in every.out and "PRE" in every.out
    with world.db.read() as s:
        offices = {r.filename: r.office_id for r in s.exec(select(IntakeFile))}
    assert offices == {"lan.pdf": world.other_office.id, "pre.pdf": world.office.id}


def _upgrade_to(path: Path, revision: str) -> Database:
    db = Database(f"sqlite:///{path}")
    cfg = migrate.alembic_config(db)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return db


@pytest.mark.sqlite_only
def test_files_taken_before_0022_get_the_office_of_whoever_took_them(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = _upgrade_to(path, "0018")
    with old.engine.begin() as conn:
        sql = conn.exec_driver_sql
        sql("INSERT INTO office (id, code, name, address) VALUES (7, 'PRE', 'Preston', '')")
        when = "'2026-11-20 09:00'"
        sql("INSERT INTO staff (id, created_at, updated_at, login, name, email, office_id, active,"
            f" version) VALUES (3, {when}, {when}, 'clerk', 'Claire', '', 7, 1, 1)")  # fmt: skip
        sql("INSERT INTO task (id, created_at, updated_at, kind, title, details, priority, status,"
            f" source, outcome, version) VALUES (5, {when}, {when}, 'post_in',"
            " 'Received file: a.pdf', '', 3, 'untriaged', 'intake folder', '', 1)")  # fmt: skip
        sql("INSERT INTO intake_file (id, task_id, filename, media_type, size, sha256, content,"
            " received_at, received_by_id) VALUES (1, 5, 'a.pdf', 'application/pdf', 3, 'abc',"
            " x'414243', '2026-11-20 09:00', 3)")  # fmt: skip
    old.dispose()
    open_database(str(path)).db.dispose()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT office_id, content FROM intake_file").fetchall() == [
            (7, b"ABC")
        ]
        assert conn.execute("SELECT office_id FROM task WHERE id = 5").fetchall() == [(7,)]

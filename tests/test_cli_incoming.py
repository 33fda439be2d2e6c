"""`caseterm incoming add`: post, phone messages and referrals logged for triage."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from sqlmodel import select

from caseterm.core.models import Task
from tests.cli import run_cli
from tests.factories import World


def test_add_with_whom_it_is_about(frozen_clock: datetime, world: World, tmp_path: Path) -> None:
    result = run_cli(
        tmp_path,
        "incoming",
        "add",
        "post",
        "Letter about a warrant",
        "--about",
        "Siobhan O'Neill",
        "--dob",
        "12/04/1988",
        "--from",
        "Preston Magistrates' Court",
        "--details",
        "-",
        "--json",
        db=world.db.url,
        user="clerk",
        stdin="Second page missing\nwill chase\n",
    )
    assert result.code == 0, result.err
    shown = json.loads(result.out)
    with world.db.read() as s:
        task = s.exec(select(Task).where(Task.id == shown["id"])).one()
    assert (task.kind, task.status, task.title) == (
        "post_in",
        "untriaged",
        "Letter about a warrant",
    )
    assert (task.about_name, task.about_dob) == ("Siobhan O'Neill", date(1988, 4, 12))
    assert task.source == "Preston Magistrates' Court"
    assert task.details == "Second page missing\nwill chase"
    assert shown["about_dob"] == "1988-04-12" and shown["status"] == "untriaged"


def test_plain_output_and_refusals(frozen_clock: datetime, world: World, tmp_path: Path) -> None:
    ok = run_cli(tmp_path, "incoming", "add", "phone", "Rang", db=world.db.url, user="clerk")
    assert ok.code == 0, ok.err
    assert ok.out.startswith("incoming item ") and "Phone message: Rang" in ok.out
    bad_kind = run_cli(tmp_path, "incoming", "add", "letter", "x", db=world.db.url, user="clerk")
    assert bad_kind.code == 1
    assert bad_kind.one_error_line().startswith("caseterm: kind: unknown kind 'letter'")
    bad_dob = run_cli(
        tmp_path, "incoming", "add", "post", "x", "--dob", "31/02/1990", db=world.db.url
    )
    assert bad_dob.code == 1
    assert bad_dob.one_error_line() == "caseterm: date of birth: 31/02/1990 is not a real date"
    with world.db.read() as s:
        assert [t.title for t in s.exec(select(Task).where(Task.status == "untriaged"))] == ["Rang"]

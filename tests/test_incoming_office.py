"""Post logged by hand arrives at an office: `office_code` (`incoming add --office CODE`), else
the office of whoever logs it; an unknown office is refused naming the offices there are, with
nothing written; triage shows where it arrived."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.errors import ValidationError
from caseterm.core.models import Task
from caseterm.core.services import incoming, staff, triage_suggestions
from caseterm.core.services.identity import resolve_actor
from caseterm.tui.triage.view import arrived_text
from tests.cli import run_cli
from tests.factories import World


def _office_of(w: World, task_id: int) -> int | None:
    with w.db.read() as s:
        task = s.get(Task, task_id)
        assert task is not None
        return task.office_id


def test_an_item_arrives_at_the_loggers_office_unless_another_is_named(world: World) -> None:
    with world.db.write() as s:
        own = incoming.record_incoming(s, world.clerk, kind="post_in", summary="Court papers")
        named = incoming.record_incoming(
            s, world.clerk, kind="post_in", summary="Bundle", office_code=" lan "
        )
    assert _office_of(world, own.id or 0) == world.office.id
    assert _office_of(world, named.id or 0) == world.other_office.id
    with world.db.read() as s:
        item = triage_suggestions.load_item(s, world.clerk, task_id=named.id or 0)
    assert item.office_name == "Lancaster"
    assert "Arrived at Lancaster" in arrived_text(item).plain


def test_reception_logs_at_their_office_too(world: World) -> None:
    with world.db.write() as s:
        walk_in = incoming.record_incoming(s, world.desk, kind="walk_in", summary="Asked for Ann")
        assert incoming.arrival_office(s, world.desk) == (world.office.id, "PRE")
    assert _office_of(world, walk_in.id or 0) == world.office.id


def test_someone_of_no_office_logs_an_item_at_none(world: World) -> None:
    with world.db.write() as s:
        staff.add_staff(s, world.admin, login="roving", name="Rory Roving", roles=["caseworker"])
    with world.db.read() as s:
        roving = resolve_actor(s, "roving")
    with world.db.write() as s:
        item = incoming.record_incoming(s, roving, kind="post_in", summary="Misdirected")
    assert _office_of(world, item.id or 0) is None


def test_an_unknown_office_is_refused_and_nothing_is_written(world: World) -> None:
    with world.db.read() as s:
        before = len(s.exec(select(Task)).all())
    with pytest.raises(ValidationError) as refused, world.db.write() as s:
        incoming.record_incoming(s, world.clerk, kind="post_in", summary="X", office_code="XYZ")
    assert refused.value.field == "office"
    assert "no office 'XYZ' (offices: LAN, PRE)" in str(refused.value)
    with world.db.read() as s:
        assert len(s.exec(select(Task)).all()) == before


@pytest.mark.sqlite_only  # the command line's words; the service runs on both
def test_incoming_add_office_from_the_command_line(world: World, tmp_path: Path) -> None:
    db = world.db.url
    mine = run_cli(tmp_path, "incoming", "add", "post", "Court papers", db=db, user="clerk")
    assert mine.code == 0 and "(waiting in Incoming for triage at Preston)" in mine.out
    there = run_cli(
        tmp_path, "incoming", "add", "post", "Bundle", "--office", "LAN", "--json",
        db=db, user="clerk",
    )  # fmt: skip
    assert there.code == 0 and there.json()["office"] == "LAN"
    assert _office_of(world, there.json()["id"]) == world.other_office.id
    queue = run_cli(tmp_path, "queue", "show", "incoming", "--json", db=db, user="clerk").json()
    at = {item["title"]: item["office_code"] for item in queue["items"]}
    assert at == {"Court papers": "PRE", "Bundle": "LAN"}
    bad = run_cli(
        tmp_path, "incoming", "add", "post", "Lost", "--office", "NOPE", db=db, user="clerk"
    )
    assert bad.code != 0
    assert "office" in bad.one_error_line() and "no office 'NOPE'" in bad.one_error_line()

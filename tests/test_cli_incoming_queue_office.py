"""`caseterm queue show incoming` says where each item arrived (issue 18): an OFFICE column in
the text, an Office column in `--csv`; other queues' text keeps its columns."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from caseterm.core.services import incoming
from tests.cli import run_cli
from tests.factories import World

pytestmark = pytest.mark.sqlite_only  # the command line's words; the services run on both


def test_the_incoming_queue_lists_each_items_office(world: World, tmp_path: Path) -> None:
    with world.db.write() as s:
        incoming.record_incoming(s, world.clerk, kind="post_in", summary="Papers here")
        incoming.record_incoming(
            s, world.clerk, kind="phone_message", summary="Rang there", office_code="LAN"
        )
    db = world.db.url
    shown = run_cli(tmp_path, "queue", "show", "incoming", db=db, user="clerk")
    assert shown.code == 0, shown.err
    header, *rows = shown.out.splitlines()[1:]
    assert header.split()[:6] == ["ID", "DUE", "P", "KIND", "OFFICE", "CASE"]
    office_at = header.index("OFFICE")
    office_of = {
        title: row[office_at : office_at + 6].strip()
        for row in rows
        for title in ("Papers here", "Rang there")
        if title in row
    }
    assert office_of == {"Papers here": "PRE", "Rang there": "LAN"}
    target = tmp_path / "incoming.csv"
    out = run_cli(tmp_path, "queue", "show", "incoming", "--csv", str(target), db=db, user="clerk")
    assert out.code == 0, out.err
    with target.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    start = next(i for i, r in enumerate(table) if r[:2] == ["Task", "Due"])
    head = table[start]
    assert head[-1] == "Office"
    by_title = {r[head.index("Title")]: r[-1] for r in table[start + 1 :]}
    assert by_title == {"Papers here": "PRE", "Rang there": "LAN"}
    mine = run_cli(tmp_path, "queue", "show", "my_work", db=db, user="worker")
    assert mine.code == 0 and "OFFICE" not in mine.out

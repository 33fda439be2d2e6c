"""End to end in a real terminal at 80×24, on the demo database: a system administrator opens
the letter template library (`W`), edits the appointment letter (`e`), is refused an unknown
merge field with its line (nothing saved), puts it right and saves it as the next version."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.models import AuditEvent, LetterTemplate
from caseterm.core.storage.database import Database
from tests.e2e.demo import copy_of_demo
from tests.e2e.tmux import Terminal, caseterm_env

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]

LOGIN = "wendy"  # a system administrator: may edit templates
BAD = "{{ person.shoe_size }} "


def _appt(db: Database) -> LetterTemplate:
    with db.read() as s:
        return s.exec(select(LetterTemplate).where(LetterTemplate.code == "APPT")).one()


def test_edit_a_template_refused_then_saved(
    tmp_path: Path, demo_cache: Path, frozen_clock: datetime
) -> None:
    path = tmp_path / "demo.db"
    db = copy_of_demo(path, demo_cache, login=LOGIN)
    before = _appt(db)
    env = caseterm_env(LOGIN, frozen_clock, tmp_path)
    term = Terminal(["--db", str(path)], env, width=80, height=24)
    try:
        term.wait_for("My work")
        term.keys("W")
        term.wait_for("Letter templates", "template(s): enter shows one")
        term.wait_for("APPT ")
        term.keys("e")  # the first row: the appointment letter
        term.wait_for("Edit template APPT", f"Version {before.version}: ctrl+s checks and saves")
        term.keys(BAD, literal=True)
        term.wait_for("{{ person.shoe_size }} {{ person.full_name }}")
        term.keys("C-s")
        term.wait_for("Not saved: body: line 1: unknown merge field person.shoe_size")
        assert _appt(db).version == before.version  # nothing saved
        term.keys(*["BSpace"] * len(BAD))
        term.keys("Dear ", literal=True)
        term.wait_for("Dear {{ person.full_name }}")
        term.keys("C-s")
        term.wait_for(f"Saved APPT as version {before.version + 1}")
        term.keys("C-q")
        assert term.exited(), term.screen()
    finally:
        term.close()
    after = _appt(db)
    assert after.version == before.version + 1
    assert after.body == "Dear " + before.body
    with db.read() as s:
        edits = s.exec(
            select(AuditEvent).where(
                AuditEvent.action == "template.edit", AuditEvent.entity_id == after.id
            )
        ).all()
        assert [e.summary for e in edits][-1] == (
            f"edited letter template APPT (now version {after.version})"
        )
    db.dispose()

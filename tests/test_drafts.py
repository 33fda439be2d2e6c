"""Drafts: upsert per (staff, kind, key), private to their owner, control-free, no audit."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import func, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import AuditEvent, Draft
from caseterm.core.services import drafts
from caseterm.core.storage.database import Database
from tests.factories import World


def _audit_count(db: Database) -> int:
    with db.read() as s:
        return int(s.exec(select(func.count()).select_from(AuditEvent)).one())


def _draft_rows(db: Database) -> list[Draft]:
    with db.read() as s:
        return list(s.exec(select(Draft)).all())


def test_save_then_load_round_trips_and_replaces(world: World, frozen_clock: datetime) -> None:
    db, me = world.db, world.worker
    audits = _audit_count(db)
    with db.write() as s:
        drafts.save_draft(
            s, me, kind="contact_entry", key="1", data={"notes": "first", "sensitive": False}
        )
    clock.freeze(frozen_clock + timedelta(seconds=5))
    with db.write() as s:
        drafts.save_draft(
            s, me, kind="contact_entry", key="1", data={"notes": "second line", "type": "p"}
        )
    with db.read() as s:
        loaded = drafts._load_draft(s, me, kind="contact_entry", key="1")
    assert loaded == {"notes": "second line", "type": "p"}
    rows = _draft_rows(db)
    assert len(rows) == 1
    assert rows[0].updated_at == frozen_clock + timedelta(seconds=5)
    assert _audit_count(db) == audits  # a draft is not a record


def test_drafts_are_private_to_their_owner(world: World) -> None:
    db = world.db
    with db.write() as s:
        drafts.save_draft(s, world.worker, kind="contact_entry", key="7", data={"notes": "mine"})
        drafts.save_draft(s, world.other, kind="contact_entry", key="7", data={"notes": "theirs"})
    with db.read() as s:
        assert drafts._load_draft(s, world.worker, kind="contact_entry", key="7") == {
            "notes": "mine"
        }
        assert drafts._load_draft(s, world.other, kind="contact_entry", key="7") == {
            "notes": "theirs"
        }
        assert drafts._load_draft(s, world.clerk, kind="contact_entry", key="7") is None
        assert [d.data for d in drafts._list_drafts(s, world.worker)] == [{"notes": "mine"}]
    with db.write() as s:
        assert drafts.discard_draft(s, world.other, kind="contact_entry", key="7") is True
        assert drafts.discard_draft(s, world.other, kind="contact_entry", key="7") is False
    with db.read() as s:
        assert drafts._load_draft(s, world.worker, kind="contact_entry", key="7") == {
            "notes": "mine"
        }
    assert len(_draft_rows(db)) == 1


def test_list_drafts_newest_first_and_by_kind(world: World, frozen_clock: datetime) -> None:
    db, me = world.db, world.worker
    with db.write() as s:
        drafts.save_draft(s, me, kind="contact_entry", key="1", data={"n": 1})
    clock.freeze(frozen_clock + timedelta(minutes=1))
    with db.write() as s:
        drafts.save_draft(s, me, kind="appointment", key="new", data={"n": 2})
    with db.read() as s:
        listed = drafts._list_drafts(s, me)
        only = drafts._list_drafts(s, me, kind="contact_entry")
    assert [(d.kind, d.key) for d in listed] == [("appointment", "new"), ("contact_entry", "1")]
    assert [(d.kind, d.key, d.data) for d in only] == [("contact_entry", "1", {"n": 1})]


def test_control_characters_are_stripped(world: World) -> None:
    db, me = world.db, world.worker
    with db.write() as s:
        drafts.save_draft(
            s,
            me,
            kind="contact_entry",
            key="1",
            data={"notes": "a\x1b[2Jb\nline two\tx", "list": ["\x07y"]},
        )
    with db.read() as s:
        loaded = drafts._load_draft(s, me, kind="contact_entry", key="1")
    assert loaded == {"notes": "a[2Jb\nline two\tx", "list": ["y"]}


def test_refuses_bad_kind_key_and_oversized_data(world: World) -> None:
    db, me = world.db, world.worker
    with db.write() as s:
        with pytest.raises(ValidationError) as kind:
            drafts.save_draft(s, me, kind=" ", key="1", data={})
        assert kind.value.field == "kind"
        with pytest.raises(ValidationError) as key:
            drafts.save_draft(s, me, kind="contact_entry", key="k" * 61, data={})
        assert key.value.field == "key"
        with pytest.raises(ValidationError) as big:
            drafts.save_draft(s, me, kind="contact_entry", key="1", data={"notes": "x" * 100_001})
        assert big.value.field == "draft"
        with pytest.raises(ValidationError):
            drafts.save_draft(s, me, kind="contact_entry", key="1", data={"when": object()})
    assert _draft_rows(db) == []


def test_unreadable_stored_data_loads_as_empty(world: World) -> None:
    db, me = world.db, world.worker
    with db.write() as s:
        s.add(Draft(staff_id=me.id, kind="contact_entry", key="9", data="not json"))
    with db.read() as s:
        assert drafts._load_draft(s, me, kind="contact_entry", key="9") == {}

"""Triage decisions on incoming items, and undo back through the session."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from caseterm.core import clock
from caseterm.core.errors import StaleEditError, ValidationError
from caseterm.core.models import AuditEvent, CaseFile, Person, Task
from caseterm.core.services import people, tasks, triage
from caseterm.core.services.identity import Actor
from caseterm.core.services.task_info import TaskInfo
from tests.factories import World


def _incoming(world: World, title: str, **kw: Any) -> TaskInfo:
    with world.db.write() as s:
        return tasks.create_task(
            s,
            world.clerk,
            kind=kw.pop("kind", "post_in"),
            title=title,
            status="untriaged",
            source=kw.pop("source", "Letter from Preston Magistrates"),
            **kw,
        )


def _row(world: World, task_id: int) -> dict[str, Any]:
    with world.db.read() as s:
        task = s.get(Task, task_id)
        assert task is not None
        return {k: getattr(task, k) for k in (*triage.TASK_STATE, "version")}


def test_next_items_orders_by_priority_and_hides_brought_forward(world: World) -> None:
    low = _incoming(world, "low", priority=4)
    urgent = _incoming(world, "urgent", priority=1)
    later = _incoming(world, "later")
    with world.db.write() as s:
        triage.bring_forward(s, world.clerk, later.id or 0, clock.today() + timedelta(days=3))
    with world.db.read() as s:
        ids = [t.id for t in triage.next_items(s, world.clerk, limit=5)]
        assert triage._count_incoming(s, world.clerk) == 2
    assert ids == [urgent.id, low.id]
    with world.db.read() as s:
        assert [
            t.id for t in triage.next_items(s, world.clerk, skip=frozenset({urgent.id or 0}))
        ] == [low.id]


def test_assign_finishes_item_and_counts_throughput(world: World) -> None:
    item = _incoming(world, "PSR request")
    start = clock.now() - timedelta(seconds=1)
    with world.db.write() as s:
        decision = triage.assign(s, world.clerk, item.id or 0, assignee_id=world.worker.id)
    row = _row(world, item.id or 0)
    assert decision.finishes
    assert row["status"] == "open" and row["assignee_id"] == world.worker.id
    assert row["triaged_by_id"] == world.clerk.id
    with world.db.read() as s:
        assert triage._decided_since(s, world.clerk, start) == 1
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "triage.assign")).all()
    assert len(events) == 1 and events[0].entity_id == item.id


@pytest.mark.parametrize(
    "action", ["assign", "route", "priority", "link", "bring_forward", "close"]
)
def test_undo_restores_exact_state(world: World, action: str) -> None:
    item = _incoming(world, "Phone: wants to change appointment", kind="phone_message")
    before = _row(world, item.id or 0)
    calls = {
        "assign": lambda s: triage.assign(s, world.clerk, item.id or 0, team_id=world.team.id),
        "route": lambda s: triage.route(s, world.clerk, item.id or 0, kind="appointment_to_book"),
        "priority": lambda s: triage.set_priority(s, world.clerk, item.id or 0, 1),
        "link": lambda s: triage.link(s, world.clerk, item.id or 0, case_id=world.case.id),
        "bring_forward": lambda s: triage.bring_forward(
            s, world.clerk, item.id or 0, clock.today() + timedelta(days=7)
        ),
        "close": lambda s: triage.close_no_action(s, world.clerk, item.id or 0, "duplicate"),
    }
    with world.db.write() as s:
        decision = calls[action](s)
    assert _row(world, item.id or 0) != before
    with world.db.write() as s:
        triage.undo(s, world.clerk, decision)
    after = _row(world, item.id or 0)
    assert {k: v for k, v in after.items() if k != "version"} == {
        k: v for k, v in before.items() if k != "version"
    }
    with world.db.read() as s:
        assert (
            s.exec(select(AuditEvent).where(AuditEvent.action == "triage.undo")).first() is not None
        )


def test_undo_back_through_several_decisions(world: World) -> None:
    item = _incoming(world, "referral", kind="new_referral")
    original = _row(world, item.id or 0)
    journal: list[triage.Decision] = []
    with world.db.write() as s:
        journal.append(triage.set_priority(s, world.clerk, item.id or 0, 2))
    with world.db.write() as s:
        journal.append(triage.link(s, world.clerk, item.id or 0, person_id=world.person.id))
    with world.db.write() as s:
        journal.append(triage.assign(s, world.clerk, item.id or 0, assignee_id=world.other.id))
    while journal:
        with world.db.write() as s:
            triage.undo(s, world.clerk, journal.pop())
    final = _row(world, item.id or 0)
    assert {k: v for k, v in final.items() if k != "version"} == {
        k: v for k, v in original.items() if k != "version"
    }


def test_open_case_for_new_person_then_undo_removes_both(world: World) -> None:
    item = _incoming(world, "New referral: Tomasz Nowak", kind="new_referral")
    with world.db.read() as s:
        cases_before = len(s.exec(select(CaseFile)).all())
        people_before = len(s.exec(select(Person)).all())
    with world.db.write() as s:
        decision = triage.open_case_from(
            s,
            world.clerk,
            item.id or 0,
            case_type="UPW",
            new_person=people.PersonInput(given_name="Tomasz", family_name="Nowak"),
        )
    assert decision.created_case_id and decision.created_person_id
    row = _row(world, item.id or 0)
    assert row["case_id"] == decision.created_case_id and row["status"] == "open"
    with world.db.write() as s:
        triage.undo(s, world.clerk, decision)
    with world.db.read() as s:
        assert len(s.exec(select(CaseFile)).all()) == cases_before
        assert len(s.exec(select(Person)).all()) == people_before
    assert _row(world, item.id or 0)["status"] == "untriaged"


def test_undo_refused_when_someone_changed_the_item_since(world: World) -> None:
    item = _incoming(world, "post")
    with world.db.write() as s:
        decision = triage.set_priority(s, world.clerk, item.id or 0, 2)
    with world.db.write() as s:
        triage.set_priority(s, world.worker, item.id or 0, 1)
    with pytest.raises(StaleEditError), world.db.write() as s:
        triage.undo(s, world.clerk, decision)


def test_decided_item_cannot_be_decided_again(world: World) -> None:
    item = _incoming(world, "post")
    with world.db.write() as s:
        triage.close_no_action(s, world.clerk, item.id or 0)
    with pytest.raises(ValidationError, match="already dealt with"), world.db.write() as s:
        triage.assign(s, world.clerk, item.id or 0, assignee_id=world.worker.id)


def test_load_item_suggests_duplicates_with_cases_and_warnings(world: World) -> None:
    with world.db.write() as s:
        people.add_warning(
            s,
            world.clerk,
            person_id=world.person.id or 0,
            kind="risk_to_staff",
            text="Threatened staff 2024",
            desk_text="Do not see alone",
        )
    item = _incoming(
        world,
        "Referral: Siobhan O'Neill Brady",
        kind="new_referral",
        source="Court: Preston Crown",
    )
    actor: Actor = world.clerk
    with world.db.read() as s:
        loaded = triage.load_item(s, actor, task_id=item.id or 0)
    ids = [m.person_id for m in loaded.suggestions]
    assert world.person.id in ids
    assert [c.reference for c in loaded.suggested_cases[world.person.id or 0]] == [
        world.case.reference
    ]
    assert [w.desk_text for w in loaded.warnings[world.person.id or 0]] == ["Do not see alone"]
    assert loaded.source == "Court: Preston Crown"

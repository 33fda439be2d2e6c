"""Logging incoming items (post, phone messages, referrals) and triage's duplicate suggestions
from whom an item is about."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import AuditEvent, Task
from caseterm.core.services import incoming, triage
from tests.factories import World


def test_an_item_waits_in_triage_with_whom_it_is_about(
    frozen_clock: datetime, world: World
) -> None:
    with world.db.write() as s:
        task = incoming.record_incoming(
            s,
            world.desk,  # reception may log what arrives at the counter
            kind="post_in",
            summary="Letter about a change of address",
            about_name="  Siobhan O'Neill  ",
            about_dob=date(1988, 4, 12),
            source="Post, Preston",
            priority=2,
        )
    with world.db.read() as s:
        stored = s.get(Task, task.id)
        event = s.exec(
            select(AuditEvent).where(AuditEvent.entity == "task", AuditEvent.entity_id == task.id)
        ).one()
        waiting = triage.next_items(s, world.clerk, limit=5)
    assert stored is not None
    assert (stored.status, stored.kind, stored.due_date, stored.priority) == (
        "untriaged",
        "post_in",
        clock.today(),
        2,
    )
    assert (stored.about_name, stored.about_dob) == ("Siobhan O'Neill", date(1988, 4, 12))
    assert stored.source == "Post, Preston" and stored.person_id is None
    assert event.action == "task.create" and "Siobhan O'Neill" in (event.after or "")
    assert [t.id for t in waiting] == [task.id]


def test_suggestions_come_from_the_name_not_the_summary(
    frozen_clock: datetime, world: World
) -> None:
    with world.db.write() as s:
        named = incoming.record_incoming(
            s,
            world.clerk,
            kind="phone_message",
            summary="Phone: wants to change appointment",
            about_name="Siobhan Oneil",  # as the caller spelt it
            about_dob=date(1988, 4, 12),
        )
        unnamed = incoming.record_incoming(
            s, world.clerk, kind="phone_message", summary="Phone: wants to change appointment"
        )
    with world.db.read() as s:
        with_name = triage.load_item(s, world.clerk, task_id=named.id or 0)
        without = triage.load_item(s, world.clerk, task_id=unnamed.id or 0)
    assert with_name.suggestions[0].person_id == world.person.id
    assert world.person.id not in [m.person_id for m in without.suggestions]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "letter_to_issue"}, "kind"),
        ({"summary": "   "}, "title"),
        ({"about_dob": date(1899, 12, 31)}, "date of birth"),
        ({"about_dob": "tomorrow"}, "date of birth"),
        ({"about_name": "x" * 201}, "about"),
        ({"priority": 9}, "priority"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(
    frozen_clock: datetime, world: World, changes: dict[str, object], field: str
) -> None:
    args: dict[str, object] = {"kind": "post_in", "summary": "Letter", "about_name": "Ann"}
    args.update(changes)
    if args.get("about_dob") == "tomorrow":
        args["about_dob"] = clock.today() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused, world.db.write() as s:
        incoming.record_incoming(s, world.clerk, **args)  # type: ignore[arg-type]
    assert refused.value.field == field
    with world.db.read() as s:
        assert s.exec(select(Task).where(Task.status == "untriaged")).all() == []

"""What the case screen, triage and the commands read is plain frozen data, never a table row:
`cases.view_case` (CaseView), `triage.load_item` (TriageItem), `cases.case_by_reference`,
`cases.restrict_case`, and the diary's changes (book, move, cancel, arrive). A row escaping a
service could be changed (and flushed) by whoever holds it, or read after its session closed."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlmodel import SQLModel

from caseterm.core.errors import NotFoundError
from caseterm.core.services import case_edit, cases, diary, people, tasks, triage
from tests.factories import World, book


def _rows_in(value: Any, path: str = "") -> list[str]:
    """Where in `value` a table row hides (empty when nowhere)."""
    if isinstance(value, SQLModel):
        return [path or "."]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        found: list[str] = []
        for f in dataclasses.fields(value):
            found += _rows_in(getattr(value, f.name), f"{path}.{f.name}")
        return found
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _rows_in(v, f"{path}[{k!r}]")]
    if isinstance(value, (list, tuple)):
        return [p for i, v in enumerate(value) for p in _rows_in(v, f"{path}[{i}]")]
    return []


def _frozen(value: Any) -> bool:
    params = getattr(type(value), "__dataclass_params__", None)
    return params is not None and bool(params.frozen)


def test_the_case_view_is_plain_frozen_data(world: World) -> None:
    w = world
    with w.db.write() as s:
        people.add_warning(
            s, w.clerk, person_id=w.person.id or 0, kind="risk_to_staff", text="Threatened staff"
        )
        sol = people.create_person(s, w.clerk, people.PersonInput("Sam", "Solicitor")).id or 0
        other = cases.open_case(s, w.clerk, case_type="OM", subject_id=w.person.id or 0)
        case_edit.link_cases(s, w.clerk, case_id=w.case.id or 0, other_id=other.id or 0)
        case_edit.add_party(s, w.clerk, case_id=w.case.id or 0, person_id=sol, role="solicitor")
    with w.db.read() as s:
        view = cases.view_case(s, w.worker, reference_or_id=w.case.id or 0)
    assert view.warnings and view.links and view.parties  # every part has something in it
    assert _rows_in(view) == []
    assert _frozen(view) and _frozen(view.case) and _frozen(view.subject)
    assert all(_frozen(p) and _frozen(person) for p, person in view.parties)
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.case.status = "closed"  # type: ignore[misc]
    assert view.subject.full_name == "Siobhán O'Neill-Brady"
    assert [(p.role, person.full_name) for p, person in view.parties] == [
        ("solicitor", "Sam Solicitor")
    ]


def test_a_triage_item_is_plain_frozen_data(world: World) -> None:
    w = world
    with w.db.write() as s:
        people.add_warning(
            s, w.clerk, person_id=w.person.id or 0, kind="risk_to_staff", text="Threatened staff"
        )
        item = tasks.create_task(
            s,
            w.clerk,
            kind="new_referral",
            title="Referral: Siobhan O'Neill Brady",
            status="untriaged",
            source="Court: Preston Crown",
            person_id=w.person.id,
        )
    with w.db.read() as s:
        loaded = triage.load_item(s, w.clerk, task_id=item.id)
    assert loaded.person is not None and loaded.warnings.get(w.person.id or 0)
    assert _rows_in(loaded) == []
    assert _frozen(loaded) and _frozen(loaded.task)
    assert loaded.task.id == item.id and loaded.received_at == item_created(w, item.id)


def item_created(w: World, task_id: int) -> Any:
    from caseterm.core.models import Task

    with w.db.read() as s:
        task = s.get(Task, task_id)
        assert task is not None
        return task.created_at


def test_a_reference_looked_up_is_plain_data(world: World) -> None:
    w = world
    with w.db.read() as s:
        found = cases.case_by_reference(s, f"  {w.case.reference.lower()} ")
    assert _frozen(found) and _rows_in(found) == []
    assert (found.id, found.reference) == (w.case.id, w.case.reference)
    with pytest.raises(NotFoundError), w.db.read() as s:
        cases.case_by_reference(s, "OM/1999/999999")
    with w.db.write() as s:
        changed = cases.restrict_case(s, w.manager, case_id=found.id, allow=[w.worker.id])
    assert _frozen(changed) and changed.restricted


def test_a_warning_added_and_a_person_changed_come_back_as_plain_data(world: World) -> None:
    w = world
    with w.db.read() as s:
        before = cases.view_case(s, w.worker, reference_or_id=w.case.id or 0).subject.version
    with w.db.write() as s:
        warning = people.add_warning(
            s, w.clerk, person_id=w.person.id or 0, kind="risk_to_staff", text="Threatened staff"
        )
        changed = people.update_person(
            s, w.clerk, person_id=w.person.id or 0, expected_version=before, language="Welsh"
        )
    assert _frozen(warning) and _rows_in(warning) == [] and warning.id
    assert _frozen(changed) and changed.language == "Welsh"
    assert changed.version == before + 1  # the version to give the next change


def test_the_diary_changes_come_back_as_plain_data(world: World, frozen_clock: datetime) -> None:
    """Booking, moving, arriving and cancelling return frozen views of the appointment, never
    the row (issue 10: no ORM object escapes a service)."""
    w = world
    at = frozen_clock + timedelta(days=1)
    booked = book(w, at)
    with w.db.write() as s:
        moved = diary.reschedule_appointment(
            s,
            w.clerk,
            appointment_id=booked.id,
            starts_at=at + timedelta(hours=1),
            ends_at=at + timedelta(hours=2),
        )
    with w.db.write() as s:
        cancelled = diary.cancel_appointment(s, w.clerk, appointment_id=moved.id, reason="ill")
    again = book(w, frozen_clock - timedelta(minutes=5), minutes=30)
    with w.db.write() as s:
        arrived = diary.mark_arrived(s, w.clerk, appointment_id=again.id)
    for view in (booked, moved, cancelled, again, arrived):
        assert _frozen(view) and _rows_in(view) == [], view
    assert moved.id != booked.id and cancelled.status == "cancelled"
    assert arrived.status == "arrived" and arrived.arrived_at == frozen_clock


def test_an_alias_and_an_identifier_added_come_back_as_plain_data(world: World) -> None:
    w = world
    with w.db.write() as s:
        alias = people.add_alias(
            s, w.clerk, person_id=w.person.id or 0, given="Siobhan", family="Brady"
        )
        ident = people.add_identifier(
            s, w.clerk, person_id=w.person.id or 0, id_type="NHS", value="9434765919"
        )
    for added in (alias, ident):
        assert _frozen(added) and _rows_in(added) == [] and added.id
    assert (alias.kind, alias.given_name, alias.family_name) == ("alias", "Siobhan", "Brady")
    assert (ident.id_type, ident.value) == ("NHS", "943 476 5919") and ident.type_label  # as stored

"""The desk's search as you type reads little per key press (it runs on every key): the people
still expected or arrived today, the people found with their cases in one query, and their
interpreter needs and warnings in one more."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event

from caseterm.core.models.vocab import Outcome
from caseterm.core.services import cases, diary, people, reception
from tests.factories import World


def _person_with_case(world: World, given: str, family: str, **kw: Any) -> tuple[int, int]:
    with world.db.write() as s:
        person = people.create_person(
            s, world.clerk, people.PersonInput(given_name=given, family_name=family, **kw)
        )
        case = cases.open_case(s, world.clerk, case_type="OM", subject_id=person.id or 0)
    return person.id or 0, case.id or 0


def _book(world: World, at: datetime, case_id: int) -> int:
    with world.db.write() as s:
        (appt,) = diary.book_appointment(
            s,
            world.clerk,
            staff_id=world.worker.id,
            starts_at=at,
            ends_at=at + timedelta(minutes=45),
            kind="supervision",
            case_id=case_id,
            room_id=world.room.id,
        )
    return appt.id or 0


@contextmanager
def _statements(world: World) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        seen.append(statement)

    event.listen(world.db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(world.db.engine, "before_cursor_execute", note)


def test_desk_search_offers_only_waiting_people_with_needs_and_warnings_in_one_read(
    frozen_clock: datetime, world: World
) -> None:
    waiting, waiting_case = _person_with_case(
        world, "Zofia", "Quennell", language="Polish", interpreter=True
    )
    seen, seen_case = _person_with_case(world, "Zbigniew", "Quennell")
    with world.db.write() as s:
        people.add_warning(
            s,
            world.clerk,
            person_id=waiting,
            kind="risk_to_staff",
            text="Threatened staff 2024",
            desk_text="Two officers present",
        )
    expected = _book(world, frozen_clock.replace(hour=15, minute=0), waiting_case)
    done = _book(world, frozen_clock.replace(hour=9, minute=0), seen_case)
    with world.db.write() as s:
        diary.record_outcome(
            s, world.worker, appointment_id=done, outcome=Outcome.ATTENDED_COMPLIED
        )

    office = world.office.id or 0
    with world.db.read() as s, _statements(world) as statements:
        matches = reception.desk_search(s, world.desk, office_id=office, text="quennell")

    by_person = {m.person_id: m for m in matches}
    assert matches[0].person_id == waiting and matches[0].appointment_id == expected
    assert matches[0].warnings == ["Two officers present", "Interpreter: Polish"]
    # Seen already today: found by name, but not offered as someone waiting at the desk.
    assert by_person[seen].appointment_id is None and by_person[seen].warnings == []
    assert sum("person_warning" in sql for sql in statements) == 1
    # The day's list, an identifier, three name lookups, the people with their cases, their
    # needs and warnings: two queries fewer than when cases and interpreter needs were apart.
    assert sum(sql.lstrip().startswith("SELECT") for sql in statements) <= 7

"""Builds a small organisation through the real services, for tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session

from caseterm.core.demo.build import mark_demo_database
from caseterm.core.models import CaseFile
from caseterm.core.services import case_closure, cases, org, people, staff
from caseterm.core.services.case_info import PersonInfo
from caseterm.core.services.diary_views import AppointmentView
from caseterm.core.services.identity import Actor, resolve_actor
from caseterm.core.services.org import OfficeInfo, RoomInfo, TeamInfo
from caseterm.core.storage.database import Database


@dataclass
class World:
    db: Database
    office: OfficeInfo
    other_office: OfficeInfo
    team: TeamInfo
    room: RoomInfo
    admin: Actor  # system administrator (first user)
    clerk: Actor  # administrator
    worker: Actor  # caseworker, owns `case`
    other: Actor  # caseworker in the same team
    desk: Actor  # reception
    manager: Actor
    person: PersonInfo
    case: CaseFile

    def actor(self, login: str) -> Actor:
        with self.db.read() as s:
            return resolve_actor(s, login)


def build_world(db: Database, *, demo: bool = True) -> World:
    """The organisation below, in a database marked as a demo (so that tests may act as its
    made-up staff with CASETERM_USER) unless `demo=False`."""
    if demo:
        mark_demo_database(db)
    with db.write() as s:
        staff.add_staff(s, None, login="root", name="Rhona Root", roles=["sysadmin"])
    with db.read() as s:
        admin = resolve_actor(s, "root")
    with db.write() as s:
        office = org.create_office(s, admin, code="PRE", name="Preston")
        other_office = org.create_office(s, admin, code="LAN", name="Lancaster")
        team = org.create_team(
            s, admin, code="PRE-OM", name="Preston offender management", office_id=office.id
        )
        room = org.create_room(s, admin, office_id=office.id or 0, name="Interview 1")
        for login, name, roles in (
            ("clerk", "Claire Clerk", ["administrator"]),
            ("worker", "Wendy Worker", ["caseworker"]),
            ("other", "Owen Other", ["caseworker"]),
            ("desk", "Desmond Desk", ["reception"]),
            ("boss", "Mandy Manager", ["manager"]),
        ):
            staff.add_staff(s, admin, login=login, name=name, roles=roles, team_code="PRE-OM")
    with db.read() as s:
        actors = {
            login: resolve_actor(s, login) for login in ("clerk", "worker", "other", "desk", "boss")
        }
    with db.write() as s:
        person = people.create_person(
            s,
            actors["clerk"],
            people.PersonInput(
                given_name="Siobhán",
                family_name="O'Neill-Brady",
                date_of_birth=date(1988, 4, 12),
                aliases=[("Shiv", "Brady")],
                identifiers=[("CRN", "X123456")],
            ),
        )
        case = cases.open_case(
            s,
            actors["clerk"],
            case_type="OM",
            subject_id=person.id or 0,
            owner_id=actors["worker"].id,
        )
    return World(
        db=db,
        office=office,
        other_office=other_office,
        team=team,
        room=room,
        admin=admin,
        clerk=actors["clerk"],
        worker=actors["worker"],
        other=actors["other"],
        desk=actors["desk"],
        manager=actors["boss"],
        person=person,
        case=case,
    )


def book(
    world: World,
    starts_at: datetime,
    *,
    minutes: int = 45,
    staff: Actor | None = None,
    case_id: int | None = None,
) -> AppointmentView:
    """A supervision in the world's interview room, booked by the clerk (for the case's owner)."""
    from caseterm.core.services import diary

    with world.db.write() as s:
        (appt,) = diary.book_appointment(
            s,
            world.clerk,
            staff_id=(staff or world.worker).id,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            kind="supervision",
            case_id=case_id if case_id is not None else world.case.id,
            room_id=world.room.id,
        )
    return appt


def close_now(session: Session, actor: Actor, case_id: int, note: str = "") -> None:
    """Close a case through its checklist: the first reason its type offers, every mandatory
    step ticked (issue 12: a case closes only once its checklist is done)."""
    reason = case_closure.reasons_for_case(session, actor, case_id=case_id)[0].code
    info = case_closure.start_closure(session, actor, case_id=case_id, reason=reason)
    for step in info.outstanding:
        case_closure.tick_step(session, actor, case_id=case_id, step=step.code)
    case_closure.close_case(session, actor, case_id=case_id, note=note)

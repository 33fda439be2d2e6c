"""A court result's next hearing is booked in the diary (issue 14): a court hearing on the case
for its owner, at the usual listing time unless one is given, in the same transaction as the
result (nothing half-written when the booking is refused), and listed on the court list."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.errors import ValidationError
from caseterm.core.models import Appointment, CaseFile, CourtResult, Imposition
from caseterm.core.models.vocab import CaseStatus
from caseterm.core.services import court_results, diary_court
from caseterm.core.services.court_results import Imposed
from tests.cli import run_cli
from tests.factories import World

pytestmark = pytest.mark.usefixtures("frozen_clock")  # Monday 23 November 2026

COURT = "Preston Magistrates' Court"


def _result(world: World, **kw: object) -> court_results.ResultInfo:
    with world.db.write() as s:
        return court_results.result_hearing(
            s,
            world.clerk,
            case_id=world.case.id or 0,
            hearing_on=date(2026, 11, 20),
            court=COURT,
            impositions=[Imposed("fine", 20_000)],
            **kw,  # type: ignore[arg-type]
        )


def test_the_next_hearing_is_a_court_hearing_in_the_owners_diary(world: World) -> None:
    info = _result(world, next_hearing_on=date(2027, 1, 12))
    with world.db.read() as s:
        appt = s.exec(select(Appointment)).one()
        result = s.exec(select(CourtResult)).one()
    assert (appt.kind, appt.case_id, appt.staff_id, appt.location) == (
        "court_hearing",
        world.case.id,
        world.worker.id,  # the case's owner, not the clerk who resulted it
        COURT,
    )
    assert (appt.starts_at, appt.ends_at) == (
        datetime(2027, 1, 12, 10, 0),
        datetime(2027, 1, 12, 12, 0),
    )
    assert appt.person_id == world.case.subject_id and appt.status == "booked"
    assert "hearing of 20/11/2026" in appt.notes
    assert result.next_hearing_on == date(2027, 1, 12)
    assert (info.next_hearing_id, info.next_hearing_at, info.next_hearing_with) == (
        appt.id,
        datetime(2027, 1, 12, 10, 0),
        "Wendy Worker",
    )
    with world.db.read() as s:
        listed = diary_court.court_list(s, world.clerk, day=date(2027, 1, 12))
    assert [(c.court, c.session, len(c.hearings)) for c in listed] == [(COURT, "am", 1)]


def test_the_next_hearing_at_a_time_given(world: World) -> None:
    info = _result(world, next_hearing_on=date(2027, 1, 12), next_hearing_time=time(14, 30))
    with world.db.read() as s:
        appt = s.exec(select(Appointment)).one()
    assert appt.starts_at == datetime(2027, 1, 12, 14, 30) == info.next_hearing_at


def test_no_next_hearing_books_nothing(world: World) -> None:
    info = _result(world)
    with world.db.read() as s:
        assert s.exec(select(Appointment)).all() == []
    assert (info.next_hearing_id, info.next_hearing_at) == (None, None)


def test_a_time_without_a_date_is_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="next hearing time: goes with a next hearing date"):
        _result(world, next_hearing_time=time(14, 0))
    with world.db.read() as s:
        assert s.exec(select(Imposition)).all() == []


def test_a_refused_booking_leaves_no_result_behind(world: World) -> None:
    with world.db.write() as s:  # a closed case's diary takes no booking
        case = s.get(CaseFile, world.case.id)
        assert case is not None
        case.status = CaseStatus.CLOSED
        s.add(case)
    with pytest.raises(ValidationError, match="before you book an appointment"):
        _result(world, next_hearing_on=date(2027, 1, 12))
    with world.db.read() as s:
        assert s.exec(select(Imposition)).all() == []
        assert s.exec(select(CourtResult)).all() == []
        assert s.exec(select(Appointment)).all() == []


@pytest.mark.sqlite_only
def test_the_cli_books_the_next_hearing(world: World, tmp_path: Path) -> None:
    args = ["account", "result", world.case.reference, "--hearing", "2026-11-20"]
    args += ["--impose", "fine=200", "--court", COURT, "--next-hearing", "2027-01-12"]
    bad = run_cli(tmp_path, *args, "--next-hearing-at", "25:00", db=world.db.url, user="clerk")
    assert bad.one_error_line() == (
        "caseterm: --next-hearing-at: must be a time like 14:30, not '25:00'"
    )
    run = run_cli(tmp_path, *args, "--next-hearing-at", "14:00", db=world.db.url, user="clerk")
    assert run.code == 0, run.err
    assert "Next hearing: Tue 12/01/2027 14:00, in Wendy Worker's diary" in run.out
    with world.db.read() as s:
        appt = s.exec(select(Appointment)).one()
    assert (appt.kind, appt.starts_at) == ("court_hearing", datetime(2027, 1, 12, 14, 0))

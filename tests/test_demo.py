"""The demo data generator: a small build on a real database, checked row by row."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, text
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.demo import DemoSummary, build_demo
from caseterm.core.demo.names import HOSTILE_NOTES, HOSTILE_PEOPLE
from caseterm.core.errors import ValidationError
from caseterm.core.models import (
    Appointment,
    AuditEvent,
    CaseFile,
    CaseType,
    ContactEntry,
    Imposition,
    Payment,
    PaymentTerms,
    Person,
    PersonIdentifier,
    PersonName,
    PersonWarning,
    ReferenceCounter,
    Staff,
    StaffRole,
    Task,
)
from caseterm.core.rules.catalogue import DEFAULT_CASE_TYPES, IDENTIFIER_TYPES, TASK_KINDS
from caseterm.core.rules.phonetic import name_keys
from caseterm.core.services import access, cases, people, queues, staff
from caseterm.core.services.identity import resolve_actor
from caseterm.core.storage.database import Database
from caseterm.core.storage.opening import open_database
from caseterm.core.text import strip_controls
from tests.conftest import FROZEN

LOGIN = "demo.user"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _build(path: Path, **options: object) -> tuple[Database, DemoSummary]:
    db = open_database(str(path)).db
    clock.freeze(FROZEN)
    try:
        return db, build_demo(db, login=LOGIN, **options)  # type: ignore[arg-type]
    finally:
        clock.freeze(None)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, DemoSummary]]:
    """One small demo, built on Monday 23 November 2026 at 10:30, shared by the read-only tests."""
    db, summary = _build(tmp_path_factory.mktemp("demo") / "demo.db")
    yield db, summary
    db.dispose()


@pytest.fixture
def demo_db(built: tuple[Database, DemoSummary]) -> Iterator[Session]:
    with built[0].read() as session:
        yield session


def _me(session: Session) -> Staff:
    return session.exec(select(Staff).where(Staff.login == LOGIN)).one()


def _appointments_on(session: Session, staff_id: int, day: datetime) -> list[Appointment]:
    return list(
        session.exec(
            select(Appointment).where(
                Appointment.staff_id == staff_id,
                col(Appointment.starts_at) >= day,
                col(Appointment.starts_at) < day + timedelta(days=1),
            )
        )
    )


def test_summary_counts_match_the_tables(
    built: tuple[Database, DemoSummary], demo_db: Session
) -> None:
    summary = built[1]
    assert summary.size == "small" and summary.login == LOGIN and summary.seconds > 0
    for model, table in ((Person, "person"), (CaseFile, "case_file"), (Task, "task")):
        assert demo_db.exec(select(func.count()).select_from(model)).one() == summary.counts[table]
    assert 300 <= summary.counts["person"] <= 600
    assert 25 <= summary.counts["staff"] <= 45
    assert summary.counts["contact_entry"] > 3000


def test_same_seed_same_people_and_references(
    built: tuple[Database, DemoSummary], tmp_path: Path
) -> None:
    again, _ = _build(tmp_path / "again.db")
    other, _ = _build(tmp_path / "other.db", seed=7)

    def snapshot(db: Database) -> tuple[list[tuple[str, str]], list[str], list[str]]:
        with db.read() as s:
            names = [
                (p.given_name, p.family_name)
                for p in s.exec(select(Person).order_by(col(Person.id)))
            ]
            refs = list(s.exec(select(CaseFile.reference).order_by(col(CaseFile.id))))
            notes = list(
                s.exec(select(ContactEntry.notes).order_by(col(ContactEntry.id)).limit(500))
            )
        return names, refs, notes

    try:
        assert snapshot(again) == snapshot(built[0])
        assert snapshot(other)[0] != snapshot(built[0])[0]
    finally:
        again.dispose()
        other.dispose()


def test_every_case_type_status_and_task_kind_is_present(demo_db: Session) -> None:
    codes = set(
        demo_db.exec(
            select(CaseType.code).join(CaseFile, col(CaseFile.case_type_id) == col(CaseType.id))
        )
    )
    assert codes == {spec.code for spec in DEFAULT_CASE_TYPES}
    statuses = set(demo_db.exec(select(CaseFile.status)))
    assert {"referral", "open", "transfer_pending", "closed"} <= statuses
    kinds = set(demo_db.exec(select(Task.kind)))
    assert kinds == set(TASK_KINDS)
    untriaged = demo_db.exec(select(Task).where(Task.status == "untriaged")).all()
    assert {t.kind for t in untriaged} == {"new_referral", "post_in", "phone_message", "walk_in"}
    assert all(t.source and t.case_id is None and t.assignee_id is None for t in untriaged)
    open_tasks = demo_db.exec(select(Task).where(Task.status == "open")).all()
    assert any(t.assignee_id is None for t in open_tasks)
    assert any(t.due_date and t.due_date < FROZEN.date() for t in open_tasks)
    appt_statuses = set(demo_db.exec(select(Appointment.status)))
    assert {"booked", "arrived", "seen", "failed_to_attend", "cancelled"} <= appt_statuses


def test_references_follow_the_services_format_and_counters(demo_db: Session) -> None:
    rows = demo_db.exec(select(col(CaseFile.reference), col(CaseFile.opened_on))).all()
    highest: dict[tuple[str, int], int] = {}
    for reference, opened in rows:
        match = re.fullmatch(r"([A-Z]{2,3})/(\d{4})/(\d{6})", reference)
        assert match, reference
        assert opened is not None and int(match[2]) == opened.year
        key = (match[1], int(match[2]))
        highest[key] = max(highest.get(key, 0), int(match[3]))
    counters = {(c.prefix, c.year): c.next_number for c in demo_db.exec(select(ReferenceCounter))}
    assert counters == {key: top + 1 for key, top in highest.items()}


def test_login_enrolled_with_caseload_work_and_diary(demo_db: Session) -> None:
    me = _me(demo_db)
    roles = set(demo_db.exec(select(StaffRole.role).where(StaffRole.staff_id == me.id)))
    assert roles == {"caseworker", "administrator", "sysadmin"}  # nobody was enrolled before
    owned = demo_db.exec(
        select(CaseFile).where(CaseFile.owner_id == me.id, CaseFile.status == "open")
    ).all()
    assert len(owned) >= 15
    my_tasks = demo_db.exec(
        select(Task).where(Task.assignee_id == me.id, Task.status == "open")
    ).all()
    assert len(my_tasks) >= 10
    assert any(t.due_date and t.due_date < FROZEN.date() for t in my_tasks)
    assert any(t.due_date == FROZEN.date() for t in my_tasks)
    today = _appointments_on(demo_db, me.id or 0, datetime(2026, 11, 23))
    assert len(today) >= 4
    assert {a.status for a in today if a.starts_at > FROZEN} == {"booked"}


def test_every_built_in_queue_has_work_for_the_demo_user(demo_db: Session) -> None:
    actor = resolve_actor(demo_db, LOGIN)
    clock.freeze(FROZEN)
    try:
        for key in (
            "my_work",
            "team_unallocated",
            "incoming",
            "due_today",
            "checks",
            "enforcement",
            "office_duty",
            "reception_waiting",
        ):
            assert queues.queue_count(demo_db, actor, key) > 0, key
    finally:
        clock.freeze(None)


def test_every_office_has_a_diary_today(demo_db: Session) -> None:
    offices = demo_db.exec(
        select(Appointment.office_id)
        .where(
            col(Appointment.starts_at) >= datetime(2026, 11, 23),
            col(Appointment.starts_at) < datetime(2026, 11, 24),
        )
        .distinct()
    ).all()
    assert len(offices) == 4


def test_no_diary_clashes_for_staff_rooms_or_people(built: tuple[Database, DemoSummary]) -> None:
    with built[0].engine.connect() as conn:
        for column in ("staff_id", "room_id", "person_id"):
            clashes = conn.execute(
                text(
                    f"SELECT count(*) FROM appointment a JOIN appointment b "
                    f"ON a.{column} = b.{column} AND a.id < b.id "
                    f"AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at "
                    f"WHERE a.status NOT IN ('cancelled', 'rescheduled') "
                    f"AND b.status NOT IN ('cancelled', 'rescheduled')"
                )
            ).scalar()
            assert clashes == 0, column


def test_people_have_searchable_names_identifiers_and_warnings(demo_db: Session) -> None:
    names = demo_db.exec(select(PersonName)).all()
    assert any(n.kind == "alias" for n in names)
    for n in names:
        assert (n.folded, n.sound) == name_keys(n.given_name, n.family_name)
        fresh = people.name_row(n.person_id, n.kind, n.given_name, n.family_name)
        assert (n.folded, n.sound) == (fresh.folded, fresh.sound)
    families = {n.family_name for n in names}
    assert any("'" in f for f in families) and any("-" in f for f in families)
    assert any(not f.isascii() for f in families)
    assert set(demo_db.exec(select(PersonIdentifier.id_type))) >= set(IDENTIFIER_TYPES)
    warnings = demo_db.exec(select(PersonWarning)).all()
    assert any(w.desk_text.startswith("Interpreter: ") for w in warnings)
    assert {w.kind for w in warnings} >= {"interpreter", "risk_to_staff", "safeguarding"}
    interpreters = demo_db.exec(select(Person).where(Person.interpreter == True)).all()  # noqa: E712
    assert interpreters and all(p.language != "English" for p in interpreters)


def test_search_index_and_its_trigger_are_back(built: tuple[Database, DemoSummary]) -> None:
    db = built[0]
    with db.engine.connect() as conn:
        hits = conn.execute(
            text("SELECT count(*) FROM person_name_fts WHERE person_name_fts MATCH 'neill'")
        ).scalar()
        assert hits and hits > 0
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        triggers = set(
            conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars()
        )
        assert "person_name_ai" in triggers
        indexes = set(
            conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index'")).scalars()
        )
        assert {
            "ix_contact_entry_case_occurred",
            "ix_task_status_due",
            "ix_person_name_folded",
        } <= indexes
        # The build's bulk-load settings did not stay on the pooled connection.
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert conn.execute(text("PRAGMA temp_store")).scalar() == 0


def test_hostile_strings_stored_unaltered_except_controls(demo_db: Session) -> None:
    stored = set(demo_db.exec(select(Person.given_name, Person.family_name)).all())
    for given, family in HOSTILE_PEOPLE:
        assert (strip_controls(given), strip_controls(family)) in stored
    notes = set(demo_db.exec(select(ContactEntry.notes)))
    for note in HOSTILE_NOTES:
        assert strip_controls(note, multiline=True) in notes
    assert "[bold]Robert" in {g for g, _ in stored}
    for value in list(notes) + [f"{g} {f}" for g, f in stored]:
        assert not CONTROL.search(value)
    me = _me(demo_db)
    owners = demo_db.exec(
        select(CaseFile.owner_id)
        .join(Person, col(Person.id) == col(CaseFile.subject_id))
        .where(Person.given_name == "[bold]Robert")
    ).all()
    assert me.id in owners


def test_contact_log_corrections_and_sensitive_entries(demo_db: Session) -> None:
    fixes = demo_db.exec(
        select(ContactEntry).where(col(ContactEntry.supersedes_id).is_not(None))
    ).all()
    assert fixes
    for fix in fixes:
        original = demo_db.get(ContactEntry, fix.supersedes_id)
        assert original is not None and original.case_id == fix.case_id
        assert fix.logged_at >= original.logged_at
    assert demo_db.exec(select(ContactEntry).where(ContactEntry.sensitive == True)).first()  # noqa: E712
    late = demo_db.exec(select(ContactEntry).where(col(ContactEntry.occurred_at) > FROZEN)).all()
    assert late == []
    seen = demo_db.exec(select(Appointment).where(Appointment.status == "seen")).all()
    assert seen and all(a.outcome_contact_id for a in seen)


def test_money_only_on_fines_cases(demo_db: Session) -> None:
    fine_type = demo_db.exec(select(CaseType.id).where(CaseType.code == "FINE")).one()
    for model in (Imposition, Payment, PaymentTerms):
        case_types = set(
            demo_db.exec(
                select(CaseFile.case_type_id).join(model, col(model.case_id) == col(CaseFile.id))
            )
        )
        assert case_types == {fine_type}, model


def test_restricted_cases_include_one_mine_and_one_not(demo_db: Session) -> None:
    actor = resolve_actor(demo_db, LOGIN)
    restricted = demo_db.exec(select(CaseFile).where(CaseFile.restricted == True)).all()  # noqa: E712
    visible = [access.can_see(demo_db, actor, c) for c in restricted]
    assert True in visible and False in visible


def test_history_has_audit_events(demo_db: Session) -> None:
    actions = set(demo_db.exec(select(AuditEvent.action)))
    assert {"case.open", "contact.log", "task.complete", "person.create", "demo.build"} <= actions


def test_open_case_after_the_build_continues_references(
    db: Database, frozen_clock: datetime
) -> None:
    """Runs on SQLite and, when a server is reachable, PostgreSQL (ids and counters both)."""
    summary = build_demo(db, login=LOGIN)
    assert summary.counts["case_file"] > 0
    with db.read() as s:
        before = set(s.exec(select(CaseFile.reference)))
        actor = resolve_actor(s, LOGIN)
        subject = s.exec(select(Person.id).order_by(col(Person.id))).first()
    assert subject is not None
    made = []
    with db.write() as s:
        for spec in DEFAULT_CASE_TYPES:
            case = cases.open_case(s, actor, case_type=spec.code, subject_id=subject)
            made.append(case.reference)
        person = people.create_person(
            s, actor, people.PersonInput(given_name="Ann", family_name="After")
        )
    assert not before & set(made)
    year = frozen_clock.year
    for ref, spec in zip(made, DEFAULT_CASE_TYPES, strict=True):
        prefix = f"{spec.ref_prefix}/{year}/"
        used = [int(r.rsplit("/", 1)[1]) for r in before if r.startswith(prefix)]
        assert ref == f"{prefix}{max(used, default=0) + 1:06d}"
    assert person.id is not None
    with pytest.raises(ValidationError) as err:
        build_demo(db, login=LOGIN)
    assert err.value.field == "database"
    with db.read() as s:
        assert s.exec(select(func.count()).select_from(CaseFile)).one() == len(before) + len(made)


def test_existing_staff_keep_their_admin_and_demo_user_is_not_sysadmin(
    db: Database, frozen_clock: datetime
) -> None:
    with db.write() as s:
        staff.add_staff(s, None, login="root", name="Rhona Root", roles=["sysadmin"])
    build_demo(db, login=LOGIN)
    with db.read() as s:
        me = _me(s)
        roles = set(s.exec(select(StaffRole.role).where(StaffRole.staff_id == me.id)))
        assert roles == {"caseworker", "administrator"}
        assert s.exec(select(Staff).where(Staff.login == "root")).one().active
        owned = s.exec(select(CaseFile).where(CaseFile.owner_id == me.id)).all()
        assert len(owned) >= 15


def test_an_enrolled_login_gains_the_roles_it_needs(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "enrolled.db")).db
    try:
        with db.write() as s:
            staff.add_staff(s, None, login="root", name="Rhona Root", roles=["sysadmin"])
            root = resolve_actor(s, "root")
            staff.add_staff(s, root, login=LOGIN, name="Desk Person", roles=["reception"])
        build_demo(db, login=LOGIN)
        with db.read() as s:
            me = _me(s)
            roles = set(s.exec(select(StaffRole.role).where(StaffRole.staff_id == me.id)))
            assert roles == {"reception", "caseworker", "administrator"}
            assert me.name == "Desk Person" and me.team_id is not None
            assert len(s.exec(select(CaseFile).where(CaseFile.owner_id == me.id)).all()) >= 15
    finally:
        db.dispose()


def test_weekend_build_still_gives_a_diary_today(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "sunday.db")).db
    clock.freeze(datetime(2026, 11, 22, 9, 0))
    try:
        build_demo(db, login=LOGIN, progress=None)
        with db.read() as s:
            me = _me(s)
            today = _appointments_on(s, me.id or 0, datetime(2026, 11, 22))
        assert today
    finally:
        clock.freeze(None)
        db.dispose()


def test_progress_reports_phases_and_unknown_size_refused(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "p.db")).db
    seen: list[str] = []
    try:
        with pytest.raises(ValidationError):
            build_demo(db, size="huge", login=LOGIN)
        build_demo(db, login=LOGIN, progress=lambda phase, done, total: seen.append(phase))
    finally:
        db.dispose()
    phases = list(dict.fromkeys(seen))
    assert phases[0] == "organisation" and phases[-1] == "done"
    assert {"people", "cases", "history", "search index"} <= set(phases)


def test_task_titles_fit_the_case_type_and_no_event_after_the_clock(demo_db: Session) -> None:
    """Issue 17: no means interview or breach on mental-health cases; nothing in the future."""
    from caseterm.core.demo.texts import TITLE_CASE_TYPES

    rows = demo_db.exec(
        select(Task.title, CaseType.code)
        .join(CaseFile, col(CaseFile.id) == col(Task.case_id))
        .join(CaseType, col(CaseType.id) == col(CaseFile.case_type_id))
    ).all()
    assert rows
    misfits = [(t, c) for t, c in rows if c not in TITLE_CASE_TYPES.get(t, (c,))]
    assert misfits == []
    mhc = {t for t, c in rows if c == "MHC"}
    assert mhc and not {"Book means interview", "Enforcement: consider breach"} & mhc
    latest = demo_db.exec(select(func.max(AuditEvent.at))).one()
    assert latest is not None and latest <= FROZEN


def test_every_demo_office_has_a_phone_its_stock_letters_print(demo_db: Session) -> None:
    from caseterm.core.models import Document, Office

    phones = {o.code: o.phone for o in demo_db.exec(select(Office))}
    assert phones and all(phone.startswith("01632 960") for phone in phones.values()), phones
    bodies = [
        d.body for d in demo_db.exec(select(Document).where(col(Document.template_id).is_not(None)))
    ]
    assert bodies and all(
        any(f"Telephone {p}" in body or f"Ffôn {p}" in body for p in phones.values())
        for body in bodies
    )


def test_the_morning_bank_statement_leaves_work_in_suspense(demo_db: Session) -> None:
    """Three credits no account matched wait in suspense with a task each in the demo user's
    team's Suspense queue; one matched credit paid £15.00 more than was owed, held in that
    account's suspense with a task to refund or apply it."""
    from caseterm.core.services import accounts, bank_suspense

    actor = resolve_actor(demo_db, LOGIN)
    held = bank_suspense.suspense_lines(demo_db, actor)
    assert [(x.amount_pence, x.payer, x.paid_on) for x in held] == [
        (5_000, "MR J SMYTHE", FROZEN.date() - timedelta(days=3)),  # Friday's statement
        (12_000, "K WELLS", FROZEN.date() - timedelta(days=3)),
        (3_550, "A PATEL", FROZEN.date() - timedelta(days=3)),
    ]
    queue = {r.task_id for r in queues.queue_page(demo_db, actor, key="suspense", limit=500)}
    assert {x.task_id for x in held} <= queue
    over = [
        t
        for t in demo_db.exec(select(Task).where(Task.kind == "suspense")).all()
        if t.title.startswith("Overpayment £15.00")
    ]
    assert len(over) == 1 and over[0].case_id is not None and over[0].status == "open"
    item = bank_suspense.suspense_item(demo_db, actor, task_id=over[0].id or 0)
    assert (item.kind, item.amount_pence) == ("overpayment", 1_500)
    view = accounts.show_account(demo_db, actor, reference_or_id=item.case_reference)
    assert (view.balance_pence, view.suspense_pence, view.status) == (0, 1_500, "paid")


def test_every_check_letter_task_has_a_letter_its_checker_may_approve(
    built: tuple[Database, DemoSummary],
) -> None:
    """Issue 18: a "Check letter before issue" task points at a case holding a letter submitted
        by a colleague that the task's checker may approve; the demo user's own two are on cases of
        their team, and approving one (in a transaction rolled back) marks the letter checked and
    completes the task."""
    from caseterm.core.models import Document
    from caseterm.core.services.letter_approval import approve_letter
    from caseterm.core.services.letter_views import checks_awaiting

    with built[0].read() as session:
        tasks = session.exec(
            select(Task).where(Task.status == "open", col(Task.title).startswith("Check letter"))
        ).all()
        me = _me(session)
        assert len([t for t in tasks if t.assignee_id == me.id]) == 2
        every = session.exec(select(Task).where(col(Task.title).startswith("Check letter"))).all()
        # Open or done, each names the letter it is about (the history's generic checks are
        # titled for what they check, never "letter").
        assert every and all((t.source or "").startswith("document:") for t in every)
        for task in tasks:
            assert task.assignee_id is not None, task.id
            checker = session.get(Staff, task.assignee_id)
            assert checker is not None
            awaiting = checks_awaiting(session, resolve_actor(session, checker.login))
            mine = [row for row in awaiting if row.case_id == task.case_id]
            assert mine, (task.id, task.case_id)
        actor = resolve_actor(session, LOGIN)
        task = next(t for t in tasks if t.assignee_id == me.id)
        doc = session.exec(
            select(Document).where(Document.case_id == task.case_id, Document.status == "submitted")
        ).first()
        assert doc is not None and doc.created_by_id != me.id
        assert task.source == f"document:{doc.id}"
        approve_letter(session, actor, document_id=doc.id or 0)
        session.flush()
        again = session.exec(select(Document.status).where(Document.id == doc.id)).one()
        assert again == "checked"
        done = session.exec(select(Task).where(Task.id == task.id)).one()
        assert (done.status, done.outcome) == ("done", f"letter #{doc.id} approved")
        session.rollback()


def test_the_demo_has_sampling_rates_and_a_draw_finds_work(demo_db: Session) -> None:
    """The small demo's co-ordinators have set sampling rates (the `%` screen lists them), so
    `checks draw` on the demo's yesterday draws something to check (a dry run: nothing written)."""
    from caseterm.core.services import checks

    actor = resolve_actor(demo_db, LOGIN)
    rates = checks.list_rates(demo_db, actor)
    assert {(r.team, r.work_kind, r.percent) for r in rates} >= {
        ("PRE-OM", "task", 10),
        ("PRE-FE", "write_off", 100),
    }
    clock.freeze(FROZEN)
    try:
        drawn = checks.draw_checks(demo_db, actor, dry_run=True)
    finally:
        clock.freeze(None)
    assert drawn.drawn and drawn.dry_run

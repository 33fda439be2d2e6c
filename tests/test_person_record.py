"""The master record: identifiers checked by type, date of death, contact details with history,
warnings with review and clearing, verification, the person view, duplicates, merging and search
by postcode, phone and email. Every refusal writes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import col, func, select

from caseterm.core import clock
from caseterm.core.errors import (
    PermissionDeniedError,
    RestrictedError,
    StaleEditError,
    ValidationError,
)
from caseterm.core.models import AuditEvent, CaseFile, ContactEntry, Person, PersonWarning, Task
from caseterm.core.rules.identifiers import check_identifier, contact_search_keys, pnc_letter
from caseterm.core.services import (
    cases,
    contacts,
    people,
    person_details,
    person_merge,
    person_view,
    person_warnings,
    search,
    verification,
)
from tests.factories import World


def _audit_count(world: World) -> int:
    with world.db.read() as s:
        return int(s.exec(select(func.count()).select_from(AuditEvent)).one())


# --- identifiers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("id_type", "value", "kept"),
    [
        ("NHS", "9434765919", "943 476 5919"),
        ("NINO", "ab123456c", "AB 12 34 56 C"),
        ("PNC", "01/12345H", "01/0012345H"),
        ("PNC", "2001/0012345H", "2001/0012345H"),
        ("CRN", "x123456", "X123456"),
        ("ACCOUNT", "FA00012345", "FA00012345"),
    ],
)
def test_valid_identifiers_are_kept_in_their_usual_form(
    id_type: str, value: str, kept: str
) -> None:
    assert check_identifier(id_type, value) == kept


@pytest.mark.parametrize(
    ("id_type", "value", "rule"),
    [
        ("NHS", "943 476 5918", "check digit (modulus 11) should be 9"),
        ("NHS", "12345", "ten digits with a modulus-11 check digit"),
        ("NINO", "QQ 12 34 56 C", "never issues a number starting with Q"),
        ("NINO", "AO 12 34 56 C", "never issues O as the second letter"),
        ("NINO", "GB 12 34 56 A", "never issues the prefix GB"),
        ("NINO", "AB 12 34 56 E", "two letters, six digits and a letter A to D"),
        ("PNC", "2001/0012345A", "check letter should be H, not A"),
        ("CRN", "123456", "one letter and six digits"),
        ("ACCOUNT", "12", "6 to 10 digits"),
    ],
)
def test_a_bad_identifier_is_refused_naming_the_rule(
    world: World, id_type: str, value: str, rule: str
) -> None:
    before = _audit_count(world)
    with pytest.raises(ValidationError, match="identifier") as err, world.db.write() as s:
        people.add_identifier(
            s, world.clerk, person_id=world.person.id or 0, id_type=id_type, value=value
        )
    assert rule in str(err.value)
    assert _audit_count(world) == before


def test_pnc_check_letter() -> None:
    assert pnc_letter("2001", "12345") == "H"


# --- date of death --------------------------------------------------------------------------


def test_date_of_death_with_source_is_recorded_and_audited(world: World) -> None:
    pid = world.person.id or 0
    with world.db.write() as s:
        death = person_details.record_death(
            s,
            world.clerk,
            person_id=pid,
            date_of_death=clock.today() - timedelta(days=3),
            source="phone call from the hospital ward",
            expected_version=world.person.version,
        )
    with world.db.read() as s:
        person = s.get(Person, pid)
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "person.death")).one()
    assert person is not None and person.date_of_death == clock.today() - timedelta(days=3)
    assert person.date_of_death_source == "phone call from the hospital ward"
    assert death.version == person.version and "hospital ward" in event.summary


@pytest.mark.parametrize(
    ("died", "source", "message"),
    [
        (date(1980, 1, 1), "x", "date_of_death: is before the date of birth (12/04/1988)"),
        (date(2099, 1, 1), "x", "date_of_death: is in the future"),
        (date(2026, 11, 20), "  ", "date_of_death_source"),
    ],
)
def test_a_wrong_date_of_death_is_refused(
    world: World, died: date, source: str, message: str
) -> None:
    with pytest.raises(ValidationError) as err, world.db.write() as s:
        person_details.record_death(
            s,
            world.clerk,
            person_id=world.person.id or 0,
            date_of_death=died,
            source=source,
            expected_version=None,
        )
    assert message in str(err.value)
    with world.db.read() as s:
        assert (s.get(Person, world.person.id)).date_of_death is None  # type: ignore[union-attr]


def test_editing_a_record_changed_since_it_was_read_is_refused(world: World) -> None:
    pid, version = world.person.id or 0, world.person.version
    with world.db.write() as s:
        people.update_person(s, world.worker, person_id=pid, expected_version=version, gender="F")
    with pytest.raises(StaleEditError, match="Wendy Worker"), world.db.write() as s:
        person_details.record_death(
            s,
            world.clerk,
            person_id=pid,
            date_of_death=date(2026, 11, 1),
            source="GP",
            expected_version=version,
        )


# --- contact details ------------------------------------------------------------------------


def test_a_new_address_ends_the_current_one_and_search_finds_postcode_phone_email(
    world: World,
) -> None:
    pid = world.person.id or 0
    with world.db.write() as s:
        first = person_details.add_contact(
            s, world.clerk, person_id=pid, kind="address", value="1 Fishergate, Preston PR1 2AB"
        )
        person_details.add_contact(
            s, world.clerk, person_id=pid, kind="address", value="9 Lune St, Lancaster LA1 1AA"
        )
        person_details.add_contact(
            s, world.clerk, person_id=pid, kind="phone", value="+44 1772 123456"
        )
        person_details.add_contact(
            s, world.clerk, person_id=pid, kind="email", value="Shiv@Example.org"
        )
    with world.db.write() as s:
        view = person_view.view_person(s, world.worker, person_id=pid)
        by_postcode = search.search(s, world.worker, text="pr1 2ab")
        by_phone = search.search(s, world.worker, text="01772 123456")
        by_email = search.search(s, world.worker, text="shiv@example.org")
    assert [a.current for a in view.addresses] == [True, False]
    assert view.addresses[1].id == first.id and view.addresses[1].valid_to == clock.today()
    for hits, matched in (
        (by_postcode, "address 1 Fishergate"),
        (by_phone, "phone +44 1772 123456"),
        (by_email, "email Shiv@Example.org"),
    ):
        assert hits and hits[0].person_id == pid and hits[0].matched.startswith(matched)
    assert contact_search_keys("Ann Smith") == []


def test_bad_contact_details_are_refused(world: World) -> None:
    pid = world.person.id or 0
    for kind, value, message in (
        ("email", "not an address", "email"),
        ("phone", "12", "too few digits"),
        ("fax", "0123", "unknown kind"),
    ):
        with pytest.raises(ValidationError, match=message), world.db.write() as s:
            person_details.add_contact(s, world.clerk, person_id=pid, kind=kind, value=value)


# --- warnings -------------------------------------------------------------------------------


def _warning(world: World, review_on: date | None = None) -> int:
    with world.db.write() as s:
        return (
            people.add_warning(
                s,
                world.clerk,
                person_id=world.person.id or 0,
                kind="risk_to_staff",
                text="Threatened staff at reception",
                desk_text="See a manager before seeing",
                review_on=review_on,
            ).id
            or 0
        )


def test_a_cleared_warning_stays_as_history(world: World) -> None:
    wid = _warning(world, date(2027, 5, 1))
    with world.db.write() as s:
        person_warnings.clear_warning(s, world.clerk, warning_id=wid, reason="risk assessed as low")
    with world.db.write() as s:
        view = person_view.view_person(s, world.worker, person_id=world.person.id or 0)
        live = people.warnings_for(s, world.person.id or 0)
    cleared = next(w for w in view.warnings if w.id == wid)
    assert not cleared.active and cleared.clear_reason == "risk assessed as low"
    assert cleared.cleared_by == "Claire Clerk" and cleared.review_on == date(2027, 5, 1)
    assert wid not in [w.id for w in live]
    with pytest.raises(ValidationError, match="already cleared"), world.db.write() as s:
        person_warnings.clear_warning(s, world.clerk, warning_id=wid, reason="again")
    with pytest.raises(ValidationError, match="reason"), world.db.write() as s:
        person_warnings.clear_warning(s, world.clerk, warning_id=_warning(world), reason=" ")


def test_a_review_date_in_the_past_or_an_unknown_kind_is_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="review_on: is in the past"), world.db.write() as s:
        people.add_warning(
            s,
            world.clerk,
            person_id=world.person.id or 0,
            kind="fraud",
            text="x",
            review_on=date(2026, 1, 1),
        )
    with pytest.raises(ValidationError, match="unknown warning kind"), world.db.write() as s:
        people.add_warning(s, world.clerk, person_id=world.person.id or 0, kind="x", text="x")


def test_a_due_review_raises_one_task_however_often_it_runs(
    world: World, frozen_clock: object
) -> None:
    wid = _warning(world, clock.today() + timedelta(days=3))
    clock.freeze(clock.now() + timedelta(days=4))
    with world.db.write() as s:
        first = person_warnings.raise_warning_reviews(s, world.clerk)
    with world.db.write() as s:
        again = person_warnings.raise_warning_reviews(s, None)
    assert len(first.task_ids) == 1 and again.task_ids == []
    with world.db.read() as s:
        task = s.get(Task, first.task_ids[0])
        warning = s.get(PersonWarning, wid)
    assert task is not None and task.kind == "warning_review" and task.case_id == world.case.id
    assert task.assignee_id == world.worker.id and task.source == f"person_warning:{wid}"
    assert warning is not None and warning.review_raised_on == warning.review_on


# --- verification ---------------------------------------------------------------------------


def test_verification_is_recorded_and_summarised(world: World) -> None:
    pid = world.person.id or 0
    with world.db.write() as s:
        verification.record_verification(
            s, world.clerk, person_id=pid, what="identity", evidence="passport 123456789"
        )
        verification.record_verification(
            s,
            world.clerk,
            person_id=pid,
            what="address",
            evidence="council tax bill",
            verified_on=date(2026, 11, 1),
        )
    with world.db.read() as s:
        summary = verification.verified_summary(s, pid)
    assert summary == f"Identity {clock.today():%d/%m/%Y} · Address 01/11/2026"
    for what, evidence, on, message in (
        ("shoe size", "x", None, "unknown 'shoe size'"),
        ("identity", "", None, "evidence"),
        ("identity", "x", date(2099, 1, 1), "verified_on: is in the future"),
    ):
        with pytest.raises(ValidationError, match=message), world.db.write() as s:
            verification.record_verification(
                s, world.clerk, person_id=pid, what=what, evidence=evidence, verified_on=on
            )


# --- the person view and restricted cases ---------------------------------------------------


def test_the_person_view_names_restricted_cases_only_by_whom_to_ask(world: World) -> None:
    pid = world.person.id or 0
    with world.db.write() as s:
        second = cases.open_case(
            s, world.clerk, case_type="UPW", subject_id=pid, owner_id=world.other.id
        )
        cases.restrict_case(s, world.manager, case_id=second.id or 0, allow=[world.other.id])
    with world.db.write() as s:
        view = person_view.view_person(s, world.worker, person_id=pid)
    shown = {c.reference: c for c in view.cases}
    hidden = shown[second.reference]
    assert hidden.restricted and hidden.shown == "restricted — ask Owen Other" and not hidden.status
    assert not shown[world.case.reference].restricted
    assert [n.family_name for n in view.aliases] == ["Brady"]
    assert [i.value for i in view.identifiers] == ["X123456"]


def test_a_person_whose_every_case_is_hidden_is_refused(world: World) -> None:
    with world.db.write() as s:
        cases.restrict_case(s, world.manager, case_id=world.case.id or 0, allow=[world.other.id])
    with pytest.raises(RestrictedError), world.db.write() as s:
        person_view.view_person(s, world.manager, person_id=world.person.id or 0)


def test_reception_may_not_read_the_person_screen(world: World) -> None:
    with pytest.raises(PermissionDeniedError), world.db.write() as s:
        person_view.view_person(s, world.desk, person_id=world.person.id or 0)


# --- duplicates -----------------------------------------------------------------------------


def test_a_likely_duplicate_needs_a_confirmation(world: World) -> None:
    same = people.PersonInput(
        given_name="Siobhan", family_name="O'Neill Brady", date_of_birth=date(1988, 4, 12)
    )
    with pytest.raises(people.LikelyDuplicateError) as err, world.db.write() as s:
        people.create_person(
            s, world.clerk, same, create_anyway=False, confirm="add --create-anyway"
        )
    assert err.value.matches[0].person_id == world.person.id
    assert "add --create-anyway to create a new one" in str(err.value)
    assert f"person {world.person.id} Siobhán O'Neill-Brady (born 12/04/1988" in str(err.value)
    with world.db.write() as s:
        created = people.create_person(s, world.clerk, same, create_anyway=True)
    assert created.id != world.person.id
    stranger = people.PersonInput(given_name="Tomasz", family_name="Nowak")
    with world.db.write() as s:
        assert people.create_person(s, world.clerk, stranger, create_anyway=False).id


# --- merging --------------------------------------------------------------------------------


def _duplicate(world: World) -> int:
    with world.db.write() as s:
        dup = people.create_person(
            s,
            world.clerk,
            people.PersonInput(
                given_name="Siobhan",
                family_name="ONeill",
                date_of_birth=date(1988, 4, 12),
                identifiers=[("NHS", "943 476 5919")],
            ),
        )
        case = cases.open_case(s, world.clerk, case_type="FINE", subject_id=dup.id or 0)
        contacts.log_contact(
            s, world.clerk, case_id=case.id or 0, contact_type="phone_in", notes="hi"
        )
        return dup.id or 0


def test_merge_moves_everything_and_leaves_a_tombstone(world: World) -> None:
    dup = _duplicate(world)
    survivor = world.person.id or 0
    with world.db.write() as s:
        preview = person_merge.preview_merge(s, world.clerk, survivor_id=survivor, merged_id=dup)
    assert preview.moves["cases"] == 1 and preview.moves["identifiers"] == 1
    assert preview.moves["names"] == 1
    assert any("family name" in d for d in preview.differences)
    with world.db.write() as s:
        person_merge.merge_people(
            s,
            world.clerk,
            survivor_id=survivor,
            merged_id=dup,
            reason="same NHS number",
            expected_versions=(preview.survivor.version, preview.merged.version),
        )
    with world.db.write() as s:
        tomb = s.get(Person, dup)
        fine = s.exec(select(CaseFile).where(CaseFile.reference.startswith("FE/"))).one()
        entries = s.exec(select(ContactEntry).where(ContactEntry.case_id == fine.id)).all()
        view = person_view.view_person(s, world.worker, person_id=dup)
        hits = search.search(s, world.worker, text="943 476 5919")
        by_old_name = search.search(s, world.worker, text="Siobhan ONeill")
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "person.merge")).all()
    assert tomb is not None and tomb.merged_into_id == survivor
    assert fine.subject_id == survivor and all(e.person_id in (None, survivor) for e in entries)
    assert view.id == survivor and view.asked_id == dup and view.merged_from == (dup,)
    assert "ONeill" in [n.family_name for n in view.aliases]
    assert hits[0].person_id == survivor
    assert by_old_name and {h.person_id for h in by_old_name} == {survivor}
    assert {e.person_id for e in events} == {survivor, dup}


def test_merge_refusals(world: World) -> None:
    dup = _duplicate(world)
    survivor = world.person.id or 0
    with (
        pytest.raises(ValidationError, match="cannot be merged into themselves"),
        world.db.write() as s,
    ):
        person_merge.merge_people(
            s, world.clerk, survivor_id=survivor, merged_id=survivor, reason="x"
        )
    with pytest.raises(PermissionDeniedError), world.db.write() as s:
        person_merge.merge_people(s, world.worker, survivor_id=survivor, merged_id=dup, reason="x")
    with pytest.raises(ValidationError, match="reason"), world.db.write() as s:
        person_merge.merge_people(s, world.clerk, survivor_id=survivor, merged_id=dup, reason=" ")
    with world.db.write() as s:
        person_merge.merge_people(
            s, world.clerk, survivor_id=survivor, merged_id=dup, reason="same"
        )
    with pytest.raises(ValidationError, match="is a tombstone"), world.db.write() as s:
        third = people.create_person(
            s, world.clerk, people.PersonInput(given_name="A", family_name="B")
        )
        person_merge.merge_people(
            s, world.clerk, survivor_id=dup, merged_id=third.id or 0, reason="x"
        )
    with pytest.raises(ValidationError, match="already merged"), world.db.write() as s:
        person_merge.preview_merge(s, world.clerk, survivor_id=survivor, merged_id=dup)
    with pytest.raises(ValidationError, match="was merged into"), world.db.write() as s:
        people.add_alias(s, world.clerk, person_id=dup, given="X", family="Y")
    with world.db.read() as s:
        moved = s.exec(
            select(func.count()).select_from(Person).where(col(Person.merged_into_id).is_not(None))
        ).one()
    assert moved == 1

"""The master record (issue 12): date of death, contact details, identifiers removed, warnings
cleared and reviewed, verification, the person view and merging."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlmodel import Session

from caseterm.core import clock
from caseterm.core.services import (
    people,
    person_details,
    person_merge,
    person_warnings,
    verification,
)
from tests.audit_scenarios import at_time, audited, reads
from tests.factories import World

reads("people", "live", "likely_duplicates")
reads("person_warnings", "warning_rows", "warning_reviews_due")
reads("verification", "verifications", "verified_summary")
reads("person_view", "view_person")
reads("person_merge", "preview_merge")


@audited("person_details", "record_death", "person.death")
def _death(s: Session, w: World, _: Any) -> None:
    person_details.record_death(
        s,
        w.clerk,
        person_id=w.person.id or 0,
        date_of_death=clock.today() - timedelta(days=2),
        source="hospital ward",
        expected_version=None,
    )


@audited("person_details", "add_contact", "person.contact.add")
def _add_contact(s: Session, w: World, _: Any) -> None:
    person_details.add_contact(
        s, w.clerk, person_id=w.person.id or 0, kind="address", value="1 Fishergate PR1 2AB"
    )


def _a_phone(w: World) -> int:
    with w.db.write() as s:
        return person_details.add_contact(
            s, w.clerk, person_id=w.person.id or 0, kind="phone", value="01772 123456"
        ).id


@audited("person_details", "end_contact", "person.contact.end", _a_phone)
def _end_contact(s: Session, w: World, contact_id: int) -> None:
    person_details.end_contact(
        s, w.clerk, person_id=w.person.id or 0, contact_id=contact_id, reason="number gone"
    )


def _an_identifier(w: World) -> int:
    with w.db.write() as s:
        return (
            people.add_identifier(
                s, w.clerk, person_id=w.person.id or 0, id_type="NHS", value="9434765919"
            ).id
            or 0
        )


@audited("person_details", "remove_identifier", "person.identifier.remove", _an_identifier)
def _remove_identifier(s: Session, w: World, ident_id: int) -> None:
    person_details.remove_identifier(
        s, w.clerk, person_id=w.person.id or 0, identifier_id=ident_id, reason="typed in error"
    )


def _a_warning(w: World) -> int:
    with w.db.write() as s:
        return (
            people.add_warning(
                s,
                w.clerk,
                person_id=w.person.id or 0,
                kind="risk_to_staff",
                text="threats",
                review_on=clock.today(),
            ).id
            or 0
        )


@audited("person_warnings", "clear_warning", "person.warning.clear", _a_warning)
def _clear(s: Session, w: World, warning_id: int) -> None:
    person_warnings.clear_warning(s, w.clerk, warning_id=warning_id, reason="assessed")


@audited("person_warnings", "raise_warning_reviews", "task.create", _a_warning)
def _reviews(s: Session, w: World, _: Any) -> None:
    with at_time(clock.now() + timedelta(days=1)):
        assert person_warnings.raise_warning_reviews(s, w.clerk).task_ids


@audited("verification", "record_verification", "person.verify")
def _verify(s: Session, w: World, _: Any) -> None:
    verification.record_verification(
        s, w.clerk, person_id=w.person.id or 0, what="identity", evidence="passport"
    )


def _duplicate(w: World) -> int:
    with w.db.write() as s:
        data = people.PersonInput(
            given_name="Siobhan", family_name="ONeill", date_of_birth=date(1988, 4, 12)
        )
        return people.create_person(s, w.clerk, data).id or 0


@audited("person_merge", "merge_people", "person.merge", _duplicate)
def _merge(s: Session, w: World, merged_id: int) -> None:
    person_merge.merge_people(
        s, w.clerk, survivor_id=w.person.id or 0, merged_id=merged_id, reason="same person"
    )

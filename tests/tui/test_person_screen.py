"""The person screen with Pilot: `p` on the case opens it; `e` edits the record (saved with its
version), `w` adds a warning, and the smaller forms add an identifier (a bad one refused), an
address, a verification and clear a warning; each is asserted in the database."""

from __future__ import annotations

from typing import Any

from sqlmodel import select
from textual.widgets import Input

from caseterm.core.models import (
    Person,
    PersonContact,
    PersonIdentifier,
    PersonVerification,
    PersonWarning,
)
from caseterm.core.services import people, verification
from caseterm.tui.person.details import PersonDetailScreen
from caseterm.tui.person.forms import PersonEditScreen, WarningFormScreen
from caseterm.tui.person.merge import MergeScreen
from caseterm.tui.person.screen import PersonScreen
from caseterm.tui.screens.case_detail import CaseDetailScreen
from tests.keys import press
from tests.tui.conftest import HOSTILE, TuiWorld, screen_text, settle, wait_for


async def test_p_opens_the_person_and_e_edits_the_record(tui_world: TuiWorld) -> None:
    w = tui_world.world
    with w.db.write() as s:
        verification.record_verification(
            s, w.clerk, person_id=w.person.id or 0, what="identity", evidence="passport"
        )
        people.add_warning(
            s, w.clerk, person_id=w.person.id or 0, kind="fraud", text=f"Flag {HOSTILE}"
        )
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_case(w.case.id or 0)
        await wait_for(pilot, lambda: isinstance(app.screen, CaseDetailScreen), 5)
        await settle(pilot)
        assert "verified Identity" in screen_text(app)
        await press(pilot, "p")
        await wait_for(pilot, lambda: isinstance(app.screen, PersonScreen), 5)
        await settle(pilot)
        text = screen_text(app)
        assert "Siobhán O'Neill-Brady" in text and "Also known as Shiv Brady" in text
        assert "CRN" in text and w.case.reference in text and "Identity:" in text
        assert "Fraud flag: Flag [@click=app.quit]x [bold]y" in text
        await press(pilot, "e")
        await wait_for(pilot, lambda: isinstance(app.screen, PersonEditScreen), 5)
        await settle(pilot)
        app.screen.query_one("#pe-language", Input).value = "Irish"
        app.screen.query_one("#pe-interpreter", Input).value = "y"
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, PersonScreen), 5)
        await settle(pilot)
        assert "language Irish · needs an interpreter" in screen_text(app)
    with w.db.read() as s:
        person = s.get(Person, w.person.id)
    assert person is not None and (person.language, person.interpreter) == ("Irish", True)
    assert person.version == w.person.version + 1 and person.updated_by_id == w.worker.id


async def test_w_adds_a_warning_and_a_bad_date_of_death_is_refused(tui_world: TuiWorld) -> None:
    w = tui_world.world
    app = tui_world.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(PersonScreen(w.person.id or 0))
        await settle(pilot)
        await press(pilot, "w")
        await wait_for(pilot, lambda: isinstance(app.screen, WarningFormScreen), 5)
        await settle(pilot)
        form = app.screen
        form.query_one("#pw-kind", Input).value = "risk_to_staff"
        form.query_one("#pw-reason", Input).value = "Threatened a member of staff"
        form.query_one("#pw-desk_text", Input).value = "Two staff present"
        form.query_one("#pw-review_on", Input).value = "01/06/2099"
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, PersonScreen), 5)
        await settle(pilot)
        await press(pilot, "e")
        await wait_for(pilot, lambda: isinstance(app.screen, PersonEditScreen), 5)
        await settle(pilot)
        app.screen.query_one("#pe-date_of_death", Input).value = "01/01/1980"
        app.screen.query_one("#pe-death_source", Input).value = "a letter"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PersonEditScreen)
        assert "is before the date of birth" in screen_text(app)
    with w.db.read() as s:
        warning = s.exec(select(PersonWarning)).one()
        person = s.get(Person, w.person.id)
    assert (warning.kind, warning.text, warning.desk_text) == (
        "risk_to_staff",
        "Threatened a member of staff",
        "Two staff present",
    )
    assert warning.review_on is not None and warning.review_on.year == 2099
    assert person is not None and person.date_of_death is None


async def _detail(pilot: Any, app: Any, key: str, values: dict[str, str]) -> None:
    await press(pilot, key)
    await wait_for(pilot, lambda: isinstance(app.screen, PersonDetailScreen), 5)
    await settle(pilot)
    for name, value in values.items():
        app.screen.query_one(f"#pd-{name}", Input).value = value
    await press(pilot, "ctrl+s")
    await settle(pilot)


async def test_identifier_contact_verification_and_clearing_a_warning(tui_world: TuiWorld) -> None:
    w = tui_world.world
    pid = w.person.id or 0
    with w.db.write() as s:
        wid = people.add_warning(s, w.clerk, person_id=pid, kind="fraud", text="Two claims").id
    app = tui_world.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(PersonScreen(pid))
        await settle(pilot)
        await _detail(pilot, app, "i", {"id_type": "NHS", "value": "943 476 5918"})
        assert isinstance(app.screen, PersonDetailScreen)  # refused: the form stays
        assert "check digit (modulus 11) should be 9" in screen_text(app)
        app.screen.query_one("#pd-value", Input).value = "943 476 5919"
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, PersonScreen), 5)
        await settle(pilot)
        await _detail(pilot, app, "c", {"kind": "address", "value": "2 Lune St, Preston PR1 2AB"})
        await wait_for(pilot, lambda: isinstance(app.screen, PersonScreen), 5)
        await _detail(pilot, app, "v", {"what": "address", "evidence": "council tax bill"})
        await wait_for(pilot, lambda: isinstance(app.screen, PersonScreen), 5)
        await _detail(pilot, app, "W", {"number": f"#{wid}", "reason": "checked: one claim"})
        await wait_for(pilot, lambda: isinstance(app.screen, PersonScreen), 5)
        await settle(pilot)
        text = screen_text(app)
        assert "NHS number (NHS): 943 476 5919" in text and "PR1 2AB (current)" in text
        assert "Address:" in text and "council tax bill" in text
        assert "cleared" in text and "checked: one claim" in text
    with w.db.read() as s:
        nhs = s.exec(select(PersonIdentifier).where(PersonIdentifier.id_type == "NHS")).one()
        warning = s.get(PersonWarning, wid)
        verified = s.exec(select(PersonVerification)).one()
        address = s.exec(select(PersonContact).where(PersonContact.person_id == pid)).one()
    assert nhs.person_id == pid and nhs.value == "943 476 5919"
    assert warning is not None and not warning.active and warning.cleared_by_id == w.worker.id
    assert (verified.what, verified.evidence, verified.verified_by_id) == (
        "address",
        "council tax bill",
        w.worker.id,
    )
    assert address.search_key == "PR12AB" and address.valid_to is None


async def test_M_previews_then_merges_a_duplicate(tui_world: TuiWorld) -> None:
    w = tui_world.world
    survivor = w.person.id or 0
    with w.db.write() as s:
        dup = people.create_person(
            s, w.clerk, people.PersonInput(given_name="Siobhan", family_name="ONeill")
        ).id
    app = tui_world.app(w.clerk)  # an administrator
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(PersonScreen(survivor))
        await settle(pilot)
        await press(pilot, "M")
        await wait_for(pilot, lambda: isinstance(app.screen, MergeScreen), 5)
        await settle(pilot)
        app.screen.query_one("#pm-duplicate", Input).value = str(dup)
        app.screen.query_one("#pm-reason", Input).value = "same date of birth and address"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert f"Merge person {dup} (Siobhan ONeill) into {survivor}: 1 names" in screen_text(app)
        with w.db.read() as s:
            before = s.get(Person, dup)
        assert before is not None and before.merged_into_id is None  # only a preview
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, PersonScreen), 5)
        await settle(pilot)
        assert "Also known as Shiv Brady; Siobhan ONeill" in screen_text(app)
    with w.db.read() as s:
        tomb = s.get(Person, dup)
    assert tomb is not None and tomb.merged_into_id == survivor

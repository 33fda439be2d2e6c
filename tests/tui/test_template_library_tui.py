"""The letter template library (`W`, managers and system administrators): `e` edits a template's
text, where an unknown merge field is refused with its line and nothing is saved, then a correct
text is previewed merged with a case (`ctrl+r`, still unsaved) and saved as the next version
(audited); `a` adds one; `enter` shows a template with the merge fields it uses and `p` previews
it merged with a case whose reference is typed."""

from __future__ import annotations

import pytest
from sqlmodel import select
from textual.widgets import Input, TextArea

from caseterm.core.errors import ValidationError
from caseterm.core.models import AuditEvent, LetterTemplate
from caseterm.tui.templates.form import TemplateFormScreen
from caseterm.tui.templates.library import TemplateLibraryScreen, TemplateViewScreen
from caseterm.tui.templates.text_screen import TextScreen, split_answer
from caseterm.tui.widgets.paged_table import PagedTable
from tests.keys import press
from tests.letter_helpers import BODY, add_template
from tests.tui.conftest import TuiWorld, screen_text, settle, wait_for

pytestmark = pytest.mark.sqlite_only


def _template(tui_world: TuiWorld, code: str) -> LetterTemplate | None:
    with tui_world.db.read() as s:
        return s.exec(select(LetterTemplate).where(LetterTemplate.code == code)).first()


async def test_edit_refuses_an_unknown_field_then_saves_and_a_adds(tui_world: TuiWorld) -> None:
    w = tui_world.world
    add_template(w)
    app = tui_world.app(w.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "W")
        await wait_for(pilot, lambda: isinstance(app.screen, TemplateLibraryScreen), 5)
        table = app.screen.query_one("#tl-table", PagedTable)
        await wait_for(pilot, lambda: table.count == 1, 5)
        await press(pilot, "e")
        await wait_for(pilot, lambda: isinstance(app.screen, TemplateFormScreen), 5)
        form = app.screen
        body = form.query_one("#tf-body", TextArea)
        await wait_for(pilot, lambda: body.text == BODY, 5)
        body.move_cursor((2, 0))
        await press(pilot, *"{{ person.shoe_size }} ")
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: "Not saved" in screen_text(app), 5)
        assert "line 3: unknown merge field person.shoe_size" in screen_text(app)
        assert isinstance(app.screen, TemplateFormScreen)
        kept = _template(tui_world, "APPT")
        assert kept is not None and (kept.version, kept.body) == (1, BODY)
        body.load_text(BODY + "PS bring {{ case.reference }}")
        body.move_cursor(body.document.end)
        await press(pilot, "!")
        await press(pilot, "ctrl+r")  # the text as it stands, merged with a case: not saved
        await wait_for(pilot, lambda: "Preview this text merged" in screen_text(app), 5)
        await press(pilot, *w.case.reference, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TextScreen), 5)
        await wait_for(pilot, lambda: f"PS bring {w.case.reference}!" in screen_text(app), 5)
        await press(pilot, "escape")
        await wait_for(pilot, lambda: app.screen is form, 5)
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, TemplateLibraryScreen), 5)
        await wait_for(pilot, lambda: "Saved APPT as version 2" in screen_text(app), 5)
        await press(pilot, "a")
        await wait_for(pilot, lambda: isinstance(app.screen, TemplateFormScreen), 5)
        await press(pilot, *"reminder", "tab", *"Reminder of your appointment", "tab", "tab")
        assert app.screen.query_one("#tf-name", Input).value == "Reminder of your appointment"
        app.screen.query_one("#tf-body", TextArea).focus()
        await press(pilot, *"Dear {{ person.full_name }}, see you {{ appointment.date }}.")
        await press(pilot, "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, TemplateLibraryScreen), 5)
        await wait_for(pilot, lambda: table.count == 2, 5)
    edited = _template(tui_world, "APPT")
    assert edited is not None and edited.version == 2
    assert edited.body == BODY + "PS bring {{ case.reference }}!\n"
    added = _template(tui_world, "REMINDER")
    assert added is not None and added.version == 1 and added.name == "Reminder of your appointment"
    assert added.body == "Dear {{ person.full_name }}, see you {{ appointment.date }}.\n"
    with tui_world.db.read() as s:
        actions = s.exec(
            select(AuditEvent.action).where(AuditEvent.entity == "letter_template")
        ).all()
    assert actions.count("template.edit") == 1 and actions.count("template.add") == 2


async def test_enter_shows_a_template_and_p_previews_it_with_a_case(tui_world: TuiWorld) -> None:
    w = tui_world.world
    add_template(w)
    app = tui_world.app(w.manager)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "W")
        await wait_for(pilot, lambda: isinstance(app.screen, TemplateLibraryScreen), 5)
        table = app.screen.query_one("#tl-table", PagedTable)
        await wait_for(pilot, lambda: table.count == 1, 5)
        await press(pilot, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TemplateViewScreen), 5)
        await wait_for(pilot, lambda: "Merge fields" in screen_text(app), 5)
        text = screen_text(app)
        assert "person.full_name, case.reference, office.name, today, officer.name" in text
        assert "Your case {{ case.reference }} is held at {{ office.name }}." in text
        await press(pilot, "p")
        await wait_for(pilot, lambda: "merged with which case?" in screen_text(app), 5)
        await press(pilot, *w.case.reference.lower(), "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TextScreen), 5)
        await wait_for(pilot, lambda: "Dear Siobhán" in screen_text(app), 5)
        assert f"Your case {w.case.reference} is held at Preston." in screen_text(app)


def test_a_preview_answer_is_a_reference_then_the_typed_values() -> None:
    assert split_answer(" om/2026/1 ; court=Preston; hearing_date = 1 May 2027") == (
        "om/2026/1",
        {"court": "Preston", "hearing_date": "1 May 2027"},
    )
    assert split_answer("OM/2026/1") == ("OM/2026/1", {})
    with pytest.raises(ValidationError, match="name=value"):
        split_answer("OM/2026/1; Preston")

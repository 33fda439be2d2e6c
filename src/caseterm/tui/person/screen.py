"""The person screen: names and aliases, dates of birth and death, identifiers, addresses with
history (current marked), phones, emails, language and interpreter, warnings (with history),
verification and every case of theirs (a restricted one only by whom to ask). `e` edits the
record, `w` adds a warning, and one key per smaller change (alias, identifier, contact detail,
verification, ending or removing one, clearing a warning: `tui/person/details.py`).

Opened from the case screen (`p`) and from search results (`p`). The data is one service call
(`person_view.view_person`), in a writing session only to log views of restricted cases."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, cast

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from caseterm.core.rules.catalogue import status_label
from caseterm.core.services import person_view
from caseterm.core.services.person_view import PersonView
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.keymap import binding
from caseterm.tui.messages import DataChanged
from caseterm.tui.safe import clean, content, template, uk_date
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.top_bar import TopBar


def person_lines(v: PersonView) -> list[Content]:
    """The record as lines of plain text (every stored value through `safe`)."""
    out: list[Content] = []

    def section(title: str) -> None:
        out.append(template("\n[b]$t[/b]", t=title))

    def line(text: str) -> None:
        out.append(content(text))

    moved = f" (person {v.asked_id} was merged into this record)" if v.asked_id != v.id else ""
    out.append(
        template(
            "[b]$name[/b]  person $id$moved",
            name=f"{v.title} {v.full_name}".strip(),
            id=str(v.id),
            moved=moved,
        )
    )
    born = uk_date(v.date_of_birth) if v.date_of_birth else "not known"
    line(
        f"Born {born}"
        + (
            f" · died {uk_date(v.date_of_death)} (source: {clean(v.date_of_death_source)})"
            if v.date_of_death
            else ""
        )
    )
    line(
        f"Gender {v.gender or '-'} · language {v.language}"
        + (" · needs an interpreter" if v.interpreter else "")
    )
    if v.aliases:
        line("Also known as " + "; ".join(f"{n.given_name} {n.family_name}" for n in v.aliases))
    section("Identifiers")
    for i in v.identifiers:
        line(f"#{i.id} {i.type_label} ({i.id_type}): {i.value}")
    if not v.identifiers:
        line("none")
    section("Addresses, phones and emails")
    for kind, rows in (("Address", v.addresses), ("Phone", v.phones), ("Email", v.emails)):
        for c in rows:
            state = "current" if c.current else f"until {uk_date(c.valid_to)}"
            line(f"#{c.id} {kind}: {c.value} ({state})")
    section("Warnings")
    for w in v.warnings:
        if w.active:
            review = f" · review {uk_date(w.review_on)}" if w.review_on else ""
            line(
                f"#{w.id} ▲ {w.kind_label}: {w.text}{review} · desk: {w.desk_text or '-'}"
                f" · {w.added_by}"
            )
        else:
            line(
                f"  cleared {uk_date(w.cleared_at.date() if w.cleared_at else None)} "
                f"{w.kind_label}: {w.text} — {w.clear_reason} ({w.cleared_by})"
            )
    if not v.warnings:
        line("none")
    section("Verification")
    for ver in v.verifications:
        line(
            f"{ver.what_label}: {uk_date(ver.verified_on)} from {ver.evidence} ({ver.verified_by})"
        )
    if not v.verifications:
        line("nothing verified")
    section("Cases")
    for pc in v.cases:
        if pc.restricted:
            line(f"{pc.reference}  {pc.shown}")
        else:
            status = status_label(pc.status)
            line(f"{pc.reference}  {pc.case_type} · {status} · {pc.role} · {pc.owner}")
    if not v.cases:
        line("no cases")
    return out


class PersonScreen(Screen[None]):
    HELP_TITLE = "Person"
    CSS_PATH = Path(__file__).with_name("person.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("e", "edit", "Edit person", "person_edit"),
        binding("w", "add_warning", "Add warning", "person_add_warning"),
        binding("a", "detail('alias')", "Add alias", "person_add_alias"),
        binding("i", "detail('identifier')", "Add identifier", "person_add_identifier"),
        binding("c", "detail('contact')", "Add address/phone/email", "person_add_contact"),
        binding("v", "detail('verify')", "Verify", "person_verify"),
        binding("x", "detail('end_contact')", "End contact detail", "person_end_contact"),
        binding(
            "D", "detail('remove_identifier')", "Remove identifier", "person_remove_identifier"
        ),
        binding("W", "detail('clear_warning')", "Clear warning", "person_clear_warning"),
        binding("M", "merge", "Merge a duplicate in", "person_merge"),
        binding("r", "refresh", "Refresh", "person_refresh"),
        binding("escape", "back", "Back", "person_back"),
    ]

    def __init__(self, person_id: int) -> None:
        super().__init__()
        self.person_id = person_id
        self.view: PersonView | None = None

    def compose(self) -> ComposeResult:
        yield TopBar("Person")
        with VerticalScroll(id="person-body"):
            yield Static(Content("Loading the person…"), id="person-record")
        yield Static("", id="person-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        actor, pid = cast(HasContext, self.app).ctx.actor, self.person_id
        run_db(
            self,
            lambda s: person_view.view_person(s, actor, person_id=pid),
            done=self._show,
            failed=self._failed,
            write="if_needed",
            what="reading the person",
            group="person-view",
            exclusive=True,
        )

    def _show(self, view: PersonView) -> None:
        self.view = view
        self.person_id = view.id
        self.query_one(TopBar).set_title(f"Person {view.id}")
        self.query_one("#person-record", Static).update(Content("\n").join(person_lines(view)))

    def _failed(self, error: Exception) -> None:
        self.query_one("#person-record", Static).update(Content(clean(describe_error(error))))
        self.app.notify(describe_error(error), severity="warning", markup=False)

    def action_refresh(self) -> None:
        self.load()

    def on_data_changed(self, _message: DataChanged) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        if self.view is not None:
            self.load()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_edit(self) -> None:
        if self.view is None:
            return
        from caseterm.tui.person.forms import PersonEditScreen

        self.app.push_screen(PersonEditScreen(self.view))

    def action_detail(self, which: str) -> None:
        if self.view is None:
            return
        from caseterm.tui.person.details import PersonDetailScreen

        self.app.push_screen(PersonDetailScreen(which, self.view.id))

    def action_merge(self) -> None:
        if self.view is None:
            return
        from caseterm.tui.person.merge import MergeScreen

        self.app.push_screen(MergeScreen(self.view.id, self.view.full_name))

    def action_add_warning(self) -> None:
        if self.view is None:
            return
        from caseterm.tui.person.forms import WarningFormScreen

        self.app.push_screen(WarningFormScreen(self.view.id, self.view.full_name))

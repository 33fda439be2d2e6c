"""The case header, always on screen above the sections: reference, type, status, priority,
subject, owner and warnings (and who else is editing). Every value is plain text."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from caseterm.core.rules.catalogue import WARNING_KINDS, label, status_label
from caseterm.core.services.case_state import LifecycleState
from caseterm.core.services.cases import CaseView
from caseterm.core.services.presence import Editor
from caseterm.tui import symbols
from caseterm.tui.safe import clean, template, uk_date

PRIORITIES = {1: "urgent", 2: "high", 3: "normal", 4: "low"}


def header_lines(
    view: CaseView, editors: list[Editor], verified: str = "", money: str = ""
) -> tuple[Content, Content, Content]:
    case, subject = view.case, view.subject
    status = status_label(case.status)
    if case.status_reason:
        status += f" ({case.status_reason})"
    first = template(
        "[b]$ref[/b]  $type · [b]$status[/b]$money · $priority$restricted",
        ref=case.reference,
        type=view.case_type.name,
        status=status,
        priority=f"P{case.priority} {PRIORITIES.get(case.priority, '')}".strip(),
        restricted=" · RESTRICTED" if case.restricted else "",
        money=f" · {money}" if money else "",
    )
    born = f" (b. {uk_date(subject.date_of_birth)})" if subject.date_of_birth else ""
    died = f" died {uk_date(subject.date_of_death)}" if subject.date_of_death else ""
    team = view.team.code if view.team else ""
    second = template(
        "[b]$name[/b]$born$died · owner $owner · admin $admin$team",
        name=subject.full_name,
        born=born,
        died=died,
        owner=view.owner.name if view.owner else "none",
        admin=view.admin_owner.name if view.admin_owner else "none",
        team=f" · {team}" if team else "",
    )
    if verified:
        second = second + template(" · [dim]verified $what[/dim]", what=verified)
    active = [w for w in view.warnings if w.active]
    if active:
        dot = f" {symbols.current().dot} "
        text = dot.join(f"{label(WARNING_KINDS, w.kind)}: {clean(w.text)}" for w in active)
        third = template(
            f"[b $text-warning]{symbols.current().warning} $n $what:[/] $text",
            n=str(len(active)),
            what="warning" if len(active) == 1 else "warnings",
            text=text,
        )
    else:
        third = template("[dim]No warnings[/dim]")
    if editors:
        third = third + template(
            "  [b $text-accent]$who[/]", who="; ".join(e.notice("this case") for e in editors)
        )
    return first, second, third


def lifecycle_text(state: LifecycleState) -> Content:
    """ "Closing: Death of the subject — 2 of 5 steps left · Transfer pending to Lancaster
    (acknowledge by 30/11/2026) · Paper file: Storage box, Preston, box 12" (empty when none)."""
    dot = f" {symbols.current().dot} "
    parts: list[Content] = []
    if state.closing_reason is not None:
        parts.append(
            template(
                "[b $text-warning]Closing:[/] $reason — $left of $total steps left$must",
                reason=state.closing_reason,
                left=str(state.steps_left),
                total=str(state.steps_total),
                must=f" ({state.mandatory_left} mandatory)" if state.mandatory_left else "",
            )
        )
    if state.transfer_to is not None:
        parts.append(
            template(
                "[b $text-warning]Transfer pending[/] to $office$team$ack",
                office=state.transfer_to,
                team=f", {state.transfer_team}" if state.transfer_team else "",
                ack=f" (acknowledge by {uk_date(state.acknowledge_by)})"
                if state.acknowledge_by
                else "",
            )
        )
    if state.file_location is not None:
        parts.append(template("Paper file: $where", where=state.file_location))
    return Content(dot).join(parts) if parts else Content("")


class CaseHeader(Vertical):
    DEFAULT_CSS = """
    CaseHeader {
        height: auto;
        max-height: 8;
        padding: 0 1;
        background: $boost;
        & > Static { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
        /* Warnings are safety information: wrapped onto as many lines as they need, never cut. */
        & > #case-line-3 { height: auto; text-wrap: wrap; }
        & > #case-line-4 { display: none; }
        & > #case-line-4.shown { display: block; }
        & > #case-line-4.overdue { color: $text-warning; text-style: bold; }
        & > #case-line-5 { display: none; }
        & > #case-line-5.shown { display: block; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(Content("Loading the case…"), id="case-line-1")
        yield Static("", id="case-line-2")
        yield Static("", id="case-line-3")
        yield Static("", id="case-line-4")  # the next statutory deadline, when a clock runs
        yield Static("", id="case-line-5")  # closing, transfer pending, where the paper file is

    def show(
        self, view: CaseView, editors: list[Editor], verified: str = "", money: str = ""
    ) -> None:
        """`verified`: what was verified about the subject; `money`: the account's balance line,
        on cases that have one."""
        for i, line in enumerate(header_lines(view, editors, verified, money), start=1):
            self.query_one(f"#case-line-{i}", Static).update(line)

    def show_deadline(self, text: str, *, overdue: bool = False) -> None:
        line = self.query_one("#case-line-4", Static)
        line.update(Content(clean(text)))
        line.set_class(bool(text), "shown")
        line.set_class(overdue, "overdue")

    def show_lifecycle(self, state: LifecycleState) -> None:
        text = lifecycle_text(state)
        line = self.query_one("#case-line-5", Static)
        line.update(text)
        line.set_class(bool(text.plain), "shown")

    def show_message(self, text: str) -> None:
        self.query_one("#case-line-1", Static).update(Content(clean(text)))

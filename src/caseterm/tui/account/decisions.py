"""A case's money decisions (`h` on the Account section): every write-off, remission,
adjustment and change of terms held for a checker, newest first, with who made it and when,
whether it is awaiting a checker, approved or rejected, by whom, when and why. Plain text only:
the reasons are what people typed."""

from __future__ import annotations

from typing import ClassVar, cast

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Static

from caseterm.core.services import money_decision_checks
from caseterm.core.services.money_decisions import Decision
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.messages import DataChanged
from caseterm.tui.safe import content, plain
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.paged_table import Column, PagedTable
from caseterm.tui.widgets.top_bar import TopBar

STATUS_WORDS = {"pending": "awaiting a checker", "approved": "approved", "rejected": "rejected"}


def _when(d: Decision) -> str:
    return f"{d.made_at:%d/%m/%y %H:%M}" if d.made_at else ""


def _outcome(d: Decision) -> str:
    said = STATUS_WORDS.get(d.status, d.status)
    if d.checker:
        said += f" by {d.checker}"
    if d.decided_at:
        said += f" {d.decided_at:%d/%m/%y}"
    return said


def _why(d: Decision) -> str:
    return d.decision_reason if d.status == "rejected" else d.why_held


COLUMNS: list[Column[Decision]] = [
    Column("#", lambda r: plain(str(r.id)), width=5, justify="right"),
    Column("Made", lambda r: plain(_when(r)), width=14),
    Column("By", lambda r: plain(r.maker), width=16, priority=2),
    Column("Decision", lambda r: plain(r.what), grow=2),
    Column("Outcome", lambda r: plain(_outcome(r)), width=30),
    Column("Why held / rejected", lambda r: plain(_why(r)), grow=1, priority=1),
]


class DecisionsScreen(Screen[None]):
    HELP_TITLE = "Money decisions"
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("r", "refresh", "Refresh", "decisions_refresh"),
        binding("escape", "back", "Back", "back"),
    ]

    def __init__(self, case_id: int, reference: str) -> None:
        super().__init__()
        self.case_id, self.reference = case_id, reference

    def compose(self) -> ComposeResult:
        yield TopBar(f"Money decisions on {self.reference}")
        yield Static(content("Reading…"), id="decisions-note")
        yield PagedTable(
            COLUMNS,
            row_key=lambda r: r.id,
            markable=False,
            empty_text="No decision on this account has been held for a checker.",
            id="decisions-table",
        )
        yield KeyBar()

    def on_mount(self) -> None:
        focus_now(self.query_one("#decisions-table", PagedTable))
        self.action_refresh()

    def action_refresh(self) -> None:
        actor, case_id = cast(HasContext, self.app).ctx.actor, self.case_id
        run_db(
            self,
            lambda s: money_decision_checks.case_decisions(s, actor, case_id=case_id),
            done=self._show,
            write="if_needed",
            what="reading the money decisions",
            group="decisions",
            exclusive=True,
        )

    def _show(self, rows: list[Decision]) -> None:
        self.query_one("#decisions-table", PagedTable).show_rows(rows, again=True)
        waiting = sum(1 for d in rows if d.status == "pending")
        self.query_one("#decisions-note", Static).update(
            content(
                f"{len(rows)} decision(s) held for a checker on {self.reference}, newest first; "
                f"{waiting} still awaiting one. Within an officer's limit a decision is posted "
                "at once and shows on the ledger only."
            )
        )

    def action_back(self) -> None:
        self.dismiss(None)

    def on_data_changed(self, _message: DataChanged) -> None:
        self.action_refresh()

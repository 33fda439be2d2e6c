"""Money decisions in Checks awaiting me: write-offs, remissions and changes of terms an officer
made beyond their limit, never my own (`money_decision_checks.decisions_awaiting`); `A` approves the
one under the cursor (only then is it posted), `X` rejects it with a reason."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Static

from caseterm.core.services import money_decision_checks
from caseterm.core.services.money_decision_checks import DecisionRow
from caseterm.core.services.money_decisions import Decision
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import run_db
from caseterm.tui.keymap import binding
from caseterm.tui.safe import content, plain, uk_datetime
from caseterm.tui.screens.prompt import PromptScreen
from caseterm.tui.widgets.paged_table import Column, PagedTable

MONEY_COLUMNS: list[Column[DecisionRow]] = [
    Column("Made", lambda r: uk_datetime(r.created_at), width=16),
    Column("Case", lambda r: plain(r.reference), width=15),
    Column("Decision", lambda r: plain(r.what), grow=3),
    Column("Officer", lambda r: plain(r.maker), width=18, hide_below=90),
]
MONEY_BINDINGS: list[Binding] = [
    binding("A", "approve_money", "Approve money decision", "money_approve"),
    binding("X", "reject_money", "Reject money decision", "money_reject"),
]


def money_widgets() -> Iterator[Widget]:
    yield Static("", id="money-note", markup=False)
    yield PagedTable(
        MONEY_COLUMNS,
        row_key=lambda r: r.id,
        markable=False,
        empty_text="No money decisions to check.",
        id="money-table",
    )
    yield Static("", id="money-status", markup=False)


def refresh_money(screen: Any) -> None:
    actor = cast(HasContext, screen.app).ctx.actor
    if not actor.has("money.approve"):
        screen.query_one("#money-note", Static).update(content(""))
        return

    def shown(rows: list[DecisionRow]) -> None:
        table = screen.query_one("#money-table", PagedTable)
        table.show_rows(rows, again=True)
        screen.query_one("#money-note", Static).update(
            content(f"{len(rows)} money decision(s) to check: A approves, X rejects.")
        )

    run_db(
        screen,
        lambda s: money_decision_checks.decisions_awaiting(s, actor),
        done=shown,
        what="reading the money decisions",
        group="money-checks",
        exclusive=True,
    )


class MoneyCheckActions:
    """The keys' actions, mixed into the checks screen."""

    def _money_status(self, text: str, *, error: bool = False) -> None:
        status = cast(Any, self).query_one("#money-status", Static)
        status.update(content(text))
        status.set_class(error, "-error")

    def _money_row(self) -> DecisionRow | None:
        row = cast(Any, self).query_one("#money-table", PagedTable).current_row
        if row is None:
            self._money_status("No money decision under the cursor", error=True)
        return cast("DecisionRow | None", row)

    def _money_done(self, d: Decision) -> None:
        self._money_status(f"Decision #{d.id} {d.status}: {d.what}")
        refresh_money(self)

    def action_approve_money(self) -> None:
        row = self._money_row()
        if row is None:
            return
        screen: Any = self
        actor, decision_id = cast(HasContext, screen.app).ctx.actor, row.id
        run_db(
            screen,
            lambda s: money_decision_checks.approve_decision(s, actor, decision_id=decision_id),
            write=True,
            done=self._money_done,
            what="approving the decision",
        )

    def action_reject_money(self) -> None:
        row = self._money_row()
        if row is None:
            return
        screen: Any = self
        decision_id = row.id
        screen.app.push_screen(
            PromptScreen(f"Reject decision #{decision_id}: why? (the officer sees this)", "reason"),
            lambda reason: self._rejected(decision_id, reason),
        )

    def _rejected(self, decision_id: int, reason: str | None) -> None:
        if not reason:
            self._money_status("Not rejected: a reason is required", error=True)
            return
        screen: Any = self
        actor = cast(HasContext, screen.app).ctx.actor
        run_db(
            screen,
            lambda s: money_decision_checks.reject_decision(
                s, actor, decision_id=decision_id, reason=reason
            ),
            write=True,
            done=self._money_done,
            what="rejecting the decision",
        )

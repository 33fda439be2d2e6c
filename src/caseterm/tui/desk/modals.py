"""The desk's two dialogs: logging a walk-in, and closing the session."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from caseterm.core.services.reception import DeskRow
from caseterm.tui.focus import focus_now
from caseterm.tui.safe import clean
from caseterm.tui.widgets.plain_input import PlainInput


@dataclass
class WalkIn:
    person_id: int | None
    name: str
    reason: str


class WalkInDialog(ModalScreen[WalkIn | None]):
    """Reason for the visit (and the name when the person isn't on file)."""

    DEFAULT_CSS = """
    WalkInDialog { align: center middle; }
    WalkInDialog > Vertical { width: 70; max-width: 100%; height: auto; border: round $accent;
        padding: 0 1; background: $surface; }
    WalkInDialog .error { color: $error; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("ctrl+s", "save", "Log walk-in", id="save_form"),
    ]

    def __init__(
        self, person_id: int | None, name: str, *, reason: str = "", error: str = ""
    ) -> None:
        """`reason` and `error`: shown again after logging it failed, with why."""
        super().__init__()
        self.person_id = person_id
        self.person_name = name
        self.reason = reason
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Walk-in (no appointment today)", style="bold"))
            if self.person_id is None:
                yield Label("Name")
                yield PlainInput(value=clean(self.person_name), id="name")
            else:
                yield Static(Text("For: ") + Text(clean(self.person_name), style="bold"))
            yield Label("Reason for the visit")
            yield PlainInput(
                value=clean(self.reason), placeholder="e.g. lost appointment letter", id="reason"
            )
            yield Static(Text(clean(self.error)), id="error", classes="error")
            yield Static(Text("enter / ctrl+s log it · escape cancel", style="dim"))

    def on_mount(self) -> None:
        focus_now(self.query_one("#name" if self.person_id is None else "#reason", Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "name":
            self.query_one("#reason", Input).focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        name = (
            self.person_name
            if self.person_id is not None
            else self.query_one("#name", Input).value.strip()
        )
        if not name:
            self.query_one("#error", Static).update("Give the visitor's name")
            return
        if not reason:
            self.query_one("#error", Static).update("Give the reason for the visit")
            return
        self.dismiss(WalkIn(self.person_id, name, reason))

    def action_cancel(self) -> None:
        self.dismiss(None)


class CloseSessionDialog(ModalScreen[list[int] | None]):
    """The not-arrived, all ticked: confirming marks the ticked ones failed to attend."""

    DEFAULT_CSS = """
    CloseSessionDialog { align: center middle; }
    CloseSessionDialog > Vertical { width: 80; max-width: 100%; height: auto; max-height: 90%;
        border: round $warning; padding: 0 1; background: $surface; }
    CloseSessionDialog SelectionList { height: auto; max-height: 16; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("ctrl+s", "confirm", "Mark failed to attend", id="save_form"),
    ]

    def __init__(self, rows: list[DeskRow]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Close of session: never arrived", style="bold"))
            if not self.rows:
                yield Static("Everyone expected so far has arrived. Nothing to mark.")
            else:
                yield Static(
                    "Ticked appointments will be marked failed to attend; each logs a contact "
                    "entry and raises a follow-up task for the owner. space untick · ctrl+s confirm"
                )
                yield SelectionList[int](
                    *[
                        Selection(
                            Text(f"{r.starts_at:%H:%M}  ")
                            + Text(clean(r.person_name))
                            + Text(f"  ({clean(r.staff_name)})"),
                            r.appointment_id,
                            True,
                        )
                        for r in self.rows
                    ]
                )
            yield Static(Text("escape cancel", style="dim"))

    def action_confirm(self) -> None:
        if not self.rows:
            self.dismiss(None)
            return
        self.dismiss(list(self.query_one(SelectionList).selected))

    def action_cancel(self) -> None:
        self.dismiss(None)

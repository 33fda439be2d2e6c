"""The workstation app: one factory used by the command line and the tests, database injected.

    app = CasetermApp(TuiContext(db, actor))
    app.run()

Screens reach the database and the acting member of staff through `app.ctx` and call services
in thread workers (`caseterm.tui.dbwork.run_db`). The app owns what every screen shares: the
keymap, the command palette, live updates from other processes, notifications addressed to the
user, and the "waiting for the database…" indicator.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen

from caseterm.core.services import notifications, org
from caseterm.tui.context import TuiContext
from caseterm.tui.dbwork import WAITING_AFTER, run_db
from caseterm.tui.first_rows import EarlyPage
from caseterm.tui.keymap import apply_user_keymap, binding, binding_ids
from caseterm.tui.live import LiveUpdates
from caseterm.tui.messages import DataChanged, NotificationsArrived
from caseterm.tui.mode_app import NO_COLOR_CSS
from caseterm.tui.screens.queues import QueuesScreen


def commands_provider() -> type[Any]:
    """The palette's provider, imported when the palette first opens."""
    from caseterm.tui.commands import CasetermCommands

    return CasetermCommands


# Screens written alongside this module; imported only when first used.
CONTACT_ENTRY = ("caseterm.tui.screens.contact_entry", "ContactEntryScreen")
SEARCH = ("caseterm.tui.screens.search", "SearchScreen")
DIARY = ("caseterm.tui.screens.diary", "DiaryScreen")
BOARD = ("caseterm.tui.board.screen", "BoardScreen")


def screen_classes() -> tuple[type, ...]:
    """Everything of ours that declares bindings (for checking a user keymap). Imported here,
    not at start-up: the first screen should not wait for screens nobody has opened yet."""
    from caseterm.tui.screens.case_detail import CaseDetailScreen
    from caseterm.tui.screens.help import HelpScreen
    from caseterm.tui.screens.pickers import AssignScreen, BringForwardScreen
    from caseterm.tui.screens.record_view import RecordScreen
    from caseterm.tui.screens.stale import StaleScreen
    from caseterm.tui.widgets.paged_table import PagedTable

    return (
        QueuesScreen,
        CaseDetailScreen,
        HelpScreen,
        StaleScreen,
        RecordScreen,
        AssignScreen,
        BringForwardScreen,
        PagedTable,
    )


# App actions a role may lack (any one of the capabilities will do): hidden from the palette
# and the help screen, and refused.
ACTION_CAPABILITIES: dict[str, tuple[str, ...]] = {
    "triage": ("task.work",),
    "reception": ("reception.desk",),
    "log_incoming": ("task.work", "reception.desk"),  # the desk logs walk-ins and post too
}


# Keys that go somewhere else: not offered while a form or a dialog is open (a `d` pressed on a
# picker of the contact form would otherwise open the diary over the half-typed entry).
LEAVING_ACTIONS = frozenset({"search", "diary", "triage", "reception", "log_incoming", "board"})

STARTUP_GRACE = 0.3  # seconds before live updates and the unsaved-work check start


class CasetermApp(App[None], inherit_bindings=False):
    """The case administration workstation."""

    CSS_PATH = ["app.tcss", NO_COLOR_CSS]  # NO_COLOR: highlighted choices underlined
    TITLE = "caseterm"
    COMMANDS: ClassVar[set[Any]] = {commands_provider}
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("ctrl+q", "quit", "Quit", "quit", priority=True),
        Binding("ctrl+c", "help_quit", show=False, system=True),
        binding(
            "ctrl+p", "command_palette", "Commands", "command_palette", show=False, priority=True
        ),
        binding("question_mark,f1", "help", "Help", "help"),
        binding("slash", "search", "Search", "search", key_display="/"),
        binding("d", "diary", "Diary", "diary"),
        binding("T", "triage", "Triage incoming items", "triage", show=False),
        binding("R", "reception", "Reception check-in", "reception", show=False),
        binding("I", "log_incoming", "Log incoming item", "log_incoming", show=False),
        binding("B", "board", "Team board", "board", show=False),
        binding("escape", "back", "Back", "back"),
    ]

    db_waiting: reactive[str] = reactive("")
    """"Waiting for the database… (what)" while a call has taken longer than WAITING_AFTER."""

    def __init__(
        self,
        ctx: TuiContext,
        *,
        keymap: Mapping[str, str] | None = None,
        live: bool = True,
        poll_interval: float | None = None,
        start_queue: str | None = None,
        early: EarlyPage | None = None,
        when_started: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.start_queue = start_queue
        self._early = early  # the home queue's first rows, read while the app started
        self._when_started = when_started  # called once the first screen is up
        self._keymap_override = dict(keymap) if keymap is not None else None
        self.live = LiveUpdates(self, ctx, early=early) if live else None
        if self.live is not None and poll_interval is not None:
            self.live.interval = poll_interval
        self.data_generation = 0
        self._db_calls: dict[int, tuple[str, float]] = {}
        self._next_token = 0

    # ---------------------------------------------------------------- start-up

    def get_default_screen(self) -> Screen[Any]:
        early, self._early = self._early, None
        return QueuesScreen(self.start_queue, early)

    def on_mount(self) -> None:
        self._apply_keymap()
        # Background reads wait a moment: the first rows on screen matter more.
        self.set_timer(STARTUP_GRACE, self._start_background_work)

    def _start_background_work(self) -> None:
        if self._when_started is not None:
            self._when_started()
        if self.live is not None:
            self.live.start()
        self._announce_unsaved_work()

    def _announce_unsaved_work(self) -> None:
        """Contact entries typed and never saved (an SSH drop, a killed terminal)."""
        from caseterm.tui.screens.contact_entry_drafts import announce_pending_drafts

        announce_pending_drafts(self)

    def _apply_keymap(self) -> None:
        if self._keymap_override is not None:
            self.set_keymap(self._keymap_override)
            return
        apply_user_keymap(self, lambda: binding_ids((CasetermApp, *screen_classes())))

    # ---------------------------------------------------------------- HasContext

    def open_case(self, case_id: int) -> None:
        """Show the case detail screen (restricted cases say whom to ask)."""
        from caseterm.tui.screens.case_detail import CaseDetailScreen

        self.push_screen(CaseDetailScreen(case_id))

    def open_case_ref(self, reference: str) -> None:
        """Open a case by reference as typed (`om/2026/12` is OM/2026/000012)."""
        from caseterm.core.services.search import parse_reference
        from caseterm.tui.screens.case_detail import CaseDetailScreen

        self.push_screen(CaseDetailScreen(parse_reference(reference) or reference.strip()))

    def new_contact(self, case_id: int) -> None:
        """The contact log entry form for `case_id`."""
        self._push_lazy(CONTACT_ENTRY, case_id)

    def _push_lazy(self, which: tuple[str, str], *args: Any) -> None:
        module_name, class_name = which
        cls = getattr(importlib.import_module(module_name), class_name)
        self.push_screen(cls(*args))

    # ---------------------------------------------------------------- actions

    def action_help(self) -> None:
        from caseterm.tui.screens.help import show_help

        show_help(self)

    def action_search(self) -> None:
        self._push_lazy(SEARCH)

    def action_diary(self) -> None:
        self._push_lazy(DIARY)

    def action_board(self) -> None:
        """The team information board: today's figures for your team."""
        self._push_lazy(BOARD)

    def action_triage(self) -> None:
        """Triage mode: one incoming item at a time (escape comes back here)."""
        from caseterm.tui.triage.screen import TriageScreen

        self.push_screen(TriageScreen(can_leave=True))

    def action_log_incoming(self) -> None:
        """The form for an incoming item (post, phone message, referral, walk-in)."""
        from caseterm.tui.screens.incoming_entry import IncomingEntryScreen

        self.push_screen(IncomingEntryScreen(), self._incoming_logged)

    def _incoming_logged(self, task_id: int | None) -> None:
        # Our own write shows at once in the queues, without waiting for the live poll.
        if task_id is not None and isinstance(self.screen, QueuesScreen):
            self.screen.refresh_data()

    def action_reception(self) -> None:
        """The reception desk for the user's own office (escape on an empty search comes back)."""
        office_id = self.ctx.actor.office_id
        if office_id is None:
            self.notify("You have no office: ask a system administrator.", severity="warning")
            return
        run_db(
            self,
            lambda s: next((o.name for o in org.list_offices(s) if o.id == office_id), None),
            done=lambda name: self._open_desk(office_id, name),
            what="finding your office",
            group="open-desk",
            exclusive=True,
        )

    def _open_desk(self, office_id: int, office_name: str | None) -> None:
        from caseterm.tui.desk.screen import DeskScreen

        if office_name is None:
            self.notify(f"Office {office_id} no longer exists.", severity="warning")
            return
        self.push_screen(DeskScreen(office_id, office_name, can_leave=True))

    async def action_back(self) -> None:
        if len(self.screen_stack) > 1:
            await self.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return len(self.screen_stack) > 1
        if action in LEAVING_ACTIONS and self._on_a_form():
            return False  # a key typed on a form's picker must not carry the form away
        needs = ACTION_CAPABILITIES.get(action)
        return needs is None or any(self.ctx.actor.has(n) for n in needs)

    def _on_a_form(self) -> bool:
        screen = self.screen
        if isinstance(screen, CommandPalette):
            return False  # the palette runs what was chosen from it
        return isinstance(screen, ModalScreen) or bool(getattr(screen, "IS_FORM", False))

    # ---------------------------------------------------------------- live updates

    def on_data_changed(self, message: DataChanged) -> None:
        if message.generation <= self.data_generation:
            return
        self.data_generation = message.generation
        self.screen.post_message(DataChanged(message.generation))

    def on_notifications_arrived(self, message: NotificationsArrived) -> None:
        for _id, kind, text in message.notes:
            self.notify(text, title=kind.replace("_", " ").capitalize(), timeout=10, markup=False)
        ids = [i for i, _, _ in message.notes]
        actor = self.ctx.actor
        run_db(
            self,
            lambda s: notifications.mark_read(s, actor, ids),
            write=True,
            what="",
            group="notifications",
        )

    # ---------------------------------------------------------------- waiting indicator

    def db_call_started(self, what: str) -> int:
        self._next_token += 1
        self._db_calls[self._next_token] = (what, time.monotonic())
        self.set_timer(WAITING_AFTER, self._update_waiting)
        return self._next_token

    def db_call_finished(self, token: int) -> None:
        self._db_calls.pop(token, None)
        self._update_waiting()

    def _update_waiting(self) -> None:
        now = time.monotonic()
        slow = [w for w, started in self._db_calls.values() if now - started >= WAITING_AFTER]
        if not slow:
            self.db_waiting = ""
            return
        what = next((w for w in slow if w), "")
        self.db_waiting = "Waiting for the database…" + (f" ({what})" if what else "")
        self.set_timer(0.5, self._update_waiting)

"""The workstation app: one factory used by the command line and the tests, database injected.

    app = CasetermApp(TuiContext(db, actor))
    app.run()

Screens reach the database and the acting member of staff through `app.ctx` and call services
in thread workers (`caseterm.tui.dbwork.run_db`). What every caseterm app shares (the keymap,
live updates from other processes, notifications addressed to the user, the "waiting for the
database…" indicator) is `caseterm.tui.base_app.CasetermBaseApp`; this adds the command palette
and the ways to the other screens.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.screen import ModalScreen, Screen

from caseterm.core.services import org
from caseterm.tui.base_app import NO_COLOR_CSS, STARTUP_GRACE, CasetermBaseApp
from caseterm.tui.context import TuiContext
from caseterm.tui.dbwork import RECONNECT_FOR, run_db
from caseterm.tui.first_rows import EarlyPage
from caseterm.tui.keymap import binding
from caseterm.tui.screens.queues import QueuesScreen

if TYPE_CHECKING:
    from caseterm.core.services.letter_proposals import Proposal

__all__ = ["STARTUP_GRACE", "CasetermApp"]


def commands_provider() -> type[Any]:
    """The palette's provider, imported when the palette first opens."""
    from caseterm.tui.commands import CasetermCommands

    return CasetermCommands


# Screens written alongside this module; imported only when first used.
CONTACT_ENTRY = ("caseterm.tui.contact_entry.screen", "ContactEntryScreen")
SEARCH = ("caseterm.tui.screens.search", "SearchScreen")
DIARY = ("caseterm.tui.screens.diary", "DiaryScreen")
BOARD = ("caseterm.tui.board.screen", "BoardScreen")
CHECKS = ("caseterm.tui.letters.checks_screen", "ChecksScreen")
LETTER_DRAFT = ("caseterm.tui.letters.draft_screen", "LetterDraftScreen")
LETTER = ("caseterm.tui.letters.letter_screen", "LetterScreen")
BANK_IMPORT = ("caseterm.tui.bank.import_screen", "BankImportScreen")
BANKING = ("caseterm.tui.bank.banking_screen", "BankingScreen")
ORG = ("caseterm.tui.org.screen", "OrgScreen")
TEMPLATES = ("caseterm.tui.templates.library", "TemplateLibraryScreen")
CLOCK_RULES = ("caseterm.tui.rules.clock_screen", "ClockRulesScreen")
SAMPLING_RATES = ("caseterm.tui.rules.rates_screen", "SamplingRatesScreen")
ENFORCEMENT_PATHS = ("caseterm.tui.rules.enforcement_screen", "EnforcementPathsScreen")


def screen_classes() -> tuple[type, ...]:
    """Everything of ours that declares bindings (for checking a user keymap). Imported here,
    not at start-up: the first screen should not wait for screens nobody has opened yet."""
    from caseterm.tui.bank.banking_screen import BankingScreen
    from caseterm.tui.bank.cashup_screen import CashUpScreen
    from caseterm.tui.bank.import_screen import BankImportScreen
    from caseterm.tui.letters.checks_screen import ChecksScreen
    from caseterm.tui.letters.draft_screen import LetterDraftScreen
    from caseterm.tui.letters.letter_screen import LetterScreen
    from caseterm.tui.letters.sampled_check import SampledCheckScreen
    from caseterm.tui.org.screen import OrgScreen
    from caseterm.tui.person.details import PersonDetailScreen
    from caseterm.tui.person.forms import PersonEditScreen, WarningFormScreen
    from caseterm.tui.person.merge import MergeScreen
    from caseterm.tui.person.screen import PersonScreen
    from caseterm.tui.rules.clock_screen import ClockRulesScreen
    from caseterm.tui.rules.enforcement_screen import EnforcementPathsScreen
    from caseterm.tui.rules.rates_screen import SamplingRatesScreen
    from caseterm.tui.screens.case_detail import CaseDetailScreen
    from caseterm.tui.screens.case_reviews import ReviewScreen
    from caseterm.tui.screens.help import HelpScreen
    from caseterm.tui.screens.pickers import AssignScreen, BringForwardScreen
    from caseterm.tui.screens.record_view import RecordScreen
    from caseterm.tui.screens.stale import StaleScreen
    from caseterm.tui.templates import form as template_form
    from caseterm.tui.templates import library as template_library
    from caseterm.tui.widgets.paged_table import PagedTable

    return (
        ChecksScreen,
        LetterDraftScreen,
        LetterScreen,
        QueuesScreen,
        CaseDetailScreen,
        PersonScreen,
        PersonEditScreen,
        WarningFormScreen,
        PersonDetailScreen,
        MergeScreen,
        HelpScreen,
        StaleScreen,
        RecordScreen,
        AssignScreen,
        BringForwardScreen,
        PagedTable,
        BankImportScreen,
        BankingScreen,
        CashUpScreen,
        OrgScreen,
        ReviewScreen,
        SampledCheckScreen,
        *template_library.KEYMAP_CLASSES,
        *template_form.KEYMAP_CLASSES,
        ClockRulesScreen,
        SamplingRatesScreen,
        EnforcementPathsScreen,
    )


# App actions a role may lack (any one of the capabilities will do): hidden from the palette
# and the help screen, and refused.
ACTION_CAPABILITIES: dict[str, tuple[str, ...]] = {
    "triage": ("task.work",),
    "reception": ("reception.desk",),
    "log_incoming": ("task.work", "reception.desk"),  # the desk logs walk-ins and post too
    "checks": ("document.check",),
    "office_phone": ("office.admin",),
    "bank_import": ("money.bank",),
    "banking": ("money.bank",),
    "org_admin": ("staff.admin",),
    "templates": ("template.admin",),
    "clock_rules": ("case.read",),  # everyone reads them; `e`, `a`, `d` need rules.admin
    "sampling_rates": ("check.rate",),
    "enforcement_paths": ("case.read",),  # everyone reads them; `e` and `d` need money.paths
}


# Keys that go somewhere else: not offered while a form or a dialog is open (a `d` pressed on a
# picker of the contact form would otherwise open the diary over the half-typed entry).
LEAVING_ACTIONS = frozenset(
    {"search", "diary", "triage", "reception", "log_incoming", "board", "checks", "office_phone"}
    | {"bank_import", "banking"}
    | {"org_admin"}
    | {"templates"}
    | {"clock_rules", "sampling_rates"}
    | {"enforcement_paths"}
)


class CasetermApp(CasetermBaseApp, inherit_bindings=False):
    """The case administration workstation."""

    # By path: a relative one would be looked up beside a subclass's module.
    CSS_PATH = [Path(__file__).with_name("app.tcss"), NO_COLOR_CSS]  # NO_COLOR: underlined
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
        binding("K", "checks", "Checks awaiting me", "checks_awaiting", show=False),
        binding("H", "office_phone", "Office phone on letters", "office_phone", show=False),
        binding("M", "bank_import", "Import a bank statement", "bank_import", show=False),
        # Not `$`: that takes a payment on a case.
        binding("Y", "banking", "Banking against the cash-up", "banking", show=False),
        binding("N", "org_admin", "Offices, teams and rooms", "org_admin", show=False),
        binding("W", "templates", "Letter templates", "letter_templates", show=False),
        binding("C", "clock_rules", "Clock rules and closure days", "clock_rules", show=False),
        binding(
            "percent_sign",
            "sampling_rates",
            "Sampling rates for checks",
            "sampling_rates",
            show=False,
            key_display="%",
        ),
        binding("F", "enforcement_paths", "Enforcement paths", "enforcement_paths", show=False),
        binding("escape", "back", "Back", "back"),
    ]

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
        reconnect_for: float = RECONNECT_FOR,
        schedule: bool | None = None,
    ) -> None:
        super().__init__(
            ctx,
            keymap=keymap,
            live=live,
            poll_interval=poll_interval,
            early=early,
            reconnect_for=reconnect_for,
        )
        self.start_queue = start_queue
        self._early = early  # the home queue's first rows, read while the app started
        self._when_started = when_started  # called once the first screen is up
        # The statutory-clock scheduler runs with live updates unless told (tests pass it).
        self._schedule = live if schedule is None else schedule

    # ---------------------------------------------------------------- start-up

    def get_default_screen(self) -> Screen[Any]:
        early, self._early = self._early, None
        return QueuesScreen(self.start_queue, early)

    def _start_background_work(self) -> None:
        if self._when_started is not None:
            self._when_started()
        super()._start_background_work()
        self._announce_unsaved_work()
        if self._schedule:
            from caseterm.tui import clock_timer

            clock_timer.start(self)
            from caseterm.tui import intake_timer

            intake_timer.start(self)

    def _announce_unsaved_work(self) -> None:
        """Contact entries typed and never saved (an SSH drop, a killed terminal)."""
        from caseterm.tui.unsaved_work import announce_pending_drafts

        announce_pending_drafts(self)

    def keymap_classes(self) -> tuple[type, ...]:
        return (CasetermApp, *screen_classes())

    # ---------------------------------------------------------------- HasContext

    def open_case(self, case_id: int) -> None:
        """Show the case detail screen (restricted cases say whom to ask), read first so that
        its first frame is the finished one."""
        self._open_case(case_id)

    def open_case_section(self, case_id: int, section: str) -> None:
        """The case detail screen shown on one of its sections (an Enforcement task: the
        account)."""
        self._open_case(case_id, section)

    def open_case_ref(self, reference: str) -> None:
        """Open a case by reference as typed (`om/2026/12` is OM/2026/000012)."""
        from caseterm.core.services.search import parse_reference

        self._open_case(parse_reference(reference) or reference.strip())

    def _open_case(self, case: int | str, section: str | None = None) -> None:
        from caseterm.tui.screens.case_detail import CaseDetailScreen
        from caseterm.tui.screens.case_opening import OpenedCase, open_case

        def show(opened: OpenedCase) -> None:
            self.push_screen(
                CaseDetailScreen(opened.view.case.id or 0, opened=opened, section=section)
            )

        open_case(self, self.ctx.actor, case, show)

    def new_contact(self, case_id: int) -> None:
        """The contact log entry form for `case_id`."""
        self._push_lazy(CONTACT_ENTRY, case_id)

    def new_letter(self, case_id: int, reference: str, then: Callable[[int | None], None]) -> None:
        """A new letter on `case_id` from a template; `then` gets its id once saved."""
        self._push_lazy(LETTER_DRAFT, case_id, reference, then=then)

    def letter_for_task(self, proposal: Proposal, then: Callable[[int | None], None]) -> None:
        """The letter a "Send letter" task proposes, its template preselected; saving it
        remembers it on the task, and issuing it completes the task."""
        cls = getattr(importlib.import_module(LETTER_DRAFT[0]), LETTER_DRAFT[1])
        self.push_screen(
            cls(
                proposal.case_id,
                proposal.reference,
                for_task=proposal.task_id,
                template=proposal.template_code,
            ),
            then,
        )

    def open_letter(self, document_id: int, then: Callable[[None], None]) -> None:
        """One letter: read it, and submit, check or issue it."""
        self._push_lazy(LETTER, document_id, then=then)

    def _push_lazy(
        self, which: tuple[str, str], *args: Any, then: Callable[[Any], None] | None = None
    ) -> None:
        module_name, class_name = which
        cls = getattr(importlib.import_module(module_name), class_name)
        self.push_screen(cls(*args), then)

    # ---------------------------------------------------------------- actions

    def action_search(self) -> None:
        self._push_lazy(SEARCH)

    def action_diary(self) -> None:
        self._push_lazy(DIARY)

    def action_board(self) -> None:
        """The team information board: today's figures for your team."""
        self._push_lazy(BOARD)

    def action_checks(self) -> None:
        """Checks awaiting me: letters submitted for checking by someone else of my team."""
        self._push_lazy(CHECKS)

    def action_office_phone(self) -> None:
        """The phone number your office's letters print (office administrators)."""
        from caseterm.tui import office_phone

        office_phone.ask_and_set(self)

    def action_bank_import(self) -> None:
        """Import a bank statement: review the matches, then post."""
        self._push_lazy(BANK_IMPORT)

    def action_banking(self) -> None:
        """The day's banking against the cash-up, per payment method."""
        self._push_lazy(BANKING)

    def action_org_admin(self) -> None:
        """The offices, teams and rooms; a system administrator adds them here."""
        self._push_lazy(ORG)

    def action_templates(self) -> None:
        """The letter template library: list, read, preview, edit and add (managers and system
        administrators)."""
        self._push_lazy(TEMPLATES)

    def action_clock_rules(self) -> None:
        """The statutory clock rules and office closure days (changed by system administrators)."""
        self._push_lazy(CLOCK_RULES)

    def action_sampling_rates(self) -> None:
        """The sampling rates for checking colleagues' work (co-ordinators set them)."""
        self._push_lazy(SAMPLING_RATES)

    def action_enforcement_paths(self) -> None:
        """The enforcement paths of fines accounts (changed by system administrators)."""
        self._push_lazy(ENFORCEMENT_PATHS)

    def action_triage(self) -> None:
        """Triage mode: one incoming item at a time (escape comes back here)."""
        from caseterm.tui.triage.screen import TriageScreen

        self.push_screen(TriageScreen(can_leave=True))

    def action_log_incoming(self) -> None:
        """The form for an incoming item (post, phone message, referral, walk-in)."""
        from caseterm.tui.incoming.screen import IncomingEntryScreen

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

"""`C` in the workstation ("Clock rules and closure days" in the command palette): the statutory
clock rules per case type, as `caseterm rules list` shows them, and the office closure days, as
`caseterm closures list --all` does. Everyone may read them; a system administrator
(`rules.admin`) changes a rule with `e` (its period, warning, task and roll rule, asked in turn
with the current answers offered), adds a closure day with `a` and removes one with `d`. Every
change goes through the service the command calls (`services.clock_rules`), validated as a
whole and audited there; a refusal is said on the line at the bottom and nothing is saved."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Static

from caseterm.core import clock
from caseterm.core.errors import StaleEditError, ValidationError
from caseterm.core.rules.when import parse_day
from caseterm.core.services import clock_rules
from caseterm.core.services.clock_rules import ClosureRow, RuleRow
from caseterm.core.services.identity import Actor
from caseterm.tui.case_edit.closure import ConfirmModal
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.messages import DataChanged
from caseterm.tui.rules.questions import Question, ask_in_turn
from caseterm.tui.rules.rule_answers import PERIOD_EXAMPLES, period_text, rule_changes
from caseterm.tui.rules.rules_screen import RulesScreen
from caseterm.tui.safe import content, plain
from caseterm.tui.screens.record_view import RecordScreen
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.paged_table import Column, PagedTable
from caseterm.tui.widgets.top_bar import TopBar


def _task(r: RuleRow) -> str:
    return r.task_kind + (f" → {r.team_code}" if r.team_code else "")


RULE_COLUMNS: list[Column[RuleRow]] = [
    Column("Type", lambda r: r.case_type, width=5),
    Column("Clock", lambda r: plain(r.label) + ("" if r.active else " (off)"), grow=2),
    Column("Started by", lambda r: plain(r.event), grow=1, priority=2, min_width=14),
    Column("Period", lambda r: r.period_text, width=16),
    Column("Roll", lambda r: "yes" if r.roll_forward else "no", width=4),
    Column("Warn", lambda r: f"{r.warn_working_days} wd" if r.warn_working_days else "-", width=5),
    Column("Task", lambda r: plain(_task(r)), width=12, priority=1, min_width=8),
    Column("Pri", lambda r: str(r.priority), width=3),
]

CLOSURE_COLUMNS: list[Column[ClosureRow]] = [
    Column("Day", lambda c: f"{c.day:%a}", width=4),
    Column("Date", lambda c: f"{c.day:%d/%m/%Y}", width=10),
    Column("Reason", lambda c: plain(c.reason), grow=1),
]


@dataclass(frozen=True)
class RulesView:
    rules: list[RuleRow]
    closures: list[ClosureRow]


def read_rules(session: Session, actor: Actor) -> RulesView:
    """Every clock rule in force and every office closure day."""
    return RulesView(
        rules=clock_rules.list_rules(session, actor),
        closures=clock_rules.list_closures(session, actor),
    )


class ClockRulesScreen(RulesScreen):
    STATUS_ID = "rules-status"
    CHANGES_NEED = "rules.admin"
    CSS_PATH = Path(__file__).with_name("rules.tcss")
    HELP_TITLE = "Clock rules and office closure days"
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("e", "edit_rule", "Edit rule", "rules_edit"),
        binding("a", "add_closure", "Add closure day", "closure_add"),
        binding("d", "remove_closure", "Remove closure day", "closure_remove"),
        binding("r", "refresh", "Refresh", "rules_refresh"),
    ]

    def compose(self) -> ComposeResult:
        yield TopBar("Clock rules and office closure days")
        yield Static(
            content(
                "The clocks a casework event starts. e changes the rule under the cursor; "
                "a adds an office closure day, d removes one (system administrators)."
            ),
            id="rules-note",
            markup=False,
        )
        yield PagedTable(
            RULE_COLUMNS,
            row_key=lambda r: r.key,
            markable=False,
            empty_text="No clock rules.",
            id="rules-table",
        )
        yield Static(
            content("Office closure days (not working days for any clock)"), id="closures-title"
        )
        yield PagedTable(
            CLOSURE_COLUMNS,
            row_key=lambda c: c.day,
            markable=False,
            empty_text="No office closure days: a adds one.",
            id="closures-table",
        )
        yield Static("", id="rules-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        focus_now(self.query_one("#rules-table", PagedTable))
        self.action_refresh()

    def action_refresh(self) -> None:
        actor = self._actor
        run_db(
            self,
            lambda s: read_rules(s, actor),
            done=self._show,
            what="reading the clock rules",
            group="rules",
            exclusive=True,
        )

    def _show(self, view: RulesView) -> None:
        self.query_one("#rules-table", PagedTable).show_rows(view.rules, again=True)
        self.query_one("#closures-table", PagedTable).show_rows(view.closures, again=True)

    def on_data_changed(self, _message: DataChanged) -> None:
        self.action_refresh()

    @on(PagedTable.Selected, "#rules-table")
    def _rule_selected(self, event: PagedTable.Selected) -> None:
        r: RuleRow = event.row
        fields = [
            ("Rule", r.key),
            ("Clock", r.label),
            ("Period", r.period_text),
            ("Roll forward", "yes" if r.roll_forward else "no"),
            (
                "Warning",
                f"{r.warn_working_days} working days before" if r.warn_working_days else "none",
            ),
            ("Task kind", r.task_kind),
            ("Team", r.team_code or "the case's team"),
            ("Priority", str(r.priority)),
            ("Stopped by", ", ".join(r.stopped_by) or "-"),
            ("Letter", r.letter or "-"),
            ("Letter template", r.letter_template or "-"),
            ("Active", "yes" if r.active else "no"),
            ("Source", r.source),
        ]
        self.app.push_screen(RecordScreen(f"Clock rule {r.key}", fields))

    @on(PagedTable.Selected, "#closures-table")
    def _closure_selected(self, event: PagedTable.Selected) -> None:
        c: ClosureRow = event.row
        fields = [("Day", f"{c.day:%A %d/%m/%Y}"), ("Reason", c.reason)]
        self.app.push_screen(RecordScreen("Office closure day", fields))

    # ---------------------------------------------------------------- questions

    def _ask(
        self, questions: list[Question], then: Callable[[dict[str, str]], None], nothing: str
    ) -> None:
        ask_in_turn(self.app, questions, then, lambda: self._status(nothing))

    # ---------------------------------------------------------------- a rule

    def action_edit_rule(self) -> None:
        rule = self.query_one("#rules-table", PagedTable).current_row
        if not isinstance(rule, RuleRow):
            self._status("No clock rule to change.")
            return
        if self._refused():
            return
        actor = self._actor
        questions = [
            Question(
                "period",
                f"How long {rule.key} runs",
                PERIOD_EXAMPLES,
                period_text(rule),
            ),
            Question(
                "warn",
                "Warn how many working days before the end? (0: no warning)",
                "e.g. 5",
                str(rule.warn_working_days),
            ),
            Question("task_kind", "Kind of task it raises", "e.g. deadline", rule.task_kind),
            Question(
                "team",
                "Team the task goes to: its code (blank: the case's team)",
                "e.g. PRE-OM",
                rule.team_code,
                optional=True,
            ),
            Question(
                "priority", "Priority of the task: 1 (urgent) to 5", "e.g. 2", str(rule.priority)
            ),
            Question(
                "roll",
                "An end on a closed day moves to the next working day? (yes/no)",
                "yes or no",
                "yes" if rule.roll_forward else "no",
            ),
        ]

        def save(answers: dict[str, str]) -> None:
            try:
                changes = rule_changes(rule, answers)
            except ValidationError as exc:
                self._status(f"Rule not changed: {describe_error(exc)}", error=True)
                return
            if not changes:
                self._status(f"{rule.key}: nothing changed.")
                return
            run_db(
                self,
                lambda s: clock_rules.set_rule(
                    s,
                    actor,
                    case_type=rule.case_type,
                    event=rule.event,
                    clock_key=rule.clock,
                    changes=changes,
                    expected_version=rule.version,
                ),
                write=True,
                done=self._rule_saved,
                failed=self._rule_not_saved,
                what="changing the clock rule",
            )

        self._ask(questions, save, "Rule not changed.")

    def _rule_not_saved(self, error: Exception) -> None:
        self._status(f"Rule not changed: {describe_error(error)}", error=True)
        if isinstance(error, StaleEditError):
            self.action_refresh()  # show what it is now; `e` again starts from that

    def _rule_saved(self, rule: RuleRow) -> None:
        self._status(f"Changed {rule.key}: {rule.label}, {rule.period_text}")
        self.action_refresh()

    # ---------------------------------------------------------------- closure days

    def action_add_closure(self) -> None:
        if self._refused():
            return
        actor = self._actor

        def add(answers: dict[str, str]) -> None:
            def work(s: Session) -> ClosureRow:
                day = parse_day(answers["day"], clock.today(), field="day")
                return clock_rules.add_closure(s, actor, day=day, reason=answers["reason"])

            run_db(
                self,
                work,
                write=True,
                done=lambda c: self._closures_changed(
                    f"Offices closed on {c.day:%A %d/%m/%Y}: {c.reason}"
                ),
                failed=lambda error: self._status(
                    f"Closure day not added: {describe_error(error)}", error=True
                ),
                what="adding the closure day",
            )

        self._ask(
            [
                Question("day", "Office closure day: the date", "dd/mm/yyyy, or 24/12, or +3"),
                Question("reason", "Why the offices are closed", "e.g. office move"),
            ],
            add,
            "No closure day added.",
        )

    def action_remove_closure(self) -> None:
        closure = self.query_one("#closures-table", PagedTable).current_row
        if not isinstance(closure, ClosureRow):
            self._status("No office closure day to remove.")
            return
        if self._refused():
            return
        actor = self._actor
        day = closure.day

        def answered(yes: bool | None) -> None:
            if not yes:
                self._status("Closure day kept.")
                return
            run_db(
                self,
                lambda s: clock_rules.remove_closure(s, actor, day=day),
                write=True,
                done=lambda c: self._closures_changed(f"Offices open again on {c.day:%A %d/%m/%Y}"),
                failed=lambda error: self._status(
                    f"Closure day not removed: {describe_error(error)}", error=True
                ),
                what="removing the closure day",
            )

        self.app.push_screen(
            ConfirmModal(
                "Remove an office closure day",
                f"{day:%A %d/%m/%Y} ({closure.reason}) becomes a working day again. Remove it?",
            ),
            answered,
        )

    def _closures_changed(self, said: str) -> None:
        self._status(said)
        self.action_refresh()

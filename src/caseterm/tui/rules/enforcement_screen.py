"""`F` in the workstation ("Enforcement paths" in the command palette): the steps a defaulted
fines account takes, per case type and account kind, as `caseterm enforcement-paths list|show`
shows them — the shipped defaults (core/rules/enforcement_paths.toml) with a system
administrator's own. Everyone who reads cases may read them; below the paths, the steps of the
path under the cursor in order (days after the step before, the letter, the appeal window).
A system administrator (`money.paths`) sets a path's steps with `e` (the text `enforcement-paths
set --steps` takes, its trigger and whether it is on, asked in turn with the current answers
offered), adds a path for a case type and account kind with `a`, and puts an own path back to
the shipped one with `d` after a y/n question. Every change
goes through the service the command calls (`services.enforcement_paths`), checked as a whole
against the action catalogue and audited there; a refusal is said on the line at the bottom and
nothing is saved. Under the paths, the order each case type's payments are allocated across the
impositions (`case-rules show`); `o` sets the order of the case type under the cursor, the text
`case-rules set --allocation-order` takes (`services.case_rules`, `rules.admin`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Static

from caseterm.core.errors import ValidationError
from caseterm.core.rules.money_enforcement import ACCOUNT_KINDS, ACTIONS
from caseterm.core.services import case_rules, enforcement_paths
from caseterm.core.services.case_rules import CaseTypeRules
from caseterm.core.services.enforcement_paths import PathRow, StepRow
from caseterm.tui.case_edit.closure import ConfirmModal
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.messages import DataChanged
from caseterm.tui.rules.questions import Question, ask_in_turn
from caseterm.tui.rules.rule_answers import read_whole, read_yes_no
from caseterm.tui.rules.rules_screen import RulesScreen
from caseterm.tui.safe import content, plain
from caseterm.tui.screens.record_view import RecordScreen
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.paged_table import Column, PagedTable
from caseterm.tui.widgets.top_bar import TopBar

SOURCES = {"default": "shipped", "changed": "own: changed", "added": "own: added"}


def _kind(kind: str) -> str:
    return "any" if kind == "*" else kind


def _source(p: PathRow) -> str:
    return SOURCES.get(p.source, p.source) + ("" if p.active else " (off)")


def _after(s: StepRow) -> str:
    """Days after the step before; the first step's after the trigger."""
    return "at once" if not s.number and not s.days_after else f"+{s.days_after} days"


def _steps_in_words(p: PathRow) -> str:
    return " → ".join((f"+{s.days_after}d " if s.number else "") + s.label for s in p.steps)


def _appeal(s: StepRow) -> str:
    return f"{s.appeal_working_days} wd" if s.appeal_working_days else "-"


def _notes(s: StepRow) -> str:
    return ", ".join(
        n for n, on_ in (("the fine only", s.fine_only), ("warrant", s.warrant)) if on_
    )


PATH_COLUMNS: list[Column[PathRow]] = [
    Column("Type", lambda p: p.case_type, width=5),
    Column("Kind", lambda p: _kind(p.account_kind), width=11),
    Column("Starts", lambda p: f"{p.trigger_missed} missed", width=9),
    Column("Steps", lambda p: plain(_steps_in_words(p)), grow=1),
    Column("Source", _source, width=14, priority=1, min_width=7),
]

STEP_COLUMNS: list[Column[StepRow]] = [
    Column("#", lambda s: str(s.number + 1), width=2),
    Column("Action", lambda s: plain(s.label), width=24),
    Column("After", _after, width=9),
    Column("Letter", lambda s: plain(s.letter) or "-", grow=1, min_width=12),
    Column("Appeal", _appeal, width=6),
    Column("Note", _notes, width=13, priority=1, min_width=7),
]


def allocation_text(found: list[CaseTypeRules]) -> str:
    """Each case type's allocation order, case types with the same order together."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for r in found:
        groups.setdefault(r.allocation_order, []).append(r.case_type)
    orders = "; ".join(f"{', '.join(ts)}: {' > '.join(o)}" for o, ts in groups.items())
    return f"Payments allocated, per case type (o sets): {orders or 'no case types'}"


def path_fields(p: PathRow) -> list[tuple[str, str]]:
    """The path in full, as `enforcement-paths show` prints it."""
    fields = [
        ("Path", p.key),
        ("Case type", p.case_type),
        ("Account kind", f"{_kind(p.account_kind)} ({ACCOUNT_KINDS.get(p.account_kind, '')})"),
        ("Starts after", f"{p.trigger_missed} missed instalments"),
        ("Source", _source(p)),
        ("Steps as text", p.steps_text),
    ]
    for s in p.steps:
        extras = [
            f"letter: {s.letter}" if s.letter else "no letter",
            f"template {s.template}" if s.template else "no template",
        ]
        if s.appeal_working_days:
            extras.append(f"appeal within {s.appeal_working_days} working days")
        if notes := _notes(s):
            extras.append(notes)
        after = f"+{s.days_after} days" if s.number else "at once"
        fields.append((f"Step {s.number + 1}", f"{s.label} ({after}); {', '.join(extras)}"))
    return fields


class EnforcementPathsScreen(RulesScreen):
    STATUS_ID = "paths-status"
    CHANGES_NEED = "money.paths"
    CSS_PATH = Path(__file__).with_name("rules.tcss")
    HELP_TITLE = "Enforcement paths"
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("e", "edit_path", "Set steps", "paths_edit"),
        binding("a", "add_path", "Add path", "paths_add"),
        binding("d", "reset_path", "Reset to shipped", "paths_reset"),
        binding("o", "allocation_order", "Allocation order", "paths_allocation"),
        binding("r", "refresh", "Refresh", "paths_refresh"),
    ]

    def compose(self) -> ComposeResult:
        yield TopBar("Enforcement paths")
        yield Static(
            content(
                "Steps a defaulted fines account takes, per case type and account kind; e sets "
                "them, a adds a path, d puts back the shipped one (system administrators). "
                "Actions: "
                f"{', '.join(ACTIONS)}."
            ),
            id="paths-note",
            markup=False,
        )
        yield PagedTable(
            PATH_COLUMNS,
            row_key=lambda p: p.key,
            markable=False,
            empty_text="No enforcement paths.",
            id="paths-table",
        )
        yield Static("", id="allocation-line", markup=False)
        yield Static(content("Steps of the path under the cursor"), id="steps-title")
        yield PagedTable(
            STEP_COLUMNS,
            row_key=lambda s: s.number,
            markable=False,
            empty_text="No steps.",
            id="steps-table",
        )
        yield Static("", id="paths-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self._orders: dict[str, tuple[str, ...]] = {}  # each case type's, as last read
        focus_now(self.query_one("#paths-table", PagedTable))
        self.action_refresh()

    @property
    def _current(self) -> PathRow | None:
        row = self.query_one("#paths-table", PagedTable).current_row
        return row if isinstance(row, PathRow) else None

    def action_refresh(self) -> None:
        actor = self._actor
        table = self.query_one("#paths-table", PagedTable)
        run_db(
            self,
            lambda s: (
                enforcement_paths.list_paths(s, actor),
                case_rules.list_case_rules(s, actor),
            ),
            done=lambda found: self._show(table, *found),
            what="reading the enforcement paths",
            group="paths",
            exclusive=True,
        )

    def _show(
        self, table: PagedTable[Any], paths: list[PathRow], found: list[CaseTypeRules]
    ) -> None:
        self._orders = {r.case_type: r.allocation_order for r in found}
        self.query_one("#allocation-line", Static).update(content(allocation_text(found)))
        table.show_rows(paths, again=True)

    def on_data_changed(self, _message: DataChanged) -> None:
        self.action_refresh()

    @on(PagedTable.Highlighted, "#paths-table")
    def _path_highlighted(self, event: PagedTable.Highlighted) -> None:
        path = event.row
        if not isinstance(path, PathRow):
            return
        self.query_one("#steps-title", Static).update(
            content(f"Steps of {path.key}, after {path.trigger_missed} missed ({_source(path)})")
        )
        steps: PagedTable[Any] = self.query_one("#steps-table", PagedTable)
        steps.show_rows(path.steps)

    @on(PagedTable.Selected, "#paths-table")
    def _path_selected(self, event: PagedTable.Selected) -> None:
        path: PathRow = event.row
        self.app.push_screen(RecordScreen(f"Enforcement path {path.key}", path_fields(path)))

    @on(PagedTable.Selected, "#steps-table")
    def _step_selected(self, event: PagedTable.Selected) -> None:
        path = self._current
        if path is not None:
            self.app.push_screen(RecordScreen(f"Enforcement path {path.key}", path_fields(path)))

    # ---------------------------------------------------------------- set the steps

    def action_edit_path(self) -> None:
        """Set the steps (and trigger, on/off) of the path under the cursor."""
        path = self._current
        if path is None:
            self._status("No enforcement path to change.")
            return
        if self._refused():
            return
        questions = [
            Question(
                "steps",
                f"Steps of {path.key}: action:days, comma-separated, in order",
                "e.g. reminder:0,further_steps_notice:14",
                path.steps_text,
            ),
            Question(
                "trigger",
                "Missed instalments that start it",
                "e.g. 2",
                str(path.trigger_missed),
            ),
            Question(
                "active", "Is the path on? (yes/no)", "yes or no", "yes" if path.active else "no"
            ),
        ]
        ask_in_turn(
            self.app,
            questions,
            lambda answers: self._save(path, answers),
            lambda: self._status("Path not changed."),
        )

    def _save(self, path: PathRow | None, answers: dict[str, str]) -> None:
        """Set `path` (None: a new one, its case type and kind in the answers)."""
        not_done = "Path not changed" if path else "Path not added"
        try:
            steps = "".join(answers["steps"].split())
            trigger = read_whole("trigger", answers["trigger"])
            active = read_yes_no("on", answers.get("active", "yes"))
        except ValidationError as exc:
            self._status(f"{not_done}: {describe_error(exc)}", error=True)
            return
        if path and (steps, trigger, active) == (path.steps_text, path.trigger_missed, path.active):
            self._status(f"{path.key}: nothing changed.")
            return
        case_type = path.case_type if path else answers["case_type"]
        kind = path.account_kind if path else answers["kind"].strip().lower()
        actor = self._actor
        run_db(
            self,
            lambda s: enforcement_paths.set_path(
                s,
                actor,
                case_type=case_type,
                account_kind=kind,
                steps=steps,
                trigger_missed=trigger,
                active=active,
            ),
            write=True,
            done=self._saved,
            failed=lambda error: self._status(f"{not_done}: {describe_error(error)}", error=True),
            what="setting the enforcement path",
        )

    def action_add_path(self) -> None:
        if self._refused():
            return
        kinds = ", ".join(k for k in ACCOUNT_KINDS if k != "*")
        ask_in_turn(
            self.app,
            [
                Question("case_type", "A path for which case type: its code", "e.g. FINE"),
                Question("kind", f"For which account kind ({kinds}, or * any)", "e.g. instalments"),
                Question(
                    "steps",
                    "Its steps: action:days, comma-separated, in order",
                    "e.g. reminder:0,further_steps_notice:14",
                ),
                Question("trigger", "Missed instalments that start it", "e.g. 2"),
            ],
            lambda answers: self._save(None, answers),
            lambda: self._status("No path added."),
        )

    def _saved(self, path: PathRow) -> None:
        off = "" if path.active else " (switched off)"
        self._status(f"Set {path.key}: {path.describe()}{off}")
        self.action_refresh()

    # ---------------------------------------------------------------- back to the shipped path

    def action_reset_path(self) -> None:
        path = self._current
        if path is None:
            self._status("No enforcement path to reset.")
            return
        if self._refused():
            return
        if path.source == "default":
            self._status(f"{path.key} is already the shipped path.")
            return
        key = path.key
        question = (
            f"{key} goes back to the shipped path: your own steps are removed. Reset it?"
            if path.source == "changed"
            else f"{key} is not shipped: removing it leaves its accounts to the case type's "
            "path for any kind (or none). Remove it?"
        )
        actor = self._actor

        def answered(yes: bool | None) -> None:
            if not yes:
                self._status(f"{key} kept.")
                return
            run_db(
                self,
                lambda s: enforcement_paths.reset_path(
                    s, actor, case_type=path.case_type, account_kind=path.account_kind
                ),
                write=True,
                done=lambda now: self._reset_done(key, now),
                failed=lambda error: self._status(
                    f"Path not reset: {describe_error(error)}", error=True
                ),
                what="resetting the enforcement path",
            )

        self.app.push_screen(
            ConfirmModal("Back to the shipped enforcement path", question), answered
        )

    def _reset_done(self, key: str, now: PathRow | None) -> None:
        if now is None:
            self._status(f"{key} removed: none is shipped for it.")
        else:
            self._status(f"Back to the shipped {now.key}: {now.describe()}")
        self.action_refresh()

    # ---------------------------------------------------------------- the allocation order

    def action_allocation_order(self) -> None:
        """Set the order payments on the case type's accounts are allocated across the
        impositions: the case type of the path under the cursor (asked when there is none)."""
        if self._refused("rules.admin"):
            return
        path = self._current
        questions = (
            [] if path else [Question("case_type", "Which case type: its code", "e.g. FINE")]
        )
        case_type = path.case_type if path else ""
        offered = ",".join(self._orders.get(case_type, ()))
        questions.append(
            Question(
                "order",
                f"Allocate {case_type or 'its'} payments in the order (comma-separated kinds)",
                "e.g. compensation,victim_surcharge,costs,fine",
                offered,
            )
        )
        ask_in_turn(
            self.app,
            questions,
            lambda answers: self._save_order(
                answers.get("case_type", case_type), offered, answers["order"]
            ),
            lambda: self._status("Allocation order not changed."),
        )

    def _save_order(self, case_type: str, offered: str, order: str) -> None:
        order = "".join(order.split())
        if offered and order == offered:
            self._status(f"{case_type}: allocation order not changed.")
            return
        actor = self._actor
        run_db(
            self,
            lambda s: case_rules.set_allocation_order(s, actor, case_type=case_type, order=order),
            write=True,
            done=self._order_saved,
            failed=lambda error: self._status(
                f"Allocation order not changed: {describe_error(error)}", error=True
            ),
            what="setting the allocation order",
        )

    def _order_saved(self, row: CaseTypeRules) -> None:
        self._status(f"{row.case_type}: payments allocated {' > '.join(row.allocation_order)}")
        self.action_refresh()

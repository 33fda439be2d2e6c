"""One sampled check, opened with `enter` from Checks awaiting me: the item of work checked (the
completed task, the contact entry, the write-off, in words), who did it and when, and the
checklist of error categories for its kind of work. `p` passes it; `f` (or `enter`) fails it
under the category under the cursor with notes, which raises a rework task to the officer (as
`caseterm check pass|fail`); `o` opens the case. Dismisses with the decided check, or None."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from caseterm.core.services import check_outcomes
from caseterm.core.services.check_outcomes import CheckInfo
from caseterm.tui.context import HasContext, TuiContext
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.safe import content, plain, template, uk_date, uk_datetime
from caseterm.tui.screens.prompt import PromptScreen
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.paged_table import Column, PagedTable
from caseterm.tui.widgets.top_bar import TopBar

Category = tuple[str, str]  # (code, label)

CATEGORY_COLUMNS: list[Column[Category]] = [
    Column("Error category", lambda c: plain(c[1]), grow=3),
    Column("Code", lambda c: plain(c[0]), width=22, hide_below=70),
]


def check_fields(info: CheckInfo) -> list[tuple[str, str]]:
    """The check's own lines (the work's are `info.work`)."""
    fields = [
        ("Case", info.reference or "-"),
        ("Officer", info.officer),
        ("Work of", uk_date(info.drawn_for)),
        ("Status", info.status + (f" ({info.category})" if info.category else "")),
    ]
    if info.checked_at:
        fields.append(("Checked", f"{uk_datetime(info.checked_at)} by {info.checked_by}"))
    if info.notes:
        fields.append(("Notes", info.notes))
    if info.rework_task_id:
        fields.append(("Rework", f"task #{info.rework_task_id}"))
    return fields


class SampledCheckScreen(Screen[CheckInfo | None]):
    CSS_PATH = Path(__file__).with_name("letters.tcss")
    HELP_TITLE = "Sampled check"
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("p", "pass_check", "Pass", "sampled_pass"),
        binding("f", "fail_check", "Fail under category", "sampled_fail"),
        binding("o", "open_case", "Open case", "sampled_open_case"),
        binding("escape,q", "close", "Close", "sampled_close"),
    ]

    def __init__(self, check_id: int) -> None:
        super().__init__()
        self.check_id = check_id
        self.info: CheckInfo | None = None
        self.decided: CheckInfo | None = None

    @property
    def ctx(self) -> TuiContext:
        return cast(HasContext, self.app).ctx

    def compose(self) -> ComposeResult:
        yield TopBar(f"Sampled check #{self.check_id}")
        with VerticalScroll(id="sc-work"):
            yield Vertical(id="sc-fields")
        yield Static("Checklist: put the cursor on what was wrong and press f", id="sc-note")
        yield PagedTable(
            CATEGORY_COLUMNS,
            row_key=lambda c: c[0],
            markable=False,
            empty_text="No checklist for this kind of work.",
            id="sc-categories",
        )
        yield Static("Reading…", id="sc-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        focus_now(self.query_one("#sc-categories", PagedTable))
        actor, check_id = self.ctx.actor, self.check_id
        run_db(
            self,
            lambda s: check_outcomes.show_check(s, actor, check_id=check_id),
            done=self._show,
            what="reading the check",
            group="sampled-check",
            exclusive=True,
        )

    def _show(self, info: CheckInfo) -> None:
        self.info = info
        self.query_one(TopBar).set_title(
            f"Sampled check #{info.id} · {info.work_label} #{info.item_id}"
        )
        fields = check_fields(info)
        width = max(len(name) for name, _ in [*fields, *info.work])

        def line(name: str, value: str) -> Static:
            return Static(template("[dim]$n[/dim] $v", n=f"{name:<{width}}", v=value))

        box = self.query_one("#sc-fields", Vertical)
        box.remove_children()
        box.mount_all(
            [
                *(line(name, value) for name, value in fields),
                Static(template("[b]The work checked[/b]"), classes="sc-heading"),
                *(line(name, value) for name, value in info.work),
            ]
        )
        self.query_one("#sc-categories", PagedTable).show_rows(list(info.categories), again=True)
        pending = info.status == check_outcomes.PENDING
        self.query_one("#sc-note", Static).update(
            content(
                "Checklist: put the cursor on what was wrong and press f"
                if pending
                else "Checklist of error categories"
            )
        )
        if pending:
            self._status("p passes the work; f fails it under the category under the cursor")
        else:
            self._status(f"Already {info.status}")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("pass_check", "fail_check"):
            return self.info is not None and self.info.status == check_outcomes.PENDING
        if action == "open_case":
            return self.info is not None and self.info.case_id is not None
        return True

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#sc-status", Static)
        status.update(content(text))
        status.set_class(error, "-error")

    @on(PagedTable.Selected, "#sc-categories")
    def _category_chosen(self, _event: PagedTable.Selected) -> None:
        if self.check_action("fail_check", ()):
            self.action_fail_check()

    def action_pass_check(self) -> None:
        actor, check_id = self.ctx.actor, self.check_id
        self._decide(
            "passing the check", lambda s: check_outcomes.pass_check(s, actor, check_id=check_id)
        )

    def action_fail_check(self) -> None:
        row = cast("Category | None", self.query_one("#sc-categories", PagedTable).current_row)
        if row is None:
            self._status("Put the cursor on an error category first", error=True)
            return
        code, label = row
        self.app.push_screen(
            PromptScreen(f"Fail as “{label}”: what was wrong?", "notes (the officer sees them)"),
            lambda notes: self._fail(code, notes),
        )

    def _fail(self, category: str, notes: str | None) -> None:
        if not notes:
            self._status("Not failed: notes are required", error=True)
            return
        actor, check_id = self.ctx.actor, self.check_id
        self._decide(
            "failing the check",
            lambda s: check_outcomes.fail_check(
                s, actor, check_id=check_id, category=category, notes=notes
            ),
        )

    def _decide(self, what: str, work: object) -> None:
        run_db(
            self,
            work,  # type: ignore[arg-type]
            write=True,
            done=self._decided,
            failed=lambda error: self._status(f"Not done: {describe_error(error)}", error=True),
            what=what,
            group="sampled-decide",
            exclusive=True,
        )

    def _decided(self, info: CheckInfo) -> None:
        self.decided = info
        self._show(info)
        rework = f"; rework task #{info.rework_task_id}" if info.rework_task_id else ""
        self._status(f"Check #{info.id} {info.status}{rework}")

    def action_open_case(self) -> None:
        if self.info is not None and self.info.case_id is not None:
            cast(HasContext, self.app).open_case(self.info.case_id)

    def action_close(self) -> None:
        self.dismiss(self.decided)

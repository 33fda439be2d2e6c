"""The case's reviews (the Diary section's "Reviews and deadlines"): `V` schedules one (a review,
a statutory deadline or a bring-forward date; when due it raises a "review due" task), `Z`
cancels the pending one under the cursor, with a reason (`services.reviews`). Kept out of
case_detail.py, which only binds the keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static, TabbedContent

from caseterm.core.models.vocab import ReviewKind, ReviewStatus
from caseterm.core.rules.when import DAY_EXAMPLES
from caseterm.core.services import reviews
from caseterm.core.services.reviews import REVIEW_KINDS, ReviewRow
from caseterm.tui.dbwork import run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.safe import content, template, uk_date
from caseterm.tui.screens.prompt import PromptScreen
from caseterm.tui.widgets.plain_input import PlainInput
from caseterm.tui.widgets.working_days import NEXT_WORKING_DAY, WorkingDays, put_day

# The case screen (case_detail.CaseDetailScreen), which imports this module: typed loosely here
# so that the two do not import each other.
CaseDetailScreen = Any


@dataclass(frozen=True)
class NewReview:
    kind: str
    description: str
    due_date: date


class ReviewScreen(ModalScreen[NewReview | None]):
    """Schedule a review: its kind, what is to be reviewed, when it is due (`+10wd` counts
    working days; a weekend or bank holiday offers the next working day, `ctrl+n` takes it)."""

    CSS_PATH = Path(__file__).with_name("case_reviews.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("escape", "cancel", "Cancel", "cancel"),
        NEXT_WORKING_DAY,
        # Before the field sees it: the keys typed after `enter` go to the next field, however
        # fast they come (an Input's own `enter` would move the focus only a moment later).
        binding("enter", "next_field", "Next field", "review_next", show=False, priority=True),
    ]

    def __init__(self, reference: str) -> None:
        super().__init__()
        self._reference = reference
        self._days = WorkingDays(field="due date")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(template("[b]Schedule a review on $ref[/b]", ref=self._reference))
            yield Select[str](
                [(text, str(key)) for key, text in REVIEW_KINDS.items()],
                value=str(ReviewKind.REVIEW),
                allow_blank=False,
                id="review-kind",
            )
            yield PlainInput(placeholder="what to review", id="review-what", max_length=300)
            yield PlainInput(placeholder=f"due: {DAY_EXAMPLES}", id="review-due")
            yield Static("", id="review-read")
            yield Static(
                content("tab or enter next · enter on the due date saves · esc cancel"),
                classes="review-hint",
            )

    def on_mount(self) -> None:
        focus_now(self.query_one("#review-what", Input))
        self._days.start(self, self._show)

    def action_next_field(self) -> None:
        """`enter`: from what to review to the due date; on the due date, save. On the kind,
        `enter` is the list's own (it opens)."""
        focused = self.focused
        if focused is self.query_one("#review-what", Input):
            focus_now(self.query_one("#review-due", Input))
        elif focused is self.query_one("#review-due", Input):
            self._submit()
        else:
            raise SkipAction()

    @on(Input.Changed, "#review-due")
    def _show(self) -> None:
        self._days.read(self.query_one("#review-due", Input).value)
        self.query_one("#review-read", Static).update(content(self._days.preview()))

    def _submit(self) -> None:
        what = self.query_one("#review-what", Input).value.strip()
        if not what:
            self.notify("Say what is to be reviewed.", severity="warning")
            focus_now(self.query_one("#review-what", Input))
            return
        day = self._days.reading.day
        if day is None:
            return  # the line under the field says why
        kind = self.query_one("#review-kind", Select).value
        self.dismiss(NewReview(str(kind), what, day))

    def action_next_working_day(self) -> None:
        """Take the working day offered instead of the non-working day typed."""
        if self._days.offered is not None:
            put_day(self.query_one("#review-due", Input), self._days.offered)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _reviews_shown(screen: CaseDetailScreen) -> None:
    screen.query_one(TabbedContent).active = "diary"
    screen.refresh_data(header=False)


def add(screen: CaseDetailScreen) -> None:
    """`V`: ask for the review, schedule it, then show it in the Diary section."""
    if screen.case_id is None or screen.view is None:
        return
    actor, case_id = screen.ctx.actor, screen.case_id

    def save(new: NewReview | None) -> None:
        if new is None:
            return

        def saved(row: ReviewRow) -> None:
            kind = REVIEW_KINDS.get(row.kind, row.kind)
            screen.notify(
                f"Scheduled {kind.lower()} {row.id}, due {uk_date(row.due_date)}.", markup=False
            )
            _reviews_shown(screen)

        run_db(
            screen,
            lambda s: reviews.schedule_review(
                s,
                actor,
                case_id=case_id,
                kind=new.kind,
                description=new.description,
                due_date=new.due_date,
            ),
            write=True,
            done=saved,
            what="scheduling the review",
        )

    screen.app.push_screen(ReviewScreen(screen.view.case.reference), save)


def cancel(screen: CaseDetailScreen) -> None:
    """`Z`: cancel the pending review under the cursor in the Diary section, with a reason."""
    tabs = screen.query_one(TabbedContent)
    if tabs.active != "diary":
        tabs.active = "diary"
        screen.notify("Put the cursor on the review to cancel, then press Z again.", markup=False)
        return
    row: ReviewRow | None = screen.table("reviews-table").current_row
    if row is None:
        screen.notify("No review here to cancel.", severity="warning")
        return
    if row.status != ReviewStatus.PENDING:
        screen.notify(
            f"Review {row.id} is {row.status}: only a pending review is cancelled.",
            severity="warning",
            markup=False,
        )
        return
    actor, review_id, version = screen.ctx.actor, row.id, row.version

    def save(reason: str | None) -> None:
        if not reason or not reason.strip():
            return

        def cancelled(done: ReviewRow) -> None:
            screen.notify(f"Cancelled review {done.id}: {done.description}", markup=False)
            _reviews_shown(screen)

        run_db(
            screen,
            lambda s: reviews.cancel_review(
                s, actor, review_id=review_id, reason=reason, expected_version=version
            ),
            write=True,
            done=cancelled,
            what="cancelling the review",
        )

    screen.app.push_screen(
        PromptScreen(f"Cancel review {row.id} ({row.description}): why?", "the reason (required)"),
        save,
    )

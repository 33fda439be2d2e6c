"""`A` on a case's Tasks section: a new task on the case, for a member of staff or a team's
unallocated work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from sqlmodel import Session
from textual import on
from textual.binding import BindingType
from textual.widgets import Input

from caseterm.core.errors import ValidationError
from caseterm.core.rules.catalogue import TASK_KINDS
from caseterm.core.rules.when import DAY_EXAMPLES
from caseterm.core.services import org, staff, tasks
from caseterm.core.services.identity import Actor
from caseterm.tui.widgets.working_days import NEXT_WORKING_DAY, WorkingDays, put_day
from caseterm.tui.work_log.form import Field, SmallForm

PRIORITIES = (("1 urgent", "1"), ("2 high", "2"), ("3 normal", "3"), ("4 low", "4"))


@dataclass(frozen=True)
class Whom:
    """Someone a task can be given to: `s:ID` a member of staff, `t:ID` a team's pile."""

    label: str
    value: str


def whom_choices(session: Session, actor: Actor) -> list[Whom]:
    """Active staff (the actor's team first), then every team's unallocated work."""
    people = [s for s in staff.list_staff(session) if s.active]
    people.sort(key=lambda s: (s.team_id != actor.team_id, s.name.casefold()))
    teams = sorted(org.list_teams(session), key=lambda t: (t.id != actor.team_id, t.code))
    return [Whom(f"{s.name} ({s.login})", f"s:{s.id}") for s in people] + [
        Whom(f"Team {t.code} {t.name} (unallocated)", f"t:{t.id}") for t in teams
    ]


def read_whom(value: str) -> tuple[int | None, int | None]:
    """(assignee_id, team_id) from a choice's value."""
    kind, _, number = value.partition(":")
    if not number.isdigit():
        return None, None
    return (int(number), None) if kind == "s" else (None, int(number))


class AddTaskScreen(SmallForm):
    TITLE_TEXT = "New task"
    DRAFT_KIND = "task_new"
    SAVING = "adding the task"
    BINDINGS: ClassVar[list[BindingType]] = [NEXT_WORKING_DAY]

    def __init__(self, case_id: int, reference: str, whom: list[Whom]) -> None:
        self.case_id = case_id
        self.reference = reference
        self.whom = whom
        self._days = WorkingDays(field="due")
        super().__init__(
            key=str(case_id),
            about=f"A new task on {reference}.",
            initial={"kind": "general", "title": "", "due": "", "priority": "3", "whom": ""},
        )

    def fields(self) -> list[Field]:
        return [
            Field("title", "Task", placeholder="what is to be done (required)"),
            Field(
                "kind",
                "Kind",
                "choice",
                options=tuple((text, key) for key, text in TASK_KINDS.items()),
            ),
            Field("due", "Due", placeholder=DAY_EXAMPLES, names=("due_date",)),
            Field("priority", "Priority", "choice", options=PRIORITIES),
            Field(
                "whom",
                "For",
                "choice",
                placeholder="the case's team (unallocated)",
                options=tuple((w.label, w.value) for w in self.whom),
                names=("assignee", "team"),
            ),
        ]

    def on_mount(self) -> None:
        super().on_mount()
        self._days.start(self, self._show_due)

    @on(Input.Changed, "#sf-due")
    def _show_due(self) -> None:
        """The due date as read (a past one said to be past, a non-working one warned about
        with the next working day offered), the one way every form reads a day."""
        self._days.read(self.query_one("#sf-due", Input).value)
        self.show_read("due", self._days.preview())
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_working_day":
            return self._days.offered is not None
        return super().check_action(action, parameters)

    def action_next_working_day(self) -> None:
        """Take the working day offered instead of the non-working day typed."""
        if self._days.offered is not None:
            put_day(self.query_one("#sf-due", Input), self._days.offered)

    def work(self, values: dict[str, str], actor: Actor) -> Callable[[Session], str]:
        case_id, reference = self.case_id, self.reference
        reading = self._days.read(values["due"])
        if reading.problem:
            raise ValidationError("due", reading.problem)
        due = reading.day
        assignee_id, team_id = read_whom(values["whom"])
        labels = {w.value: w.label for w in self.whom}
        if not values["kind"]:
            raise ValidationError("kind", "choose what kind of task it is")

        def save(session: Session) -> str:
            task = tasks.create_task(
                session,
                actor,
                kind=values["kind"],
                title=values["title"],
                case_id=case_id,
                due_date=due,
                priority=int(values["priority"] or 3),
                assignee_id=assignee_id,
                team_id=team_id,
            )
            whom = labels.get(values["whom"], "the case's team (unallocated)")
            return f"Added task {task.id} '{task.title}' on {reference} for {whom}."

        return save

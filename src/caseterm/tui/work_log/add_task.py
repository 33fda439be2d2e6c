"""`A` on a case's Tasks section: a new task on the case, for a member of staff or a team's
unallocated work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.rules.catalogue import TASK_KINDS
from caseterm.core.rules.when import DAY_EXAMPLES, parse_day
from caseterm.core.services import org, staff, tasks
from caseterm.core.services.identity import Actor
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

    def __init__(self, case_id: int, reference: str, whom: list[Whom]) -> None:
        self.case_id = case_id
        self.reference = reference
        self.whom = whom
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

    def work(self, values: dict[str, str], actor: Actor) -> Callable[[Session], str]:
        case_id, reference = self.case_id, self.reference
        due = (
            parse_day(values["due"], clock.today(), field="due") if values["due"].strip() else None
        )
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

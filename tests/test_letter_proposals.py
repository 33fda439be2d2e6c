"""A letter proposed by an event: the "Send letter" task names its template, the letter is
drafted from the task, and issuing it completes the task; from the service and the CLI."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.errors import ValidationError
from caseterm.core.models import CaseFile, Task
from caseterm.core.models.vocab import TaskStatus
from caseterm.core.services import (
    case_events,
    cases,
    letter_approval,
    letter_issue,
    letter_proposals,
    letter_templates,
    letters,
    tasks,
)
from tests.cli import run_cli
from tests.factories import World
from tests.letter_helpers import BODY


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> None:
    """Event and due dates are the frozen clock's."""


def recall_task(w: World) -> tuple[int, int]:
    """An MHC case with a recall recorded: its case id and the "Send letter" task raised."""
    with w.db.write() as s:
        letter_templates.add_template(
            s, w.admin, code="RECALL_NOTICE", name="Notice of recall", body=BODY, case_types="MHC"
        )
        case = cases.open_case(
            s, w.clerk, case_type="MHC", subject_id=w.person.id or 0, owner_id=w.worker.id
        )
        done = case_events.record_event(
            s, w.worker, case_id=case.id or 0, kind="recall", event_date=date(2026, 11, 20)
        )
        task = s.exec(
            select(Task).where(Task.kind == "letter_to_issue", Task.case_id == case.id)
        ).one()
        assert task.id in done.task_ids
        return case.id or 0, task.id or 0


def test_the_event_proposes_the_template_and_issuing_completes_the_task(world: World) -> None:
    case_id, task_id = recall_task(world)
    with world.db.read() as s:
        prop = letter_proposals.proposal_if_any(s, world.clerk, task_id=task_id)
    assert prop is not None
    assert (prop.case_id, prop.template_code, prop.document_id) == (
        case_id,
        "RECALL_NOTICE",
        None,
    )
    with world.db.write() as s:
        made = letter_proposals.draft_for_task(s, world.clerk, task_id=task_id)
    assert made.template_code == "RECALL_NOTICE" and made.case_id == case_id
    with world.db.write() as s:
        again = letter_proposals.proposal_if_any(s, world.clerk, task_id=task_id)
        assert again is not None and again.document_id == made.id
        letters.submit_letter(s, world.clerk, document_id=made.id)
    with world.db.write() as s:
        letter_approval.approve_letter(s, world.manager, document_id=made.id)
    with world.db.read() as s:
        open_task = s.get(Task, task_id)
        assert open_task is not None and open_task.status != TaskStatus.DONE
    with world.db.write() as s:
        letter_issue.issue_letter(s, world.clerk, document_id=made.id, via="post")
    with world.db.read() as s:
        task = s.get(Task, task_id)
    assert task is not None and task.status == TaskStatus.DONE
    assert task.outcome.startswith(f"letter #{made.id} issued")


def test_only_an_open_letter_task_of_the_case_drafts(world: World) -> None:
    case_id, task_id = recall_task(world)
    with world.db.write() as s:
        other = tasks.create_task(s, world.clerk, kind="general", title="x", case_id=case_id)
    for tid, kw in ((other.id or 0, {}), (task_id, {"case_id": world.case.id})):
        with pytest.raises(ValidationError) as err, world.db.write() as s:
            letter_proposals.draft_for_task(s, world.clerk, task_id=tid, **kw)  # type: ignore[arg-type]
        assert err.value.field == "task"
    with world.db.write() as s:
        plain = tasks.create_task(
            s, world.clerk, kind="letter_to_issue", title="Send a letter", case_id=case_id
        )
    with pytest.raises(ValidationError) as err, world.db.write() as s:
        letter_proposals.draft_for_task(s, world.clerk, task_id=plain.id or 0)
    assert err.value.field == "template"


def test_letter_draft_for_task_from_the_command_line(world: World, tmp_path: Path) -> None:
    case_id, task_id = recall_task(world)
    with world.db.read() as s:
        case = s.get(CaseFile, case_id)
        assert case is not None
        ref = case.reference
    out = run_cli(tmp_path, "letter", "draft", ref, "--for-task", str(task_id), "--json",
                  db=world.db.url, user="clerk")  # fmt: skip
    assert out.code == 0, out.err
    doc_id = out.json()["id"]
    assert out.json()["template"] == "RECALL_NOTICE"
    with world.db.read() as s:
        task = s.get(Task, task_id)
    assert task is not None and f"document:{doc_id}" in task.source
    bad = run_cli(tmp_path, "letter", "draft", ref, db=world.db.url, user="clerk")
    assert bad.code != 0 and "template" in bad.one_error_line()


def test_a_clock_task_naming_a_template_proposes_its_letter(world: World) -> None:
    """A statutory clock's task carries `letter:CODE` when its rule names the letter its step
    issues: `l` on it proposes that template; a task naming none proposes nothing."""
    case_id, _ = recall_task(world)
    with world.db.write() as s:
        clock_task = tasks.create_task(
            s,
            world.clerk,
            kind="general",
            title="Statutory deadline: notice of recall",
            case_id=case_id,
            source="clock:1:due letter:RECALL_NOTICE",
        ).id
        plain = tasks.create_task(s, world.clerk, kind="general", title="x", case_id=case_id).id
    with world.db.read() as s:
        prop = letter_proposals.proposal_if_any(s, world.clerk, task_id=clock_task or 0)
        none = letter_proposals.proposal_if_any(s, world.clerk, task_id=plain or 0)
    assert prop is not None and (prop.case_id, prop.template_code) == (case_id, "RECALL_NOTICE")
    assert none is None
    with world.db.write() as s:
        made = letter_proposals.draft_for_task(s, world.clerk, task_id=clock_task or 0)
    with world.db.read() as s:
        task = s.get(Task, clock_task)
    assert made.template_code == "RECALL_NOTICE"
    # the letter is remembered on the task; the clock's task stays open (an event stops a clock)
    assert task is not None and f"document:{made.id}" in task.source
    assert task.status != TaskStatus.DONE

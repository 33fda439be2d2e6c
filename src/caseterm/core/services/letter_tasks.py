"""The "Send letter" tasks that events and clock rules raise, and the letters drafted from them.

A proposing task carries the template it proposes in its `source` (`letter:CODE`, found from the
rule's letter by template code or name when the task is raised) and, once a letter is drafted
from it, that letter (`document:ID`). Issuing that letter completes the task."""

from __future__ import annotations

import re

from sqlalchemy import func
from sqlmodel import Session, col, select

from caseterm.core.models import LetterTemplate, Task
from caseterm.core.models.vocab import ACTIVE_TASK_STATUSES, TaskKind
from caseterm.core.services.identity import Actor

_LETTER = re.compile(r"(?:^|\s)letter:([A-Z0-9_]+)")
_DOCUMENT = re.compile(r"(?:^|\s)document:(\d+)")


def template_for_letter(session: Session, case_type: str, letter: str) -> str | None:
    """The code of the active template a rule's `letter` names (by code, else by name, case
    insensitive) that applies to `case_type`; None when there is none."""
    key = (letter or "").strip()
    if not key:
        return None
    found = session.exec(
        select(LetterTemplate)
        .where(
            LetterTemplate.active == True,  # noqa: E712
            (func.upper(LetterTemplate.code) == key.upper())
            | (func.lower(LetterTemplate.name) == key.lower()),
        )
        .order_by(col(LetterTemplate.language), col(LetterTemplate.id))
    ).all()
    for t in found:
        kinds = [c for c in t.case_types.split(",") if c]
        if not kinds or case_type in kinds:
            return t.code
    return None


def proposed_code(source: str) -> str | None:
    """The template code a task's source proposes, if any."""
    m = _LETTER.search(source or "")
    return m.group(1) if m else None


def drafted_document(source: str) -> int | None:
    """The letter drafted from a proposing task, if any."""
    m = _DOCUMENT.search(source or "")
    return int(m.group(1)) if m else None


def with_document(source: str, document_id: int) -> str:
    """The task's source naming the letter drafted from it (replacing an earlier one)."""
    rest = _DOCUMENT.sub("", source or "").strip()
    return f"{rest} document:{document_id}".strip()[:200]


def complete_for_letter(
    session: Session, actor: Actor, *, document_id: int, title: str
) -> list[int]:
    """Complete the open "Send letter" tasks a letter was drafted from, now it is issued."""
    return _complete_naming(
        session,
        actor,
        TaskKind.LETTER_TO_ISSUE,
        document_id,
        f"letter #{document_id} issued: {title}",
    )


def complete_checks_for_letter(
    session: Session, actor: Actor, *, document_id: int, outcome: str
) -> list[int]:
    """Complete the open "Check request" tasks naming a letter (`document:ID` in their source,
    as the demo's checks do), now a checker has approved or rejected it."""
    return _complete_naming(session, actor, TaskKind.CHECK_REQUEST, document_id, outcome)


def _complete_naming(
    session: Session, actor: Actor, kind: TaskKind, document_id: int, outcome: str
) -> list[int]:
    from caseterm.core.services.tasks import complete_task

    done: list[int] = []
    candidates = session.exec(
        select(Task).where(
            Task.kind == kind,
            col(Task.status).in_(list(ACTIVE_TASK_STATUSES)),
            col(Task.source).contains(f"document:{document_id}"),
        )
    ).all()
    for task in candidates:
        if drafted_document(task.source) == document_id:
            complete_task(
                session,
                actor,
                task_id=task.id or 0,
                outcome=outcome[:300],
                on_behalf=True,
            )
            done.append(task.id or 0)
    return done

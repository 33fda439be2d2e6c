"""`f` in triage: attach the file an item came with from the intake folder to the item's linked
case (or, when it is linked to none, the case whose reference is typed, which links it), as a
received document of the kind picked (`services.intake_files.attach_file`)."""

from __future__ import annotations

from typing import Any

from caseterm.core.rules.catalogue import RECEIVED_KINDS
from caseterm.core.services import intake_files
from caseterm.core.services.received import ReceivedInfo
from caseterm.core.services.triage import TriageItem
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.triage.dialogs import AskDialog, Choice, PickDialog
from caseterm.tui.triage.view import attach_problem


def ask_and_attach(screen: Any, item: TriageItem) -> None:
    """Ask what the file is, then attach it (the item captured now, by id). `screen` is the
    triage screen (typed loosely: it imports this module)."""
    problem = attach_problem(item)
    if problem:
        screen.say(problem)
        return
    task_id = item.task.id or 0
    if item.case is not None:
        _ask_kind(screen, task_id, "")
        return

    def typed(reference: str | None) -> None:
        if reference:
            _ask_kind(screen, task_id, reference)
        else:
            screen.say("File not attached")

    screen.app.push_screen(
        AskDialog(
            "Attach the file to a case",
            "Case reference (the item is linked to it)",
            placeholder="e.g. OM/2026/000012",
        ),
        typed,
    )


def _ask_kind(screen: Any, task_id: int, reference: str) -> None:
    choices = [Choice(k, text.capitalize()) for k, text in RECEIVED_KINDS.items()]
    screen.app.push_screen(
        PickDialog("Attach the file as", choices),
        lambda kind: _attach_as(screen, task_id, reference, kind),
    )


def _attach_as(screen: Any, task_id: int, reference: str, kind: str | None) -> None:
    if not kind:
        screen.say("File not attached")
        return
    actor = screen.actor

    def attached(doc: ReceivedInfo) -> None:
        screen.say(f"Attached {doc.filename} to {doc.reference} as document {doc.id}")
        if screen.item is not None and screen.item.task.id == task_id:
            screen.load(task_id)

    run_db(
        screen,
        lambda s: intake_files.attach_file(
            s, actor, task_id=task_id, kind=kind, reference=reference
        ),
        done=attached,
        failed=lambda error: screen.say(f"File not attached: {describe_error(error)}"),
        write=True,
        what="attaching the file",
        group="triage-write",
    )

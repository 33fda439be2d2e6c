"""Received documents on the case screen, beyond attaching them (case_documents.py):

- `s` in the Documents section saves a copy of the received document under the cursor: it asks
  where (the home directory and the file's own name offered), asks before replacing a file that
  is there already, and writes it byte for byte, private to its owner (0600; 0640 in a shared
  group directory), or says in one line why it could not (a folder that cannot be written).
- What received papers evidence (asked by `i` after the kind): no event, an event already on the
  case's timeline, or a new event of a kind with the day it happened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session
from textual.widgets import TabbedContent

from caseterm.core import clock, letter_files
from caseterm.core.errors import ValidationError
from caseterm.core.rules.clocks import event_kinds
from caseterm.core.rules.when import DAY_EXAMPLES, parse_day
from caseterm.core.services import case_events, received
from caseterm.core.services.case_events import EventRow
from caseterm.tui.case_edit.closure import ConfirmModal
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.safe import uk_date
from caseterm.tui.screens.prompt import PromptScreen
from caseterm.tui.widgets.paged_table import PagedTable
from caseterm.tui.widgets.pick_dialog import Choice, PickDialog

# The case screen (case_detail.CaseDetailScreen), typed loosely: it imports this module.
CaseScreen = Any

NO_EVENT = "none"


# ---------------------------------------------------------------- saving a copy


def save_copy(screen: CaseScreen) -> None:
    """`s`: the received document under the cursor in the Documents section, saved as a file."""
    table = screen.query_one("#documents-table", PagedTable)
    row = table.current_row
    if screen.query_one(TabbedContent).active != "documents" or row is None:
        screen.notify(
            "Open the Documents section (5) and put the cursor on a received document.",
            markup=False,
        )
        return
    if row.kind != "received":
        screen.notify(
            "Only a received document has a file to save; open a letter (enter) to print or "
            "save it.",
            severity="warning",
            markup=False,
        )
        return
    actor, document_id = screen.ctx.actor, row.id

    def ask(info: received.ReceivedInfo) -> None:
        default = str(Path.home() / info.filename)
        screen.app.push_screen(
            PromptScreen(f"Save a copy of {info.filename} to", default, default),
            lambda answer: _chosen(screen, document_id, answer),
        )

    run_db(
        screen,
        lambda s: received.get_received(s, actor, document_id=document_id).info,
        done=ask,
        write="if_needed",
        what="reading the document",
        group="document",
        exclusive=True,
    )


def _chosen(screen: CaseScreen, document_id: int, answer: str | None) -> None:
    if not answer:
        return
    target = Path(answer).expanduser()
    if target.is_dir():
        screen.notify(
            f"Not saved: {target} is a folder; give the file's name too.",
            severity="error",
            markup=False,
        )
        return
    if target.exists() or target.is_symlink():
        screen.app.push_screen(
            ConfirmModal("Replace the file?", f"{target} exists already. Replace it?"),
            lambda yes: _write(screen, document_id, target, replace=True) if yes else None,
        )
        return
    _write(screen, document_id, target, replace=False)


def _write(screen: CaseScreen, document_id: int, target: Path, *, replace: bool) -> None:
    actor = screen.ctx.actor

    def work(s: Session) -> tuple[Path, int]:
        got = received.get_received(s, actor, document_id=document_id)
        return letter_files.write_file(target, got.data, replace=replace), got.info.size

    run_db(
        screen,
        work,
        write="if_needed",
        done=lambda written: screen.notify(
            f"Saved a copy to {written[0]} ({written[1]:,} bytes).", markup=False
        ),
        failed=lambda error: screen.notify(
            f"Not saved: {describe_error(error)}", severity="error", markup=False
        ),
        what="saving a copy of the document",
        group="save-document",
    )


# ---------------------------------------------------------------- what the papers evidence


@dataclass(frozen=True)
class Evidence:
    """What received papers evidence: an existing event, or a new one of a kind on a day."""

    event_id: int | None = None
    event_kind: str | None = None
    event_date: date | None = None


def ask_evidence(screen: CaseScreen, then: Callable[[Evidence], None]) -> None:
    """Ask which event the papers evidence (none, one on the timeline, or a new one with its
    date); `then(evidence)` unless the person escapes (nothing is stored then)."""
    if screen.case_id is None or screen.view is None:
        return
    kinds = event_kinds(screen.view.case_type.code)
    actor, case_id = screen.ctx.actor, screen.case_id

    def pick(events: list[EventRow]) -> None:
        if not kinds and not events:
            then(Evidence())  # a case type with no casework events: nothing to ask
            return
        choices = [Choice(NO_EVENT, "No event (just store the papers)")]
        choices += [
            Choice(f"event:{e.id}", f"Event #{e.id}, {uk_date(e.event_date)}: {e.label}")
            for e in events
        ]
        choices += [
            Choice(f"new:{key}", f"New event: {label}") for key, (label, _) in kinds.items()
        ]
        screen.app.push_screen(
            PickDialog("Which event do these papers evidence?", choices),
            lambda key: _picked(screen, key, kinds, then),
        )

    run_db(
        screen,
        lambda s: case_events.list_events(s, actor, case_id=case_id),
        done=pick,
        what="reading the timeline",
        write="if_needed",
    )


def _picked(
    screen: CaseScreen,
    key: str | None,
    kinds: dict[str, tuple[str, bool]],
    then: Callable[[Evidence], None],
) -> None:
    if key is None:
        screen.notify("Not stored.", markup=False)
        return
    if key == NO_EVENT:
        then(Evidence())
    elif key.startswith("event:"):
        then(Evidence(event_id=int(key.removeprefix("event:"))))
    else:
        kind = key.removeprefix("new:")
        label = kinds[kind][0]
        screen.app.push_screen(
            PromptScreen(f"{label}: on which day did it happen?", DAY_EXAMPLES, "today"),
            lambda answer: _dated(screen, kind, answer, then),
        )


def _dated(
    screen: CaseScreen, kind: str, answer: str | None, then: Callable[[Evidence], None]
) -> None:
    if answer is None:
        screen.notify("Not stored.", markup=False)
        return
    try:
        day = parse_day(answer, clock.today(), prefer="past", field="date")
    except ValidationError as exc:
        screen.notify(f"Not stored: {describe_error(exc)}", severity="error", markup=False)
        return
    then(Evidence(event_kind=kind, event_date=day))

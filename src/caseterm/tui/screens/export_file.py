"""Saving what a screen lists as a file the office's own tools open: ask where (a path in the
home directory is offered), write it in a worker, say what was written. The file is private and
written whole or not at all (core/exports)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlmodel import Session
from textual.screen import Screen

from caseterm.tui.dbwork import progress_line, run_db
from caseterm.tui.screens.prompt import PromptScreen


def ask_and_write(
    screen: Screen[Any],
    *,
    what: str,
    default_name: str,
    write: Callable[[Session, Path], int],
    counted: str,
    folder: Path | None = None,
) -> None:
    """Ask where to save `what` (offered in `folder`, else the home directory); then
    `write(session, path)` in a worker (it returns how many rows or items it wrote) and say
    so, or say what went wrong."""
    default = str((folder or Path.home()) / default_name)

    def chosen(answer: str | None) -> None:
        if not answer:
            return
        target = Path(answer).expanduser()
        run_db(
            screen,
            lambda s: write(s, target),
            done=lambda n: screen.notify(
                f"Saved {what} to {target} ({n} {counted}).", markup=False
            ),
            what=f"saving {what}",
            group="export-file",
        )

    screen.app.push_screen(PromptScreen(f"Save {what} to", default, default), chosen)


def writing_progress(
    screen: Screen[Any], counted: str = "rows"
) -> Callable[[int, int | None], None]:
    """Made on the event loop, given to a writer (core/exports `progress=`) in the worker as
    `lambda n: shown(n, total)`: the status line says "Writing… 40,000 of 100,000 rows" while
    the file is written (the total when it is known beforehand)."""
    say = progress_line(screen)

    def shown(done: int, total: int | None) -> None:
        of = f" of {total:,}" if total is not None and done <= total else ""
        say(f"Writing… {done:,}{of} {counted}")

    return shown

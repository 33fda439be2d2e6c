"""The print pack from the workstation (`P` on Checks awaiting me, as `caseterm letters print`):
ask the day (today offered), read that day's issued letters in postal order (a day with none
says so at once), ask the file (in the letters folder, else the home directory), make them into
one PDF in a thread (the PDF engine never holds the database) and write it as a new private
file, saying how far it has got and, at the end, one line: what was written where, or why
nothing was."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlmodel import Session
from textual.screen import Screen

from caseterm.core import clock
from caseterm.core.errors import CasetermError
from caseterm.core.rules.when import parse_uk_date
from caseterm.core.services import letter_views
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.screens.prompt import PromptScreen

if TYPE_CHECKING:
    from caseterm.core.letter_files import LetterPage

Say = Callable[[str, bool], None]  # (text, is_error): the screen's status line


def default_name(day: date) -> str:
    return f"letters-{day:%Y-%m-%d}.pdf"


def ask_and_print(screen: Screen[Any], say: Say) -> None:
    """Ask the day; read its letters; ask the file; make the pack (see the module's docstring)."""
    today = f"{clock.today():%d/%m/%Y}"

    def day_given(answer: str | None) -> None:
        if not answer:
            return
        try:
            day = parse_uk_date(answer, field="date")
        except CasetermError as err:
            say(f"Not printed: {err}", True)
            return
        read_day(screen, say, day)

    screen.app.push_screen(
        PromptScreen("Print the letters issued on (dd/mm/yyyy)", today, today), day_given
    )


def read_day(screen: Screen[Any], say: Say, day: date) -> None:
    """The day's issued letters in postal order as pages; then where to write them."""
    actor = cast(HasContext, screen.app).ctx.actor
    when = f"{day:%d/%m/%Y}"

    def read(session: Session) -> list[LetterPage]:
        ids = letter_views.issued_for_print(session, actor, day=day)
        return letter_views.letter_pages(session, actor, document_ids=ids) if ids else []

    def pages_read(pages: list[LetterPage]) -> None:
        if not pages:
            say(f"Not printed: no letters were issued on {when}", True)
            return
        from caseterm.core.letter_files import letters_folder

        say(f"{len(pages)} letter(s) issued on {when}", False)
        offered = str((letters_folder() or Path.home()) / default_name(day))
        screen.app.push_screen(
            PromptScreen(f"Save the {len(pages)} letter(s) issued on {when} to", offered, offered),
            lambda path: make(pages, path) if path else None,
        )

    def make(pages: list[LetterPage], path: str) -> None:
        target = Path(path).expanduser()
        say(f"Making the PDF of {len(pages)} letter(s) issued on {when}…", False)
        screen.run_worker(
            lambda: write_pack(screen, say, pages, target, when),
            thread=True,
            group="letters-print-pack",
            exclusive=True,
        )

    say(f"Reading the letters issued on {when}…", False)
    run_db(
        screen,
        read,
        done=pages_read,
        failed=lambda err: say(f"Not printed: {describe_error(err)}", True),
        what="reading the day's letters",
        group="letters-print-read",
        exclusive=True,
    )


def write_pack(
    screen: Screen[Any], say: Say, pages: list[LetterPage], target: Path, when: str
) -> None:
    """In a thread: the PDF made and written as a new private file; one line says how it went."""
    from caseterm.core import letter_files

    try:
        letter_files.write_file(target, letter_files.pdf_bytes(pages))
    except Exception as err:  # reported on screen, never a crash of the app
        text, failed = f"Not printed: {describe_error(err)}", True
    else:
        text, failed = f"Wrote {len(pages)} letter(s) issued on {when} to {target}", False
    screen.app.call_from_thread(say, text, failed)
    if not failed:
        screen.app.call_from_thread(screen.notify, text, markup=False)

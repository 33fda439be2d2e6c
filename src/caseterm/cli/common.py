"""What several commands share: printing stored values, choosing from a catalogue, finding a
member of staff, the restricted-case exit and reading standard input. (Printing results is
in output.py, the database and actor in context.py, argument types such as `record_id` in
registry.py.)
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, TypeVar

from caseterm.cli.output import print_json
from caseterm.core.errors import NotFoundError, RestrictedError, ValidationError
from caseterm.core.text import for_display, listing, shorten

if TYPE_CHECKING:
    from sqlmodel import Session

    from caseterm.core.services.staff import StaffInfo

T = TypeVar("T")
EXIT_RESTRICTED = 3


def plain(value: object) -> str:
    """A stored value as one safe line of text."""
    return for_display(value)


def fmt_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def fmt_when(value: datetime | None) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else ""


def error_line(text: str) -> str:
    """A message fit for standard error: one line, no control characters, not too long."""
    return shorten(for_display(text), 400)


def restricted_exit(err: RestrictedError, as_json: bool) -> int:
    """A restricted case the actor may not see: its existence and whom to ask, nothing more."""
    if as_json:
        print_json({"reference": err.reference, "restricted": True, "ask": err.ask})
    print(error_line(str(err)), file=sys.stderr)
    return EXIT_RESTRICTED


def logged_refusal(action: Callable[[], T]) -> T | RestrictedError:
    """Run `action` (inside a writing session); a RestrictedError is returned instead of raised,
    so the session still commits the refusal that the access log recorded."""
    try:
        return action()
    except RestrictedError as err:
        return err


def staff_by_login(session: Session, login: str, field: str) -> StaffInfo:
    from caseterm.core.services import staff

    try:
        return staff.find_staff(session, login)
    except NotFoundError:
        raise ValidationError(field, f"no member of staff with login {login!r}") from None


def _folded(text: str) -> str:
    """A key or label as typed or shown, any case, with every run of spaces, hyphens, dashes
    and underscores read as one: 'Attended - complied' and 'attended_complied' agree."""
    words = "".join(c if c.isalnum() else " " for c in text.casefold()).split()
    return "_".join(words)


def choose(field: str, value: str, table: dict[str, str]) -> str:
    """A catalogue key from its key or its label, any case, '-' or ' ' for '_'."""
    wanted = _folded(value)
    for key, text in table.items():
        if wanted and wanted in (_folded(key), _folded(text)):
            return key
    choices = listing([k for k in table if k], 20)
    raise ValidationError(field, f"unknown {field} {shorten(value, 60)!r}; choose from {choices}")


def read_stdin_text(option: str) -> str:
    """Standard input for `OPTION -`, decoded as UTF-8 (a byte-order mark is dropped).

    Anything else is refused, not guessed at: Latin-1 and Windows-1252 differ, and a wrong
    guess would store wrong letters in a record for good."""
    stream = sys.stdin
    if stream is None or stream.closed:
        raise ValidationError(option, "'-' reads standard input, but there is none")
    raw = getattr(stream, "buffer", None)
    data = raw.read() if raw is not None else stream.read().encode("utf-8", "surrogateescape")
    try:
        return bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            option,
            f"standard input is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset "
            f"{exc.start}); convert it first, e.g. 'iconv -f latin1 -t utf-8'",
        ) from None

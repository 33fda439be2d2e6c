"""Cleaning untrusted text: control characters out, length bounded, whitespace tidy."""

from __future__ import annotations

import re
import unicodedata

from caseterm.core.errors import ValidationError

# C0 controls other than tab and newline, DEL, and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

NAME_MAX = 120
LINE_MAX = 300
NOTES_MAX = 20_000


def strip_controls(value: str, *, multiline: bool = False) -> str:
    """Remove control characters (escape sequences lose their ESC and become inert text)."""
    pattern = _CONTROL if multiline else _LINE_CONTROL
    if not multiline:
        value = value.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    else:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return pattern.sub("", value)


def clean_line(
    field: str, value: str | None, *, required: bool = True, limit: int = LINE_MAX
) -> str:
    """A single-line field: controls stripped, ends trimmed; refuses empty or over-long values."""
    text = strip_controls(value or "").strip()
    if required and not text:
        raise ValidationError(field, "is required")
    if len(text) > limit:
        raise ValidationError(field, f"is too long ({len(text)} characters; the limit is {limit})")
    return text


def clean_notes(
    field: str, value: str | None, *, required: bool = False, limit: int = NOTES_MAX
) -> str:
    """Multi-line free text: controls stripped except newline and tab."""
    text = strip_controls(value or "", multiline=True).strip()
    if required and not text:
        raise ValidationError(field, "is required")
    if len(text) > limit:
        raise ValidationError(field, f"is too long ({len(text)} characters; the limit is {limit})")
    return text


def fold(value: str) -> str:
    """Search form of a name: lower case, accents removed, punctuation to spaces, spaces single."""
    decomposed = unicodedata.normalize("NFKD", value)
    no_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    lowered = no_marks.casefold()
    lowered = lowered.replace("'", "").replace("\u2019", "")
    spaced = re.sub(r"[^0-9a-z]+", " ", lowered)
    return spaced.strip()


def fold_identifier(value: str) -> str:
    """Identifiers compare without spaces, dashes or case: 'ab 12 34 56 c' == 'AB123456C'."""
    return re.sub(r"[^0-9A-Za-z]", "", value).upper()

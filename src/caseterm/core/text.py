"""Cleaning untrusted text: control characters out, length bounded, whitespace tidy; and the
display forms of stored text (`for_display`, `shorten`, `listing`) that every printed line uses."""

from __future__ import annotations

import re
import unicodedata

from caseterm.core.errors import ValidationError

# C0 controls other than tab and newline, DEL, and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

# Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): on display they can make a
# line read differently from what it holds. Right-to-left letters and marks stay.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Lone surrogates: a program reading undecodable bytes may hold them; no encoder accepts them.
_SURROGATES = re.compile("[\ud800-\udfff]")

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


def for_display(value: object, *, multiline: bool = False) -> str:
    """Stored text as it may be printed to a terminal: None is empty, control characters and
    bidirectional overrides removed, lone surrogates shown as U+FFFD."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    text = _BIDI_CONTROLS.sub("", strip_controls(text, multiline=multiline))
    return _SURROGATES.sub("\ufffd", text)


def shorten(text: str, limit: int = 300) -> str:
    """`text` cut to about `limit` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit].rstrip()}… ({len(text) - limit} more characters)"


def listing(items: list[str], limit: int = 10) -> str:
    """'a, b, c' — at most `limit` items, then '… and N more'."""
    shown = ", ".join(items[:limit])
    if len(items) > limit:
        shown += f" … and {len(items) - limit} more"
    return shown


def _no_surrogates(field: str, value: str) -> str:
    """Refuse text holding lone surrogates (bytes that were not UTF-8, smuggled through as
    surrogate escapes): they cannot be stored, and guessing what was meant would be worse."""
    if _SURROGATES.search(value):
        raise ValidationError(field, "holds bytes that are not valid UTF-8")
    return value


def clean_line(
    field: str, value: str | None, *, required: bool = True, limit: int = LINE_MAX
) -> str:
    """A single-line field: controls stripped, ends trimmed; refuses empty or over-long values."""
    text = strip_controls(_no_surrogates(field, value or "")).strip()
    if required and not text:
        raise ValidationError(field, "is required")
    if len(text) > limit:
        raise ValidationError(field, f"is too long ({len(text)} characters; the limit is {limit})")
    return text


def clean_notes(
    field: str, value: str | None, *, required: bool = False, limit: int = NOTES_MAX
) -> str:
    """Multi-line free text: controls stripped except newline and tab."""
    text = strip_controls(_no_surrogates(field, value or ""), multiline=True).strip()
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

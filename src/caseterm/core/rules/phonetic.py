"""A phonetic key for names, so 'Smyth' finds 'Smith' and 'Mohammed' finds 'Muhammad'."""

from __future__ import annotations

from caseterm.core.text import fold

_CODES = {
    **dict.fromkeys("bfpv", "1"),
    **dict.fromkeys("cgjkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
}


def sound_key(folded: str) -> str:
    """American Soundex of the last word of a folded name ('' for no letters)."""
    letters = [c for c in folded.split()[-1] if c.isalpha()] if folded.split() else []
    if not letters:
        return ""
    first = letters[0]
    out = [first.upper()]
    last = _CODES.get(first, "")
    for c in letters[1:]:
        code = _CODES.get(c, "")
        if code and code != last:
            out.append(code)
        if c not in "hw":
            last = code
        if len(out) == 4:
            break
    return "".join(out).ljust(4, "0")


def name_keys(given: str, family: str) -> tuple[str, str]:
    """The searchable forms of a name: folded "given family" and the family name's sound key."""
    return fold(f"{given} {family}"), sound_key(fold(family))

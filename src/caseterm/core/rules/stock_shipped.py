"""Which stock letter texts caseterm has shipped: the text this release ships (`stock_letters`)
and, by SHA-256, the texts earlier releases shipped (data: stock_letters_shipped.toml).

A stock template (a template under a stock letter's code) is in one of three states:
"as shipped" (its text is this release's), "edited" (someone changed it, after this release's
text was theirs or never from a shipped text), or "shipped text changed" (edited from an
earlier release's text, and the shipped text has moved on since: `template diff` shows how).
A stock template still exactly at an earlier release's text is brought up to this release's
when the database is opened (`storage/stock_refresh.py`)."""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

SHIPPED_FILE = Path(__file__).with_name("stock_letters_shipped.toml")

AS_SHIPPED = "as shipped"
EDITED = "edited"
MOVED_ON = "shipped text changed"


def text_hash(body: str) -> str:
    """The SHA-256 of a template's text as stored (UTF-8), as the shipped file lists them."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def load_earlier(text: str) -> dict[str, frozenset[str]]:
    """The earlier shipped texts' hashes per stock code in `text` (the file's format); a value
    that is not a list of SHA-256 hex digests is refused naming its code."""
    data = tomllib.loads(text).get("earlier", {})
    found: dict[str, frozenset[str]] = {}
    for code, hashes in data.items():
        if not isinstance(hashes, list) or not all(
            isinstance(h, str) and len(h) == 64 and all(c in "0123456789abcdef" for c in h)
            for h in hashes
        ):
            raise ValueError(f"stock_letters_shipped.toml: {code} is not a list of SHA-256 digests")
        found[code] = frozenset(hashes)
    return found


@cache
def earlier_hashes() -> dict[str, frozenset[str]]:
    """Per stock code, the hashes of the texts earlier releases shipped."""
    return load_earlier(SHIPPED_FILE.read_text(encoding="utf-8"))


def shipped_texts() -> dict[str, str]:
    """Per stock code, the text this release ships (as a template stores it)."""
    from caseterm.core.rules.stock_letters import STOCK_LETTERS

    return {letter.code: letter.body for letter in STOCK_LETTERS}


def stock_state(code: str, body: str, saved: Iterable[str]) -> str:
    """The state of the template `code` whose text is `body` and whose saved versions' texts
    are `saved` (see the module docstring); "" when `code` is no stock letter's."""
    shipped = shipped_texts().get(code)
    if shipped is None:
        return ""
    if body == shipped:
        return AS_SHIPPED
    texts = list(saved)
    if shipped in texts:
        return EDITED  # edited from this release's text
    earlier = earlier_hashes().get(code, frozenset())
    return MOVED_ON if any(text_hash(t) in earlier for t in texts) else EDITED

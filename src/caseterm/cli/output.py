"""Printing results: `--json` for scripts, aligned plain text for people."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from typing import Any

from caseterm.core.text import for_display

# What json.dumps(ensure_ascii=False) would print raw but a terminal must not receive: DEL and
# the C1 controls (U+0085 and U+009B act as NEL and CSI in some terminals), the bidirectional
# marks, overrides and isolates, the line and paragraph separators, and lone surrogates (which
# no encoder accepts). JSON's own escapes keep the value intact: `"\u009b"`. C0 controls are
# escaped by json.dumps itself. These characters occur only inside JSON strings, so replacing
# them after encoding is safe.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if hasattr(value, "model_dump"):
        return value.model_dump()
    return str(value)


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_text(data: Any, *, indent: int | None = 2) -> str:
    """`data` as JSON with every character a terminal could act on escaped (see above). Letters
    of every script stay readable, unless standard output cannot encode them."""
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    # No encoding at all: a text buffer in this process (a caller capturing the output), which
    # holds any letter; only a stream that encodes to something else needs ASCII.
    ascii_only = bool(encoding) and encoding not in ("utf8", "utf_8")
    text = json.dumps(data, default=_default, ensure_ascii=ascii_only, indent=indent)
    return text if ascii_only else _JSON_UNSAFE.sub(_escape, text)


def print_json(data: Any) -> None:
    print(json_text(data))


def add_json_flag(parser: Any) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")


# Characters one cell wide: printable ASCII and Latin-1/Latin Extended/IPA, as rich.cells
# counts them (its own first check). Text made only of these needs no Unicode width tables.
_ONE_CELL = re.compile("[\u0020-\u007e\u00a0-\u00ac\u00ae-\u02ff]*")


def cell_len(text: str) -> int:
    """How many terminal cells `text` takes (wide characters two, accents none): rich's
    count, whose tables are loaded only for text beyond the Latin alphabets."""
    if _ONE_CELL.fullmatch(text):
        return len(text)
    from rich.cells import cell_len as rich_cell_len

    return rich_cell_len(text)


def _pad(text: str, width: int) -> str:
    """Pad by the width a terminal shows (wide characters take two cells, accents none)."""
    return text + " " * max(width - cell_len(text), 0)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Columns padded to their widest cell; stored text printed as `for_display` makes it."""
    cells = [[for_display(c) for c in row] for row in rows]
    widths = [cell_len(h) for h in headers]
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], cell_len(cell))
    print("  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip())
    for row in cells:
        print("  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())

"""Printing results: `--json` for scripts, aligned plain text for people."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from typing import Any

from rich.cells import cell_len

from caseterm.core.text import strip_controls


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if hasattr(value, "model_dump"):
        return value.model_dump()
    return str(value)


def print_json(data: Any) -> None:
    print(json.dumps(data, default=_default, ensure_ascii=False, indent=2))


def add_json_flag(parser: Any) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")


def _pad(text: str, width: int) -> str:
    """Pad by the width a terminal shows (wide characters take two cells, accents none)."""
    return text + " " * max(width - cell_len(text), 0)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Columns padded to their widest cell; stored text has control characters removed."""
    cells = [[strip_controls("" if c is None else str(c)) for c in row] for row in rows]
    widths = [cell_len(h) for h in headers]
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], cell_len(cell))
    print("  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip())
    for row in cells:
        print("  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())

"""What a report is made of, shared by the report builders (`reports`, `reports_outcomes`):
its columns and their kinds, the chart it is best drawn as, the period it covers, the table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from sqlmodel import Session

from caseterm.core.services.board_scope import Scope

Kind = Literal["text", "int", "percent", "pence", "date", "number"]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind = "int"


@dataclass(frozen=True)
class Chart:
    """How the report is best drawn: `kind` over the `category` column, one series a column."""

    kind: Literal["column", "line", "bar"]
    category: str
    series: tuple[str, ...]
    stacked: bool = False


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class ReportTable:
    name: str
    title: str
    scope: Scope
    period: Period
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    chart: Chart | None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def as_dicts(self) -> list[dict[str, Any]]:
        keys = [c.key for c in self.columns]
        return [dict(zip(keys, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class ReportInfo:
    name: str
    title: str
    what: str
    needs: str = "case.read"  # the capability that runs it (per-person accuracy: audit.read)


Runner = Callable[[Session, Scope, Period], ReportTable]

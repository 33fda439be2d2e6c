"""How the library's stock letters stand against the text this release ships
(`rules/stock_shipped.py`): "as shipped", "edited", or "shipped text changed" (edited from an
earlier release's text, and the shipped text has moved on since), and the difference between a
template's text and the shipped one, line by line, so whoever keeps the library can carry the
new wording into their edited letter (`template edit`)."""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, col, select

from caseterm.core.errors import ValidationError
from caseterm.core.models import LetterTemplate, LetterTemplateVersion
from caseterm.core.rules.stock_shipped import shipped_texts, stock_state
from caseterm.core.services.identity import Actor
from caseterm.core.services.letter_templates import show_template


def _saved_texts(session: Session, template_ids: list[int]) -> dict[int, list[str]]:
    saved: dict[int, list[str]] = defaultdict(list)
    if template_ids:
        rows = session.exec(
            select(LetterTemplateVersion.template_id, LetterTemplateVersion.body).where(
                col(LetterTemplateVersion.template_id).in_(template_ids)
            )
        ).all()
        for template_id, body in rows:
            saved[template_id].append(body)
    return saved


def stock_states(session: Session, actor: Actor) -> dict[str, str]:
    """Per template code under a stock letter's code, its state (see the module docstring);
    templates of the organisation's own codes are left out."""
    actor.require("case.read")
    stock = shipped_texts()
    rows = session.exec(
        select(LetterTemplate.id, LetterTemplate.code, LetterTemplate.body).where(
            col(LetterTemplate.code).in_(list(stock))
        )
    ).all()
    saved = _saved_texts(session, [template_id or 0 for template_id, _, _ in rows])
    return {
        code: stock_state(code, body, saved.get(template_id or 0, []))
        for template_id, code, body in rows
    }


@dataclass(frozen=True)
class StockDiff:
    code: str
    version: int  # the template's version compared
    state: str  # as shipped | edited | shipped text changed
    diff: tuple[str, ...]  # unified diff lines, from the template's text to the shipped text
    shipped: str  # the text this release ships


def stock_diff(session: Session, actor: Actor, *, code: str) -> StockDiff:
    """The difference between the template `code` and the stock letter this release ships
    under that code; refused for a template that is no stock letter."""
    info = show_template(session, actor, code=code.strip().upper())
    shipped = shipped_texts().get(info.code)
    if shipped is None:
        raise ValidationError("template", f"{info.code} is not a stock letter caseterm ships")
    template_id = info.id
    state = stock_state(info.code, info.body, _saved_texts(session, [template_id])[template_id])
    diff = difflib.unified_diff(
        info.body.splitlines(),
        shipped.splitlines(),
        fromfile=f"{info.code} version {info.version} (yours)",
        tofile=f"{info.code} as shipped",
        lineterm="",
    )
    return StockDiff(info.code, info.version, state, tuple(diff), shipped)

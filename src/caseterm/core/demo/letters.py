"""Demo stock letters: the templates, and documents made from them (draft, checked, issued)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from caseterm.core.demo.context import CaseInfo, Ctx
from caseterm.core.demo.texts import LETTER_TEMPLATES
from caseterm.core.models import metadata


def write_templates(ctx: Ctx) -> None:
    """The letter templates, reusing any the database already has under the same code."""
    table = metadata.tables["letter_template"]
    have = {r.code: r.id for r in ctx.w.conn.execute(select(table.c.code, table.c.id))}
    for code, name, type_code, body in LETTER_TEMPLATES:
        if code in have:
            ctx.template_ids[code] = have[code]
            continue
        template_id = ctx.w.next_id("letter_template")
        ctx.template_ids[code] = template_id
        ctx.w.add(
            "letter_template",
            {
                "id": template_id,
                "code": code,
                "name": name,
                "body": body,
                "case_type_id": ctx.case_types[type_code][0]
                if type_code in ctx.case_types
                else None,
            },
        )


def templates_for(type_code: str) -> list[tuple[str, str, str]]:
    """(code, name, body) of the templates a case of this type may use."""
    return [(c, n, b) for c, n, t, b in LETTER_TEMPLATES if t in (None, type_code)]


def write_document(
    ctx: Ctx,
    case: CaseInfo,
    *,
    created: datetime,
    status: str,
    author_id: int,
    checker_id: int | None = None,
    contact_id: int | None = None,
) -> int:
    code, name, body = ctx.pick(templates_for(case.type_code))
    person = case.subject
    text = body.format(
        name=f"{person.given} {person.family}",
        reference=case.reference,
        office=ctx.offices[case.office].name,
        date=created.strftime("%d/%m/%Y"),
    )
    doc_id = ctx.w.next_id("document")
    ctx.w.add(
        "document",
        {
            "id": doc_id,
            "case_id": case.id,
            "template_id": ctx.template_ids.get(code),
            "title": f"{name} – {person.given} {person.family}"[:200],
            "body": text,
            "status": status,
            "created_by_id": author_id,
            "checked_by_id": checker_id if status in ("checked", "issued") else None,
            "issued_at": created if status == "issued" else None,
            "contact_entry_id": contact_id,
            "created_at": created,
            "updated_at": created,
            "updated_by_id": author_id,
            "version": 1,
        },
    )
    return doc_id

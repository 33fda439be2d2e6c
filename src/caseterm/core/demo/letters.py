"""Demo stock letters: the shipped templates, and letters made from them (draft, submitted,
checked, issued), merged with the demo's details as a real draft would be."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from caseterm.core.demo.context import CaseInfo, Ctx
from caseterm.core.demo.org import OFFICE_PHONES, OFFICES
from caseterm.core.models import metadata
from caseterm.core.rules.letter_fields import render
from caseterm.core.rules.stock_letters import DEMO_EVENT_VALUES, STOCK_LETTERS, StockLetter

OFFICE_ADDRESS = {code: address for code, _, address, _ in OFFICES}


def write_templates(ctx: Ctx) -> None:
    """The stock letters (version 1), reusing any the database already has under the same code."""
    table = metadata.tables["letter_template"]
    have = {r.code: r.id for r in ctx.w.conn.execute(select(table.c.code, table.c.id))}
    for letter in STOCK_LETTERS:
        if letter.code in have:
            ctx.template_ids[letter.code] = have[letter.code]
            continue
        template_id = ctx.w.next_id("letter_template")
        ctx.template_ids[letter.code] = template_id
        first = letter.case_types[0] if letter.case_types else None
        ctx.w.add(
            "letter_template",
            {
                "id": template_id,
                "code": letter.code,
                "name": letter.name,
                "body": letter.body,
                "case_type_id": ctx.case_types[first][0] if first in ctx.case_types else None,
                "case_types": ",".join(letter.case_types),
                "recipient_kind": letter.recipient_kind,
                "language": letter.language,
                "variant_of": letter.variant_of,
                "version": 1,
                "active": True,
                "updated_at": ctx.now,
                "updated_by_id": None,
            },
        )
        ctx.w.add(
            "letter_template_version",
            {
                "id": ctx.w.next_id("letter_template_version"),
                "template_id": template_id,
                "version": 1,
                "name": letter.name,
                "body": letter.body,
                "saved_at": ctx.now,
                "saved_by_id": None,
            },
        )


def templates_for(type_code: str) -> list[StockLetter]:
    """The English stock letters a case of this type may use."""
    return [
        t
        for t in STOCK_LETTERS
        if t.language == "en" and (not t.case_types or type_code in t.case_types)
    ]


def _long(day: Any) -> str:
    return f"{day.day} {day:%B %Y}"


def _values(ctx: Ctx, case: CaseInfo, created: datetime, author_id: int) -> dict[str, Any]:
    person = case.subject
    office = ctx.offices[case.office]
    author = next((s.name for s in ctx.staff if s.id == author_id), "")
    seen = created + timedelta(days=7)
    return {
        "person": {
            "title": person.title,
            "given_name": person.given,
            "family_name": person.family,
            "full_name": f"{person.given} {person.family}",
            "address": "",
            "date_of_birth": _long(person.dob),
            "crn": "",
            "pnc": "",
            "nhs": "",
            "account": case.reference,
        },
        "case": {
            "reference": case.reference,
            "type": case.type_code,
            "type_code": case.type_code,
            "owner": "",
            "opened_on": _long(case.opened_on),
        },
        "office": {
            "name": office.name,
            "address": OFFICE_ADDRESS.get(office.code, ""),
            "phone": OFFICE_PHONES.get(office.code, ""),
        },
        "appointment": {
            "date": f"{seen:%A} {_long(seen)}",
            "time": "10:00",
            "place": office.name,
            "with": author,
        },
        "account": {"balance": "£240.00", "instalment": "£20.00", "next_due": _long(seen)},
        "event": DEMO_EVENT_VALUES,
        "officer": {"name": author, "team": ""},
        "today": _long(created),
    }


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
    letter = ctx.pick(templates_for(case.type_code))
    person = case.subject
    text = render(letter.body, _values(ctx, case, created, author_id))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    checked = status in ("checked", "issued")
    doc_id = ctx.w.next_id("document")
    ctx.w.add(
        "document",
        {
            "id": doc_id,
            "case_id": case.id,
            "template_id": ctx.template_ids.get(letter.code),
            "kind": "letter",
            "template_version": 1,
            "title": f"{letter.name} – {person.given} {person.family}"[:200],
            "body": text,
            "status": status,
            "recipient": f"{person.given} {person.family}"
            if letter.recipient_kind == "subject"
            else "",
            "address_id": None,
            "created_by_id": author_id,
            "submitted_at": created if status != "draft" else None,
            "submitted_hash": digest if status != "draft" else "",
            "checked_by_id": checker_id if checked else None,
            "checked_at": created if checked else None,
            "approved_hash": digest if checked else "",
            "reject_reason": "",
            "issued_at": created if status == "issued" else None,
            "contact_entry_id": contact_id,
            "created_at": created,
            "updated_at": created,
            "updated_by_id": author_id,
            "version": 1,
        },
    )
    if status == "issued":
        ctx.w.add(
            "post_out",
            {
                "id": ctx.w.next_id("post_out"),
                "document_id": doc_id,
                "case_id": case.id,
                "via": "post",
                "dispatched_on": created.date(),
                "recipient": f"{person.given} {person.family}",
                "recorded_at": created,
                "recorded_by_id": author_id,
            },
        )
    return doc_id

"""A letter template and letters in each state, made through the real services, for tests."""

from __future__ import annotations

from caseterm.core.services import letter_approval, letter_templates, letters
from tests.factories import World

BODY = (
    "Dear {{ person.full_name }}\n\nYour case {{ case.reference }} is held at {{ office.name }}."
    "\nWritten {{ today }}.\n\n{{ officer.name }}\n"
)


def add_template(w: World, code: str = "APPT", body: str = BODY, **kw: str) -> None:
    with w.db.write() as s:
        letter_templates.add_template(
            s, w.admin, code=code, name="Appointment letter", body=body, **kw
        )


def drafted(w: World) -> int:
    """A draft by the clerk on the world's case (the template added first)."""
    add_template(w)
    with w.db.write() as s:
        made = letters.draft_letter(s, w.clerk, case_id=w.case.id or 0, template_code="APPT")
        return made.id


def submitted(w: World) -> int:
    doc_id = drafted(w)
    with w.db.write() as s:
        letters.submit_letter(s, w.clerk, document_id=doc_id)
    return doc_id


def approved(w: World) -> int:
    doc_id = submitted(w)
    with w.db.write() as s:
        letter_approval.approve_letter(s, w.manager, document_id=doc_id)
    return doc_id

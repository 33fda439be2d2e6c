"""A letter template's text as it is being edited, before it is saved, merged with a case: what
the template form previews (`ctrl+r` in the template library's form). The text is checked as
saving checks it (a syntax error or an unknown merge field is refused with its line), then merged
as a letter drafted from it would be; nothing is written (a refused restricted case is logged,
as for any read of one)."""

from __future__ import annotations

from sqlmodel import Session

from caseterm.core.rules.catalogue import LETTER_LANGUAGES
from caseterm.core.rules.letter_fields import check_template, render
from caseterm.core.services.access import require_visible
from caseterm.core.services.identity import Actor
from caseterm.core.services.letter_merge import merge_values
from caseterm.core.services.letter_templates import BODY_MAX
from caseterm.core.text import clean_line, clean_notes


def preview_template_text(
    session: Session,
    actor: Actor,
    *,
    case_id: int,
    body: str,
    language: str = "en",
    extra: dict[str, str] | None = None,
) -> str:
    """`body` (a template's text, not saved) merged with the case `case_id`, in `language`, with
    the values `extra` a template asks to be typed (`event.NAME`)."""
    actor.require("template.admin")
    case = require_visible(session, actor, case_id, "documents")
    text = clean_notes("body", body, required=True, limit=BODY_MAX) + "\n"
    check_template(text)
    lang = language if language in LETTER_LANGUAGES else "en"
    typed = {
        clean_line("event field", k, limit=40): clean_line(f"event.{k}", v, limit=300)
        for k, v in (extra or {}).items()
    }
    return render(text, merge_values(session, actor, case, typed, language=lang))

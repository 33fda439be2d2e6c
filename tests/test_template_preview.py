"""A template's text being edited, merged with a case before it is saved
(`template_preview.preview_template_text`): checked as saving checks it, merged as a letter would
be, nothing written; only for those who may edit templates."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from caseterm.core.errors import PermissionDeniedError, ValidationError
from caseterm.core.models import AuditEvent
from caseterm.core.services.template_preview import preview_template_text
from tests.factories import World


def test_unsaved_text_is_merged_checked_and_refused_to_others(
    world: World, frozen_clock: object
) -> None:
    case_id = world.case.id or 0
    with world.db.write() as s:
        before = s.exec(select(func.count()).select_from(AuditEvent)).one()
        text = preview_template_text(
            s,
            world.manager,
            case_id=case_id,
            body="Dear {{ person.full_name }}\nSee you at {{ event.court }}.",
            extra={"court": "Preston {{ 7*7 }}"},
        )
        assert text.startswith("Dear Siobhán") and "See you at Preston {{ 7*7 }}." in text
        with pytest.raises(ValidationError, match=r"line 2: unknown merge field person\.shoe"):
            preview_template_text(s, world.manager, case_id=case_id, body="Hi\n{{ person.shoe }}")
        with pytest.raises(ValidationError, match=r"no value for merge field event\.court"):
            preview_template_text(s, world.manager, case_id=case_id, body="{{ event.court }}")
        with pytest.raises(PermissionDeniedError, match="add and edit letter templates"):
            preview_template_text(s, world.worker, case_id=case_id, body="Hi")
        assert s.exec(select(func.count()).select_from(AuditEvent)).one() == before

"""The watched intake folder (a file taken as an incoming item, attached at triage), issued
letters stored as files, Welsh dates and the office's phone."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from caseterm.core.services import intake_files, offices, triage
from tests.audit_scenarios import audited, reads
from tests.factories import World

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

reads("received", "check_file")
reads("intake_files", "file_of_item", "waiting_files")
reads("incoming", "arrival_office")  # the office items and files arrive at (letters2, letters3)


@audited("intake_files", "take_file", "intake.take")
def _take_file(s: Session, w: World, _: Any) -> None:
    assert not intake_files.take_file(s, w.clerk, filename="scan.pdf", data=PDF).already


def _taken_and_linked(w: World) -> int:
    with w.db.write() as s:
        item = intake_files.take_file(s, w.clerk, filename="scan.pdf", data=PDF).info.task_id
    with w.db.write() as s:
        triage.link(s, w.clerk, item, case_id=w.case.id)
    return item


@audited("intake_files", "attach_file", "intake.attach", _taken_and_linked)
def _attach_file(s: Session, w: World, item: Any) -> None:
    intake_files.attach_file(s, w.clerk, task_id=item, kind="court")


# Letters stored as files, Welsh dates, the office's phone.
reads("letter_views", "page_of")
reads("letters")
reads("offices", "list_offices")


@audited("offices", "update_office", "office.edit")
def _update_office(s: Session, w: World, _: Any) -> None:
    assert offices.update_office(s, w.clerk, code="PRE", phone="01772 555 0100").phone

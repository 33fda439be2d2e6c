"""`caseterm template …` and `caseterm letter …`: the library, and a letter drafted by one
member of staff, checked by another and issued, each step with --json; refusals as one line."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from caseterm.core.models import AuditEvent, Document, PostOut
from tests.cli import run_cli
from tests.factories import World
from tests.letter_helpers import BODY


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> None:
    """Data built here and the command agree on the time."""


def test_template_library_from_the_command_line(world: World, tmp_path: Path) -> None:
    db = world.db.url
    stock = run_cli(tmp_path, "template", "stock", "--json", db=db, user="boss")
    assert stock.code == 0 and "APPT" in stock.json()["added"]
    listed = run_cli(tmp_path, "template", "list", "--case-type", "OM", "--json", db=db)
    codes = [t["code"] for t in listed.json()]
    assert "FTA" in codes and "FINE_FSN" not in codes and "APPT_CY" in codes
    fields = run_cli(tmp_path, "template", "fields", "--json", db=db).json()
    assert {"field": "person.full_name", "description": "given and family name"} in fields
    bad = run_cli(
        tmp_path,
        "template",
        "add",
        "BAD",
        "--name",
        "Bad",
        "--body",
        "Hi\n{{ person.nmae }}",
        db=db,
        user="boss",
    )
    assert bad.code != 0
    assert bad.one_error_line() == "caseterm: body: line 2: unknown merge field person.nmae"
    refused = run_cli(
        tmp_path, "template", "add", "MINE", "--name", "Mine", "--body", "x", db=db, user="worker"
    )
    assert refused.code != 0 and "may not add and edit letter templates" in refused.one_error_line()
    added = run_cli(
        tmp_path,
        "template",
        "add",
        "MINE",
        "--name",
        "Mine",
        "--body",
        "-",
        "--case-types",
        "OM",
        "--json",
        db=db,
        user="boss",
        stdin=BODY,
    )
    assert added.json()["version"] == 1 and added.json()["case_types"] == ["OM"]
    edited = run_cli(
        tmp_path,
        "template",
        "edit",
        "MINE",
        "--name",
        "Mine (2)",
        "--expect-version",
        "1",
        "--json",
        db=db,
        user="boss",
    )
    assert edited.json()["version"] == 2
    old = run_cli(tmp_path, "template", "show", "MINE", "--version", "1", "--json", db=db)
    assert old.json()["name"] == "Mine"
    ref = world.case.reference
    preview = run_cli(tmp_path, "template", "preview", "MINE", ref, "--json", db=db)
    assert preview.json()["text"].startswith("Dear Siobhán O'Neill-Brady")
    missing = run_cli(tmp_path, "template", "preview", "FTA", ref, db=db)
    assert missing.one_error_line() == (
        "caseterm: body: no value for merge field event.missed_date (type it when drafting)"
    )
    with world.db.read() as s:
        actions = s.exec(select(AuditEvent.action).where(AuditEvent.entity == "letter_template"))
        assert list(actions).count("template.edit") == 1


def test_draft_check_issue_as_two_people(world: World, tmp_path: Path) -> None:
    db, ref = world.db.url, world.case.reference
    run_cli(tmp_path, "template", "stock", db=db, user="boss")
    made = run_cli(
        tmp_path,
        "letter",
        "draft",
        ref,
        "--template",
        "FTA",
        "--set",
        "missed_date=20 November",
        "--json",
        db=db,
        user="clerk",
    )
    assert made.code == 0, made.err
    letter = made.json()
    doc_id = str(letter["id"])
    assert letter["status"] == "draft" and "20 November" in letter["body"]
    assert run_cli(tmp_path, "letter", "submit", doc_id, db=db, user="clerk").code == 0
    own = run_cli(tmp_path, "letter", "approve", doc_id, db=db, user="clerk")
    assert own.code != 0  # an administrator is no checker
    checks = run_cli(tmp_path, "letter", "checks", "--json", db=db, user="boss").json()
    assert [c["id"] for c in checks] == [letter["id"]]
    unapproved = run_cli(tmp_path, "letter", "issue", doc_id, db=db, user="clerk")
    assert "only a letter approved by a checker can be issued" in unapproved.one_error_line()
    no_reason = run_cli(tmp_path, "letter", "reject", doc_id, "--reason", " ", db=db, user="boss")
    assert no_reason.one_error_line() == "caseterm: reason: is required"
    rejected = run_cli(
        tmp_path,
        "letter",
        "reject",
        doc_id,
        "--reason",
        "say which appointment",
        "--json",
        db=db,
        user="boss",
    )
    assert rejected.json()["status"] == "rejected"
    run_cli(
        tmp_path,
        "letter",
        "revise",
        doc_id,
        "--body",
        "-",
        db=db,
        user="clerk",
        stdin="Dear Siobhán\n\nYou missed your appointment on 20 November at 10:00.\n",
    )
    run_cli(tmp_path, "letter", "submit", doc_id, db=db, user="clerk")
    shown = run_cli(tmp_path, "letter", "show", doc_id, "--json", db=db, user="boss").json()
    stale = run_cli(tmp_path, "letter", "approve", doc_id, "--sha256", "0" * 64, db=db, user="boss")
    assert "not the text you read" in stale.one_error_line()
    ok = run_cli(
        tmp_path,
        "letter",
        "approve",
        doc_id,
        "--sha256",
        shown["sha256"],
        "--json",
        db=db,
        user="boss",
    )
    assert ok.json()["approved_sha256"] == shown["sha256"]
    issued = run_cli(
        tmp_path, "letter", "issue", doc_id, "--via", "email", "--json", db=db, user="clerk"
    )
    assert issued.json()["status"] == "issued" and issued.json()["via"] == "email"
    text = run_cli(tmp_path, "letter", "show", doc_id, db=db, user="clerk").out
    assert "issued 23/11/2026" in text and "You missed your appointment" in text
    with world.db.read() as s:
        doc = s.get(Document, letter["id"])
        assert doc is not None and doc.status == "issued"
        assert s.exec(select(PostOut.via).where(PostOut.document_id == doc.id)).one() == "email"

"""Existing databases get the stock letter text this release ships (migration 0025): a stock
template still exactly at an earlier release's text is given the new text as its next version,
audited; an edited one is left alone, and `template list` marks it "shipped text changed" while
`template diff CODE` shows the difference."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from sqlmodel import col, select

from caseterm.core.errors import ValidationError
from caseterm.core.models import AuditEvent, LetterTemplate, LetterTemplateVersion
from caseterm.core.rules import stock_shipped
from caseterm.core.rules.stock_letters import STOCK_LETTERS
from caseterm.core.services import letter_templates, org, stock_templates
from caseterm.core.storage import migrate
from caseterm.core.storage.database import Database
from caseterm.core.storage.opening import open_database
from tests.cli import run_cli
from tests.factories import World, build_world
from tests.stock_letters_old import OLD_APPT, OLD_COUNCIL_DEC

SHIPPED = {letter.code: letter.body for letter in STOCK_LETTERS}
EDITED = OLD_COUNCIL_DEC.replace("Yours sincerely", "Yours faithfully")


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> None:
    """Today is Monday 23 November 2026."""


def _at_0022(path: Path) -> Database:
    db = Database(f"sqlite:///{path}")
    cfg = migrate.alembic_config(db)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0022")
    return db


def _template(db: Database, code: str) -> tuple[LetterTemplate, list[LetterTemplateVersion]]:
    with db.read() as s:
        t = s.exec(select(LetterTemplate).where(LetterTemplate.code == code)).one()
        saved = s.exec(
            select(LetterTemplateVersion)
            .where(LetterTemplateVersion.template_id == t.id)
            .order_by(col(LetterTemplateVersion.version))
        ).all()
        return t, list(saved)


@pytest.fixture
def upgraded(tmp_path: Path) -> tuple[World, Path]:
    """A database as the release of 2026-12-03 left it: APPT at its shipped text, COUNCIL_DEC
    edited from its shipped text, FTA already at today's, an organisation's own MEMO; then
    opened by this release."""
    path = tmp_path / "old.db"
    old = _at_0022(path)
    with old.write() as s:
        org.ensure_catalogue(s)  # as opening it did then
    w = build_world(old)
    with old.write() as s:
        for code, body in (("APPT", OLD_APPT), ("COUNCIL_DEC", OLD_COUNCIL_DEC)):
            letter_templates.add_template(s, w.admin, code=code, name=code.title(), body=body)
        letter_templates.add_template(s, w.admin, code="FTA", name="FTA", body=SHIPPED["FTA"])
        letter_templates.add_template(s, w.admin, code="MEMO", name="Memo", body="Hello\n")
    with old.write() as s:
        letter_templates.edit_template(s, w.admin, code="COUNCIL_DEC", body=EDITED)
    old.dispose()
    opened = open_database(str(path)).db
    return World(**{**w.__dict__, "db": opened}), path


@pytest.mark.sqlite_only  # the upgrade of a SQLite file; the refresh's SQL is plain
def test_an_unedited_stock_template_gets_the_shipped_text_and_an_edited_one_is_kept(
    upgraded: tuple[World, Path],
) -> None:
    w, _ = upgraded
    assert migrate.current_revision(w.db) == migrate.head_revision()
    appt, appt_saved = _template(w.db, "APPT")
    assert appt.body == SHIPPED["APPT"] and "Telephone {{ office.phone }}" in appt.body
    assert appt.version == 2 and appt.updated_by_id is None
    assert [(v.version, v.body) for v in appt_saved] == [(1, OLD_APPT), (2, SHIPPED["APPT"])]
    council, _ = _template(w.db, "COUNCIL_DEC")
    assert (council.version, council.body) == (2, EDITED)
    fta, _ = _template(w.db, "FTA")
    assert fta.version == 1
    with w.db.read() as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "template.stock_text")).all()
        states = stock_templates.stock_states(s, w.worker)
    assert [(e.entity_id, e.staff_id) for e in events] == [(appt.id, None)]
    assert "APPT" in events[0].summary and '"version": 1' in events[0].before
    assert states == {
        "APPT": stock_shipped.AS_SHIPPED,
        "COUNCIL_DEC": stock_shipped.MOVED_ON,
        "FTA": stock_shipped.AS_SHIPPED,
    }
    with w.db.read() as s:
        diff = stock_templates.stock_diff(s, w.worker, code="council_dec")
    assert diff.state == stock_shipped.MOVED_ON and diff.version == 2
    assert "-Yours faithfully" in diff.diff and "+Yours sincerely" in diff.diff
    assert "+Telephone {{ office.phone }}" in diff.diff
    # Edited again after this release's text was theirs: merely "edited".
    with w.db.write() as s:
        letter_templates.edit_template(s, w.admin, code="APPT", body=SHIPPED["APPT"] + "PS\n")
    with w.db.read() as s:
        assert stock_templates.stock_states(s, w.worker)["APPT"] == stock_shipped.EDITED


@pytest.mark.sqlite_only
def test_template_list_marks_and_template_diff_shows_from_the_command_line(
    upgraded: tuple[World, Path], tmp_path: Path
) -> None:
    _, path = upgraded
    db = f"sqlite:///{path}"
    listed = run_cli(tmp_path, "template", "list", "--json", db=db)
    stock = {t["code"]: t["stock"] for t in listed.json()}
    assert stock == {
        "APPT": "as shipped",
        "COUNCIL_DEC": "shipped text changed",
        "FTA": "as shipped",
        "MEMO": None,
    }
    table = run_cli(tmp_path, "template", "list", db=db).out
    assert "(shipped text changed: template diff)" in table
    diff = run_cli(tmp_path, "template", "diff", "COUNCIL_DEC", "--json", db=db).json()
    assert diff["stock"] == "shipped text changed" and diff["shipped"] == SHIPPED["COUNCIL_DEC"]
    assert "+Telephone {{ office.phone }}" in diff["diff"]
    text = run_cli(tmp_path, "template", "diff", "COUNCIL_DEC", db=db).out
    assert text.startswith("COUNCIL_DEC v2: shipped text changed\n")
    assert "--- COUNCIL_DEC version 2 (yours)" in text and "+++ COUNCIL_DEC as shipped" in text
    memo = run_cli(tmp_path, "template", "diff", "MEMO", db=db)
    assert memo.code != 0
    assert "MEMO is not a stock letter caseterm ships" in memo.one_error_line()


def test_every_stock_letter_is_stored_exactly_as_shipped(world: World) -> None:
    with world.db.write() as s:
        added = letter_templates.install_stock_templates(s, world.admin)
    with world.db.read() as s:
        states = stock_templates.stock_states(s, world.worker)
    assert added and {states[code] for code in added} == {stock_shipped.AS_SHIPPED}


def test_a_non_stock_template_has_no_diff(world: World) -> None:
    with world.db.write() as s:
        letter_templates.add_template(s, world.admin, code="MEMO", name="Memo", body="Hello\n")
    with pytest.raises(ValidationError) as refused, world.db.read() as s:
        stock_templates.stock_diff(s, world.worker, code="MEMO")
    assert refused.value.field == "template"


def test_the_shipped_file_lists_the_old_texts_and_refuses_a_bad_value() -> None:
    earlier = stock_shipped.earlier_hashes()
    assert set(earlier) == set(SHIPPED)
    assert stock_shipped.text_hash(OLD_APPT) in earlier["APPT"]
    assert stock_shipped.text_hash(SHIPPED["APPT"]) not in earlier["APPT"]
    with pytest.raises(ValueError, match="APPT is not a list of SHA-256 digests"):
        stock_shipped.load_earlier('[earlier]\nAPPT = ["not a hash"]\n')


def test_the_refresh_runs_on_either_database(world: World) -> None:
    from caseterm.core.storage.stock_refresh import refresh_stock_texts

    with world.db.write() as s:
        letter_templates.add_template(s, world.admin, code="APPT", name="Appt", body=OLD_APPT)
        letter_templates.add_template(
            s, world.admin, code="COUNCIL_DEC", name="Decision", body=EDITED
        )
    with world.db.engine.begin() as conn:
        assert refresh_stock_texts(conn) == ["APPT"]
    with world.db.engine.begin() as conn:
        assert refresh_stock_texts(conn) == []  # done once
    appt, saved = _template(world.db, "APPT")
    assert (appt.version, appt.body, len(saved)) == (2, SHIPPED["APPT"], 2)
    with world.db.read() as s:
        [event] = s.exec(select(AuditEvent).where(AuditEvent.action == "template.stock_text"))
    assert event.entity_id == appt.id
    assert json.loads(event.after) == {"version": 2, "body": SHIPPED["APPT"]}

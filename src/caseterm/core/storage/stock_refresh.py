"""Bringing the stock letters of an existing database up to the text this release ships, as a
schema upgrade does it (migration 0025, and any later one that ships new stock text): every
template under a stock letter's code whose text is still exactly one an earlier release shipped
(`rules/stock_letters_shipped.toml`) is given this release's text as its next version (the
version kept, as an edit keeps it) with an audit event by the upgrade (no member of staff; the
real Unix login). A template edited by the organisation, one already at this release's text
and any other template are left as they are.

Plain SQL on the migration's connection, so it runs inside the upgrade's transaction on SQLite
and PostgreSQL alike."""

from __future__ import annotations

import json

from sqlalchemy import Connection, text

from caseterm.core import clock
from caseterm.core.rules.stock_shipped import earlier_hashes, shipped_texts, text_hash
from caseterm.core.services.identity import real_login


def refresh_stock_texts(conn: Connection) -> list[str]:
    """Update each stock template still at an earlier shipped text; the codes updated."""
    shipped, earlier = shipped_texts(), earlier_hashes()
    now = clock.now().replace(microsecond=0)
    login = real_login()
    rows = conn.execute(
        text("SELECT id, code, name, body, version FROM letter_template ORDER BY code")
    ).all()
    updated: list[str] = []
    for template_id, code, name, body, version in rows:
        new = shipped.get(code)
        if new is None or body == new or text_hash(body) not in earlier.get(code, frozenset()):
            continue
        after = version + 1
        conn.execute(
            text(
                "UPDATE letter_template SET body = :body, version = :version, "
                "updated_at = :at, updated_by_id = NULL WHERE id = :id"
            ),
            {"body": new, "version": after, "at": now, "id": template_id},
        )
        conn.execute(
            text(
                "INSERT INTO letter_template_version "
                "(template_id, version, name, body, saved_at, saved_by_id) "
                "VALUES (:id, :version, :name, :body, :at, NULL)"
            ),
            {"id": template_id, "version": after, "name": name, "body": new, "at": now},
        )
        conn.execute(
            text(
                "INSERT INTO audit_event "
                '(at, staff_id, os_user, action, entity, entity_id, summary, "before", "after") '
                "VALUES (:at, NULL, :login, 'template.stock_text', 'letter_template', :id, "
                ":summary, :before, :after)"
            ),
            {
                "at": now,
                "login": login,
                "id": template_id,
                "summary": f"upgrade: stock letter template {code} given the text this release "
                f"ships (was at an earlier release's, unedited; now version {after})",
                "before": json.dumps({"version": version, "body": body}, ensure_ascii=False),
                "after": json.dumps({"version": after, "body": new}, ensure_ascii=False),
            },
        )
        updated.append(code)
    return updated

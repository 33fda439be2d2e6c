"""Schema upgrades: models and migrations agree; an older database upgrades in place after a
backup copy; a newer or foreign database is refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import select

from caseterm.core.errors import DatabaseError
from caseterm.core.models import Task, metadata
from caseterm.core.services.identity import _is_demo_database
from caseterm.core.storage import migrate
from caseterm.core.storage.database import Database
from caseterm.core.storage.opening import open_database
from caseterm.core.storage.schema_filter import include_object


def _upgrade_to(path: Path, revision: str) -> Database:
    db = Database(f"sqlite:///{path}")
    cfg = migrate.alembic_config(db)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return db


def test_models_match_migrations(db: Database) -> None:
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"include_object": include_object, "compare_type": True}
        )
        diff = compare_metadata(ctx, metadata)
    assert diff == []


def test_old_schema_upgrades_after_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = _upgrade_to(path, "0001")
    with old.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO office (code, name, address) VALUES ('PRE', 'Preston', '')"
        )
    old.dispose()

    opened = open_database(str(path))
    assert opened.backup is not None and opened.backup.exists()
    assert migrate.current_revision(opened.db) == migrate.head_revision()
    with sqlite3.connect(opened.backup) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert conn.execute("SELECT name FROM office").fetchall() == [("Preston",)]
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT name FROM office").fetchall() == [("Preston",)]
        columns = {row[1] for row in conn.execute("PRAGMA table_info(task)")}
    assert {"triaged_at", "triaged_by_id"} <= columns


def test_incoming_items_from_before_0005_keep_their_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = _upgrade_to(path, "0004")
    with old.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO task (created_at, updated_at, kind, title, details, priority, status,"
            " source, outcome, version) VALUES ('2026-11-20 09:00:00', '2026-11-20 09:00:00',"
            " 'post_in', 'Post: letter from Ann Smith', '', 3, 'untriaged', 'Post', '', 1)"
        )
    old.dispose()
    opened = open_database(str(path))
    with opened.db.read() as s:
        task = s.exec(select(Task)).one()
    assert (task.title, task.status, task.source) == (
        "Post: letter from Ann Smith",
        "untriaged",
        "Post",
    )
    assert (task.about_name, task.about_dob) == ("", None)
    opened.db.dispose()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    open_database(str(path)).db.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'zzzz'")
    with pytest.raises(DatabaseError, match="newer than this caseterm"):
        open_database(str(path))


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE stuff (x)")
    with pytest.raises(DatabaseError, match="not a caseterm database"):
        open_database(str(path))


def test_non_database_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello, this is not a database\n")
    with pytest.raises(DatabaseError, match="not a SQLite database"):
        open_database(str(path))


def test_missing_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="does not exist"):
        open_database(str(tmp_path / "nowhere" / "x.db"))


def test_new_database_is_private_to_its_owner(tmp_path: Path) -> None:
    path = tmp_path / "mine.db"
    open_database(str(path)).db.dispose()
    assert path.stat().st_mode & 0o777 == 0o600


def test_new_database_in_setgid_directory_is_shared_with_the_group(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o2770)
    path = shared / "team.db"
    opened = open_database(str(path)).db
    with opened.write() as s:
        s.exec(text("SELECT 1"))  # type: ignore[call-overload]
    opened.dispose()
    assert path.stat().st_mode & 0o777 == 0o660


def test_revision_file_names_agree_with_alembic() -> None:
    from alembic.script import ScriptDirectory

    from caseterm.core.storage.migrations import MIGRATIONS_DIR

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    ordered = [s.revision for s in reversed(list(script.walk_revisions()))]
    assert ordered == migrate.known_revisions()
    assert script.get_current_head() == migrate.head_revision()


def test_opening_a_current_database_does_not_import_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "x.db"
    open_database(str(path)).db.dispose()
    code = (
        "import sys; from caseterm.core.storage.opening import open_database; "
        f"open_database({str(path)!r}); print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_messages_never_show_a_password() -> None:
    from caseterm.core.storage.database import shown_url

    shown = shown_url("postgresql+psycopg://ann:s3cret@dbhost/caseterm")
    assert "s3cret" not in shown and "ann" in shown and "dbhost/caseterm" in shown


def test_unreachable_server_error_hides_the_password() -> None:
    with pytest.raises(DatabaseError) as err:
        open_database("postgresql+psycopg://ann:s3cret@127.0.0.1:1/caseterm?connect_timeout=2")
    assert "s3cret" not in str(err.value)
    assert "\n" not in str(err.value)


def test_postgresql_gets_a_trigram_index_on_names(pg_url: str) -> None:
    db = open_database(pg_url).db
    try:
        with db.engine.connect() as conn:
            index = conn.execute(
                text(
                    "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_person_name_folded_trgm'"
                )
            ).scalar()
    finally:
        db.dispose()
    assert index is not None and "gin_trgm_ops" in index


def test_0006_upgrades_in_place_as_a_real_database_and_keeps_the_access_log(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    old = _upgrade_to(path, "0005")
    with old.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO office (code, name, address) VALUES ('PRE', 'Preston', '')"
        )
    old.dispose()
    with sqlite3.connect(path) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(access_log)")}
    assert "os_user" not in columns
    opened = open_database(str(path))
    try:
        with opened.db.read() as s:
            assert not _is_demo_database(s)  # an existing database is a real one
    finally:
        opened.db.dispose()
    with sqlite3.connect(path) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(access_log)")}
        assert conn.execute("SELECT count(*) FROM database_info").fetchone() == (0,)
        assert conn.execute("SELECT name FROM office").fetchall() == [("Preston",)]
    assert {"os_user", "reason"} <= columns

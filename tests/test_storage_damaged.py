"""A damaged database: a broken header, a truncated file, a corrupt table page, a header that is
not SQLite's at all. Every command (and the workstation's start) says so in one line, naming the
newest backup and the exact command that restores it; `db doctor` reports the damage with the
same advice; and running that advised command brings the data back."""

from __future__ import annotations

import os
import shlex
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from caseterm.core.storage.backup import take_backup
from tests.cli import ROOT, Run
from tests.factories import World

pytestmark = pytest.mark.sqlite_only

# Commands a user might run first on the morning the file is found damaged (bare `caseterm` is
# the workstation: it opens the database before any screen).
COMMANDS: list[tuple[str, ...]] = [
    (),
    ("staff", "list"),
    ("case", "show", "OM/2026/000001"),
    ("search", "Brady"),
    ("queue", "list"),
    ("diary",),
    ("audit", "--case", "OM/2026/000001"),
    ("person", "export", "1", "--reason", "subject access request"),
    ("checkin",),
    ("triage",),
    ("db", "upgrade"),
    ("db", "backup"),
]


def _damage(path: Path, how: str) -> None:
    if how == "header":  # an impossible page size in an otherwise intact SQLite header
        with path.open("r+b") as fh:
            fh.seek(16)
            fh.write(b"\x00\x03")
    elif how == "truncated":
        os.truncate(path, path.stat().st_size // 3)
    elif how == "page":  # the staff table's root page overwritten: found only when it is read
        conn = sqlite3.connect(path)
        root, size = (
            conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'staff'").fetchone()[0],
            conn.execute("PRAGMA page_size").fetchone()[0],
        )
        conn.close()
        with path.open("r+b") as fh:
            fh.seek((root - 1) * size)
            fh.write(b"\xff" * 64)
    elif how == "magic":  # not even recognisable as SQLite
        with path.open("r+b") as fh:
            fh.write(b"\x00" * 16)


def _run_all(home: Path, db: Path, commands: list[tuple[str, ...]]) -> list[Run]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASETERM_")}
    env.update(
        PYTHONPATH=str(ROOT / "src"),
        CASETERM_RESIDENT="off",  # the suite starts no resident process
        CASETERM_CONFIG=str(home / "no-config.toml"),
        XDG_DATA_HOME=str(home / "xdg-data"),
        CASETERM_USER="worker",
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "caseterm", "--db", str(db), *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=home,
        )
        for args in commands
    ]
    results = [p.communicate(timeout=300) for p in procs]
    return [Run(p.returncode, out, err) for p, (out, err) in zip(procs, results, strict=True)]


@pytest.fixture
def damaged_copies(world: World, tmp_path: Path) -> tuple[dict[str, Path], Path]:
    """One damaged database per kind of damage, each with a good backup beside it."""
    assert world.db.path is not None
    world.db.dispose()
    made: dict[str, Path] = {}
    for how in ("header", "truncated", "page", "magic"):
        where = tmp_path / how
        where.mkdir()
        path = where / "caseterm.db"
        conn, copy = sqlite3.connect(world.db.path), sqlite3.connect(path)
        conn.backup(copy)
        copy.execute("PRAGMA journal_mode = WAL")
        conn.close()
        copy.close()
        path.chmod(0o600)
        from caseterm.core.storage.database import Database

        good = Database(f"sqlite:///{path}")
        backup = take_backup(good, where).path
        good.dispose()
        _damage(path, how)
        made[how] = path
    return made, backup


@pytest.mark.parametrize("how", ["header", "truncated", "page", "magic"])
def test_every_command_says_how_to_restore_in_one_line(
    damaged_copies: tuple[dict[str, Path], Path], how: str, tmp_path: Path
) -> None:
    path = damaged_copies[0][how]
    backups = sorted(path.parent.glob("caseterm-backup-*.db"))
    assert len(backups) == 1
    advice = f"caseterm --db {path} db restore {backups[0]}"
    # A corrupt table page is found when that table is read; the schema upgrade reads none.
    commands = [c for c in COMMANDS if not (how == "page" and c == ("db", "upgrade"))]
    for args, run in zip(commands, _run_all(tmp_path, path, commands), strict=True):
        assert run.code == 1, (args, run.out, run.err)
        line = run.one_error_line()
        assert line.startswith("caseterm: ") and advice in line, (args, line)
        assert "damaged" in line, (args, line)
    assert sorted(
        p.name for p in path.parent.iterdir() if not p.name.endswith(("-wal", "-shm"))
    ) == [
        backups[0].name,
        "caseterm.db",
    ], "a failed backup left nothing behind"

    doctor = _run_all(tmp_path, path, [("db", "doctor"), ("db", "doctor", "--json")])
    assert doctor[0].code == 1 and "Traceback" not in doctor[0].err, doctor[0].err
    fail = [ln for ln in doctor[0].out.splitlines() if ln.startswith("FAIL")]
    assert fail and advice in fail[0], doctor[0].out
    assert doctor[1].code == 1 and any(
        f["level"] == "error" and advice in f["fix"] for f in doctor[1].json()
    )

    restore = shlex.split(advice)[1:]  # the advised command, as printed
    done = _run_all(tmp_path, path, [tuple(restore[2:])])[0]
    assert done.code == 0, done.err
    assert "-damaged-" in done.out, "the damaged file is kept"
    listed = _run_all(tmp_path, path, [("staff", "list", "--json")])[0]
    assert listed.code == 0, listed.err
    assert {"root", "worker"} <= {row["login"] for row in listed.json()}

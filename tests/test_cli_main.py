"""`caseterm` with no subcommand starts the workstation without building the full parser (every
command module imported); anything else goes through the full parser as before."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from caseterm.cli.main import workstation_only


@pytest.mark.parametrize(
    ("argv", "db", "demo"),
    [
        ([], None, False),
        (["--db", "x.db"], "x.db", False),
        (["--db=x.db"], "x.db", False),
        (["--demo"], None, True),
    ],
)
def test_the_workstation_arguments_take_the_quick_path(
    argv: list[str], db: str | None, demo: bool
) -> None:
    args = workstation_only(argv)
    assert args is not None
    assert (args.db, args.demo) == (db, demo)


@pytest.mark.parametrize(
    "argv",
    [
        ["case", "show", "X"],
        ["--version"],
        ["-h"],
        ["--db"],
        ["--bogus"],
        ["--de"],
        ["--db", "x.db", "queue", "list"],
        ["checkin"],
    ],
)
def test_anything_else_goes_to_the_full_parser(argv: list[str]) -> None:
    assert workstation_only(argv) is None


def test_bare_start_imports_no_command_module(tmp_path: Path) -> None:
    # The workstation fails here (nobody is enrolled in an empty directory's database, and
    # there is no terminal); what matters is which modules it imported on the way.
    probe = (
        "import sys\n"
        "from caseterm.cli import main\n"
        "code = main.main(['--db', sys.argv[1]])\n"
        "loaded = [m for m in main.COMMAND_MODULES[1:] if m in sys.modules]\n"
        "print('LOADED', loaded, code)\n"
    )
    env_db = str(tmp_path / "none" / "x.db")  # a missing directory: one line, exit 1
    done = subprocess.run(
        [sys.executable, "-c", probe, env_db], capture_output=True, text=True, timeout=60
    )
    assert "LOADED [] 1" in done.stdout, done.stdout + done.stderr
    assert "does not exist" in done.stderr


# Records whether the cyclic collector is on when the database is opened, then lets the
# opening fail on a missing directory (one line, exit 1).
GC_PROBE = (
    "import gc, sys\n"
    "from caseterm.cli import context, main\n"
    "seen = []\n"
    "real = context.open_database\n"
    "def watched(*args, **kwargs):\n"
    "    seen.append(gc.isenabled())\n"
    "    return real(*args, **kwargs)\n"
    "context.open_database = watched\n"
    "code = main.main(['--db', sys.argv[1], *sys.argv[2:]])\n"
    "print('SEEN', seen, 'AFTER', gc.isenabled(), code)\n"
)


@pytest.mark.parametrize(
    ("command", "on_while_opening"),
    [([], False), (["checkin"], False), (["triage"], False), (["case", "show", "OM/2026/1"], True)],
)
def test_the_collector_is_off_only_while_a_screen_starts(
    tmp_path: Path, command: list[str], on_while_opening: bool
) -> None:
    missing = str(tmp_path / "none" / "x.db")
    done = subprocess.run(
        [sys.executable, "-c", GC_PROBE, missing, *command],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert f"SEEN [{on_while_opening}] AFTER True 1" in done.stdout, done.stdout + done.stderr
    assert "does not exist" in done.stderr


def test_collect_again_freezes_what_start_up_built_and_turns_collection_on() -> None:
    import gc

    from caseterm.cli.workstation import collect_again

    gc.disable()
    try:
        collect_again()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()

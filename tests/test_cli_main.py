"""`caseterm` with no subcommand starts the workstation without building the full parser (every
command module imported); anything else goes through the full parser as before."""

from __future__ import annotations

import subprocess
import sys

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
def test_the_workstation_arguments_take_the_quick_path(argv, db, demo):
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
def test_anything_else_goes_to_the_full_parser(argv):
    assert workstation_only(argv) is None


def test_bare_start_imports_no_command_module(tmp_path):
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

"""Running the `caseterm` command in tests.

- `run_cli(home, *args, db=…, user=…, stdin=…)`: the command in this process, through
  `caseterm.cli.main.main(argv)`, as a member of staff (`CASETERM_USER`; the suite runs as root,
  who may act as anyone), with the clock frozen at FROZEN, config and data directories under
  `home`, `stdin` fed in and stdout/stderr captured. About a twentieth of the cost of a process.
- `run_cli_process(…)`: the same in a real child process started through tests/launch.py, for
  what only a process shows: the exit status the shell sees, a closed pipe, a traceback, running
  without root's powers (`prefix`).

Both return a `Run(code, out, err)`.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from caseterm.cli.main import main
from caseterm.core import clock
from caseterm.core.storage.database import Database
from tests.conftest import FROZEN
from tests.launch import LAUNCH, clock_env

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    def one_error_line(self) -> str:
        """The single line a failing command printed on stderr (and proof there was no more)."""
        assert "Traceback" not in self.err, self.err
        lines = self.err.strip().splitlines()
        assert len(lines) == 1, self.err
        return lines[0]


def cli_env(home: Path, user: str) -> dict[str, str]:
    """The environment a command runs in: acting as `user`, no config or data of the machine's."""
    return {
        "CASETERM_USER": user,
        "CASETERM_CONFIG": str(home / "config.toml"),
        "XDG_DATA_HOME": str(home / "xdg-data"),
        "XDG_CONFIG_HOME": str(home / "xdg-config"),
    }


def _argv(args: tuple[str, ...], db: Path | str | None) -> list[str]:
    return [*(["--db", str(db)] if db is not None else []), *args]


def _exit_code(exc: SystemExit) -> int:
    """What the interpreter would make of `raise SystemExit(code)` (argparse, --help)."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    print(exc.code, file=sys.stderr)
    return 1


@contextlib.contextmanager
def _databases_disposed() -> Iterator[None]:
    """Dispose every database the command opened (a process would have closed them on exit):
    else each run would keep a connection pool, and a PostgreSQL database could not be dropped."""
    opened: list[Database] = []
    real_init = Database.__init__

    def recording_init(self: Database, *args: Any, **kwargs: Any) -> None:
        real_init(self, *args, **kwargs)
        opened.append(self)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Database, "__init__", recording_init)
        try:
            yield
        finally:
            for database in opened:
                database.dispose()


@contextlib.contextmanager
def _frozen_at_fixture_time() -> Iterator[None]:
    """The clock at FROZEN while the command runs, as it would be in a launched process; then
    back to what the test had."""
    before = clock._frozen
    clock.freeze(FROZEN)
    try:
        yield
    finally:
        clock.freeze(before)


def run_cli(
    home: Path,
    *args: str,
    db: Path | str | None = None,
    user: str = "worker",
    stdin: str | None = None,
    extra_env: dict[str, str] | None = None,
) -> Run:
    """`caseterm [--db DB] ARGS` in this process, as `user`, with config and data under `home`."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        for name in [k for k in os.environ if k.startswith("CASETERM_")]:
            mp.delenv(name)
        for name, value in {**cli_env(home, user), **(extra_env or {})}.items():
            mp.setenv(name, value)
        mp.setattr(sys, "stdin", io.StringIO(stdin or ""))
        with (
            _frozen_at_fixture_time(),
            _databases_disposed(),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            try:
                code = main(_argv(args, db))
            except SystemExit as exc:
                code = _exit_code(exc)
    return Run(code, out.getvalue(), err.getvalue())


def run_cli_process(
    home: Path,
    *args: str,
    db: Path | str | None = None,
    user: str = "worker",
    stdin: str | None = None,
    prefix: tuple[str, ...] = (),
) -> Run:
    """`caseterm [--db DB] ARGS` in a child process (tests/launch.py freezes its clock at
    FROZEN), run through `prefix` (e.g. setpriv) when given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASETERM_")}
    env.update(cli_env(home, user), PYTHONPATH=str(ROOT / "src"), **clock_env(FROZEN))
    done = subprocess.run(
        [*prefix, sys.executable, str(LAUNCH), *_argv(args, db)],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)

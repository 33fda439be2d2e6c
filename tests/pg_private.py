"""A PostgreSQL server of a test's own: initdb in a throwaway directory, started on a free
loopback port, stopped and removed afterwards.

The test that stops and starts a server to prove nothing is lost (tests/tui/test_db_errors_pg.py)
uses one, so it never takes the shared server (.ci/postgres) away from the other tests running
beside it: stopping the shared one refused their connections and ended their sessions
("terminating connection due to administrator command").

Needs root (it runs the server as the `postgres` user) and PostgreSQL 15's programs, as the CI
image has them."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

ROLE = "caseterm_test"
DATABASE = "caseterm_test"


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class PrivatePostgres:
    """One throwaway server: `url` for caseterm, `stop()` and `start()` as an outage would."""

    def __init__(self) -> None:
        bindir = _bindir()
        if os.geteuid() != 0 or bindir is None or shutil.which("runuser") is None:
            pytest.skip("a private PostgreSQL server needs root, runuser and PostgreSQL's programs")
        self.bindir = bindir
        self.home = Path(tempfile.mkdtemp(prefix="caseterm-pg-"))
        shutil.chown(self.home, "postgres", "postgres")
        self.data = self.home / "data"
        self.port = _free_port()
        self.url = f"postgresql+psycopg://{ROLE}:{ROLE}@127.0.0.1:{self.port}/{DATABASE}"
        self._as_postgres(
            "initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync"
        )
        self.start()
        for sql in (
            f"CREATE ROLE {ROLE} LOGIN CREATEDB PASSWORD '{ROLE}'",
            f"CREATE DATABASE {DATABASE} OWNER {ROLE}",
        ):
            self._as_postgres("psql", "-q", "-h", "127.0.0.1", "-p", str(self.port), "-U",
                              "postgres", "-d", "postgres", "-c", sql)  # fmt: skip

    def _as_postgres(self, program: str, *args: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", str(self.bindir / program), *args],
            check=True,
            capture_output=True,
            timeout=120,
            cwd=self.home,
        )

    def start(self) -> None:
        """Start the server; returns once it accepts connections."""
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.home} -c fsync=off"
            " -c full_page_writes=off"
        )
        self._as_postgres(
            "pg_ctl", "-D", str(self.data), "-l", str(self.home / "log"), "-o", options, "-w",
            "start",
        )  # fmt: skip

    def stop(self) -> None:
        """Stop the server at once, ending every session (`-m fast`)."""
        self._as_postgres("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.home, ignore_errors=True)

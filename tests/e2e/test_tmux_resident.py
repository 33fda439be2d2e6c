"""The resident process end to end in a real terminal (tmux), from a shell as a person uses it:
`caseterm resident start`, a search served by it, a contact typed at the terminal (standard
input is the terminal itself) and asserted in the database, Ctrl-C on a served command, and the
count of commands served."""

from __future__ import annotations

import shlex
import subprocess
import sys
import time
import uuid

import pytest
from sqlmodel import col, select

from caseterm.core.models import ContactEntry
from tests.e2e.tmux import WAIT, require_tmux
from tests.factories import World
from tests.resident_fixtures import Resident, resident, wait_until

__all__ = ["resident"]  # the fixture

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]


class Shell:
    """A shell in a detached tmux session, with the resident's environment."""

    def __init__(self, resident: Resident, width: int, height: int) -> None:
        self.tmux = require_tmux()
        self.name = f"caseterm-resident-{uuid.uuid4().hex[:8]}"
        env = {**resident.environment("worker"), "TERM": "xterm-256color", "PS1": "$ "}
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        subprocess.run(
            [self.tmux, "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
             f"env -i {exports} sh"],
            check=True,
        )  # fmt: skip

    def type(self, line: str) -> None:
        subprocess.run([self.tmux, "send-keys", "-t", self.name, "-l", line], check=True)
        self.key("Enter")

    def key(self, key: str) -> None:
        subprocess.run([self.tmux, "send-keys", "-t", self.name, key], check=True)

    def screen(self) -> str:
        done = subprocess.run(
            [self.tmux, "capture-pane", "-p", "-J", "-S", "-200", "-t", self.name],
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout

    def wait_for(self, *texts: str) -> str:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{texts!r} never appeared; last screen:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run([self.tmux, "kill-session", "-t", self.name], check=False)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_a_shell_session_through_the_resident_process(
    world: World, resident: Resident, size: tuple[int, int]
) -> None:
    program = f"{shlex.quote(sys.executable)} -m caseterm"
    caseterm = f"{program} --db {shlex.quote(world.db.url)}"
    ref = world.case.reference
    shell = Shell(resident, *size)
    try:
        shell.type(f"{program} resident start; echo started=$?")
        shell.wait_for("started=0")
        shell.type(f"{caseterm} search {shlex.quote(world.person.family_name)}; echo searched=$?")
        shell.wait_for(ref, "searched=0")
        # Standard input is the terminal: the served command reads what is typed there.
        shell.type(f"{caseterm} contact add {ref} --type phone_in --notes -; echo added=$?")
        shell.wait_for("added=")  # not yet: only the command line is on screen
        shell.type("typed at the terminal")
        shell.key("C-d")
        shell.wait_for(f"on {ref}", "added=0")
        assert _notes(world) == ["typed at the terminal"]
        # Ctrl-C while a served command waits for the terminal: it is interrupted, exit 130.
        shell.type(f"{caseterm} contact add {ref} --type phone_in --notes -; echo second=$?")
        wait_until(lambda: resident.status()["busy"] == 1, "the command to be running")
        shell.type("never sent")
        shell.key("C-c")
        shell.wait_for("caseterm: interrupted", "second=130")
        assert _notes(world) == ["typed at the terminal"]  # nothing written
        assert resident.status()["requests"] == 3
    finally:
        shell.close()


def _notes(world: World) -> list[str]:
    """The notes of the contacts logged on the world's case (it has none of its own)."""
    with world.db.read() as s:
        rows = s.exec(
            select(ContactEntry.notes).where(col(ContactEntry.case_id) == world.case.id)
        ).all()
    return list(rows)

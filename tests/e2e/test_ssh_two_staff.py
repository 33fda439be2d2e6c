"""Two members of staff over a real SSH connection, sharing one database through a Unix group.

A loopback sshd (tests/e2e/sshd.py) logs in two real Unix users, Alice and Bob, members of the
group that owns the shared database (`init_shared`). Each runs caseterm on the far side of
`ssh -tt`, in a tmux pane at 80×24. Bob has the case open while Alice writes a contact entry:
he sees "Alice Able is editing this case", and her entry appears on his screen within 2 seconds
of her saving it. Then Alice's connection drops in the middle of a note (the ssh client is
killed outright): when she logs in again the form offers the note back, word for word, and
she saves it.

And Alice's own resident process (started as her, with the test's clock) serves the workstation
she starts over SSH with `caseterm` itself: a drop mid-note keeps that note as a draft too.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import site
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from caseterm.core.demo import build_demo
from caseterm.core.models import CaseFile, ContactEntry, Draft, Staff, Team
from caseterm.core.services.identity import actor_for
from caseterm.core.services.staff import add_staff
from caseterm.core.storage.database import Database
from caseterm.core.storage.opening import open_database
from caseterm.core.storage.shared_host import init_shared
from tests import unix_group_users
from tests.e2e.sshd import Sshd, SshTerminal, require_sshd
from tests.e2e.tmux import require_tmux
from tests.launch import CLOCK_ENV, LAUNCH, RESIDENT_SERVER

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only, pytest.mark.slow]

SRC = LAUNCH.parent.parent / "src"
ALICE, BOB = "Alice Able", "Bob Baker"


@dataclass
class Office:
    db: Database
    path: Path
    sshd: Sshd
    users: dict[str, str]  # alice / bob -> Unix login
    homes: dict[str, Path]
    python: str
    pythonpath: str
    frozen: datetime
    alice_id: int
    case_id: int
    reference: str

    def env(self, who: str) -> dict[str, str]:
        home = self.homes[who]
        return {
            "HOME": str(home),
            "LANG": "C.UTF-8",
            "CASETERM_CONFIG": str(home / "none.toml"),
            "XDG_DATA_HOME": str(home / "data"),
            "PYTHONPATH": self.pythonpath,
            CLOCK_ENV: self.frozen.isoformat(),
        }

    def login(self, who: str, *, served: bool = False) -> SshTerminal:
        """`who` logs in over SSH and starts caseterm on the shared database: through
        tests/launch.py (the clock frozen), or `served` as a person does (`python -m caseterm`,
        which goes to their resident process)."""
        program = ["-m", "caseterm"] if served else [shlex.quote(str(LAUNCH))]
        remote = " ".join(
            [
                "cd",
                shlex.quote(str(self.homes[who])),
                "&& exec env",
                *(shlex.quote(f"{k}={v}") for k, v in self.env(who).items()),
                shlex.quote(self.python),
                *program,
                "--db",
                shlex.quote(str(self.path)),
            ]
        )
        return SshTerminal(self.sshd.ssh_argv(self.users[who], remote), width=80, height=24)

    def as_user(self, who: str, *argv: str) -> list[str]:
        """`argv` (after the interpreter) run as `who` with their session's environment."""
        env = [f"{k}={v}" for k, v in self.env(who).items()]
        return ["runuser", "-u", self.users[who], "--", "env", "-i", *env, self.python, *argv]

    def resident(self, who: str, action: str) -> dict[str, Any]:
        """`caseterm resident ACTION --json`, as `who`."""
        done = subprocess.run(
            self.as_user(who, "-m", "caseterm", "resident", action, "--json"),
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        answer: dict[str, Any] = json.loads(done.stdout)
        return answer

    def alices_entries(self) -> list[ContactEntry]:
        with self.db.read() as s:
            return list(
                s.exec(
                    select(ContactEntry)
                    .where(ContactEntry.case_id == self.case_id)
                    .where(ContactEntry.staff_id == self.alice_id)
                    .order_by(col(ContactEntry.id).desc())
                ).all()
            )

    def alices_draft_notes(self) -> list[str]:
        with self.db.read() as s:
            rows = s.exec(select(Draft).where(Draft.staff_id == self.alice_id)).all()
        return [json.loads(d.data).get("notes", "") for d in rows]


def _python_for(login: str, pythonpath: str) -> tuple[str, str]:
    """An interpreter `login` may run with caseterm's packages: this one, or the system's of the
    same version with this one's packages on the path."""
    probe = "import caseterm.core.storage.database, sqlmodel, textual"
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    system = shutil.which(version, path="/usr/bin:/bin")
    tries = [(sys.executable, pythonpath)]
    if system:
        tries.append((system, f"{pythonpath}:{site.getsitepackages()[0]}"))
    reasons = []
    for python, path in tries:
        done = subprocess.run(
            ["runuser", "-u", login, "--", "env", "-i", f"PYTHONPATH={path}", python, "-c", probe],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode == 0:
            return python, path
        reasons.append(f"{python}: {done.stderr.strip()[-200:]}")
    pytest.skip(f"no Python interpreter the test users may run: {'; '.join(reasons)}")


@pytest.fixture
def office(frozen_clock: datetime) -> Iterator[Office]:
    require_sshd()
    require_tmux()
    if (tool := unix_group_users.missing_tool()) is not None:
        pytest.skip(f"{tool} is not installed, so test users cannot be created")
    accounts = unix_group_users.TestAccounts(("alice", "bob"), shell="/bin/sh")
    with accounts as made:
        users = dict(made.users)
        shared = made.base / "shared"
        shared.mkdir()
        path = shared / "caseterm.db"
        db = open_database(str(path)).db
        with db.write() as s:  # Alice first (the system administrator), by the name she goes by
            add_staff(s, None, login=users["alice"], name=ALICE)
        build_demo(db, size="small", login=users["alice"])  # her caseload in Preston OM
        with db.write() as s:
            alice = s.exec(select(Staff).where(Staff.login == users["alice"])).one()
            team = s.get(Team, alice.team_id)
            assert team is not None and alice.id is not None
            add_staff(
                s, actor_for(s, alice), login=users["bob"], name=BOB, team_code=team.code
            )  # Bob works in the same team
            case = s.exec(
                select(CaseFile)
                .where(CaseFile.owner_id == alice.id, CaseFile.status == "open")
                .where(col(CaseFile.restricted).is_(False))
                .order_by(col(CaseFile.id))
            ).first()
            assert case is not None and case.id is not None
            alice_id, case_id, reference = alice.id, case.id, case.reference
        db.dispose()
        init_shared(path, made.group)  # directory 2770 and files 0660, group-owned
        homes = {role: made.home(role) for role in users}
        python, pythonpath = _python_for(users["alice"], f"{SRC}")
        sshd = Sshd(made.base / "sshd", users.values())
        db = open_database(str(path)).db
        try:
            yield Office(
                db, path, sshd, users, homes, python, pythonpath, frozen_clock, alice_id,
                case_id, reference,
            )  # fmt: skip
        finally:
            db.dispose()
            sshd.stop()


def open_case(term: SshTerminal, reference: str) -> str:
    term.wait_for("My work")
    term.keys("/")
    term.wait_for("Reference, name, date of birth")
    term.keys(reference, literal=True)
    term.wait_for("1 match")
    term.keys("Enter")
    return term.wait_for(f"Case {reference}")


def test_two_staff_over_ssh_see_each_other_and_a_drop_loses_nothing(office: Office) -> None:
    before = len(office.alices_entries())
    terminals: list[SshTerminal] = []  # every pane opened, closed at the end whatever happens

    def login(who: str) -> SshTerminal:
        terminals.append(office.login(who))
        return terminals[-1]

    try:
        alice, bob = login("alice"), login("bob")
        open_case(alice, office.reference)
        open_case(bob, office.reference)

        # Alice opens the contact form: Bob, looking at the case, is told.
        alice.keys("n")
        alice.wait_for("New contact entry")
        bob.wait_for(f"{ALICE} is editing this case")

        # She logs a telephone call; it is on Bob's screen within 2 seconds of her saving it.
        alice.keys("p")
        alice.keys("1")
        alice.keys("Rang re his hours", literal=True)
        alice.wait_for("Rang re his hours")
        alice.keys("C-s")
        saved = time.monotonic()
        while len(office.alices_entries()) == before:  # committed by the far side
            assert time.monotonic() - saved < 30, "the entry was never saved"
            time.sleep(0.02)
        committed = time.monotonic()
        bob.wait_for("Rang re his hours", timeout=2.0)
        shown_after = time.monotonic() - committed
        assert shown_after <= 2.0, shown_after

        # A new note, and the connection drops mid-sentence: the ssh client is killed outright
        # as soon as the last letters show (no time for the form's own timed save).
        alice.wait_for(f"Case {office.reference}")
        alice.keys("n")
        alice.wait_for("New contact entry")
        alice.keys("h")
        alice.keys("2")
        alice.keys("Went round at ten, nobody in, neighbour sa", literal=True)
        alice.wait_for("neighbour sa")
        os.kill(alice.client_pid(), signal.SIGKILL)
        assert alice.exited(), alice.screen()
        alice.close()

        deadline = time.monotonic() + 30  # sshd hangs up the far side, which writes the draft
        while office.alices_draft_notes() != ["Went round at ten, nobody in, neighbour sa"]:
            assert time.monotonic() < deadline, office.alices_draft_notes()
            time.sleep(0.05)

        # She logs in again: the note is offered back, she finishes and saves it.
        alice = login("alice")
        open_case(alice, office.reference)
        alice.keys("n")
        alice.wait_for("Unsaved contact entry found", "Went round at ten, nobody in, neighbour sa")
        alice.keys("r")
        alice.wait_for("Draft restored")
        alice.keys("id he had moved out", literal=True)
        alice.wait_for("moved out")
        alice.keys("C-s")
        alice.wait_for("Contact entry saved")
        bob.wait_for("Went round at ten")
        alice.keys("C-q")
        assert alice.exited(), alice.screen()
        bob.keys("C-q")
        assert bob.exited(), bob.screen()
    finally:
        for term in terminals:
            term.close()
    found = office.alices_entries()
    assert len(found) == before + 2
    first, second = found[1], found[0]
    assert (first.contact_type, first.outcome, first.notes) == (
        "phone_in", "attended_complied", "Rang re his hours",
    )  # fmt: skip
    assert (second.contact_type, second.outcome) == ("home_visit", "failed_to_attend")
    assert second.notes == "Went round at ten, nobody in, neighbour said he had moved out"
    assert office.alices_draft_notes() == []


def test_over_ssh_a_served_workstation_keeps_the_draft_when_the_connection_drops(
    office: Office,
) -> None:
    key = Path(office.resident("alice", "status")["socket"]).name.removesuffix(".sock")
    started = subprocess.Popen(
        office.as_user("alice", str(LAUNCH), RESIDENT_SERVER, key),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    folder = Path(office.resident("alice", "status")["socket"]).parent
    alice = None
    try:
        deadline = time.monotonic() + 120
        while not office.resident("alice", "status")["running"]:
            assert time.monotonic() < deadline, "Alice's resident process never answered"
            time.sleep(0.1)
        alice = office.login("alice", served=True)
        open_case(alice, office.reference)
        status = office.resident("alice", "status")
        assert (status["screens"], status["requests"]) == (1, 1)  # her own server serves it
        alice.keys("n")
        alice.wait_for("New contact entry")
        alice.keys("h")
        alice.keys("2")
        alice.keys("Served, and the line went dead mid-wo", literal=True)
        alice.wait_for("mid-wo")
        os.kill(alice.client_pid(), signal.SIGKILL)  # the connection drops
        assert alice.exited(), alice.screen()
        deadline = time.monotonic() + 30
        while office.alices_draft_notes() != ["Served, and the line went dead mid-wo"]:
            assert time.monotonic() < deadline, office.alices_draft_notes()
            time.sleep(0.05)
        deadline = time.monotonic() + 30
        while office.resident("alice", "status")["screens"]:
            assert time.monotonic() < deadline, "the served workstation ran on"
            time.sleep(0.05)
    finally:
        if alice is not None:
            alice.close()
        subprocess.run(office.as_user("alice", "-m", "caseterm", "resident", "stop"), check=False)
        try:
            started.wait(timeout=15)
        except subprocess.TimeoutExpired:
            started.kill()
            started.wait()
        shutil.rmtree(folder, ignore_errors=True)

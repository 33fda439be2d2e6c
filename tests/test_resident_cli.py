"""The resident CLI process (cli/resident/): commands served by a warm server answer exactly as
a new process does, reach the right files, stop when asked, never run twice; the socket folder,
the staleness key and the off switch. Real processes throughout (tests/resident_fixtures.py)."""

from __future__ import annotations

import contextlib
import marshal
import os
import re
import shutil
import signal
import socket
import subprocess
from pathlib import Path

import pytest
from sqlmodel import col, select

from caseterm.cli.registry import build_parser
from caseterm.cli.resident import client
from caseterm.core.config import load_settings
from caseterm.core.errors import DatabaseError
from caseterm.core.models import ContactEntry
from caseterm.core.services import cases
from tests.factories import World
from tests.resident_fixtures import (
    ROOT,
    Resident,
    _shared_runtime,
    alive,
    resident,
    wait_until,
    warm,
)

__all__ = ["_shared_runtime", "resident", "warm"]  # the fixtures

pytestmark = pytest.mark.sqlite_only  # processes on a SQLite file; the protocol has no backend


def _entries(world: World) -> int:
    with world.db.read() as s:
        return len(s.exec(select(ContactEntry.id)).all())


def _notes(world: World, text: str) -> list[str]:
    with world.db.read() as s:
        rows = s.exec(select(ContactEntry).where(col(ContactEntry.notes) == text)).all()
        return [r.notes for r in rows]


def test_commands_answer_as_in_their_own_process(world: World, warm: Resident) -> None:
    db = world.db.url
    ref = world.case.reference
    before = warm.status()["requests"]
    with world.db.write() as s:
        cases.restrict_case(s, world.manager, case_id=world.case.id or 0, allow=[world.worker.id])
    commands: list[tuple[str, tuple[str, ...], int]] = [
        ("worker", ("--db", db, "search", world.person.family_name, "--json"), 0),  # a read
        ("desk", ("--db", db, "case", "show", ref), 1),  # refused: reception may not read cases
        ("worker", ("--db", db, "search"), 2),  # a usage error
        ("other", ("--db", db, "case", "show", ref), 3),  # a restricted case
    ]
    for user, args, code in commands:
        served, here = warm.run(*args, user=user), warm.in_process(*args, user=user)
        assert (served.code, served.out, served.err) == (here.code, here.out, here.err)
        assert served.code == code, served.err
    # A write: one entry per run, the same answer but for its number and time.
    add = ("--db", db, "contact", "add", ref, "--type", "phone_in", "--notes", "served warm")
    served, here = warm.run(*add), warm.in_process(*add)
    assert served.code == here.code == 0, served.err + here.err
    shape = re.compile(r"#\d+|\d\d/\d\d/\d{4} \d\d:\d\d")
    assert shape.sub("…", served.out) == shape.sub("…", here.out) != ""
    assert _notes(world, "served warm") == ["served warm", "served warm"]
    assert warm.status()["requests"] == before + len(commands) + 1


def test_standard_input_reaches_the_command(world: World, warm: Resident) -> None:
    before = warm.status()["requests"]
    args = ("--db", world.db.url, "contact", "add", world.case.reference, "--notes", "-")
    done = warm.run(*args, "--type", "phone_in", stdin="typed on a pipe\n")
    assert done.code == 0, done.err
    assert _notes(world, "typed on a pipe") == ["typed on a pipe"]
    assert warm.status()["requests"] == before + 1


def test_a_relative_path_is_the_clients(world: World, warm: Resident, tmp_path: Path) -> None:
    """--db caseterm.db names the file in the client's working folder (the umask: see
    test_ctrl_c_reaches_the_command)."""
    assert world.db.url.endswith(f"{tmp_path}/caseterm.db")
    before = warm.status()["requests"]
    args = ("--db", "caseterm.db", "search", world.person.family_name)
    served = warm.run(*args, cwd=tmp_path)
    here = warm.run(*args, cwd=tmp_path, CASETERM_RESIDENT="off")
    assert (served.code, served.out, served.err) == (here.code, here.out, here.err)
    assert served.code == 0 and world.case.reference in served.out
    assert warm.status()["requests"] == before + 1


def _waiting_for_stdin(
    world: World, resident: Resident, cwd: Path | None = None
) -> subprocess.Popen[str]:
    """A served `contact add --notes -` blocked reading a pipe this test holds open."""
    args = ("--db", world.db.url, "contact", "add", world.case.reference, "--notes", "-")
    proc = subprocess.Popen(
        resident.command(*args, "--type", "phone_in"),
        cwd=cwd,
        umask=0o027,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=resident.environment("worker"),
    )
    wait_until(lambda: resident.status()["busy"] == 1, "the command to be running")
    return proc


def test_ctrl_c_reaches_the_command(world: World, warm: Resident, tmp_path: Path) -> None:
    server = warm.status()["pid"]
    proc = _waiting_for_stdin(world, warm, cwd=tmp_path)
    # The child has become the client: its working folder and umask.
    (child,) = [p for p in Path("/proc").iterdir() if p.name.isdigit() and _parent(p) == server]
    assert (child / "cwd").resolve() == tmp_path.resolve()
    assert "Umask:\t0027" in (child / "status").read_text()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err == "caseterm: interrupted\n" and out == ""
    assert warm.status()["busy"] == 0


def _parent(proc: Path) -> int:
    try:
        return int(re.sub(r"^.*\) ", "", (proc / "stat").read_text()).split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def test_a_killed_client_ends_its_command(world: World, warm: Resident) -> None:
    entries = _entries(world)
    proc = _waiting_for_stdin(world, warm)
    proc.kill()
    proc.wait(timeout=60)
    wait_until(lambda: warm.status()["busy"] == 0, "the orphaned command to end")
    assert proc.stdin is not None
    with pytest.raises(BrokenPipeError):  # nobody holds the pipe's other end: the child is gone
        proc.stdin.write("too late\n")
        proc.stdin.flush()
    with contextlib.suppress(BrokenPipeError):
        proc.stdin.close()
    assert _entries(world) == entries  # nothing written


def test_new_code_gets_a_new_server(world: World, resident: Resident, tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(ROOT / "src", source, ignore=shutil.ignore_patterns("__pycache__"))
    resident.env["PYTHONPATH"] = str(source)
    old = resident.start()
    (source / "caseterm" / "cli" / "resident" / "client.py").open("a").write("\n# changed\n")
    done = resident.run("--db", world.db.url, "search", world.person.family_name)
    assert done.code == 0 and world.person.family_name in done.out  # run here, never lost
    wait_until(lambda: not alive(old["pid"]), "the old server to leave")
    wait_until(lambda: resident.status()["running"], "a server for the new code")
    new = resident.status()
    assert new["key"] != old["key"] and new["pid"] != old["pid"] and new["requests"] == 0
    assert resident.servers() == [new["pid"]]


def test_a_server_that_cannot_load_is_not_started_again(
    world: World, resident: Resident, tmp_path: Path
) -> None:
    source = tmp_path / "src"
    shutil.copytree(ROOT / "src", source, ignore=shutil.ignore_patterns("__pycache__"))
    with (source / "caseterm" / "cli" / "report_cmds.py").open("a") as broken:
        broken.write('\nraise RuntimeError("broken on purpose")\n')  # search never imports it
    resident.env["PYTHONPATH"] = str(source)
    search = ("--db", world.db.url, "search", world.person.family_name)
    done = resident.run(*search)
    assert done.code == 0 and world.case.reference in done.out  # run here; a server starts
    folder = resident.runtime / "caseterm"
    wait_until(lambda: list(folder.glob("*.failed")) != [], "the server to give up")
    wait_until(lambda: resident.servers() == [], "the server to leave")
    done = resident.run(*search)
    assert done.code == 0 and world.case.reference in done.out
    assert resident.servers() == []  # no new server tried (it was started before the command)
    refused = resident.run("resident", "start")
    assert refused.code == 1
    assert refused.one_error_line() == (
        "caseterm: the resident process could not start: "
        "loading failed: RuntimeError: broken on purpose"
    )


@pytest.mark.parametrize("flaw", ["mode", "owner", "symlink"])
def test_an_unsafe_socket_folder_is_refused(world: World, resident: Resident, flaw: str) -> None:
    folder = resident.runtime / "caseterm"
    if flaw == "symlink":
        (resident.runtime / "elsewhere").mkdir(mode=0o700)
        folder.symlink_to(resident.runtime / "elsewhere")
    else:
        folder.mkdir(mode=0o700)
        folder.chmod(0o755) if flaw == "mode" else _give_away(folder)
    done = resident.run("--db", world.db.url, "search", world.person.family_name)
    assert done.code == 0 and world.person.family_name in done.out  # run here instead
    why = {"mode": "has mode 0755, not 0700", "owner": "belongs to another user", "symlink": ""}
    assert done.err.startswith(f"caseterm: not using the resident process: {folder} ")
    assert why[flaw] in done.err and len(done.err.splitlines()) == 1
    assert resident.servers() == [] and list(resident.runtime.rglob("*.sock")) == []
    refused = resident.run("resident", "start")
    assert refused.code == 1 and refused.one_error_line().startswith(
        f"caseterm: cannot start the resident process: {folder} "
    )


def _give_away(folder: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root can give a folder to another user")
    os.chown(folder, 65534, -1)


PROBE = """
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
try:
    s.sendall(bytes.fromhex(sys.argv[2]))
    print(s.recv(4096)[:10])
except (ConnectionResetError, BrokenPipeError):  # closed on us unread: no answer
    print(b"")
"""


def test_another_user_is_not_served(resident: Resident) -> None:
    """Even if the folder's and socket's modes slipped, the server asks the kernel who
    connected (SO_PEERCRED) and closes on anyone but its own user, unanswered."""
    system_python = shutil.which("python3", path="/usr/bin:/bin")
    if os.geteuid() != 0 or system_python is None:
        pytest.skip("needs root (to act as another user) and a system python3 they may run")
    info = resident.start()
    for path, mode in ((resident.runtime, 0o711), (resident.runtime / "caseterm", 0o711)):
        path.chmod(mode)
    Path(info["socket"]).chmod(0o666)
    frame = client._frame(marshal.dumps({"op": "status", "protocol": client.PROTOCOL})).hex()
    probe = [system_python, "-I", "-c", PROBE, info["socket"], frame]
    nobody = subprocess.run(
        probe, user=65534, group=65534, extra_groups=[], capture_output=True, text=True, timeout=60
    )
    owner = subprocess.run(probe, capture_output=True, text=True, timeout=60)
    assert (nobody.returncode, nobody.stdout) == (0, "b''\n"), nobody.stderr
    assert owner.stdout == "b'{\"running\"'\n", owner.stderr
    assert alive(info["pid"])


def test_turned_off_runs_in_process(world: World, warm: Resident) -> None:
    before = warm.status()["requests"]
    done = warm.in_process("--db", world.db.url, "search", world.person.family_name)
    assert done.code == 0 and world.person.family_name in done.out
    assert warm.status()["requests"] == before
    (Path(warm.env["CASETERM_CONFIG"])).write_text("[cli]\nresident = false\n")
    done = warm.run("--db", world.db.url, "search", world.person.family_name)
    assert done.code == 0 and world.person.family_name in done.out
    assert warm.status()["requests"] == before


def test_a_closed_standard_descriptor_runs_here(world: World, warm: Resident) -> None:
    """`caseterm … <&-`: the client's socket would take descriptor 0; the command runs here."""
    before = warm.status()["requests"]
    done = subprocess.run(
        warm.command("--db", world.db.url, "search", world.person.family_name),
        stdin=None,
        capture_output=True,
        text=True,
        env=warm.environment("worker"),
        preexec_fn=lambda: os.close(0),
        timeout=180,
        check=False,
    )
    assert done.returncode == 0 and world.case.reference in done.stdout, done.stderr
    assert warm.status()["requests"] == before


def test_stop_and_status(resident: Resident) -> None:
    assert resident.status()["running"] is False
    folder = resident.runtime / "caseterm"  # made by `status`, empty
    # What a server killed before an upgrade left: a socket nobody answers on, its lock file.
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as dead:
        dead.bind(str(folder / "0123456789abcdef.sock"))
    (folder / "0123456789abcdef.lock").touch()
    started = resident.start()
    key = started["key"]
    assert sorted(p.name for p in folder.iterdir()) == [f"{key}.lock", f"{key}.sock"]
    assert started["socket"] == str(folder / f"{key}.sock") and started["idle_minutes"] == 15
    done = resident.run("resident", "stop", "--json")
    assert done.code == 0 and '"stopped": true' in done.out
    wait_until(lambda: not alive(started["pid"]), "the server to stop")
    assert list(folder.iterdir()) == [] and resident.status()["running"] is False
    refused = resident.run("resident", "start", CASETERM_RESIDENT="off")
    assert refused.code == 1 and "turned off" in refused.one_error_line()


def test_screens_never_go_to_the_resident_process() -> None:
    parser = build_parser(every=True)
    assert parser.subcommands is not None
    screens = {
        name
        for name, sub in parser.subcommands.choices.items()
        if sub.get_default("starts_screen")
        or any(
            p.get_default("starts_screen") for p in getattr(sub.subcommands, "choices", {}).values()
        )
    }
    assert screens and screens <= client.LOCAL_COMMANDS
    assert client.command_of(["--db", "x.db", "--debug", "search", "w"]) == "search"
    assert client.command_of(["--db=x.db", "checkin"]) == "checkin"
    assert client.command_of(["--version"]) is None and client.command_of([]) is None


def test_the_socket_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    assert client.folder_path() == f"{tmp_path}/caseterm"
    for elsewhere in (str(tmp_path / "gone"), "relative/run", ""):  # after su, sudo, or none
        monkeypatch.setenv("XDG_RUNTIME_DIR", elsewhere)
        assert client.folder_path() == f"/tmp/caseterm-{os.getuid()}"


def test_the_cli_settings(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[cli]\nresident = false\nresident_idle_minutes = 5\n")
    settings = load_settings(path)
    assert (settings.resident, settings.resident_idle_minutes) == (False, 5)
    assert (load_settings(tmp_path / "none.toml").resident_idle_minutes) == 15
    for bad, words in (
        ('resident = "yes"', "[cli] resident must be true or false"),
        ("resident_idle_minutes = 0", "[cli] resident_idle_minutes must be a whole number"),
    ):
        path.write_text(f"[cli]\n{bad}\n")
        with pytest.raises(DatabaseError, match=re.escape(words)):
            load_settings(path)


@pytest.mark.parametrize(
    ("argv", "screen"),
    [
        ([], True),
        (["--db", "x.db"], True),
        (["--db=x.db", "--demo"], True),
        (["--debug"], True),
        (["--db"], False),  # the full parser says what is missing
        (["--help"], False),
        (["--version"], False),
        (["search", "x"], False),
        (["--db", "x.db", "queue", "show"], False),
    ],
)
def test_which_arguments_start_the_workstation(argv: list[str], screen: bool) -> None:
    assert client.workstation_only(argv) is screen

"""Start-up and the last line of defence: `--version` and `--help` import no command and no
database code; a command imports its own module only; the command table matches what the
modules register; real processes get the right exit codes for arguments that are not UTF-8,
standard input that is not UTF-8 and ids beyond 64 bits; an unexpected error is one line, with
the traceback saved where only its owner can read it (or shown with --debug); JSON escapes what
a terminal could act on."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from caseterm.cli.output import json_text
from caseterm.cli.registry import COMMANDS, CliParser
from tests.cli_inprocess import Cli
from tests.factories import World
from tests.launch import LAUNCH

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
import sys
from caseterm.cli import main, registry
code = main.main(sys.argv[1:])
heavy = ("sqlalchemy", "sqlmodel", "pydantic", "rich", "textual", "caseterm.core.models")
heavy = sorted({m.split(".")[0] for m in sys.modules if m.startswith(heavy)})
commands = sorted(m for m in registry.COMMAND_MODULES if m in sys.modules)
print("RESULT", code, heavy, commands)
"""


def _probe(*argv: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    (line,) = [x for x in done.stdout.splitlines() if x.startswith("RESULT")]
    return line


@pytest.mark.parametrize(("argv", "code"), [(["--version"], 0), (["--help"], 0), (["nosuch"], 2)])
def test_nothing_heavy_is_imported_before_it_is_needed(argv: list[str], code: int) -> None:
    assert _probe(*argv) == f"RESULT {code} [] []"


def test_a_command_imports_its_own_module_only(tmp_path: Path) -> None:
    missing = str(tmp_path / "none" / "x.db")
    line = _probe("--db", missing, "search", "wilson")
    assert line.endswith("['caseterm.cli.search_cmd']"), line
    line = _probe("--db", missing, "queue", "show", "my_work", "--help")
    assert line.endswith("['caseterm.cli.queue_cmds']"), line
    line = _probe("task", "take", "99999999999999999999999")
    assert line.startswith("RESULT 2 ") and line.endswith("['caseterm.cli.task_cmds']"), line


class _Recorder:
    """Stands in for the subparsers while a module registers: what it adds, with the help."""

    def __init__(self) -> None:
        self.added: dict[str, str] = {}

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        self.added[name] = kwargs.get("help", "")
        return CliParser(prog=name)


def test_the_command_table_matches_the_modules() -> None:
    registered: dict[str, tuple[str, str]] = {}
    for module in dict.fromkeys(m for m, _ in COMMANDS.values()):
        recorder = _Recorder()
        importlib.import_module(module).register(recorder)
        registered.update({name: (module, text) for name, text in recorder.added.items()})
    assert registered == COMMANDS


def _run(*args: str | bytes, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASETERM_")}
    env.update(PYTHONPATH=str(ROOT / "src"), CASETERM_USER="worker")
    return subprocess.run(
        [sys.executable, str(LAUNCH), *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        env=env,
        check=False,
    )


def _one_line(done: subprocess.CompletedProcess[bytes]) -> str:
    err = done.stderr.decode("utf-8")
    assert "Traceback" not in err
    (line,) = err.splitlines()
    return line


def test_real_command_line_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    done = _run("--db", str(tmp_path / "x.db"), "search", b"caf\xe9")
    assert done.returncode == 2 and done.stdout == b""
    assert _one_line(done) == (
        "caseterm: argument 4 is not valid UTF-8 ('caf\ufffd'); write it in UTF-8"
    )
    done = _run("incoming", "add", "post", "Letter", b"--about=Zo\xeb")
    assert done.returncode == 2
    assert "the value of --about is not valid UTF-8 ('Zo\ufffd')" in _one_line(done)
    assert not (tmp_path / "x.db").exists()


@pytest.mark.sqlite_only
def test_a_latin1_file_piped_into_contact_notes(world: World) -> None:
    done = _run(
        "--db", world.db.url, "contact", "add", world.case.reference, "--type", "phone_in",
        "--notes", "-", stdin="Rang from the café about Zoë\n".encode("latin-1"),
    )  # fmt: skip
    assert done.returncode == 1
    assert _one_line(done) == (
        "caseterm: notes: standard input is not valid UTF-8 (byte 0xe9 at offset 17); "
        "convert it first, e.g. 'iconv -f latin1 -t utf-8'"
    )


def test_ids_and_numbers_beyond_64_bits_in_a_real_process() -> None:
    done = _run("task", "take", "99999999999999999999999")
    assert done.returncode == 2
    assert _one_line(done) == (
        "caseterm: task take: argument ID: task id must be between 1 and 9223372036854775807 "
        "(see 'caseterm task take --help')"
    )
    done = _run("--version")
    assert (done.returncode, done.stdout, done.stderr) == (0, b"caseterm 0.1.0\n", b"")


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Cli:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return Cli(capsys, monkeypatch)


def _break_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fault in caseterm itself (nothing the database or the user did)."""
    from caseterm.cli import search_cmd

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the index \x1b[31mexploded\nsecond line")

    monkeypatch.setattr(search_cmd, "search", broken)


@pytest.mark.sqlite_only
def test_an_unexpected_error_is_one_line_and_a_private_file(
    world: World, cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _break_search(monkeypatch)
    result = cli("search", "wilson", db=world.db.url)
    assert result.code == 70
    line = result.one_error_line()
    prefix = "caseterm: unexpected error (RuntimeError): the index [31mexploded; details in "
    assert line.startswith(prefix), line
    saved = Path(line.removeprefix(prefix))
    assert saved.parent == tmp_path / "state" / "caseterm" / "log"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    text = saved.read_text(encoding="utf-8")
    assert "Traceback" in text and "in broken" in text and "RuntimeError" in text


@pytest.mark.sqlite_only
def test_debug_shows_the_traceback(
    world: World, cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _break_search(monkeypatch)
    result = cli("--debug", "search", "wilson", db=world.db.url)
    assert result.code == 70
    assert "Traceback" in result.err and "in broken" in result.err
    assert result.err.splitlines()[-1].startswith("caseterm: unexpected error (RuntimeError)")
    assert not (tmp_path / "state").exists()


def test_json_escapes_what_a_terminal_would_act_on() -> None:
    value = "a\x1b[2Jb\x7fc\x85d\x9b31me\u202ef\u2066g\u2028h\ud800i Zoë 😀 مرحبا"
    text = json_text({"notes": value})
    for raw in ("\x1b", "\x7f", "\x85", "\x9b", "\u202e", "\u2066", "\u2028", "\ud800"):
        assert raw not in text
    for escaped in ("\\u001b", "\\u007f", "\\u0085", "\\u009b", "\\u202e", "\\ud800"):
        assert escaped in text
    assert "Zoë 😀 مرحبا" in text  # letters of every script stay readable
    assert json.loads(text) == {"notes": value}


def test_error_messages_are_cut_and_cleaned(cli: Cli) -> None:
    result = cli("search", "--limit", "0", "x\x1b]0;title\x07" * 200)
    # The database is never reached: the limit is refused first, in one clean line.
    assert result.code == 1
    assert result.one_error_line() == "caseterm: limit: --limit must be at least 1"
    result = cli("queue", "save", "x", "--kind", "\x1b[2J" + "pigeon" * 5000)
    line = result.one_error_line()
    assert "\x1b" not in line and len(line) < 700 and "more characters" in line


@pytest.mark.sqlite_only
def test_an_output_that_is_not_utf8(world: World) -> None:
    # `LANG=C` on an old system, or a pipe set to ASCII: letters it cannot carry are replaced
    # in text and escaped in JSON, rather than ending the command.
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASETERM_")}
    env.update(PYTHONPATH=str(ROOT / "src"), CASETERM_USER="worker", PYTHONIOENCODING="ascii")
    show = [sys.executable, str(LAUNCH), "--db", world.db.url, "case", "show", world.case.reference]
    text = subprocess.run(show, capture_output=True, env=env, timeout=120, check=False)
    assert (text.returncode, text.stderr) == (0, b"")
    assert b"Siobh?n O'Neill-Brady" in text.stdout
    as_json = subprocess.run(
        [*show, "--json"], capture_output=True, env=env, timeout=120, check=False
    )
    assert as_json.returncode == 0
    assert b"Siobh\\u00e1n" in as_json.stdout
    assert json.loads(as_json.stdout)["subject"]["name"] == "Siobhán O'Neill-Brady"

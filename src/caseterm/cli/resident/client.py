"""The `caseterm` command's first step: hand the command to the resident process, if one runs.

Standard library only, and on the way to the resident process only `_socket` and modules built
into the interpreter (`_signal`, `marshal`; no `typing`, `contextlib` or `__future__`: on a busy
machine each module imported costs milliseconds): `entry` runs before caseterm's command line is
even imported, so a served command costs this process little more than the interpreter's own
start. `--version`, `--help` and the modes never reach past `command_of`.

The workstation (bare `caseterm`, `--db X`, `--demo`) goes to the resident process too when
standard input, output and error are all a terminal: the child the server forks has Textual,
the screens and the tables loaded already, so its first frame comes in a fraction of the time a
new process takes to import them. The terminal itself is passed (descriptors 0, 1 and 2), so the
screen is drawn and read exactly where it would be; this process passes on window resizes
(SIGWINCH) besides the signals below, and puts the terminal's settings back should the child be
killed before it could.

A command that goes to the resident process is run by a child the server forks (it has the
libraries loaded already): this process sends its arguments, working folder, umask, environment
and the encodings of its standard streams, and passes its file descriptors 0, 1 and 2 with
SCM_RIGHTS, so the child reads and writes exactly where this process would. The exchange:

    client -> server   b"CTR1" + length (4 bytes, big-endian) + request (marshal)  (+ fds 0, 1, 2)
    server -> client   b"wait\\n"          taken: a child is being forked for it
    child  -> client   b"pid N\\n"      the command is ready to run in process N
    client -> child    b"G"             run it (from here on this client never runs it)
    child  -> client   b"exit CODE\\n"  done
    server -> client   b"signal S\\n"   the child was killed by signal S
    server -> client   b"refused WHY\\n" not taken (e.g. its code is out of date)

`status` and `stop` (from `caseterm resident`) are requests too; the answer is a JSON line.

The command runs in this process instead (exactly as without a resident process) whenever the
request was not accepted: no socket, a dead server, a refusal, no answer in time. Once `G` is
sent it never runs here, so a command is never lost and never run twice. SIGINT, SIGTERM and
SIGHUP received meanwhile are passed on to the child; if this process dies, its connection
closes and the server ends the child.

Security and staleness: docs/security.md ("The resident CLI process").
"""

import os
import sys

TYPE_CHECKING = False  # typing itself is not imported: see above
if TYPE_CHECKING:
    from typing import Any

SWITCH_ENV = "CASETERM_RESIDENT"  # "off" (or 0/false/no) runs every command in its own process
MAGIC = b"CTR1"
PROTOCOL = 1
# Commands that never go to the resident process: the modes' screens (checkin, triage; the
# workstation, bare `caseterm`, is served: see `workstation_only`), building the demo, database
# maintenance, and the command that manages the resident process itself.
# tests/test_resident_cli.py checks that every command registering `starts_screen` is here.
LOCAL_COMMANDS = frozenset({"checkin", "triage", "demo", "db", "resident"})
ACCEPT_SECONDS = 5.0  # how long to wait for the server to take a command before running it here
FORK_SECONDS = 60.0  # once taken, how long to wait for its child (a loaded machine is slow)
IDLE_MINUTES = 15


def _after_globals(argv: list[str]) -> list[str]:
    """The arguments after the leading global options (`--db X`, `--db=X`, `--demo`,
    `--debug`); a `--db` with no value is left for the full parser to judge."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--db" and i + 1 < len(argv):
            i += 2
        elif arg.startswith("--db=") or arg in ("--demo", "--debug"):
            i += 1
        else:
            break
    return argv[i:]


def command_of(argv: list[str]) -> str | None:
    """The command named on the command line after the global options, or None (no command,
    --help, --version, an option the full parser must judge)."""
    rest = _after_globals(argv)
    return rest[0] if rest and not rest[0].startswith("-") else None


def workstation_only(argv: list[str]) -> bool:
    """Whether the arguments are only the global options that start the workstation (or
    none); `--help`, `--version` and anything else are judged by the full parser here."""
    return not _after_globals(argv)


def entry() -> int:
    """The `caseterm` command (pyproject's script, `python -m caseterm`): the resident process
    if it takes the command, else caseterm's main in this process."""
    code = run_remotely(sys.argv[1:])
    if code is not None:
        return code
    from caseterm.cli.main import main

    return main(sys.argv[1:])


def run_remotely(argv: list[str]) -> int | None:
    """Run `caseterm ARGV` in the resident process and return its exit code; None when it must
    run in this process (see the module's docstring)."""
    command = command_of(argv)
    screen = command is None and workstation_only(argv)
    if (command is None and not screen) or command in LOCAL_COMMANDS or not enabled():
        return None
    if sys.stdin is None or sys.stdout is None or sys.stderr is None:
        return None  # a standard descriptor is closed: a socket would take its number
    if screen and not all(os.isatty(fd) for fd in (0, 1, 2)):
        return None  # the workstation on a pipe or a file: let it say so itself
    folder = private_folder()
    if folder is None:
        return None
    key = server_key()
    import _socket

    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.connect(socket_path(folder, key))
    except (FileNotFoundError, ConnectionRefusedError):
        sock.close()
        start_server(key)  # for the next command; this one runs here
        return None
    except OSError:
        sock.close()
        return None
    try:
        return _run(sock, argv, screen)
    finally:
        sock.close()


def _run(sock: "Any", argv: list[str], screen: bool) -> int | None:
    import _socket
    import marshal

    lines = _Lines(sock)
    try:
        umask = os.umask(0o077)
        os.umask(umask)
        request = {
            "op": "run",
            "protocol": PROTOCOL,
            "argv": argv,
            "cwd": os.getcwd(),
            "umask": umask,
            "env": dict(os.environ),
            "streams": [_stream_info(s) for s in (sys.stdin, sys.stdout, sys.stderr)],
            "screen": screen,
        }
        sock.settimeout(ACCEPT_SECONDS)
        frame = _frame(marshal.dumps(request))
        fds = b"".join(fd.to_bytes(4, sys.byteorder) for fd in (0, 1, 2))  # C ints
        rights = [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, fds)]
        sent = sock.sendmsg([frame], rights)
        while sent < len(frame):
            sent += sock.send(frame[sent:])
        word, value = lines.next()
        if word == "wait":  # the server is alive and busy: its child will answer
            sock.settimeout(FORK_SECONDS)
            word, value = lines.next()
        if word != "pid":
            return None  # refused (e.g. its code is out of date): run here
        pid = int(value)
        sock.sendall(b"G")
    except (OSError, ValueError):
        return None  # not accepted: the child never got `G`, so it will not run the command
    sock.settimeout(None)
    return _wait(lines, pid, screen)


class _Lines:
    """The server's answers: one `word value` per line."""

    def __init__(self, sock: "Any") -> None:
        self.sock = sock
        self.buffer = b""

    def next(self) -> tuple[str, str]:
        """The next answer; ("", "") when the connection closes first."""
        while b"\n" not in self.buffer:
            more = self.sock.recv(4096)
            if not more:
                return "", ""
            self.buffer += more
        line, _, self.buffer = self.buffer.partition(b"\n")
        word, _, value = line.decode("ascii", "replace").partition(" ")
        return word, value


def _wait(lines: _Lines, pid: int, screen: bool = False) -> int:
    """Pass signals on to the child until it answers with its exit code. For the workstation,
    window resizes too, and the terminal's settings are put back if the child is killed."""
    import _signal

    settings = _terminal_settings() if screen else None

    def forward(signum: int, _frame: object) -> None:
        try:  # noqa: SIM105 (contextlib is not imported here)
            os.kill(pid, signum)
        except OSError:
            pass

    passed_on = [_signal.SIGINT, _signal.SIGTERM, _signal.SIGHUP]
    if screen:
        passed_on.append(_signal.SIGWINCH)
    before = {signum: _signal.signal(signum, forward) for signum in passed_on}
    try:
        while True:
            try:
                word, value = lines.next()
            except OSError:
                word, value = "", ""
            if word == "exit":
                return int(value)
            if word == "signal":
                if settings is not None:
                    _give_back_terminal(settings)
                return 128 + int(value)
            if not word:
                print(
                    "caseterm: the resident process ended before the command finished",
                    file=sys.stderr,
                )
                return 70
    finally:
        for signum, handler in before.items():
            _signal.signal(signum, handler)


def _terminal_settings() -> "list[Any] | None":
    """The terminal's settings as this process found them (before the workstation's)."""
    try:
        import termios

        return termios.tcgetattr(0)
    except Exception:  # termios.error is not an OSError
        return None


def _give_back_terminal(settings: "list[Any]") -> None:
    """After a workstation killed outright: the settings as found, the normal screen, the
    cursor shown and the mouse no longer reported (what the workstation does when it ends)."""
    try:
        import termios

        termios.tcsetattr(0, termios.TCSANOW, settings)
        os.write(2, b"\x1b[?1000l\x1b[?1003l\x1b[?1006l\x1b[?1049l\x1b[?25h")
    except Exception:  # termios.error is not an OSError
        pass


def _frame(payload: bytes) -> bytes:
    return MAGIC + len(payload).to_bytes(4, "big") + payload


def _stream_info(stream: object) -> "dict[str, Any] | None":
    """How this interpreter opened a standard stream (the child opens its own the same way)."""
    if stream is None:
        return None
    return {
        "encoding": getattr(stream, "encoding", None) or "utf-8",
        "errors": getattr(stream, "errors", None) or "strict",
        "line_buffering": bool(getattr(stream, "line_buffering", False)),
    }


def enabled() -> bool:
    """On unless CASETERM_RESIDENT=off or the config file's `[cli] resident = false`; Linux only
    (the server checks who connects with SO_PEERCRED)."""
    if os.environ.get(SWITCH_ENV, "").strip().lower() in ("off", "0", "false", "no"):
        return False
    if not sys.platform.startswith("linux"):
        return False
    return bool(config().get("resident", True))


def config() -> "dict[str, Any]":
    """The `[cli]` table of the config file (the reader in core/config.py checks it; here a
    file that cannot be read, or a value of the wrong type, turns the resident process off).
    The file is parsed only if it mentions `resident` at all."""
    path = os.environ.get("CASETERM_CONFIG") or os.path.join(
        os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config"),
        "caseterm",
        "config.toml",
    )
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError:
        return {}
    if b"resident" not in raw:
        return {}
    import tomllib

    try:
        table = tomllib.loads(raw.decode("utf-8")).get("cli", {})
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {"resident": False}
    if not isinstance(table, dict):
        return {"resident": False}
    if not isinstance(table.get("resident", True), bool):
        return {"resident": False}
    minutes = table.get("resident_idle_minutes", IDLE_MINUTES)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 1:
        return {"resident": False}
    return table


def idle_minutes() -> int:
    return int(config().get("resident_idle_minutes", IDLE_MINUTES))


def folder_path() -> str:
    """`$XDG_RUNTIME_DIR/caseterm` when that runtime folder exists and is this user's (after
    `su` or `sudo` it may be someone else's), else `/tmp/caseterm-UID`."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isabs(runtime):
        try:
            st = os.stat(runtime)
        except OSError:
            st = None
        if st is not None and os.path.isdir(runtime) and st.st_uid == os.getuid():
            return os.path.join(runtime, "caseterm")
    return f"/tmp/caseterm-{os.getuid()}"


def private_folder(*, quiet: bool = False) -> str | None:
    """The socket folder, created 0700 if missing; None (with one line on stderr unless `quiet`)
    if it is not a real folder, owned by this user, that only this user can enter."""
    path = folder_path()
    problem = folder_problem(path)
    if problem is None:
        return path
    if not quiet:
        print(
            f"caseterm: not using the resident process: {path} {problem}; running the command "
            "here (remove or fix that folder)",
            file=sys.stderr,
        )
    return None


def folder_problem(path: str) -> str | None:
    """What is wrong with the socket folder at `path` (created 0700 if missing), or None."""
    import stat

    try:
        os.mkdir(path, 0o700)
        os.chmod(path, 0o700)  # whatever the umask took away
    except FileExistsError:
        pass
    except OSError as exc:
        return f"cannot be made ({exc.strerror})"
    try:
        st = os.lstat(path)
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
        return "is not a folder"
    if st.st_uid != os.getuid():
        return f"belongs to another user (uid {st.st_uid})"
    if stat.S_IMODE(st.st_mode) != 0o700:
        return f"has mode {stat.S_IMODE(st.st_mode):04o}, not 0700"
    return None


def socket_path(folder: str, key: str) -> str:
    return os.path.join(folder, f"{key}.sock")


def server_key() -> str:
    """What the code a server runs depends on, hashed: the interpreter and how it was started
    (flags, -W and -X options), where its modules come from (sys.path, without the script's own
    folder), caseterm's folder, version and a fingerprint of its source files. A change to any
    of them names another socket, so new code never runs in an old server."""
    import caseterm

    package = os.path.dirname(os.path.abspath(caseterm.__file__))
    parts = [
        sys.executable,
        repr(sys.flags),
        repr(sys.warnoptions),
        repr(sys._xoptions),
        sys.getfilesystemencoding(),
        os.pathsep.join(sys.path[1:]),
        package,
        caseterm.__version__,
        source_fingerprint(package),
    ]
    data = "\0".join(parts).encode("utf-8", "surrogateescape")
    return f"{_fnv1a(data):016x}{_fnv1a(data[::-1]):016x}"


def _fnv1a(data: bytes) -> int:
    """The 64-bit FNV-1a hash (a name, not a secret; hashlib and zlib cost an import)."""
    value = 0xCBF29CE484222325
    for byte in data:
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return value


def source_fingerprint(package: str) -> str:
    """Count, total size and newest change time of caseterm's source and data files, and the
    change times of the folders packages are installed in (an install or upgrade adds and
    removes entries there). About a millisecond."""
    count = size = newest = 0
    stack = [package]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.name == "__pycache__":
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                    continue
                st = entry.stat(follow_symlinks=False)
                count += 1
                size += st.st_size
                newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
    installed = []
    for folder in sys.path[1:]:
        if folder.endswith("-packages"):
            try:  # noqa: SIM105 (contextlib is not imported here)
                installed.append(str(os.stat(folder).st_mtime_ns))
            except OSError:
                pass
    return f"{count}:{size}:{newest}:{','.join(installed)}"


def failed_path(folder: str, key: str) -> str:
    """Where a server that could not load this code says why (server._failed)."""
    return os.path.join(folder, f"{key}.failed")


def start_server(key: str) -> bool:
    """Start a resident process in the background (its own session, no terminal, standard
    streams on /dev/null) for later commands. False if it could not be started, or if one
    already failed to load this code."""
    if os.path.exists(failed_path(folder_path(), key)):
        return False
    import subprocess

    try:
        subprocess.Popen(
            [sys.executable, "-m", "caseterm.cli.resident.server", key],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
            cwd="/",
        )
    except OSError:
        return False
    return True


def ask(op: str, *, timeout: float = 5.0) -> "dict[str, Any] | None":
    """Send `op` ("status" or "stop") to the running server; its answer, or None if none runs."""
    import json
    import marshal
    import socket

    folder = private_folder(quiet=True)
    if folder is None:
        return None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect(socket_path(folder, server_key()))
            sock.sendall(_frame(marshal.dumps({"op": op, "protocol": PROTOCOL})))
            answer = json.loads(sock.makefile("rb").readline() or b"null")
        except (OSError, ValueError):
            return None
    return answer if isinstance(answer, dict) else None

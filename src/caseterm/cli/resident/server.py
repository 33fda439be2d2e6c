"""The resident CLI process: libraries loaded once, a forked child per command.

    python -m caseterm.cli.resident.server KEY   (the client starts it; `caseterm resident start`)

Before serving it loads SQLAlchemy, SQLModel, every table, the command modules and the services
and rules they use, Textual and the workstation's first screen, configures the mappers and
freezes the result out of the collector's sight.
It opens no database and starts no thread: a child forked from it starts clean. One server per
key (a lock file); the socket appears (an atomic rename) only once it is warm.

For each connection: the peer must be this user (SO_PEERCRED), else it is closed unanswered.
A child is forked per command; it takes the client's descriptors 0, 1 and 2, working folder,
umask and environment, waits for the client's go-ahead, runs `caseterm.cli.main.main(argv)`
exactly as a new process would, and sends back the exit code. The workstation is a request like
a command's (its client passes the terminal); its child is counted among `screens`, which do
not keep the server from warming engines between commands. The child also tells the server
which database its command used: when idle, the server runs a read command again to compile its
SQL once for every later child, and after a letter command warms the PDF engine (warming.py).
The server watches each client's connection and ends the child (SIGTERM) if the client goes
away; it reports a child killed by a signal. It leaves after `[cli] resident_idle_minutes` (15)
without a command, when its source fingerprint no longer matches (new code is never served by an
old server), when its socket is removed or replaced, or on `caseterm resident stop`.
"""

from __future__ import annotations

import contextlib
import gc
import json
import marshal
import os
import select
import signal
import socket
import struct
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from caseterm.cli.resident import client
from caseterm.cli.resident.child import run_child
from caseterm.cli.resident.warming import Warmer
from caseterm.core.letter_files import pdf_engine_warm

MAX_REQUEST = 4 * 1024 * 1024
CHECK_SECONDS = 2.0  # how often an idle server checks its source and its socket


# Modules of caseterm.cli a served command never needs: the modes' screens, the demo build,
# database maintenance, and this package.
NOT_PRELOADED = ("modes", "demo_cmd", "db_cmds", "db_copy", "resident")
# What the workstation's first screen needs besides caseterm.tui.app, that Textual and
# SQLAlchemy import only once the app runs or the first engine is made.
WORKSTATION_MODULES = (
    "caseterm.cli.workstation",
    "caseterm.tui.app",  # (and what it imports: the first screen, tui.first_rows)
    "textual.drivers.linux_driver",
    "textual.layouts.horizontal",
    "textual.layouts.stream",
    "textual.scrollbar",
    "textual.layouts.factory",
    "textual.pilot",
    "concurrent.futures.thread",
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.postgresql.psycopg",
    "psycopg",
)
# Environment variables Textual reads once, when it is imported: a workstation asked for with
# other values than the server's runs in the client's own process instead.
IMPORT_TIME_ENV = ("TEXTUAL_", "ESCDELAY")


def warm() -> None:
    """Import what the commands and the workstation's first screen need (not the modes, not
    the demo build)."""
    import importlib
    import pkgutil

    import caseterm.cli
    from caseterm.core.storage.preload import preload_data_layer

    for info in pkgutil.iter_modules(caseterm.cli.__path__):
        if info.name not in NOT_PRELOADED:
            importlib.import_module(f"caseterm.cli.{info.name}")
    importlib.import_module("rich.cells")  # the width of text in tables (output.cell_len)
    preload_data_layer()
    for name in WORKSTATION_MODULES:
        importlib.import_module(name)
    _import_width_table()


def _import_width_table() -> None:
    """Import Rich's table of character widths for the latest Unicode version (the one used
    unless UNICODE_VERSION says otherwise). Only imported: which table a child uses is still
    chosen in the child, by its own environment."""
    import importlib

    with contextlib.suppress(ImportError, AttributeError):
        from rich._unicode_data._versions import VERSIONS

        latest = VERSIONS[-1].replace(".", "-")
        importlib.import_module(f"rich._unicode_data.unicode{latest}")


def import_time_env(env: dict[str, Any]) -> dict[str, str]:
    """The variables of `env` that Textual reads when it is imported."""
    return {str(k): str(v) for k, v in env.items() if str(k).startswith(IMPORT_TIME_ENV)}


@dataclass
class Server:
    key: str
    path: str
    idle_seconds: float
    listener: socket.socket
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    requests: int = 0
    children: dict[int, socket.socket] = field(default_factory=dict)
    screens: set[int] = field(default_factory=set)  # children running the workstation
    # per child: the pipe it names its databases on, and its request
    reports: dict[int, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    warmer: Warmer = field(default_factory=Warmer)
    reused: int = 0  # commands whose child took a warm engine
    stopping: bool = False
    inode: tuple[int, int] = (0, 0)
    loaded_env: dict[str, str] = field(default_factory=lambda: import_time_env(dict(os.environ)))

    @property
    def commands_running(self) -> int:
        """Children running a command (a workstation may run all day: it does not count)."""
        return len(self.children) - len(self.screens)

    def status(self) -> dict[str, Any]:
        return {
            "running": True,
            "pid": os.getpid(),
            "key": self.key,
            "started": self.started.isoformat(timespec="seconds"),
            "requests": self.requests,
            "busy": len(self.children),
            "screens": len(self.screens),
            # CPU of the commands served and ended (user + system), for the benchmarks
            "served_cpu_ms": round(1000 * (os.times().children_user + os.times().children_system)),
            "idle_minutes": round(self.idle_seconds / 60, 2),
            "warm_databases": len(self.warmer.databases),
            "warmed_commands": len(self.warmer.done),
            "warming_cpu_ms": round(1000 * self.warmer.cpu_seconds),
            "served_warm": self.reused,
            "pdf_engine_warm": self.warmer.pdf_warm and pdf_engine_warm(),
            "socket": self.path,
        }


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m caseterm.cli.resident.server KEY", file=sys.stderr)
        return 2
    folder = client.private_folder(quiet=True)
    if folder is None or client.server_key() != argv[0]:
        return 1  # not a safe folder, or not the code the client runs
    key = argv[0]
    lock = os.open(os.path.join(folder, f"{key}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    import fcntl

    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return 0  # another server for this key is starting or running
    os.chdir("/")
    gc.disable()
    try:
        warm()
    except Exception as exc:  # a module that cannot load: say so once, not at every command
        return _failed(folder, key, f"loading failed: {type(exc).__name__}: {exc}")
    if threading.active_count() != 1:  # forking now would copy a thread's half-held locks
        return _failed(folder, key, "loading started a thread")
    if client.server_key() != key:
        return 1  # the source changed while loading: the next command starts a new server
    gc.freeze()
    gc.enable()
    path = client.socket_path(folder, key)
    listener = _listen(path)
    server = Server(key, path, client.idle_minutes() * 60.0, listener)
    st = os.lstat(path)
    server.inode = (st.st_dev, st.st_ino)
    sweep(folder, key)
    try:
        serve(server)
    finally:
        _remove_own_socket(server)
        listener.close()
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(folder, f"{key}.lock"))  # still held: nobody else has it
        os.close(lock)
    return 0


def _failed(folder: str, key: str, reason: str) -> int:
    """Leave `KEY.failed` with the reason: clients then start no server for this code (each
    would fail the same way); `caseterm resident start` shows it and tries again."""
    with contextlib.suppress(OSError):
        fd = os.open(client.failed_path(folder, key), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace") as out:
            out.write(reason.splitlines()[0][:500] + "\n" if reason else "failed\n")
    return 1


def _listen(path: str) -> socket.socket:
    """Bind to a new name and rename it over `path`: a client sees no socket, or a warm one
    (a stale socket left by a dead server is replaced)."""
    temporary = f"{path}.{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temporary)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(temporary)
    os.chmod(temporary, 0o600)
    listener.listen(64)
    os.rename(temporary, path)
    return listener


def _own_socket(server: Server) -> bool:
    """Whether `path` is still the socket this server bound (not removed, not replaced)."""
    try:
        st = os.lstat(server.path)
    except OSError:
        return False
    return (st.st_dev, st.st_ino) == server.inode


def _remove_own_socket(server: Server) -> None:
    if _own_socket(server):
        with contextlib.suppress(OSError):
            os.unlink(server.path)


def serve(server: Server) -> None:
    wake_r, wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGTERM, lambda *_: setattr(server, "stopping", True))
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    poller = select.poll()
    poller.register(server.listener.fileno(), select.POLLIN)
    poller.register(wake_r, select.POLLIN)
    watched: dict[int, int] = {}  # connection fd -> child pid
    listening = True
    last = time.monotonic()
    checked = last
    try:
        while True:
            _reap(server, poller, watched)
            now = time.monotonic()
            if listening and now - checked >= CHECK_SECONDS:
                checked = now
                if client.server_key() != server.key or not _own_socket(server):
                    server.stopping = True  # new code (or another server): leave
            if listening and not server.children and now - last >= server.idle_seconds:
                server.stopping = True
            if server.stopping and listening:
                # No new commands: the socket goes (a command then starts a new server) and
                # those running finish.
                poller.unregister(server.listener.fileno())
                _remove_own_socket(server)
                server.listener.close()
                listening = False
            if not listening and not server.children:
                return
            if (
                listening
                and server.warmer.pending
                and not server.commands_running
                and not select.select([server.listener], [], [], 0)[0]  # nobody waiting
                and client.server_key() == server.key  # (a stale server leaves, not warms)
            ):
                server.warmer.warm_next()  # at most warming.BUDGET_SECONDS
                checked = 0.0  # look at the source and the socket again straight away
                continue
            if (
                listening
                and server.warmer.pdf_due
                and not server.commands_running
                and not select.select([server.listener], [], [], 0)[0]  # nobody waiting
                and client.server_key() == server.key
            ):
                server.warmer.warm_pdf()  # once; about half a second of CPU
                if threading.active_count() != 1:
                    server.stopping = True  # never fork with a thread: leave, serve no more
                checked = 0.0
                continue
            for fd, events in poller.poll(CHECK_SECONDS * 1000):
                if fd == wake_r:
                    with contextlib.suppress(BlockingIOError):
                        os.read(wake_r, 512)
                elif listening and fd == server.listener.fileno():
                    _accept(server, poller, watched, (wake_r, wake_w))
                    last = time.monotonic()
                elif fd in watched and events & (select.POLLRDHUP | select.POLLHUP):
                    # The client went away (killed, or its terminal closed): end its command.
                    poller.unregister(fd)
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(watched.pop(fd), signal.SIGTERM)
    finally:
        signal.set_wakeup_fd(-1)
        os.close(wake_r)
        os.close(wake_w)


def sweep(folder: str, key: str) -> None:
    """Remove what dead servers left in the folder: sockets nobody answers on, and lock files
    nobody holds (another key's, from before an upgrade)."""
    import fcntl

    for name in os.listdir(folder):
        stem, _, kind = name.partition(".")
        if stem == key or kind not in ("sock", "lock", "failed"):
            continue
        path = os.path.join(folder, name)
        if kind == "failed":  # another version's failure
            with contextlib.suppress(OSError):
                os.unlink(path)
            continue
        if kind == "sock":
            probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                probe.connect(path)
            except ConnectionRefusedError:
                with contextlib.suppress(OSError):
                    os.unlink(path)
            except OSError:
                pass
            finally:
                probe.close()
            continue
        try:
            fd = os.open(path, os.O_RDWR | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.unlink(path)
        except OSError:
            pass  # held: its server is alive
        finally:
            os.close(fd)


def _reap(server: Server, poller: select.poll, watched: dict[int, int]) -> None:
    while server.children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = server.children.pop(pid, None)
        server.screens.discard(pid)
        if conn is None:
            continue
        _read_report(server, pid)
        fd = conn.fileno()
        if watched.pop(fd, None) is not None:
            poller.unregister(fd)
        if os.WIFSIGNALED(status):
            with contextlib.suppress(OSError):
                conn.sendall(f"signal {os.WTERMSIG(status)}\n".encode("ascii"))
        conn.close()


def _read_report(server: Server, pid: int) -> None:
    """What the child said: its command's exit code, the database URLs it made engines for,
    and those it took warm from the server."""
    fd, request = server.reports.pop(pid, (-1, {}))
    if fd < 0:
        return
    try:
        data = os.read(fd, 65536)
    except OSError:
        data = b""
    finally:
        os.close(fd)
    try:
        report = json.loads(data) if data else {}
    except ValueError:
        return
    if not isinstance(report, dict):
        return
    urls, reused, code = report.get("made"), report.get("reused"), report.get("code")
    if isinstance(reused, list) and reused:
        server.reused += 1
    if isinstance(code, int) and isinstance(urls, list) and all(isinstance(u, str) for u in urls):
        server.warmer.note(urls, request, code)


def _line(data: dict[str, Any]) -> bytes:
    return json.dumps(data).encode("ascii") + b"\n"


def _peer_uid(conn: socket.socket) -> int:
    raw = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return int(struct.unpack("3i", raw)[1])


def _read_request(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
    data, fds, _flags, _addr = socket.recv_fds(conn, 65536, 3)
    try:
        while len(data) < 8:
            more = conn.recv(65536)
            if not more:
                raise ValueError("short request")
            data += more
        if data[:4] != client.MAGIC:
            raise ValueError("not a caseterm request")
        size = int.from_bytes(data[4:8], "big")
        if size > MAX_REQUEST:
            raise ValueError("request too large")
        while len(data) < 8 + size:
            more = conn.recv(65536)
            if not more:
                raise ValueError("short request")
            data += more
        # marshal: the peer is this user (checked before reading), who could run anything anyway
        request = marshal.loads(data[8 : 8 + size])
        if not isinstance(request, dict) or request.get("protocol") != client.PROTOCOL:
            raise ValueError("another protocol")
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise
    return request, fds


def _accept(
    server: Server, poller: select.poll, watched: dict[int, int], wake: tuple[int, int]
) -> None:
    try:
        conn, _ = server.listener.accept()
    except OSError:
        return
    fds: list[int] = []
    try:
        if _peer_uid(conn) != os.getuid():
            conn.close()  # only the same user is served
            return
        conn.settimeout(2.0)
        request, fds = _read_request(conn)
        op = request.get("op")
        if op == "status":
            conn.sendall(_line(server.status()))
        elif op == "stop":
            server.stopping = True
            conn.sendall(_line({**server.status(), "stopping": True}))
        elif op == "run" and len(fds) == 3:
            screen = request.get("screen") is True
            if client.server_key() != server.key:
                server.stopping = True
                conn.sendall(b"refused out-of-date\n")
            elif screen and import_time_env(request.get("env") or {}) != server.loaded_env:
                conn.sendall(b"refused environment\n")  # Textual's settings differ: run there
            else:
                conn.sendall(b"wait\n")
                pid = _fork(server, conn, request, fds, wake)
                if screen:
                    server.screens.add(pid)
                poller.register(conn.fileno(), select.POLLRDHUP)
                watched[conn.fileno()] = pid
                return
    except (OSError, ValueError):
        pass
    finally:
        for fd in fds:
            with contextlib.suppress(OSError):
                os.close(fd)
    conn.close()


def _fork(
    server: Server,
    conn: socket.socket,
    request: dict[str, Any],
    fds: list[int],
    wake: tuple[int, int],
) -> int:
    server.warmer.offer()
    report_r, report_w = os.pipe2(os.O_CLOEXEC | os.O_NONBLOCK)
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            server.listener.close()
            for fd in (*wake, report_r, *(r for r, _ in server.reports.values())):
                os.close(fd)
            code = run_child(conn, request, fds, lambda done: _report(report_w, done))
        finally:
            os._exit(code)
    os.close(report_w)
    server.reports[pid] = (report_r, request)
    server.children[pid] = conn
    server.requests += 1
    return pid


def _report(fd: int, code: int) -> None:
    """In the child, after its command: its exit code and the database URLs it made engines
    for, and took warm."""
    from caseterm.core.storage import engine_reuse

    with contextlib.suppress(OSError):
        report = {"code": code, "made": engine_reuse.made(), "reused": engine_reuse.taken()}
        os.write(fd, json.dumps(report).encode("utf-8"))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""A real OpenSSH server on a loopback port, for the journeys staff make over SSH.

`Sshd(directory, logins)` writes a throw-away host key, a client key pair and a config of its
own into `directory` (public-key login only, no PAM, only those logins, 127.0.0.1 only), starts
`/usr/sbin/sshd -D` and waits until it listens; `stop()` ends it. `SshTerminal` is a tmux pane
running `ssh -tt login@127.0.0.1 COMMAND` with that key: the program on the far side gets a
pseudo-terminal from sshd exactly as a member of staff's session would, and killing the ssh
client is a dropped connection.

Needs root (sshd and the test users) and the openssh-server and openssh-client packages
(.ci/run installs them when `sshd` is absent).
"""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

import pytest

from tests.e2e.tmux import WAIT, Terminal, require_tmux

SSHD = "/usr/sbin/sshd"


def missing() -> str | None:
    """Why a real SSH journey cannot run here, or None."""
    if os.geteuid() != 0:
        uid = os.geteuid()
        return f"starting sshd and creating Unix users needs root; this test runs as uid {uid}"
    if not Path(SSHD).exists():
        return f"{SSHD} is missing (apt-get install openssh-server; .ci/run does)"
    for tool in ("ssh", "ssh-keygen"):
        if shutil.which(tool) is None:
            return f"{tool} is missing (apt-get install openssh-client)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _keygen(path: Path) -> None:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "caseterm-test", "-f", str(path)],
        check=True,
        capture_output=True,
    )


class Sshd:
    """sshd for `logins`, its files in `directory` (which every login must be able to pass
    through: sshd reads the authorized keys as the user)."""

    def __init__(self, directory: Path, logins: Iterable[str]) -> None:
        self.directory = directory
        self.logins = list(logins)
        directory.mkdir(mode=0o755, exist_ok=True)
        self.host_key = directory / "host_key"
        self.client_key = directory / "client_key"
        _keygen(self.host_key)
        _keygen(self.client_key)
        keys = directory / "authorized_keys"
        keys.write_text(Path(f"{self.client_key}.pub").read_text())
        keys.chmod(0o644)
        self.port = _free_port()
        self.config = directory / "sshd_config"
        self.config.write_text(
            "\n".join(
                [
                    f"Port {self.port}",
                    "ListenAddress 127.0.0.1",
                    f"HostKey {self.host_key}",
                    f"PidFile {directory / 'sshd.pid'}",
                    f"AuthorizedKeysFile {keys}",
                    "UsePAM no",
                    "StrictModes no",
                    "PubkeyAuthentication yes",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "PermitRootLogin no",
                    f"AllowUsers {' '.join(self.logins)}",
                    "PrintMotd no",
                    "PrintLastLog no",
                    "UseDNS no",
                    "X11Forwarding no",
                    "AllowTcpForwarding no",
                    "LogLevel ERROR",
                    "",
                ]
            )
        )
        for login in self.logins:
            # A new account's password field is "!", which sshd without PAM takes as locked;
            # "*" allows no password either but leaves key login open.
            subprocess.run(["usermod", "-p", "*", login], check=True, capture_output=True)
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege-separation dir
        self.log = directory / "sshd.log"
        self.process = subprocess.Popen(
            [SSHD, "-D", "-e", "-f", str(self.config), "-E", str(self.log)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait_listening()

    def _wait_listening(self) -> None:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"sshd ended at once: {self.log.read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"sshd never listened on port {self.port}")

    def ssh_argv(self, login: str, remote: str) -> list[str]:
        """The client command that logs `login` in and runs `remote` in a pseudo-terminal."""
        return [
            "ssh", "-tt", "-F", "/dev/null", "-i", str(self.client_key), "-p", str(self.port),
            "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
            f"{login}@127.0.0.1", remote,
        ]  # fmt: skip

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)


class SshTerminal(Terminal):
    """A tmux pane running the ssh client (not caseterm itself: that runs on the far side)."""

    def __init__(self, argv: list[str], *, width: int = 80, height: int = 24) -> None:
        self.tmux = require_tmux()
        self.name = f"caseterm-ssh-{uuid.uuid4().hex[:8]}"
        command = "env -u COLUMNS -u LINES TERM=xterm-256color " + " ".join(map(shlex.quote, argv))
        subprocess.run(
            [self.tmux, "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
             command],
            check=True,
            env={**os.environ, "TMUX": ""},
        )  # fmt: skip
        subprocess.run(
            [self.tmux, "set-option", "-t", self.name, "remain-on-exit", "on"], check=False
        )

    def client_pid(self) -> int:
        """The ssh client's process id (the pane's own process: `env` execs ssh)."""
        out = subprocess.run(
            [self.tmux, "display-message", "-p", "-t", self.name, "#{pane_pid}"],
            capture_output=True,
            text=True,
            check=True,
        )
        return int(out.stdout.strip())


def require_sshd() -> None:
    why = missing()
    if why is not None:
        pytest.skip(why)

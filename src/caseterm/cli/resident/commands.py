"""`caseterm resident status|start|stop`: the resident process that runs commands and the
workstation warm.

It is started by the first command that finds none, and leaves by itself when idle; these
commands show it, start it ahead of time (e.g. at login) and stop it."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from caseterm.cli.output import add_json_flag, print_json, print_table
from caseterm.cli.resident import client
from caseterm.core.errors import CasetermError, ValidationError

START_SECONDS = 60.0  # loading the libraries takes about a second on a quiet machine
STOP_SECONDS = 10.0


class ResidentError(CasetermError):
    """The resident process cannot be used or started here."""


def _not_running() -> dict[str, Any]:
    folder = client.folder_path()
    return {
        "running": False,
        "enabled": client.enabled(),
        "socket": client.socket_path(folder, client.server_key()),
    }


def _show(info: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(info)
        return
    if not info.get("running"):
        state = "on" if info.get("enabled") else "off (CASETERM_RESIDENT or [cli] resident)"
        print(f"no resident process is running (resident process: {state})")
        print(f"socket: {info['socket']}")
        return
    print_table(
        ("PID", "STARTED", "REQUESTS", "BUSY", "SCREENS", "IDLE TIMEOUT", "KEY", "SOCKET"),
        [
            (
                info["pid"],
                info["started"],
                info["requests"],
                info["busy"],
                info.get("screens", 0),
                f"{info['idle_minutes']:g} min",
                info["key"],
                info["socket"],
            )
        ],
    )


def _running() -> dict[str, Any] | None:
    answer = client.ask("status")
    return answer if answer and answer.get("running") else None


def _no_database(args: argparse.Namespace) -> None:
    """One resident process serves every database: a --db or --demo here is a mistake."""
    for option, given in (("--db", args.db is not None), ("--demo", args.demo)):
        if given:
            raise ValidationError(
                option, "is not used by 'caseterm resident' (one process serves every database)"
            )


def status_cmd(args: argparse.Namespace) -> int:
    _no_database(args)
    _show(_running() or _not_running(), args.json)
    return 0


def start_cmd(args: argparse.Namespace) -> int:
    _no_database(args)
    if not client.enabled():
        raise ResidentError(
            "the resident process is turned off (CASETERM_RESIDENT=off or [cli] resident = "
            "false in the config file) or not available here (it needs Linux)"
        )
    problem = client.folder_problem(client.folder_path())
    if problem is not None:
        raise ResidentError(
            f"cannot start the resident process: {client.folder_path()} {problem}; "
            "remove or fix that folder"
        )
    info = _running()
    if info is None:
        key = client.server_key()
        failed = Path(client.failed_path(client.folder_path(), key))
        failed.unlink(missing_ok=True)  # asked for: try again
        if not client.start_server(key):
            raise ResidentError("could not start the resident process")
        deadline = time.monotonic() + START_SECONDS
        while info is None and not failed.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
            info = _running()
        if failed.exists():
            why = failed.read_text(encoding="utf-8", errors="replace").strip()
            raise ResidentError(f"the resident process could not start: {why}")
        if info is None:
            raise ResidentError(f"the resident process did not answer within {START_SECONDS:g} s")
    _show(info, args.json)
    return 0


def stop_cmd(args: argparse.Namespace) -> int:
    _no_database(args)
    info = client.ask("stop")
    if info is None:
        _show(_not_running(), args.json)
        return 0
    deadline = time.monotonic() + STOP_SECONDS
    while _running() is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    info = {**info, "running": False, "stopped": True}
    if args.json:
        print_json(info)
    else:
        print(
            f"stopped the resident process (pid {info['pid']}; commands served: {info['requests']})"
        )
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "resident",
        help="the resident process that runs commands and the workstation warm: status, start, "
        "stop",
        description="Commands and the workstation (not the desk and triage modes) are run by "
        "a resident process that has the libraries loaded: about a tenth of the time for a "
        "command, a quarter for the workstation's first screen. The first command starts it; "
        "it leaves after [cli] resident_idle_minutes (15) without a command or workstation. "
        "CASETERM_RESIDENT=off or [cli] resident = false runs every command in its own process.",
    )
    sub = p.add_subparsers(dest="resident_command", metavar="ACTION", required=True)
    for name, handler, text in (
        ("status", status_cmd, "whether it runs: pid, key, started, requests, idle timeout"),
        ("start", start_cmd, "start it now (else the first command does)"),
        ("stop", stop_cmd, "stop it (commands then start a new one)"),
    ):
        a = sub.add_parser(name, help=text)
        add_json_flag(a)
        a.set_defaults(handler=handler)

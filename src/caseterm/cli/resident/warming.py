"""The resident server's engines, one per database its commands used, with their SQL compiled
(issue 16; see core/storage/engine_reuse.py).

A child tells the server which database URL its command made an engine for. When the server has
nothing else to do, it runs a read command that succeeded (search, queue show, case show, the
diary, queue list, person show, contact list) once more itself, on that database, read-only and
with its output thrown away: the engine's compiled cache then holds that command's statements,
and every later child is forked with it. The run is as the child's was (its environment,
working folder and time zone, put back afterwards), bounded to BUDGET_SECONDS, and the engine's
pool is emptied after it: between commands the server holds no connection.

The PDF engine (WeasyPrint: its import, C bindings, fonts and stylesheet, about half a second of
CPU and 30 MB) is warmed the same way, once, when the server has nothing else to do after it
served its first letter command (`letter …`, `letters print`): every later child is forked with
it, so a letter made as a PDF then costs its layout only. A server whose user never works with
letters never pays for it. WeasyPrint starts no thread, so forking after it is safe (checked).
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import FrameType
from typing import TYPE_CHECKING, Any

from caseterm.core.storage import warm_engines

if TYPE_CHECKING:
    import argparse

BUDGET_SECONDS = 1.0  # a run taking longer is abandoned (the server must answer and leave)
MAX_PENDING = 4
MAX_TRIES = 2  # runs of one command on one database that did not finish in time
LETTER_COMMANDS = frozenset({"letter", "letters"})  # after one of these, the PDF engine is warmed

# The read commands run again to warm an engine, by handler, with the options that would make
# them write a file (never run again with one of those given).
REPLAYED: dict[str, tuple[str, ...]] = {
    "caseterm.cli.search_cmd.search_cmd": (),
    "caseterm.cli.queue_cmds.show_queue_cmd": ("csv", "xlsx"),
    "caseterm.cli.case_cmds.show_case": (),
    "caseterm.cli.diary_cmds.diary_cmd": ("ics",),
    "caseterm.cli.queue_cmds.list_queues_cmd": (),
    "caseterm.cli.person_cmds._show": (),
    "caseterm.cli.contact_cmds.list_contacts": (),
}


class _OverBudget(BaseException):
    """Raised by the timer: not an Exception, so no handler of the command catches it."""


def handler_name(args: argparse.Namespace) -> str | None:
    handler = getattr(args, "handler", None)
    if handler is None:
        return None
    return f"{handler.__module__}.{handler.__qualname__}"


def replayable(args: argparse.Namespace) -> bool:
    """Whether the parsed command is a read the server may run again to warm an engine."""
    writes_files = REPLAYED.get(handler_name(args) or "")
    if writes_files is None or getattr(args, "demo", False):
        return False
    return not any(getattr(args, option, None) for option in writes_files)


@dataclass
class Warmer:
    done: set[tuple[str, str]] = field(default_factory=set)  # (url, command) warmed
    tries: dict[tuple[str, str], int] = field(default_factory=dict)  # runs cut short
    pending: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    cpu_seconds: float = 0.0  # the server's own CPU spent warming
    # (url, command words) never to look at again: warmed, not a read, or tried enough (so a
    # write served a thousand times costs the server no parsing)
    settled: set[tuple[str, ...]] = field(default_factory=set)
    pdf_wanted: bool = False  # a letter command was served: warm the PDF engine when idle
    pdf_warm: bool = False  # done (or failed: never tried twice)

    @property
    def databases(self) -> list[str]:
        return warm_engines.urls()

    def offer(self) -> None:
        """Hand the warm engines to the next child (called just before each fork)."""
        warm_engines.offer_all()

    @property
    def pdf_due(self) -> bool:
        return self.pdf_wanted and not self.pdf_warm

    def note(self, urls: list[str], request: dict[str, Any], code: int) -> None:
        """A child ended with `code` having made engines for `urls`: queue a warm run (and, after
        a letter command, the PDF engine's warming)."""
        if request.get("screen") is True:
            return  # the workstation: no command to run again
        words = _words([str(a) for a in request.get("argv", [])])
        if words and words[0] in LETTER_COMMANDS:
            self.pdf_wanted = True
        if code != 0 or len(urls) != 1 or len(self.pending) >= MAX_PENDING:
            return
        url = urls[0]
        warm_engines.used(url)
        if (url, *_words(request["argv"])) in self.settled:
            return
        if all(url != u or request["argv"] != r["argv"] for u, r in self.pending):
            self.pending.append((url, request))

    def warm_next(self) -> bool:
        """Run the oldest pending command again to warm its engine; False if none was run."""
        started = time.process_time()
        try:
            while self.pending:
                url, request = self.pending.pop(0)
                if self._warm(url, request):
                    return True
            return False
        finally:
            self.cpu_seconds += time.process_time() - started

    def warm_pdf(self) -> None:
        """Warm the PDF engine in the server itself, once (a failure is not tried again: each
        command then starts the engine itself, as it would without a server)."""
        from caseterm.core import letter_files

        started = time.process_time()
        self.pdf_warm = True
        try:
            letter_files.warm_pdf_engine()
        except Exception:
            return
        finally:
            self.cpu_seconds += time.process_time() - started
        gc.collect()
        gc.freeze()  # the engine's objects live on in every child: out of the collector's sight

    def _warm(self, url: str, request: dict[str, Any]) -> bool:
        from caseterm.cli.context import close_opened
        from caseterm.cli.registry import parse

        argv = [str(a) for a in request["argv"]]
        settled = (url, *_words(argv))
        ran = False
        with _as_the_child(request) as entered:
            if not entered:
                return False
            try:
                args = parse(argv)
                what = (url, handler_name(args) or "")
                if (
                    what[1] not in REPLAYED
                    or what in self.done
                    or self.tries.get(what, 0) >= MAX_TRIES
                ):
                    self.settled.add(settled)  # (an option such as --csv settles nothing)
                    return False
                if not replayable(args):
                    return False
                ran = True
                with warm_engines.warming(url) as run:
                    try:
                        with _budget(BUDGET_SECONDS):
                            with contextlib.suppress(Exception, SystemExit):
                                args.handler(args)  # a refusal is fine: its SQL is compiled
                            run.completed = True
                    finally:
                        close_opened()
                        if run.completed:
                            self.done.add(what)
                            self.settled.add(settled)
                        else:
                            self.tries[what] = self.tries.get(what, 0) + 1
            except (Exception, SystemExit, _OverBudget):
                pass
        gc.collect()
        gc.freeze()  # what the run left (the compiled SQL) lives on: out of the collector's sight
        return ran


def _words(argv: list[str]) -> tuple[str, ...]:
    """The command and its first word after it (`case show`, `contact add`), as the command line
    names them: enough to tell commands apart without building the parser."""
    words: list[str] = []
    i = 0
    while i < len(argv) and len(words) < 2:
        if argv[i] == "--db" and not words:
            i += 1  # its value
        elif not argv[i].startswith("-"):
            words.append(argv[i])
        i += 1
    return tuple(words)


@contextlib.contextmanager
def _as_the_child(request: dict[str, Any]) -> Iterator[bool]:
    """The request's environment, working folder and time zone, standard streams that lead
    nowhere; all put back afterwards. Yields False if its folder cannot be entered."""
    saved_env = dict(os.environ)
    saved_cwd = os.getcwd()
    saved_streams = (sys.stdin, sys.stdout, sys.stderr)
    try:
        os.chdir(str(request["cwd"]))
    except OSError:
        yield False
        return
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in request["env"].items()})
    time.tzset()
    sink = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (closed below)
    source = open(os.devnull, encoding="utf-8")  # noqa: SIM115
    sys.stdin, sys.stdout, sys.stderr = source, sink, sink
    try:
        yield True
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        sink.close()
        source.close()
        os.environ.clear()
        os.environ.update(saved_env)
        time.tzset()
        os.chdir(saved_cwd)


@contextlib.contextmanager
def _budget(seconds: float) -> Iterator[None]:
    def over(_signum: int, _frame: FrameType | None) -> None:
        raise _OverBudget

    previous = signal.signal(signal.SIGALRM, over)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

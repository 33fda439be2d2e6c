"""Making the demo's rows in a forked process while this one writes them: the two halves of a
large build (Python drawing and shaping rows; SQLite inserting them) each get a core.

The child is a fork of the builder at the point where the plan is made: it runs the same code
on the same random generator, so the rows, their ids and their order are exactly those of a
build in one process. It never touches the database: the writer's id counters and statements
are read before the fork (`BulkWriter.prime`), and each `flush` sends the prepared rows down a
pipe. This process writes every batch in the order it comes, inside its own transaction, then
builds the indexes; a failure on either side rolls the whole build back."""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable
from typing import Any

from caseterm.core.demo.writer import BulkWriter

Progress = Callable[[str, int, int], None]


def can_fork() -> bool:
    return hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()


def run_forked(writer: BulkWriter, make: Callable[[Progress], None], report: Progress) -> None:
    """Run `make(progress)` in a forked child whose `writer.flush()` sends rows here; write
    them with `writer` as they arrive, passing the child's progress on to `report`."""
    mp = multiprocessing.get_context("fork")
    inbox, outbox = mp.Pipe(duplex=False)

    def child() -> None:
        inbox.close()
        try:
            writer.send_to(lambda batch: outbox.send(("rows", batch)))
            make(lambda phase, done, total: outbox.send(("progress", phase, done, total)))
            writer.flush()
            outbox.send(("done",))
        except BaseException as exc:  # reported to the parent, which raises it there
            outbox.send(("error", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
        finally:
            outbox.close()

    process = mp.Process(target=child, name="caseterm-demo-rows", daemon=True)
    writer.prime()  # ids and statements read here, before the fork
    process.start()
    outbox.close()
    finished = False
    try:
        while True:
            try:
                message: tuple[Any, ...] = inbox.recv()
            except EOFError:
                raise RuntimeError(
                    f"the demo's row maker stopped without finishing (exit code {process.exitcode})"
                ) from None
            kind = message[0]
            if kind == "rows":
                for name, values in message[1]:
                    writer.execute(name, values)
                    writer.counts[name] += len(values)
            elif kind == "progress":
                report(message[1], message[2], message[3])
            elif kind == "done":
                finished = True
                break
            else:
                raise RuntimeError(f"the demo's row maker failed: {message[1]}\n{message[2]}")
    finally:
        inbox.close()
        if not finished and process.is_alive():
            process.terminate()
        process.join()

"""The watched intake folder inside the workstation: scanned when it starts and every few
minutes while it runs (`storage.intake_folder`: each file its own transaction, filed away to
`done/` or `rejected/` once its transaction is over; a file is taken once, so workstations
scanning the same folder at the same moment make one item of it). Only for users who work tasks,
and only when `intake_dir` is set in the config file."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from caseterm.core.errors import CasetermError
from caseterm.core.services.intake_files import Taken
from caseterm.core.storage import intake_folder
from caseterm.tui.dbwork import Outcome, run_db_each

SCAN_EVERY = 120.0  # seconds between scans while the workstation is open


def start(app: Any, folder: Path | None = None, every: float = SCAN_EVERY) -> Path | None:
    """Scan `folder` (default: the configured one) now and every `every` seconds; the folder
    scanned, or None when there is none or the user does not work tasks."""
    if not app.ctx.actor.has("task.work"):
        return None
    try:
        folder = folder or intake_folder.intake_folder()
    except CasetermError:
        return None  # a config file that cannot be read is reported where it is used
    if folder is None:
        return None
    scan_once(app, folder)
    app.set_interval(every, lambda: scan_once(app, folder), name="intake-scan")
    return folder


def scan_once(app: Any, folder: Path) -> None:
    """Take the files waiting in `folder` (in a worker), then file each away."""
    try:
        files = intake_folder.waiting(folder)
    except CasetermError as err:
        app.notify(str(err), title="Intake folder", severity="warning", markup=False)
        return
    if not files:
        return
    actor = app.ctx.actor

    def done(outcomes: list[Outcome[Path, Taken]]) -> None:
        new = 0
        for outcome in outcomes:
            if isinstance(outcome.error, FileNotFoundError):
                continue  # another workstation filed it away first
            with contextlib.suppress(OSError):
                intake_folder.file_away(outcome.item, outcome.error)
            if outcome.result is not None and not outcome.result.already:
                new += 1
        if new:
            app.notify(f"{new} file(s) from the intake folder are waiting in triage.")

    run_db_each(
        app,
        files,
        lambda s, path: intake_folder.take_path(s, actor, path),
        done=done,
        what="taking files from the intake folder",
        group="intake-scan",
    )

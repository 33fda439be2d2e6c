"""The `world` fixture's organisation, built once per test process and copied into each test's
SQLite file, instead of built again through the services for every test (about 0.1 s of CPU and
five commits each, for some two thousand tests).

A world is kept for each state of the clock it was built under: frozen at a given moment, or
running (the first test that needed it). A test's world is a copy only when its database file is
still byte for byte the migrated template, with nothing in its WAL, and no config file is in
force: a fixture that wrote first, or a config the services read, gets a world built as before.
PostgreSQL databases always build theirs (a copy of a database there costs more than building).
The copy is a byte-for-byte image of a world built by `build_world`: the same rows, ids and
journal, so a test cannot tell the two apart.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from caseterm.core import clock
from caseterm.core.models import CaseFile
from caseterm.core.storage.database import Database
from tests.factories import World, build_world


@dataclass(frozen=True)
class _Kept:
    image: Path
    world: World


class WorldCache:
    def __init__(self, folder: Path, template: Path) -> None:
        self.folder = folder
        self.template_digest = _digest(template)  # read once: every test compares against it
        self.kept: dict[datetime | None, _Kept] = {}

    def world_on(self, db: Database) -> World:
        path = db.path
        if path is None or not _untouched(path, self.template_digest):
            return build_world(db)
        moment = clock.frozen_at()
        kept = self.kept.get(moment)
        if kept is None:
            world = build_world(db)
            db.dispose()  # the last connection closing folds the WAL into the file
            if _wal(path).exists():  # another connection is open: the file is not all of it
                return world
            image = self.folder / f"world-{len(self.kept)}.db"
            shutil.copy(path, image)
            self.kept[moment] = _Kept(image, world)
            return world
        db.dispose()
        if _wal(path).exists():
            return build_world(db)
        shutil.copyfile(kept.image, path)
        with db.read() as s:  # the test's own copy of the one table row the world holds
            case = s.get(CaseFile, kept.world.case.id)
        assert case is not None
        return replace(kept.world, db=db, case=case)


def _untouched(path: Path, template_digest: str) -> bool:
    """Nothing written since the file was copied from the template (a write goes to the WAL
    first, and a checkpoint then changes the file), and no config file a world could read."""
    wal = _wal(path)
    if wal.exists() and wal.stat().st_size > 0:
        return False
    if Path(os.environ.get("CASETERM_CONFIG", "")).is_file():
        return False
    return _digest(path) == template_digest


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _wal(path: Path) -> Path:
    return path.with_name(path.name + "-wal")

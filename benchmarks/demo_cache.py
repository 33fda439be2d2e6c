"""The demo database the benchmarks run against: built once by `caseterm.core.demo.build_demo`
and cached under `benchmarks/cache/` (git-ignored), keyed by the migrations' source (a schema
change builds it afresh). A change to the demo generator only earns a notice, as rebuilding
takes minutes: `--rebuild` when it matters."""

from __future__ import annotations

import hashlib
import json
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import col

from caseterm.core import demo
from caseterm.core.models import AuditEvent, CaseFile
from caseterm.core.storage.database import Database
from caseterm.core.storage.migrations import versions
from caseterm.core.storage.opening import open_database

CACHE = Path(__file__).resolve().parent / "cache"
LOGIN = "bench"  # the demo user the benchmarks act as (enrolled with a caseload)


@dataclass
class Prepared:
    db: Database
    backend: str
    built_at: datetime  # the demo's "now": benchmarks freeze the clock here
    seconds: float | None  # build time, if known
    note: str  # how the build time was obtained


def _digest(folder: Path, seed: str) -> str:
    digest = hashlib.sha256(seed.encode())
    for path in sorted(folder.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def schema_key(size: str, seed: int) -> str:
    return _digest(Path(versions.__file__).parent, f"{size}:{seed}")


def demo_key() -> str:
    return _digest(Path(demo.__file__).parent, "demo")


def _progress(phase: str, done: int, total: int) -> None:
    if done == 0 or phase == "done":
        print(f"  demo: {phase}…", file=sys.stderr, flush=True)


def _build(db: Database, size: str, seed: int) -> float:
    print(f"building the {size} demo database (a few minutes)…", file=sys.stderr, flush=True)
    started = time.perf_counter()
    demo.build_demo(db, size=size, seed=seed, login=LOGIN, progress=_progress)
    return round(time.perf_counter() - started, 1)


def _built_at(db: Database) -> datetime:
    with db.read() as s:
        at = s.execute(
            select(func.max(AuditEvent.at)).where(
                col(AuditEvent.entity) == "database", col(AuditEvent.action) == "demo.build"
            )
        ).scalar()
    if at is None:
        raise SystemExit("the database has cases but no demo build event: not a demo database")
    return at if isinstance(at, datetime) else datetime.fromisoformat(str(at))


def _has_cases(db: Database) -> bool:
    with db.read() as s:
        return bool(s.execute(select(func.count()).select_from(CaseFile)).scalar())


def prepare_sqlite(size: str, seed: int, *, rebuild: bool) -> Prepared:
    CACHE.mkdir(exist_ok=True)
    key = schema_key(size, seed)
    path = CACHE / f"demo-{size}-{key}.db"
    meta = path.with_suffix(".json")
    if rebuild or not path.exists() or not meta.exists():
        # Only this schema's files: the cache is shared by worktrees on other schemas, whose
        # databases stay (remove a stale one by hand).
        for old in CACHE.glob(f"demo-{size}-{key}.*"):
            old.unlink()
        building = CACHE / f"building-{size}-{key}.db"
        for leftover in CACHE.glob(f"building-{size}-{key}.db*"):
            leftover.unlink()
        db = open_database(str(building)).db
        seconds = _build(db, size, seed)
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.dispose()
        building.rename(path)
        meta.write_text(
            json.dumps({"seconds": seconds, "size": size, "seed": seed, "demo": demo_key()})
        )
        note = "built this run"
    else:
        saved = json.loads(meta.read_text())
        seconds, note = float(saved["seconds"]), "cached build"
        if saved.get("demo") != demo_key():
            print(
                "note: the demo generator changed since the cached database was built; "
                "run with --rebuild to measure on fresh demo data",
                file=sys.stderr,
            )
    db = open_database(str(path)).db
    for backup in CACHE.glob(f"{path.name}.*.bak"):  # an upgrade's safety copy: not wanted here
        backup.unlink()
    return Prepared(db, "sqlite", _built_at(db), seconds, note)


def prepare_url(url: str, size: str, seed: int, *, rebuild: bool) -> Prepared:
    """Another database (PostgreSQL): build the demo into it when it has no cases yet."""
    db = open_database(url).db
    backend = db.engine.dialect.name
    meta = CACHE / f"url-{hashlib.sha256(url.encode()).hexdigest()[:10]}.json"
    if rebuild and _has_cases(db):
        raise SystemExit("--rebuild with --db: drop and recreate that database yourself first")
    if not _has_cases(db):
        seconds: float | None = _build(db, size, seed)
        CACHE.mkdir(exist_ok=True)
        meta.write_text(json.dumps({"seconds": seconds, "size": size, "seed": seed}))
        note = "built this run"
    elif meta.exists():
        seconds, note = float(json.loads(meta.read_text())["seconds"]), "cached build"
    else:
        seconds, note = None, "built elsewhere"
    return Prepared(db, backend, _built_at(db), seconds, note)

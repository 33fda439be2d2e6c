"""`make bench`: time what a person waits for, on the large demo database.

Builds the demo database once (cached in benchmarks/cache/), runs every benchmark found in
benchmarks/bench_*.py and benchmarks/*_bench.py, prints the table and writes it to
benchmarks/results.md (one section per database backend). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from random import Random

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from demo_cache import LOGIN, Prepared, prepare_sqlite, prepare_url  # noqa: E402
from harness import (  # noqa: E402
    REGISTRY,
    Bench,
    Ctx,
    Result,
    load_average,
    machine,
    run_bench,
    section,
    table,
    write_comparison,
    write_results,
)
from sqlalchemy import func, select  # noqa: E402

from caseterm.core import clock  # noqa: E402
from caseterm.core.models import CaseFile, ContactEntry, Person  # noqa: E402


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--db",
        metavar="URL",
        help="run against this database (e.g. a PostgreSQL URL); the demo is built into it "
        "when it has no cases yet. Default: the cached SQLite demo database",
    )
    p.add_argument(
        "--size",
        choices=("large", "small", "xl"),
        default="large",
        help="the demo to run on (xl: 1M people, 1.2M cases, ~10M contact entries, ~9 GB, "
        "built once on demand into the cache); other than large prints only",
    )
    p.add_argument("--seed", type=int, default=20261122)
    p.add_argument("--runs", type=int, default=100, help="timed runs per benchmark")
    p.add_argument("--only", help="comma-separated benchmark keys or key prefixes")
    p.add_argument("--rebuild", action="store_true", help="build the cached database afresh")
    p.add_argument("--list", action="store_true", help="list the benchmarks and stop")
    p.add_argument("--results", type=Path, default=HERE / "results.md")
    p.add_argument(
        "--no-write", action="store_true", help="print only (also implied by --only or --size)"
    )
    p.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    return p


def _load_suites() -> None:
    """Import every benchmark file (`bench_*.py` or `*_bench.py`): importing registers them."""
    for path in sorted({*HERE.glob("bench_*.py"), *HERE.glob("*_bench.py")}):
        importlib.import_module(path.stem)


def _chosen(only: str | None) -> list[Bench]:
    if not only:
        return list(REGISTRY)
    wanted = [w.strip() for w in only.split(",") if w.strip()]
    return [b for b in REGISTRY if any(b.key.startswith(w) for w in wanted)]


def _describe(prepared: Prepared, size: str, runs: int) -> list[str]:
    with prepared.db.read() as s:
        people = s.execute(select(func.count()).select_from(Person)).scalar()
        cases = s.execute(select(func.count()).select_from(CaseFile)).scalar()
        entries = s.execute(select(func.count()).select_from(ContactEntry)).scalar()
        version = s.connection().dialect.server_version_info
    backend = prepared.backend + (f" {'.'.join(map(str, version))}" if version else "")
    load = load_average()
    return [
        f"- Machine: {machine()}",
        f"- Database: {backend}, {size} demo: {people:,} people, {cases:,} cases, "
        f"{entries:,} contact entries; clock frozen at the demo's build time "
        f"({prepared.built_at:%Y-%m-%d %H:%M})",
        f"- Runs: {runs} timed per benchmark after 3 warm-up calls; acting as `{LOGIN}`",
        f"- Load average when the suite started: {load:.2f}" if load is not None else "",
    ]


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _load_suites()
    chosen = _chosen(args.only)
    if args.list:
        for b in REGISTRY:
            target = f"p95 ≤ {b.target_ms:g} ms" if b.target_ms else "report only"
            print(f"{b.key:28} {b.label}  [{target}]")
        return 0
    if not chosen:
        print(f"no benchmark matches {args.only!r} (see --list)", file=sys.stderr)
        return 2
    if args.db:
        prepared = prepare_url(args.db, args.size, args.seed, rebuild=args.rebuild)
    else:
        prepared = prepare_sqlite(args.size, args.seed, rebuild=args.rebuild)
    clock.freeze(prepared.built_at)  # the demo's "today": its diary, due dates and queues
    header = _describe(prepared, args.size, args.runs)
    ctx = Ctx(
        db=prepared.db,
        backend=prepared.backend,
        login=LOGIN,
        runs=args.runs,
        rng=Random(args.seed),
        demo_seconds=prepared.seconds,
        demo_note=prepared.note,
        extra={"today": prepared.built_at.date()},
    )
    results: list[Result] = []
    for b in chosen:
        print(f"  {b.label}…", file=sys.stderr, flush=True)
        results.append(run_bench(b, ctx))
    prepared.db.dispose()
    print("\n".join([*(h for h in header if h), "", *table(results)]))
    if not (args.no_write or args.only or args.size != "large"):
        lines = [h for h in header if h]
        write_results(args.results, prepared.backend, section(prepared.backend, lines, results))
        write_comparison(args.results)
        print(f"\nwritten to {args.results}")
    broken = [r for r in results if r.broken]
    failed = [r for r in results if r.verdict == "FAIL"]
    if failed:
        print(f"{len(failed)} benchmark(s) missed their target", file=sys.stderr)
    return 1 if broken or (args.strict and failed) else 0


if __name__ == "__main__":
    sys.exit(main())

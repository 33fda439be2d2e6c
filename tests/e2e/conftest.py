"""Fixtures of the end-to-end journeys: the small demo, built once per test process and copied
for each journey (tests/e2e/demo.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests.e2e.demo import DemoDb, demo_db


@pytest.fixture(scope="session")
def demo_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where this test process keeps the demo databases it has built."""
    return tmp_path_factory.mktemp("demo-cache")


@pytest.fixture
def wendy_demo(tmp_path: Path, demo_cache: Path, frozen_clock: datetime) -> Iterator[DemoDb]:
    """A journey's own copy of the small demo, as Wendy (a system administrator) sees it."""
    demo = demo_db(tmp_path, demo_cache, frozen_clock)
    yield demo
    demo.db.dispose()

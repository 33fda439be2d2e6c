"""The models package loads a table's module when one of its names is first asked for
(core/models/__init__.py): its maps name every table class and table, and a table asked for
alone brings the tables its foreign keys point to before the first query."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import SQLModel

import caseterm.core.models as models

ROOT = Path(__file__).resolve().parent.parent


def test_the_maps_name_every_table_and_its_class() -> None:
    metadata = models.load_all()
    mapped = {m.class_.__name__: m.class_ for m in SQLModel._sa_registry.mappers}
    missing_names = sorted(set(mapped) - set(models._NAMES))
    assert missing_names == [], f"add to _NAMES in core/models/__init__.py: {missing_names}"
    missing_tables = sorted(set(metadata.tables) - set(models._TABLES))
    assert missing_tables == [], f"add to _TABLES in core/models/__init__.py: {missing_tables}"
    for name, module in models._NAMES.items():
        assert name in vars(sys.modules[f"caseterm.core.models.{module}"]), name
    owners = {m.persist_selectable.description: m.class_ for m in SQLModel._sa_registry.mappers}
    for table, module in models._TABLES.items():
        assert owners[table].__module__ == f"caseterm.core.models.{module}", table
    assert set(models.__all__) >= set(models._NAMES)


def test_a_table_alone_brings_what_its_keys_point_to() -> None:
    probe = (
        "import sys\n"
        "from sqlalchemy.orm import configure_mappers\n"
        "from caseterm.core.models import ContactEntry\n"
        "before = sorted(m for m in sys.modules if m.startswith('caseterm.core.models.'))\n"
        "configure_mappers()\n"
        "after = sorted(m for m in sys.modules if m.startswith('caseterm.core.models.'))\n"
        "print('BEFORE', *before); print('AFTER', *after)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    )
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines())
    before = {m.rsplit(".", 1)[1] for m in lines["BEFORE"].split()}
    after = {m.rsplit(".", 1)[1] for m in lines["AFTER"].split()}
    assert "contacts" in before and "money" not in before
    # contact_entry points at cases, staff, appointments and people: all there before a query.
    assert {"cases", "org", "diary", "people"} <= after
    assert not after & {"money", "checks", "documents", "case_lifecycle"}

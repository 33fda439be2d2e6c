"""Loading the data layer ahead of time, for a process that forks workers (the resident CLI
process): every table class, their mappers configured, and the services and rules imported.
Nothing is opened: no engine, no connection, no thread."""

from __future__ import annotations

import importlib
import pkgutil


def preload_data_layer() -> None:
    """Import every model, service and rule module and configure the ORM's mappers, so that a
    forked child's first query pays none of it."""
    from sqlalchemy.orm import configure_mappers

    import caseterm.core.rules
    import caseterm.core.services
    from caseterm.core.models import load_all

    for package in (caseterm.core.services, caseterm.core.rules):
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            importlib.import_module(info.name)
    load_all()
    configure_mappers()

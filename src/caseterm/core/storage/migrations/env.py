"""Alembic environment: runs on the connection caseterm hands it (see core/storage/migrate.py)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from caseterm.core.models import load_all
from caseterm.core.storage.schema_filter import include_object

metadata = load_all()  # every table (the models package loads a table when first asked for)


def run_migrations_online() -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if connection is None:
        engine = engine_from_config(
            config.get_section(config.config_ini_section) or {},
            prefix="sqlalchemy.",
            poolclass=pool.NullPool,
        )
        with engine.connect() as conn:
            _run(conn)
        return
    _run(connection)


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


# Alembic sets up `context.config` before running this file; importing it elsewhere (a walk over
# the core's modules, say) must do nothing.
if hasattr(context, "config"):
    run_migrations_online()

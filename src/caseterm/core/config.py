"""Settings: where the database is, the keymap, the local office. From a TOML config file.

The file lives at `$CASETERM_CONFIG`, else `<user config dir>/caseterm/config.toml`:

    database_url = "/srv/caseterm/caseterm.db"   # a path or a SQLAlchemy URL
    office = "PRE"                               # default office for check-in
    backup_dir = "/srv/caseterm/backups"         # where `caseterm db backup` writes
    [keymap]
    new_contact = "n"                            # binding id = keys
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from caseterm.core.errors import DatabaseError

APP_NAME = "caseterm"


def config_path() -> Path:
    env = os.environ.get("CASETERM_CONFIG")
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def default_database_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME)) / "caseterm.db"


@dataclass
class Settings:
    database_url: str | None = None
    office: str | None = None
    backup_dir: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    source: Path | None = None


def load_settings(path: Path | None = None) -> Settings:
    path = path or config_path()
    if not path.exists():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DatabaseError(f"cannot read config file {path}: {exc}") from exc
    keymap = data.get("keymap", {})
    if not isinstance(keymap, dict):
        raise DatabaseError(f'{path}: [keymap] must be a table of binding = "keys"')
    return Settings(
        database_url=data.get("database_url"),
        office=data.get("office"),
        backup_dir=data.get("backup_dir"),
        keymap={str(k): str(v) for k, v in keymap.items()},
        source=path,
    )


def resolve_database_url(cli_value: str | None, settings: Settings | None = None) -> str:
    """`--db`, else `CASETERM_DATABASE_URL`, else the config file, else the user data dir."""
    raw = cli_value or os.environ.get("CASETERM_DATABASE_URL")
    if not raw:
        settings = settings if settings is not None else load_settings()
        raw = settings.database_url
    if not raw:
        raw = str(default_database_path())
    return to_url(raw)


def to_url(raw: str) -> str:
    """A plain path becomes a sqlite URL; URLs pass through."""
    if "://" in raw:
        return raw
    return "sqlite:///" + str(Path(raw).expanduser().absolute())

"""Settings: where the database is, the keymap, the local office. From a TOML config file.

The file lives at `$CASETERM_CONFIG`, else `<user config dir>/caseterm/config.toml`:

    database_url = "/srv/caseterm/caseterm.db"   # a path or a SQLAlchemy URL
    office = "PRE"                               # default office for check-in
    backup_dir = "/srv/caseterm/backups"         # where `caseterm db backup` writes
    bank_holidays = "ENG"                        # ENG, WLS, SCT or NIR (working-day clocks)
    letters_dir = "/srv/caseterm/letters"        # where letters are saved as PDF or Word
    intake_dir = "/srv/caseterm/intake"          # watched folder: files become incoming items
    case_rules = "/srv/caseterm/case_rules.toml" # closure reasons and steps over the defaults
    [means]                                      # the means form's rule over rules/means.toml
    share_percent = 40
    [money_limits.write_off]                     # officers' limits over money_decisions.toml
    caseworker = 7500
    [keymap]
    new_contact = "n"                            # binding id = keys
    [display]
    symbols = "ascii"                            # or "unicode"; default: from the locale
    cursor_blink = false                         # default: blinks except over SSH
    [cli]
    resident = true                              # commands run warm in the resident process
    resident_idle_minutes = 15                   # it leaves after this long without a command
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
    letters_dir: str | None = None
    intake_dir: str | None = None  # the watched intake folder (storage.intake_folder)
    keymap: dict[str, str] = field(default_factory=dict)
    source: Path | None = None
    display_symbols: str | None = None  # [display] symbols: "ascii" or "unicode"
    cursor_blink: bool | None = None  # [display] cursor_blink
    bank_holidays: str | None = None  # ENG (default), WLS, SCT or NIR
    case_rules: str | None = None  # a TOML file of closure rules laid over the shipped ones
    # [means] and [money_limits] as written, checked by rules/money_settings.py when used.
    money_rules: dict[str, object] = field(default_factory=dict)
    resident: bool = True  # [cli] resident (cli/resident/client.py reads it before this module)
    resident_idle_minutes: int = 15  # [cli] resident_idle_minutes


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
    display = data.get("display", {})
    symbols = display.get("symbols") if isinstance(display, dict) else None
    if symbols not in (None, "ascii", "unicode"):
        raise DatabaseError(f'{path}: [display] symbols must be "ascii" or "unicode"')
    blink = display.get("cursor_blink") if isinstance(display, dict) else None
    if blink is not None and not isinstance(blink, bool):
        raise DatabaseError(f"{path}: [display] cursor_blink must be true or false")
    region = data.get("bank_holidays")
    if region not in (None, "ENG", "WLS", "SCT", "NIR"):
        raise DatabaseError(f'{path}: bank_holidays must be "ENG", "WLS", "SCT" or "NIR"')
    case_rules = data.get("case_rules")
    if case_rules is not None and (not isinstance(case_rules, str) or not case_rules.strip()):
        raise DatabaseError(f"{path}: case_rules must be the path of a TOML file")
    intake_dir = data.get("intake_dir")
    if intake_dir is not None and (not isinstance(intake_dir, str) or not intake_dir.strip()):
        raise DatabaseError(f"{path}: intake_dir must be the path of a folder")
    resident, idle = _cli_table(path, data.get("cli", {}))
    return Settings(
        resident=resident,
        resident_idle_minutes=idle,
        money_rules={k: data[k] for k in ("means", "money_limits") if k in data},
        case_rules=case_rules,
        bank_holidays=region,
        database_url=data.get("database_url"),
        office=data.get("office"),
        backup_dir=data.get("backup_dir"),
        letters_dir=data.get("letters_dir"),
        intake_dir=intake_dir,
        keymap={str(k): str(v) for k, v in keymap.items()},
        source=path,
        display_symbols=symbols,
        cursor_blink=blink,
    )


def _cli_table(path: Path, table: object) -> tuple[bool, int]:
    """`[cli] resident` (true/false) and `resident_idle_minutes` (a whole number from 1)."""
    if not isinstance(table, dict):
        raise DatabaseError(f"{path}: [cli] must be a table")
    resident = table.get("resident", True)
    if not isinstance(resident, bool):
        raise DatabaseError(f"{path}: [cli] resident must be true or false")
    idle = table.get("resident_idle_minutes", 15)
    if isinstance(idle, bool) or not isinstance(idle, int) or idle < 1:
        raise DatabaseError(f"{path}: [cli] resident_idle_minutes must be a whole number from 1")
    return resident, idle


def resolve_database_url(cli_value: str | None, settings: Settings | None = None) -> str:
    """`--db`, else `CASETERM_DATABASE_URL`, else the config file, else the user data dir."""
    raw = cli_value or os.environ.get("CASETERM_DATABASE_URL")
    if not raw:
        settings = settings if settings is not None else load_settings()
        raw = settings.database_url
    if not raw:
        raw = str(default_database_path())
    return to_url(raw)


SUPPORTED_URLS = (
    "caseterm works with a SQLite file (a path, or sqlite:///PATH) or PostgreSQL "
    "(postgresql+psycopg://USER@HOST/NAME)"
)
# (backend, driver) pairs caseterm is built and tested with.
_SUPPORTED_DRIVERS = {("sqlite", "pysqlite"), ("postgresql", "psycopg")}


def to_url(raw: str) -> str:
    """A plain path becomes a sqlite URL; a URL must name SQLite (with a file) or PostgreSQL
    through psycopg. Anything else, and `file:` URIs, are refused in one line (which never
    repeats the URL, which may hold a password)."""
    if raw.startswith("file:"):
        raise DatabaseError(
            f"file: URIs are not supported as a database; give the path itself. {SUPPORTED_URLS}"
        )
    if "://" not in raw:
        return "sqlite:///" + str(Path(raw).expanduser().absolute())
    scheme = raw.split("://", 1)[0][:40]
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        url = make_url(raw)
        kind = (url.get_backend_name(), url.get_driver_name())
    except NoSuchModuleError:
        raise DatabaseError(
            f"unsupported database URL scheme {scheme!r}: {SUPPORTED_URLS}"
        ) from None
    except (ArgumentError, ValueError) as exc:
        raise DatabaseError(
            f"cannot read the {scheme}:// database URL ({exc}); {SUPPORTED_URLS}"
        ) from None
    if kind not in _SUPPORTED_DRIVERS:
        raise DatabaseError(f"unsupported database URL scheme {scheme!r}: {SUPPORTED_URLS}")
    if kind[0] == "sqlite" and (not url.database or url.database == ":memory:"):
        raise DatabaseError(
            "an in-memory SQLite database cannot be shared or kept; give a file: sqlite:///PATH"
        )
    return raw

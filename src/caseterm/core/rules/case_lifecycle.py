"""The case lifecycle's rules of the trade, as data with defaults: the roles another person may
have on a case, how two cases relate, where a paper file may be, how long a receiving office
has to acknowledge a transfer, and the reasons a case may close with the steps each needs.

Keys are stored; labels are shown. The closure reasons and their steps per case type are read
from `case_rules.toml` next to this module (the shipped defaults), with an administrator's own
file named by `case_rules` in the config file laid over it; a case type not named there uses the
DEFAULT entry. The number of working days to acknowledge a transfer is the case type's
`transfer_ack_days` column (default `DEFAULT_TRANSFER_ACK_DAYS`)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from caseterm.core.errors import ValidationError
from caseterm.core.models.vocab import FileLocationKind

PARTY_ROLES: dict[str, str] = {
    "responsible_clinician": "Responsible clinician",
    "social_supervisor": "Social supervisor",
    "solicitor": "Solicitor",
    "employer": "Employer",
    "victim_liaison": "Victim liaison officer",
    "victim": "Victim",
    "police": "Police",
    "court": "Court",
    "nearest_relative": "Nearest relative",
    "parent": "Parent or guardian",
    "appointee": "Appointee",
    "interpreter": "Interpreter",
    "other": "Other",
}

CASE_LINK_KINDS: dict[str, str] = {
    "related": "Related",
    "same_family": "Same family",
    "co_defendant": "Co-defendant",
    "previous": "Previous case",
    "duplicate": "Duplicate",
}

FILE_LOCATION_KINDS: dict[str, str] = {
    FileLocationKind.OFFICE: "In the office",
    FileLocationKind.CABINET: "Cabinet or shelf",
    FileLocationKind.BOX: "Storage box",
    FileLocationKind.OFFSITE: "Off-site archive",
}

DEFAULT_TRANSFER_ACK_DAYS = 5
MAX_TRANSFER_ACK_DAYS = 60


@dataclass(frozen=True)
class StepSpec:
    """One step of a closure checklist. `action` names what ticking it does besides recording
    who and when ("" for a step a person does outside caseterm and confirms)."""

    code: str
    label: str
    mandatory: bool = True
    action: str = ""


@dataclass(frozen=True)
class ClosureReason:
    code: str
    label: str
    steps: tuple[StepSpec, ...]
    needs_date_of_death: bool = False


# Actions a step may carry out when ticked (see services.case_closure).
NOTIFY_POLICE = "notify_police"  # a contact entry saying the police were told
CANCEL_APPOINTMENTS = "cancel_appointments"  # future appointments cancelled, staff notified
CLOSE_TASKS = "close_tasks"  # open tasks on the case cancelled
STOP_LETTERS = "stop_letters"  # letters not yet issued are held
ACTIONS = (NOTIFY_POLICE, CANCEL_APPOINTMENTS, CLOSE_TASKS, STOP_LETTERS)

# The reason whose closing also records the death on the person's other cases.
DEATH_CODE = "death"
DEFAULT_TYPE = "DEFAULT"
DEFAULTS_FILE = Path(__file__).with_name("case_rules.toml")


@dataclass(frozen=True)
class CaseRules:
    """The closure reasons per case type, as loaded (DEFAULT for a type not named)."""

    by_type: dict[str, tuple[ClosureReason, ...]]
    override: Path | None = None  # the administrator's file laid over the defaults, if any


_loaded: dict[str, CaseRules] = {}  # by config file path (reload_rules reads again)


def _bad(where: str, rule: str) -> ValidationError:
    return ValidationError("case rules", f"{where}: {rule}")


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _bad(str(path), f"cannot be read ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise _bad(str(path), f"is not valid TOML ({exc})") from None


def _table(data: dict[str, Any], name: str, where: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise _bad(where, f"[{name}] must be a table")
    return value


def _text(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _bad(where, f"{key} must be a non-empty text")
    return value.strip()


def _codes(entry: dict[str, Any], key: str, where: str, known: dict[str, Any]) -> list[str]:
    value = entry.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise _bad(where, f"{key} must be a non-empty list of codes")
    for code in value:
        if code not in known:
            raise _bad(where, f"{key[:-1]} {code!r} is not defined")
    if len(set(value)) != len(value):
        raise _bad(where, f"{key} names a code twice")
    return list(value)


def parse_rules(data: dict[str, Any], where: str) -> dict[str, tuple[ClosureReason, ...]]:
    """Check merged rule data and build the reasons per case type; a broken rule is refused in
    one message naming the entry and what is wrong with it."""
    steps: dict[str, StepSpec] = {}
    for code, entry in _table(data, "steps", where).items():
        at = f"{where}: [steps.{code}]"
        if not isinstance(entry, dict):
            raise _bad(at, "must be a table")
        mandatory = entry.get("mandatory", True)
        if not isinstance(mandatory, bool):
            raise _bad(at, "mandatory must be true or false")
        action = entry.get("action", "")
        if action not in ("", *ACTIONS):
            raise _bad(at, f"action {action!r} is not one of {', '.join(ACTIONS)}")
        steps[code] = StepSpec(code, _text(entry, "label", at), mandatory, action)
    reasons: dict[str, ClosureReason] = {}
    for code, entry in _table(data, "reasons", where).items():
        at = f"{where}: [reasons.{code}]"
        if not isinstance(entry, dict):
            raise _bad(at, "must be a table")
        death = entry.get("needs_date_of_death", False)
        if not isinstance(death, bool):
            raise _bad(at, "needs_date_of_death must be true or false")
        chosen = tuple(steps[c] for c in _codes(entry, "steps", at, steps))
        reasons[code] = ClosureReason(code, _text(entry, "label", at), chosen, death)
    by_type: dict[str, tuple[ClosureReason, ...]] = {}
    for code, entry in _table(data, "case_types", where).items():
        at = f"{where}: [case_types.{code}]"
        if not isinstance(entry, dict):
            raise _bad(at, "must be a table")
        by_type[code.upper()] = tuple(reasons[c] for c in _codes(entry, "reasons", at, reasons))
    if DEFAULT_TYPE not in by_type:
        raise _bad(where, f"[case_types.{DEFAULT_TYPE}] is missing (the reasons of other types)")
    return by_type


def load_rules(override: Path | None) -> CaseRules:
    """The shipped defaults with `override`'s entries laid over them, checked."""
    data = _read(DEFAULTS_FILE)
    where = str(DEFAULTS_FILE)
    if override is not None:
        extra = _read(override)
        where = f"{override} (over the defaults)"
        for name in ("steps", "reasons", "case_types"):
            merged = dict(_table(data, name, where))
            merged.update(_table(extra, name, where))
            data[name] = merged
    return CaseRules(parse_rules(data, where), override)


def configured_file() -> Path | None:
    """The administrator's rules file named by `case_rules` in the config file, if any."""
    from caseterm.core.config import load_settings

    configured = load_settings().case_rules
    return Path(configured).expanduser() if configured else None


def current_rules() -> CaseRules:
    """The rules in force: read once per config file (`CASETERM_CONFIG` or the user's), so a
    change to the rules file is seen by the next caseterm started."""
    from caseterm.core.config import config_path

    key = str(config_path())
    if key not in _loaded:
        _loaded.clear()
        _loaded[key] = load_rules(configured_file())
    return _loaded[key]


def reload_rules() -> CaseRules:
    """Read the rules files again now."""
    _loaded.clear()
    return current_rules()


def closure_reasons(case_type_code: str) -> tuple[ClosureReason, ...]:
    """The reasons a case of this type may close with."""
    by_type = current_rules().by_type
    return by_type.get(case_type_code.upper(), by_type[DEFAULT_TYPE])


def closure_reason(case_type_code: str, code: str) -> ClosureReason | None:
    return next((r for r in closure_reasons(case_type_code) if r.code == code), None)

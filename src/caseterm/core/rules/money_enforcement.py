"""Enforcement of a fines account, as data: the catalogue of actions (what each is called, the
letter it produces and the template drafted for it, its appeal window in working days, which
actions may follow it) and the paths a case type's defaulted accounts take through them, per
account kind (how many missed instalments start it, the days between steps). The shipped
defaults are `enforcement_paths.toml` (its comments name the sources: Courts Act 2003 Schedule 5,
the Fines Collection Regulations 2006, HMCTS's fines service); an administrator's own paths are
rows kept in the database (`services/enforcement_paths.py`), checked by the same rules here.

Pure functions over plain values.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path as FilePath
from typing import Any

from caseterm.core.errors import ValidationError

PATHS_FILE = FilePath(__file__).with_name("enforcement_paths.toml")

# The kinds of account a path may be for: the kind of the payment terms in force ("*": any).
ACCOUNT_KINDS: dict[str, str] = {
    "instalments": "paying by instalments",
    "by_date": "to pay in full by a date",
    "*": "any account",
}
ANY_KIND = "*"
MAX_DAYS = 3660  # no step waits more than ten years after the one before
MAX_STEPS = 20
MAX_TRIGGER = 520  # ten years of weekly instalments


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    letter: str  # the letter it produces, in words ("" for none)
    appeal_working_days: int = 0
    follows: tuple[str, ...] = ()  # actions it may follow ("" = may start a path)
    fine_only: bool = False  # applies to the fine alone (the 50% increase)
    warrant: bool = False  # generates a warrant
    template: str = ""  # the stock letter template drafted when the step is confirmed


@dataclass(frozen=True)
class Step:
    action: str
    days_after: int  # days after the previous step was decided (the first: after the trigger)


@dataclass(frozen=True)
class Path:
    trigger_missed: int  # missed instalments that start the path
    steps: tuple[Step, ...]

    def steps_text(self) -> str:
        """ "reminder:0,further_steps_notice:14" (as `enforcement-paths set --steps` takes)."""
        return ",".join(f"{s.action}:{s.days_after}" for s in self.steps)


def _bad(where: str, rule: str) -> ValidationError:
    return ValidationError("enforcement paths", f"{where}: {rule}")


def _whole(value: object, where: str, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _bad(where, f"{what} must be a whole number from {low} to {high}, not {value!r}")
    return value


def _text(value: object, where: str, what: str) -> str:
    if not isinstance(value, str):
        raise _bad(where, f"{what} must be text, not {value!r}")
    return value.strip()


def _action(key: str, data: object) -> Action:
    where = f"[actions.{key}]"
    if not isinstance(data, dict):
        raise _bad(where, "must be a table")
    known = (
        "label",
        "letter",
        "template",
        "appeal_working_days",
        "follows",
        "fine_only",
        "warrant",
    )
    for name in data:
        if name not in known:
            raise _bad(where, f"has no setting {name!r}; use {', '.join(known)}")
    follows = data.get("follows", [])
    if not isinstance(follows, list) or not all(isinstance(f, str) for f in follows):
        raise _bad(where, "follows must be a list of action keys")
    for flag in ("fine_only", "warrant"):
        if not isinstance(data.get(flag, False), bool):
            raise _bad(where, f"{flag} must be true or false")
    label = _text(data.get("label", ""), where, "label")
    if not label:
        raise _bad(where, "label is required")
    return Action(
        key=key,
        label=label,
        letter=_text(data.get("letter", ""), where, "letter"),
        appeal_working_days=_whole(
            data.get("appeal_working_days", 0), where, "appeal_working_days", 0, 260
        ),
        follows=tuple(follows),
        fine_only=bool(data.get("fine_only", False)),
        warrant=bool(data.get("warrant", False)),
        template=_text(data.get("template", ""), where, "template").upper(),
    )


def check_catalogue(actions: dict[str, Action]) -> None:
    """Refuse an action that may follow one the catalogue does not have."""
    for action in actions.values():
        for before in action.follows:
            if before and before not in actions:
                raise _bad(f"[actions.{action.key}]", f"follows an unknown action {before!r}")


def check_path(path: Path, actions: dict[str, Action] | None = None, where: str = "") -> None:
    """Refuse a path with no steps, a step not in the catalogue, an action after one it may not
    follow, an action that comes back (a cycle: a path goes one way to its end), or days out of
    range."""
    actions = ACTIONS if actions is None else actions
    at = where or "enforcement path"
    _whole(path.trigger_missed, at, "the missed instalments that start it", 1, MAX_TRIGGER)
    if not path.steps:
        raise _bad(at, "has no steps")
    if len(path.steps) > MAX_STEPS:
        raise _bad(at, f"has more than {MAX_STEPS} steps")
    previous = ""
    seen: set[str] = set()
    for step in path.steps:
        action = actions.get(step.action)
        if action is None:
            known = ", ".join(actions)
            raise _bad(at, f"unknown action {step.action!r}; use one of {known}")
        if step.action in seen:
            raise _bad(
                at,
                f"{action.label} comes twice: a cycle without end (a path goes one way to "
                "its end; put the account on hold instead)",
            )
        if previous not in action.follows:
            after = actions[previous].label if previous else "nothing (it may not start a path)"
            raise _bad(at, f"{action.label} may not follow {after}")
        if step.days_after < 0:
            raise _bad(at, f"{action.label}: days must not be negative ({step.days_after})")
        if step.days_after > MAX_DAYS:
            raise _bad(at, f"{action.label}: days must be at most {MAX_DAYS}")
        seen.add(step.action)
        previous = step.action


def parse_steps(text: str) -> tuple[Step, ...]:
    """ "reminder:0, further_steps_notice:14" as steps (days default to 0); a bad item is
    refused naming it."""
    steps: list[Step] = []
    for item in (t.strip() for t in (text or "").split(",")):
        if not item:
            continue
        key, _, days = item.partition(":")
        try:
            n = int(days.strip()) if days.strip() else 0
        except ValueError:
            raise ValidationError(
                "steps", f"{item!r}: days must be a whole number (action:days)"
            ) from None
        steps.append(Step(key.strip().lower(), n))
    if not steps:
        raise ValidationError(
            "steps", "give at least one step, e.g. reminder:0,further_steps_notice:14"
        )
    return tuple(steps)


def check_kind(kind: str) -> str:
    key = (kind or "").strip().lower() or ANY_KIND
    if key not in ACCOUNT_KINDS:
        raise ValidationError(
            "account kind", f"{kind!r} is not one; use {', '.join(ACCOUNT_KINDS)}"
        )
    return key


def _path(index: int, data: object, actions: dict[str, Action]) -> tuple[tuple[str, str], Path]:
    where = f"[[paths]] #{index + 1}"
    if not isinstance(data, dict):
        raise _bad(where, "must be a table")
    case_type = _text(data.get("case_type", ""), where, "case_type").upper()
    if not case_type:
        raise _bad(where, "case_type is required")
    try:
        kind = check_kind(_text(data.get("account_kind", ANY_KIND), where, "account_kind"))
    except ValidationError as error:
        raise _bad(where, error.reason) from None
    where = f"[[paths]] {case_type}/{kind}"
    raw = data.get("steps", [])
    if not isinstance(raw, list):
        raise _bad(where, "steps must be a list of { action, days }")
    steps: list[Step] = []
    for item in raw:
        if not isinstance(item, dict) or "action" not in item:
            raise _bad(where, "each step is { action = KEY, days = N }")
        days = item.get("days", 0)
        if isinstance(days, bool) or not isinstance(days, int):
            raise _bad(where, f"days must be a whole number, not {days!r}")
        steps.append(Step(_text(item["action"], where, "action"), days))
    trigger = _whole(data.get("trigger_missed", 0), where, "trigger_missed", 1, MAX_TRIGGER)
    path = Path(trigger, tuple(steps))
    check_path(path, actions, where)
    return (case_type, kind), path


def load(text: str) -> tuple[dict[str, Action], dict[tuple[str, str], Path]]:
    """The catalogue and the paths of an enforcement paths file, checked; a bad one is refused
    in one line naming the table and the rule."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _bad("enforcement_paths.toml", f"not valid TOML ({error})") from None
    raw_actions = data.get("actions", {})
    if not isinstance(raw_actions, dict) or not raw_actions:
        raise _bad("[actions]", "the catalogue has no actions")
    actions = {key: _action(key, value) for key, value in raw_actions.items()}
    check_catalogue(actions)
    paths: dict[tuple[str, str], Path] = {}
    for index, item in enumerate(data.get("paths", [])):
        key, path = _path(index, item, actions)
        if key in paths:
            raise _bad(f"[[paths]] {key[0]}/{key[1]}", "is given twice")
        paths[key] = path
    return actions, paths


@cache
def shipped() -> tuple[dict[str, Action], dict[tuple[str, str], Path]]:
    return load(PATHS_FILE.read_text("utf-8"))


ACTIONS: dict[str, Action] = shipped()[0]
# The shipped paths by (case type code, account kind); a case type not listed has no path.
PATHS: dict[tuple[str, str], Path] = shipped()[1]


def path_for(paths: dict[tuple[str, str], Path], case_type: str, account_kind: str) -> Path | None:
    """The path of a case type for an account of `account_kind`: its own, else the one for
    any kind; None when the case type has none."""
    return paths.get((case_type, account_kind)) or paths.get((case_type, ANY_KIND))


def account_kind(terms_kind: str | None) -> str:
    """The account kind a path is chosen by: the kind of the terms in force."""
    return "by_date" if terms_kind == "by_date" else "instalments"


def appeal_days_of(action: str, confirmed: bool) -> int:
    """The appeal window, in working days, that a decided step leaves open (none when it was
    rejected: no letter went)."""
    found = ACTIONS.get(action)
    return found.appeal_working_days if found is not None and confirmed else 0


@dataclass(frozen=True)
class Due:
    number: int  # the step's position in the path (0 first)
    action: Action
    on: date


def next_step(
    path: Path,
    *,
    missed: int,
    taken: int,
    last_confirmed: date | None,
    today: date,
    appeal_working_days: int = 0,
) -> Due | None:
    """The next step of the path for an account with `missed` instalments missed, `taken` steps
    already proposed (the last decided on `last_confirmed`; None while it awaits the officer),
    or None: not in default, waiting for the officer, or the path is at its end. While the
    appeal window of the last step's letter is open (`appeal_working_days` from its decision:
    give 0 for a rejected step, which sent no letter) no next step is due, whatever the path's
    days say."""
    if missed < path.trigger_missed or taken >= len(path.steps):
        return None
    if taken and last_confirmed is None:
        return None
    step = path.steps[taken]
    on = today if not taken else (last_confirmed or today) + timedelta(days=step.days_after)
    if taken and last_confirmed is not None and appeal_working_days > 0:
        from caseterm.core.rules.workdays import add_working_days

        on = max(on, add_working_days(last_confirmed, appeal_working_days))
    action = ACTIONS.get(step.action) or Action(step.action, step.action, "")
    return Due(taken, action, on)

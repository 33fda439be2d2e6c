"""Enforcement paths in force: the shipped defaults (`rules/enforcement_paths.toml`) with what a
system administrator changed or added (`enforcement_path` rows, set with `caseterm
enforcement-paths set`), as the clock rules are kept. Each path is checked against the action
catalogue before it is saved (an unknown action, an action after one it may not follow, an action
that comes back, negative days: one clear message, nothing written)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from caseterm.core import clock
from caseterm.core.errors import NotFoundError, ValidationError
from caseterm.core.models import CaseType, EnforcementPath
from caseterm.core.rules import money_enforcement as rules
from caseterm.core.services import audit
from caseterm.core.services.identity import Actor

PATH_FIELDS = ("case_type", "account_kind", "trigger_missed", "steps", "active")


@dataclass(frozen=True)
class StepRow:
    number: int
    action: str
    label: str
    days_after: int
    letter: str
    template: str
    appeal_working_days: int
    fine_only: bool
    warrant: bool


@dataclass(frozen=True)
class PathRow:
    """A path in force: `source` says whether it is the shipped default, a default an
    administrator changed, or a path an administrator added."""

    case_type: str
    account_kind: str
    trigger_missed: int
    steps: tuple[StepRow, ...]
    active: bool
    source: str  # default | changed | added

    @property
    def key(self) -> str:
        return f"{self.case_type}/{self.account_kind}"

    @property
    def steps_text(self) -> str:
        return ",".join(f"{s.action}:{s.days_after}" for s in self.steps)

    def describe(self) -> str:
        """ "after 2 missed: Reminder, +14 days Further steps notice, …"."""
        parts = [
            (f"+{s.days_after} days " if n else "") + s.label for n, s in enumerate(self.steps)
        ]
        return f"after {self.trigger_missed} missed: " + ", ".join(parts)


def _row(case_type: str, kind: str, path: rules.Path, active: bool, source: str) -> PathRow:
    steps = []
    for n, step in enumerate(path.steps):
        action = rules.ACTIONS.get(step.action) or rules.Action(step.action, step.action, "")
        steps.append(
            StepRow(
                number=n,
                action=step.action,
                label=action.label,
                days_after=step.days_after,
                letter=action.letter,
                template=action.template,
                appeal_working_days=action.appeal_working_days,
                fine_only=action.fine_only,
                warrant=action.warrant,
            )
        )
    return PathRow(case_type, kind, path.trigger_missed, tuple(steps), active, source)


def _stored(row: EnforcementPath) -> rules.Path:
    try:
        steps = rules.parse_steps(row.steps)
    except ValidationError:
        steps = ()
    return rules.Path(row.trigger_missed, steps)


def _all_paths(session: Session) -> dict[tuple[str, str], PathRow]:
    found = {key: _row(key[0], key[1], path, True, "default") for key, path in rules.PATHS.items()}
    for row in session.exec(select(EnforcementPath)).all():
        key = (row.case_type, row.account_kind)
        found[key] = _row(
            row.case_type,
            row.account_kind,
            _stored(row),
            row.active,
            "changed" if key in rules.PATHS else "added",
        )
    return dict(sorted(found.items()))


def paths_in_force(session: Session) -> dict[tuple[str, str], rules.Path]:
    """The active paths by (case type, account kind), for the money run and the account's next
    step (no permission check: a part of reading an account). A stored path the catalogue now
    refuses (an action since removed) is left out rather than followed."""
    out: dict[tuple[str, str], rules.Path] = dict(rules.PATHS)
    for row in session.exec(select(EnforcementPath)).all():
        key = (row.case_type, row.account_kind)
        path = _stored(row)
        try:
            rules.check_path(path)
        except ValidationError:
            out.pop(key, None)
            continue
        if row.active:
            out[key] = path
        else:
            out.pop(key, None)
    return out


def list_paths(session: Session, actor: Actor, *, case_type: str | None = None) -> list[PathRow]:
    """Every enforcement path (switched-off ones too, marked), for one case type or all."""
    actor.require("case.read")
    wanted = (case_type or "").strip().upper()
    return [p for p in _all_paths(session).values() if not wanted or p.case_type == wanted]


def show_path(
    session: Session, actor: Actor, *, case_type: str, account_kind: str = rules.ANY_KIND
) -> PathRow:
    """One path, with its steps, letters and appeal windows: the one an account of that kind
    follows (the case type's path for any kind when the kind has none of its own)."""
    actor.require("case.read")
    key = (case_type.strip().upper(), rules.check_kind(account_kind))
    every = _all_paths(session)
    found = every.get(key) or every.get((key[0], rules.ANY_KIND))
    if found is None:
        raise NotFoundError("enforcement path", f"{key[0]}/{key[1]}")
    return found


def set_path(
    session: Session,
    actor: Actor,
    *,
    case_type: str,
    account_kind: str = rules.ANY_KIND,
    steps: str | None = None,
    trigger_missed: int | None = None,
    active: bool | None = None,
) -> PathRow:
    """Change a path (or add one: a new path needs its steps and trigger). Only a system
    administrator; checked as a whole against the catalogue before anything is written."""
    actor.require("money.paths")
    code = (case_type or "").strip().upper()
    if session.exec(select(CaseType).where(CaseType.code == code)).first() is None:
        raise ValidationError("case type", f"no case type {case_type!r}")
    kind = rules.check_kind(account_kind)
    current = _all_paths(session).get((code, kind))
    if current is None and (steps is None or trigger_missed is None):
        raise ValidationError(
            "steps" if steps is None else "trigger",
            f"{code}/{kind} has no path yet: give --steps and --trigger",
        )
    new_steps = (
        rules.parse_steps(steps)
        if steps is not None
        else rules.parse_steps(current.steps_text if current else "")
    )
    trigger = trigger_missed
    if trigger is None:
        trigger = current.trigger_missed if current else 0
    path = rules.Path(trigger, new_steps)
    rules.check_path(path, where=f"{code}/{kind}")
    row = session.exec(
        select(EnforcementPath).where(
            EnforcementPath.case_type == code, EnforcementPath.account_kind == kind
        )
    ).first()
    before = audit.snapshot(row, PATH_FIELDS) if row is not None else {}
    if row is None:
        row = EnforcementPath(case_type=code, account_kind=kind, trigger_missed=0, steps="")
    row.trigger_missed = trigger
    row.steps = path.steps_text()
    row.active = active if active is not None else (current.active if current is not None else True)
    row.changed_at = clock.now()
    row.changed_by_id = actor.id
    session.add(row)
    session.flush()
    source = "changed" if (code, kind) in rules.PATHS else "added"
    shown = _row(code, kind, path, row.active, source)
    audit.record(
        session,
        actor,
        "enforcement_path.set",
        "enforcement_path",
        row.id,
        summary=f"enforcement path {shown.key}: {shown.describe()}"
        + ("" if row.active else " (switched off)"),
        before=before,
        after=audit.snapshot(row, PATH_FIELDS),
    )
    return shown


def reset_path(
    session: Session, actor: Actor, *, case_type: str, account_kind: str = rules.ANY_KIND
) -> PathRow | None:
    """Go back to the shipped path (remove the administrator's own); the path now in force, or
    None when the case type has none for that kind."""
    actor.require("money.paths")
    code = (case_type or "").strip().upper()
    kind = rules.check_kind(account_kind)
    row = session.exec(
        select(EnforcementPath).where(
            EnforcementPath.case_type == code, EnforcementPath.account_kind == kind
        )
    ).first()
    if row is None:
        raise ValidationError("enforcement path", f"{code}/{kind} is already the shipped one")
    before = audit.snapshot(row, PATH_FIELDS)
    row_id = row.id
    session.delete(row)
    session.flush()
    shipped = rules.PATHS.get((code, kind))
    audit.record(
        session,
        actor,
        "enforcement_path.reset",
        "enforcement_path",
        row_id,
        summary=f"enforcement path {code}/{kind}: back to the shipped "
        + ("path" if shipped else "(none)"),
        before=before,
    )
    return _row(code, kind, shipped, True, "default") if shipped else None

"""Triage `o`: which team and owner a case opened from an incoming item gets (issue 17).

The team defaults to the one that usually works the case type at the user's office (then the
user's own team), the owner to nobody (the team allocates it)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from caseterm.core.services import cases, org, staff
from caseterm.core.services.identity import Actor
from caseterm.tui.triage.dialogs import Choice

NO_OWNER = "none"


@dataclass(frozen=True)
class OpenCaseSetup:
    """What the user chose for the new case before whom it is for."""

    case_type: str
    team_id: int | None = None
    owner_id: int | None = None


def team_choices(session: Session, actor: Actor, case_type: str) -> list[Choice]:
    """Every team, the default first: the type's usual team at the user's office, else theirs."""
    ct = next((c for c in org.list_case_types(session) if c.code == case_type), None)
    usual = (
        cases.usual_team(session, case_type_id=ct.id, office_id=actor.office_id)
        if ct is not None
        else None
    )
    default = usual if usual is not None else actor.team_id
    teams = org.list_teams(session)
    teams.sort(key=lambda t: (t.id != default, t.office_id != actor.office_id, t.code))
    why = "usual for this type at your office" if usual is not None else "your team"
    return [
        Choice(
            f"t:{t.id}",
            f"{t.name} ({t.code})" + (f" — {why}" if t.id == default else ""),
            f"{t.name} {t.code}",
        )
        for t in teams
    ]


def owner_choices(session: Session) -> list[Choice]:
    """No owner first (the team allocates the case), then everyone active."""
    return [Choice(NO_OWNER, "No owner yet — the team allocates it", "none nobody")] + [
        Choice(f"s:{st.id}", f"{st.name} ({st.login})", f"{st.name} {st.login}")
        for st in staff.list_staff(session)
        if st.active
    ]


def picked_id(key: str) -> int | None:
    """The id in a `t:<id>` / `s:<id>` choice key; None for "no owner"."""
    _, _, raw = key.partition(":")
    return int(raw) if raw.isdigit() else None

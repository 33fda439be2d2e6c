"""The demo organisation: offices with teams and interview rooms, staff in every role, and the
demo user enrolled with a place in Preston's offender management team."""

from __future__ import annotations

import pwd
from datetime import timedelta

from sqlalchemy import select

from caseterm.core.demo.context import Ctx, OfficeInfo, StaffInfo
from caseterm.core.demo.names import BRITISH, CULTURES
from caseterm.core.models import metadata
from caseterm.core.text import fold

# code, name, address, team families present
OFFICES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "PRE",
        "Preston",
        "Unicentre, Lords Walk, Preston PR1 1DH",
        ("OM", "UP", "VL", "FE", "MH", "CS"),
    ),
    (
        "LAN",
        "Lancaster",
        "Centenary House, 93 Lancaster Road, Lancaster LA1 1AA",
        ("OM", "UP", "FE", "CS"),
    ),
    ("BLB", "Blackburn", "Northgate House, Blackburn BB2 1AA", ("OM", "UP", "VL", "FE", "CS")),
    (
        "CAR",
        "Carlisle",
        "Civic Centre, Rickergate, Carlisle CA3 8QG",
        ("OM", "UP", "MH", "FE", "CS"),
    ),
)
# code -> the telephone number its letters print (Ofcom's numbers kept for drama: 01632 960xxx)
OFFICE_PHONES: dict[str, str] = {
    "PRE": "01632 960 100",
    "LAN": "01632 960 200",
    "BLB": "01632 960 300",
    "CAR": "01632 960 400",
}
# family -> (team name, case types it owns, caseworker weight)
FAMILIES: dict[str, tuple[str, tuple[str, ...], float]] = {
    "OM": ("offender management", ("OM",), 3.0),
    "UP": ("unpaid work and programmes", ("UPW", "PROG"), 2.0),
    "VL": ("victim liaison", ("VIC",), 1.0),
    "FE": ("fines and enforcement", ("FINE",), 2.0),
    "MH": ("mental health casework", ("MHC",), 1.0),
    "CS": ("council services", ("REG", "RES", "BIS"), 2.0),
}
FAMILY_OF_TYPE = {t: fam for fam, (_, types, _) in FAMILIES.items() for t in types}
OFFICE_SCALE = {"PRE": 1.5}
DEMO_OFFICE, DEMO_FAMILY = "PRE", "OM"


def build_offices(ctx: Ctx) -> None:
    """Offices, teams and rooms, reusing any the database already has under the same code."""
    conn, w = ctx.w.conn, ctx.w
    office_t, team_t, room_t = (metadata.tables[n] for n in ("office", "team", "room"))
    have_offices = {r.code: r for r in conn.execute(select(office_t))}
    have_teams = {r.code: r for r in conn.execute(select(team_t))}
    for code, name, address, families in OFFICES:
        row = have_offices.get(code)
        if row is None:
            office_id = w.next_id("office")
            w.add(
                "office",
                {
                    "id": office_id,
                    "code": code,
                    "name": name,
                    "address": address,
                    "phone": OFFICE_PHONES.get(code, ""),
                },
            )
        else:
            office_id = row.id
        rooms = [r.id for r in conn.execute(select(room_t).where(room_t.c.office_id == office_id))]
        for n in range(len(rooms), ctx.size.rooms_per_office):
            room_id = w.next_id("room")
            label = "Group room" if n == ctx.size.rooms_per_office - 1 else f"Interview {n + 1}"
            w.add("room", {"id": room_id, "office_id": office_id, "name": label})
            rooms.append(room_id)
        teams: dict[str, int] = {}
        for fam in families:
            team_code = f"{code}-{fam}"
            team = have_teams.get(team_code)
            if team is None:
                team_id = w.next_id("team")
                team_name = f"{name} {FAMILIES[fam][0]}"
                w.add(
                    "team",
                    {"id": team_id, "code": team_code, "name": team_name, "office_id": office_id},
                )
            else:
                team_id = team.id
            teams[fam] = team_id
        ctx.offices[code] = OfficeInfo(office_id, code, name, rooms, teams)


def _staff_name(ctx: Ctx) -> str:
    rng = ctx.rng
    culture = BRITISH if rng.random() < 0.8 else ctx.pick(CULTURES)
    given = ctx.pick(culture.male if rng.random() < 0.45 else culture.female)
    return f"{given} {ctx.pick(culture.family)}"


def _login_for(name: str, taken: set[str]) -> str:
    parts = fold(name).split()
    base = (parts[0][0] + "".join(parts[1:]))[:12] if parts else "staff"
    login, n = base, 1
    while login in taken:
        n += 1
        login = f"{base}{n}"
    taken.add(login)
    return login


def build_staff(ctx: Ctx, demo_login: str, first_in_database: bool) -> None:
    """Caseworkers in every team, and administrators, reception, checkers and managers in every
    office, plus the demo user (enrolled, or given the caseworker and administrator roles)."""
    conn = ctx.w.conn
    staff_t = metadata.tables["staff"]
    taken = set(conn.execute(select(staff_t.c.login)).scalars())
    for code, _, _, families in OFFICES:
        office = ctx.offices[code]
        scale = OFFICE_SCALE.get(code, 1.0)
        office_cw = 0
        for fam in families:
            count = max(1, round(FAMILIES[fam][2] * scale * ctx.size.staff_k))
            office_cw += count
            for _ in range(count):
                _add_staff(ctx, taken, ("caseworker",), code, office.teams[fam], fam)
        for roles, per in (
            (("administrator",), 5),
            (("reception",), 12),
            (("manager", "checker"), 12),
            (("checker",), 15),
        ):
            count = (
                round(office_cw / per) if roles == ("checker",) else max(1, round(office_cw / per))
            )
            for _ in range(count):
                team_id = office.teams["OM"] if "administrator" in roles else None
                _add_staff(ctx, taken, roles, code, team_id, None)
    _add_staff(ctx, taken, ("sysadmin",), "PRE", None, None)
    # Two leavers: disabled accounts still named on old records.
    for info in ctx.rng.sample([s for s in ctx.staff if s.roles == ("caseworker",)], 2):
        info.active = False
    for info in ctx.staff:
        _write_staff(ctx, info)
    ctx.demo = _enrol_demo(ctx, demo_login, first_in_database)


def _add_staff(
    ctx: Ctx,
    taken: set[str],
    roles: tuple[str, ...],
    office: str,
    team_id: int | None,
    fam: str | None,
) -> None:
    name = _staff_name(ctx)
    info = StaffInfo(
        ctx.w.next_id("staff"), _login_for(name, taken), name, roles, office, team_id, fam
    )
    ctx.staff.append(info)
    ctx.logins[info.id] = info.login


def _write_staff(ctx: Ctx, info: StaffInfo) -> None:
    joined = ctx.now - timedelta(days=ctx.between(400, 4000))
    office_id = ctx.offices[info.office].id
    ctx.w.add(
        "staff",
        {
            "id": info.id,
            "login": info.login,
            "name": info.name,
            "email": f"{info.login}@example.org",
            "team_id": info.team_id,
            "office_id": office_id,
            "active": info.active,
            "created_at": joined,
            "updated_at": joined,
            "updated_by_id": None,
            "version": 1,
        },
    )
    for role in info.roles:
        ctx.w.add("staff_role", {"staff_id": info.id, "role": role})
    ctx.audit(
        joined,
        None,
        "staff.add",
        "staff",
        info.id,
        f"enrolled {info.login} ({', '.join(info.roles)})",
    )


def _enrol_demo(ctx: Ctx, login: str, first: bool) -> StaffInfo:
    """Enrol `login` in Preston offender management, or give an enrolled login the
    caseworker and administrator roles it lacks (recorded in the audit journal)."""
    conn = ctx.w.conn
    staff_t, role_tbl = metadata.tables["staff"], metadata.tables["staff_role"]
    office = ctx.offices[DEMO_OFFICE]
    team_id = office.teams[DEMO_FAMILY]
    wanted = ["administrator", "caseworker"] + (["sysadmin"] if first else [])
    row = conn.execute(select(staff_t).where(staff_t.c.login == login)).first()
    if row is None:
        info = StaffInfo(
            ctx.w.next_id("staff"),
            login,
            _real_name(login),
            tuple(wanted),
            DEMO_OFFICE,
            team_id,
            DEMO_FAMILY,
        )
        ctx.logins[info.id] = login
        _write_staff(ctx, info)
        return info
    have = set(conn.execute(select(role_tbl.c.role).where(role_tbl.c.staff_id == row.id)).scalars())
    for role in wanted:
        if role not in have:
            ctx.w.add("staff_role", {"staff_id": row.id, "role": role})
    ctx.logins[row.id] = login
    ctx.audit(
        ctx.now,
        row.id,
        "staff.roles",
        "staff",
        row.id,
        f"demo: roles of {login} now include {', '.join(wanted)}",
    )
    if row.team_id is None:
        ctx.w.flush()  # the team must be written before the staff row points at it
        conn.execute(
            staff_t.update()
            .where(staff_t.c.id == row.id)
            .values(team_id=team_id, office_id=office.id)
        )
        return StaffInfo(
            row.id,
            login,
            row.name,
            tuple(sorted(have | set(wanted))),
            DEMO_OFFICE,
            team_id,
            DEMO_FAMILY,
        )
    fam = next(
        (f for code in ctx.offices.values() for f, t in code.teams.items() if t == row.team_id),
        None,
    )
    home = next((o.code for o in ctx.offices.values() if o.id == row.office_id), DEMO_OFFICE)
    return StaffInfo(
        row.id, login, row.name, tuple(sorted(have | set(wanted))), home, row.team_id, fam
    )


def _real_name(login: str) -> str:
    """The account's full name from the password file, else the login itself."""
    try:
        gecos = pwd.getpwnam(login).pw_gecos.split(",")[0].strip()
    except KeyError:
        gecos = ""
    return gecos or login

"""Demo people: names (with aliases) kept searchable, typed identifiers unique per type,
addresses and phones, languages and interpreters, and warnings with what the desk may see."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import cache

from caseterm.core.demo.context import Ctx, PersonInfo, Weighted
from caseterm.core.demo.names import (
    AREAS,
    BRITISH,
    CULTURES,
    HOSTILE_PEOPLE,
    NICKNAMES,
    STREET_NAMES,
    TITLES_FEMALE,
    TITLES_MALE,
)
from caseterm.core.demo.texts import WARNINGS
from caseterm.core.rules.identifiers import contact_key
from caseterm.core.rules.phonetic import name_keys
from caseterm.core.text import fold, fold_identifier, strip_controls

HOME_OFFICES = (("PRE", 35), ("LAN", 20), ("BLB", 25), ("CAR", 20))
PARTY_SHARE = 0.1
NINO_PREFIXES = ("AB", "CE", "JG", "JK", "KR", "NH", "NP", "PW", "SJ", "TN", "WL", "YH", "ZA")


def plan_people(ctx: Ctx) -> None:
    """Everyone's name, birth, language and area; the hostile names come first."""
    rng = ctx.rng
    cultures = Weighted([(c, c.weight) for c in CULTURES])
    homes = Weighted(HOME_OFFICES)
    total = ctx.size.people
    party_from = total - int(total * PARTY_SHARE)
    for i in range(total):
        culture = ctx.draw(cultures)
        male = rng.random() < 0.62
        given = ctx.pick(culture.male if male else culture.female)
        family = ctx.pick(culture.family)
        if i < len(HOSTILE_PEOPLE):
            given, family = (strip_controls(v) for v in HOSTILE_PEOPLE[i])
        age_days = int(rng.triangular(18 * 365, 85 * 365, 32 * 365))
        language, interpreter = "English", False
        if culture is not BRITISH and rng.random() < 0.55:
            language = culture.language
            interpreter = rng.random() < culture.interpreter_share * 1.6
        elif culture is BRITISH and rng.random() < 0.004:
            language, interpreter = "British Sign Language", True
        person = PersonInfo(
            id=ctx.w.next_id("person"),
            given=given,
            family=family,
            title=ctx.pick(TITLES_MALE if male else TITLES_FEMALE),
            gender="Male" if male else "Female",
            dob=ctx.today - timedelta(days=age_days),
            language=language,
            interpreter=interpreter,
            office=ctx.draw(homes),
            party_only=i >= party_from,
        )
        if rng.random() < 0.12:
            nick = NICKNAMES.get(given)
            if nick:
                person.alias = (nick, family)
            elif not male:
                person.alias = (given, ctx.pick(culture.family))  # an earlier surname
            else:
                person.alias = (given[:1], family)  # known by an initial
        ctx.people.append(person)


class _Unique:
    """Identifier values unique per type, drawn at random."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.seen: dict[str, set[str]] = {}

    def draw(self, id_type: str, make: Callable[[], str]) -> str:
        seen = self.seen.setdefault(id_type, set())
        while True:
            value = make()
            key = fold_identifier(value)
            if key not in seen:
                seen.add(key)
                return value


def _nhs_number(ctx: Ctx) -> str:
    while True:
        digits = [ctx.between(1 if i == 0 else 0, 9) for i in range(9)]
        check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            s = "".join(map(str, digits)) + str(check)
            return f"{s[:3]} {s[3:6]} {s[6:]}"


def write_people(ctx: Ctx) -> None:
    """Every person with their names, identifiers, contact details and warnings."""
    rng, w = ctx.rng, ctx.w
    uniq = _Unique(ctx)
    letters = "ABCDEFGHJKLMNPRSTWXYZ"

    def ident(pid: int, id_type: str, make: Callable[[], str]) -> None:
        value = uniq.draw(id_type, make)
        w.add(
            "person_identifier",
            {
                "id": w.next_id("person_identifier"),
                "person_id": pid,
                "id_type": id_type,
                "value": value,
                "folded": fold_identifier(value),
            },
        )

    for n, p in enumerate(ctx.people):
        ctx.tick("people", n, len(ctx.people))
        seen = p.first_seen or (ctx.today - timedelta(days=ctx.between(30, 2000)))
        created = datetime.combine(seen, time(ctx.between(9, 16), ctx.between(0, 59)))
        w.add(
            "person",
            {
                "id": p.id,
                "given_name": p.given,
                "family_name": p.family,
                "title": p.title,
                "date_of_birth": p.dob,
                "gender": p.gender,
                "language": p.language,
                "interpreter": p.interpreter,
                "date_of_death": p.died,
                "anonymised": False,
                "created_at": created,
                "updated_at": created,
                "updated_by_id": None,
                "version": 1,
            },
        )
        _name(ctx, p.id, "primary", p.given, p.family)
        if p.alias:
            _name(ctx, p.id, "alias", *p.alias)
        types = set(p.types)
        if types & {"OM", "UPW", "PROG"}:
            ident(p.id, "CRN", lambda: f"{ctx.pick(letters)}{ctx.between(0, 999_999):06d}")
            if rng.random() < 0.7:
                ident(
                    p.id,
                    "PNC",
                    lambda: (
                        f"{ctx.between(1995, 2025)}/{ctx.between(0, 9_999_999):07d}"
                        f"{ctx.pick(letters)}"
                    ),
                )
        if "MHC" in types:
            ident(p.id, "NHS", lambda: _nhs_number(ctx))
        if "FINE" in types:
            ident(p.id, "ACCOUNT", lambda: f"FA{ctx.between(0, 99_999_999):08d}")
        if types & {"RES", "BIS", "REG"}:
            ident(p.id, "COUNCIL", lambda: f"CT{ctx.between(0, 99_999_999):08d}")
        if types & {"FINE", "RES", "BIS"} and rng.random() < 0.6:
            ident(
                p.id,
                "NINO",
                lambda: (
                    f"{ctx.pick(NINO_PREFIXES)} {ctx.between(0, 99):02d} "
                    f"{ctx.between(0, 99):02d} {ctx.between(0, 99):02d} {ctx.pick('ABCD')}"
                ),
            )
        _contacts(ctx, p, seen)
        if not p.party_only:
            _warnings(ctx, p, created)
        ctx.audit(
            created,
            None,
            "person.create",
            "person",
            p.id,
            f"created {p.given} {p.family}",
            person_id=p.id,
        )


# The same given and family names come round again and again: their search keys once each.
_name_keys = cache(name_keys)


def _name(ctx: Ctx, person_id: int, kind: str, given: str, family: str) -> None:
    folded, sound = _name_keys(given, family)
    ctx.w.add(
        "person_name",
        {
            "id": ctx.w.next_id("person_name"),
            "person_id": person_id,
            "kind": kind,
            "given_name": given,
            "family_name": family,
            "folded": folded,
            "sound": sound,
        },
    )


def _address(ctx: Ctx, office: str) -> str:
    rng = ctx.rng
    towns, district, _ = AREAS[office]
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    unit = f"{ctx.between(1, 9)}{ctx.pick(letters)}{ctx.pick(letters)}"
    postcode = f"{district}{ctx.between(1, 9)} {unit}"
    flat = f"Flat {ctx.between(1, 12)}, " if rng.random() < 0.25 else ""
    return f"{flat}{ctx.between(1, 240)} {ctx.pick(STREET_NAMES)}, {ctx.pick(towns)} {postcode}"


def _contacts(ctx: Ctx, p: PersonInfo, since: date) -> None:
    rng, w = ctx.rng, ctx.w

    def add(
        kind: str,
        value: str,
        primary: bool = True,
        start: date | None = None,
        end: date | None = None,
    ) -> None:
        w.add(
            "person_contact",
            {
                "id": w.next_id("person_contact"),
                "person_id": p.id,
                "kind": kind,
                "value": value,
                "search_key": contact_key(kind, value),
                "is_primary": primary,
                "valid_from": start,
                "valid_to": end,
            },
        )

    if rng.random() < 0.15:
        moved = since + timedelta(days=ctx.between(1, max(1, (ctx.today - since).days)))
        moved = min(moved, ctx.today)
        add("address", _address(ctx, p.office), False, since, moved)
        add("address", _address(ctx, p.office), True, moved)
    elif rng.random() < 0.96:
        add("address", _address(ctx, p.office), True, since)
    if rng.random() < 0.9:
        add("phone", f"07700 900{ctx.between(0, 999):03d}")
    if rng.random() < 0.2:
        add("phone", f"01632 960{ctx.between(0, 999):03d}", primary=False)
    if rng.random() < 0.35:
        local = ".".join(fold(f"{p.given} {p.family}").split()) or "person"
        add("email", f"{local}{ctx.between(1, 99)}@example.com", primary=False)


def _warnings(ctx: Ctx, p: PersonInfo, created: datetime) -> None:
    rng, w = ctx.rng, ctx.w

    def add(kind: str, text: str, desk: str) -> None:
        w.add(
            "person_warning",
            {
                "id": w.next_id("person_warning"),
                "person_id": p.id,
                "kind": kind,
                "text": text,
                "desk_text": desk,
                "active": True,
                "created_at": created,
                "created_by_id": None,
                "version": 1,
            },
        )

    if p.interpreter:
        add("interpreter", f"Needs an interpreter: {p.language}", f"Interpreter: {p.language}")
    if rng.random() < 0.09:
        kind = ctx.pick(list(WARNINGS))
        text, desk = ctx.pick(WARNINGS[kind])
        add(kind, text, desk)

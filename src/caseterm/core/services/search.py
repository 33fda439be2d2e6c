"""Search: one box that understands case references, dates of birth, identifiers and names.

Names are typo-tolerant and cover aliases; accents, apostrophes and hyphens are ignored (the
candidate names and their scores are `search_names`). A restricted case the actor may not see
comes back only as "Restricted", with its reference and whom to ask.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import PermissionDeniedError, ValidationError
from caseterm.core.models import CaseFile, CaseType, Person, PersonContact, PersonIdentifier
from caseterm.core.models.vocab import CaseStatus
from caseterm.core.rules.identifiers import contact_search_keys
from caseterm.core.services import access
from caseterm.core.services.identity import Actor
from caseterm.core.services.search_names import (
    CANDIDATE_CAP,
    best_per_person,
    matched_name,
    name_candidates,
    name_order,
    names_of,
)
from caseterm.core.text import fold, fold_identifier

EXACT_SCORE = 100.0
DOB_SCORE = 90.0
QUERY_MAX = 200  # characters of the box that are looked at

# Case references: PREFIX/YEAR/NUMBER, also typed without slashes or leading zeros.
_REFERENCE = re.compile(r"^([A-Z]{1,6})[\s/\-]*((?:19|20)\d\d)[\s/\-]*(\d{1,6})$")
# Dates: UK day-first (12/04/1988, 12-4-88, 12.04.1988) or ISO (1988-04-12).
_DAY_FIRST = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4}|\d{2})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# Statuses shown first within one person's cases.
_STATUS_ORDER: dict[str, int] = {
    CaseStatus.OPEN: 0,
    CaseStatus.REFERRAL: 1,
    CaseStatus.TRANSFER_PENDING: 2,
    CaseStatus.CLOSED: 3,
    CaseStatus.ARCHIVED: 4,
}


@dataclass
class SearchHit:
    kind: str  # "case" | "person"
    person_id: int
    case_id: int | None
    reference: str | None
    name: str
    date_of_birth: date | None
    matched: str  # what matched: "name", "alias Shiv Brady", "CRN X123456", "reference"…
    score: float  # 0–100, best first
    restricted: bool = False
    ask: str = ""  # whom to ask, when restricted
    case_status: str | None = None
    case_type: str | None = None


@dataclass
class PersonMatch:
    person_id: int
    name: str
    date_of_birth: date | None
    score: float
    reasons: list[str] = field(default_factory=list)


@dataclass
class Query:
    """What the box was understood to contain."""

    reference: str | None = None
    identifier: str | None = None  # folded
    date_of_birth: date | None = None
    tokens: list[str] = field(default_factory=list)  # folded name words
    contact_keys: list[str] = field(default_factory=list)  # a postcode, phone or email


# ---------------------------------------------------------------------------- understanding


def _parse_date(value: str) -> date | None:
    """A date of birth as people type it, day first; two-digit years are never in the future."""
    value = value.strip()
    m = _ISO.match(value)
    if m:
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    else:
        m = _DAY_FIRST.match(value)
        if not m:
            return None
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        if len(m[3]) == 2:
            this_year = clock.today().year
            year += 2000 if 2000 + year <= this_year else 1900
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _impossible_day(value: str) -> bool:
    """Day and month each in range but no such day: 31/02/1990, 29/02/2023, 1990-04-31 (not
    12-34-56, which is some other number)."""
    iso, uk = _ISO.match(value), _DAY_FIRST.match(value)
    if iso:
        month, day = int(iso[2]), int(iso[3])
    elif uk:
        day, month = int(uk[1]), int(uk[2])
    else:
        return False
    return 1 <= month <= 12 and 1 <= day <= 31 and _parse_date(value) is None


def parse_reference(value: str) -> str | None:
    m = _REFERENCE.match(value.strip().upper())
    if not m:
        return None
    return f"{m[1]}/{m[2]}/{int(m[3]):06d}"


def _parse_query(raw: str) -> Query:
    raw = raw[:QUERY_MAX].strip()
    query = Query(reference=parse_reference(raw), contact_keys=contact_search_keys(raw))
    ident = fold_identifier(raw)
    if len(ident) >= 3:
        query.identifier = ident
    words = raw.split()
    for i, word in enumerate(words):
        when = _parse_date(word)
        if when is None and _impossible_day(word):
            # Written as a date but no such day (31/02/1990): say so, not "nothing found".
            raise ValidationError("date_of_birth", f"{word} is not a real date")
        if when is not None:
            query.date_of_birth = when
            words = words[:i] + words[i + 1 :]
            break
    if query.reference is None:
        query.tokens = [t for t in fold(" ".join(words)).split() if not t.isdigit()]
    return query


# ---------------------------------------------------------------------------- the search box


@dataclass
class _Found:
    """A person found, with why, and (for a reference) the one case meant."""

    score: float
    matched: str
    case_id: int | None = None
    order: str = ""  # equal scores list alphabetically, family name first


def _find(session: Session, query: Query, *, enough: int) -> dict[int, _Found]:
    found: dict[int, _Found] = {}

    def offer(person_id: int, hit: _Found) -> None:
        if person_id not in found or hit.score > found[person_id].score:
            found[person_id] = hit

    if query.reference:
        case = session.exec(select(CaseFile).where(CaseFile.reference == query.reference)).first()
        if case is not None and case.id is not None:
            offer(case.subject_id, _Found(EXACT_SCORE + 1, "reference", case.id))
    if query.identifier:
        for ident in session.exec(
            select(PersonIdentifier).where(PersonIdentifier.folded == query.identifier)
        ).all():
            offer(ident.person_id, _Found(EXACT_SCORE, f"{ident.id_type} {ident.value}"))
    if query.contact_keys:
        for person_id, kind, value in session.exec(
            select(PersonContact.person_id, PersonContact.kind, PersonContact.value)
            .where(col(PersonContact.search_key).in_(query.contact_keys))
            .order_by(col(PersonContact.valid_to).is_not(None))
            .limit(CANDIDATE_CAP)
        ).all():
            offer(person_id, _Found(EXACT_SCORE, f"{kind} {value}"))
    if query.date_of_birth and query.tokens:
        ids = _people_born(session, query.date_of_birth)
        best = best_per_person(query.tokens, names_of(session, ids))
        for person_id, (score, name) in best.items():
            if score >= 50.0:
                offer(
                    person_id,
                    _Found(
                        score, f"{matched_name(name)} and date of birth", order=name_order(name)
                    ),
                )
    elif query.date_of_birth:
        born = _people_born(session, query.date_of_birth)
        primary = {n.person_id: n for n in names_of(session, born) if n.kind == "primary"}
        for person_id in born:
            own = primary.get(person_id)
            offer(
                person_id, _Found(DOB_SCORE, "date of birth", order=name_order(own) if own else "")
            )
    elif query.tokens:
        for person_id, (score, name) in name_candidates(
            session, tokens=query.tokens, enough=enough
        ).items():
            offer(person_id, _Found(score, matched_name(name), order=name_order(name)))
    return found


def _people_born(session: Session, when: date) -> list[int]:
    rows = session.exec(
        select(Person.id)
        .where(Person.date_of_birth == when, col(Person.merged_into_id).is_(None))
        .limit(CANDIDATE_CAP)
    ).all()
    return [r for r in rows if r is not None]


def search(
    session: Session,
    actor: Actor,
    *,
    text: str,
    limit: int = 20,
    desk: bool = False,
    log_refusals: bool = False,
) -> list[SearchHit]:
    """Find people and cases from one box: a case reference, a date of birth, an identifier of
    any type, or a name (typos, aliases, accents ignored), best first; a name with a date of
    birth narrows to people born that day. Each person found gives one hit per case they are the
    subject of (open cases first), or a person hit when they have none.

    Restricted cases the actor may not see come back as "Restricted" with their reference and
    whom to ask; with `log_refusals` each such hit writes a "refused" access-log row (the caller
    commits). Staff without `case.read` (reception), or `desk=True`, get person-level hits only:
    name and date of birth, never case details; a person whose every case is hidden from the
    actor is shown as restricted."""
    if not actor.has("case.read"):
        if not actor.has("reception.desk"):
            raise PermissionDeniedError(f"{actor.login} may not search people")
        desk = True
    if limit <= 0:
        return []
    found = _find(session, _parse_query(text), enough=limit)
    if not found:
        return []
    ranked = sorted(found.items(), key=lambda item: (-item[1].score, item[1].order))[:limit]
    person_ids = [p for p, _ in ranked]
    people, cases = _people_and_cases(session, person_ids)
    hits: list[SearchHit] = []
    for person_id, why in ranked:
        person = people.get(person_id)
        if person is None:
            continue
        mine = cases.get(person_id, [])
        if why.case_id is not None:
            mine = [c for c in mine if c.id == why.case_id]
        if desk:
            hits.append(_desk_hit(session, actor, person, why, mine, log_refusals))
        elif not mine:
            hits.append(_person_hit(person, why))
        else:
            hits.extend(_case_hit(session, actor, person, why, c, log_refusals) for c in mine)
        if len(hits) >= limit:
            break
    return hits[:limit]


@dataclass
class _Person:
    id: int
    given_name: str
    family_name: str
    date_of_birth: date | None

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


@dataclass
class _Case:
    id: int
    subject_id: int
    reference: str
    status: str
    restricted: bool
    type_name: str


def _people_and_cases(
    session: Session, person_ids: list[int]
) -> tuple[dict[int, _Person], dict[int, list[_Case]]]:
    """The people found, and each one's cases as subject (open ones first, then newest), in
    one query: a row per case, or one row with no case for someone with none (a round trip
    less on PostgreSQL, where search runs on every key press at the desk)."""
    rows = session.execute(
        select_columns(
            col(Person.id),
            col(Person.given_name),
            col(Person.family_name),
            col(Person.date_of_birth),
            col(CaseFile.id),
            col(CaseFile.reference),
            col(CaseFile.status),
            col(CaseFile.restricted),
            col(CaseType.name),
        )
        .select_from(Person)
        .outerjoin(CaseFile, col(CaseFile.subject_id) == col(Person.id))
        .outerjoin(CaseType, col(CaseType.id) == col(CaseFile.case_type_id))
        .where(col(Person.id).in_(person_ids))
    ).all()
    people: dict[int, _Person] = {}
    cases: dict[int, list[_Case]] = {}
    for person_id, given, family, born, case_id, reference, status, restricted, kind in rows:
        people.setdefault(person_id, _Person(person_id, given, family, born))
        if case_id is not None:
            cases.setdefault(person_id, []).append(
                _Case(case_id, person_id, reference, status, restricted, kind)
            )
    for mine in cases.values():
        mine.sort(key=lambda c: (_STATUS_ORDER.get(c.status, 9), -c.id))
    return people, cases


def _hidden(session: Session, actor: Actor, case: _Case) -> CaseFile | None:
    """The case record when `actor` may not see it, else None."""
    if not case.restricted:
        return None
    full = session.get(CaseFile, case.id)
    return full if full is not None and not access.can_see(session, actor, full) else None


def _refuse(session: Session, actor: Actor, case: CaseFile, log_refusals: bool) -> str:
    if log_refusals and case.id is not None:
        access.log_access(session, actor, case_id=case.id, action="refused", where="search")
    return access.ask_whom(session, case)


def _person_hit(person: _Person, why: _Found) -> SearchHit:
    return SearchHit(
        kind="person",
        person_id=person.id,
        case_id=None,
        reference=None,
        name=person.full_name,
        date_of_birth=person.date_of_birth,
        matched=why.matched,
        score=why.score,
    )


def _case_hit(
    session: Session, actor: Actor, person: _Person, why: _Found, case: _Case, log_refusals: bool
) -> SearchHit:
    hidden = _hidden(session, actor, case)
    if hidden is not None:
        shown = access.shown_person(person.full_name, person.date_of_birth, hidden=True)
        return SearchHit(
            kind="case",
            person_id=person.id,
            case_id=case.id,
            reference=case.reference,
            name=shown.name,
            date_of_birth=shown.date_of_birth,
            matched="restricted case",
            score=why.score,
            restricted=True,
            ask=_refuse(session, actor, hidden, log_refusals),
        )
    return SearchHit(
        kind="case",
        person_id=person.id,
        case_id=case.id,
        reference=case.reference,
        name=person.full_name,
        date_of_birth=person.date_of_birth,
        matched=why.matched,
        score=why.score,
        case_status=case.status,
        case_type=case.type_name,
    )


def _desk_hit(
    session: Session,
    actor: Actor,
    person: _Person,
    why: _Found,
    cases: list[_Case],
    log_refusals: bool,
) -> SearchHit:
    hidden = [h for h in (_hidden(session, actor, c) for c in cases) if h is not None]
    if cases and len(hidden) == len(cases):
        asks = [_refuse(session, actor, c, log_refusals) for c in hidden]
        shown = access.shown_person(person.full_name, person.date_of_birth, hidden=True)
        return SearchHit(
            kind="person",
            person_id=person.id,
            case_id=None,
            reference=None,
            name=shown.name,
            date_of_birth=shown.date_of_birth,
            matched="restricted",
            score=why.score,
            restricted=True,
            ask=asks[0],
        )
    hit = _person_hit(person, why)
    if why.matched == "reference":
        hit.matched = "case reference"
    return hit


# ---------------------------------------------------------------------------- duplicates


def find_people(
    session: Session,
    *,
    text: str,
    date_of_birth: date | None = None,
    identifiers: Sequence[str | tuple[str, str]] = (),
    limit: int = 10,
) -> list[PersonMatch]:
    """Possible existing records for someone about to be linked or created (triage): similar
    names or aliases (typo-tolerant), the same date of birth, the same identifier. An identical
    identifier is near-certain; a similar name with the same date of birth is next."""
    tokens = [t for t in fold(text[:QUERY_MAX]).split() if not t.isdigit()]
    scores: dict[int, float] = {}
    reasons: dict[int, list[str]] = {}
    for person_id, (score, name) in name_candidates(session, tokens=tokens, enough=limit).items():
        if score >= 70.0:
            scores[person_id] = score
            label = "name" if name.kind == "primary" else "alias"
            reasons[person_id] = [f"{label} {name.given_name} {name.family_name} ({score:.0f}%)"]
    if date_of_birth is not None:
        born = _people_born(session, date_of_birth)
        best = best_per_person(tokens, names_of(session, born)) if tokens else {}
        for person_id in born:
            score = best[person_id][0] if person_id in best else 0.0
            if person_id in scores or score >= 40.0 or not tokens:
                scores[person_id] = max(scores.get(person_id, 0.0), score) * 0.7 + 30.0
                reasons.setdefault(person_id, []).append("same date of birth")
    for id_type, value in _identifier_pairs(identifiers):
        where = [col(PersonIdentifier.folded) == value]
        if id_type:
            where.append(col(PersonIdentifier.id_type) == id_type)
        for ident in session.exec(select(PersonIdentifier).where(*where)).all():
            scores[ident.person_id] = EXACT_SCORE + scores.get(ident.person_id, 0.0) / 100
            reasons.setdefault(ident.person_id, []).append(f"same {ident.id_type} {ident.value}")
    top = sorted(scores.items(), key=lambda item: -item[1])[:limit]
    people = {
        p.id: p
        for p in session.exec(select(Person).where(col(Person.id).in_([p for p, _ in top]))).all()
    }
    return [
        PersonMatch(p, people[p].full_name, people[p].date_of_birth, round(s, 1), reasons[p])
        for p, s in top
        if p in people
    ]


def _identifier_pairs(
    identifiers: Sequence[str | tuple[str, str]],
) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for item in identifiers:
        id_type, value = ("", item) if isinstance(item, str) else item
        folded = fold_identifier(value)
        if folded:
            pairs.append((id_type.upper().strip(), folded))
    return pairs

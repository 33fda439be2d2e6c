"""Search: one box that understands case references, dates of birth, identifiers and names.

Names are typo-tolerant and cover aliases; accents, apostrophes and hyphens are ignored. Each
query gathers a bounded set of candidate names with indexed lookups (SQLite: the FTS5 trigram
table `person_name_fts` and the `sound` key; elsewhere: LIKE on `folded` and the sound key),
then re-scores them with rapidfuzz. A restricted case the actor may not see comes back only as
"Restricted", with its reference and whom to ask.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import Integer, bindparam, case, column, or_
from sqlalchemy import select as select_columns
from sqlalchemy import text as sql_text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import PermissionDeniedError
from caseterm.core.models import CaseFile, CaseType, Person, PersonIdentifier, PersonName
from caseterm.core.rules.phonetic import sound_key
from caseterm.core.services import access
from caseterm.core.services.identity import Actor
from caseterm.core.text import fold, fold_identifier

CANDIDATE_CAP = 200  # names fetched per lookup before re-scoring
NAME_THRESHOLD = 62.0  # weaker name matches are noise
GOOD_SCORE = 80.0  # enough people matching this well: no fuzzier lookup is needed
EXACT_WORDS = 99.0  # every word typed is a whole word of the name
EXACT_SCORE = 100.0
DOB_SCORE = 90.0
QUERY_MAX = 200  # characters of the box that are looked at
SOUNDS_LIKE_BONUS = 15.0  # a word that sounds the same is a likelier slip…
SOUNDS_LIKE_MAX = 90.0  # …but never as good as the word itself
COMMON_GRAM = 3000  # a three-letter run in more names than this says little
NAME_WORDS_MAX = 3  # more words than this are not a name typed with a slip in it

# Case references: PREFIX/YEAR/NUMBER, also typed without slashes or leading zeros.
_REFERENCE = re.compile(r"^([A-Z]{1,6})[\s/\-]*((?:19|20)\d\d)[\s/\-]*(\d{1,6})$")
# Dates: UK day-first (12/04/1988, 12-4-88, 12.04.1988) or ISO (1988-04-12).
_DAY_FIRST = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4}|\d{2})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# Statuses shown first within one person's cases.
_STATUS_ORDER = {"open": 0, "referral": 1, "transfer_pending": 2, "closed": 3, "archived": 4}


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


# ---------------------------------------------------------------------------- understanding


def parse_date(value: str) -> date | None:
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


def parse_reference(value: str) -> str | None:
    m = _REFERENCE.match(value.strip().upper())
    if not m:
        return None
    return f"{m[1]}/{m[2]}/{int(m[3]):06d}"


def parse_query(raw: str) -> Query:
    raw = raw[:QUERY_MAX].strip()
    query = Query(reference=parse_reference(raw))
    ident = fold_identifier(raw)
    if len(ident) >= 3:
        query.identifier = ident
    words = raw.split()
    for i, word in enumerate(words):
        when = parse_date(word)
        if when is not None:
            query.date_of_birth = when
            words = words[:i] + words[i + 1 :]
            break
    if query.reference is None:
        query.tokens = [t for t in fold(" ".join(words)).split() if not t.isdigit()]
    return query


# ---------------------------------------------------------------------------- scoring


@lru_cache(maxsize=20_000)
def _sound(word: str) -> str:
    return sound_key(word)


def _word_score(q: str, n: str, *, typing: bool) -> float:
    """One typed word against one name word; `typing`: the last word, perhaps unfinished."""
    if q == n:
        return 100.0
    if len(q) == 1:
        return 88.0 if n.startswith(q) else 0.0  # an initial
    if typing and n.startswith(q):
        return 95.0
    score = float(fuzz.ratio(q, n))
    if len(q) >= 3 and _sound(q) == _sound(n):
        score = max(score, min(SOUNDS_LIKE_MAX, score + SOUNDS_LIKE_BONUS))
    return score


def name_score(tokens: Sequence[str], folded: str) -> float:
    """How well the query words match one folded name, 0–100: each word against its best name
    word (typos, sound-alikes, initials and an unfinished last word count), or the whole with
    spaces ignored; each name word left over costs a little."""
    words = folded.split()
    if not tokens or not words:
        return 0.0
    last = len(tokens) - 1
    per_word = sum(
        max(_word_score(t, w, typing=i == last) for w in words) for i, t in enumerate(tokens)
    ) / len(tokens)
    # Spaces ignored ("o neill" for "oneill"), trusted a little less than word by word.
    joined = 0.95 * float(fuzz.ratio("".join(tokens), "".join(words)))
    extra = max(0, len(words) - len(tokens))
    return max(per_word, joined) - 0.5 * extra


# ---------------------------------------------------------------------------- candidate names


@dataclass
class _Name:
    id: int
    person_id: int
    kind: str
    given_name: str
    family_name: str
    folded: str


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


_NAME_COLUMNS = (
    col(PersonName.id),
    col(PersonName.person_id),
    col(PersonName.kind),
    col(PersonName.given_name),
    col(PersonName.family_name),
    col(PersonName.folded),
)


def _names(
    session: Session, where: Iterable[Any], *, cap: int = CANDIDATE_CAP, order: Sequence[Any] = ()
) -> list[_Name]:
    query = select_columns(*_NAME_COLUMNS).where(*where)
    rows = session.execute(query.order_by(*order).limit(cap)).all()
    return [_Name(*row) for row in rows]


def _in_fts(match: str, *, ranked: bool) -> Any:
    """`person_name.id` among the first CANDIDATE_CAP rows of a full-text match (SQLite)."""
    order = " ORDER BY rank" if ranked else ""
    rowids = (
        sql_text(
            "SELECT rowid FROM person_name_fts WHERE person_name_fts MATCH :m"
            f"{order} LIMIT {CANDIDATE_CAP}"
        )
        .bindparams(m=match)
        .columns(column("rowid", Integer))
    )
    return col(PersonName.id).in_(rowids)


def _prefix_range(prefix: str) -> tuple[Any, Any]:
    """`folded` starts with `prefix`, as a range the index can use on any database."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return (col(PersonName.folded) >= prefix, col(PersonName.folded) < upper)


def _contains(session: Session, tokens: list[str]) -> list[_Name]:
    """Names containing every word (long words anywhere, short ones at a word start)."""
    long_words = [t for t in tokens if len(t) >= 3]
    short = [t for t in tokens if len(t) < 3]
    where: list[Any] = [
        col(PersonName.folded).like(f"{t}%") | col(PersonName.folded).like(f"% {t}%") for t in short
    ]
    if long_words and _is_sqlite(session):
        # Tokens are folded to [0-9a-z]: safe inside FTS5 string literals.
        where.append(_in_fts(" AND ".join(f'"{t}"' for t in long_words), ranked=False))
    elif long_words:
        where.extend(col(PersonName.folded).like(f"%{t}%") for t in long_words)
    else:
        where.extend(_prefix_range(short[0]))
    return _names(session, where)


def _sounds_like(session: Session, tokens: list[str], *, swapped: bool = False) -> list[_Name]:
    """Family names that sound like one word (or, `swapped`, like that word with two neighbouring
    letters the other way round), with a name starting like one of the other words. Without the
    trigram index (not SQLite), sharing three letters with another word is enough too, so that
    a wrong first letter of a given name is forgiven; on SQLite `_shares_trigrams` does that."""
    found: list[_Name] = []
    with_grams = not _is_sqlite(session)
    for i, word in enumerate(tokens):
        if len(word) < 3 or not word.isalpha():
            continue
        keys = {_sound(v) for v in _swaps(word)} - {_sound(word)} if swapped else {_sound(word)}
        if not keys:
            continue
        where: list[Any] = [col(PersonName.sound).in_(sorted(keys))]
        others = [t for j, t in enumerate(tokens) if j != i]
        order: list[Any] = []
        if others:
            likes = {f"{t[0]}%" for t in others}
            if with_grams:
                likes |= {f"%{g}%" for t in others for g in _grams(t)}
            where.append(or_(*(col(PersonName.folded).like(p) for p in sorted(likes))))
            # Within the cap, names starting with the other words' first two letters come first.
            starts = or_(*(col(PersonName.folded).like(f"{t[:2]}%") for t in others))
            order.append(case((starts, 0), else_=1))
        found.extend(_names(session, where, order=order))
    return found


def _grams(word: str) -> list[str]:
    return [word[i : i + 3] for i in range(len(word) - 2)]


def _swaps(word: str) -> list[str]:
    """The word with each pair of neighbouring letters exchanged (the commonest slip)."""
    out = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    out.discard(word)
    return sorted(out)


def _one_letter_off(session: Session, tokens: list[str]) -> list[_Name]:
    """Family names one letter away from a word: a letter dropped ("Wison" for Wilson), added or
    wrong, anywhere but the first. Their sound keys narrow the family names to look at (the
    sound index), which are scored here; names with the close ones are then fetched. Not for
    more than NAME_WORDS_MAX words: that is a sentence (a triage title), not a name."""
    found: list[_Name] = []
    if len(tokens) > NAME_WORDS_MAX:
        return found
    for word in (t for t in tokens if len(t) >= 4 and t.isalpha()):
        keys = {_sound(v) for v in _one_edit(word)} - {_sound(word)}
        if not keys:
            continue
        by_key = col(PersonName.sound).in_(sorted(keys))
        families = session.execute(
            select_columns(col(PersonName.family_name)).where(by_key).distinct().limit(5000)
        ).scalars()
        close = sorted({f for f in families if fuzz.ratio(word, fold(f)) >= GOOD_SCORE})
        if close:
            found.extend(_names(session, [by_key, col(PersonName.family_name).in_(close)]))
    return found


def _one_edit(word: str) -> set[str]:
    """Every spelling one letter dropped, added or changed from `word`, its first letter kept
    (the sound key keeps it anyway, and a wrong first letter is rarely the slip)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    heads_tails = [(word[:i], word[i:]) for i in range(1, len(word) + 1)]
    dropped = {h + t[1:] for h, t in heads_tails if t}
    added = {h + c + t for h, t in heads_tails for c in letters}
    changed = {h + c + t[1:] for h, t in heads_tails if t for c in letters if c != t[0]}
    return (dropped | added | changed) - {word}


def _transposed(session: Session, tokens: list[str]) -> list[_Name]:
    """Names containing every word as typed or with two neighbouring letters exchanged (SQLite:
    exact phrases in the trigram index; elsewhere: sound keys of the exchanged spellings)."""
    if not _is_sqlite(session):
        return _sounds_like(session, tokens, swapped=True)
    groups = [[t, *_swaps(t)] if len(t) >= 4 else [t] for t in tokens if len(t) >= 3]
    if not groups or all(len(g) == 1 for g in groups):
        return []
    match = " AND ".join("(" + " OR ".join(f'"{v}"' for v in group) + ")" for group in groups)
    return _names(session, [_in_fts(match, ranked=False)])


def _shares_trigrams(session: Session, tokens: list[str]) -> list[_Name]:
    """SQLite only: names sharing the most three-letter runs with a misspelt word (catches what
    the sound key and exchanged letters cannot, such as a wrong first letter). With several
    words, the others must be there as typed, which keeps the lookup small; a single word's
    commonest runs ("son") are left out, as they would only make it slow."""
    if not _is_sqlite(session):
        return []
    found: list[_Name] = []
    exact = [t for t in tokens if len(t) >= 3]
    for word in (t for t in tokens if len(t) >= 4):
        others = [f'"{t}"' for t in exact if t != word]
        grams = _grams(word) if others else _uncommon(session, _grams(word))
        fuzzy = "(" + " OR ".join(f'"{g}"' for g in grams) + ")"
        found.extend(_names(session, [_in_fts(" AND ".join([*others, fuzzy]), ranked=True)]))
    return found


def _one_word_exact(session: Session, tokens: list[str]) -> list[_Name]:
    """Names containing any one of the words as typed (a rare given name leads to "Jaspal Singh"
    however the family name was mangled)."""
    found: list[_Name] = []
    for word in (t for t in tokens if len(t) >= 3):
        where = (
            _in_fts(f'"{word}"', ranked=False)
            if _is_sqlite(session)
            else col(PersonName.folded).like(f"%{word}%")
        )
        found.extend(_names(session, [where]))
    return found


def _uncommon(session: Session, grams: list[str]) -> list[str]:
    """The runs found in fewer than COMMON_GRAM names, or the two rarest (SQLite's fts5vocab
    view of the name index, made per connection in the temp schema)."""
    try:
        session.execute(
            sql_text(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.person_name_vocab "
                "USING fts5vocab(main, 'person_name_fts', 'row')"
            )
        )
        rows = session.execute(
            sql_text(
                "SELECT term, doc FROM temp.person_name_vocab WHERE term IN :grams"
            ).bindparams(bindparam("grams", expanding=True)),
            {"grams": grams},
        ).all()
    except DBAPIError:
        return grams
    by_count = sorted((int(doc), str(term)) for term, doc in rows)
    rare = [g for doc, g in by_count if doc < COMMON_GRAM]
    return rare if len(rare) >= 2 else [g for _, g in by_count[:2]] or grams


def name_candidates(
    session: Session, tokens: list[str], *, enough: int = 20
) -> dict[int, tuple[float, _Name]]:
    """Best-scoring name per person for the query words, above the noise threshold.

    Each lookup is fuzzier and dearer than the one before: words as typed, sound-alikes,
    neighbouring letters exchanged, one letter dropped, added or wrong, shared three-letter
    runs, any one word as typed. The next runs only while fewer than `enough` people match
    well; the last three only when nobody matches well at all."""
    best: dict[int, tuple[float, _Name]] = {}
    if not tokens:
        return best

    def good(at_least: float) -> int:
        return sum(1 for s, _ in best.values() if s >= at_least)

    scores: dict[str, float] = {}
    _keep_best(best, tokens, _contains(session, tokens), scores)
    for lookup in (_sounds_like, _transposed):
        if good(EXACT_WORDS if lookup is _sounds_like else GOOD_SCORE) >= enough:
            break
        _keep_best(best, tokens, lookup(session, tokens), scores)
    else:
        if not good(GOOD_SCORE):
            _keep_best(best, tokens, _one_letter_off(session, tokens), scores)
        if not good(GOOD_SCORE):
            _keep_best(best, tokens, _shares_trigrams(session, tokens), scores)
        if not good(GOOD_SCORE) and len(tokens) > 1:
            _keep_best(best, tokens, _one_word_exact(session, tokens), scores)
    return {p: pair for p, pair in best.items() if pair[0] >= NAME_THRESHOLD}


def _best_per_person(tokens: list[str], names: Iterable[_Name]) -> dict[int, tuple[float, _Name]]:
    best: dict[int, tuple[float, _Name]] = {}
    _keep_best(best, tokens, names, {})
    return best


def _keep_best(
    best: dict[int, tuple[float, _Name]],
    tokens: list[str],
    names: Iterable[_Name],
    scores: dict[str, float],
) -> None:
    """Score each name (once per distinct spelling) and keep each person's best."""
    for name in names:
        score = scores.get(name.folded)
        if score is None:
            score = scores[name.folded] = name_score(tokens, name.folded)
        if name.kind == "primary":
            score += 0.25
        if name.person_id not in best or score > best[name.person_id][0]:
            best[name.person_id] = (score, name)


def _matched_name(name: _Name) -> str:
    if name.kind == "alias":
        return f"alias {name.given_name} {name.family_name}".strip()
    return "name"


def _order(name: _Name) -> str:
    return f"{name.family_name} {name.given_name}".casefold()


def _names_of(session: Session, person_ids: Iterable[int]) -> list[_Name]:
    ids = list(set(person_ids))
    return _names(session, [col(PersonName.person_id).in_(ids)], cap=20 * len(ids)) if ids else []


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
    if query.date_of_birth and query.tokens:
        ids = _people_born(session, query.date_of_birth)
        best = _best_per_person(query.tokens, _names_of(session, ids))
        for person_id, (score, name) in best.items():
            if score >= 50.0:
                offer(
                    person_id,
                    _Found(score, f"{_matched_name(name)} and date of birth", order=_order(name)),
                )
    elif query.date_of_birth:
        born = _people_born(session, query.date_of_birth)
        primary = {n.person_id: n for n in _names_of(session, born) if n.kind == "primary"}
        for person_id in born:
            own = primary.get(person_id)
            offer(person_id, _Found(DOB_SCORE, "date of birth", order=_order(own) if own else ""))
    elif query.tokens:
        for person_id, (score, name) in name_candidates(
            session, query.tokens, enough=enough
        ).items():
            offer(person_id, _Found(score, _matched_name(name), order=_order(name)))
    return found


def _people_born(session: Session, when: date) -> list[int]:
    rows = session.exec(
        select(Person.id).where(Person.date_of_birth == when).limit(CANDIDATE_CAP)
    ).all()
    return [r for r in rows if r is not None]


def search(
    session: Session,
    actor: Actor,
    text: str,
    *,
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
    found = _find(session, parse_query(text), enough=limit)
    if not found:
        return []
    ranked = sorted(found.items(), key=lambda item: (-item[1].score, item[1].order))[:limit]
    person_ids = [p for p, _ in ranked]
    people = _people(session, person_ids)
    cases = _cases_of(session, person_ids)
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


def _people(session: Session, person_ids: list[int]) -> dict[int, _Person]:
    rows = session.execute(
        select_columns(
            col(Person.id),
            col(Person.given_name),
            col(Person.family_name),
            col(Person.date_of_birth),
        ).where(col(Person.id).in_(person_ids))
    ).all()
    return {row[0]: _Person(*row) for row in rows}


def _cases_of(session: Session, person_ids: list[int]) -> dict[int, list[_Case]]:
    """Each person's cases as subject, open ones first, then newest."""
    rows = session.execute(
        select_columns(
            col(CaseFile.id),
            col(CaseFile.subject_id),
            col(CaseFile.reference),
            col(CaseFile.status),
            col(CaseFile.restricted),
            col(CaseType.name),
        )
        .join(CaseType, col(CaseType.id) == col(CaseFile.case_type_id))
        .where(col(CaseFile.subject_id).in_(person_ids))
    ).all()
    out: dict[int, list[_Case]] = {}
    for row in rows:
        case = _Case(*row)
        out.setdefault(case.subject_id, []).append(case)
    for mine in out.values():
        mine.sort(key=lambda c: (_STATUS_ORDER.get(c.status, 9), -c.id))
    return out


def _hidden(session: Session, actor: Actor, case: _Case) -> CaseFile | None:
    """The case record when `actor` may not see it, else None."""
    if not case.restricted:
        return None
    full = session.get(CaseFile, case.id)
    return full if full is not None and not access.can_see(session, actor, full) else None


def _refuse(session: Session, actor: Actor, case: CaseFile, log_refusals: bool) -> str:
    if log_refusals and case.id is not None:
        access.log_access(session, actor, case.id, "refused", "search")
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
        return SearchHit(
            kind="case",
            person_id=person.id,
            case_id=case.id,
            reference=case.reference,
            name="Restricted",
            date_of_birth=None,
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
        return SearchHit(
            kind="person",
            person_id=person.id,
            case_id=None,
            reference=None,
            name="Restricted",
            date_of_birth=None,
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
    text: str,
    *,
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
    for person_id, (score, name) in name_candidates(session, tokens, enough=limit).items():
        if score >= 70.0:
            scores[person_id] = score
            label = "name" if name.kind == "primary" else "alias"
            reasons[person_id] = [f"{label} {name.given_name} {name.family_name} ({score:.0f}%)"]
    if date_of_birth is not None:
        born = _people_born(session, date_of_birth)
        best = _best_per_person(tokens, _names_of(session, born)) if tokens else {}
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

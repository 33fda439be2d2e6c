"""Candidate names for the search box and for duplicate suggestions: indexed lookups, each
fuzzier and dearer than the one before, and a score for how well a name matches the words typed.

Names are typo-tolerant and cover aliases; accents, apostrophes and hyphens are ignored. Each
query gathers a bounded set of candidate names with indexed lookups (SQLite: the FTS5 trigram
table `person_name_fts` and the `sound` key; elsewhere: LIKE on `folded` and the sound key),
then re-scores them with rapidfuzz.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from string import ascii_lowercase
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import Integer, bindparam, column, or_
from sqlalchemy import select as select_columns
from sqlalchemy import text as sql_text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col

from caseterm.core.models import PersonName
from caseterm.core.rules.phonetic import sound_key
from caseterm.core.text import fold

CANDIDATE_CAP = 200  # names fetched per lookup before re-scoring
NAME_THRESHOLD = 62.0  # weaker name matches are noise
GOOD_SCORE = 80.0  # enough people matching this well: no fuzzier lookup is needed
EXACT_WORDS = 99.0  # every word typed is a whole word of the name
SOUNDS_LIKE_BONUS = 15.0  # a word that sounds the same is a likelier slip…
SOUNDS_LIKE_MAX = 90.0  # …but never as good as the word itself
COMMON_GRAM = 3000  # a three-letter run in more names than this says little
NAME_WORDS_MAX = 3  # more words than this are not a name typed with a slip in it
GRAM_POOL = 5000  # names of a sound key tested for a misspelt given name (PostgreSQL); the
# large demo's commonest key has 2,800, the extra-large one's ten times that

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


def _name_score(tokens: Sequence[str], folded: str) -> float:
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
class Name:
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
) -> list[Name]:
    query = select_columns(*_NAME_COLUMNS).where(*where)
    rows = session.execute(query.order_by(*order).limit(cap)).all()
    return [Name(*row) for row in rows]


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


def _contains(session: Session, tokens: list[str]) -> list[Name]:
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


def _sounds_like(session: Session, tokens: list[str], *, swapped: bool = False) -> list[Name]:
    """Family names that sound like one word (or, `swapped`, like that word with two neighbouring
    letters the other way round), with a name starting like one of the other words. Without the
    trigram index (not SQLite), sharing three letters with another word is enough too, so that
    a wrong first letter of a given name is forgiven; on SQLite `_shares_trigrams` does that.

    Each is a page of the (sound, family name, folded) index, whatever the number of people
    with the sound: the family names under the key are found by skipping along the index
    (`_families`), then the names starting with the other words' first two letters, then
    their first letter, each a range of the index, until CANDIDATE_CAP."""
    found: list[Name] = []
    with_grams = not _is_sqlite(session)
    for i, word in enumerate(tokens):
        if len(word) < 3 or not word.isalpha():
            continue
        keys = {_sound(v) for v in _swaps(word)} - {_sound(word)} if swapped else {_sound(word)}
        if not keys:
            continue
        by_sound = col(PersonName.sound).in_(sorted(keys))
        others = [t for j, t in enumerate(tokens) if j != i]
        if not others:
            found.extend(_names(session, [by_sound], order=_sound_order(keys)))
            continue
        families = sorted({f for _, f in _families(session, keys)})
        if families:
            found.extend(_starting_like(session, by_sound, families, others, grams=with_grams))
    return found


def _sound_order(keys: Collection[str]) -> Sequence[Any]:
    """The index's own order under one sound key (a page of it: alphabetical within a family
    name, as the results are listed); with several keys none (PostgreSQL would sort them all)."""
    if len(keys) != 1:
        return ()
    return (col(PersonName.family_name), col(PersonName.folded))


def _families(session: Session, keys: Collection[str], *, cap: int = 5000) -> list[tuple[str, str]]:
    """(sound key, family name) for every family name under the keys, found by skipping from
    one to the next along the (sound, family_name, folded) index: one probe per family name,
    however many people have it."""
    if not keys:
        return []
    ordered = sorted(keys)
    values = ", ".join(f"(:k{n})" for n in range(len(ordered)))
    sql = sql_text(
        f"WITH RECURSIVE sound_keys(k) AS (VALUES {values}), "
        "family(k, f) AS ("
        "SELECT k, (SELECT min(family_name) FROM person_name WHERE sound = sound_keys.k) "
        "FROM sound_keys "
        "UNION ALL "
        "SELECT k, (SELECT min(p.family_name) FROM person_name AS p "
        "WHERE p.sound = family.k AND p.family_name > family.f) "
        "FROM family WHERE f IS NOT NULL) "
        f"SELECT k, f FROM family WHERE f IS NOT NULL LIMIT {int(cap)}"
    ).bindparams(**{f"k{n}": k for n, k in enumerate(ordered)})
    return [(str(k), str(f)) for k, f in session.execute(sql).all()]


def _starting_like(
    session: Session,
    by_sound: Any,
    families: list[str],
    others: list[str],
    *,
    grams: bool,
    any_name: bool = False,
) -> list[Name]:
    """Up to CANDIDATE_CAP names with the sound key and one of the family names, starting with
    one of the other words' first two letters, then with its first letter (each prefix a range
    of the index); then, while still short of the cap, `grams` (PostgreSQL): containing three
    letters of another word; `any_name`: any of the family names' names, in index order."""
    by_family = col(PersonName.family_name).in_(families)
    got: dict[int, Name] = {}
    prefixes = [*sorted({t[:2] for t in others}), *sorted({t[0] for t in others})]
    for prefix in dict.fromkeys(prefixes):
        if len(got) >= CANDIDATE_CAP:
            break
        for name in _names(session, [by_sound, by_family, *_prefix_range(prefix)]):
            got.setdefault(name.id, name)
    likes = sorted({f"%{g}%" for t in others for g in _grams(t)}) if grams else []
    if likes and len(got) < CANDIDATE_CAP:
        columns, folded, where = _among(by_sound)
        where.append(or_(*(folded.like(p) for p in likes)))
        query = select_columns(*columns).where(*where).limit(CANDIDATE_CAP)
        for row in session.execute(query).all():
            got.setdefault(row[0], Name(*row))
    if any_name and len(got) < CANDIDATE_CAP:
        for name in _names(session, [by_sound, by_family]):
            got.setdefault(name.id, name)
    return list(got.values())[:CANDIDATE_CAP]


def _among(by_sound: Any) -> tuple[Sequence[Any], Any, list[Any]]:
    """(columns, folded, where) to select the names with a sound key that also match more
    conditions on `folded` (PostgreSQL): the sound key's names are read first (by its index,
    at most GRAM_POOL of them) and the conditions tested on those: left to itself the planner
    also reads the trigram index for every pattern (`t%` alone is 12,000 names in the large
    demo) and intersects, 5–20 ms a lookup instead of 1–2."""
    pool = (
        select_columns(*_NAME_COLUMNS)
        .where(by_sound)
        .limit(GRAM_POOL)
        .cte("by_sound")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    return list(pool.c), pool.c.folded, []


def _grams(word: str) -> list[str]:
    return [word[i : i + 3] for i in range(len(word) - 2)]


def _swaps(word: str) -> list[str]:
    """The word with each pair of neighbouring letters exchanged (the commonest slip)."""
    out = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    out.discard(word)
    return sorted(out)


def _one_letter_off(session: Session, tokens: list[str]) -> list[Name]:
    """Family names one letter away from a word: a letter dropped ("Wison" for Wilson), added or
    wrong, anywhere but the first. Their sound keys narrow the family names to look at (found
    by skipping along the sound index, `_families`), which are scored here; names with the
    close ones are then read a page at a time, those starting like another word typed first.
    Not for more than NAME_WORDS_MAX words: that is a sentence (a triage title), not a name."""
    found: list[Name] = []
    if len(tokens) > NAME_WORDS_MAX:
        return found
    for word in (t for t in tokens if len(t) >= 4 and t.isalpha()):
        keys = {_sound(v) for v in _one_edit(word)} - {_sound(word)}
        if not keys:
            continue
        by_key = col(PersonName.sound).in_(sorted(keys))
        families = (f for _, f in _families(session, keys))
        close = sorted({f for f in families if fuzz.ratio(word, fold(f)) >= GOOD_SCORE})
        others = [t for t in tokens if t != word]
        if close:
            found.extend(_starting_like(session, by_key, close, others, grams=False, any_name=True))
    return found


def _one_edit(word: str) -> set[str]:
    """Every spelling one letter dropped, added or changed from `word`, its first letter kept
    (the sound key keeps it anyway, and a wrong first letter is rarely the slip)."""
    heads_tails = [(word[:i], word[i:]) for i in range(1, len(word) + 1)]
    dropped = {h + t[1:] for h, t in heads_tails if t}
    added = {h + c + t for h, t in heads_tails for c in ascii_lowercase}
    changed = {h + c + t[1:] for h, t in heads_tails if t for c in ascii_lowercase if c != t[0]}
    return (dropped | added | changed) - {word}


def _transposed(session: Session, tokens: list[str]) -> list[Name]:
    """Names containing every word as typed or with two neighbouring letters exchanged (SQLite:
    exact phrases in the trigram index; elsewhere: sound keys of the exchanged spellings)."""
    if not _is_sqlite(session):
        return _sounds_like(session, tokens, swapped=True)
    groups = [[t, *_swaps(t)] if len(t) >= 4 else [t] for t in tokens if len(t) >= 3]
    if not groups or all(len(g) == 1 for g in groups):
        return []
    match = " AND ".join("(" + " OR ".join(f'"{v}"' for v in group) + ")" for group in groups)
    return _names(session, [_in_fts(match, ranked=False)])


def _shares_trigrams(session: Session, tokens: list[str]) -> list[Name]:
    """SQLite only: names sharing the most three-letter runs with a misspelt word (catches what
    the sound key and exchanged letters cannot, such as a wrong first letter). With several
    words, the others must be there as typed, which keeps the lookup small; a single word's
    commonest runs ("son") are left out, as they would only make it slow."""
    if not _is_sqlite(session):
        return []
    found: list[Name] = []
    exact = [t for t in tokens if len(t) >= 3]
    for word in (t for t in tokens if len(t) >= 4):
        others = [f'"{t}"' for t in exact if t != word]
        grams = _grams(word) if others else _uncommon(session, _grams(word))
        fuzzy = "(" + " OR ".join(f'"{g}"' for g in grams) + ")"
        found.extend(_names(session, [_in_fts(" AND ".join([*others, fuzzy]), ranked=True)]))
    return found


def _one_word_exact(session: Session, tokens: list[str]) -> list[Name]:
    """Names containing any one of the words as typed (a rare given name leads to "Jaspal Singh"
    however the family name was mangled)."""
    found: list[Name] = []
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
    session: Session, *, tokens: list[str], enough: int = 20
) -> dict[int, tuple[float, Name]]:
    """Best-scoring name per person for the query words, above the noise threshold.

    Each lookup is fuzzier and dearer than the one before: words as typed, sound-alikes,
    neighbouring letters exchanged, one letter dropped, added or wrong, shared three-letter
    runs, any one word as typed. The next runs only while fewer than `enough` people match
    well; the last three only when nobody matches well at all."""
    best: dict[int, tuple[float, Name]] = {}
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


def best_per_person(tokens: list[str], names: Iterable[Name]) -> dict[int, tuple[float, Name]]:
    best: dict[int, tuple[float, Name]] = {}
    _keep_best(best, tokens, names, {})
    return best


def _keep_best(
    best: dict[int, tuple[float, Name]],
    tokens: list[str],
    names: Iterable[Name],
    scores: dict[str, float],
) -> None:
    """Score each name (once per distinct spelling) and keep each person's best."""
    for name in names:
        score = scores.get(name.folded)
        if score is None:
            score = scores[name.folded] = _name_score(tokens, name.folded)
        if name.kind == "primary":
            score += 0.25
        if name.person_id not in best or score > best[name.person_id][0]:
            best[name.person_id] = (score, name)


def matched_name(name: Name) -> str:
    if name.kind == "alias":
        return f"alias {name.given_name} {name.family_name}".strip()
    return "name"


def name_order(name: Name) -> str:
    return f"{name.family_name} {name.given_name}".casefold()


def names_of(session: Session, person_ids: Iterable[int]) -> list[Name]:
    ids = list(set(person_ids))
    return _names(session, [col(PersonName.person_id).in_(ids)], cap=20 * len(ids)) if ids else []

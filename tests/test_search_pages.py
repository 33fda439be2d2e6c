"""Name search reads a page of its sound-alike candidates in the order results are listed,
not the first CANDIDATE_CAP names the index happens to hold: with more people sharing a family
name than the cap, the best matches are still the ones found (issue 16, how cost grows)."""

from __future__ import annotations

from itertools import product

import pytest
from sqlalchemy import text
from sqlmodel import Session

from caseterm.core.models import Person, PersonName
from caseterm.core.rules.phonetic import name_keys
from caseterm.core.services import search, search_names
from tests.factories import World

GIVEN = [a + b for a, b in product("ABCDEFGH", ["ana", "ela", "ina", "ora", "ula", "yn"])]


def _people(world: World, family: str, given: list[str]) -> None:
    """People named `given family`, written in bulk (the search reads names only)."""
    with world.db.write() as s:
        for g in given:
            person = Person(given_name=g, family_name=family)
            s.add(person)
            s.flush()
            folded, sound = name_keys(g, family)
            s.add(
                PersonName(
                    person_id=person.id or 0,
                    given_name=g,
                    family_name=family,
                    folded=folded,
                    sound=sound,
                )
            )


def _names_found(world: World, typed: str) -> list[str]:
    with world.db.read() as s:
        return [h.name for h in search.search(s, world.clerk, text=typed)]


def _bambers(world: World, *, backwards: bool = False) -> None:
    """More Bambers than the cap (five per given name, written in alphabetical order or
    `backwards`), then three Pauls."""
    given = [g for g in (reversed(GIVEN) if backwards else GIVEN) for _ in range(5)]
    assert len(given) > search_names.CANDIDATE_CAP
    _people(world, "Bamber", given)
    _people(world, "Bamber", ["Paul"] * 3)


def test_one_letter_off_finds_the_given_name_typed_among_more_than_a_page(world: World) -> None:
    _bambers(world)
    # "Baber" sounds unlike "Bamber": found as one letter off, the Pauls before the rest.
    assert _names_found(world, "Paul Baber")[:3] == ["Paul Bamber"] * 3


def test_a_misspelt_family_name_alone_lists_the_first_names_in_order(world: World) -> None:
    _bambers(world, backwards=True)
    found = _names_found(world, "Bambre")
    assert found == sorted(found)
    assert found[:5] == ["Aana Bamber"] * 5


@pytest.mark.sqlite_only
def test_sound_alike_lookups_read_a_range_of_the_index(world: World) -> None:
    """SQLite's plans: family names by skipping along the index, names as a range of it, never
    a scan of every name with the sound key."""
    with world.db.read() as s:
        plans = _plans(
            s,
            "WITH RECURSIVE family(k, f) AS (SELECT 'B516', (SELECT min(family_name) FROM "
            "person_name WHERE sound = 'B516') UNION ALL SELECT k, (SELECT min(p.family_name) "
            "FROM person_name AS p WHERE p.sound = family.k AND p.family_name > family.f) "
            "FROM family WHERE f IS NOT NULL) SELECT k, f FROM family WHERE f IS NOT NULL",
            "SELECT id FROM person_name WHERE sound IN ('B516') AND family_name IN ('Bamber') "
            "AND folded >= 'pa' AND folded < 'pb' LIMIT 200",
        )
    assert (
        "USING COVERING INDEX ix_person_name_sound_family (sound=? AND family_name>?)" in (plans[0])
    )
    assert (
        "ix_person_name_sound_family (sound=? AND family_name=? AND folded>? AND folded<?)"
        in (plans[1])
    )


def _plans(session: Session, *sql: str) -> list[str]:
    return [
        "\n".join(str(row[-1]) for row in session.execute(text(f"EXPLAIN QUERY PLAN {q}")))
        for q in sql
    ]

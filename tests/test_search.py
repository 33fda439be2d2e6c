"""The search box and duplicate suggestions, on a real SQLite file."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from caseterm.core.errors import PermissionDeniedError
from caseterm.core.models import AccessLog
from caseterm.core.services import cases, people, search, search_names
from caseterm.core.services.case_info import PersonInfo
from caseterm.core.services.identity import Actor
from tests.factories import World, close_now


def add_person(
    world: World,
    given: str,
    family: str,
    dob: date | None = None,
    *,
    aliases: list[tuple[str, str]] | None = None,
    identifiers: list[tuple[str, str]] | None = None,
    open_cases: int = 1,
) -> PersonInfo:
    with world.db.write() as s:
        person = people.create_person(
            s,
            world.clerk,
            people.PersonInput(
                given_name=given,
                family_name=family,
                date_of_birth=dob,
                aliases=aliases or [],
                identifiers=identifiers or [],
            ),
        )
        for _ in range(open_cases):
            cases.open_case(
                s, world.clerk, case_type="OM", subject_id=person.id or 0, owner_id=world.worker.id
            )
    return person


@pytest.fixture
def crowd(world: World) -> dict[str, PersonInfo]:
    """A few people with names close to each other."""
    return {
        "john": add_person(world, "John", "Smith", date(1970, 2, 1)),
        "jane": add_person(world, "Jane", "Smithson", date(1981, 6, 30)),
        "johnny": add_person(world, "Johnny", "Smithers", date(1990, 1, 1)),
        "mo": add_person(
            world, "Mohammed", "Khan", date(1975, 3, 3), identifiers=[("NINO", "AB 12 34 56 C")]
        ),
        "nocase": add_person(world, "Nora", "Casey", open_cases=0),
        "brown": add_person(world, "Kevin", "Brown", date(1970, 2, 1)),
        "wilson": add_person(world, "Wendy", "Wilson", open_cases=0),
        "parker": add_person(world, "Tanya", "Parker", open_cases=0),
        "joanne": add_person(world, "Joanne", "Smith", open_cases=0),
        "initial": add_person(world, "K", "Smith", open_cases=0),
        "jaspal": add_person(world, "Jaspal", "Singh", open_cases=0),
    }


def find(
    world: World, text: str, actor: Actor | None = None, **kw: object
) -> list[search.SearchHit]:
    with world.db.read() as s:
        return search.search(s, actor or world.clerk, text=text, **kw)  # type: ignore[arg-type]


def people_found(hits: list[search.SearchHit]) -> list[int]:
    out: list[int] = []
    for h in hits:
        if h.person_id not in out:
            out.append(h.person_id)
    return out


# ---------------------------------------------------------------------------- references


def test_reference_finds_exactly_that_case(world: World, crowd: dict[str, PersonInfo]) -> None:
    ref = world.case.reference
    prefix, year, number = ref.split("/")
    for typed in (ref, ref.lower(), f"{prefix}{year}{number}", f"om/{year}/{int(number)}"):
        hits = find(world, typed)
        assert hits, typed
        assert hits[0].case_id == world.case.id
        assert hits[0].reference == ref
        assert hits[0].matched == "reference"
        assert hits[0].name == "Siobhán O'Neill-Brady"
        assert hits[0].case_status == "open"
        assert hits[0].case_type


def test_unknown_reference_finds_nothing(world: World) -> None:
    assert find(world, "ZZ/2001/000999") == []


# ---------------------------------------------------------------------------- dates of birth


@pytest.mark.parametrize("typed", ["12/04/1988", "12-4-88", "1988-04-12", "12.04.1988"])
def test_date_of_birth_uk_day_first(world: World, typed: str) -> None:
    hits = find(world, typed)
    assert [h.person_id for h in hits] == [world.person.id]
    assert hits[0].matched == "date of birth"
    assert hits[0].date_of_birth == date(1988, 4, 12)


def test_two_digit_year_is_never_in_the_future() -> None:
    assert search._parse_date("1-2-05") == date(2005, 2, 1)
    assert search._parse_date("1-2-99") == date(1999, 2, 1)
    assert search._parse_date("31/02/1990") is None
    assert search._parse_date("4/12") is None


def test_name_and_date_of_birth_narrow_to_that_person(
    world: World, crowd: dict[str, PersonInfo]
) -> None:
    hits = find(world, "smith 01/02/1970")
    assert people_found(hits) == [crowd["john"].id]
    assert hits[0].matched == "name and date of birth"
    # Same birthday, different name: not offered.
    assert crowd["brown"].id not in people_found(hits)


# ---------------------------------------------------------------------------- identifiers


def test_identifier_of_any_type_folded(world: World, crowd: dict[str, PersonInfo]) -> None:
    for typed in ("X123456", "x 123 456", "x-123456"):
        hits = find(world, typed)
        assert hits[0].person_id == world.person.id, typed
        assert hits[0].matched == "CRN X123456"
    hits = find(world, "ab123456c")
    assert hits[0].person_id == crowd["mo"].id
    assert hits[0].matched == "NINO AB 12 34 56 C"


# ---------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    "typed", ["oneill", "O'Neill", "siobhan", "SIOBHÁN", "o neill brady", "siobhan oneil-brady"]
)
def test_names_ignore_accents_apostrophes_hyphens(world: World, typed: str) -> None:
    hits = find(world, typed)
    assert hits and hits[0].person_id == world.person.id, typed
    assert hits[0].matched == "name"


def test_alias_is_found_and_named(world: World, crowd: dict[str, PersonInfo]) -> None:
    hits = find(world, "shiv brady")
    assert hits[0].person_id == world.person.id
    assert hits[0].matched == "alias Shiv Brady"
    assert hits[0].name == "Siobhán O'Neill-Brady"


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("smyth", "john"),
        ("jonh smtih", "john"),
        ("john smith", "john"),
        ("jane smithsn", "jane"),
        ("mohamed khan", "mo"),
        ("muhammad kahn", "mo"),
        ("kohn smith", "john"),
        ("j smith", "john"),
        ("jo", "john"),
        ("wislon", "wilson"),
        ("pakrer", "parker"),
        ("tanya prker", "parker"),
        ("smiht", "john"),
        ("jaspal sigh", "jaspal"),
        ("wison", "wilson"),  # a letter dropped (sounds different: W250, not W425)
        ("wendy wilsoun", "wilson"),  # a letter added
        ("tanya parkor", "parker"),  # a letter wrong
        ("casie", "nocase"),
    ],
)
def test_names_are_typo_tolerant(
    world: World, crowd: dict[str, PersonInfo], typed: str, who: str
) -> None:
    hits = find(world, typed)
    assert crowd[who].id in people_found(hits)[:3], (typed, [h.name for h in hits])


@pytest.mark.sqlite_only
@pytest.mark.parametrize("typed", ["siobahn", "soibhan", "shiobhan"])
def test_misspelt_given_name_alone_found_by_shared_letters(world: World, typed: str) -> None:
    """SQLite's trigram index: a given name typed wrongly, with no family name to go on."""
    assert people_found(find(world, typed)) == [world.person.id]


def test_best_match_first(world: World, crowd: dict[str, PersonInfo]) -> None:
    assert people_found(find(world, "john smith"))[0] == crowd["john"].id
    assert people_found(find(world, "jonh smtih"))[0] == crowd["john"].id
    assert people_found(find(world, "kohn smith"))[0] == crowd["john"].id
    assert people_found(find(world, "joanne smith"))[0] == crowd["joanne"].id
    assert people_found(find(world, "smithson"))[0] == crowd["jane"].id


def test_unrelated_names_are_not_offered(world: World, crowd: dict[str, PersonInfo]) -> None:
    assert find(world, "zebedee quartermaine") == []


def test_person_without_cases_is_a_person_hit(world: World, crowd: dict[str, PersonInfo]) -> None:
    hits = find(world, "nora casey")
    assert len(hits) == 1
    assert hits[0].kind == "person"
    assert hits[0].case_id is None and hits[0].reference is None
    assert hits[0].person_id == crowd["nocase"].id


def test_one_hit_per_case_open_first(world: World) -> None:
    person = add_person(world, "Petra", "Quill", open_cases=3)
    with world.db.read() as s:
        mine = cases._cases_of_person(s, person.id or 0)
    with world.db.write() as s:
        close_now(s, world.clerk, mine[0].id or 0)
    hits = find(world, "petra quill")
    assert [h.kind for h in hits] == ["case", "case", "case"]
    assert {h.case_id for h in hits} == {c.id for c in mine}
    assert [h.case_status for h in hits] == ["open", "open", "closed"]


def test_limit_counts_hits(world: World) -> None:
    for i in range(12):
        add_person(world, f"Sam{chr(97 + i)}", "Testerton")
    assert len(find(world, "testerton", limit=5)) == 5
    assert len(find(world, "testerton")) == 12
    assert find(world, "testerton", limit=0) == []


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "[", "%", '"', "'", "*", "a OR b*", "NEAR(a b)", "x AND", "\x1b[2J", "_", "-", "^"],
)
def test_garbage_does_not_crash(world: World, typed: str) -> None:
    assert isinstance(find(world, typed), list)


def test_very_long_input_is_cut(world: World) -> None:
    assert isinstance(find(world, "siobhan " * 5000), list)


@pytest.mark.sqlite_only
def test_portable_sql_path_finds_the_same(
    world: World, crowd: dict[str, PersonInfo], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The LIKE/sound-key path used on PostgreSQL, exercised on SQLite."""
    monkeypatch.setattr(search_names, "_is_sqlite", lambda session: False)
    assert people_found(find(world, "oneill"))[0] == world.person.id
    assert people_found(find(world, "jonh smtih"))[0] == crowd["john"].id
    assert people_found(find(world, "shiv"))[0] == world.person.id
    assert people_found(find(world, "jo sm"))[0] == crowd["john"].id
    assert people_found(find(world, "kohn smith"))[0] == crowd["john"].id
    assert people_found(find(world, "wislon"))[0] == crowd["wilson"].id


# ---------------------------------------------------------------------------- restricted


def restrict(world: World) -> None:
    with world.db.write() as s:
        cases.restrict_case(s, world.manager, case_id=world.case.id or 0, allow=[world.manager.id])


def refusals(world: World) -> list[AccessLog]:
    with world.db.read() as s:
        return list(s.exec(select(AccessLog).where(AccessLog.action == "refused")).all())


def test_restricted_case_shows_only_reference_and_whom_to_ask(world: World) -> None:
    restrict(world)
    for typed in ("shiv brady", world.case.reference, "X123456", "12/04/1988"):
        hits = find(world, typed, actor=world.other)
        assert len(hits) == 1, typed
        hit = hits[0]
        assert hit.restricted
        assert hit.name == "Restricted"
        assert hit.date_of_birth is None
        assert "Shiv" not in hit.matched and "Brady" not in hit.matched
        assert hit.reference == world.case.reference
        assert hit.case_status is None and hit.case_type is None
        assert hit.ask == "Wendy Worker"
    # The owner and the allowed manager see it in full.
    assert find(world, "shiv brady", actor=world.worker)[0].name == "Siobhán O'Neill-Brady"
    assert not find(world, "shiv brady", actor=world.manager)[0].restricted


def test_refusals_logged_only_when_asked(world: World) -> None:
    restrict(world)
    find(world, "siobhan", actor=world.other)
    with world.db.write() as s:
        search.search(s, world.other, text="siobhan")
    assert refusals(world) == []
    with world.db.write() as s:
        search.search(s, world.other, text="siobhan", log_refusals=True)
    rows = refusals(world)
    assert [(r.staff_id, r.case_id, r.where) for r in rows] == [
        (world.other.id, world.case.id, "search")
    ]


# ---------------------------------------------------------------------------- desk


def test_reception_gets_person_hits_without_case_details(
    world: World, crowd: dict[str, PersonInfo]
) -> None:
    for actor, kw in ((world.desk, {}), (world.clerk, {"desk": True})):
        hits = find(world, "siobhan", actor=actor, **kw)
        assert len(hits) == 1
        hit = hits[0]
        assert hit.kind == "person"
        assert hit.case_id is None and hit.reference is None
        assert hit.case_status is None and hit.case_type is None
        assert hit.name == "Siobhán O'Neill-Brady"
        assert hit.date_of_birth == date(1988, 4, 12)
    hits = find(world, world.case.reference, actor=world.desk)
    assert hits[0].reference is None and hits[0].case_id is None


def test_desk_hides_a_person_whose_cases_are_all_restricted(world: World) -> None:
    restrict(world)
    with world.db.write() as s:
        hits = search.search(s, world.desk, text="siobhan", log_refusals=True)
    assert len(hits) == 1
    assert hits[0].restricted and hits[0].name == "Restricted"
    assert hits[0].date_of_birth is None
    assert hits[0].ask == "Wendy Worker"
    assert [r.where for r in refusals(world)] == ["search"]
    # A second, ordinary case makes the person known at the desk again.
    with world.db.write() as s:
        cases.open_case(s, world.clerk, case_type="OM", subject_id=world.person.id or 0)
    hits = find(world, "siobhan", actor=world.desk)
    assert not hits[0].restricted and hits[0].name == "Siobhán O'Neill-Brady"


def test_staff_without_search_rights_are_refused(world: World) -> None:
    nobody = Actor(
        id=world.clerk.id,
        login="nobody",
        name="No One",
        roles=frozenset(),
        team_id=None,
        office_id=None,
    )
    with pytest.raises(PermissionDeniedError):
        find(world, "siobhan", actor=nobody)


# ---------------------------------------------------------------------------- duplicates


def test_find_people_suggests_duplicates(world: World, crowd: dict[str, PersonInfo]) -> None:
    with world.db.read() as s:
        by_name = search.find_people(s, text="Siobhan O Neil Brady")
        by_alias = search.find_people(s, text="Shiv Bradey")
        by_dob = search.find_people(s, text="Jon Smith", date_of_birth=date(1970, 2, 1))
        by_ident = search.find_people(s, text="Somebody Else", identifiers=[("CRN", "x-123456")])
        by_bare_ident = search.find_people(s, text="", identifiers=["AB123456C"])
        nobody = search.find_people(s, text="Zebedee Quartermaine", date_of_birth=date(2001, 1, 1))
    assert by_name[0].person_id == world.person.id
    assert by_name[0].reasons[0].startswith("name Siobhán O'Neill-Brady")
    assert by_alias[0].person_id == world.person.id
    assert by_alias[0].reasons[0].startswith("alias Shiv Brady")
    assert by_dob[0].person_id == crowd["john"].id
    assert "same date of birth" in by_dob[0].reasons
    assert crowd["brown"].id not in [m.person_id for m in by_dob]  # same dob, unlike name
    assert by_ident[0].person_id == world.person.id
    assert by_ident[0].reasons == ["same CRN X123456"]
    assert by_ident[0].score >= 100
    assert by_bare_ident[0].person_id == crowd["mo"].id
    assert nobody == []


def test_find_people_date_of_birth_alone(world: World, crowd: dict[str, PersonInfo]) -> None:
    with world.db.read() as s:
        matches = search.find_people(s, text="", date_of_birth=date(1970, 2, 1))
    assert {m.person_id for m in matches} == {crowd["john"].id, crowd["brown"].id}
    assert all(m.reasons == ["same date of birth"] for m in matches)


def test_find_people_limit(world: World) -> None:
    for i in range(6):
        add_person(world, f"Ann{chr(97 + i)}", "Lookalike", open_cases=0)
    with world.db.read() as s:
        assert len(search.find_people(s, text="ann lookalike", limit=4)) == 4


def test_name_score_orders_sensibly() -> None:
    s = search_names._name_score
    assert s(["john", "smith"], "john smith") > s(["john", "smith"], "johnny smithers")
    assert s(["smyth"], "john smith") >= 80
    assert s(["zzz"], "john smith") < search_names.NAME_THRESHOLD
    assert s([], "john smith") == 0.0

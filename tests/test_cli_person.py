"""`caseterm person show|edit|verify|merge|export` and `person warning add|clear|reviews`, and
`case open --new-person` stopping at a likely existing record until `--create-anyway`."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from caseterm.core.models import Person, PersonIdentifier, PersonWarning
from tests.cli import run_cli
from tests.factories import World


def test_person_show_json_and_text(world: World, tmp_path: Path) -> None:
    pid = str(world.person.id)
    shown = run_cli(tmp_path, "person", "show", pid, "--json", db=world.db.url)
    assert shown.code == 0, shown.err
    data = shown.json()
    assert data["id"] == world.person.id and data["family_name"] == "O'Neill-Brady"
    assert [c["reference"] for c in data["cases"]] == [world.case.reference]
    assert data["identifiers"][0]["value"] == "X123456"
    text = run_cli(tmp_path, "person", "show", pid, db=world.db.url)
    assert "Alias:" in text.out and "Shiv Brady" in text.out and world.case.reference in text.out


def test_person_edit_all_or_nothing(world: World, tmp_path: Path) -> None:
    pid = str(world.person.id)
    bad = run_cli(
        tmp_path, "person", "edit", pid, "--language", "Irish",
        "--add-identifier", "NHS=943 476 5918", db=world.db.url, user="clerk",
    )  # fmt: skip
    assert bad.code != 0
    assert bad.one_error_line() == (
        "caseterm: identifier: NHS '943 476 5918': the check digit (modulus 11) should be 9, not 8"
    )
    good = run_cli(
        tmp_path, "person", "edit", pid, "--language", "Irish", "--interpreter",
        "--add-identifier", "NHS=9434765919", "--add-phone", "01772 123456",
        "--date-of-death", "01/11/2026", "--death-source", "GP letter",
        "--version", str(world.person.version), "--json", db=world.db.url, user="clerk",
    )  # fmt: skip
    assert good.code == 0, good.err
    assert good.json()["date_of_death_source"] == "GP letter"
    with world.db.read() as s:
        person = s.get(Person, world.person.id)
        nhs = s.exec(select(PersonIdentifier).where(PersonIdentifier.id_type == "NHS")).one()
    assert person is not None and (person.language, person.interpreter) == ("Irish", True)
    assert nhs.value == "943 476 5919"
    stale = run_cli(
        tmp_path, "person", "edit", pid, "--gender", "F",
        "--version", str(world.person.version), db=world.db.url, user="clerk",
    )  # fmt: skip
    assert stale.code != 0 and "changed" in stale.one_error_line()


def test_warning_add_clear_and_reviews(world: World, tmp_path: Path) -> None:
    pid = str(world.person.id)
    added = run_cli(
        tmp_path, "person", "warning", "add", pid, "--kind", "risk_to_staff",
        "--reason", "Threats", "--desk-text", "Two staff", "--review", "01/06/2099", "--json",
        db=world.db.url, user="clerk",
    )  # fmt: skip
    assert added.code == 0, added.err
    wid = added.json()["id"]
    cleared = run_cli(
        tmp_path, "person", "warning", "clear", str(wid), "--reason", "assessed", "--json",
        db=world.db.url, user="clerk",
    )  # fmt: skip
    assert cleared.code == 0 and cleared.json()["clear_reason"] == "assessed"
    with world.db.read() as s:
        warning = s.get(PersonWarning, wid)
    assert warning is not None and not warning.active and warning.cleared_by_id == world.clerk.id
    reviews = run_cli(tmp_path, "person", "warning", "reviews", "--json", db=world.db.url)
    assert reviews.code == 0 and reviews.json() == {"task_ids": [], "checked": 0}


def test_case_open_new_person_stops_at_a_likely_duplicate(world: World, tmp_path: Path) -> None:
    argv = ("case", "open", "--type", "OM", "--new-person", "Siobhan O'Neill-Brady",
            "--dob", "12/04/1988")  # fmt: skip
    refused = run_cli(tmp_path, *argv, db=world.db.url, user="clerk")
    assert refused.code != 0
    line = refused.one_error_line()
    assert line.startswith(f"caseterm: person: may already have a record: person {world.person.id}")
    assert line.endswith("add --create-anyway to create a new one")
    made = run_cli(tmp_path, *argv, "--create-anyway", "--json", db=world.db.url, user="clerk")
    assert made.code == 0 and made.json()["person_id"] != world.person.id


def test_merge_preview_then_yes(world: World, tmp_path: Path) -> None:
    made = run_cli(
        tmp_path, "case", "open", "--type", "FINE", "--new-person", "Shiv Brady",
        "--create-anyway", "--json", db=world.db.url, user="clerk",
    )  # fmt: skip
    dup = str(made.json()["person_id"])
    survivor = str(world.person.id)
    preview = run_cli(tmp_path, "person", "merge", survivor, dup, "--json", db=world.db.url,
                      user="clerk")  # fmt: skip
    assert preview.code == 0, preview.err
    assert preview.json()["moves"]["cases"] == 1 and preview.json()["merged_now"] is False
    refused = run_cli(tmp_path, "person", "merge", survivor, dup, "--yes", "--reason", "same",
                      db=world.db.url, user="worker")  # fmt: skip
    assert refused.code != 0 and "may not merge two people's records" in refused.one_error_line()
    done = run_cli(tmp_path, "person", "merge", survivor, dup, "--yes", "--reason", "same",
                   db=world.db.url, user="clerk")  # fmt: skip
    assert done.code == 0 and "merged person" in done.out
    old = run_cli(tmp_path, "person", "show", dup, "--json", db=world.db.url)
    assert old.json()["id"] == world.person.id and old.json()["asked_id"] == int(dup)
    itself = run_cli(tmp_path, "person", "merge", survivor, survivor, db=world.db.url,
                     user="clerk")  # fmt: skip
    assert itself.one_error_line() == "caseterm: merge: a person cannot be merged into themselves"

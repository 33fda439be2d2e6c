"""Hostile text through every CLI command that stores text and every CLI output.

The corpus (tests/corpus/hostile_strings.jsonl, plus 1 MB of text made here) goes into contact
notes, incoming items (summary, about, from, details), case summaries, new people's names,
saved queue names and staff names, by argument and by standard input; then out again through
`case show`, `queue show`, `queue list`, `staff list`, `search` and `diary`, as text and as JSON.
Always: no traceback, nothing on stdout or stderr a terminal would act on (C0/C1 controls, DEL,
bidi overrides), one line on stderr when refused. Accepted values come back as the plain text
that was stored: controls gone, everything else (markup, templates, SQL, RTL, emoji) literally.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from caseterm.core.storage.opening import open_database
from caseterm.core.text import for_display, strip_controls
from tests.cli_inprocess import Cli, Run
from tests.factories import World, build_world

CORPUS_FILE = Path(__file__).parent / "corpus" / "hostile_strings.jsonl"
MEGABYTE = "All work and no play. " * 47_663  # 1 MB of text


def _corpus() -> list[str]:
    lines = CORPUS_FILE.read_text(encoding="utf-8").splitlines()
    found = [json.loads(line) for line in lines if line.strip() and not line.startswith("#")]
    # Python 3.11's argparse drops an option value of exactly "--" (`--notes=--` gives ""): a
    # value a command line cannot carry, so not one for these tests.
    return [value for value in found if value != "--"]


CORPUS = _corpus()
REFUSALS = ("is required", "too long", "not valid UTF-8", "is empty", "holds bytes")


def _has_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(c) <= 0xDFFF for c in text)


def _stored(text: str, *, multiline: bool = False) -> str:
    """What a text field holds after the services clean it."""
    return strip_controls(text, multiline=multiline).strip()


def _ordinary(text: str, limit: int = 80) -> bool:
    """A value every text field must accept: something left after cleaning, not too long."""
    return not _has_surrogate(text) and 0 < len(_stored(text)) <= limit


def _check(result: Run, value: str, also: tuple[str, ...] = ()) -> bool:
    """The common verdict; True if the command accepted `value`. A refusal must be one line
    giving one of the expected reasons (REFUSALS, or `also`)."""
    result.assert_inert()
    if result.code == 0:
        assert result.err == "" or result.err.startswith("caseterm: upgraded"), result.err
        return True
    line = result.one_error_line()
    if _has_surrogate(value):
        assert result.code == 2 and "not valid UTF-8" in line, line
    else:
        assert result.code == 1, line
        assert any(reason in line for reason in REFUSALS + also), line
    return False


@pytest.fixture(scope="module")
def hostile_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    path = tmp_path_factory.mktemp("hostile") / "hostile.db"
    database = open_database(str(path)).db
    yield build_world(database)
    database.dispose()


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    return Cli(capsys, monkeypatch)


def test_the_corpus_has_the_breadth_it_claims() -> None:
    joined = "".join(CORPUS)
    for needle in ("[@click=", "\x1b]", "\x1b[", "\u202e", "\u200b", "{{", "{%", "DROP TABLE"):
        assert needle in joined, needle
    assert "\x00" in joined and "\x9b" in joined and "\ud800" in joined
    assert len(CORPUS) >= 150


def test_contact_notes(hostile_world: World, cli: Cli) -> None:
    db, ref = hostile_world.db.url, hostile_world.case.reference
    accepted: list[str] = []
    for i, value in enumerate([*CORPUS, MEGABYTE]):
        # `--notes=VALUE`, so that values like "--help" stay values; "-" reads standard input.
        result = cli(
            "contact", "add", ref, "--type", "phone_in", f"--notes={value}", "--json",
            db=db, stdin=value.encode("utf-8", "replace"),
        )  # fmt: skip
        if _check(result, value):
            assert result.json()["notes"] == _stored(value, multiline=True)
            accepted.append(value)
        elif _ordinary(value):
            pytest.fail(f"refused ordinary notes {value!r}: {result.err}")
        if i % 10 == 9:  # the case shows its latest 10 entries
            _shows_notes(cli, db, ref, accepted[-10:])
    assert len(accepted) > 120


def _shows_notes(cli: Cli, db: str, ref: str, notes: list[str]) -> None:
    shown = cli("case", "show", ref, db=db)
    shown.assert_inert()
    assert shown.code == 0, shown.err
    for value in notes:
        for line in for_display(_stored(value, multiline=True), multiline=True).splitlines():
            assert line.strip() in shown.out, (value, shown.out[-3000:])
    as_json = cli("case", "show", ref, "--json", db=db)
    as_json.assert_inert()
    kept = [c["notes"] for c in as_json.json()["contacts"]]
    assert [_stored(v, multiline=True) for v in reversed(notes)] == kept[: len(notes)]


def test_notes_from_standard_input(hostile_world: World, cli: Cli) -> None:
    db, ref = hostile_world.db.url, hostile_world.case.reference
    add = ("contact", "add", ref, "--type", "phone_in", "--notes", "-", "--json")
    for value in CORPUS:
        if _has_surrogate(value):
            continue
        result = cli(*add, db=db, stdin=value.encode("utf-8"))
        if _check(result, value):
            # (a byte-order mark opening standard input is not text: see below)
            expected = _stored(value.removeprefix("\ufeff"), multiline=True)
            assert result.json()["notes"] == expected
    # Latin-1 is refused with the offending byte, never stored as something else.
    latin1 = cli(*add, db=db, stdin="Rang from the café\n".encode("latin-1"))
    assert latin1.code == 1
    assert "standard input is not valid UTF-8 (byte 0xe9 at offset 17)" in latin1.one_error_line()
    # A byte-order mark is not part of the text.
    bom = cli(*add, db=db, stdin="\ufeffRang back".encode())
    assert bom.code == 0 and bom.json()["notes"] == "Rang back"
    huge = cli(*add, db=db, stdin=MEGABYTE.encode())
    assert huge.code == 1 and "too long" in huge.one_error_line()


def test_incoming_items_and_the_incoming_queue(hostile_world: World, cli: Cli) -> None:
    db = hostile_world.db.url
    titles: list[str] = []
    for value in CORPUS:
        result = cli(
            "incoming", "add", f"--about={value}", f"--from={value}", f"--details={value}",
            "--json", "--", "post", value, db=db, stdin=b"",
        )  # fmt: skip
        if _check(result, value):
            item = result.json()
            assert item["summary"] == _stored(value)
            assert item["about_name"] == _stored(value) and item["source"] == _stored(value)
            titles.append(_stored(value))
        elif _ordinary(value):
            pytest.fail(f"refused an ordinary summary {value!r}: {result.err}")
    page = ("queue", "show", "incoming", "--limit", "1000")
    shown = cli(*page, db=db, user="clerk")
    shown.assert_inert()
    assert shown.code == 0, shown.err
    for title in titles:
        assert for_display(title) in shown.out, title
    as_json = cli(*page, "--json", db=db, user="clerk")
    as_json.assert_inert()
    assert {i["title"] for i in as_json.json()["items"]} >= set(titles)


def test_case_summaries_and_new_people(hostile_world: World, cli: Cli) -> None:
    db = hostile_world.db.url
    for value in CORPUS[::3]:  # a third of the corpus: each case is shown twice
        result = cli(
            "case", "open", "--type", "OM", f"--new-person={value} Smith",
            f"--summary={value}", "--create-anyway", "--json", db=db, user="clerk",
        )  # fmt: skip
        if not _check(result, value, ("give the given and family names",)):
            continue
        ref = result.json()["reference"]
        shown = cli("case", "show", ref, "--json", db=db, user="clerk")
        shown.assert_inert()
        summary = _stored(value, multiline=True)  # a summary may have several lines
        assert shown.json()["summary"] == summary
        text = cli("case", "show", ref, db=db, user="clerk")
        text.assert_inert()
        if summary:
            assert f"Summary:     {for_display(summary)}" in text.out


def test_saved_queue_names(hostile_world: World, cli: Cli) -> None:
    db = hostile_world.db.url
    saved: list[str] = []
    for value in CORPUS:
        result = cli("queue", "save", "--json", "--", value, db=db)
        if _check(result, value, ("already have a queue called",)):
            assert result.json()["name"] == _stored(value)
            saved.append(_stored(value))
    listed = cli("queue", "list", "--json", db=db)
    listed.assert_inert()
    assert {q["name"] for q in listed.json()} >= set(saved)
    text = cli("queue", "list", db=db)
    text.assert_inert()
    for name in saved:
        assert for_display(name) in text.out
    # An unknown queue is refused in one line that does not list hundreds of queues.
    missing = cli("queue", "show", "\x1b[2Jnone such", db=db)
    line = missing.one_error_line()
    assert "\x1b" not in line and "more" in line and len(line) < 1500


def test_staff_names(hostile_world: World, cli: Cli) -> None:
    db = hostile_world.db.url
    for i, value in enumerate(CORPUS):
        result = cli("staff", "add", f"user{i}", f"--name={value}", db=db, user="root")
        _check(result, value)
    for args in (("staff", "list"), ("staff", "list", "--json")):
        listed = cli(*args, db=db, user="root")
        listed.assert_inert()
        assert listed.code == 0


def test_searching_for_hostile_text(hostile_world: World, cli: Cli) -> None:
    db = hostile_world.db.url
    for value in CORPUS:
        for extra in ((), ("--json",)):
            result = cli("search", *extra, "--", value, db=db)
            result.assert_inert()
            if result.code != 0:
                result.one_error_line()


def test_diary_lookups_with_hostile_text(hostile_world: World, cli: Cli) -> None:
    db = hostile_world.db.url
    for value in CORPUS[::2]:
        for option in ("--room", "--staff", "--team"):
            result = cli("diary", f"{option}={value}", db=db)
            result.assert_inert()
            if result.code != 0:
                result.one_error_line()

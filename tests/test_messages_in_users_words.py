"""Messages in the users' words (issue 17): a refused field is named by its label ("When it
happened", not "occurred_at"), a refused action by what it does ("may not read the audit
journal", not "may not audit read") with the roles that may, and a search for a date that does
not exist says so instead of "nothing found"."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from caseterm.core.errors import PermissionDeniedError, ValidationError
from caseterm.core.models.vocab import ContactType
from caseterm.core.rules.roles import CAPABILITIES, CAPABILITY_LABELS
from caseterm.core.services import contacts, search
from tests.cli import run_cli
from tests.factories import World


def test_a_refused_field_is_named_by_its_label(world: World, frozen_clock: datetime) -> None:
    with pytest.raises(ValidationError) as refused, world.db.write() as s:
        contacts.log_contact(
            s,
            world.worker,
            case_id=world.case.id or 0,
            contact_type=ContactType.PHONE_IN,
            occurred_at=frozen_clock + timedelta(days=1),
        )
    assert str(refused.value) == "When it happened: is in the future"
    assert refused.value.field == "occurred_at"  # for programs, the name in the code


def test_every_capability_has_words() -> None:
    assert set(CAPABILITY_LABELS) == set(CAPABILITIES)


def test_a_refused_action_says_what_and_who_may(world: World, tmp_path: Path) -> None:
    with pytest.raises(PermissionDeniedError) as refused:
        world.worker.require("audit.read")
    assert str(refused.value) == (
        "worker may not read the audit journal (roles: caseworker; it needs one of: checker, "
        "manager, system administrator)"
    )
    run = run_cli(tmp_path, "audit", "--day", "today", "--staff", "clerk", db=world.db.url)
    assert run.code == 1
    assert "worker may not read the audit journal" in run.one_error_line()


@pytest.mark.parametrize("typed", ["31/02/1990", "29/02/2023", "1990-04-31", "Ann 31.2.1990"])
def test_a_date_that_does_not_exist_is_named(world: World, typed: str) -> None:
    with pytest.raises(ValidationError) as refused, world.db.read() as s:
        search.search(s, world.worker, text=typed)
    day = typed.split()[-1]
    assert str(refused.value) == f"Date of birth: {day} is not a real date"


def test_numbers_that_are_not_dates_are_still_searched(world: World) -> None:
    with world.db.read() as s:
        assert search.search(s, world.worker, text="12-34-56") == []  # some other number
        assert search.search(s, world.worker, text="29/02/2024") == []  # a real day


def test_the_cli_search_says_not_a_real_date(world: World, tmp_path: Path) -> None:
    run = run_cli(tmp_path, "search", "31/02/1990", db=world.db.url)
    assert run.code == 1
    assert run.one_error_line() == "caseterm: Date of birth: 31/02/1990 is not a real date"

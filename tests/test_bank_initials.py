"""Bank statement lines matched by the payer's initials and family name ("J SMITH" is John
Smith) when the amount fits exactly one account, as a full name is; the rule is data
(`core/rules/bank_names.toml`)."""

from __future__ import annotations

from datetime import date

import pytest

from caseterm.core.rules import bank_names
from caseterm.core.services import bank_import, ledger, payment_terms
from tests.factories import World

pytestmark = pytest.mark.usefixtures("frozen_clock")  # Monday 23 November 2026


def _account(world: World, instalment: int = 2_500) -> str:
    """The world's case (Siobhán O'Neill-Brady) owing £385 at £25 a month."""
    case_id = world.case.id or 0
    with world.db.write() as s:
        ledger.add_imposition(s, world.clerk, case_id=case_id, kind="fine", amount_pence=38_500)
        payment_terms.set_terms(
            s,
            world.clerk,
            case_id=case_id,
            kind="instalments",
            first_due=date(2026, 12, 1),
            instalment_pence=instalment,
        )
    return world.case.reference


def _review(world: World, *rows: str) -> list[tuple[str, str, str]]:
    content = ("\n".join(["Date,Amount,Reference,Name", *rows]) + "\n").encode()
    with world.db.read() as s:
        review = bank_import.review_statement(s, world.clerk, content=content)
    return [(x.outcome, x.case_reference, x.matched_by) for x in review.lines]


def test_initials_and_family_name_match_when_the_amount_fits(world: World) -> None:
    ref = _account(world)
    assert _review(
        world,
        "20/11/2026,25.00,STANDING ORDER,S ONEILL-BRADY",
        "20/11/2026,385.00,FINE,O'Neill-Brady S.",
        "20/11/2026,25.00,STANDING ORDER,Ms S. O'Neill Brady",
        "20/11/2026,25.00,STANDING ORDER,T ONEILL-BRADY",  # another initial
        "20/11/2026,24.99,STANDING ORDER,S ONEILL-BRADY",  # another amount
        "20/11/2026,25.00,STANDING ORDER,S A ONEILL-BRADY",  # no second given name
    ) == [
        ("match", ref, "initials, family name and amount"),
        ("match", ref, "initials, family name and amount"),
        ("match", ref, "initials, family name and amount"),
        ("unmatched", "", ""),
        ("unmatched", "", ""),
        ("unmatched", "", ""),
    ]


def test_a_matched_line_posts_once_with_how_it_matched(world: World) -> None:
    _account(world)
    content = b"Date,Amount,Reference,Name\n20/11/2026,25.00,SO,S ONEILL-BRADY\n"
    with world.db.write() as s:
        done = bank_import.import_statement(s, world.clerk, filename="s.csv", content=content)
    assert (done.posted, done.lines[0].matched_by) == (1, "initials, family name and amount")


def test_the_rule_is_data() -> None:
    off = bank_names.load_rule("initials = false\n")
    assert bank_names.initials_form("J SMITH", off) is None
    assert bank_names.initials_form("J SMITH") == ("smith", "j")
    assert bank_names.initials_form("Smith J A") == ("smith", "ja")
    assert bank_names.initials_form("John Smith") is None
    assert bank_names.initials_form("Nobody 9") is None
    long = bank_names.load_rule("min_family_letters = 6\n")
    assert bank_names.initials_form("J SMITH", long) is None
    assert bank_names.initials_fit("ja", "john andrew")
    assert not bank_names.initials_fit("ja", "john")
    assert not bank_names.initials_fit("aj", "john andrew")

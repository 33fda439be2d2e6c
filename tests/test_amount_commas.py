"""A comma in an amount is a thousands separator and nothing else (issue 14): "12,50" was read
as £1,250.00 and "£1,2" as £12.00. Typed amounts and bank statement cells follow one rule."""

from __future__ import annotations

import pytest

from caseterm.core.errors import ValidationError
from caseterm.core.rules import bank_csv
from caseterm.core.rules.money import parse_amount, parse_signed_amount

RULE = "the decimal point is a full stop; commas go only between thousands (1,234.56)"


@pytest.mark.parametrize(
    ("text", "pence"),
    [
        ("1,234.56", 123456),
        ("12,345", 1234500),
        ("£1,234", 123400),
        ("1,000,000.01", 100000001),
        ("999", 99900),
        ("12.50", 1250),
    ],
)
def test_thousands_commas_are_read_to_the_penny(text: str, pence: int) -> None:
    assert parse_amount(text) == pence
    assert bank_csv.parse_amount(text, "line 2 amount") == pence


@pytest.mark.parametrize(
    "text", ["12,50", "1,2", "£1,2", "1,23,4", ",5", "1,", "1234,567", "1,2.50"]
)
def test_a_comma_anywhere_else_is_refused_naming_the_rule(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_amount(text, "--amount")
    assert str(caught.value) == f"--amount: {text!r} is not an amount: {RULE}"
    with pytest.raises(ValidationError) as in_file:
        bank_csv.parse_amount(text, "line 2 amount")
    assert str(in_file.value) == f"line 2 amount: {text!r} is not an amount: {RULE}"


def test_signed_and_bank_forms_keep_the_rule() -> None:
    assert parse_signed_amount("-1,234.50") == -123450
    assert bank_csv.parse_amount("(1,234.56)", "amount") is None
    assert bank_csv.parse_amount("2,500.00CR", "amount") == 250000
    with pytest.raises(ValidationError, match="commas go only between thousands"):
        parse_signed_amount("+12,50")

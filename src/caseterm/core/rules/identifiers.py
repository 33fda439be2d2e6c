"""How each type of identifier is checked: its format, and where it has one, its check digit or
letter. The rules are data (one `IdentifierRule` per type, `IDENTIFIER_RULES`), each with the
source it follows; a value breaking one is refused naming the rule (`check_identifier`).

- NHS number: ten digits, the last a modulus-11 check digit (weights 10 to 2 on the first nine;
  11 − remainder, 11 reads 0, 10 is never issued). NHS Data Dictionary, "NHS Number".
- National Insurance number: two prefix letters, six digits and a suffix A–D. HMRC never issues
  D, F, I, Q, U or V as the first letter, D, F, I, O, Q, U or V as the second, nor the prefixes
  BG, GB, KN, NK, NT, TN and ZZ (HMRC National Insurance Manual NIM39110).
- PNC number: year (two or four digits) / serial (up to seven digits) and a check letter: the
  two-digit year followed by the serial padded to seven digits, modulus 23, as a letter of
  ZABCDEFGHJKLMNPQRTUVWXY (the public HMPPS person-record service's validator).
- CRN (nDelius case reference number): one letter and six digits.
- Fines account number: optional letters, six to ten digits, an optional check letter.
- Council reference: letters and digits, 3 to 20 characters (local formats vary).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from caseterm.core.errors import ValidationError

NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
NINO_BAD_FIRST = frozenset("DFIQUV")
NINO_BAD_SECOND = frozenset("DFIOQUV")
NINO_BAD_PREFIXES = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
PNC_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY"


@dataclass(frozen=True)
class IdentifierRule:
    id_type: str
    rule: str  # what a valid value looks like, said in the refusal
    pattern: str  # on the value with spaces and hyphens removed, upper case
    example: str
    check: Callable[[str], str | None] | None = None  # returns what is wrong, or None
    # How the value is kept: the canonical form of the compact (normalised) value; without
    # one, as typed (search compares identifiers without spaces, dashes or case anyway).
    canonical: Callable[[str], str] | None = None


def _compact(value: str) -> str:
    return re.sub(r"[\s\-]", "", value).upper()


def nhs_check(compact: str) -> str | None:
    total = sum(int(d) * w for d, w in zip(compact[:9], NHS_WEIGHTS, strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    if check == 10:
        return "no NHS number has these nine digits (the check digit would be 10)"
    if int(compact[9]) != check:
        return f"the check digit (modulus 11) should be {check}, not {compact[9]}"
    return None


def nino_check(compact: str) -> str | None:
    prefix = compact[:2]
    if prefix[0] in NINO_BAD_FIRST:
        return f"HMRC never issues a number starting with {prefix[0]}"
    if prefix[1] in NINO_BAD_SECOND:
        return f"HMRC never issues {prefix[1]} as the second letter"
    if prefix in NINO_BAD_PREFIXES:
        return f"HMRC never issues the prefix {prefix}"
    return None


def pnc_parts(compact: str) -> tuple[str, str, str]:
    """(year, serial padded to 7, check letter) of a compact PNC number."""
    body, letter = compact[:-1], compact[-1]
    if "/" in body:
        year, serial = body.split("/", 1)
    else:
        year, serial = body[:-7], body[-7:]
    return year, serial.zfill(7), letter


def pnc_letter(year: str, serial: str) -> str:
    return PNC_LETTERS[int(year[-2:] + serial.zfill(7)) % 23]


def pnc_check(compact: str) -> str | None:
    year, serial, letter = pnc_parts(compact)
    expected = pnc_letter(year, serial)
    if letter != expected:
        return f"the check letter should be {expected}, not {letter}"
    return None


def _nhs_canonical(compact: str) -> str:
    return f"{compact[:3]} {compact[3:6]} {compact[6:]}"


def _nino_canonical(compact: str) -> str:
    return f"{compact[:2]} {compact[2:4]} {compact[4:6]} {compact[6:8]} {compact[8:]}"


def _pnc_canonical(compact: str) -> str:
    year, serial, letter = pnc_parts(compact)
    return f"{year}/{serial}{letter}"


IDENTIFIER_RULES: dict[str, IdentifierRule] = {
    r.id_type: r
    for r in (
        IdentifierRule(
            "NHS",
            "ten digits with a modulus-11 check digit",
            r"\d{10}",
            "943 476 5919",
            nhs_check,
            _nhs_canonical,
        ),
        IdentifierRule(
            "NINO",
            "two letters, six digits and a letter A to D",
            r"[A-Z]{2}\d{6}[A-D]",
            "AB 12 34 56 C",
            nino_check,
            _nino_canonical,
        ),
        IdentifierRule(
            "PNC",
            "year/serial and a check letter",
            r"(\d{2}|\d{4})/?\d{1,7}[A-Z]",
            "2001/0012345H",
            pnc_check,
            _pnc_canonical,
        ),
        IdentifierRule("CRN", "one letter and six digits", r"[A-Z]\d{6}", "X123456", None, str),
        IdentifierRule(
            "ACCOUNT",
            "up to two letters, 6 to 10 digits and an optional letter",
            r"[A-Z]{0,2}\d{6,10}[A-Z]?",
            "FA00012345",
        ),
        IdentifierRule("COUNCIL", "3 to 20 letters and digits", r"[A-Z0-9/]{3,20}", "CT00012345"),
    )
}


def check_identifier(id_type: str, value: str) -> str:
    """The value in its kept form, or ValidationError naming the type and the rule it broke.
    A type with no rule here is accepted as typed."""
    rule = IDENTIFIER_RULES.get(id_type)
    if rule is None:
        return value.strip()
    compact = _compact(value)
    if not re.fullmatch(rule.pattern, compact):
        raise ValidationError(
            "identifier", f"{id_type} {value.strip()!r} is not {rule.rule} (e.g. {rule.example})"
        )
    if rule.check is not None:
        wrong = rule.check(compact)
        if wrong:
            raise ValidationError("identifier", f"{id_type} {value.strip()!r}: {wrong}")
    return rule.canonical(compact) if rule.canonical else value.strip()


# ---------------------------------------------------------------------------- contact details

# A UK postcode anywhere in an address: outward code, optional space, inward code.
POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b", re.IGNORECASE)


def phone_key(value: str) -> str:
    """A phone number as digits, with +44 / 0044 read as the leading 0."""
    digits = re.sub(r"\D", "", value)
    if digits.startswith("0044"):
        digits = "0" + digits[4:]
    elif digits.startswith("44") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits


def contact_key(kind: str, value: str) -> str:
    """What search compares an address (its postcode), phone number or email address by."""
    if kind == "address":
        found = POSTCODE.findall(value)
        return (found[-1][0] + found[-1][1]).upper() if found else ""
    if kind == "phone":
        return phone_key(value)
    if kind == "email":
        return value.strip().lower()[:120]
    return ""


def contact_search_keys(raw: str) -> list[str]:
    """What a search box holding an email address, a whole postcode or a phone number is
    looked up by (see contact_key); [] for anything else."""
    raw = raw.strip()
    if "@" in raw and " " not in raw:
        return [contact_key("email", raw)]
    whole = POSTCODE.fullmatch(raw.upper())
    if whole:
        return [whole[1] + whole[2]]
    if re.fullmatch(r"\+?[\d\s()\-]{6,20}", raw):
        digits = phone_key(raw)
        return [digits] if len(digits) >= 6 else []
    return []

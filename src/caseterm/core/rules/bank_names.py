"""How a bank statement's payer name is matched to a person's: as written or family name first
(`bank_match`), or by initials and family name ("J SMITH" is John Smith, "SMITH J A" is John
Andrew Smith). The rule is data with defaults (bank_names.toml). Pure functions over strings."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from caseterm.core.errors import ValidationError
from caseterm.core.text import fold

RULE_FILE = Path(__file__).with_name("bank_names.toml")


@dataclass(frozen=True)
class NameRule:
    initials: bool = True
    min_family_letters: int = 2
    titles: frozenset[str] = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "rev", "sir"})


def load_rule(text: str) -> NameRule:
    data = tomllib.loads(text)
    rule = NameRule(
        initials=bool(data.get("initials", True)),
        min_family_letters=int(data.get("min_family_letters", 2)),
        titles=frozenset(fold(str(t)) for t in data.get("titles", NameRule().titles)),
    )
    if rule.min_family_letters < 1:
        raise ValidationError("bank name rule", "min_family_letters must be at least 1")
    return rule


@cache
def name_rule() -> NameRule:
    """The shipped rule."""
    return load_rule(RULE_FILE.read_text(encoding="utf-8"))


def words_of(name: str, rule: NameRule | None = None) -> list[str]:
    """A payer's name folded into words, titles left out."""
    rule = rule or name_rule()
    return [w for w in fold(name).split() if w not in rule.titles]


def initials_form(name: str, rule: NameRule | None = None) -> tuple[str, str] | None:
    """(family name, initials) of a payer written with initials: "J SMITH" → ("smith", "j"),
    "SMITH J A" → ("smith", "ja"), "J.A. Smith" → ("smith", "ja"); None when the name is not
    written that way (no initial, or no family name as long as the rule asks) or the rule is
    off. A family name of several words keeps them ("S ONEILL-BRADY" → ("oneill brady", "s"))."""
    rule = rule or name_rule()
    if not rule.initials:
        return None
    words = words_of(name, rule)
    if not all(w.isalpha() for w in words):
        return None  # "Nobody 9", "CARD 1234": not a name written with initials
    initials = [w for w in words if len(w) == 1]
    family = " ".join(w for w in words if len(w) > 1)
    if not initials or len(family.replace(" ", "")) < rule.min_family_letters:
        return None
    return family, "".join(initials)


def initials_fit(initials: str, given: str) -> bool:
    """The given names (folded) begin with these initials, in order: "j" fits "john" and "john
    andrew", "ja" fits "john andrew" but not "john" or "andrew john"."""
    names = given.split()
    return (
        bool(initials)
        and len(initials) <= len(names)
        and all(n.startswith(i) for i, n in zip(initials, names, strict=False))
    )

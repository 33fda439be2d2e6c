"""The fixed words of a letter's letterhead and page, per language (data: letterhead.toml): the
word before the office's telephone number ("Tel.", in Welsh "Ffôn"), the word before the page
number, and the language tag the files are marked with. A letter in a language the file does not
list is printed with the English words."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LETTERHEAD_FILE = Path(__file__).with_name("letterhead.toml")
DEFAULT_LANGUAGE = "en"
_KEYS = ("phone", "page", "lang")


@dataclass(frozen=True)
class LetterheadWords:
    language: str
    phone: str  # before the office's telephone number
    page: str  # before the page number
    lang: str  # the language tag of the file, e.g. "cy-GB"


def load_letterheads(text: str) -> dict[str, LetterheadWords]:
    """The letterhead words of every language in `text` (letterhead.toml's format); a language
    missing a word, or a file with no English, is refused naming what is missing."""
    data = tomllib.loads(text)
    words: dict[str, LetterheadWords] = {}
    for language, entry in data.items():
        missing = [k for k in _KEYS if not str(entry.get(k, "")).strip()]
        if missing:
            raise ValueError(f"letterhead [{language}] has no {', '.join(missing)}")
        words[language] = LetterheadWords(
            language, str(entry["phone"]), str(entry["page"]), str(entry["lang"])
        )
    if DEFAULT_LANGUAGE not in words:
        raise ValueError(f"letterhead words have no [{DEFAULT_LANGUAGE}]")
    return words


@cache
def letterheads() -> dict[str, LetterheadWords]:
    """The shipped letterhead words, by language."""
    return load_letterheads(LETTERHEAD_FILE.read_text(encoding="utf-8"))


def letterhead_words(language: str) -> LetterheadWords:
    """The words for a letter in `language` (English when the language has none)."""
    table = letterheads()
    return table.get((language or "").strip().lower(), table[DEFAULT_LANGUAGE])

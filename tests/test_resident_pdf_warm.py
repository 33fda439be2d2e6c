"""The resident server warms the PDF engine once, and only after it served a letter command
(cli/resident/warming.py): a server whose user never makes letters never pays for it; warming
starts no thread (the server forks its children after it)."""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterator

import pytest

from caseterm.cli.resident.warming import Warmer
from caseterm.core import letter_files


def _request(*argv: str) -> dict[str, object]:
    return {"argv": ["--db", "sqlite:////tmp/x.db", *argv], "env": {}, "cwd": "/"}


@pytest.fixture
def unfrozen() -> Iterator[None]:
    yield
    gc.unfreeze()  # warming freezes what it made, as the server wants


def test_only_a_letter_command_asks_for_the_pdf_engine(unfrozen: None) -> None:
    warmer = Warmer()
    warmer.note([], _request("case", "show", "OM/2026/1"), 0)
    warmer.note([], _request("search", "letter"), 0)
    assert not warmer.pdf_due
    warmer.note([], _request("letter", "show", "12", "--pdf", "a.pdf"), 1)  # even one refused
    assert warmer.pdf_due
    threads = (threading.active_count(), len(os.listdir("/proc/self/task")))
    warmer.warm_pdf()
    assert not warmer.pdf_due and warmer.pdf_warm and letter_files.pdf_engine_warm()
    assert (threading.active_count(), len(os.listdir("/proc/self/task"))) == threads
    warmer.note([], _request("letters", "print", "--out", "p.pdf"), 0)
    assert not warmer.pdf_due  # once per server

"""Running `caseterm` inside the test process: `main(argv)` with captured output, as a given
user, with given bytes on standard input. Shared by the walk, hostile-text and start-up tests."""

from __future__ import annotations

import io
import json
import re
import sys
from dataclasses import dataclass
from typing import Any

import pytest

from caseterm.cli.main import main

# What must never reach a terminal raw: C0 controls other than newline and tab, DEL, C1
# controls, and the bidirectional embeddings, overrides and isolates.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    def one_error_line(self) -> str:
        """The single line a failing command printed on stderr (and proof there was no more)."""
        assert "Traceback" not in self.err, self.err
        lines = self.err.splitlines()
        assert len(lines) == 1, self.err[:2000]
        assert lines[0].startswith("caseterm: "), lines[0]
        return lines[0]

    def assert_inert(self) -> None:
        """Nothing on stdout or stderr a terminal would act on, and no traceback."""
        assert "Traceback" not in self.err, self.err[:2000]
        for name, text in (("stdout", self.out), ("stderr", self.err)):
            found = RAW_CONTROL.search(text)
            assert found is None, f"raw {found.group()!r} on {name}: {text[:500]!r}"


class Cli:
    """`cli("case", "show", ref)`: main() in this process, as `user`, on `db`."""

    def __init__(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        self.capsys = capsys
        self.monkeypatch = monkeypatch

    def __call__(
        self,
        *args: str,
        db: str | None = None,
        user: str = "worker",
        stdin: bytes | None = None,
    ) -> Run:
        self.monkeypatch.setenv("CASETERM_USER", user)
        if stdin is not None:
            self.monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        argv = (["--db", db] if db is not None else []) + list(args)
        self.capsys.readouterr()
        code = main(argv)
        out, err = self.capsys.readouterr()
        return Run(code, out, err)

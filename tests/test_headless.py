"""The core never imports Textual: checked in a fresh interpreter over every core module."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import importlib, pkgutil, sys
import caseterm.core as core
for m in pkgutil.walk_packages(core.__path__, "caseterm.core."):
    if ".migrations.versions." in m.name or m.name.endswith("migrations.env"):
        continue
    importlib.import_module(m.name)
bad = sorted(n for n in sys.modules if n == "textual" or n.startswith("textual."))
print(",".join(bad) or "clean")
print(len([n for n in sys.modules if n.startswith("caseterm.core.")]))
"""


def test_core_does_not_import_textual() -> None:
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True)
    verdict, count = out.stdout.split()
    assert verdict == "clean"
    assert int(count) > 20  # the walk really imported the core

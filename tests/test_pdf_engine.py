"""WeasyPrint is imported without the C library search it does not need (`core/pdf_engine`):
no subprocess is started by the first PDF of a process, and `ctypes.util.find_library` answers
"not found" only to the importing thread, only for the PDF libraries' names, only meanwhile."""

from __future__ import annotations

import ctypes.util
import os
import subprocess
import sys
import threading
from pathlib import Path

from caseterm.core import pdf_engine

SRC = Path(__file__).resolve().parents[1] / "src"

COUNT_FIRST_PDF = """
import subprocess
started = []
real = subprocess.Popen.__init__
def counting(self, *args, **kwargs):
    started.append(args[0] if args else kwargs.get("args"))
    real(self, *args, **kwargs)
subprocess.Popen.__init__ = counting
import ctypes.util
before = ctypes.util.find_library
from caseterm.core.letter_files import LetterPage, pdf_bytes
data = pdf_bytes([LetterPage("Preston", "1 High St", "OM/1", "Letter", "Dear Ann")])
assert data.startswith(b"%PDF-"), data[:10]
assert ctypes.util.find_library is before
print(len(started), started)
"""


def test_the_first_pdf_of_a_process_starts_no_subprocess() -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-c", COUNT_FIRST_PDF],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("0 []"), done.stdout


def test_the_search_is_skipped_only_for_the_importing_thread_and_the_pdf_libraries() -> None:
    real = ctypes.util.find_library
    others: list[str | None] = []
    with pdf_engine._no_library_search(threading.get_ident()):
        assert ctypes.util.find_library("pango-1.0") is None
        assert ctypes.util.find_library("libharfbuzz-vector-0") is None
        assert ctypes.util.find_library("c") == real("c")
        other = threading.Thread(
            target=lambda: others.append(ctypes.util.find_library("pango-1.0"))
        )
        other.start()
        other.join()
    assert ctypes.util.find_library is real
    assert others == [real("pango-1.0")] and others[0]  # another thread: the real search


def test_the_pdf_libraries_open_by_their_file_names_here() -> None:
    assert pdf_engine._files_open()  # else the import falls back to the real search

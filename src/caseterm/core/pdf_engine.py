"""Importing the PDF library (WeasyPrint) without the library search it does not need.

WeasyPrint opens Pango, HarfBuzz, fontconfig and GObject by trying several names for each
("libgobject-2.0-0", "gobject-2.0-0", "gobject-2.0", then the Linux file name
"libgobject-2.0.so.0"). cffi hands every name it cannot open directly to
`ctypes.util.find_library`, which on Linux runs `ldconfig -p`, then gcc and ld, as subprocesses:
about fifty of them on each first import, most for names that do not exist (and for the optional
HarfBuzz vector library, which is often not installed at all). That was 250-350 ms of CPU and
0.4-1 s of wall time of every new process's first PDF (benchmarks/results.md, branch letters3).

When the libraries open directly by their Linux file names (checked first, with `ctypes.CDLL`,
which is what WeasyPrint ends up opening anyway), the import runs with `find_library` answering
"not found" at once for those libraries' names, so cffi goes straight on to the file names.
Any other name, any other thread's call and any system where the file names do not open get the
real `find_library`."""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from types import ModuleType

# The file names WeasyPrint opens on Linux (its `text/ffi.py`), required ones only.
LINUX_FILES = (
    "libgobject-2.0.so.0",
    "libpango-1.0.so.0",
    "libharfbuzz.so.0",
    "libfontconfig.so.1",
    "libpangoft2-1.0.so.0",
)
# What every name WeasyPrint tries for them contains.
LIBRARY_STEMS = ("gobject", "pango", "harfbuzz", "fontconfig")

_IMPORT_LOCK = threading.Lock()


def _files_open() -> bool:
    try:
        for name in LINUX_FILES:
            ctypes.CDLL(name)
    except OSError:
        return False
    return True


@contextmanager
def _no_library_search(thread: int) -> Iterator[None]:
    real = ctypes.util.find_library

    def find_library(name: str) -> str | None:
        if threading.get_ident() == thread and any(s in name.lower() for s in LIBRARY_STEMS):
            return None
        return real(name)

    setattr(ctypes.util, "find_library", find_library)  # noqa: B010 (replaced for the import)
    try:
        yield
    finally:
        setattr(ctypes.util, "find_library", real)  # noqa: B010


@cache
def load_weasyprint() -> ModuleType:
    """WeasyPrint, imported once per process (see the module docstring)."""
    with _IMPORT_LOCK:
        if _files_open():
            with _no_library_search(threading.get_ident()):
                import weasyprint
        else:
            import weasyprint
    module: ModuleType = weasyprint
    return module

"""Starting caseterm in another process with the test's clock.

caseterm itself reads only the real time (anyone could otherwise set audit timestamps). A test
that runs the program in a subprocess or in tmux starts it through this file instead:

    [sys.executable, str(LAUNCH), "--db", url, "case", "show", ref]   with CASETERM_TEST_CLOCK set

which freezes the clock at that ISO time and then runs the real `caseterm` entry point. This file
lives in the test tree and is never installed.

    [sys.executable, str(LAUNCH), RESIDENT_SERVER, key]   with CASETERM_TEST_CLOCK set

starts a resident server (caseterm.cli.resident.server) with the clock frozen the same way: the
children it forks (commands, the workstation) inherit it. Its key is computed as the client's
(`client.server_key()` leaves out the script's own folder), so `python -m caseterm` finds it.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

LAUNCH = Path(__file__).resolve()
CLOCK_ENV = "CASETERM_TEST_CLOCK"
RESIDENT_SERVER = "--resident-server"


def clock_env(at: datetime) -> dict[str, str]:
    """The environment entry that freezes a launched process's clock at `at`."""
    return {CLOCK_ENV: at.isoformat()}


def frozen_prelude(at: datetime) -> str:
    """Python source to put before a `python -c` script so that its clock reads `at`."""
    return (
        "from datetime import datetime as _dt\n"
        "from caseterm.core import clock as _clock\n"
        f"_clock.freeze(_dt.fromisoformat({at.isoformat()!r}))\n"
    )


def _main() -> int:
    from caseterm.cli.main import main
    from caseterm.core import clock

    raw = os.environ.get(CLOCK_ENV)
    if raw:
        clock.freeze(datetime.fromisoformat(raw))
    if sys.argv[1:2] == [RESIDENT_SERVER]:
        from caseterm.cli.resident import server

        return server.main(sys.argv[2:])
    return main(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(_main())

"""Steps the money journeys share, on their copy of the demo (tests/e2e/demo.py): the demo's
fines accounts to pick one from, and opening a case's Account section from the queues."""

from __future__ import annotations

from sqlmodel import col, select

from caseterm.core.models import CaseFile, CaseType
from caseterm.core.services import accounts
from caseterm.core.services.accounts import AccountView
from caseterm.core.storage.database import Database
from tests.e2e.demo import open_case
from tests.e2e.tmux import Terminal


def fines_accounts(db: Database) -> list[AccountView]:
    """The accounts of the demo's open fines cases that are not restricted, in case order."""
    with db.read() as s:
        fines = s.exec(
            select(CaseFile)
            .join(CaseType, col(CaseType.id) == col(CaseFile.case_type_id))
            .where(CaseType.code == "FINE", CaseFile.status == "open")
            .where(col(CaseFile.restricted).is_(False))
            .order_by(col(CaseFile.id))
        ).all()
        views = [accounts.build_view(s, case) for case in fines]
    return [v for v in views if v is not None]


def open_account(term: Terminal, reference: str, *shown: str) -> None:
    """From the queues: `/`, the reference, enter (the case), `8` (its Account section); waits
    until the section shows `shown` (its "Stage:" line if nothing is named)."""
    open_case(term, reference)
    term.keys("8")
    term.wait_for(*(shown or ("Stage:",)))

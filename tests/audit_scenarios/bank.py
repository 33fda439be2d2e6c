"""Bank statements (import, column profiles) and the banking against the cash-up."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from caseterm.core.services import bank_import, banking, ledger
from tests.audit_scenarios import audited, reads
from tests.factories import World

reads("bank_import", "list_profiles", "review_statement", "check_file_size")
reads("bank_match", "match_lines")
reads("banking", "parse_banked", "reconciliation")


def _account(w: World) -> str:
    with w.db.write() as s:
        ledger.add_imposition(s, w.clerk, case_id=w.case.id or 0, kind="fine", amount_pence=5_000)
    return w.case.reference


@audited("bank_import", "save_profile", "bank.profile")
def _profile(s: Session, w: World, _: Any) -> None:
    bank_import.save_profile(
        s, w.clerk, name="Lloyds", mapping="date=Date,amount=Credit,reference=Ref"
    )


@audited("bank_import", "import_statement", "bank.import", _account)
def _import(s: Session, w: World, reference: str) -> None:
    content = f"Date,Amount,Reference\n20/11/2026,12.00,{reference}\n".encode()
    bank_import.import_statement(s, w.clerk, filename="s.csv", content=content)


@audited("banking", "record_banking", "bank.banked")
def _banked(s: Session, w: World, _: Any) -> None:
    banking.record_banking(s, w.clerk, day=date(2026, 11, 20), banked={"cash": 1_000})

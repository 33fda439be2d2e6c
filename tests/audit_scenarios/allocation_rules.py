"""A case type's allocation order, set by a system administrator (issue 14)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from caseterm.core.services import case_rules
from tests.audit_scenarios import audited
from tests.factories import World


@audited("case_rules", "set_allocation_order", "case_type.allocation_order")
def _set_allocation_order(s: Session, w: World, _: Any) -> None:
    case_rules.set_allocation_order(s, w.admin, case_type="FINE", order="fine,costs")

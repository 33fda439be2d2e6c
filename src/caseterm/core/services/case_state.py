"""Where a case is in its lifecycle, for the case header: the closure under way (how many of
its steps are left), the transfer waiting for the receiving office, and where the paper file
is now. One read, no writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from caseterm.core.models import CaseFile, FileLocation
from caseterm.core.models.vocab import StepState
from caseterm.core.services import case_closure, case_transfer, file_location
from caseterm.core.services.access import ensure_can_see
from caseterm.core.services.common import get
from caseterm.core.services.identity import Actor


@dataclass(frozen=True)
class LifecycleState:
    closing_reason: str | None  # the label of the closure under way, None when none
    steps_left: int  # its steps neither ticked nor waived
    steps_total: int
    mandatory_left: int  # of those, the ones the case cannot close without
    transfer_to: str | None  # the office a pending transfer waits on, None when none
    transfer_team: str | None
    acknowledge_by: date | None
    file_location: str | None  # where the paper file is now, None when never recorded
    file_location_kind: str | None = None


def lifecycle_state(session: Session, actor: Actor, *, case_id: int) -> LifecycleState:
    actor.require("case.read")
    case = get(session, CaseFile, case_id, "case")
    ensure_can_see(session, actor, case, "case")
    closing = case_closure.closure_in_progress(session, case)
    transfer = case_transfer.pending_transfer(session, case_id)
    transfer_info = case_transfer.transfer_info(session, transfer, case) if transfer else None
    row = session.exec(
        select(FileLocation)
        .where(FileLocation.case_id == case_id)
        .order_by(col(FileLocation.id).desc())
        .limit(1)
    ).first()
    where = file_location.location_info(session, row) if row is not None else None
    pending = [s for s in closing.steps if s.state == StepState.PENDING] if closing else []
    return LifecycleState(
        closing_reason=closing.reason_label if closing else None,
        steps_left=len(pending),
        steps_total=len(closing.steps) if closing else 0,
        mandatory_left=sum(1 for s in pending if s.mandatory),
        transfer_to=transfer_info.to_office if transfer_info else None,
        transfer_team=transfer_info.to_team if transfer_info else None,
        acknowledge_by=transfer_info.acknowledge_by if transfer_info else None,
        file_location=where.describe() if where else None,
        file_location_kind=where.kind if where else None,
    )

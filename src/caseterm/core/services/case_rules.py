"""The case lifecycle's rules per case type, as an administrator sees and changes them: the
closure reasons with their steps (from the rules file: shipped defaults with the config file's
`case_rules` laid over them) and the working days to acknowledge a transfer (the case type's
`transfer_ack_days`, changed here with an audit event)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from caseterm.core.errors import NotFoundError, ValidationError
from caseterm.core.models import CaseType
from caseterm.core.rules import case_lifecycle as rules
from caseterm.core.rules.money import (
    allocation_order,
    check_allocation_order,
    full_allocation_order,
)
from caseterm.core.services import audit
from caseterm.core.services.identity import Actor


@dataclass(frozen=True)
class StepRow:
    code: str
    label: str
    mandatory: bool
    action: str


@dataclass(frozen=True)
class ReasonRow:
    code: str
    label: str
    needs_date_of_death: bool
    steps: tuple[StepRow, ...]


@dataclass(frozen=True)
class CaseTypeRules:
    case_type: str
    name: str
    transfer_ack_days: int
    reasons: tuple[ReasonRow, ...]
    rules_file: str  # the administrator's file laid over the defaults, "" when none
    # The order a payment is allocated across impositions, every kind (rules/money.py).
    allocation_order: tuple[str, ...] = ()


def _row(ct: CaseType) -> CaseTypeRules:
    override = rules.current_rules().override
    return CaseTypeRules(
        case_type=ct.code,
        name=ct.name,
        transfer_ack_days=ct.transfer_ack_days,
        reasons=tuple(
            ReasonRow(
                r.code,
                r.label,
                r.needs_date_of_death,
                tuple(StepRow(s.code, s.label, s.mandatory, s.action) for s in r.steps),
            )
            for r in rules.closure_reasons(ct.code)
        ),
        rules_file=str(override) if override else "",
        allocation_order=full_allocation_order(allocation_order(ct.allocation_order)),
    )


def _case_type(session: Session, code: str) -> CaseType:
    ct = session.exec(select(CaseType).where(CaseType.code == code.strip().upper())).first()
    if ct is None:
        raise NotFoundError("case type", code)
    return ct


def list_case_rules(session: Session, actor: Actor) -> list[CaseTypeRules]:
    """Every active case type's closure reasons and transfer acknowledgement days."""
    actor.require("case.read")
    found = session.exec(
        select(CaseType).where(col(CaseType.active).is_(True)).order_by(col(CaseType.code))
    ).all()
    return [_row(ct) for ct in found]


def show_case_rules(session: Session, actor: Actor, *, case_type: str) -> CaseTypeRules:
    actor.require("case.read")
    return _row(_case_type(session, case_type))


def set_transfer_ack_days(
    session: Session, actor: Actor, *, case_type: str, days: int
) -> CaseTypeRules:
    """Change how many working days a receiving office has to acknowledge a transfer of this
    case type before the sending office is reminded (system administrators)."""
    actor.require("rules.admin")
    if not 1 <= days <= rules.MAX_TRANSFER_ACK_DAYS:
        raise ValidationError(
            "transfer_ack_days",
            f"must be between 1 and {rules.MAX_TRANSFER_ACK_DAYS} working days, not {days}",
        )
    ct = _case_type(session, case_type)
    before = {"transfer_ack_days": ct.transfer_ack_days}
    ct.transfer_ack_days = days
    session.add(ct)
    session.flush()
    audit.record(
        session,
        actor,
        "case_type.transfer_ack_days",
        "case_type",
        ct.id,
        summary=f"{ct.code}: a transfer is to be acknowledged within {days} working days",
        before=before,
        after={"transfer_ack_days": days},
    )
    return _row(ct)


def set_allocation_order(
    session: Session, actor: Actor, *, case_type: str, order: str
) -> CaseTypeRules:
    """Change the order payments on this case type's accounts are allocated across the
    impositions ("compensation,victim_surcharge,costs,fine"; kinds not named come after those
    named). The balance is replayed from the ledger, so the order applies to the account's
    whole ledger (system administrators)."""
    actor.require("rules.admin")
    kinds = check_allocation_order(order)
    ct = _case_type(session, case_type)
    before = {"allocation_order": ct.allocation_order}
    ct.allocation_order = ",".join(kinds)
    session.add(ct)
    session.flush()
    audit.record(
        session,
        actor,
        "case_type.allocation_order",
        "case_type",
        ct.id,
        summary=f"{ct.code}: payments allocated {' > '.join(full_allocation_order(kinds))}",
        before=before,
        after={"allocation_order": ct.allocation_order},
    )
    return _row(ct)

"""The case lifecycle's rules of the trade, as data with defaults: the roles another person may
have on a case, how two cases relate, where a paper file may be, how long a receiving office
has to acknowledge a transfer, and the reasons a case may close with the steps each needs.

Keys are stored; labels are shown. A case type that is not named in `CLOSURE_REASONS_BY_TYPE`
uses `DEFAULT_CLOSURE_REASONS`; the number of working days to acknowledge a transfer is the case
type's `transfer_ack_days` column (default `DEFAULT_TRANSFER_ACK_DAYS`)."""

from __future__ import annotations

from dataclasses import dataclass

from caseterm.core.models.vocab import FileLocationKind

PARTY_ROLES: dict[str, str] = {
    "responsible_clinician": "Responsible clinician",
    "social_supervisor": "Social supervisor",
    "solicitor": "Solicitor",
    "employer": "Employer",
    "victim_liaison": "Victim liaison officer",
    "victim": "Victim",
    "police": "Police",
    "court": "Court",
    "nearest_relative": "Nearest relative",
    "parent": "Parent or guardian",
    "appointee": "Appointee",
    "interpreter": "Interpreter",
    "other": "Other",
}

CASE_LINK_KINDS: dict[str, str] = {
    "related": "Related",
    "same_family": "Same family",
    "co_defendant": "Co-defendant",
    "previous": "Previous case",
    "duplicate": "Duplicate",
}

FILE_LOCATION_KINDS: dict[str, str] = {
    FileLocationKind.OFFICE: "In the office",
    FileLocationKind.CABINET: "Cabinet or shelf",
    FileLocationKind.BOX: "Storage box",
    FileLocationKind.OFFSITE: "Off-site archive",
}

DEFAULT_TRANSFER_ACK_DAYS = 5


@dataclass(frozen=True)
class StepSpec:
    """One step of a closure checklist. `action` names what ticking it does besides recording
    who and when ("" for a step a person does outside caseterm and confirms)."""

    code: str
    label: str
    mandatory: bool = True
    action: str = ""


@dataclass(frozen=True)
class ClosureReason:
    code: str
    label: str
    steps: tuple[StepSpec, ...]
    needs_date_of_death: bool = False


# Actions a step may carry out when ticked (see services.case_closure).
NOTIFY_POLICE = "notify_police"  # a contact entry saying the police were told
CANCEL_APPOINTMENTS = "cancel_appointments"  # future appointments cancelled, staff notified
CLOSE_TASKS = "close_tasks"  # open tasks on the case cancelled
STOP_LETTERS = "stop_letters"  # letters not yet issued are held

_TASKS = StepSpec("tasks_closed", "Close or reassign open tasks", action=CLOSE_TASKS)
_APPOINTMENTS = StepSpec(
    "appointments_cancelled", "Cancel future appointments", action=CANCEL_APPOINTMENTS
)
_FINAL_CONTACT = StepSpec("final_contact", "Final letter or contact recorded")
_FILE_STORED = StepSpec("file_stored", "Paper file sent to storage", mandatory=False)

DEATH = ClosureReason(
    "death",
    "Death of the subject",
    (
        StepSpec("police_notified", "Notify the police", action=NOTIFY_POLICE),
        _APPOINTMENTS,
        _TASKS,
        StepSpec("letters_stopped", "Stop outgoing letters", action=STOP_LETTERS),
        StepSpec("balance_written_off", "Write off any balance", mandatory=False),
        _FILE_STORED,
    ),
    needs_date_of_death=True,
)

DEFAULT_CLOSURE_REASONS: tuple[ClosureReason, ...] = (
    ClosureReason(
        "completed",
        "Order or work completed",
        (_FINAL_CONTACT, _APPOINTMENTS, _TASKS, _FILE_STORED),
    ),
    ClosureReason("no_further_action", "No further action", (_APPOINTMENTS, _TASKS)),
    ClosureReason(
        "transferred_out_of_service",
        "Transferred out of the service",
        (StepSpec("papers_sent", "Papers sent to the new service"), _APPOINTMENTS, _TASKS),
    ),
    DEATH,
)

CLOSURE_REASONS_BY_TYPE: dict[str, tuple[ClosureReason, ...]] = {
    "FINE": (
        ClosureReason(
            "paid",
            "Paid in full",
            (StepSpec("balance_nil", "Balance checked as nil"), _TASKS, _FILE_STORED),
        ),
        ClosureReason(
            "written_off",
            "Written off",
            (StepSpec("write_off_approved", "Write-off approved"), _TASKS),
        ),
        DEATH,
    ),
    "MHC": (
        ClosureReason(
            "absolute_discharge",
            "Absolute discharge",
            (
                StepSpec("clinician_told", "Responsible clinician told"),
                _APPOINTMENTS,
                _TASKS,
                _FILE_STORED,
            ),
        ),
        ClosureReason("restriction_lapsed", "Restriction order lapsed", (_APPOINTMENTS, _TASKS)),
        DEATH,
    ),
}


def closure_reasons(case_type_code: str) -> tuple[ClosureReason, ...]:
    """The reasons a case of this type may close with."""
    return CLOSURE_REASONS_BY_TYPE.get(case_type_code.upper(), DEFAULT_CLOSURE_REASONS)


def closure_reason(case_type_code: str, code: str) -> ClosureReason | None:
    return next((r for r in closure_reasons(case_type_code) if r.code == code), None)

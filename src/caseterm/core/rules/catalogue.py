"""Labels of the fixed vocabularies: contact types and outcomes (with their statutory meaning),
task kinds, appointment kinds (their keys are declared once, in `core.models.vocab`), warning
kinds, identifier types and the default case-type catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from caseterm.core.models.vocab import AppointmentKind, ContactType, Outcome, TaskKind

# key -> label. Keys are stored; labels are shown. The single-key shortcuts used by the contact
# form are the first letter unless given in the *_KEYS tables below.
CONTACT_TYPES: dict[str, str] = {
    ContactType.PHONE_IN: "Phone in",
    ContactType.PHONE_OUT: "Phone out",
    ContactType.LETTER_IN: "Letter in",
    ContactType.LETTER_OUT: "Letter out",
    ContactType.EMAIL: "Email",
    ContactType.FACE_TO_FACE: "Face to face",
    ContactType.RECEPTION: "Reception arrival",
    ContactType.HOME_VISIT: "Home visit",
    ContactType.COURT: "Court",
    ContactType.PRISON: "Prison",
    ContactType.VIDEO: "Video",
    ContactType.SMS: "SMS",
    ContactType.INTERNAL: "Internal note",
}
CONTACT_TYPE_KEYS: dict[str, str] = {
    "p": ContactType.PHONE_IN,
    "o": ContactType.PHONE_OUT,
    "l": ContactType.LETTER_IN,
    "t": ContactType.LETTER_OUT,
    "e": ContactType.EMAIL,
    "f": ContactType.FACE_TO_FACE,
    "r": ContactType.RECEPTION,
    "h": ContactType.HOME_VISIT,
    "c": ContactType.COURT,
    "j": ContactType.PRISON,
    "v": ContactType.VIDEO,
    "s": ContactType.SMS,
    "i": ContactType.INTERNAL,
}

OUTCOMES: dict[str, str] = {
    Outcome.NONE: "No outcome",
    Outcome.ATTENDED_COMPLIED: "Attended – complied",
    Outcome.FAILED_TO_ATTEND: "Failed to attend",
    Outcome.ACCEPTABLE_ABSENCE: "Acceptable absence",
    Outcome.UNACCEPTABLE_ABSENCE: "Unacceptable absence",
    Outcome.NO_ANSWER: "No answer",
    Outcome.MESSAGE_LEFT: "Message left",
    Outcome.COMPLETED: "Completed",
    Outcome.INFORMATION_GIVEN: "Information given",
}
OUTCOME_KEYS: dict[str, str] = {
    "0": Outcome.NONE,
    "1": Outcome.ATTENDED_COMPLIED,
    "2": Outcome.FAILED_TO_ATTEND,
    "3": Outcome.ACCEPTABLE_ABSENCE,
    "4": Outcome.UNACCEPTABLE_ABSENCE,
    "5": Outcome.NO_ANSWER,
    "6": Outcome.MESSAGE_LEFT,
    "7": Outcome.COMPLETED,
    "8": Outcome.INFORMATION_GIVEN,
}
# Outcomes that count towards enforcement (breach) when they reach the case type's limit.
UNACCEPTABLE_OUTCOMES = frozenset({Outcome.UNACCEPTABLE_ABSENCE, Outcome.FAILED_TO_ATTEND})

TASK_KINDS: dict[str, str] = {
    TaskKind.NEW_REFERRAL: "New referral",
    TaskKind.POST_IN: "Post in",
    TaskKind.PHONE_MESSAGE: "Phone message",
    TaskKind.WALK_IN: "Walk-in",
    TaskKind.LETTER_TO_ISSUE: "Letter to issue",
    TaskKind.APPOINTMENT_TO_BOOK: "Appointment to book",
    TaskKind.REVIEW_DUE: "Review due",
    TaskKind.FTA_FOLLOW_UP: "Failed-to-attend follow-up",
    TaskKind.ENFORCEMENT: "Enforcement action",
    TaskKind.CHECK_REQUEST: "Check request",
    TaskKind.TRANSFER_IN: "Transfer in",
    TaskKind.COURT_RESULT: "Court result to enter",
    TaskKind.PAPERS_TO_CHASE: "Papers to chase",
    TaskKind.GENERAL: "General",
    TaskKind.TRANSFER_CHASE: "Transfer not acknowledged",
    TaskKind.WARNING_REVIEW: "Warning review",
    TaskKind.DEADLINE: "Statutory deadline",
    TaskKind.SUSPENSE: "Money in suspense",
    TaskKind.REWORK: "Rework after a check",
}
INCOMING_KINDS: tuple[str, ...] = (
    TaskKind.NEW_REFERRAL,
    TaskKind.POST_IN,
    TaskKind.PHONE_MESSAGE,
    TaskKind.WALK_IN,
)

APPOINTMENT_KINDS: dict[str, str] = {
    AppointmentKind.SUPERVISION: "Supervision",
    AppointmentKind.INDUCTION: "Induction",
    AppointmentKind.MEANS_INTERVIEW: "Means interview",
    AppointmentKind.PROGRAMME: "Programme session",
    AppointmentKind.REVIEW: "Review",
    AppointmentKind.COURT_HEARING: "Court hearing",
    AppointmentKind.TRIBUNAL: "Tribunal",
    AppointmentKind.MEETING: "Meeting",
}

WARNING_KINDS: dict[str, str] = {
    "risk_to_staff": "Risk to staff",
    "safeguarding": "Safeguarding",
    "watch_list": "Watch list",
    "adjustment": "Adjustment",
    "interpreter": "Interpreter",
    "fraud": "Fraud flag",
}

# What can be verified about a person (seeds 003/004, "verification and validation").
VERIFICATION_KINDS: dict[str, str] = {
    "identity": "Identity",
    "address": "Address",
    "income": "Income",
    "benefits": "Benefits",
    "residence": "Right to reside",
    "household": "Household",
    "date_of_birth": "Date of birth",
    "death": "Death",
}

IDENTIFIER_TYPES: dict[str, str] = {
    "CRN": "Case reference number",
    "PNC": "Police national computer",
    "NHS": "NHS number",
    "NINO": "National insurance number",
    "ACCOUNT": "Account number",
    "COUNCIL": "Council reference",
}


@dataclass(frozen=True)
class CaseTypeSpec:
    code: str
    name: str
    ref_prefix: str
    retention_years: int = 7
    fta_limit: int = 2
    fta_window_months: int = 12


DEFAULT_CASE_TYPES: tuple[CaseTypeSpec, ...] = (
    CaseTypeSpec("OM", "Offender management", "OM"),
    CaseTypeSpec("UPW", "Unpaid work", "UPW"),
    CaseTypeSpec("VIC", "Victims", "VIC", fta_limit=0),
    CaseTypeSpec("PROG", "Programmes", "PRG"),
    CaseTypeSpec("FINE", "Fines enforcement", "FE", retention_years=6),
    CaseTypeSpec("MHC", "Mental-health casework", "MH", retention_years=20, fta_limit=0),
    CaseTypeSpec("REG", "Regulatory", "REG", fta_limit=0),
    CaseTypeSpec("RES", "Resident support", "RS", retention_years=6, fta_limit=0),
    CaseTypeSpec("BIS", "Business & income", "BI", retention_years=6, fta_limit=0),
)


def label(table: dict[str, str], key: str) -> str:
    return table.get(key, key.replace("_", " ").capitalize())


def appointment_kind_label(kind: str) -> str:
    """An appointment kind as it reads in a sentence: "supervision", "means interview"."""
    return APPOINTMENT_KINDS.get(kind, kind.replace("_", " ")).lower()


# --- letters (stock letter templates and their dispatch) ---------------------------------------
RECIPIENT_KINDS: dict[str, str] = {
    "subject": "the case's subject",
    "employer": "employer",
    "police": "police",
    "court": "court",
    "tribunal": "tribunal",
    "dwp": "DWP",
    "solicitor": "solicitor",
    "hospital": "hospital",
    "other": "other",
}
DOCUMENT_STATUSES: dict[str, str] = {
    "draft": "Draft",
    "submitted": "To check",
    "rejected": "Rejected",
    "checked": "Checked",
    "issued": "Issued",
}
LETTER_LANGUAGES: dict[str, str] = {"en": "English", "cy": "Welsh"}
DISPATCH_VIA: dict[str, str] = {"post": "post", "email": "e-mail", "hand": "by hand"}
# Documents received and attached to a case: their kinds, the types accepted (found from the
# content, never the name) and the largest file stored.
RECEIVED_KINDS: dict[str, str] = {
    "convictions": "previous convictions",
    "court": "court papers",
    "prison": "prison papers",
    "cps": "CPS papers",
    "medical": "medical or hospital report",
    "correspondence": "correspondence",
    "other": "other",
}
RECEIVED_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG image",
    "image/png": "PNG image",
    "image/tiff": "TIFF image",
    "image/gif": "GIF image",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "message/rfc822": "e-mail",
}
RECEIVED_MAX_BYTES = 20 * 1024 * 1024


# --- statuses as people read them (never show the stored key) -----------------------------------
CASE_STATUS_LABELS: dict[str, str] = {
    "referral": "Referral",
    "open": "Open",
    "transfer_pending": "Transfer pending",
    "closed": "Closed",
    "archived": "Archived",
}
TASK_STATUS_LABELS: dict[str, str] = {
    "untriaged": "Waiting for triage",
    "open": "Open",
    "done": "Done",
    "cancelled": "Cancelled",
}
APPOINTMENT_STATUS_LABELS: dict[str, str] = {
    "booked": "Booked",
    "arrived": "Arrived",
    "seen": "Seen",
    "failed_to_attend": "Failed to attend",
    "cancelled": "Cancelled",
    "rescheduled": "Rescheduled",
}


def status_label(key: str) -> str:
    """A case, task or appointment status as a label ("transfer_pending" → "Transfer pending")."""
    for table in (CASE_STATUS_LABELS, TASK_STATUS_LABELS, APPOINTMENT_STATUS_LABELS):
        if key in table:
            return table[key]
    return label({}, key)


# --- the court list (diary) -------------------------------------------------------------------
# The appointment kinds a court or tribunal sits for, listed by court and session for a day.
COURT_LIST_KINDS: tuple[str, ...] = (AppointmentKind.COURT_HEARING, AppointmentKind.TRIBUNAL)
COURT_PM_FROM = time(13, 0)  # a hearing from 13:00 is in the afternoon session
SESSION_LABELS: dict[str, str] = {"am": "Morning", "pm": "Afternoon"}

# --- the next hearing a court result sets (issue 14) ------------------------------------------
# Booked in the diary as a court hearing at this time (when the result gives none), this long.
NEXT_HEARING_KIND: str = AppointmentKind.COURT_HEARING
NEXT_HEARING_AT = time(10, 0)
NEXT_HEARING_MINUTES = 120

# --- a booking's agenda and minutes (issue 13) ------------------------------------------------
BOOKING_DOCUMENT_KINDS: dict[str, str] = {"agenda": "Agenda", "minutes": "Minutes"}
BOOKING_TEXT_MAX = 50000  # characters of an agenda's or minutes' text (a text file imported too)

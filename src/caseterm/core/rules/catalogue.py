"""Fixed vocabularies: contact types and outcomes (with their statutory meaning), task kinds,
appointment kinds, warning kinds, identifier types and the default case-type catalogue."""

from __future__ import annotations

from dataclasses import dataclass

# key -> label. Keys are stored; labels are shown. The single-key shortcuts used by the contact
# form are the first letter unless given in the *_KEYS tables below.
CONTACT_TYPES: dict[str, str] = {
    "phone_in": "Phone in",
    "phone_out": "Phone out",
    "letter_in": "Letter in",
    "letter_out": "Letter out",
    "email": "Email",
    "face_to_face": "Face to face",
    "reception": "Reception arrival",
    "home_visit": "Home visit",
    "court": "Court",
    "prison": "Prison",
    "video": "Video",
    "sms": "SMS",
    "internal": "Internal note",
}
CONTACT_TYPE_KEYS: dict[str, str] = {
    "p": "phone_in",
    "o": "phone_out",
    "l": "letter_in",
    "t": "letter_out",
    "e": "email",
    "f": "face_to_face",
    "r": "reception",
    "h": "home_visit",
    "c": "court",
    "j": "prison",
    "v": "video",
    "s": "sms",
    "i": "internal",
}

OUTCOMES: dict[str, str] = {
    "": "No outcome",
    "attended_complied": "Attended – complied",
    "failed_to_attend": "Failed to attend",
    "acceptable_absence": "Acceptable absence",
    "unacceptable_absence": "Unacceptable absence",
    "no_answer": "No answer",
    "message_left": "Message left",
    "completed": "Completed",
    "information_given": "Information given",
}
OUTCOME_KEYS: dict[str, str] = {
    "0": "",
    "1": "attended_complied",
    "2": "failed_to_attend",
    "3": "acceptable_absence",
    "4": "unacceptable_absence",
    "5": "no_answer",
    "6": "message_left",
    "7": "completed",
    "8": "information_given",
}
# Outcomes that count towards enforcement (breach) when they reach the case type's limit.
UNACCEPTABLE_OUTCOMES = frozenset({"unacceptable_absence", "failed_to_attend"})

TASK_KINDS: dict[str, str] = {
    "new_referral": "New referral",
    "post_in": "Post in",
    "phone_message": "Phone message",
    "walk_in": "Walk-in",
    "letter_to_issue": "Letter to issue",
    "appointment_to_book": "Appointment to book",
    "review_due": "Review due",
    "fta_follow_up": "Failed-to-attend follow-up",
    "enforcement": "Enforcement action",
    "check_request": "Check request",
    "transfer_in": "Transfer in",
    "court_result": "Court result to enter",
    "papers_to_chase": "Papers to chase",
    "general": "General",
}
INCOMING_KINDS = ("new_referral", "post_in", "phone_message", "walk_in")

APPOINTMENT_KINDS: dict[str, str] = {
    "supervision": "Supervision",
    "induction": "Induction",
    "means_interview": "Means interview",
    "programme": "Programme session",
    "review": "Review",
    "court_hearing": "Court hearing",
    "tribunal": "Tribunal",
    "meeting": "Meeting",
}

WARNING_KINDS: dict[str, str] = {
    "risk_to_staff": "Risk to staff",
    "safeguarding": "Safeguarding",
    "watch_list": "Watch list",
    "adjustment": "Adjustment",
    "interpreter": "Interpreter",
    "fraud": "Fraud flag",
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

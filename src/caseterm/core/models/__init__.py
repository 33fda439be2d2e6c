"""All table models; importing this package registers every table on the shared metadata."""

from caseterm.core.models.bank import Banking, BankLine, BankProfile, BankStatement
from caseterm.core.models.base import metadata
from caseterm.core.models.case_lifecycle import (
    CaseClosure,
    CaseTransfer,
    ClosureStep,
    FileLocation,
)
from caseterm.core.models.cases import (
    CASE_STATUSES,
    CaseAccess,
    CaseFile,
    CaseLink,
    CaseParty,
    CaseType,
    ReferenceCounter,
)
from caseterm.core.models.clocks import CaseClock, CaseEvent, ClockRule, OfficeClosure, RaisedKey
from caseterm.core.models.contacts import ContactEntry
from caseterm.core.models.diary import APPOINTMENT_STATUSES, Appointment, AppointmentAttendee
from caseterm.core.models.documents import (
    Document,
    DocumentFile,
    LetterTemplate,
    LetterTemplateVersion,
    PostOut,
)
from caseterm.core.models.journal import (
    AccessLog,
    AuditEvent,
    DatabaseInfo,
    Draft,
    EditPresence,
    Notification,
)
from caseterm.core.models.money import EnforcementStep, Imposition, Payment, PaymentTerms
from caseterm.core.models.org import ROLES, Office, Room, Staff, StaffRole, Team
from caseterm.core.models.people import (
    Person,
    PersonContact,
    PersonIdentifier,
    PersonName,
    PersonVerification,
    PersonWarning,
)
from caseterm.core.models.work import TASK_STATUSES, ReviewSchedule, SavedQueue, Task

__all__ = [
    "APPOINTMENT_STATUSES",
    "CASE_STATUSES",
    "ROLES",
    "TASK_STATUSES",
    "AccessLog",
    "Appointment",
    "AppointmentAttendee",
    "AuditEvent",
    "BankLine",
    "BankProfile",
    "BankStatement",
    "Banking",
    "CaseAccess",
    "CaseClosure",
    "CaseFile",
    "CaseLink",
    "CaseParty",
    "CaseTransfer",
    "CaseType",
    "ClosureStep",
    "ContactEntry",
    "DatabaseInfo",
    "Document",
    "DocumentFile",
    "Draft",
    "EditPresence",
    "EnforcementStep",
    "FileLocation",
    "Imposition",
    "LetterTemplate",
    "LetterTemplateVersion",
    "Notification",
    "Office",
    "Payment",
    "PaymentTerms",
    "Person",
    "PersonContact",
    "PersonIdentifier",
    "PersonName",
    "PersonVerification",
    "PersonWarning",
    "PostOut",
    "ReferenceCounter",
    "ReviewSchedule",
    "Room",
    "SavedQueue",
    "Staff",
    "StaffRole",
    "Task",
    "Team",
    "metadata",
]
__all__ += ["CaseClock", "CaseEvent", "ClockRule", "OfficeClosure", "RaisedKey"]  # clocks
from caseterm.core.models.checks import CheckRate, WorkCheck  # noqa: E402  (sampled checks)

__all__ += ["CheckRate", "WorkCheck"]

# Money forms (issue 14: means, court results, decisions held for a checker).
from caseterm.core.models.money_forms import CourtResult, MeansAssessment, MoneyDecision  # noqa: E402

__all__ += ["CourtResult", "MeansAssessment", "MoneyDecision"]
from caseterm.core.models.intake import IntakeFile  # noqa: E402  (the watched intake folder)

__all__ += ["IntakeFile"]

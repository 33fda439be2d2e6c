"""All table models, each module loaded when one of its names is first asked for.

`from caseterm.core.models import CaseFile` imports `models/cases.py` (and not the thirty other
tables), so a command pays only for the tables it uses: defining a table costs a few
milliseconds of SQLAlchemy and pydantic work, about 0.4 s of CPU for all of them. Before the
ORM first configures its mappers (the first query or new object), the modules of every table a
loaded table's foreign keys point to are loaded too, so a flush or a join never meets a key to
a table that is not there.

Asking for `metadata` (schema work: Alembic, `create_all`, the demo builder, the PostgreSQL
copy) loads every table first; so does `load_all()`. A name or a table missing from the maps
below loads every table, so a model added without an entry here still works (only slower);
tests/test_lazy_models.py says which entries are missing.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.orm import Mapper

if TYPE_CHECKING:
    from sqlalchemy import MetaData

    from caseterm.core.models.bank import Banking, BankLine, BankProfile, BankStatement
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
    from caseterm.core.models.checks import CheckRate, WorkCheck
    from caseterm.core.models.clocks import (
        CaseClock,
        CaseEvent,
        ClockRule,
        OfficeClosure,
        RaisedKey,
    )
    from caseterm.core.models.contacts import ContactEntry
    from caseterm.core.models.diary import (
        APPOINTMENT_STATUSES,
        Appointment,
        AppointmentAttendee,
        BookingDocument,
    )
    from caseterm.core.models.documents import (
        Document,
        DocumentFile,
        LetterTemplate,
        LetterTemplateVersion,
        PostOut,
    )
    from caseterm.core.models.enforcement import EnforcementHold, EnforcementPath
    from caseterm.core.models.event_documents import EventDocument
    from caseterm.core.models.intake import IntakeFile
    from caseterm.core.models.journal import (
        AccessLog,
        AuditEvent,
        DatabaseInfo,
        Draft,
        EditPresence,
        Notification,
    )
    from caseterm.core.models.money import EnforcementStep, Imposition, Payment, PaymentTerms
    from caseterm.core.models.money_forms import CourtResult, MeansAssessment, MoneyDecision
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

    metadata: MetaData

# name: the module (in this package) that defines it.
_NAMES: dict[str, str] = {
    "BankLine": "bank",
    "BankProfile": "bank",
    "BankStatement": "bank",
    "Banking": "bank",
    "AppointmentAttendee": "diary",
    "BookingDocument": "diary",
    "IntakeFile": "intake",
    "EventDocument": "event_documents",
    "CourtResult": "money_forms",
    "MeansAssessment": "money_forms",
    "MoneyDecision": "money_forms",
    "CaseClosure": "case_lifecycle",
    "CaseTransfer": "case_lifecycle",
    "ClosureStep": "case_lifecycle",
    "FileLocation": "case_lifecycle",
    "CASE_STATUSES": "cases",
    "CaseAccess": "cases",
    "CaseFile": "cases",
    "CaseLink": "cases",
    "CaseParty": "cases",
    "CaseType": "cases",
    "ReferenceCounter": "cases",
    "CheckRate": "checks",
    "WorkCheck": "checks",
    "CaseClock": "clocks",
    "CaseEvent": "clocks",
    "ClockRule": "clocks",
    "OfficeClosure": "clocks",
    "RaisedKey": "clocks",
    "ContactEntry": "contacts",
    "APPOINTMENT_STATUSES": "diary",
    "Appointment": "diary",
    "Document": "documents",
    "DocumentFile": "documents",
    "LetterTemplate": "documents",
    "LetterTemplateVersion": "documents",
    "PostOut": "documents",
    "AccessLog": "journal",
    "AuditEvent": "journal",
    "DatabaseInfo": "journal",
    "Draft": "journal",
    "EditPresence": "journal",
    "Notification": "journal",
    "EnforcementStep": "money",
    "EnforcementHold": "enforcement",
    "EnforcementPath": "enforcement",
    "Imposition": "money",
    "Payment": "money",
    "PaymentTerms": "money",
    "ROLES": "org",
    "Office": "org",
    "Room": "org",
    "Staff": "org",
    "StaffRole": "org",
    "Team": "org",
    "Person": "people",
    "PersonContact": "people",
    "PersonIdentifier": "people",
    "PersonName": "people",
    "PersonVerification": "people",
    "PersonWarning": "people",
    "TASK_STATUSES": "work",
    "ReviewSchedule": "work",
    "SavedQueue": "work",
    "Task": "work",
}

# table: the module that defines it (to load what a foreign key points to).
_TABLES: dict[str, str] = {
    "bank_line": "bank",
    "bank_profile": "bank",
    "bank_statement": "bank",
    "banking": "bank",
    "appointment_attendee": "diary",
    "booking_document": "diary",
    "intake_file": "intake",
    "event_document": "event_documents",
    "court_result": "money_forms",
    "means_assessment": "money_forms",
    "money_decision": "money_forms",
    "case_closure": "case_lifecycle",
    "case_transfer": "case_lifecycle",
    "closure_step": "case_lifecycle",
    "file_location": "case_lifecycle",
    "case_access": "cases",
    "case_file": "cases",
    "case_link": "cases",
    "case_party": "cases",
    "case_type": "cases",
    "reference_counter": "cases",
    "check_rate": "checks",
    "work_check": "checks",
    "case_clock": "clocks",
    "case_event": "clocks",
    "clock_rule": "clocks",
    "office_closure": "clocks",
    "raised_key": "clocks",
    "contact_entry": "contacts",
    "appointment": "diary",
    "document": "documents",
    "document_file": "documents",
    "letter_template": "documents",
    "letter_template_version": "documents",
    "post_out": "documents",
    "access_log": "journal",
    "audit_event": "journal",
    "database_info": "journal",
    "draft": "journal",
    "edit_presence": "journal",
    "notification": "journal",
    "enforcement_step": "money",
    "enforcement_hold": "enforcement",
    "enforcement_path": "enforcement",
    "imposition": "money",
    "payment": "money",
    "payment_terms": "money",
    "office": "org",
    "room": "org",
    "staff": "org",
    "staff_role": "org",
    "team": "org",
    "person": "people",
    "person_contact": "people",
    "person_identifier": "people",
    "person_name": "people",
    "person_verification": "people",
    "person_warning": "people",
    "review_schedule": "work",
    "saved_queue": "work",
    "task": "work",
}


def _load(module: str) -> Any:
    return import_module(f"{__name__}.{module}")


def _modules() -> list[str]:
    """Every module of this package (its files: a model added without an entry above too)."""
    import pkgutil

    return [info.name for info in pkgutil.iter_modules(__path__)]


def load_all() -> MetaData:
    """Every table, registered on the shared metadata (which is returned)."""
    for module in _modules():
        _load(module)
    from caseterm.core.models.base import metadata as shared

    return shared


def load_referenced() -> None:
    """Load the module of every table a loaded table's foreign keys point to, until none is
    missing (any table this package does not know: every module)."""
    from caseterm.core.models.base import metadata as shared

    while True:
        missing = {
            fk.target_fullname.rsplit(".", 1)[0]
            for table in list(shared.tables.values())
            for fk in table.foreign_keys
        } - set(shared.tables)
        if not missing:
            return
        if not missing <= set(_TABLES):
            load_all()
            return
        for table in missing:
            _load(_TABLES[table])


@event.listens_for(Mapper, "before_configured")
def _before_configured() -> None:
    load_referenced()


def __getattr__(name: str) -> Any:  # PEP 562: called for a name not yet loaded
    if name.startswith("_"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if name == "metadata":
        return load_all()
    module = _NAMES.get(name)
    if module is not None:
        value = getattr(_load(module), name)
    elif name in _modules():
        return _load(name)  # `from caseterm.core.models import vocab`
    else:  # a name not listed above: look for it in every module
        load_all()
        found = [vars(_load(m))[name] for m in _modules() if name in vars(_load(m))]
        if not found:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = found[0]
    globals()[name] = value
    return value


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
    "BookingDocument",
    "CaseAccess",
    "CaseClock",
    "CaseClosure",
    "CaseEvent",
    "CaseFile",
    "CaseLink",
    "CaseParty",
    "CaseTransfer",
    "CaseType",
    "CheckRate",
    "ClockRule",
    "ClosureStep",
    "ContactEntry",
    "CourtResult",
    "DatabaseInfo",
    "Document",
    "DocumentFile",
    "Draft",
    "EditPresence",
    "EnforcementHold",
    "EnforcementPath",
    "EnforcementStep",
    "EventDocument",
    "FileLocation",
    "Imposition",
    "IntakeFile",
    "LetterTemplate",
    "LetterTemplateVersion",
    "MeansAssessment",
    "MoneyDecision",
    "Notification",
    "Office",
    "OfficeClosure",
    "Payment",
    "PaymentTerms",
    "Person",
    "PersonContact",
    "PersonIdentifier",
    "PersonName",
    "PersonVerification",
    "PersonWarning",
    "PostOut",
    "RaisedKey",
    "ReferenceCounter",
    "ReviewSchedule",
    "Room",
    "SavedQueue",
    "Staff",
    "StaffRole",
    "Task",
    "Team",
    "WorkCheck",
    "load_all",
    "load_referenced",
    "metadata",
]

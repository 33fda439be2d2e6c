"""The typed errors services raise. Each carries a message fit to show a person as it is."""

from __future__ import annotations

from datetime import datetime


class CasetermError(Exception):
    """Base of every error caseterm expects and explains."""


# How a field is named to a person when its name in the code is not a word of theirs
# ("When it happened: is in the future", not "occurred_at: is in the future"). Fields named
# with a plain word ("team", "status") and command-line options ("--db") read as they are.
FIELD_LABELS: dict[str, str] = {
    "occurred_at": "When it happened",
    "date_of_birth": "Date of birth",
    "dob": "Date of birth",
    "about_dob": "Date of birth",
    "due_date": "Due date",
    "opened_on": "Opened on",
    "starts_at": "Start",
    "ends_at": "End",
    "case_type": "Case type",
    "template_code": "Letter template",
    "due_within_days": "Due within (days)",
    "linked_case": "Linked case",
    "checked_by": "Checked by",
    "working_days": "Working days",
    "entity_id": "Record id",
}


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, field)


class ValidationError(CasetermError):
    """Input a service refused: names the field (by its label, `FIELD_LABELS`) and the reason.
    Nothing was written. `field` keeps the name in the code, for programs."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field_label(field)}: {reason}")


class NotFoundError(CasetermError):
    def __init__(self, what: str, key: object) -> None:
        self.what = what
        self.key = key
        super().__init__(f"{what} {key} not found")


class NotEnrolledError(CasetermError):
    def __init__(self, login: str) -> None:
        self.login = login
        super().__init__(
            f"{login!r} is not enrolled in caseterm; ask a system administrator to run "
            f"'caseterm staff add {login} --name \"Your Name\"'"
        )


class DisabledError(CasetermError):
    def __init__(self, login: str) -> None:
        self.login = login
        super().__init__(f"{login!r} is disabled in caseterm; ask a system administrator")


class PermissionDeniedError(CasetermError):
    """The acting member of staff may not do this (role or restricted case)."""


class RestrictedError(PermissionDeniedError):
    """The case exists but is restricted: only its existence and who to ask may be shown."""

    def __init__(self, reference: str, ask: str) -> None:
        self.reference = reference
        self.ask = ask
        super().__init__(f"{reference} is restricted — ask {ask}")


class StaleEditError(CasetermError):
    """Someone else changed the record since it was opened; never overwrite silently."""

    def __init__(self, what: str, changed_by: str, changed_at: datetime | None) -> None:
        self.what = what
        self.changed_by = changed_by
        self.changed_at = changed_at
        when = changed_at.strftime("%d/%m/%Y %H:%M") if changed_at else "just now"
        super().__init__(f"{what} was changed by {changed_by} at {when} since you opened it")


class ConflictError(CasetermError):
    """A booking clashes with existing appointments (staff, room or person)."""

    def __init__(self, conflicts: list[str]) -> None:
        self.conflicts = conflicts
        super().__init__("clashes with: " + "; ".join(conflicts))


class AlreadyTakenError(CasetermError):
    def __init__(self, task_id: int, by: str) -> None:
        self.task_id = task_id
        self.by = by
        super().__init__(f"task {task_id} was already taken by {by}")


class DatabaseError(CasetermError):
    """The database cannot be used (missing directory, not a caseterm file, newer schema…)."""


class OnBehalfError(ValidationError):
    """Completing a task someone else holds: allowed to their team's manager, or to anyone who
    confirms they did it on the holder's behalf (recorded)."""

    def __init__(self, task_id: int, holder: str) -> None:
        self.task_id = task_id
        self.holder = holder
        super().__init__(
            "on behalf",
            f"task {task_id} is assigned to {holder}; confirm you completed it on their behalf",
        )

"""The stored vocabularies, declared once: statuses, kinds, contact types and outcomes.

Each is a `StrEnum`: a member *is* its string (`TaskStatus.OPEN == "open"`), so the values in the
database are the plain keys and need no migration, while code names them instead of repeating
string literals. Labels shown to people live in `core.rules.catalogue`."""

from __future__ import annotations

from enum import StrEnum


class Key(StrEnum):
    """A stored key. It prints, formats and reprs as the plain string, so messages, Textual
    action strings (`outcome('seen')`) and JSON read exactly as they did with literals."""

    def __repr__(self) -> str:
        return repr(self.value)


class CaseStatus(Key):
    REFERRAL = "referral"
    OPEN = "open"
    TRANSFER_PENDING = "transfer_pending"
    CLOSED = "closed"
    ARCHIVED = "archived"


class TaskStatus(Key):
    UNTRIAGED = "untriaged"  # an incoming item waiting for triage
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class AppointmentStatus(Key):
    BOOKED = "booked"
    ARRIVED = "arrived"  # checked in at reception
    SEEN = "seen"
    FAILED_TO_ATTEND = "failed_to_attend"
    CANCELLED = "cancelled"
    RESCHEDULED = "rescheduled"  # replaced by a new booking


class DocumentStatus(Key):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # waiting for a checker
    REJECTED = "rejected"  # sent back to its maker with a reason
    CHECKED = "checked"  # approved: its text is frozen with a hash
    ISSUED = "issued"


class ReviewStatus(Key):
    PENDING = "pending"
    RAISED = "raised"  # its task has been raised
    DONE = "done"
    CANCELLED = "cancelled"


class CaseLinkKind(Key):
    RELATED = "related"


class ContactType(Key):
    PHONE_IN = "phone_in"
    PHONE_OUT = "phone_out"
    LETTER_IN = "letter_in"
    LETTER_OUT = "letter_out"
    EMAIL = "email"
    FACE_TO_FACE = "face_to_face"
    RECEPTION = "reception"
    HOME_VISIT = "home_visit"
    COURT = "court"
    PRISON = "prison"
    VIDEO = "video"
    SMS = "sms"
    INTERNAL = "internal"


class Outcome(Key):
    """Outcome of a contact (and of an appointment, which records one)."""

    NONE = ""
    ATTENDED_COMPLIED = "attended_complied"
    FAILED_TO_ATTEND = "failed_to_attend"
    ACCEPTABLE_ABSENCE = "acceptable_absence"
    UNACCEPTABLE_ABSENCE = "unacceptable_absence"
    NO_ANSWER = "no_answer"
    MESSAGE_LEFT = "message_left"
    COMPLETED = "completed"
    INFORMATION_GIVEN = "information_given"


class TaskKind(Key):
    NEW_REFERRAL = "new_referral"
    POST_IN = "post_in"
    PHONE_MESSAGE = "phone_message"
    WALK_IN = "walk_in"
    LETTER_TO_ISSUE = "letter_to_issue"
    APPOINTMENT_TO_BOOK = "appointment_to_book"
    REVIEW_DUE = "review_due"
    FTA_FOLLOW_UP = "fta_follow_up"
    ENFORCEMENT = "enforcement"
    CHECK_REQUEST = "check_request"
    TRANSFER_IN = "transfer_in"
    COURT_RESULT = "court_result"
    PAPERS_TO_CHASE = "papers_to_chase"
    GENERAL = "general"
    TRANSFER_CHASE = "transfer_chase"  # a transfer out not acknowledged in time
    WARNING_REVIEW = "warning_review"
    DEADLINE = "deadline"  # raised by a statutory clock (warning or end)
    SUSPENSE = "suspense"  # money held in suspense to apply, refund or trace
    REWORK = "rework"  # a sampled check failed: the officer puts their work right


class AppointmentKind(Key):
    SUPERVISION = "supervision"
    INDUCTION = "induction"
    MEANS_INTERVIEW = "means_interview"
    PROGRAMME = "programme"
    REVIEW = "review"
    COURT_HEARING = "court_hearing"
    TRIBUNAL = "tribunal"
    MEETING = "meeting"


# The statuses in which work is still to do, and in which an appointment is still to happen.
ACTIVE_TASK_STATUSES = (TaskStatus.UNTRIAGED, TaskStatus.OPEN)
CLOSED_TASK_STATUSES = (TaskStatus.DONE, TaskStatus.CANCELLED)
ACTIVE_APPOINTMENT_STATUSES = (AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED)


class ReviewKind(Key):
    REVIEW = "review"
    STATUTORY = "statutory"
    BRING_FORWARD = "bring_forward"


# --- the case lifecycle (issue 12): transfers, closure checklists, where the paper file is ---


class TransferStatus(Key):
    PENDING = "pending"
    ACCEPTED = "accepted"
    RETURNED = "returned"


class ClosureStatus(Key):
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"
    ABANDONED = "abandoned"  # the case was reopened before it closed


class StepState(Key):
    PENDING = "pending"
    DONE = "done"
    WAIVED = "waived"


class FileLocationKind(Key):
    OFFICE = "office"
    CABINET = "cabinet"
    BOX = "box"
    OFFSITE = "offsite"


class ClockStatus(Key):
    RUNNING = "running"
    MET = "met"  # stopped on or before its end
    LATE = "late"  # stopped after its end (late_by working days)
    WAIVED = "waived"  # stopped by a person, with a reason

"""The stock letters caseterm ships: one set for every kind of office it serves (offender
management and unpaid work, fines enforcement, mental health casework, victim liaison, council
services). `caseterm template stock` adds any missing ones to a database; the demo has them all.
Each is (code, title, case types, recipient kind, language, English letter it translates, body),
written with the merge fields of `rules.letter_fields`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StockLetter:
    code: str
    name: str
    case_types: tuple[str, ...]
    recipient_kind: str
    body: str
    language: str = "en"
    variant_of: str = ""


_TO_SUBJECT = """{{ person.full_name }}
{{ person.address }}

{{ today }}

Our reference: {{ case.reference }}

"""
_SIGNED = """
Yours sincerely

{{ officer.name }}
{{ office.name }}, {{ office.address }}
{% if office.phone %}
Telephone {{ office.phone }}
{% endif %}
"""

STOCK_LETTERS: tuple[StockLetter, ...] = (
    StockLetter(
        "APPT",
        "Appointment letter",
        (),
        "subject",
        _TO_SUBJECT
        + """Dear {{ person.full_name }}

You must attend an appointment on {{ appointment.date }} at {{ appointment.time }}
at {{ appointment.place }}, with {{ appointment.with }}.

Please bring this letter with you. If you cannot attend, telephone us{% if office.phone %}
 on {{ office.phone }}{% endif %} before the appointment
and tell us why; you may be asked for evidence.
"""
        + _SIGNED,
    ),
    StockLetter(
        "APPT_CY",
        "Llythyr apwyntiad",
        (),
        "subject",
        """{{ person.full_name }}
{{ person.address }}

{{ today }}

Ein cyfeirnod: {{ case.reference }}

Annwyl {{ person.full_name }}

Mae'n rhaid i chi ddod i apwyntiad ar {{ appointment.date }} am {{ appointment.time }}
yn {{ appointment.place }}, gyda {{ appointment.with }}.

Dewch â'r llythyr hwn gyda chi. Os na allwch ddod, ffoniwch ni{% if office.phone %}
 ar {{ office.phone }}{% endif %} cyn yr apwyntiad.

Yn gywir

{{ officer.name }}
{{ office.name }}, {{ office.address }}
{% if office.phone %}
Ffôn {{ office.phone }}
{% endif %}
""",
        language="cy",
        variant_of="APPT",
    ),
    StockLetter(
        "FTA",
        "Failure to attend",
        ("OM", "UPW", "PROG"),
        "subject",
        _TO_SUBJECT
        + """Dear {{ person.full_name }}

You did not attend your appointment on {{ event.missed_date }}. Contact us within two
working days with the reason and any evidence (for example a doctor's note). If we do not
hear from you, the absence will be treated as unacceptable.
"""
        + _SIGNED,
    ),
    StockLetter(
        "WARN_FIRST",
        "First warning",
        ("OM", "UPW", "PROG"),
        "subject",
        _TO_SUBJECT
        + """Dear {{ person.full_name }}

FIRST WARNING

You did not comply with your order on {{ event.missed_date }} and have given no acceptable
reason. This is a formal warning. A further failure within twelve months may mean you are
returned to court.
"""
        + _SIGNED,
    ),
    StockLetter(
        "WARN_FINAL",
        "Final warning",
        ("OM", "UPW", "PROG"),
        "subject",
        _TO_SUBJECT
        + """Dear {{ person.full_name }}

FINAL WARNING

You have again failed to comply with your order, on {{ event.missed_date }}. This is your
final warning. Any further failure will mean breach proceedings and a return to court.
"""
        + _SIGNED,
    ),
    StockLetter(
        "BREACH",
        "Breach notice",
        ("OM", "UPW", "PROG"),
        "subject",
        _TO_SUBJECT
        + """Dear {{ person.full_name }}

NOTICE OF BREACH PROCEEDINGS

Because of your failures to comply with your order, breach proceedings have started. You
must attend {{ event.court }} on {{ event.hearing_date }}. If you do not attend, a warrant
may be issued for your arrest. You must keep reporting as instructed until then.
"""
        + _SIGNED,
    ),
    StockLetter(
        "UPW_IND",
        "Unpaid work induction",
        ("UPW",),
        "subject",
        _TO_SUBJECT
        + """Dear {{ person.full_name }}

Your induction for unpaid work is on {{ appointment.date }} at {{ appointment.time }} at
{{ appointment.place }}. Wear suitable clothing and sturdy footwear, and bring lunch.
"""
        + _SIGNED,
    ),
    StockLetter(
        "MH_TRIB",
        "Tribunal statement cover letter",
        ("MHC",),
        "tribunal",
        """The Clerk to the Tribunal
First-tier Tribunal (Mental Health)

{{ today }}

Our reference: {{ case.reference }}

Dear Sir or Madam

{{ person.full_name }} (born {{ person.date_of_birth }}), {{ event.hospital }}

Please find enclosed the Secretary of State's statement for the hearing on
{{ event.hearing_date }}, with the documents it refers to.
"""
        + _SIGNED,
    ),
    StockLetter(
        "MH_WARRANT_TRANSFER",
        "Warrant of transfer",
        ("MHC",),
        "hospital",
        """The Responsible Clinician
{{ event.hospital }}

{{ today }}

Our reference: {{ case.reference }}

WARRANT OF TRANSFER

The Secretary of State directs that {{ person.full_name }} (born {{ person.date_of_birth }}),
a restricted patient, be transferred from {{ event.from_hospital }} to {{ event.hospital }}
not later than {{ event.transfer_by }}.
"""
        + _SIGNED,
    ),
    StockLetter(
        "MH_WARRANT_RECALL",
        "Warrant of recall",
        ("MHC",),
        "hospital",
        """The Responsible Clinician
{{ event.hospital }}

{{ today }}

Our reference: {{ case.reference }}

WARRANT OF RECALL

The Secretary of State recalls {{ person.full_name }} (born {{ person.date_of_birth }}), a
conditionally discharged restricted patient, to {{ event.hospital }} with effect from
{{ event.recall_date }}.
"""
        + _SIGNED,
    ),
    StockLetter(
        "MH_DEATH",
        "Notification of a patient's death to police",
        ("MHC",),
        "police",
        """The Duty Inspector
{{ event.police_force }}

{{ today }}

Our reference: {{ case.reference }}

Dear Inspector

We write to tell you of the death on {{ event.date_of_death }} of {{ person.full_name }}
(born {{ person.date_of_birth }}{% if person.pnc %}, PNC {{ person.pnc }}{% endif %}), a
restricted patient. Please update your records.
"""
        + _SIGNED,
    ),
    StockLetter(
        "FINE_FSN",
        "Further steps notice",
        ("FINE",),
        "subject",
        _TO_SUBJECT
        + """Dear {{ person.full_name }}

FURTHER STEPS NOTICE — account {{ person.account }}

You owe {{ account.balance }}. Unless you pay in full, or pay the instalments due, the court
may take further steps without another hearing: an attachment of earnings or of benefits,
the seizure of goods by enforcement agents, or registration of the debt.
"""
        + _SIGNED,
    ),
    StockLetter(
        "FINE_AEO",
        "Attachment of earnings order",
        ("FINE",),
        "employer",
        """The Payroll Manager
{{ event.employer }}

{{ today }}

Our reference: {{ case.reference }}

ATTACHMENT OF EARNINGS ORDER

Employee: {{ person.full_name }} (born {{ person.date_of_birth }})
Amount outstanding: {{ account.balance }}

You must deduct from this employee's earnings the amounts set out in the enclosed order
and pay them to the court each pay day until the amount is paid. You may deduct £1 each
time towards your costs. Tell us within ten days if they do not work for you.
"""
        + _SIGNED,
    ),
    StockLetter(
        "FINE_COLL",
        "Collection order notice",
        ("FINE",),
        "subject",
        _TO_SUBJECT
        + """Dear {{ person.full_name }}

COLLECTION ORDER — account {{ person.account }}

A collection order has been made. You must pay {{ account.instalment }} each month, the
next payment due on {{ account.next_due }}, until {{ account.balance }} is paid.
"""
        + _SIGNED,
    ),
    StockLetter(
        "FINE_REM",
        "Payment reminder",
        ("FINE",),
        "subject",
        _TO_SUBJECT
        + """Dear {{ person.full_name }}

Your account is in arrears: {{ account.balance }} is outstanding. Please pay the missed
instalments now.
"""
        + _SIGNED,
    ),
    StockLetter(
        "VIC_INFO",
        "Victim contact scheme information",
        ("VIC",),
        "subject",
        _TO_SUBJECT
        + """Dear {{ person.full_name }}

Thank you for joining the victim contact scheme. We will write when there are changes you
should know about.
"""
        + _SIGNED,
    ),
    StockLetter(
        "COUNCIL_ACK",
        "Acknowledgement",
        ("REG", "RES", "BIS"),
        "subject",
        _TO_SUBJECT
        + """Dear {{ person.full_name }}

Thank you for your application, which we received on {{ case.opened_on }}. We will write
with our decision. Please quote the reference above if you contact us.
"""
        + _SIGNED,
    ),
    StockLetter(
        "COUNCIL_DEC",
        "Decision letter",
        ("REG", "RES", "BIS"),
        "subject",
        _TO_SUBJECT
        + """Dear {{ person.full_name }}

We have decided your application: {{ event.decision }}.

If you disagree you may ask us to look at the decision again within one month of the
date of this letter.
"""
        + _SIGNED,
    ),
    StockLetter(
        "CLOSE",
        "Case closure letter",
        (),
        "subject",
        _TO_SUBJECT
        + """Dear {{ person.full_name }}

Your case {{ case.reference }} has now been closed.
"""
        + _SIGNED,
    ),
)

# Values the demo fills the typed (`event`) fields of its letters with.
DEMO_EVENT_VALUES: dict[str, str] = {
    "missed_date": "the date in the contact log",
    "court": "Preston Magistrates' Court",
    "hearing_date": "the date the court gives",
    "hospital": "Guild Lodge, Preston",
    "from_hospital": "Ashworth Hospital",
    "transfer_by": "the end of the month",
    "recall_date": "the date of this warrant",
    "police_force": "Lancashire Constabulary",
    "date_of_death": "the date recorded",
    "employer": "the employer on file",
    "decision": "approved",
}

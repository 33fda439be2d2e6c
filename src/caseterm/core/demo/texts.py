"""What demo records say: contact notes, reasons, task titles, sources, warnings and letters.
Placeholders in braces are filled with `str.format` from the case at hand."""

from __future__ import annotations

# Contact notes by contact type. {first} is the subject's given name, {office} the office name,
# {employer} a workplace, {amount} a sum in pounds.
NOTES: dict[str, tuple[str, ...]] = {
    "phone_in": (
        "{first} rang to check the time of the next appointment. Confirmed.",
        "{first} phoned to say they have started work at {employer}.",
        "Call from {first}'s mother asking for a call back; no details given out.",
        "{first} rang in sick; asked for a GP note by Friday.",
        "{first} called about bus fares to {office}. Explained travel warrant process.",
        "{first} phoned upset about housing; gave the Shelter number and booked a call back.",
    ),
    "phone_out": (
        "Rang {first} to remind about tomorrow's appointment.",
        "Called {first}; no answer, left voicemail asking for a call back.",
        "Phoned the GP surgery to confirm {first}'s sick note.",
        "Rang {first} to rearrange; new date agreed and letter to follow.",
        "Called the hostel to confirm {first} is still resident.",
    ),
    "letter_in": (
        "Letter from {first} explaining the missed appointment (family funeral).",
        "Letter from the court enclosing the order.",
        "Letter from {first}'s solicitor asking for a copy of the file.",
        "Completed means form returned by {first}.",
    ),
    "letter_out": (
        "Appointment letter sent to {first}.",
        "Warning letter sent following failure to attend.",
        "Letter sent confirming the change of office to {office}.",
        "Reminder letter sent about the next instalment.",
    ),
    "email": (
        "Email from {first} with payslips attached; saved to file.",
        "Email to the housing officer asking for an update.",
        "Email from the programme provider: {first} attended all sessions this month.",
        "Email from court: listing confirmed.",
    ),
    "face_to_face": (
        "Seen at {office}. Discussed employment at {employer}; engaging well.",
        "Seen at {office}. Reviewed the plan; no new concerns.",
        "Office appointment. {first} arrived late but engaged. Next appointment booked.",
        "Seen with an interpreter. Explained the conditions again; {first} understood.",
        "Seen at {office}. Disclosed relapse; referred to the drug and alcohol service.",
        "Seen. Paid {amount} towards the balance at the counter.",
    ),
    "reception": (
        "Arrived at reception for the appointment.",
        "Arrived early at reception; waited in the main area.",
        "Walked in without an appointment asking to see the duty officer.",
    ),
    "home_visit": (
        "Home visit. {first} was in; the flat was tidy and no concerns.",
        "Home visit. No reply; calling card left.",
        "Joint home visit with the police. Address checks fine.",
    ),
    "court": (
        "At court: order made; papers to follow.",
        "Attended court. Adjourned for four weeks for a report.",
        "Court hearing: warrant issued for non-attendance.",
    ),
    "prison": (
        "Prison visit; discussed release plan and accommodation.",
        "Legal video link to HMP Preston for the pre-release meeting.",
    ),
    "video": (
        "Video appointment; {first} joined on time.",
        "Video appointment; connection dropped twice, finished by phone.",
    ),
    "sms": (
        "Text reminder sent for tomorrow's appointment.",
        "Text from {first}: running ten minutes late.",
    ),
    "internal": (
        "Discussed at team meeting; agreed to keep at current level.",
        "Case file reviewed by the manager; actions up to date.",
        "Handover note: {first} prefers afternoon appointments.",
        "Records merged: duplicate person record found and linked.",
    ),
}
SENSITIVE_NOTES = (
    "{first} disclosed domestic abuse by a partner; safeguarding referral made.",
    "Information from the police about an ongoing investigation; do not disclose to {first}.",
    "{first} spoke about thoughts of self-harm; crisis team informed and plan agreed.",
    "Health information from the GP shared in confidence.",
)
CORRECTION_NOTES = (
    "Correction: entered against the wrong date; the contact was on this date.",
    "Correction: outcome recorded wrongly; {first} did attend.",
    "Correction: notes were for another person and have been removed.",
)
FTA_NOTES = (
    "Did not attend. No contact made. Warning letter to follow.",
    "Failed to attend; rang later saying they forgot. Explained this is unacceptable.",
    "Did not attend; GP note promised — absence acceptable if received.",
)

# Contact types each case type tends to use, with weights.
CONTACT_MIX: dict[str, tuple[tuple[str, int], ...]] = {
    "default": (
        ("phone_in", 18),
        ("phone_out", 18),
        ("letter_in", 6),
        ("letter_out", 10),
        ("email", 10),
        ("home_visit", 4),
        ("sms", 8),
        ("internal", 10),
        ("video", 3),
    ),
    "OM": (
        ("phone_in", 15),
        ("phone_out", 15),
        ("letter_out", 8),
        ("home_visit", 6),
        ("sms", 10),
        ("internal", 10),
        ("court", 3),
        ("prison", 3),
        ("email", 5),
    ),
    "FINE": (
        ("phone_in", 25),
        ("letter_in", 10),
        ("letter_out", 20),
        ("email", 6),
        ("court", 5),
        ("internal", 5),
    ),
    "MHC": (
        ("phone_in", 10),
        ("phone_out", 15),
        ("letter_in", 12),
        ("letter_out", 12),
        ("email", 15),
        ("court", 6),
        ("internal", 10),
    ),
}
OUTCOMES_BY_TYPE: dict[str, tuple[str, ...]] = {
    "phone_in": ("", "information_given", "completed"),
    "phone_out": ("completed", "no_answer", "message_left", "information_given"),
    "letter_in": ("",),
    "letter_out": ("", "completed"),
    "email": ("", "information_given"),
    "home_visit": ("attended_complied", "no_answer", "completed"),
    "court": ("completed", ""),
    "prison": ("attended_complied", "completed"),
    "video": ("attended_complied", "completed"),
    "sms": ("", "message_left"),
    "internal": ("",),
}

CLOSE_REASONS: dict[str, tuple[str, ...]] = {
    "OM": ("Sentence expired", "Order completed", "Revoked by court", "Transferred out of area"),
    "UPW": ("Hours completed", "Revoked by court", "Order completed early"),
    "VIC": ("Victim no longer wishes contact", "Offender released; scheme complete"),
    "PROG": ("Programme completed", "Removed for non-attendance"),
    "FINE": ("Paid in full", "Written off", "Remitted by court"),
    "MHC": ("Discharged from section", "Discharged by tribunal", "Died"),
    "REG": ("No further action", "Licence revoked", "Compliance achieved"),
    "RES": ("Resolved", "Moved out of area", "No response to contact"),
    "BIS": ("Claim decided", "Account settled", "Business closed"),
}
TRANSFER_REASONS = (
    "Moving to live with family in {office} area",
    "New address in {office} area; transfer requested",
)

PARTY_ROLES: dict[str, tuple[str, ...]] = {
    "OM": ("victim", "partner", "solicitor"),
    "UPW": ("solicitor",),
    "VIC": ("offender", "family member"),
    "PROG": ("partner",),
    "FINE": ("guarantor", "solicitor"),
    "MHC": ("nearest relative", "solicitor", "advocate"),
    "REG": ("complainant", "witness"),
    "RES": ("household member", "landlord"),
    "BIS": ("business partner", "accountant"),
}

SUMMARIES: dict[str, tuple[str, ...]] = {
    "OM": (
        "Community order, 12 months, rehabilitation activity requirement.",
        "Suspended sentence order with supervision.",
        "Licence following release from HMP.",
    ),
    "UPW": (
        "Unpaid work, 120 hours.",
        "Unpaid work, 200 hours; evening placement.",
        "Unpaid work, 80 hours.",
    ),
    "VIC": ("Statutory victim contact scheme.", "Victim liaison; wants to be told of release."),
    "PROG": ("Building Better Relationships programme.", "Thinking Skills programme."),
    "FINE": (
        "Fine, costs and surcharge imposed at the magistrates' court.",
        "Collection order; deductions from benefit requested.",
    ),
    "MHC": (
        "Section 37/41 restricted patient.",
        "Community treatment order.",
        "Conditional discharge; tribunal statement due.",
    ),
    "REG": ("Licensing complaint about premises.", "Trading standards inspection follow-up."),
    "RES": ("Council tax support claim.", "Housing repair complaint.", "Blue badge application."),
    "BIS": ("Business rates relief application.", "Small business grant claim."),
}

# Incoming items waiting for triage: kind -> sources.
INCOMING: dict[str, tuple[str, ...]] = {
    "new_referral": (
        "Email from {office} Magistrates' Court: new order made today",
        "Referral from the crown court: pre-sentence report requested",
        "Referral from the community mental health team",
        "Online form: council tax support application",
        "Referral from the police: victim wishes to join the contact scheme",
    ),
    "post_in": (
        "Post: letter from the DWP about benefit deductions",
        "Post: court order and register extract",
        "Post: returned mail, 'not known at this address'",
        "Post: cheque and payment slip",
        "Post: solicitor's letter requesting file copy",
    ),
    "phone_message": (
        "Phone message: caller asked for a call back about an appointment",
        "Phone message: GP surgery re a sick note",
        "Phone message: employer asking about hours on the order",
        "Phone message: a parent worried about their son",
    ),
    "walk_in": (
        "Walk-in at {office} reception: wants to pay towards a fine",
        "Walk-in at {office} reception: asking for the duty officer",
        "Walk-in at {office} reception: dropping off documents",
    ),
}

TASK_TITLES: dict[str, tuple[str, ...]] = {
    "letter_to_issue": ("Issue appointment letter", "Issue warning letter", "Issue reminder"),
    "appointment_to_book": ("Book next appointment", "Book induction", "Book means interview"),
    "review_due": ("Review due", "Three-month review due", "Statutory review due"),
    "fta_follow_up": ("Follow up failure to attend", "Chase explanation for absence"),
    "enforcement": ("Enforcement: consider breach", "Enforcement: arrears, further steps"),
    "suspense": ("Money in suspense: apply or refund", "Unidentified payment held in suspense"),
    "transfer_chase": ("Transfer not acknowledged: chase the receiving office",),
    "warning_review": ("Review the warning on this person", "Warning review date reached"),
    "rework": ("Rework after a check: correct the contact entry", "Rework after a check"),
    "check_request": ("Check contact entries", "Check case closure", "Check data entry"),
    "transfer_in": ("Transfer in: allocate and review", "Transfer in: confirm receipt"),
    "court_result": ("Enter court result", "Result the hearing"),
    "papers_to_chase": ("Chase court papers", "Chase pre-cons", "Chase GP report"),
    "general": ("Update address", "Reply to solicitor", "Scan and file documents"),
    "new_referral": ("New referral to process",),
    "post_in": ("Post to file",),
    "phone_message": ("Call back",),
    "walk_in": ("See walk-in",),
}
# Titles that fit only some case types (the rest fit any): no means interview on a
# mental-health case, no breach where an order has no attendance limit.
TITLE_CASE_TYPES: dict[str, tuple[str, ...]] = {
    "Book means interview": ("FINE", "BIS", "RES"),
    "Book induction": ("OM", "UPW", "PROG"),
    "Chase pre-cons": ("OM", "UPW", "PROG", "FINE", "REG"),
    "Enforcement: consider breach": ("OM", "UPW", "PROG"),
    "Enforcement: arrears, further steps": ("FINE", "BIS"),
}
TASK_OUTCOMES = ("Done", "Letter issued", "Booked", "No further action", "Passed to manager")

WARNINGS: dict[str, tuple[tuple[str, str], ...]] = {
    "risk_to_staff": (
        ("History of violence towards staff (2023)", "Do not see alone"),
        ("Threatened a member of staff at reception", "Do not see alone; two staff present"),
    ),
    "safeguarding": (
        ("Child protection plan in place for the children", "Do not discuss with callers"),
        ("Adult at risk of exploitation", "Do not give information to third parties"),
    ),
    "watch_list": (
        ("MAPPA level 2", "Inform duty manager on arrival"),
        ("Police interest: contact the DS on arrival", "Inform duty manager on arrival"),
    ),
    "adjustment": (
        ("Uses a wheelchair", "Ground-floor room needed"),
        ("Hearing impaired: uses a loop", "Hearing loop; face the person when speaking"),
        ("Anxiety in waiting areas", "Quiet room if possible"),
    ),
    "fraud": (("Suspected identity fraud, 2024", "Check photo ID"),),
}

COURTS = {
    "PRE": "Preston Magistrates' Court",
    "LAN": "Lancaster Magistrates' Court",
    "BLB": "Blackburn Magistrates' Court",
    "CAR": "Carlisle Magistrates' Court",
}

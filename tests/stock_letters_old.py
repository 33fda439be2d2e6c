"""Two stock letters as the release of 2026-12-03 shipped them (before the office's telephone was
added to the sign-off), to build a database as that release left it."""

from __future__ import annotations

OLD_APPT = """{{ person.full_name }}
{{ person.address }}

{{ today }}

Our reference: {{ case.reference }}

Dear {{ person.full_name }}

You must attend an appointment on {{ appointment.date }} at {{ appointment.time }}
at {{ appointment.place }}, with {{ appointment.with }}.

Please bring this letter with you. If you cannot attend, telephone us before the
appointment and tell us why; you may be asked for evidence.

Yours sincerely

{{ officer.name }}
{{ office.name }}, {{ office.address }}
"""

OLD_COUNCIL_DEC = """{{ person.full_name }}
{{ person.address }}

{{ today }}

Our reference: {{ case.reference }}

Dear {{ person.full_name }}

We have decided your application: {{ event.decision }}.

If you disagree you may ask us to look at the decision again within one month of the
date of this letter.

Yours sincerely

{{ officer.name }}
{{ office.name }}, {{ office.address }}
"""

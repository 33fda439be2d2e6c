"""The diary's deadlines, attendees changed on a booking, and letters named by clock rules."""

from __future__ import annotations

from tests.audit_scenarios import reads

reads("diary_deadlines", "diary_deadlines")
reads("deadlines", "row_of")

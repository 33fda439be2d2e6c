"""The board and the reports: management information only reads (see those modules)."""

from __future__ import annotations

from tests.audit_scenarios import reads

reads(
    "board",
    "resolve_scope",
    "task_scope",
    "appointment_scope",
    "case_scope",
    "open_at_end_of",
    "ageing_counts",
    "rate",
    "team_board",
    "board_list",
)
reads(
    "reports",
    "period_of",
    "list_reports",
    "run_report",
    "report_sheet",
)
reads("export_views", "queue_sheet", "diary_events")

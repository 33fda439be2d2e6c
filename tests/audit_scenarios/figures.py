"""The board and the reports: management information only reads (see those modules)."""

from __future__ import annotations

from tests.audit_scenarios import reads

reads("board", "ageing_counts", "rate", "team_board")
reads(
    "board_scope",
    "resolve_scope",
    "task_scope",
    "task_scope_parts",
    "appointment_scope",
    "case_scope",
    "day_start",
    "may_be_open_after",
    "open_at_end_of",
)
reads("board_lists", "board_list")
reads(
    "reports",
    "period_of",
    "list_reports",
    "run_report",
    "report_sheet",
)
reads("export_views", "queue_sheet", "diary_events")
reads("board_outcomes", "as_date", "deadlines_by_day", "letters_issued_and_checked")
# The board builds its statements once per scope and day and runs them at each refresh.
reads("board_outcomes", "deadlines_query", "letters_arms", "checks_query")
reads("board_scope", "team_ids")
reads("reports_outcomes", "deadlines", "letters")

# The queues behind the board's task figures (drill-down) only read.
reads("board_lists", "task_figure_where")
reads("board_queue", "figure_totals", "figure_queue_page")

# Sampled checks on the board and the throughput and accuracy report only read.
reads("board_scope", "check_scope")
reads("board_outcomes", "checks_by_day")
reads("reports_quality", "accuracy")
reads("reports_money", "arrears")

# The lists behind the ageing buckets and the completed-per-person rows (drill-down) only read.
reads(
    "board_drill",
    "ageing_figure",
    "person_figure",
    "is_drill_figure",
    "drill_label",
    "drill_where",
)
reads("board_lists", "figure_label")

# The board's figures by day over a stretch of days, and its older days remembered in memory
# (board_counts, board_history): only reads.
reads("board_counts", "as_date", "build_reads", "read_counts")
reads("board_history", "kept", "keep")
# How far the data goes, checked against a period or day a person gives: only reads.
reads("data_span", "check_span")

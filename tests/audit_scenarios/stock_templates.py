"""How the library's stock letters stand against the text caseterm ships (letters3)."""

from __future__ import annotations

from tests.audit_scenarios import reads

reads("stock_templates", "stock_states", "stock_diff")

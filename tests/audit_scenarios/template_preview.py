"""A template's unsaved text merged with a case (the template form's preview): reads only."""

from __future__ import annotations

from tests.audit_scenarios import reads

reads("template_preview", "preview_template_text")

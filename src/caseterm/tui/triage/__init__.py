"""Triage mode: one incoming item at a time, single-key decisions, undo back through the session."""

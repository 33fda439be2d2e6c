"""Money at the reception desk: the accounts of a person found there (a read)."""

from __future__ import annotations

from tests.audit_scenarios import reads

reads("desk_accounts", "accounts_of_person")

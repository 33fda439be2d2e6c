"""What each role may do. Services check these; screens only hide what a role cannot use."""

from __future__ import annotations

CASE_ROLES = frozenset({"administrator", "caseworker", "checker", "manager", "sysadmin"})

CAPABILITIES: dict[str, frozenset[str]] = {
    "case.read": CASE_ROLES,
    "case.write": frozenset({"administrator", "caseworker", "manager", "sysadmin"}),
    "case.transfer": frozenset({"administrator", "manager", "sysadmin"}),
    "case.restrict": frozenset({"manager", "sysadmin"}),
    "person.read": CASE_ROLES,
    "person.write": frozenset({"administrator", "caseworker", "manager", "sysadmin"}),
    "person.merge": frozenset({"administrator", "sysadmin"}),
    "contact.log": frozenset({"administrator", "caseworker", "manager", "sysadmin"}),
    "diary.read": CASE_ROLES | {"reception"},
    "diary.write": frozenset({"administrator", "caseworker", "manager", "sysadmin"}),
    "document.check": frozenset({"checker", "manager", "sysadmin"}),
    "task.work": frozenset({"administrator", "caseworker", "checker", "manager", "sysadmin"}),
    "task.assign": frozenset({"administrator", "checker", "manager", "sysadmin"}),
    "reception.desk": frozenset({"reception", "administrator", "manager", "sysadmin"}),
    "audit.read": frozenset({"checker", "manager", "sysadmin"}),
    "staff.admin": frozenset({"sysadmin"}),
    "rules.admin": frozenset({"sysadmin"}),  # clock rules and office closure days
    "data.protection": frozenset({"manager", "sysadmin"}),
    # Money on a case: taking payments at the counter or by phone; reversing, writing off and
    # adjusting (a fines officer's manager); setting payment terms.
    "money.take": frozenset({"administrator", "caseworker", "manager", "reception", "sysadmin"}),
    "money.correct": frozenset({"manager", "sysadmin"}),
    "money.terms": frozenset({"administrator", "caseworker", "manager", "sysadmin"}),
    # The fines back office: importing bank statements and recording what was banked.
    "money.bank": frozenset({"administrator", "manager", "sysadmin"}),
    "template.admin": frozenset({"manager", "sysadmin"}),
    # Sampled cross-checking: a co-ordinator sets the rates and draws the day's sample.
    "check.rate": frozenset({"manager", "sysadmin"}),
    # Money decisions (issue 14): an officer writes off, remits or varies terms within their
    # limit (rules/money_decisions.toml); beyond it a checker approves; a fine is increased on
    # default.
    "money.decide": frozenset({"administrator", "caseworker", "manager", "sysadmin"}),
    "money.approve": frozenset({"checker", "manager", "sysadmin"}),
    "money.enforce": frozenset({"administrator", "caseworker", "manager", "sysadmin"}),
    # The enforcement paths per case type and account kind (rules/enforcement_paths.toml).
    "money.paths": frozenset({"sysadmin"}),
    # An office's details printed on its letters (phone, address): kept by its administrators.
    "office.admin": frozenset({"administrator", "manager", "sysadmin"}),
}


# What each capability lets a person do, in their words ("jbrown may not read the audit
# journal"), and the roles as they are called at work.
CAPABILITY_LABELS: dict[str, str] = {
    "check.rate": "set sampling rates for checking colleagues' work",
    "money.decide": "write off, remit, adjust or change payment terms on an account",
    "money.approve": "approve write-offs, remissions and term changes held for a checker",
    "money.enforce": "increase a fine on default, hold enforcement or decide its steps",
    "money.paths": "change the enforcement paths",
    "office.admin": "change an office's phone number and address",
    "money.correct": "reverse transactions, refund or apply money in suspense and run enforcement",
    "money.take": "take a payment at the counter or by phone",
    "money.terms": "set an account's payment terms",
    "money.bank": "import bank statements or record the banking",
    "person.merge": "merge two people's records",
    "rules.admin": "change the statutory clock rules",
    "template.admin": "add and edit letter templates",
    "case.read": "read cases",
    "case.write": "change cases",
    "case.transfer": "transfer cases",
    "case.restrict": "restrict cases",
    "person.read": "read people's records",
    "person.write": "change people's records",
    "contact.log": "log contacts",
    "diary.read": "read the diary",
    "diary.write": "book or change appointments",
    "document.check": "check letters",
    "task.work": "work on tasks",
    "task.assign": "assign tasks",
    "reception.desk": "work the reception desk",
    "audit.read": "read the audit journal",
    "staff.admin": "manage staff accounts",
    "data.protection": "handle data-protection requests",
}
ROLE_LABELS: dict[str, str] = {
    "administrator": "administrator",
    "caseworker": "caseworker",
    "checker": "checker",
    "manager": "manager",
    "reception": "reception",
    "sysadmin": "system administrator",
}


def capability_label(capability: str) -> str:
    return CAPABILITY_LABELS.get(capability, capability.replace(".", " "))


def roles_text(roles: frozenset[str] | set[str]) -> str:
    """Roles as a person reads them: "caseworker, system administrator"; "none"."""
    return ", ".join(sorted(ROLE_LABELS.get(r, r) for r in roles)) or "none"


def roles_allowing(capability: str) -> frozenset[str]:
    return CAPABILITIES[capability]


# Who manages a team, for acting on its members' work (completing a task one of them holds
# without saying it was on their behalf): a manager of that team, or any of these roles.
MANAGES_EVERY_TEAM = frozenset({"sysadmin"})


def manages_team(roles: frozenset[str], own_team: int | None, their_team: int | None) -> bool:
    if roles & MANAGES_EVERY_TEAM:
        return True
    return "manager" in roles and their_team is not None and their_team == own_team

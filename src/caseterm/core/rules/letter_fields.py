"""The merge fields a letter template may use, and rendering through Jinja2's sandbox.

A template is plain text with `{{ person.full_name }}`-style fields (and `{% if %}` blocks).
It is rendered by Jinja2's `SandboxedEnvironment` with `StrictUndefined`: a template cannot
reach Python internals, and a field with no value (no appointment booked, no account) is an
error when the letter is previewed or drafted, never a blank in a posted letter. Values are
inserted as text: `{{ }}` or `{% %}` inside a person's name or a note is printed as typed.

`check_template` refuses, before a template is saved, a syntax error or a field that is not in
`FIELDS`, naming the line and the field. Jinja2 is imported only when a template is rendered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from caseterm.core.errors import ValidationError
from caseterm.core.rules.letter_event_fields import event_field_help

# group -> (what it is, {field: description}). `event` holds the case's events' values
# (rules.letter_event_fields) and values the maker types when drafting; any name is allowed.
FIELDS: dict[str, tuple[str, dict[str, str]]] = {
    "person": (
        "the case's subject",
        {
            "title": "title (Mr, Ms, Dr…), may be empty",
            "given_name": "given name",
            "family_name": "family name",
            "full_name": "given and family name",
            "address": "current postal address, one line per part",
            "date_of_birth": "date of birth, e.g. 12 April 1988",
            "crn": "case reference number (CRN) identifier",
            "pnc": "police national computer number",
            "nhs": "NHS number",
            "account": "fines account number",
        },
    ),
    "case": (
        "the case",
        {
            "reference": "case reference, e.g. OM/2026/000123",
            "type": "case type name",
            "type_code": "case type code",
            "owner": "name of the officer who owns the case",
            "opened_on": "date the case was opened",
        },
    ),
    "office": (
        "the case's office",
        {
            "name": "office name",
            "address": "office postal address",
            "phone": "office telephone number (caseterm office set CODE --phone)",
        },
    ),
    "appointment": (
        "the case's next booked appointment",
        {
            "date": "date, e.g. Monday 30 November 2026",
            "time": "start time, e.g. 10:30",
            "place": "office and room, or the location given",
            "with": "name of the officer seeing them",
        },
    ),
    "account": (
        "the fines account, when the case has one",
        {
            "balance": "balance outstanding, e.g. £240.00",
            "instalment": "instalment under the payment terms",
            "next_due": "date the next instalment is due",
        },
    ),
    "event": (
        "the case's events (the latest of each kind on its timeline; a value typed when "
        "drafting overrides it), and any other value typed when drafting, e.g. court",
        event_field_help(),
    ),
    "officer": (
        "the signing officer (who drafts the letter)",
        {"name": "name", "team": "team name"},
    ),
    "today": ("today's date, e.g. 23 November 2026 (in a Welsh letter: 23 Tachwedd 2026)", {}),
}
FREE_GROUPS = frozenset({"event"})
PLAIN_FIELDS = frozenset({"today"})


@dataclass(frozen=True)
class FieldInfo:
    name: str
    description: str


def field_catalogue() -> list[FieldInfo]:
    """Every merge field with what it holds, in catalogue order."""
    rows: list[FieldInfo] = []
    for group, (about, fields) in FIELDS.items():
        if group in PLAIN_FIELDS:
            rows.append(FieldInfo(group, about))
            continue
        if not fields or group in FREE_GROUPS:
            rows.append(FieldInfo(f"{group}.NAME", about))
        rows.extend(FieldInfo(f"{group}.{name}", text) for name, text in fields.items())
    return rows


@cache
def _environment() -> Any:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _field_error(body: str, lineno: int | None, what: str) -> ValidationError:
    where = f"line {lineno}: " if lineno else ""
    return ValidationError("body", f"{where}{what}")


def check_template(body: str) -> None:
    """Refuse a template with a syntax error or an unknown field, naming the line and field."""
    from jinja2 import TemplateError, TemplateSyntaxError, nodes

    env = _environment()
    try:
        tree = env.parse(body)
    except TemplateSyntaxError as err:
        raise _field_error(body, err.lineno, f"template syntax error: {err.message}") from None
    assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    for node in tree.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.ctx == "load":
            group = node.node.name
            if group in assigned or group in FREE_GROUPS:
                continue
            known = FIELDS.get(group)
            if known is not None and group not in PLAIN_FIELDS and node.attr not in known[1]:
                raise _field_error(body, node.lineno, f"unknown merge field {group}.{node.attr}")
    for name in tree.find_all(nodes.Name):
        if name.ctx == "load" and name.name not in FIELDS and name.name not in assigned:
            raise _field_error(body, name.lineno, f"unknown merge field {name.name}")
    try:
        env.from_string(body)  # unknown filters and tests are found when compiling
    except TemplateError as err:
        raise _field_error(
            body, getattr(err, "lineno", None), f"template error: {err.message}"
        ) from None


def fields_used(body: str) -> list[str]:
    """The merge fields a template's text uses (`person.full_name`, `event.recall_date`,
    `today`), in the order they first appear; none for a text that does not parse."""
    from jinja2 import TemplateSyntaxError, nodes

    try:
        tree = _environment().parse(body)
    except TemplateSyntaxError:
        return []
    found: list[str] = []
    groups: set[int] = set()
    for node in tree.find_all((nodes.Getattr, nodes.Name)):  # in the order of the text
        if isinstance(node, nodes.Getattr):
            if isinstance(node.node, nodes.Name) and node.node.name in FIELDS:
                groups.add(id(node.node))
                found.append(f"{node.node.name}.{node.attr}")
        elif node.ctx == "load" and node.name in FIELDS and id(node) not in groups:
            found.append(node.name)
    return list(dict.fromkeys(found))


@lru_cache(maxsize=256)
def _compiled(body: str) -> Any:
    """The checked, compiled template (a letter library is small; previews reuse it)."""
    check_template(body)
    return _environment().from_string(body)


def _missing(body: str, values: Mapping[str, Any]) -> list[str]:
    """The merge fields `body` uses that `values` has nothing for, in the order they appear."""
    from jinja2 import nodes

    tree = _environment().parse(body)
    missing: list[str] = []
    for node in tree.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.ctx == "load":
            group = values.get(node.node.name)
            if group is None or (isinstance(group, Mapping) and node.attr not in group):
                missing.append(f"{node.node.name}.{node.attr}")
    for name in tree.find_all(nodes.Name):
        if name.ctx == "load" and name.name in FIELDS and name.name not in values:
            missing.append(name.name)
    return list(dict.fromkeys(missing))


def render(body: str, values: Mapping[str, Any]) -> str:
    """The template merged with `values`; a field without a value is refused with its name."""
    from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError

    template = _compiled(body)
    try:
        return str(template.render(**values))
    except UndefinedError as err:
        missing = _missing(body, values)
        what = ", ".join(missing) if missing else str(err.message)
        hint = " (type it when drafting)" if any(m.startswith("event.") for m in missing) else ""
        raise ValidationError("body", f"no value for merge field {what}{hint}") from None
    except TemplateSyntaxError as err:
        raise _field_error(body, err.lineno, f"template syntax error: {err.message}") from None
    except TemplateError as err:
        raise ValidationError("body", f"template error: {err.message}") from None

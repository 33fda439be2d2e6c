"""The stock letter library: templates with the case types they are for, the kind of
recipient, a language (a Welsh letter names the English one it translates) and a version.

Anyone who works cases may list and read templates; managers and system administrators
(`template.admin`) add and edit them. Every template is checked before it is saved (a syntax
error or an unknown merge field is refused with its line), each saved version's text is kept so
an issued letter's version can always be read again, and each change is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import NotFoundError, StaleEditError, ValidationError
from caseterm.core.models import CaseType, LetterTemplate, LetterTemplateVersion
from caseterm.core.rules.catalogue import LETTER_LANGUAGES, RECIPIENT_KINDS
from caseterm.core.rules.letter_fields import FieldInfo, check_template, field_catalogue
from caseterm.core.services import audit
from caseterm.core.services.common import staff_name
from caseterm.core.services.identity import Actor
from caseterm.core.text import clean_line, clean_notes

TEMPLATE_FIELDS = (
    "code",
    "name",
    "case_types",
    "recipient_kind",
    "language",
    "variant_of",
    "version",
    "active",
    "body",
)
BODY_MAX = 20_000


@dataclass(frozen=True)
class TemplateInfo:
    id: int
    code: str
    name: str
    case_types: tuple[str, ...]  # empty: any type of case
    recipient_kind: str
    language: str
    variant_of: str
    version: int
    active: bool
    body: str
    updated_at: datetime | None
    updated_by: str

    def applies_to(self, type_code: str) -> bool:
        return not self.case_types or type_code in self.case_types


def _info(session: Session, t: LetterTemplate) -> TemplateInfo:
    return TemplateInfo(
        id=t.id or 0,
        code=t.code,
        name=t.name,
        case_types=tuple(c for c in t.case_types.split(",") if c),
        recipient_kind=t.recipient_kind,
        language=t.language,
        variant_of=t.variant_of,
        version=t.version,
        active=t.active,
        body=t.body,
        updated_at=t.updated_at,
        updated_by=staff_name(session, t.updated_by_id),
    )


def list_templates(
    session: Session,
    actor: Actor,
    *,
    case_type: str | None = None,
    include_inactive: bool = False,
) -> list[TemplateInfo]:
    """The templates in code order; only those for `case_type` (and for any type) if given."""
    actor.require("case.read")
    q = select(LetterTemplate).order_by(col(LetterTemplate.code))
    if not include_inactive:
        q = q.where(col(LetterTemplate.active).is_(True))
    found = [_info(session, t) for t in session.exec(q).all()]
    if case_type:
        found = [t for t in found if t.applies_to(case_type)]
    return found


def _template(session: Session, code: str) -> LetterTemplate:
    key = (code or "").strip()
    if not key:
        raise ValidationError("template", "is required")
    found = session.exec(select(LetterTemplate).where(LetterTemplate.code == key)).first()
    if found is None:
        raise NotFoundError("letter template", key)
    return found


def show_template(
    session: Session, actor: Actor, *, code: str, version: int | None = None
) -> TemplateInfo:
    """One template with its body; an earlier saved version's text if `version` is given."""
    actor.require("case.read")
    t = _template(session, code)
    info = _info(session, t)
    if version is None or version == t.version:
        return info
    old = session.exec(
        select(LetterTemplateVersion).where(
            LetterTemplateVersion.template_id == t.id, LetterTemplateVersion.version == version
        )
    ).first()
    if old is None:
        raise NotFoundError(f"version of {t.code}", version)
    return TemplateInfo(
        **{
            **info.__dict__,
            "name": old.name,
            "body": old.body,
            "version": old.version,
            "updated_at": old.saved_at,
            "updated_by": staff_name(session, old.saved_by_id),
        }
    )


def _case_types(session: Session, value: str | list[str] | tuple[str, ...]) -> str:
    codes = value.split(",") if isinstance(value, str) else list(value)
    wanted = [c.strip().upper() for c in codes if c.strip()]
    known = set(session.exec(select(CaseType.code)).all())
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise ValidationError(
            "case_types",
            f"unknown case type {unknown[0]!r}; known: {', '.join(sorted(known)) or 'none'}",
        )
    return ",".join(dict.fromkeys(wanted))


def _choice(field: str, value: str, choices: dict[str, str]) -> str:
    key = (value or "").strip().lower()
    if key not in choices:
        raise ValidationError(field, f"unknown {key!r}; use one of {', '.join(choices)}")
    return key


def _body(value: str) -> str:
    body = clean_notes("body", value, required=True, limit=BODY_MAX) + "\n"
    check_template(body)
    return body


def _keep_version(session: Session, actor: Actor, t: LetterTemplate) -> None:
    session.add(
        LetterTemplateVersion(
            template_id=t.id or 0,
            version=t.version,
            name=t.name,
            body=t.body,
            saved_at=clock.now(),
            saved_by_id=actor.id,
        )
    )


def add_template(
    session: Session,
    actor: Actor,
    *,
    code: str,
    name: str,
    body: str,
    case_types: str | list[str] = "",
    recipient_kind: str = "subject",
    language: str = "en",
    variant_of: str = "",
) -> TemplateInfo:
    """A new stock letter, checked before it is saved (version 1)."""
    actor.require("template.admin")
    key = clean_line("code", code, limit=30).upper()
    if not key.replace("_", "").replace("-", "").isalnum():
        raise ValidationError("code", "use letters, digits, - and _ only")
    if session.exec(select(LetterTemplate.id).where(LetterTemplate.code == key)).first():
        raise ValidationError("code", f"{key!r} is already a template")
    variant = variant_of.strip().upper()
    if variant:
        _template(session, variant)
    t = LetterTemplate(
        code=key,
        name=clean_line("name", name, limit=120),
        body=_body(body),
        case_types=_case_types(session, case_types),
        recipient_kind=_choice("recipient_kind", recipient_kind, RECIPIENT_KINDS),
        language=_choice("language", language, LETTER_LANGUAGES),
        variant_of=variant,
        version=1,
        updated_at=clock.now(),
        updated_by_id=actor.id,
    )
    session.add(t)
    session.flush()
    _keep_version(session, actor, t)
    audit.record(
        session,
        actor,
        "template.add",
        "letter_template",
        t.id,
        summary=f"added letter template {t.code}: {t.name}",
        after=audit.snapshot(t, TEMPLATE_FIELDS),
    )
    return _info(session, t)


def edit_template(
    session: Session,
    actor: Actor,
    *,
    code: str,
    name: str | None = None,
    body: str | None = None,
    case_types: str | list[str] | None = None,
    recipient_kind: str | None = None,
    language: str | None = None,
    active: bool | None = None,
    expected_version: int | None = None,
) -> TemplateInfo:
    """Change a template: it is checked again and saved as the next version (letters already
    drafted keep the version they were made from)."""
    actor.require("template.admin")
    t = _template(session, code)
    if expected_version is not None and expected_version != t.version:
        raise StaleEditError("letter template", staff_name(session, t.updated_by_id), t.updated_at)
    before = audit.snapshot(t, TEMPLATE_FIELDS)
    if name is not None:
        t.name = clean_line("name", name, limit=120)
    if body is not None:
        t.body = _body(body)
    if case_types is not None:
        t.case_types = _case_types(session, case_types)
    if recipient_kind is not None:
        t.recipient_kind = _choice("recipient_kind", recipient_kind, RECIPIENT_KINDS)
    if language is not None:
        t.language = _choice("language", language, LETTER_LANGUAGES)
    if active is not None:
        t.active = active
    old, new = audit.changed(before, audit.snapshot(t, TEMPLATE_FIELDS))
    if not new:
        raise ValidationError("template", "nothing to change")
    t.version += 1
    t.updated_at = clock.now()
    t.updated_by_id = actor.id
    session.add(t)
    session.flush()
    _keep_version(session, actor, t)
    audit.record(
        session,
        actor,
        "template.edit",
        "letter_template",
        t.id,
        summary=f"edited letter template {t.code} (now version {t.version})",
        before=old,
        after={**new, "version": t.version},
    )
    return _info(session, t)


def install_stock_templates(session: Session, actor: Actor) -> list[str]:
    """Add the stock letters caseterm ships that the library does not have yet (a template
    already there under the same code is left as it is; one for case types the organisation
    does not have is left out). Returns the codes added."""
    from caseterm.core.rules.stock_letters import STOCK_LETTERS

    actor.require("template.admin")
    have = set(session.exec(select(LetterTemplate.code)).all())
    known = set(session.exec(select(CaseType.code)).all())
    added: list[str] = []
    for letter in sorted(STOCK_LETTERS, key=lambda t: bool(t.variant_of)):
        types = [c for c in letter.case_types if c in known]
        if letter.code in have or (letter.case_types and not types):
            continue  # already there, or for case types this organisation does not have
        add_template(
            session,
            actor,
            code=letter.code,
            name=letter.name,
            body=letter.body,
            case_types=types,
            recipient_kind=letter.recipient_kind,
            language=letter.language,
            variant_of=letter.variant_of,
        )
        added.append(letter.code)
    return added


def merge_fields(session: Session, actor: Actor) -> list[FieldInfo]:
    """The merge-field catalogue a template may use (for those who work cases)."""
    actor.require("case.read")
    return field_catalogue()

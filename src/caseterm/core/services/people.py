"""People: the master record, with aliases, identifiers, contact details and warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from caseterm.core import clock
from caseterm.core.errors import ValidationError
from caseterm.core.models import Person, PersonContact, PersonIdentifier, PersonName, PersonWarning
from caseterm.core.rules.catalogue import IDENTIFIER_TYPES, WARNING_KINDS, label
from caseterm.core.rules.identifiers import check_identifier, contact_key
from caseterm.core.rules.person_records import LIKELY_DUPLICATE_SCORE
from caseterm.core.rules.phonetic import name_keys
from caseterm.core.services import audit
from caseterm.core.services.case_info import IdentifierLine, NameLine, PersonInfo, WarningInfo
from caseterm.core.services.common import check_version, get, touch
from caseterm.core.services.identity import Actor
from caseterm.core.text import clean_line, fold_identifier

PERSON_FIELDS = (
    "given_name",
    "family_name",
    "title",
    "date_of_birth",
    "gender",
    "language",
    "interpreter",
)


@dataclass
class PersonInput:
    given_name: str
    family_name: str
    date_of_birth: date | None = None
    title: str = ""
    gender: str = ""
    language: str = "English"
    interpreter: bool = False
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (given, family)
    identifiers: list[tuple[str, str]] = field(default_factory=list)  # (type, value)
    contacts: list[tuple[str, str]] = field(default_factory=list)  # (kind, value)


def _check_date_of_birth(value: date | None) -> date | None:
    if value is None:
        return None
    if value > clock.today():
        raise ValidationError("date_of_birth", "is in the future")
    if value.year < 1900:
        raise ValidationError("date_of_birth", "is before 1900")
    return value


def name_row(person_id: int, kind: str, given: str, family: str) -> PersonName:
    folded, sound = name_keys(given, family)
    return PersonName(
        person_id=person_id,
        kind=kind,
        given_name=given,
        family_name=family,
        folded=folded,
        sound=sound,
    )


def _clean_identifier(
    session: Session, person_id: int | None, id_type: str, value: str
) -> PersonIdentifier:
    id_type = id_type.upper().strip()
    if id_type not in IDENTIFIER_TYPES:
        raise ValidationError(
            "identifier", f"unknown type {id_type!r}; use one of {', '.join(IDENTIFIER_TYPES)}"
        )
    value = check_identifier(id_type, clean_line("identifier", value, limit=60))
    folded = fold_identifier(value)
    if not folded:
        raise ValidationError("identifier", "has no letters or digits")
    clash = session.exec(
        select(PersonIdentifier).where(
            PersonIdentifier.id_type == id_type, PersonIdentifier.folded == folded
        )
    ).first()
    if clash is not None and clash.person_id != person_id:
        raise ValidationError(
            "identifier", f"{id_type} {value} already belongs to person {clash.person_id}"
        )
    return PersonIdentifier(person_id=person_id or 0, id_type=id_type, value=value, folded=folded)


class LikelyDuplicateError(ValidationError):
    """The new person may already have a record: the caller shows `matches` and asks for a
    confirmation before creating one anyway."""

    def __init__(self, matches: list[Any], confirm: str) -> None:
        self.matches = matches
        shown = "; ".join(
            f"person {m.person_id} {m.name}"
            + (f" (born {m.date_of_birth:%d/%m/%Y})" if m.date_of_birth else "")
            + (f": {', '.join(m.reasons)}" if m.reasons else "")
            for m in matches[:3]
        )
        more = f" and {len(matches) - 3} more" if len(matches) > 3 else ""
        super().__init__(
            "person", f"may already have a record: {shown}{more}; {confirm} to create a new one"
        )


def likely_duplicates(
    session: Session, actor: Actor, data: PersonInput, *, limit: int = 5
) -> list[Any]:
    """Existing records the new person may be (the triage matcher: names and aliases, date of
    birth, identifiers), scoring at least LIKELY_DUPLICATE_SCORE; tombstones never. A person
    whose every case is hidden from `actor` is named as search names them ("Restricted", no
    date of birth, whom to ask)."""
    from dataclasses import replace

    from caseterm.core.services import access, search  # loaded when first needed

    matches = search.find_people(
        session,
        text=f"{data.given_name} {data.family_name}",
        date_of_birth=data.date_of_birth,
        identifiers=data.identifiers,
        limit=limit,
    )
    likely = [m for m in matches if m.score >= LIKELY_DUPLICATE_SCORE]
    hidden = access.hidden_people(session, actor, person_ids=[m.person_id for m in likely])
    return [
        replace(
            m,
            name=access.RESTRICTED_NAME,
            date_of_birth=None,
            reasons=[access.restricted_label(session, hidden[m.person_id])],
        )
        if m.person_id in hidden
        else m
        for m in likely
    ]


def create_person(
    session: Session,
    actor: Actor,
    data: PersonInput,
    *,
    create_anyway: bool = True,
    confirm: str = "confirm",
) -> PersonInfo:
    """Create a master record. Names are required; identifiers must be unique per type and valid
    for their type. With `create_anyway=False` a likely existing record is refused
    (LikelyDuplicateError, saying to `confirm`): the user must have seen the matches first."""
    actor.require("person.write")
    if not create_anyway:
        matches = likely_duplicates(session, actor, data)
        if matches:
            raise LikelyDuplicateError(matches, confirm)
    person = Person(
        given_name=clean_line("given_name", data.given_name, limit=120),
        family_name=clean_line("family_name", data.family_name, limit=120),
        title=clean_line("title", data.title, required=False, limit=20),
        date_of_birth=_check_date_of_birth(data.date_of_birth),
        gender=clean_line("gender", data.gender, required=False, limit=30),
        language=clean_line("language", data.language or "English", limit=60),
        interpreter=data.interpreter,
        updated_by_id=actor.id,
    )
    identifiers = [_clean_identifier(session, None, t, v) for t, v in data.identifiers]
    seen = {(i.id_type, i.folded) for i in identifiers}
    if len(seen) != len(identifiers):
        raise ValidationError("identifier", "the same identifier is given twice")
    aliases = [
        (clean_line("alias", g, required=False, limit=120), clean_line("alias", f, limit=120))
        for g, f in data.aliases
    ]
    contacts = [(_contact_kind(k), clean_line("contact", v)) for k, v in data.contacts]
    session.add(person)
    session.flush()
    assert person.id is not None
    session.add(name_row(person.id, "primary", person.given_name, person.family_name))
    for given, family in aliases:
        session.add(name_row(person.id, "alias", given, family))
    for ident in identifiers:
        ident.person_id = person.id
        session.add(ident)
    for kind, value in contacts:
        session.add(
            PersonContact(
                person_id=person.id, kind=kind, value=value, search_key=contact_key(kind, value)
            )
        )
    audit.record(
        session,
        actor,
        "person.create",
        "person",
        person.id,
        person_id=person.id,
        summary=f"created {person.full_name}",
        after=audit.snapshot(person, PERSON_FIELDS),
    )
    return PersonInfo.of(person)


def _contact_kind(kind: str) -> str:
    if kind not in ("address", "phone", "email"):
        raise ValidationError("contact", f"unknown kind {kind!r}; use address, phone or email")
    return kind


def update_person(
    session: Session,
    actor: Actor,
    *,
    person_id: int,
    expected_version: int | None,
    **changes: object,
) -> PersonInfo:
    """Change a person's main fields; refuses if changed by someone since `expected_version`."""
    actor.require("person.write")
    person = live(session, person_id)
    check_version(session, person, expected_version, f"{person.full_name}'s record")
    before = audit.snapshot(person, PERSON_FIELDS)
    for key, value in changes.items():
        if key not in PERSON_FIELDS:
            raise ValidationError(key, "cannot be changed here")
        if key in ("given_name", "family_name"):
            value = clean_line(key, str(value), limit=120)
        elif key == "date_of_birth":
            value = _check_date_of_birth(value)  # type: ignore[arg-type]
        elif isinstance(value, str):
            value = clean_line(key, value, required=False)
        setattr(person, key, value)
    touch(person, actor.id)
    if "given_name" in changes or "family_name" in changes:
        primary = session.exec(
            select(PersonName).where(
                PersonName.person_id == person_id, PersonName.kind == "primary"
            )
        ).first()
        fresh = name_row(person_id, "primary", person.given_name, person.family_name)
        if primary is None:
            session.add(fresh)
        else:
            primary.given_name, primary.family_name = fresh.given_name, fresh.family_name
            primary.folded, primary.sound = fresh.folded, fresh.sound
    old, new = audit.changed(before, audit.snapshot(person, PERSON_FIELDS))
    audit.record(
        session,
        actor,
        "person.update",
        "person",
        person_id,
        person_id=person_id,
        summary=f"updated {', '.join(new) or 'nothing'}",
        before=old,
        after=new,
    )
    session.flush()  # the new version, for the caller's next change
    return PersonInfo.of(person)


def live(session: Session, person_id: int) -> Person:
    """The person, refusing a record merged into another (a tombstone is never changed)."""
    person = get(session, Person, person_id, "person")
    if person.merged_into_id is not None:
        raise ValidationError(
            "person",
            f"person {person_id} was merged into person {person.merged_into_id}; change that one",
        )
    return person


def add_alias(
    session: Session, actor: Actor, *, person_id: int, given: str, family: str
) -> NameLine:
    actor.require("person.write")
    live(session, person_id)
    row = name_row(
        person_id,
        "alias",
        clean_line("alias", given, required=False, limit=120),
        clean_line("alias", family, limit=120),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "person.alias",
        "person",
        person_id,
        person_id=person_id,
        summary=f"alias {row.given_name} {row.family_name}",
        after={"alias": f"{row.given_name} {row.family_name}"},
    )
    return NameLine(row.id or 0, row.kind, row.given_name, row.family_name)


def add_identifier(
    session: Session, actor: Actor, *, person_id: int, id_type: str, value: str
) -> IdentifierLine:
    """A typed identifier, checked by its type's rule (rules/identifiers.py) and unique."""
    actor.require("person.write")
    live(session, person_id)
    ident = _clean_identifier(session, person_id, id_type, value)
    session.add(ident)
    session.flush()
    audit.record(
        session,
        actor,
        "person.identifier",
        "person",
        person_id,
        person_id=person_id,
        summary=f"{ident.id_type} {ident.value}",
        after={"id_type": ident.id_type, "value": ident.value},
    )
    kind = label(IDENTIFIER_TYPES, ident.id_type)
    return IdentifierLine(ident.id or 0, ident.id_type, kind, ident.value)


def add_warning(
    session: Session,
    actor: Actor,
    *,
    person_id: int,
    kind: str,
    text: str,
    desk_text: str = "",
    review_on: date | None = None,
) -> WarningInfo:
    """A warning on a person, with the reason (`text`). `desk_text` is what reception may see
    (no case details); `review_on` when it must be looked at again (not in the past)."""
    actor.require("person.write")
    live(session, person_id)
    if review_on is not None and review_on < clock.today():
        raise ValidationError("review_on", "is in the past")
    if kind not in WARNING_KINDS:
        raise ValidationError(
            "kind", f"unknown warning kind {kind!r}; use one of {', '.join(WARNING_KINDS)}"
        )
    warning = PersonWarning(
        person_id=person_id,
        kind=kind,
        text=clean_line("text", text, limit=500),
        desk_text=clean_line("desk_text", desk_text, required=False, limit=200),
        created_by_id=actor.id,
        review_on=review_on,
    )
    session.add(warning)
    session.flush()
    audit.record(
        session,
        actor,
        "person.warning",
        "person",
        person_id,
        person_id=person_id,
        summary=f"{kind}: {warning.text}",
        after=audit.snapshot(warning, ("kind", "text", "desk_text", "review_on")),
    )
    return WarningInfo.of(warning)


def warnings_for(session: Session, person_id: int) -> list[PersonWarning]:
    return list(
        session.exec(
            select(PersonWarning)
            .where(PersonWarning.person_id == person_id, PersonWarning.active == True)  # noqa: E712
            .order_by(col(PersonWarning.id))
        ).all()
    )

"""The person screen's smaller forms, one per change: an alias, an identifier (checked by type),
an address, phone or email (a new address ends the current one), ending a contact detail,
removing an identifier, clearing a warning, recording a verification. Each is the shared form
(a draft kept by the draft keeper, `ctrl+s` saves, `escape` asks to leave); the numbers asked
for are the `#` numbers shown on the person screen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, cast

from sqlmodel import Session

from caseterm.core.errors import ValidationError
from caseterm.core.rules.catalogue import IDENTIFIER_TYPES, VERIFICATION_KINDS
from caseterm.core.rules.when import parse_uk_date
from caseterm.core.services import people, person_details, person_warnings, verification
from caseterm.core.services.identity import Actor
from caseterm.tui.context import HasContext
from caseterm.tui.person.forms import _Form

Save = Callable[[Session, Actor, int, dict[str, str]], object]


def _number(text: str, field: str) -> int:
    digits = text.strip().lstrip("#")
    if not digits.isdigit():
        raise ValidationError(field, "give the # number shown on the person screen")
    return int(digits)


def _alias(s: Session, a: Actor, pid: int, v: dict[str, str]) -> object:
    return people.add_alias(s, a, person_id=pid, given=v["given"], family=v["family"])


def _identifier(s: Session, a: Actor, pid: int, v: dict[str, str]) -> object:
    return people.add_identifier(s, a, person_id=pid, id_type=v["id_type"], value=v["value"])


def _contact(s: Session, a: Actor, pid: int, v: dict[str, str]) -> object:
    kind = v["kind"].strip().lower()
    return person_details.add_contact(s, a, person_id=pid, kind=kind, value=v["value"])


def _end_contact(s: Session, a: Actor, pid: int, v: dict[str, str]) -> object:
    return person_details.end_contact(
        s, a, person_id=pid, contact_id=_number(v["number"], "number"), reason=v["reason"]
    )


def _remove_identifier(s: Session, a: Actor, pid: int, v: dict[str, str]) -> object:
    return person_details.remove_identifier(
        s, a, person_id=pid, identifier_id=_number(v["number"], "number"), reason=v["reason"]
    )


def _clear_warning(s: Session, a: Actor, pid: int, v: dict[str, str]) -> object:
    return person_warnings.clear_warning(
        s, a, warning_id=_number(v["number"], "number"), reason=v["reason"]
    )


def _verify(s: Session, a: Actor, pid: int, v: dict[str, str]) -> object:
    when = parse_uk_date(v["on"], field="on") if v["on"].strip() else None
    return verification.record_verification(
        s,
        a,
        person_id=pid,
        what=v["what"].strip().lower(),
        evidence=v["evidence"],
        verified_on=when,
    )


@dataclass(frozen=True)
class DetailSpec:
    title: str
    fields: tuple[tuple[str, str], ...]
    save: Save
    done: str
    hint: str = ""


DETAILS: dict[str, DetailSpec] = {
    "alias": DetailSpec(
        "Add an alias", (("given", "Given name"), ("family", "Family name")), _alias, "Alias added"
    ),
    "identifier": DetailSpec(
        "Add an identifier",
        (("id_type", "Type"), ("value", "Value")),
        _identifier,
        "Identifier added",
        "Types: " + ", ".join(IDENTIFIER_TYPES),
    ),
    "contact": DetailSpec(
        "Add an address, phone or email",
        (("kind", "Kind"), ("value", "Value")),
        _contact,
        "Contact detail added",
        "Kinds: address (ends the current one), phone, email",
    ),
    "end_contact": DetailSpec(
        "End a contact detail",
        (("number", "Number (#)"), ("reason", "Reason")),
        _end_contact,
        "Contact detail ended",
    ),
    "remove_identifier": DetailSpec(
        "Remove an identifier",
        (("number", "Number (#)"), ("reason", "Reason")),
        _remove_identifier,
        "Identifier removed",
    ),
    "clear_warning": DetailSpec(
        "Clear a warning",
        (("number", "Warning (#)"), ("reason", "Reason")),
        _clear_warning,
        "Warning cleared",
    ),
    "verify": DetailSpec(
        "Record a verification",
        (("what", "What"), ("evidence", "Evidence"), ("on", "On (DD/MM/YYYY)")),
        _verify,
        "Verification recorded",
        "What: " + ", ".join(VERIFICATION_KINDS),
    ),
}


class PersonDetailScreen(_Form):
    """One of DETAILS, for one person."""

    PREFIX = "pd"
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = ()

    def __init__(self, which: str, person_id: int) -> None:
        self.spec = DETAILS[which]
        self.person_id = person_id
        self.FIELDS = self.spec.fields  # type: ignore[misc]
        super().__init__(
            kind=f"person_{which}",
            key=str(person_id),
            title=self.spec.title,
            start={name: "" for name, _ in self.spec.fields},
        )

    def on_mount(self) -> None:
        super().on_mount()
        if self.spec.hint:
            self._status(self.spec.hint)

    def action_save(self) -> None:
        if self.keeper.saving or self.keeper.closed:
            return
        typed, pid, save = self.values(), self.person_id, self.spec.save
        actor = cast(HasContext, self.app).ctx.actor

        def work(session: Session) -> Any:
            return save(session, actor, pid, typed)

        self._status("Saving…")
        self.keeper.save(work, done=self._saved, failed=self._failed, what=self.spec.title.lower())

    def _saved(self, _result: object) -> None:
        self.app.notify(self.spec.done, timeout=4, markup=False)
        self.dismiss(True)

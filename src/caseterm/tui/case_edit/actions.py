"""What the case screen's lifecycle keys do: each opens its dialog and, once the service has
saved, asks the screen to read the case again. Kept here so the case screen only binds keys.

    U edit · C close (checklist) · O reopen · X transfer out, or accept/return one waiting ·
    P add a party · L link a case · D remove the party or link under the cursor · F paper file
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, cast

from sqlmodel import Session
from textual.app import App

from caseterm.core.errors import ValidationError
from caseterm.core.models.vocab import CaseStatus
from caseterm.core.rules.case_lifecycle import CASE_LINK_KINDS, FILE_LOCATION_KINDS, PARTY_ROLES
from caseterm.core.rules.when import parse_uk_date
from caseterm.core.services import case_closure, case_edit, case_transfer, cases, file_location
from caseterm.core.services.case_edit import CaseForEdit, Choice
from caseterm.core.services.cases import CaseView
from caseterm.core.services.identity import Actor
from caseterm.core.services.search import parse_reference
from caseterm.tui.case_edit.closure import ClosureScreen, ConfirmModal
from caseterm.tui.case_edit.form import FormField, LifecycleForm, Values
from caseterm.tui.case_edit.person_picker import PersonPickerScreen, PickedPerson
from caseterm.tui.dbwork import run_db

PRIORITIES = (("1 urgent", "1"), ("2 high", "2"), ("3 normal", "3"), ("4 low", "4"))
CLOSED = (CaseStatus.CLOSED, CaseStatus.ARCHIVED)


class CaseScreenLike(Protocol):
    """What the actions need of the case screen."""

    case_id: int | None
    view: CaseView | None

    @property
    def app(self) -> App[Any]: ...

    def refresh_data(self, *, header: bool = True) -> None: ...

    def show_stale(
        self, error: Any, mine: Mapping[str, str], load_theirs: Any, then: Any
    ) -> None: ...


def _actor(screen: CaseScreenLike) -> Actor:
    return cast(Actor, screen.app.ctx.actor)  # type: ignore[attr-defined]


def _choices(rows: tuple[Choice, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((f"{c.code} {c.name}", str(c.id)) for c in rows)


def _staff(rows: tuple[Choice, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((f"{c.name} ({c.code})", str(c.id)) for c in rows)


def _id(value: str) -> int | None:
    return int(value) if value else None


def _opt(value: int | None) -> str:
    return str(value) if value is not None else ""


def _saved(screen: CaseScreenLike, message: str) -> Any:
    def done(result: Any) -> None:
        if result is not None:
            screen.app.notify(message, timeout=4, markup=False)
            screen.refresh_data()

    return done


def _with_case_data(screen: CaseScreenLike, then: Any) -> None:
    """Read the case's editable fields and choices, then open a dialog with them."""
    if screen.case_id is None:
        return
    actor, case_id = _actor(screen), screen.case_id
    run_db(
        cast(Any, screen),
        lambda s: case_edit.case_for_edit(s, actor, case_id=case_id),
        done=then,
        write="if_needed",
        what="reading the case",
        group="case-edit-read",
    )


# --- U: edit ---------------------------------------------------------------------------------


def edit_case(screen: CaseScreenLike) -> None:
    def show(data: CaseForEdit) -> None:
        actor = _actor(screen)
        fields = [
            FormField("summary", "Summary", "area", value=data.summary),
            FormField("priority", "Priority", "select", PRIORITIES, str(data.priority)),
            FormField("owner", "Owner", "select", _staff(data.staff), _opt(data.owner_id)),
            FormField(
                "admin_owner",
                "Admin owner",
                "select",
                _staff(data.staff),
                _opt(data.admin_owner_id),
            ),
            FormField("team", "Team", "select", _choices(data.teams), _opt(data.team_id)),
            FormField("office", "Office", "select", _choices(data.offices), _opt(data.office_id)),
        ]

        def work(v: Values) -> Any:
            return lambda s: case_edit.edit_case(
                s,
                actor,
                case_id=data.case_id,
                expected_version=data.version,
                summary=v["summary"],
                priority=int(v["priority"] or data.priority),
                owner_id=_id(v["owner"]),
                clear_owner=not v["owner"],
                admin_owner_id=_id(v["admin_owner"]),
                team_id=_id(v["team"]),
                office_id=_id(v["office"]),
            )

        def theirs(s: Session) -> Mapping[str, str]:
            now = case_edit.case_for_edit(s, actor, case_id=data.case_id)
            return {"Summary": now.summary, "Priority": str(now.priority)}

        screen.app.push_screen(
            LifecycleForm(
                f"Edit {data.reference}",
                fields,
                work,
                what="the case edit",
                draft=("case_edit", str(data.case_id)),
                stale_fields=theirs,
                on_stale=screen.show_stale,
            ),
            _saved(screen, f"{data.reference} saved"),
        )

    _with_case_data(screen, show)


# --- C and O: close and reopen ---------------------------------------------------------------


def close_case(screen: CaseScreenLike) -> None:
    if screen.case_id is None or screen.view is None:
        return
    screen.app.push_screen(
        ClosureScreen(screen.case_id, screen.view.case.reference),
        lambda closed: screen.refresh_data() if closed is not None else None,
    )


def reopen_case(screen: CaseScreenLike) -> None:
    if screen.case_id is None or screen.view is None:
        return
    actor, case_id, version = _actor(screen), screen.case_id, screen.view.case.version
    fields = [FormField("reason", "Reason", placeholder="why it is reopened")]
    screen.app.push_screen(
        LifecycleForm(
            f"Reopen {screen.view.case.reference}",
            fields,
            lambda v: (
                lambda s: (
                    case_closure.reopen_case(
                        s, actor, case_id=case_id, reason=v["reason"], expected_version=version
                    )
                    or True
                )
            ),
            what="reopening the case",
        ),
        _saved(screen, "Case reopened"),
    )


# --- X: transfer --------------------------------------------------------------------------------


def transfer(screen: CaseScreenLike) -> None:
    def show(data: CaseForEdit) -> None:
        actor = _actor(screen)
        if data.status == CaseStatus.TRANSFER_PENDING:
            fields = [
                FormField(
                    "decision",
                    "Decision",
                    "select",
                    (("Accept it", "accept"), ("Return it", "return")),
                    "accept",
                ),
                FormField("owner", "New owner", "select", _staff(data.staff)),
                FormField("team", "New team", "select", _choices(data.teams)),
                FormField("reason", "Return reason", placeholder="if returned: why"),
            ]

            def decide(v: Values) -> Any:
                if v["decision"] == "return":
                    return lambda s: case_transfer.return_transfer(
                        s, actor, case_id=data.case_id, reason=v["reason"]
                    )
                return lambda s: case_transfer.accept_transfer(
                    s,
                    actor,
                    case_id=data.case_id,
                    owner_id=_id(v["owner"]),
                    team_id=_id(v["team"]),
                )

            screen.app.push_screen(
                LifecycleForm(
                    f"Transfer in {data.reference}",
                    fields,
                    decide,
                    what="the transfer decision",
                    intro="Accept the case into your office, or return it with a reason.",
                ),
                _saved(screen, "Transfer decided"),
            )
            return
        fields = [
            FormField("office", "To office", "select", _choices(data.offices)),
            FormField("team", "To team", "select", _choices(data.teams)),
            FormField("reason", "Reason", placeholder="why it moves"),
            FormField("papers_sent", "Papers sent", "check"),
            FormField("appointments_moved", "Appts moved", "check"),
            FormField("tasks_handed_over", "Tasks handed", "check"),
        ]

        def out(v: Values) -> Any:
            if not v["office"]:
                raise ValidationError("office", "choose the receiving office")
            return lambda s: case_transfer.transfer_out(
                s,
                actor,
                case_id=data.case_id,
                office_id=int(v["office"]),
                team_id=_id(v["team"]),
                reason=v["reason"],
                papers_sent=v["papers_sent"],
                appointments_moved=v["appointments_moved"],
                tasks_handed_over=v["tasks_handed_over"],
                expected_version=data.version,
            )

        screen.app.push_screen(
            LifecycleForm(
                f"Transfer {data.reference} out",
                fields,
                out,
                what="the transfer",
                intro="Checklist: papers sent, future appointments moved or cancelled, open "
                "tasks handed over (space ticks).",
            ),
            _saved(screen, "Transfer sent: the receiving office has a transfer-in task"),
        )

    _with_case_data(screen, show)


# --- P, L, D: parties and links ------------------------------------------------------------------


def add_party(screen: CaseScreenLike) -> None:
    """Pick the person first (search by name and/or date of birth), then their role."""
    if screen.case_id is None:
        return
    actor, case_id = _actor(screen), screen.case_id

    def chosen(person: PickedPerson | None) -> None:
        if person is None:
            return
        fields = [
            FormField("role", "Role", "select", tuple((t, k) for k, t in PARTY_ROLES.items())),
            FormField("notes", "Notes"),
        ]

        def work(v: Values) -> Any:
            if not v["role"]:
                raise ValidationError("role", "choose a role")
            return lambda s: case_edit.add_party(
                s,
                actor,
                case_id=case_id,
                person_id=person.person_id,
                role=v["role"],
                notes=v["notes"],
            )

        screen.app.push_screen(
            LifecycleForm(
                "Add a party", fields, work, what="the party", intro=f"Who: {person.describe()}"
            ),
            _saved(screen, "Party added"),
        )

    screen.app.push_screen(PersonPickerScreen(), chosen)


def link_case(screen: CaseScreenLike) -> None:
    if screen.case_id is None:
        return
    actor, case_id = _actor(screen), screen.case_id
    fields = [
        FormField("other", "Other case", placeholder="reference, e.g. UPW/2026/12"),
        FormField(
            "kind",
            "Relation",
            "select",
            tuple((t, k) for k, t in CASE_LINK_KINDS.items()),
            "related",
        ),
    ]

    def work(v: Values) -> Any:
        ref = parse_reference(v["other"]) or v["other"].strip()

        def link(s: Session) -> case_edit.LinkChange:
            other = cases.case_by_reference(s, ref)
            return case_edit.link_cases(
                s, actor, case_id=case_id, other_id=other.id or 0, kind=v["kind"] or "related"
            )

        return link

    screen.app.push_screen(
        LifecycleForm("Link a case", fields, work, what="the link"), _saved(screen, "Cases linked")
    )


def remove_row(screen: CaseScreenLike, person_id: int, role: str) -> None:
    """Remove the party (or the link) on the Parties row under the cursor, after asking."""
    view, actor = screen.view, _actor(screen)
    if view is None or screen.case_id is None:
        return
    case_id = screen.case_id
    link = next((c for c in view.links if role == f"Linked case {c.reference}"), None)
    party = next(
        (p for p, person in view.parties if person.id == person_id and p.role == role), None
    )
    if link is not None:
        question, other_id = f"Remove the link to {link.reference}?", link.id or 0

        def work(s: Session) -> Any:
            return case_edit.unlink_cases(s, actor, case_id=case_id, other_id=other_id)
    elif party is not None:
        question, party_id = f"Take {PARTY_ROLES.get(role, role)} off the case?", party.id or 0

        def work(s: Session) -> Any:
            return case_edit.remove_party(s, actor, case_id=case_id, party_id=party_id)
    else:
        screen.app.notify("Pick a party or a linked case in the Parties section (4)", timeout=4)
        return

    def answered(yes: bool | None) -> None:
        if yes:
            run_db(
                cast(Any, screen),
                work,
                write=True,
                done=_saved(screen, "Removed"),
                what="removing it",
                group="case-remove",
            )

    screen.app.push_screen(ConfirmModal("Remove", question), answered)


# --- F: the paper file ----------------------------------------------------------------------------


def file_location_form(screen: CaseScreenLike) -> None:
    if screen.case_id is None:
        return
    actor, case_id = _actor(screen), screen.case_id

    def show(loaded: tuple[CaseForEdit, list[file_location.LocationInfo]]) -> None:
        data, history = loaded
        now = history[0].describe() if history else "not recorded"
        fields = [
            FormField(
                "kind", "Where", "select", tuple((t, k) for k, t in FILE_LOCATION_KINDS.items())
            ),
            FormField("office", "Office", "select", _choices(data.offices)),
            FormField("place", "Cabinet/shelf"),
            FormField("box", "Box"),
            FormField("retrieval", "Retrieval date", placeholder="DD/MM/YYYY (off-site)"),
            FormField("note", "Note"),
        ]

        def work(v: Values) -> Any:
            if not v["kind"]:
                raise ValidationError("kind", "choose where the file is")
            when = (
                parse_uk_date(v["retrieval"], field="retrieval_date")
                if v["retrieval"].strip()
                else None
            )
            return lambda s: file_location.set_file_location(
                s,
                actor,
                case_id=case_id,
                kind=v["kind"],
                office_id=_id(v["office"]),
                place=v["place"],
                box=v["box"],
                retrieval_date=when,
                note=v["note"],
            )

        screen.app.push_screen(
            LifecycleForm(
                f"Paper file of {data.reference}",
                fields,
                work,
                what="the file location",
                intro=f"Now: {now} ({len(history)} moves recorded)",
            ),
            _saved(screen, "File location recorded"),
        )

    run_db(
        cast(Any, screen),
        lambda s: (
            case_edit.case_for_edit(s, actor, case_id=case_id),
            file_location.file_locations(s, actor, case_id=case_id),
        ),
        done=show,
        write="if_needed",
        what="reading the file location",
        group="case-edit-read",
    )


# --- n on a closed case ---------------------------------------------------------------------


def new_contact(screen: CaseScreenLike, open_form: Any) -> None:
    """A closed case takes a contact only once the user says so."""
    view = screen.view
    if view is None or view.case.status not in CLOSED:
        open_form(False)
        return
    screen.app.push_screen(
        ConfirmModal(
            f"{view.case.reference} is {view.case.status}",
            "Add a contact to a closed case?",
        ),
        lambda yes: open_form(True) if yes else None,
    )

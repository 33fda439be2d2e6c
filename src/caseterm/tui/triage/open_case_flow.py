"""The triage screen's dialogs-then-decide flows: opening a case for an incoming item (`o`: case
type, team, owner, then the person, checking for likely existing records first) and reading a
list of choices to pick from. `TriageScreen` (screen.py) loads the items and decides."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from sqlmodel import Session
from textual.screen import Screen
from textual.widgets import OptionList, Static

from caseterm.core.services import org, people, triage
from caseterm.core.services.identity import Actor
from caseterm.core.services.triage import Decision, TriageItem
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.safe import clean
from caseterm.tui.triage.dialogs import Choice, NewPerson, NewPersonDialog, PickDialog
from caseterm.tui.triage.open_case import OpenCaseSetup, owner_choices, picked_id, team_choices

Decide = Callable[[Session, Actor, int], Decision]


class TriageFlows(Screen[None]):
    """What `TriageScreen` builds on: the item shown, saying what happened, and the flows."""

    item: TriageItem | None

    def _decide(self, decide: Decide, again: Callable[[str], None] | None = None) -> None:
        raise NotImplementedError

    @property
    def actor(self) -> Actor:
        actor: Actor = self.app.ctx.actor  # type: ignore[attr-defined]
        return actor

    def say(self, text: str) -> None:
        self.query_one("#status", Static).update(Text(clean(text)))

    def _highlighted(self) -> str | None:
        matches = self.query_one(OptionList)
        if matches.highlighted is None or not matches.option_count:
            return None
        return matches.get_option_at_index(matches.highlighted).id

    def action_open_case(self) -> None:
        if self.item is None:
            return
        # The match highlighted now is the person chosen: the list may be read again while the
        # questions are asked (another process commits), and its highlight with it.
        chosen = self._highlighted() or ""
        self._choices_then(
            lambda s: [Choice(ct.code, f"{ct.name} ({ct.code})") for ct in org.list_case_types(s)],
            "Open a new case of type",
            lambda code: self._case_type_picked(code, chosen),
        )

    def _case_type_picked(self, code: str | None, chosen: str) -> None:
        if not code or self.item is None:
            return
        actor = self.actor
        self._choices_then(
            lambda s: team_choices(s, actor, code),
            "Which team works the new case?",
            lambda team: self._team_picked(code, team, chosen),
        )

    def _team_picked(self, code: str, team: str | None, chosen: str) -> None:
        if not team:
            self.say("No case opened")
            return
        team_id = picked_id(team)
        self._choices_then(
            owner_choices,
            "Who owns the new case?",
            lambda owner: self._setup_done(
                OpenCaseSetup(code, team_id, picked_id(owner)) if owner else None, chosen
            ),
        )

    def _setup_done(self, setup: OpenCaseSetup | None, chosen: str) -> None:
        """`chosen`: the match highlighted when `o` was pressed ("p:ID" for a person on file)."""
        if setup is None or self.item is None:
            self.say("No case opened")
            return
        code = setup.case_type
        person_id = self.item.task.person_id
        if person_id is None and chosen.startswith("p:"):
            person_id = int(chosen[2:])
        if person_id is not None:
            pid = person_id
            self._decide(
                lambda s, a, t: triage.open_case_from(
                    s,
                    a,
                    t,
                    case_type=code,
                    person_id=pid,
                    team_id=setup.team_id,
                    owner_id=setup.owner_id,
                )
            )
            return
        task = self.item.task
        guess = task.about_name or task.title.split(":", 1)[-1]

        def with_person(new: NewPerson | None) -> None:
            if new is None:
                return
            data = people.PersonInput(
                given_name=new.given, family_name=new.family, date_of_birth=new.date_of_birth
            )
            self._new_person_checked(setup, data)

        self.app.push_screen(NewPersonDialog(guess, task.about_dob), with_person)

    def _new_person_checked(self, setup: OpenCaseSetup, data: people.PersonInput) -> None:
        """Likely existing records first: pick one of them, or confirm a new record anyway."""
        actor = self.actor

        def decide(person_id: int | None, create_anyway: bool) -> None:
            self._decide(
                lambda s, a, t: triage.open_case_from(
                    s,
                    a,
                    t,
                    case_type=setup.case_type,
                    person_id=person_id,
                    team_id=setup.team_id,
                    owner_id=setup.owner_id,
                    new_person=None if person_id else data,
                    create_anyway=create_anyway,
                )
            )

        def picked(key: str | None) -> None:
            if key == "new":
                decide(None, True)
            elif key and key.startswith("p:"):
                decide(int(key[2:]), False)
            else:
                self.say("No case opened")

        def found(matches: list[Any]) -> None:
            if not matches:
                decide(None, False)  # the service checks again, in the same transaction
                return
            choices = [Choice("new", "Create a new record anyway")] + [
                Choice(
                    f"p:{m.person_id}",
                    f"Use person {m.person_id}: {m.name}"
                    + (f" (born {m.date_of_birth:%d/%m/%Y})" if m.date_of_birth else "")
                    + (f" — {', '.join(m.reasons)}" if m.reasons else ""),
                    m.name,
                )
                for m in matches
            ]
            self.app.push_screen(
                PickDialog("This person may already have a record", choices), picked
            )

        run_db(
            self,
            lambda s: people.likely_duplicates(s, actor, data),
            done=found,
            failed=lambda error: self.say(f"Cannot check for duplicates: {describe_error(error)}"),
            what="looking for existing records",
            group="triage-duplicates",
        )

    def _choices_then(
        self,
        build: Callable[[Session], list[Choice]],
        title: str,
        then: Callable[[str | None], None],
    ) -> None:
        self._load_choices(build, title, then)

    def _load_choices(
        self,
        build: Callable[[Session], list[Choice]],
        title: str,
        then: Callable[[str | None], None],
    ) -> None:
        run_db(
            self,
            build,
            done=lambda choices: self.app.push_screen(PickDialog(title, choices), then),
            failed=lambda error: self.say(f"Cannot list the choices: {describe_error(error)}"),
            what="reading the choices",
            group="triage-load-choices",
        )

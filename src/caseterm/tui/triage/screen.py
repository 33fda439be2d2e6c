"""The triage screen: one incoming item fills the screen; single keys decide; `u` undoes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from sqlmodel import Session
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static

from caseterm.core import clock
from caseterm.core.rules.catalogue import INCOMING_KINDS, TASK_KINDS, status_label
from caseterm.core.services import org, staff, triage
from caseterm.core.services.identity import Actor
from caseterm.core.services.triage import Decision, TriageItem
from caseterm.tui.base_app import DbStatus
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.messages import DataChanged
from caseterm.tui.safe import clean
from caseterm.tui.triage import attach_file
from caseterm.tui.triage.dialogs import (
    AskDialog,
    Choice,
    DateDialog,
    PickDialog,
)
from caseterm.tui.triage.open_case_flow import Decide, TriageFlows
from caseterm.tui.triage.view import arrived_text, match_options
from caseterm.tui.widgets.key_bar import KeyBar


@dataclass
class Loaded:
    item: TriageItem | None
    waiting: int
    why_fewer: str = ""  # why the Incoming queue holds more (other offices, brought forward)


class TriageScreen(TriageFlows):
    HELP_TITLE = "Triage"
    BINDINGS = [
        Binding("a", "assign", "Assign", id="triage_assign"),
        Binding("r", "route", "Route", id="triage_route"),
        Binding("1", "priority(1)", "P1", id="triage_priority_1", show=False),
        Binding("2", "priority(2)", "P2", id="triage_priority_2", show=False),
        Binding("3", "priority(3)", "P3", id="triage_priority_3", show=False),
        Binding("4", "priority(4)", "P4", id="triage_priority_4", show=False),
        Binding("l", "link", "Link", id="triage_link"),
        Binding("o", "open_case", "Open case", id="triage_open_case"),
        Binding("b", "bring_forward", "Bring fwd", id="triage_bring_forward"),
        Binding("x", "close_item", "Close", id="triage_close"),
        Binding("f", "attach_file", "Attach file", id="triage_attach_file"),
        Binding("s", "skip", "Skip", id="triage_skip"),
        Binding("u", "undo", "Undo", id="undo"),
        Binding("escape", "leave", "Back", id="back"),
    ]
    DEFAULT_CSS = """
    TriageScreen #counter { height: 1; background: $primary-background; }
    TriageScreen #arrived-box { height: auto; max-height: 14; }
    TriageScreen #arrived { height: auto; max-height: 12; border: round $accent; padding: 0 1; }
    TriageScreen #matches { height: 1fr; border: round $panel; }
    TriageScreen #status { height: 1; color: $text-muted; }
    """

    def __init__(self, *, can_leave: bool = False) -> None:
        super().__init__()
        self.can_leave = can_leave  # opened from the workstation: escape goes back, not out
        self.item: TriageItem | None = None
        self.prefetched: TriageItem | None = None
        self.waiting = 0
        self.why_fewer = ""
        self.journal: list[Decision] = []
        self.skipped: set[int] = set()
        self.done = 0
        self.started = clock.now()
        self.busy = False
        self._loading: tuple[int | None] | None = None  # what a load under way will show

    def compose(self) -> ComposeResult:
        yield Static(id="counter")
        with VerticalScroll(id="arrived-box"):
            yield Static(id="arrived")
        yield Static(
            Text(" Possible matches (↑↓ highlight, l link, o open a case for them)", style="bold")
        )
        yield OptionList(id="matches")
        yield Static(id="status")
        yield DbStatus()
        yield KeyBar()

    def on_mount(self) -> None:
        focus_now(self.query_one(OptionList))
        self.load()

    # ------------------------------------------------------------------ loading
    @staticmethod
    def _fetch(session: Session, actor: Actor, skip: set[int]) -> TriageItem | None:
        nxt = triage.next_items(session, actor, skip=frozenset(skip), limit=1)
        return triage.load_item(session, actor, task_id=nxt[0].id or 0) if nxt else None

    def load(self, task_id: int | None = None) -> None:
        """Show `task_id` (or the next item), then prefetch the one after it."""
        actor, skipped = self.actor, set(self.skipped)
        self._loading = (task_id,)

        def read(s: Session) -> Loaded:
            item: TriageItem | None
            if task_id:
                item = triage.load_item(s, actor, task_id=task_id)
            else:
                item = self._fetch(s, actor, skipped)
            counts = triage.incoming_counts(s, actor)
            return Loaded(item, counts.due_here, counts.why_fewer())

        run_db(
            self,
            read,
            done=self._loaded,
            failed=self._load_failed,
            write="if_needed",  # keeps the access-log rows of restricted cases it shows
            what="reading the next item",
            group="triage-load",
            exclusive=True,
        )

    def _loaded(self, loaded: Loaded) -> None:
        self._loading = None
        self.why_fewer = loaded.why_fewer
        self._show(loaded.item, loaded.waiting)
        self._prefetch(loaded.item)

    def _load_failed(self, error: Exception) -> None:
        self._loading = None
        self.busy = False
        self.say(f"Could not read the item: {describe_error(error)} (r reads again)")

    def _prefetch(self, current: TriageItem | None) -> None:
        self.prefetched = None
        if current is None:
            return
        actor, skip = self.actor, self.skipped | {current.task.id or 0}

        def got(item: TriageItem | None) -> None:
            self.prefetched = item

        run_db(
            self,
            lambda s: self._fetch(s, actor, skip),
            done=got,
            failed=lambda _error: None,  # only a head start: the next load reads it anyway
            write="if_needed",
            group="triage-prefetch",
            exclusive=True,
        )

    def _show(self, item: TriageItem | None, waiting: int) -> None:
        # The item read again (another process committed): the cursor stays where it was, on the
        # same match or on none.
        matches = self.query_one(OptionList)
        same = item is not None and self.item is not None and item.task.id == self.item.task.id
        kept = self._highlighted() if same else None
        unhighlighted = same and matches.highlighted is None
        self.item = item
        self.waiting = waiting
        self.busy = False
        self._counter()
        arrived = self.query_one("#arrived", Static)
        matches.clear_options()
        if item is None:
            arrived.update(Text("Nothing waiting: the incoming queue is clear.", style="bold"))
            return
        arrived.update(arrived_text(item))
        matches.add_options(match_options(item) or [Text("No likely matches on file", style="dim")])
        if matches.option_count and not unhighlighted:
            ids = [matches.get_option_at_index(i).id for i in range(matches.option_count)]
            matches.highlighted = ids.index(kept) if kept in ids else 0

    def _counter(self) -> None:
        hours = max((clock.now() - self.started).total_seconds() / 3600, 1 / 60)
        rate = self.done / hours
        self.query_one("#counter", Static).update(
            Text(
                f" Triage — {self.waiting} due{' at your office' if self.actor.office_id else ''}"
                + (f" ({self.why_fewer})" if self.why_fewer else "")
                + f" · {self.done} done this session"
                f" · {rate:.0f}/hour · {len(self.skipped)} skipped",
                style="bold",
            )
        )

    # ------------------------------------------------------------------ deciding
    def _decide(self, decide: Decide, again: Callable[[str], None] | None = None) -> None:
        """Decide on the item on screen (captured now, by id). If it fails, `again(why)` asks
        once more with what was typed (a reason), else the item just stays to decide again."""
        if self.item is None:
            self.say("Nothing to decide")
            return
        if self.busy:
            return
        self.busy = True
        self._run_decision(self.item.task.id or 0, decide, again)

    def _run_decision(
        self, task_id: int, decide: Decide, again: Callable[[str], None] | None
    ) -> None:
        actor = self.actor
        run_db(
            self,
            lambda s: decide(s, actor, task_id),
            done=self._decided,
            failed=lambda error: self._not_decided(task_id, error, again),
            write=True,
            what=f"deciding item {task_id}",
            group="triage-write",
        )

    def _not_decided(
        self, task_id: int, error: Exception, again: Callable[[str], None] | None
    ) -> None:
        """Nothing was decided: the item stays on screen as it was, to decide again."""
        self.busy = False
        why = describe_error(error)
        self.say(f"Item {task_id} not changed: {why}")
        self.app.notify(
            clean(why), title=f"Item {task_id} not changed", severity="error", markup=False
        )
        if again is not None and self.item is not None and self.item.task.id == task_id:
            again(why)

    def _decided(self, decision: Decision) -> None:
        self.journal.append(decision)
        self.say(f"Item {decision.task_id}: {decision.summary} (u undoes)")
        if not decision.finishes:
            self.load(decision.task_id)
            return
        self.done += 1
        nxt = self.prefetched
        if nxt is not None and nxt.task.id != decision.task_id:
            self._show(nxt, max(self.waiting - 1, 0))  # at once; then refresh and prefetch
            self.load(nxt.task.id)
        else:
            self.load()

    def action_priority(self, level: int) -> None:
        self._decide(lambda s, a, t: triage.set_priority(s, a, t, level))

    def action_assign(self) -> None:
        self._choices_then(self._assign_choices, "Assign to a person or team", self._assign_picked)

    def _assign_choices(self, s: Session) -> list[Choice]:
        out = [
            Choice(f"s:{st.id}", f"{st.name} ({st.login})", f"{st.name} {st.login}")
            for st in staff.list_staff(s)
            if st.active
        ]
        out += [
            Choice(f"t:{t.id}", f"Team: {t.name} ({t.code})", f"{t.name} {t.code}")
            for t in org.list_teams(s)
        ]
        return out

    def _assign_picked(self, key: str | None) -> None:
        if not key:
            return
        kind, _, raw = key.partition(":")
        target = int(raw)
        if kind == "s":
            self._decide(lambda s, a, t: triage.assign(s, a, t, assignee_id=target))
        else:
            self._decide(lambda s, a, t: triage.assign(s, a, t, team_id=target))

    def action_route(self) -> None:
        choices = [Choice(k, v) for k, v in TASK_KINDS.items() if k not in INCOMING_KINDS]
        self.app.push_screen(PickDialog("Route to a work queue", choices), self._route_picked)

    def _route_picked(self, kind: str | None) -> None:
        if kind:
            self._decide(lambda s, a, t: triage.route(s, a, t, kind=kind))

    def action_link(self) -> None:
        target = self._highlighted()
        if not target:
            self.say("Highlight a person or case under Possible matches first")
            return
        kind, _, raw = target.partition(":")
        ident = int(raw)
        if kind == "c":
            self._link_case(ident)
            return
        cases = [] if self.item is None else self.item.suggested_cases.get(ident, [])
        open_cases = [
            c for c in cases if not c.restricted and c.status in triage.OPEN_CASE_STATUSES
        ]
        if len(open_cases) < 2:  # none: the person; one: the service links that case too
            self._decide(lambda s, a, t: triage.link(s, a, t, person_id=ident))
            return
        choices = [
            Choice(f"c:{c.case_id}", f"{c.reference} ({status_label(c.status)}) — {c.owner}")
            for c in open_cases
        ] + [Choice("p", "None of them: only the person")]

        def picked(key: str | None) -> None:
            if key == "p":
                self._decide(lambda s, a, t: triage.link(s, a, t, person_id=ident))
            elif key:
                self._link_case(int(key[2:]))

        self.app.push_screen(PickDialog("Link to which of their open cases?", choices), picked)

    def _link_case(self, case_id: int) -> None:
        self._decide(lambda s, a, t: triage.link(s, a, t, case_id=case_id))

    def action_bring_forward(self) -> None:
        def picked(text: str | None) -> None:
            if text:
                due = DateDialog.value_of(text)
                self._decide(lambda s, a, t: triage.bring_forward(s, a, t, due))

        self.app.push_screen(DateDialog("Bring forward"), picked)

    def action_close_item(self, reason: str = "", error: str = "") -> None:
        """Ask for the reason (again, as typed, with why it failed: `reason`, `error`)."""

        def picked(typed: str | None) -> None:
            if typed is not None:
                self._decide(
                    lambda s, a, t: triage.close_no_action(s, a, t, typed),
                    again=lambda why: self.action_close_item(typed, why),
                )

        self.app.push_screen(
            AskDialog(
                "Close with no action",
                "Reason (optional)",
                placeholder="no action needed",
                required=False,
                value=reason,
                error=error,
            ),
            picked,
        )

    def action_attach_file(self) -> None:
        """Attach the file the item came with (from the intake folder) to its linked case."""
        if self.item is not None:
            attach_file.ask_and_attach(self, self.item)

    def action_skip(self) -> None:
        if self.item is None:
            return
        self.skipped.add(self.item.task.id or 0)
        self.say(f"Skipped item {self.item.task.id}; it stays in the incoming queue")
        self.load()

    def action_undo(self) -> None:
        if not self.journal:
            self.say("Nothing to undo in this session")
            return
        self._undo(self.journal[-1])

    def _undo(self, decision: Decision) -> None:
        actor = self.actor
        run_db(
            self,
            lambda s: triage.undo(s, actor, decision),
            done=lambda _: self._undone(decision),
            failed=lambda error: self.say(f"Cannot undo: {describe_error(error)}"),
            write=True,
            what="undoing",
            group="triage-write",
        )

    def _undone(self, decision: Decision) -> None:
        self.journal.pop()
        if decision.finishes:
            self.done = max(self.done - 1, 0)
        self.say(f"Undone: {decision.summary}")
        self.load(decision.task_id)

    def action_leave(self) -> None:
        if self.can_leave:
            self.app.pop_screen()
        else:
            self.app.exit()

    def on_data_changed(self, _message: DataChanged) -> None:
        # Inside the workstation the live refresh sends DataChanged to the active screen.
        self.data_changed()

    def data_changed(self) -> None:
        """Another process committed: refresh the waiting count and the shown item. A load
        under way (the next item, an undone one) is read again, never replaced by the item on
        screen."""
        if self._loading is not None:
            self.load(self._loading[0])
        elif self.item is not None and not self.busy:
            self.load(self.item.task.id)

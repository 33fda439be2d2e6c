""" "Ann Smith is editing this case": who else has the same record open in a form.

A form opens `EditingPresence(self, entity="case", entity_id=…, show=…)` and calls `start()` on
mount: it says the acting member of staff is editing (`presence.heartbeat`), repeats it every
`presence.HEARTBEAT_EVERY` while the form stays open, and takes it back when the form closes
(`stop()`, from on_unmount). `show` gets the others editing the same record, at once and again on
each heartbeat and each change from another process (`refresh()`). A screen that only shows the
record (the case screen) calls `editors_notice(editors)` on what `presence.editors_of` returned.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from sqlmodel import Session
from textual.screen import Screen
from textual.timer import Timer

from caseterm.core.services import presence
from caseterm.core.services.identity import Actor
from caseterm.core.services.presence import Editor
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import run_db
from caseterm.tui.safe import clean


def editors_notice(editors: list[Editor], what: str = "this case") -> str:
    """One line naming everyone else editing: "Ann Smith is editing this case (since 10:32)"."""
    return "; ".join(clean(e.notice(what)) for e in editors)


def _ignore(_error: Exception) -> None:
    """Presence is a courtesy: a failed heartbeat is tried again on the next one."""


class EditingPresence:
    """The acting member of staff's "is editing" notice for one record, while a form is open."""

    def __init__(
        self,
        screen: Screen[Any],
        *,
        entity: str,
        entity_id: int,
        show: Callable[[list[Editor]], None],
    ) -> None:
        self.screen = screen
        self.entity = entity
        self.entity_id = entity_id
        self._show = show
        self._timer: Timer | None = None
        self._open = False

    def _actor(self) -> Actor:
        return cast(HasContext, self.screen.app).ctx.actor

    def start(self) -> None:
        self._open = True
        self._beat()
        self._timer = self.screen.set_interval(presence.HEARTBEAT_EVERY.total_seconds(), self._beat)

    def _beat(self) -> None:
        actor, entity, entity_id = self._actor(), self.entity, self.entity_id

        def work(session: Session) -> list[Editor]:
            presence.heartbeat(session, actor, entity=entity, entity_id=entity_id)
            return presence.editors_of(session, actor, entity=entity, entity_id=entity_id)

        run_db(self.screen, work, done=self._show, failed=_ignore, write=True, group="presence")

    def refresh(self) -> None:
        """Read who else is editing again (another process changed something)."""
        if not self._open:
            return
        actor, entity, entity_id = self._actor(), self.entity, self.entity_id
        run_db(
            self.screen,
            lambda s: presence.editors_of(s, actor, entity=entity, entity_id=entity_id),
            done=self._show,
            failed=_ignore,
            group="presence",
        )

    def stop(self) -> None:
        """The form closes: the notice goes (run by the app, as the screen is going away)."""
        if not self._open:
            return
        self._open = False
        if self._timer is not None:
            self._timer.stop()
        app = self.screen.app
        actor, entity, entity_id = cast(HasContext, app).ctx.actor, self.entity, self.entity_id
        run_db(
            app,
            lambda s: presence.stop_editing(s, actor, entity=entity, entity_id=entity_id),
            failed=_ignore,
            write=True,
            group="presence",
        )

"""What the rules screens share (clock rules `C`, sampling rates `%`, enforcement paths `F`):
the acting member of staff, the status line under the tables, and the refusal said there, in
the capability's words, before a question is asked (the service refuses it too)."""

from __future__ import annotations

from typing import ClassVar, cast

from textual.screen import Screen
from textual.widgets import Static

from caseterm.core.errors import PermissionDeniedError
from caseterm.core.services.identity import Actor
from caseterm.tui.context import HasContext
from caseterm.tui.safe import content


class RulesScreen(Screen[None]):
    STATUS_ID: ClassVar[str]  # the Static the screen says things on
    CHANGES_NEED: ClassVar[str] = ""  # the capability its changes need

    @property
    def _actor(self) -> Actor:
        return cast(HasContext, self.app).ctx.actor

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one(f"#{self.STATUS_ID}", Static)
        status.update(content(text))
        status.set_class(error, "-error")

    def _refused(self, capability: str | None = None) -> bool:
        """Said on the status line when the user may not make the change (`capability`, or
        the screen's own)."""
        try:
            self._actor.require(capability or self.CHANGES_NEED)
        except PermissionDeniedError as exc:
            self._status(str(exc), error=True)
            return True
        return False

"""App-wide messages. Widget-scoped ones live on their widget (e.g. `PagedTable.Selected`).

`DataChanged` is how every screen learns that the database changed (another process committed,
or this one did): the app sends it to the active screen, which refetches what it shows without
moving the cursor. Screens further down the stack compare `App.data_generation` with what they
last showed when they come back (`on_screen_resume`).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class DataChanged(Message):
    """Someone committed: refetch what is on screen, keeping the cursor where it is."""

    generation: int

    def can_replace(self, message: Message) -> bool:
        # Only the latest matters when several arrive before the screen catches up.
        return isinstance(message, DataChanged)


@dataclass
class NotificationsArrived(Message):
    """Events addressed to the acting member of staff (e.g. "your visitor has arrived")."""

    notes: list[tuple[int, str, str]]  # (id, kind, text)

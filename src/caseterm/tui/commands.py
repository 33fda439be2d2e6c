"""The command palette (ctrl+p): every action of the current screen by name, and
"go to case REF" for anything that looks like a case reference (OM/2026/123 → OM/2026/000123).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content


@dataclass(frozen=True)
class PaletteAction:
    name: str
    help: str
    run: Callable[[], Any]


def _go_to_reference(query: str) -> str | None:
    from caseterm.core.services.search import parse_reference

    text = query.strip()
    for prefix in ("go to case", "goto case", "go to", "case", "go"):
        if text.lower().startswith(prefix + " "):
            text = text[len(prefix) :].strip()
            break
    return parse_reference(text) if text else None


class CasetermCommands(Provider):
    """Actions bound on the screen the palette was opened from, plus going to a case."""

    def _actions(self) -> Iterator[PaletteAction]:
        seen: set[str] = set()
        app: Any = self.app
        for key, active in self.screen.active_bindings.items():
            b = active.binding
            if b.system or not b.description or not active.enabled:
                continue
            name = b.description
            if name in seen or b.action in ("command_palette", "app.command_palette"):
                continue
            seen.add(name)
            shown = app.get_key_display(b) if b.key == key else key
            yield PaletteAction(
                name, f"key: {shown}", partial(app.run_action, b.action, active.node)
            )

    async def discover(self) -> Hits:
        for action in self._actions():
            yield DiscoveryHit(Content(action.name), action.run, text=action.name, help=action.help)

    async def search(self, query: str) -> Hits:
        reference = _go_to_reference(query)
        if reference is not None:
            app: Any = self.app
            label = f"Go to case {reference}"
            yield Hit(
                1.0,
                Content(label),
                partial(app.open_case_ref, reference),
                text=label,
                help="open the case with this reference",
            )
        matcher = self.matcher(query)
        for action in self._actions():
            score = matcher.match(action.name)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(action.name),
                    action.run,
                    text=action.name,
                    help=action.help,
                )

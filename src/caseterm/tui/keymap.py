"""Key bindings by id, remappable from the config file.

Every binding caseterm declares has an id, a plain snake_case name of what it does
(`take_task`, `new_contact`); one id means the same thing on every screen. A user keymap in the
config file's `[keymap]` table maps ids to keys, and replaces the defaults through
`App.set_keymap`:

    [keymap]
    take_task = "T"
    search = "/,ctrl+f"            # several keys, comma separated

`binding()` builds a Binding with an id; `user_keymap()` reads the file and reports ids it does
not know, so a typo is shown instead of silently ignored.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from textual.app import App
from textual.binding import Binding, BindingType

from caseterm.core.config import Settings, load_settings
from caseterm.core.errors import CasetermError


def binding(
    keys: str,
    action: str,
    description: str,
    id: str,
    *,
    show: bool = True,
    priority: bool = False,
    key_display: str | None = None,
) -> Binding:
    """A Binding that a user keymap can remap by `id`."""
    return Binding(
        keys,
        action,
        description,
        show=show,
        priority=priority,
        key_display=key_display,
        id=id,
    )


def tab_moves_on() -> list[Binding]:
    """`tab` / `shift+tab` to the next / previous field as priority bindings: they run as the key
    arrives, so the keys typed after a tab reach the next field however fast they come (a tab
    left to bubble up moves the focus only after they have been sent to the field it leaves)."""
    return [
        binding("tab", "app.focus_next", "Next field", "next_field", show=False, priority=True),
        binding(
            "shift+tab",
            "app.focus_previous",
            "Previous field",
            "previous_field",
            show=False,
            priority=True,
        ),
    ]


def binding_ids(classes: Iterable[type]) -> dict[str, Binding]:
    """Every binding with an id declared by `classes` (and their bases), by id."""
    found: dict[str, Binding] = {}
    for cls in classes:
        for base in cls.__mro__:
            bindings: list[BindingType] = base.__dict__.get("BINDINGS", [])
            for b in bindings:
                if isinstance(b, Binding) and b.id:
                    found.setdefault(b.id, b)
    return found


@dataclass
class UserKeymap:
    keys: dict[str, str] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)


def user_keymap(known: Iterable[str], settings: Settings | None = None) -> UserKeymap:
    """The `[keymap]` table of the config file, split into ids we know and ids we do not."""
    settings = settings if settings is not None else load_settings()
    known_ids = set(known)
    result = UserKeymap()
    for binding_id, keys in settings.keymap.items():
        cleaned = ",".join(k.strip() for k in keys.split(",") if k.strip())
        if binding_id in known_ids and cleaned:
            result.keys[binding_id] = cleaned
        else:
            result.unknown.append(binding_id)
    return result


def every_binding_id() -> set[str]:
    """The ids declared anywhere in caseterm's TUI. One config file serves the workstation,
    triage and the desk, so an id is a typo only if nothing declares it. This imports every
    screen: call it only when the file names an id the running app does not know."""
    import caseterm.tui

    classes: list[type] = []
    for info in pkgutil.walk_packages(caseterm.tui.__path__, "caseterm.tui."):
        module = importlib.import_module(info.name)
        classes += [
            v for v in vars(module).values() if isinstance(v, type) and "BINDINGS" in vars(v)
        ]
    return set(binding_ids(classes))


def apply_user_keymap(app: App[Any], own_ids: Callable[[], Iterable[str]]) -> None:
    """Give `app` the config file's `[keymap]`. Ids nothing declares are reported on screen.
    `own_ids` gives the app's own ids (it may import screens, so it is called only when the
    file has a keymap); every screen is looked at only when the file names another id."""
    try:
        settings = load_settings()
    except CasetermError as exc:
        app.notify(str(exc), title="Config file", severity="warning", markup=False)
        return
    if not settings.keymap:
        return
    known = set(own_ids())
    if any(i not in known for i in settings.keymap):
        known |= every_binding_id()
    chosen = user_keymap(known, settings)
    if chosen.unknown:
        app.notify(
            "Unknown binding ids in [keymap]: " + ", ".join(chosen.unknown),
            title="Config file",
            severity="warning",
            markup=False,
        )
    app.set_keymap(chosen.keys)

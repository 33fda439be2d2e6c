"""Every public service function is reached: a screen or a command calls it (`caseterm.tui`,
`caseterm.cli`), or another part of the program builds on it (another service module, the
storage layer, the demo builder). A public function nothing calls is either a capability no
user can reach (wire it: a key and a command) or an internal helper (give it a leading
underscore). The source is read, not imported, so a name used only in a string does not count.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from functools import cache
from pathlib import Path

import caseterm
import caseterm.core.services as services_pkg

SERVICES = "caseterm.core.services"
SOURCE = Path(caseterm.__file__).parent

# Public on purpose though nothing in the program calls them yet. Keep this list short, and say
# for each why it stays public and who will reach it.
NOT_YET_REACHED: dict[str, str] = {}


@cache
def _public_functions() -> dict[str, str]:
    """'module.function' → the module's file, for every public function a service defines."""
    found = {}
    for info in pkgutil.iter_modules(services_pkg.__path__):
        module = importlib.import_module(f"{SERVICES}.{info.name}")
        for name, obj in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(obj):
                continue
            if obj.__module__ == module.__name__:
                found[f"{info.name}.{name}"] = str(Path(inspect.getfile(module)).resolve())
    return found


def _uses(path: Path) -> set[str]:
    """The service functions a file names: `tasks.take_task` after `from caseterm.core.services
    import tasks` (any alias), or `from caseterm.core.services.tasks import take_task`."""
    tree = ast.parse(path.read_text(), str(path))
    aliases: dict[str, str] = {}  # local name → service module
    used: set[str] = set()
    package = ".".join(path.relative_to(SOURCE.parent).with_suffix("").parts[:-1])
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this file's package
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            for alias in node.names:
                if base == SERVICES:
                    aliases[alias.asname or alias.name] = alias.name
                elif base.startswith(SERVICES + "."):
                    used.add(f"{base.removeprefix(SERVICES + '.')}.{alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(SERVICES + ".") and alias.asname:
                    aliases[alias.asname] = alias.name.removeprefix(SERVICES + ".")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            module = aliases.get(node.value.id)
            if module:
                used.add(f"{module}.{node.attr}")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute):
            # caseterm.core.services.tasks.take_task written out in full
            dotted = ast.unparse(node.value)
            if dotted.startswith(SERVICES + "."):
                used.add(f"{dotted.removeprefix(SERVICES + '.')}.{node.attr}")
    return used


@cache
def _reached() -> dict[str, set[str]]:
    """'module.function' → the files (other than its own) that name it."""
    reached: dict[str, set[str]] = {}
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for name in _uses(path):
            reached.setdefault(name, set()).add(str(path.resolve()))
    return reached


def test_every_public_service_function_is_reached() -> None:
    functions = _public_functions()
    reached = _reached()
    unreached = sorted(
        name
        for name, own in functions.items()
        if not (reached.get(name, set()) - {own}) and name not in NOT_YET_REACHED
    )
    assert not unreached, (
        "public service functions that no screen, command or other module calls: wire each "
        f"(a key and a command) or make it private with a leading underscore: {unreached}"
    )


def test_the_allow_list_names_only_what_is_still_unreached() -> None:
    functions = _public_functions()
    reached = _reached()
    stale = sorted(
        name
        for name in NOT_YET_REACHED
        if name not in functions or reached.get(name, set()) - {functions[name]}
    )
    assert not stale, f"now reached or gone, take them off NOT_YET_REACHED: {stale}"


def test_the_walk_sees_the_usual_ways_of_calling_a_service() -> None:
    reached = _reached()
    assert "tasks.take_task" in reached  # `from caseterm.core.services import tasks`
    assert "common.check_version" in reached  # from another service module
    assert any("/tui/" in p for p in reached["tasks.take_task"])

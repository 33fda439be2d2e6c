"""The reception desk's columns at each width: chosen by priority (the type of appointment goes
first, then whom they are seeing, then the date of birth; time, name and status always stay),
every cut shown with "…", and desk warnings never cut (they wrap under the name)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from caseterm.core.services import diary, people
from caseterm.tui.context import TuiContext
from caseterm.tui.desk.app import CheckinApp
from caseterm.tui.desk.rows import CELL_PADDING, desk_columns
from caseterm.tui.desk.screen import DeskScreen
from tests.factories import World
from tests.tui.conftest import settle
from tests.tui.seen import screen_text

pytestmark = pytest.mark.sqlite_only

INTERPRETER = "Interpreter needed: Polish (book two days ahead)"
RESTRICTED = "Restricted — refer to duty manager before any disclosure"


def _headings(width: int) -> list[str]:
    return [heading for _, heading, _ in desk_columns(width)]


@pytest.mark.parametrize("width", [50, 60, 78, 100, 118, 200])
def test_the_columns_fill_the_width_exactly(width: int) -> None:
    columns = desk_columns(width)
    assert sum(size + 2 * CELL_PADDING for _, _, size in columns) == width
    assert _headings(width)[:3] == ["Time", "Name and desk warnings", "Status"]
    assert [i for i, _, _ in columns] == sorted(i for i, _, _ in columns)  # in the cells' order


def test_columns_go_by_priority_as_the_screen_narrows() -> None:
    assert _headings(118) == [
        "Time", "Name and desk warnings", "Status", "Seeing", "Born", "Type",
    ]  # fmt: skip
    assert _headings(78) == ["Time", "Name and desk warnings", "Status", "Seeing", "Born"]
    assert _headings(64) == ["Time", "Name and desk warnings", "Status", "Born"]
    assert _headings(50) == ["Time", "Name and desk warnings", "Status"]
    sizes = {heading: size for _, heading, size in desk_columns(78)}
    assert sizes["Name and desk warnings"] >= 22 and sizes["Seeing"] == 14  # the name first
    wide = {heading: size for _, heading, size in desk_columns(118)}
    assert wide["Seeing"] == 20 and wide["Type"] == 17 and wide["Status"] == 16


def _book_late_long_named(world: World, at: datetime) -> None:
    with world.db.write() as s:
        for kind, text in (("interpreter", INTERPRETER), ("risk_to_staff", RESTRICTED)):
            people.add_warning(
                s, world.clerk, person_id=world.person.id or 0, kind=kind, text=text, desk_text=text
            )
        diary.book_appointment(
            s,
            world.clerk,
            staff_id=world.worker.id,
            starts_at=at,
            ends_at=at + timedelta(minutes=30),
            kind="means_interview",
            case_id=world.case.id,
            room_id=world.room.id,
        )


def _words(text: str) -> list[str]:
    return text.replace("!", " ").split()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_desk_at_each_size(
    frozen_clock: datetime, world: World, size: tuple[int, int]
) -> None:
    _book_late_long_named(world, frozen_clock.replace(hour=11, minute=0))
    app = CheckinApp(TuiContext(world.db, world.desk), world.office.id or 0, world.office.name)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DeskScreen) and len(screen.rows) == 1
        shown = screen_text(app)
        lines = shown.splitlines()
        header = next(line for line in lines if line.lstrip().startswith("Time"))
        first = lines.index(header) + 1
        row = "\n".join(lines[first : first + 8])
        # Every word of both warnings is on screen, in order: wrapped, never cut.
        seen = _words(row)
        for warning in (INTERPRETER, RESTRICTED):
            words = _words(warning)
            at = seen.index(words[0])
            assert seen[at : at + len(words)] == words, row
        assert "…" not in row.split("!", 1)[1]  # nothing in the warnings is cut
        if size == (120, 40):
            assert header.split() == [
                "Time", "Name", "and", "desk", "warnings", "Status", "Seeing", "Born", "Type",
            ]  # fmt: skip
            assert "Means interview" in row  # the type as a label, not "means_interview"
        else:
            assert "Type" not in header and "Born" in header and "Seeing" in header
            assert "interview" not in row  # dropped, not cut off the edge
            assert max(len(line) for line in lines) <= 80
        # Narrower and back: the columns follow the terminal.
        await pilot.resize_terminal(60, size[1])
        await settle(pilot)
        header = next(
            line for line in screen_text(app).splitlines() if line.lstrip().startswith("Time")
        )
        assert header.split()[-1] == "Born" and "Seeing" not in header

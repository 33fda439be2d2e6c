"""Search: results as you type, by case reference, name (typo-tolerant, aliases), date of birth
or identifier. A restricted case the user may not see shows only that it exists and whom to ask.
`enter` opens the case; `n` starts a contact entry on it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from caseterm.core.models.vocab import CaseStatus
from caseterm.core.services import search
from caseterm.core.services.search import SearchHit
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import describe_error, run_db
from caseterm.tui.focus import focus_now
from caseterm.tui.keymap import binding
from caseterm.tui.safe import clean, content, plain, uk_date
from caseterm.tui.widgets.key_bar import KeyBar
from caseterm.tui.widgets.paged_table import Column, PagedTable
from caseterm.tui.widgets.plain_input import PlainInput
from caseterm.tui.widgets.top_bar import TopBar

# Wait this long after the last keystroke before searching (typing stays smooth).
DEBOUNCE = 0.25
RESULT_LIMIT = 50
MIN_CHARS = 2
HINT = "Type a case reference, name, date of birth (dd/mm/yyyy) or identifier."


def _name(hit: SearchHit) -> Text:
    if hit.restricted:
        return plain(f"Restricted — ask {hit.ask}" if hit.ask else "Restricted", "italic")
    return plain(hit.name)


def _status(hit: SearchHit) -> str:
    if hit.restricted:
        return ""
    if hit.case_id is None:
        return "no case"
    return (hit.case_status or "").replace("_", " ")


SEARCH_COLUMNS: list[Column[SearchHit]] = [
    Column("Case", lambda h: plain(h.reference or "—"), width=16),
    Column("Name", _name, grow=2),
    Column("Born", lambda h: "" if h.restricted else uk_date(h.date_of_birth), width=10),
    Column("Status", _status, width=9, hide_below=70),
    Column("Type", lambda h: plain(h.case_type or ""), width=22, hide_below=110),
    Column("Matched", lambda h: plain("" if h.restricted else h.matched), hide_below=90),
]


def _row_class(hit: SearchHit) -> str:
    return (
        "muted"
        if hit.restricted or hit.case_status in (CaseStatus.CLOSED, CaseStatus.ARCHIVED)
        else ""
    )


class SearchScreen(Screen[None]):
    """One box; results below, best first. Stale results (for text since changed) are dropped."""

    HELP_TITLE = "Search"
    DEFAULT_CSS = """
    SearchScreen #search-box { height: 1; margin: 1 1 0 1; border: none; }
    SearchScreen #search-status { height: 1; padding: 0 1; color: $text-muted; }
    SearchScreen #search-status.-error { color: $text-error; text-style: bold; }
    SearchScreen #search-results { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("n", "new_contact", "New contact", "new_contact"),
        binding("p", "open_person", "Person", "search_open_person"),
        binding("down", "focus_results", "Results", "focus_results", show=False),
        binding("ctrl+l", "focus_box", "Search box", "focus_search_box"),
    ]

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self._initial = text
        self._asked = 0  # number of the newest search asked for; older answers are dropped
        self._timer: Timer | None = None
        self.hits: list[SearchHit] = []
        self.shown_for = ""  # the text the hits on screen answer
        self._open_first = False  # enter came before the results: open the best one

    def compose(self) -> ComposeResult:
        yield TopBar("Search")
        yield PlainInput(
            self._initial,
            placeholder="Reference, name, date of birth or identifier",
            id="search-box",
            compact=True,
            max_length=search.QUERY_MAX,
        )
        yield Static(HINT, id="search-status", markup=False)
        yield PagedTable(
            SEARCH_COLUMNS,
            row_key=lambda h: (h.kind, h.person_id, h.case_id),
            row_class=_row_class,
            markable=False,
            empty_text="No results yet.",
            id="search-results",
        )
        yield KeyBar()

    def on_mount(self) -> None:
        focus_now(self.query_one("#search-box", Input))
        if self._initial:
            self._search_now()

    # ---------------------------------------------------------------- searching

    @on(Input.Changed, "#search-box")
    def _typed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self._search_now)

    def _search_now(self) -> None:
        self._timer = None
        text = clean(self.query_one("#search-box", Input).value).strip()
        self._asked += 1
        asked = self._asked
        if len(text) < MIN_CHARS:
            self._show(asked, text, [])
            self._say(HINT)
            return
        self._say("Searching…")
        actor = cast(HasContext, self.app).ctx.actor
        run_db(
            self,
            lambda s: search.search(s, actor, text=text, limit=RESULT_LIMIT),
            done=lambda hits: self._show(asked, text, hits),
            failed=lambda exc: self._failed(asked, exc),
            what="searching",
            group="search",
            exclusive=True,
        )

    def _show(self, asked: int, text: str, hits: Sequence[SearchHit]) -> None:
        if asked != self._asked:
            return  # the box has changed since: a newer search is on its way
        self.hits, self.shown_for = list(hits), text
        open_first, self._open_first = self._open_first, False
        table = self.query_one("#search-results", PagedTable)
        rows = self.hits
        table.show_rows(rows)
        if not text or len(text) < MIN_CHARS:
            return
        if not rows:
            self._say(f"No matches for {text}")
        else:
            more = " (showing the best)" if len(rows) >= RESULT_LIMIT else ""
            self._say(f"{len(rows)} match{'es' if len(rows) != 1 else ''}{more}: enter opens")
            if open_first:
                self._open(rows[0])

    def _failed(self, asked: int, error: Exception) -> None:
        if asked == self._asked:
            self._say(describe_error(error), error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#search-status", Static)
        status.update(content(text))
        status.set_class(error, "-error")

    # ---------------------------------------------------------------- acting on a hit

    def _current(self) -> SearchHit | None:
        row = self.query_one("#search-results", PagedTable).current_row
        return cast(SearchHit | None, row)

    def _open(self, hit: SearchHit | None) -> None:
        if hit is None:
            return
        if hit.case_id is None:
            self.notify("This person has no case to open.", severity="warning", markup=False)
            return
        # A restricted case opens to "restricted — ask …" (the case screen logs the refusal).
        cast(HasContext, self.app).open_case(hit.case_id)

    @on(Input.Submitted, "#search-box")
    def _submitted(self) -> None:
        if self._timer is not None:  # enter before the pause: search now, open the best hit
            self._open_first = True
            self._search_now()
            return
        self._open(self._current())

    @on(PagedTable.Selected, "#search-results")
    def _selected(self, event: PagedTable.Selected) -> None:
        self._open(cast(SearchHit, event.row))

    def action_new_contact(self) -> None:
        hit = self._current()
        if hit is None or hit.case_id is None or hit.restricted:
            self.notify("Choose a case you can see first.", severity="warning", markup=False)
            return
        cast(HasContext, self.app).new_contact(hit.case_id)

    def action_open_person(self) -> None:
        """The chosen hit's person screen (a person whose every case is hidden is refused)."""
        hit = self._current()
        if hit is None:
            return
        from caseterm.tui.person.screen import PersonScreen

        self.app.push_screen(PersonScreen(hit.person_id))

    def action_focus_results(self) -> None:
        self.query_one("#search-results", PagedTable).focus()

    def action_focus_box(self) -> None:
        self.query_one("#search-box", Input).focus()


# Every class whose bindings this screen brings (for keymap validation by the app).
KEYMAP_CLASSES: tuple[type, ...] = (SearchScreen,)

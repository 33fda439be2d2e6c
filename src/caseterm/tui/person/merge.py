"""`M` on the person screen: merge a duplicate record into this one (administrators and system
administrators). `ctrl+s` first shows what would move and what differs; `ctrl+s` again merges,
in one transaction, refused if either record changed since the preview."""

from __future__ import annotations

from typing import Any, ClassVar, cast

from sqlmodel import Session

from caseterm.core.errors import ValidationError
from caseterm.core.services import person_merge
from caseterm.core.services.person_merge import MergePreview
from caseterm.tui.context import HasContext
from caseterm.tui.dbwork import run_db
from caseterm.tui.person.forms import _Form


def preview_text(p: MergePreview) -> str:
    moves = ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in p.moves.items() if n)
    differs = ("; differs: " + "; ".join(p.differences)) if p.differences else ""
    return (
        f"Merge person {p.merged.id} ({p.merged.name}) into {p.survivor.id}: "
        f"{moves or 'nothing to move'}{differs}. ctrl+s again to merge"
    )


class MergeScreen(_Form):
    PREFIX = "pm"
    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("duplicate", "Duplicate (#)"),
        ("reason", "Reason"),
    )

    def __init__(self, survivor_id: int, name: str) -> None:
        self.survivor_id = survivor_id
        self.preview: MergePreview | None = None
        self.previewed_for: dict[str, str] = {}
        super().__init__(
            kind="person_merge",
            key=str(survivor_id),
            title=f"Merge a duplicate into {name}",
            start={"duplicate": "", "reason": ""},
        )

    def _duplicate(self, typed: dict[str, str]) -> int:
        digits = typed["duplicate"].strip().lstrip("#")
        if not digits.isdigit():
            raise ValidationError("duplicate", "give the duplicate record's person number")
        return int(digits)

    def action_save(self) -> None:
        if self.keeper.saving or self.keeper.closed:
            return
        typed = self.values()
        try:
            merged_id = self._duplicate(typed)
        except ValidationError as exc:
            self._status(str(exc), error=True)
            return
        actor, survivor = cast(HasContext, self.app).ctx.actor, self.survivor_id
        preview = self.preview
        if preview is None or self.previewed_for.get("duplicate") != typed["duplicate"]:
            self.previewed_for = dict(typed)
            run_db(
                self,
                lambda s: person_merge.preview_merge(
                    s, actor, survivor_id=survivor, merged_id=merged_id
                ),
                done=self._previewed,
                failed=self._failed,
                write="if_needed",  # a refused restricted case is logged
                what="previewing the merge",
                group="merge-preview",
            )
            return
        versions = (preview.survivor.version, preview.merged.version)

        def work(session: Session) -> Any:
            return person_merge.merge_people(
                session,
                actor,
                survivor_id=survivor,
                merged_id=merged_id,
                reason=typed["reason"],
                expected_versions=versions,
            )

        self._status("Merging…")
        self.keeper.save(work, done=self._merged, failed=self._failed, what="merging")

    def _previewed(self, preview: MergePreview) -> None:
        self.preview = preview
        self._status(preview_text(preview))

    def _merged(self, result: MergePreview) -> None:
        self.app.notify(
            f"Person {result.merged.id} merged into {result.survivor.id}", timeout=5, markup=False
        )
        self.dismiss(True)

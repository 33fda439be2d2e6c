"""How one incoming item reads on screen: what arrived, what it is linked to, possible matches."""

from __future__ import annotations

from rich.text import Text
from textual.widgets.option_list import Option

from caseterm.core.rules.catalogue import TASK_KINDS, label, status_label
from caseterm.core.services.intake_files import IntakeInfo
from caseterm.core.services.triage import CaseSummary, TriageItem
from caseterm.tui.safe import clean, uk_date

PRIORITY_WORDS = {1: "1 urgent", 2: "2 high", 3: "3 normal", 4: "4 low"}


def arrived_text(item: TriageItem) -> Text:
    task = item.task
    out = Text()
    out.append(label(TASK_KINDS, task.kind), style="bold reverse")
    priority = PRIORITY_WORDS.get(task.priority, str(task.priority))
    out.append(f"  received {item.received_at:%d/%m/%Y %H:%M}  ·  priority {priority}")
    if task.due_date:
        out.append(f"  ·  due {uk_date(task.due_date)}")
    out.append("\n")
    out.append(clean(task.title), style="bold")
    if item.source:
        out.append("\nFrom: ")
        out.append(clean(item.source))
    if task.about_name or task.about_dob:
        out.append("\nAbout: ")
        out.append(clean(task.about_name), style="bold")
        if task.about_dob:
            out.append(f" (b. {uk_date(task.about_dob)})")
    if task.details:
        out.append("\n")
        out.append(clean(task.details, multiline=True))
    if item.intake_file is not None:
        out.append("\n")
        out.append_text(file_text(item.intake_file))
    elif item.office_name:
        out.append(f"\nArrived at {clean(item.office_name)}")
    out.append("\nLinked to: ")
    if item.person is None and item.case is None:
        out.append("nobody yet (l links the highlighted match, o opens a new case)", style="italic")
    if item.person is not None:
        out.append(clean(item.person.full_name), style="bold")
        if item.person.date_of_birth:
            out.append(f" ({uk_date(item.person.date_of_birth)})")
    if item.case is not None:
        out.append("  case ")
        out.append_text(case_text(item.case))
    return out


def file_text(f: IntakeInfo) -> Text:
    """The file an item came with from the intake folder, and whether it is attached yet."""
    out = Text("File: ")
    out.append(clean(f.filename), style="bold")
    out.append(f" ({f.type_label}, {f.size:,} bytes, SHA-256 {f.sha256[:12]}…)")
    if f.office_name:
        out.append(f", arrived at {clean(f.office_name)}")
    if f.document_id is not None:
        out.append(f"  attached to {clean(f.reference)} as document {f.document_id}")
    else:
        out.append("  f attaches it to a case", style="italic")
    return out


def attach_problem(item: TriageItem) -> str:
    """Why `f` cannot attach the item's file now ("" when it can)."""
    if item.intake_file is None:
        return "This item did not come with a file from the intake folder"
    if item.intake_file.document_id is not None:
        return f"Its file is attached already (document {item.intake_file.document_id})"
    if item.case is not None and item.case.restricted:
        return "The linked case is restricted; ask its owner to attach the file"
    return ""


def case_text(case: CaseSummary) -> Text:
    if case.restricted:
        return Text(f"{clean(case.reference)} restricted — ask {clean(case.owner)}", style="italic")
    return Text(f"{clean(case.reference)} {status_label(case.status)} — {clean(case.owner)}")


def match_options(item: TriageItem) -> list[Option]:
    """Each possible match, then its cases, warnings and open tasks; people and cases can be
    highlighted (ids `p:<id>` / `c:<id>`), the rest is shown disabled."""
    options: list[Option] = []
    for m in item.suggestions:
        line = Text(clean(m.name), style="bold")
        if m.date_of_birth:
            line.append(f"  {uk_date(m.date_of_birth)}")
        if m.reasons:
            line.append("  (" + ", ".join(clean(r) for r in m.reasons) + ")", style="dim")
        options.append(Option(line, id=f"p:{m.person_id}"))
        for case in item.suggested_cases.get(m.person_id, []):
            options.append(
                Option(
                    Text("    ") + case_text(case), id=f"c:{case.case_id}", disabled=case.restricted
                )
            )
        for w in item.warnings.get(m.person_id, []):
            options.append(
                Option(Text("    ! " + clean(w.desk_text or w.text), style="bold"), disabled=True)
            )
        open_tasks = item.open_tasks.get(m.person_id, [])
        if open_tasks:
            titles = "; ".join(clean(t.title) for t in open_tasks[:3])
            options.append(
                Option(
                    Text(f"    {len(open_tasks)} open task(s): {titles}", style="dim"),
                    disabled=True,
                )
            )
    return options

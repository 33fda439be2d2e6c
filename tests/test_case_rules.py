"""Closure reasons and their steps per case type are data an administrator changes (a TOML file
laid over the shipped defaults, named in the config file), checked on load with one clear
message; the transfer acknowledgement days per case type are changed through the service and
`caseterm case-rules` (issue 12)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from caseterm.core import clock
from caseterm.core.errors import PermissionDeniedError, ValidationError
from caseterm.core.rules import case_lifecycle as rules
from caseterm.core.rules.workdays import add_working_days
from caseterm.core.services import case_closure, case_rules, case_transfer
from tests.cli import run_cli
from tests.factories import World

OVERRIDE = """
[steps.victim_told]
label = "Victim liaison told of the closure"

[reasons.completed]
label = "Order completed"
steps = ["final_contact", "victim_told", "tasks_closed"]

[case_types.OM]
reasons = ["completed", "death"]
"""


@pytest.fixture(autouse=True)
def _frozen(frozen_clock: datetime) -> None:
    """Data built here and the commands agree on the time."""


def _configure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rules_text: str) -> Path:
    rules_file = tmp_path / "my_rules.toml"
    rules_file.write_text(rules_text, encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text(f'case_rules = "{rules_file}"\n', encoding="utf-8")
    monkeypatch.setenv("CASETERM_CONFIG", str(config))
    return rules_file


def test_shipped_defaults_give_every_type_its_reasons() -> None:
    loaded = rules.load_rules(None)
    assert [r.code for r in loaded.by_type["FINE"]] == ["paid", "written_off", "death"]
    death = rules.closure_reason("MHC", "death")
    assert death is not None and death.needs_date_of_death
    assert [s.code for s in death.steps][:2] == ["police_notified", "appointments_cancelled"]
    assert rules.closure_reason("OM", "paid") is None  # OM uses the DEFAULT list


def test_an_override_file_changes_the_checklist_a_case_closes_with(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _configure(tmp_path, monkeypatch, OVERRIDE)
    w = world
    with w.db.read() as s:
        shown = case_rules.show_case_rules(s, w.clerk, case_type="om")
    assert [r.code for r in shown.reasons] == ["completed", "death"]
    assert shown.rules_file.endswith("my_rules.toml")
    with w.db.write() as s:
        started = case_closure.start_closure(s, w.clerk, case_id=w.case.id or 0, reason="completed")
    assert [st.code for st in started.steps] == ["final_contact", "victim_told", "tasks_closed"]
    with pytest.raises(ValidationError, match="use one of completed, death"), w.db.write() as s:
        case_closure.start_closure(s, w.clerk, case_id=w.case.id or 0, reason="paid")
    # the other types keep the defaults
    assert [r.code for r in rules.closure_reasons("FINE")] == ["paid", "written_off", "death"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[reasons.completed]\nlabel = "x"\nsteps = ["nope"]\n', "step 'nope' is not defined"),
        ('[steps.x]\nlabel = "X"\naction = "shred"\n', "action 'shred' is not one of"),
        ('[case_types.OM]\nreasons = ["gone"]\n', "reason 'gone' is not defined"),
        ('[steps.x]\nlabel = ""\n', "label must be a non-empty text"),
        ("[steps.x\n", "is not valid TOML"),
    ],
)
def test_a_broken_rules_file_is_refused_in_one_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    rules_file = _configure(tmp_path, monkeypatch, text)
    with pytest.raises(ValidationError, match=message) as err:
        rules.reload_rules()
    assert err.value.field == "case rules" and str(rules_file) in str(err.value)
    run = run_cli(tmp_path, "case-rules", "check", str(rules_file), db=tmp_path / "x.db")
    assert run.code != 0 and message in run.one_error_line()


def test_transfer_ack_days_changed_by_an_administrator(world: World) -> None:
    w = world
    with pytest.raises(PermissionDeniedError), w.db.write() as s:
        case_rules.set_transfer_ack_days(s, w.clerk, case_type="OM", days=10)
    with pytest.raises(ValidationError) as err, w.db.write() as s:
        case_rules.set_transfer_ack_days(s, w.admin, case_type="OM", days=0)
    assert err.value.field == "transfer_ack_days"
    with w.db.write() as s:
        row = case_rules.set_transfer_ack_days(s, w.admin, case_type="OM", days=10)
    assert row.transfer_ack_days == 10
    with w.db.write() as s:
        info = case_transfer.transfer_out(
            s, w.clerk, case_id=w.case.id or 0, office_id=w.other_office.id or 0,
            reason="moved", papers_sent=True, appointments_moved=True, tasks_handed_over=True,
        )  # fmt: skip
    assert info.acknowledge_by == add_working_days(clock.today(), 10)


def test_cli_list_show_set_check(world: World, tmp_path: Path) -> None:
    w = world
    listed = run_cli(tmp_path, "case-rules", "list", "--json", db=w.db.url)
    assert listed.code == 0, listed.err
    om = next(t for t in listed.json()["case_types"] if t["case_type"] == "OM")
    assert om["transfer_ack_days"] == 5
    assert "death" in [r["code"] for r in om["reasons"]]
    shown = run_cli(tmp_path, "case-rules", "show", "OM", db=w.db.url)
    assert "must police_notified: Notify the police [notify_police]" in shown.out
    refused = run_cli(
        tmp_path, "case-rules", "set", "OM", "--transfer-ack-days", "7", db=w.db.url, user="clerk"
    )
    assert refused.code != 0 and "Traceback" not in refused.err
    done = run_cli(
        tmp_path, "case-rules", "set", "OM", "--transfer-ack-days", "7", "--json",
        db=w.db.url, user="root",
    )  # fmt: skip
    assert done.code == 0, done.err
    assert json.loads(done.out)["transfer_ack_days"] == 7
    checked = run_cli(tmp_path, "case-rules", "check", "--json", db=w.db.url)
    assert checked.json()["ok"] is True and "FINE" in checked.json()["case_types"]
    assert "OM" in checked.json()["default_for"]

"""The money rules from the config file (issue 14): `[means]` over rules/means.toml and
`[money_limits]` over rules/money_decisions.toml, used by the services (a caseworker's write-off
limit raised posts what was held; a smaller share proposes less), shown by `caseterm account
rules`, and a bad value refused in one line naming the file, the table and the key."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from caseterm.core.errors import ValidationError
from caseterm.core.rules import means as means_rules
from caseterm.core.rules import money_decisions as limit_rules
from caseterm.core.rules.means import Figures
from caseterm.core.services import ledger, means, money_decisions
from tests.cli import run_cli
from tests.factories import World

pytestmark = pytest.mark.usefixtures("frozen_clock")


def _config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("CASETERM_CONFIG", str(path))
    return path


def _account(world: World) -> int:
    with world.db.write() as s:
        ledger.add_imposition(
            s, world.clerk, case_id=world.case.id or 0, kind="fine", amount_pence=20_000
        )
    return world.case.id or 0


def test_without_a_config_the_shipped_rules_hold() -> None:
    assert means_rules.means_rule() == means_rules.load_means_rule(
        means_rules.RULE_FILE.read_text(encoding="utf-8")
    )
    assert limit_rules.limits().write_off["caseworker"] == 5_000


def test_the_config_raises_a_caseworkers_write_off_limit(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = _account(world)
    with world.db.write() as s:  # £60 is over the shipped £50: held
        held = money_decisions.write_off(
            s, world.worker, case_id=case_id, reason_code="untraceable", amount_pence=6_000
        )
    assert held.status == "pending"
    _config(tmp_path, monkeypatch, "[money_limits.write_off]\ncaseworker = 7500\n")
    with world.db.write() as s:
        posted = money_decisions.write_off(
            s, world.worker, case_id=case_id, reason_code="untraceable", amount_pence=6_000
        )
    assert (posted.status, posted.balance_after_pence) == ("posted", 14_000)
    rules = limit_rules.limits()  # the other roles and tables keep the shipped figures
    assert (rules.write_off["administrator"], rules.remission["caseworker"]) == (1_000, 2_500)
    assert rules.terms_months["caseworker"] == 24


def test_the_config_sets_the_means_share(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = _account(world)
    _config(tmp_path, monkeypatch, "[means]\nshare_percent = 40\ndependant_weekly_pence = 0\n")
    with world.db.write() as s:  # £100 disposable a week: 40% is £40.00
        info = means.record_means(
            s, world.worker, case_id=case_id, figures=Figures(wages=15_000, food=5_000)
        )
    assert (info.disposable_pence, info.proposed_pence) == (10_000, 4_000)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[means]\nshare_percent = "half"\n',
            "[means] share_percent must be a whole number from 1 to 100, not 'half'",
        ),
        ("[means]\nshare_percent = 0\n", "share_percent must be a whole number from 1 to 100"),
        ("[means]\nshare = 40\n", "[means] has no setting 'share'; use share_percent,"),
        ("means = 40\n", "[means] must be a table"),
        (
            "[money_limits.write_off]\nclerk = 100\n",
            "[money_limits.write_off] 'clerk' is not a role; use administrator,",
        ),
        (
            "[money_limits.remission]\ncaseworker = -5\n",
            "[money_limits.remission] caseworker must be a whole number from 0 to",
        ),
        (
            "[money_limits]\nwrite_off = 5\n",
            "[money_limits.write_off] must be a table of role = number",
        ),
        (
            '[money_limits.increase]\nkinds = ["bribe"]\n',
            "[money_limits.increase] kinds must be a list of compensation, victim_surcharge,",
        ),
        (
            "[money_limits.terms_months]\ncaseworker = 1.5\n",
            "[money_limits.terms_months] caseworker must be a whole number from 0 to 120, not 1.5",
        ),
    ],
)
def test_a_bad_value_is_refused_naming_the_file_and_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    path = _config(tmp_path, monkeypatch, text)
    with pytest.raises(ValidationError) as refused:
        means_rules.means_rule()
        limit_rules.limits()
    assert str(refused.value).startswith(f"money rules: {path}: ")
    assert message in str(refused.value)


@pytest.mark.sqlite_only
def test_account_rules_shows_the_rules_in_force(
    world: World, tmp_path: Path, frozen_clock: datetime
) -> None:
    home = tmp_path / "home"
    config = home / "config.toml"
    config.parent.mkdir()
    config.write_text("[money_limits.terms_months]\ncaseworker = 36\n", encoding="utf-8")
    env = {"CASETERM_CONFIG": str(config)}
    run = run_cli(home, "account", "rules", "--json", db=world.db.url, user="worker", extra_env=env)
    assert run.code == 0, run.err
    data = run.json()
    assert data["config"] == str(config)
    assert data["limits"]["terms_months"]["caseworker"] == 36
    assert data["means"]["share_percent"] == 50
    assert data["yours"] == {"write_off_pence": 5_000, "remission_pence": 2_500, "terms_months": 36}
    text = run_cli(home, "account", "rules", db=world.db.url, extra_env=env)
    assert "caseworker: write off up to £50.00, remit up to £25.00, terms up to 36 months" in (
        text.out
    )
    config.write_text("[money_limits.terms_months]\ncaseworker = 999\n", encoding="utf-8")
    other = home / "other.toml"  # a new config file is read afresh
    other.write_text(config.read_text(encoding="utf-8"), encoding="utf-8")
    bad = run_cli(
        home, "account", "rules", db=world.db.url, extra_env={"CASETERM_CONFIG": str(other)}
    )
    assert bad.one_error_line() == (
        f"caseterm: money rules: {other}: [money_limits.terms_months] caseworker must be a "
        "whole number from 0 to 120, not 999"
    )

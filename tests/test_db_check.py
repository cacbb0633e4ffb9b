"""``actionbot db check``: stored actions whose status and % contradict each other are listed, and
``--fix`` repairs them with an audit row each; ``actionbot db upgrade`` runs the check too."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from adapters.cli import app
from bot.clock import FixedClock
from bot.domain import Status, Surface
from store.db import make_engine
from store.session import transaction
from tests.conftest import NOW
from tests.factories import PlanFactory


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'check.db'}")
    return CliRunner()


def invoke(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def _plan_with_a_done_action_at(tmp_path: Path, percent: int) -> tuple[PlanFactory, int]:
    engine = make_engine(f"sqlite:///{tmp_path / 'check.db'}")
    plan = PlanFactory(engine, FixedClock(NOW))
    deb = plan.person("Deb Poole")
    action = plan.action(deb)
    plan.action(deb, status=Status.DONE, percent=100)
    with transaction(engine) as session:  # as a version before the rule stored it
        session.execute(text("UPDATE action SET status = 'done', percent_complete = :p WHERE id = :id"),
                        {"p": percent, "id": action.id})
    return plan, action.id or 0


def test_db_check_lists_what_breaks_the_rule_and_fails(runner: CliRunner, tmp_path: Path) -> None:
    assert invoke(runner, "db", "upgrade")[0] == 0
    _, action_id = _plan_with_a_done_action_at(tmp_path, 40)
    code, out = invoke(runner, "db", "check")
    assert code == 1
    assert out.splitlines() == [
        "Data check: 1 action breaks the rule:",
        f"  #{action_id} is done at 40% (done means 100% complete)",
        "Run `actionbot db check --fix` to set each to 100% complete, with an audit row.",
    ]


def test_db_check_fix_repairs_with_an_audit_row_and_then_passes(runner: CliRunner, tmp_path: Path) -> None:
    invoke(runner, "db", "upgrade")
    plan, action_id = _plan_with_a_done_action_at(tmp_path, 40)
    code, out = invoke(runner, "db", "check", "--fix")
    assert code == 0
    assert f"Repaired: #{action_id} is done at 40% (done means 100% complete); now 100%, with an audit row." in out
    assert (plan.get(action_id).status, plan.get(action_id).percent_complete) == (Status.DONE, 100)
    audit = plan.updates(action_id)[-1]
    assert (audit.surface, audit.old_percent, audit.new_percent) == (Surface.CLI, 40, 100)
    sound = "Data check: every action's status agrees with its % complete.\n"
    assert invoke(runner, "db", "check") == (0, sound)
    assert invoke(runner, "db", "check", "--fix") == (0, sound)
    assert len(plan.updates(action_id)) == 2, "a second --fix writes nothing"


def test_db_upgrade_runs_the_check_and_says_how_to_fix(runner: CliRunner, tmp_path: Path) -> None:
    invoke(runner, "db", "upgrade")
    _, action_id = _plan_with_a_done_action_at(tmp_path, 55)
    code, out = invoke(runner, "db", "upgrade")
    assert code == 0, "the upgrade itself succeeded"
    assert "Schema at " in out and "(already current)." in out
    assert f"#{action_id} is done at 55%" in out and "actionbot db check --fix" in out


def test_db_check_on_a_database_without_tables_says_how_to_fix_it(runner: CliRunner) -> None:
    code, out = invoke(runner, "db", "check")
    assert code == 2
    assert "has no actionbot tables yet: run `actionbot db upgrade`" in out

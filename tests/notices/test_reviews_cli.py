"""``actionbot reviews`` and ``actionbot import --lead``: who leads a review and when the clock speaks about it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from adapters.cli import app
from bot.domain import Nation
from store.db import make_engine
from tests.importing.conftest import Stored
from tests.importing.test_import_word import TITLE, council_plan


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("ACTIONBOT_NUDGE_HOUR", "8")
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    return runner


def invoke(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def stored(tmp_path: Path) -> Stored:
    return Stored(make_engine(f"sqlite:///{tmp_path / 'cli.db'}"))


def test_a_plan_imported_with_a_lead_is_led_by_them(runner: CliRunner, tmp_path: Path) -> None:
    plan = council_plan(tmp_path / "plan.docx")
    code, out = invoke(runner, "import", str(plan), "--lead", "Deb Poole", "--lead", "Kevin Dicks")
    assert code == 0, out
    assert out.splitlines()[-1] == f"'{TITLE}' is led by Deb Poole, Kevin Dicks."
    code, out = invoke(runner, "reviews")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[:2] == [f"{TITLE} (active; no organisation)", "  leads: Deb Poole, Kevin Dicks"]
    assert lines[2].startswith("  8 actions, 7 open, ") and lines[2].endswith(" overdue; no follow-up date")
    assert lines[3] == "  nation: england; nudges at 08:00 (default); escalation after 14 days overdue (default)"


def test_an_import_naming_a_lead_nobody_is_imports_nothing(runner: CliRunner, tmp_path: Path) -> None:
    code, out = invoke(runner, "import", str(council_plan(tmp_path / "plan.docx")), "--lead", "Debra Poole")
    assert code == 1
    assert "Nobody in the plan is called 'Debra Poole'. Did you mean 'Deb Poole'?" in out
    assert stored(tmp_path).reviews() == []


def test_a_dry_run_with_a_lead_says_who_would_lead_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    code, out = invoke(runner, "import", str(council_plan(tmp_path / "plan.docx")), "--lead", "Deb Poole", "--dry-run")
    assert code == 0, out
    assert out.splitlines()[-1] == f"'{TITLE}' would be led by Deb Poole."
    assert stored(tmp_path).reviews() == []


def test_reviews_set_changes_leads_nation_dates_and_the_clocks_settings(runner: CliRunner, tmp_path: Path) -> None:
    invoke(runner, "import", str(council_plan(tmp_path / "plan.docx")))
    code, out = invoke(
        runner, "reviews", "set", "corporate peer", "--lead", "Deb Poole", "--nation", "wales",
        "--follow-up", "2019-06-30", "--escalation-days", "21", "--morning-hour", "7",
    )  # fmt: skip
    assert code == 0, out
    assert out.splitlines() == [
        f"'{TITLE}': nation: wales",
        f"'{TITLE}': follow-up: Sun 30 Jun 2019",
        f"'{TITLE}': escalation days: 21",
        f"'{TITLE}': morning hour: 7",
        f"'{TITLE}': leads: Deb Poole",
    ]
    (review,) = stored(tmp_path).reviews()
    assert (review.nation, review.escalation_days, review.morning_hour) == (Nation.WALES, 21, 7)
    assert "  nation: wales; nudges at 07:00; escalation after 21 days overdue" in invoke(runner, "reviews")[1]
    assert invoke(runner, "reviews", "set", TITLE, "--nation", "Wales")[1] == f"'{TITLE}' already has those settings.\n"
    code, out = invoke(runner, "reviews", "set", TITLE, "--add-lead", "Kevin Dicks", "--remove-lead", "Deb Poole",
                       "--morning-hour", "default")  # fmt: skip
    assert out.splitlines() == [f"'{TITLE}': morning hour: the default", f"'{TITLE}': leads: Kevin Dicks"]
    cleared = invoke(runner, "reviews", "set", TITLE, "--no-leads")[1]
    assert cleared == f"'{TITLE}': leads: none: escalations go to the admins\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--nation", "france"], "--nation: 'france' is not one of england, wales, scotland, northern-ireland"),
        (["--follow-up", "31/02/2019"], "--follow-up: 31/02/2019 is not a date: February 2019 has 28 days"),
        (["--follow-up", "soon"], "--follow-up: 'soon' is not a date"),
        (["--escalation-days", "0"], "--escalation-days: '0' is not a number of days (1–365), or 'default'"),
        (["--morning-hour", "24"], "--morning-hour: '24' is not an hour (0–23), or 'default'"),
        (["--state", "finished"], "--state: 'finished' is not active or closed"),
        (["--lead", "Nobody Atall"], "Nobody in the plan is called 'Nobody Atall'."),
    ],
)
def test_a_bad_setting_is_refused_and_nothing_changes(
    runner: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    invoke(runner, "import", str(council_plan(tmp_path / "plan.docx")))
    code, out = invoke(runner, "reviews", "set", TITLE, "--morning-hour", "6", *args)
    assert code == 1 and message in out, out
    (review,) = stored(tmp_path).reviews()
    assert review.morning_hour is None, "nothing half-applied"


def test_reviews_set_needs_a_change_and_a_review_that_exists(runner: CliRunner, tmp_path: Path) -> None:
    invoke(runner, "import", str(council_plan(tmp_path / "plan.docx")))
    assert "say what to change" in invoke(runner, "reviews", "set", TITLE)[1]
    code, out = invoke(runner, "reviews", "set", "Scrutiny of waste", "--nation", "wales")
    assert code == 1 and "No review matches 'Scrutiny of waste'" in out
    assert invoke(runner, "reviews", "set", TITLE, "--lead", "Deb Poole", "--no-leads")[0] == 2

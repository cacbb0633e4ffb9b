"""The ``actionbot`` command line: people administration, the schema, start-up errors and the demo."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adapters.cli import app

ACTIONBOT = Path(sys.executable).parent / "actionbot"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    """The CLI against a fresh SQLite file: these tests are about the command line, not the store."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    return CliRunner()


def invoke(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_people_are_added_given_roles_linked_and_listed(runner: CliRunner) -> None:
    assert invoke(runner, "db", "upgrade")[0] == 0
    code, out = invoke(runner, "people", "add", "Kevin Dicks", "--email", "k.dicks@bromsgrove.gov.uk",
                       "--role", "smt", "--title", "Chief Executive")
    assert (code, out) == (0, "Added Kevin Dicks (smt).\n")
    assert invoke(runner, "people", "role", "Kevin Dicks", "--add", "admin") == (0, "Kevin Dicks: admin, smt.\n")
    assert invoke(runner, "people", "link", "kevin dicks", "--slack", "U0KD", "--teams", "aad-kd")[0] == 0
    code, out = invoke(runner, "people", "list")
    assert out == "Kevin Dicks\tk.dicks@bromsgrove.gov.uk\tadmin, smt\tslack U0KD, teams aad-kd\n"


def test_people_commands_with_an_unknown_name_suggest_the_closest(runner: CliRunner) -> None:
    invoke(runner, "db", "upgrade")
    invoke(runner, "people", "add", "Jayne Pickering")
    code, out = invoke(runner, "people", "link", "Jane Pickering", "--slack", "U0JP")
    assert code == 1
    assert "Nobody in the plan is called 'Jane Pickering'. Did you mean 'Jayne Pickering'?" in out


def test_a_bad_role_and_a_duplicate_person_are_refused(runner: CliRunner) -> None:
    invoke(runner, "db", "upgrade")
    assert "'boss' is not a role: use admin, smt, manager, union_rep, member." in invoke(
        runner, "people", "add", "Deb Poole", "--role", "boss")[1]
    invoke(runner, "people", "add", "Deb Poole")
    assert "'Deb Poole' is already in the plan." in invoke(runner, "people", "add", "Deb Poole")[1]


def test_commands_against_a_database_without_tables_say_how_to_fix_it(runner: CliRunner) -> None:
    code, out = invoke(runner, "people", "list")
    assert code == 2
    assert "has no actionbot tables yet: run `actionbot db upgrade`" in out
    assert len(out.strip().splitlines()) == 1


def test_a_bad_setting_stops_start_up_with_one_line(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTIONBOT_TIMEZONE", "Mars/Olympus")
    code, out = invoke(runner, "people", "list")
    assert code == 2
    assert out.strip() == "actionbot: configuration error: ACTIONBOT_TIMEZONE: 'Mars/Olympus' is not a time zone " \
                          "name such as Europe/London"


def test_db_status_says_whether_the_schema_is_current(runner: CliRunner) -> None:
    assert "behind: run `actionbot db upgrade`" in invoke(runner, "db", "status")[1]
    invoke(runner, "db", "upgrade")
    assert invoke(runner, "db", "status")[1].endswith(": current.\n")


def test_the_demo_lists_overdue_actions_grouped_by_owner_from_a_pipe(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "SLACK_", "MICROSOFT_"))}
    result = subprocess.run(
        [str(ACTIONBOT), "demo"], input="help\noverdue\nmine\n", capture_output=True, text=True, cwd=tmp_path,
        env=environment, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("You are Alex Morgan (Chief Executive; smt)")
    overdue = result.stdout.split("> overdue")[1].split("> mine")[0]
    assert "== Overdue actions ==" in overdue
    assert "days overdue" in overdue
    assert "\nAlex Morgan\n" in overdue and "\nGareth Evans\n" in overdue
    assert "== Your actions ==" in result.stdout.split("> mine")[1]
    assert (tmp_path / "actionbot-demo.db").exists()

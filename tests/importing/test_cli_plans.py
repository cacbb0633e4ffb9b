"""``actionbot import`` and ``actionbot export`` from the command line, against a SQLite file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner, Result

from adapters.cli import app
from bot.domain import Nation
from store.db import make_engine
from tests.importing.builders import WordTable, write_docx
from tests.importing.conftest import Stored
from tests.importing.test_import_word import TITLE, council_plan


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    return runner


def invoke(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(app, list(args))


def stored(tmp_path: Path) -> Stored:
    return Stored(make_engine(f"sqlite:///{tmp_path / 'cli.db'}"))


def test_import_prints_a_summary_and_a_second_import_changes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    plan = council_plan(tmp_path / "plan.docx")
    first = invoke(runner, "import", str(plan), "--organisation", "Bromsgrove District Council", "--nation", "wales")
    assert first.exit_code == 0, first.output
    lines = first.stdout.splitlines()
    assert lines[:6] == [
        f"Imported plan.docx into '{TITLE}'.",
        "  reviews:          1 created, 0 updated, 0 unchanged",
        "  recommendations:  5 created, 0 updated, 0 unchanged",
        "  actions:          8 created, 0 updated, 0 unchanged",
        "  owners:           0 matched, 9 new, 2 flagged",
        "  timescales:       6 read, 2 flagged",
    ]
    assert "Flagged (4): check these in the plan" in lines
    (review,) = stored(tmp_path).reviews()
    assert (review.organisation, review.nation) == ("Bromsgrove District Council", Nation.WALES)
    second = invoke(runner, "import", str(plan))
    assert "  actions:          0 created, 0 updated, 8 unchanged" in second.stdout.splitlines()


def test_a_dry_run_prints_what_would_happen_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "import", str(council_plan(tmp_path / "plan.docx")), "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:4] == [
        f"Dry run of plan.docx into '{TITLE}'.",
        "Nothing was written: this is what the import would do.",
        "  reviews:          1 to create, 0 to update, 0 unchanged",
        "  recommendations:  5 to create, 0 to update, 0 unchanged",
    ]
    assert stored(tmp_path).reviews() == []


def test_a_file_that_cannot_be_imported_prints_every_problem_and_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    path = write_docx(tmp_path / "minutes.docx", WordTable([["Item", "Discussion"], ["1", "Apologies"]]))
    result = invoke(runner, "import", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "actionbot: minutes.docx was not imported; nothing was changed:",
        "  table 1: no header row found: expected column names such as Recommendation, Action, Lead Officer and "
        "Timescale in one of the first rows; found 'Item', 'Discussion', '1', 'Apologies'",
    ]
    assert stored(tmp_path).reviews() == []


def test_a_bad_nation_is_refused_before_anything_is_read(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "import", "plan.docx", "--nation", "cornwall")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "actionbot: --nation: 'cornwall' is not one of england, wales, scotland, northern-ireland")


def test_export_writes_csv_and_json_to_standard_output(runner: CliRunner, tmp_path: Path) -> None:
    invoke(runner, "import", str(council_plan(tmp_path / "plan.docx")))
    result = invoke(runner, "export", "--format", "csv")
    assert result.exit_code == 0
    records = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(records) == 8 and records[0]["action"].startswith("Commission the review")
    records = json.loads(invoke(runner, "export", "--format", "json").stdout)
    assert [r["recommendation_ref"] for r in records] == ["1", "1", "2", "2", "3", "3", "4", "5"]


def test_export_writes_a_workbook_and_a_csv_file_excel_can_open(runner: CliRunner, tmp_path: Path) -> None:
    invoke(runner, "import", str(council_plan(tmp_path / "plan.docx")))
    result = invoke(runner, "export", "--format", "xlsx", "--output", "committee.xlsx")
    assert (result.exit_code, result.stderr) == (0, "Wrote 8 actions to committee.xlsx.\n")
    sheets = load_workbook(tmp_path / "committee.xlsx").sheetnames
    assert sheets == ["Summary", "Corporate Peer Challenge 2018 Ac"[:31]]
    assert invoke(runner, "export", "--output", "report.csv").exit_code == 0
    assert (tmp_path / "report.csv").read_bytes().startswith(b"\xef\xbb\xbfreview,section,")
    default = invoke(runner, "export", "--format", "xlsx")
    assert default.exit_code == 0 and "Wrote 8 actions to progress-report-" in default.stderr


def test_export_of_one_review_and_bad_options_answer_clearly(runner: CliRunner, tmp_path: Path) -> None:
    invoke(runner, "import", str(council_plan(tmp_path / "plan.docx")))
    assert len(json.loads(invoke(runner, "export", "--format", "json", "--review", "peer challenge").stdout)) == 8
    unknown = invoke(runner, "export", "--review", "Waste")
    assert (unknown.exit_code, unknown.stderr.strip()) == (
        1, f"actionbot: --review: 'Waste' matches no review. Reviews: '{TITLE}'")
    bad = invoke(runner, "export", "--format", "pdf")
    assert (bad.exit_code, bad.stderr.strip()) == (2, "actionbot: --format: 'pdf' is not one of csv, json, xlsx")

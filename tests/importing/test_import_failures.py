"""A file that cannot be imported changes nothing and says every problem; a dry run writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.importing.importer import ImportFailed
from tests.importing.builders import WordTable, write_csv, write_docx, write_xlsx
from tests.importing.conftest import Importer, Stored
from tests.importing.test_import_word import council_plan


@pytest.fixture
def existing(tmp_path: Path, run_import: Importer, stored: Stored) -> dict[str, int]:
    """A plan already in the database, and how many rows each table holds."""
    run_import(council_plan(tmp_path / "existing.docx"))
    return stored.row_counts()


def failure(run_import: Importer, path: Path) -> list[str]:
    with pytest.raises(ImportFailed) as raised:
        run_import(path)
    return [str(problem) for problem in raised.value.problems]


def test_a_document_without_a_recognisable_header_changes_nothing(
    tmp_path: Path, run_import: Importer, stored: Stored, existing: dict[str, int]
) -> None:
    path = write_docx(
        tmp_path / "minutes.docx",
        WordTable([["Item", "Discussion"], ["1", "Apologies were received from Cllr Ward"]]),
        "# Actions agreed",
        WordTable([["Who", "What"], ["Deb Poole", "Circulate the minutes"]]),
    )
    assert failure(run_import, path) == [
        "table 1: no header row found: expected column names such as Recommendation, Action, Lead Officer and "
        "Timescale in one of the first rows; found 'Item', 'Discussion', '1', 'Apologies were received from Cllr Ward'",
        "table 2 (Actions agreed): no header row found: expected column names such as Recommendation, Action, "
        "Lead Officer and Timescale in one of the first rows; found 'Who', 'What', 'Deb Poole', "
        "'Circulate the minutes'",
    ]
    assert stored.row_counts() == existing


def test_every_problem_in_a_plan_is_listed_with_its_row_and_column_and_nothing_is_written(
    tmp_path: Path, run_import: Importer, stored: Stored, existing: dict[str, int]
) -> None:
    rows = [
        ["Ref", "Recommendation", "Action", "Owner", "Timescale"],
        ["", "", "An action with nothing above it", "Deb Poole", "Q1 2019"],
        ["R1", "Review the constitution", "Commission the review", "Deb Poole", "Q1 2019"],
        ["R2", "Introduce a process map", "Draft the map", "Tom Hughes", "Q2 2019"],
        ["R1", "Something else entirely", "Publish", "Tom Hughes", "Q2 2019"],
    ]
    assert failure(run_import, write_csv(tmp_path / "plan.csv", rows)) == [
        "row 2, column B (Recommendation): an action with no recommendation: write it in this row (a blank cell "
        "means 'as above')",
        "row 5, column B (Recommendation): recommendation R1 is written twice with different text (first at row 3, "
        "column B (Recommendation))",
    ]
    assert stored.row_counts() == existing


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("plan.pages", b"PK\x03\x04", "'.pages' files cannot be imported: use .docx, .xlsx, .csv or .pdf"),
        ("plan.pdf", b"%PDF-1.4", "this PDF cannot be read: it is damaged"),
        ("plan.pdf", b"Recommendation,Action\n", "this is not a PDF file: its content is of another kind"),
        ("plan.xlsx", b"Recommendation,Action\n", "this is not an Excel workbook (.xlsx)"),
        ("plan.docx", b"\xd0\xcf\x11\xe0\xa1\xb1", "the file is password-protected or in the old 97-2003 format"),
        ("plan.docx", b"PK\x03\x04 not really a zip", "the file is damaged: it is not a complete Word document"),
        ("plan.csv", b"Recommendation\x00\x01\x02", "this is not a CSV file: it holds binary data"),
        ("plan.csv", b"", "the file is empty"),
    ],
)
def test_a_file_of_the_wrong_type_or_unreadable_is_refused_and_changes_nothing(
    tmp_path: Path, run_import: Importer, stored: Stored, existing: dict[str, int], name: str, content: bytes,
    problem: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    (message,) = failure(run_import, path)
    assert message.startswith(f"the file: {problem}")
    assert stored.row_counts() == existing


def test_a_workbook_saved_with_a_word_name_is_refused_with_what_it_really_is(
    tmp_path: Path, run_import: Importer
) -> None:
    workbook = write_xlsx(tmp_path / "plan.xlsx", {"Plan": [["Recommendation", "Action", "Owner"]]})
    renamed = workbook.rename(tmp_path / "plan.docx")
    assert failure(run_import, renamed) == [
        "the file: this is a .xlsx file saved with a .docx name: rename it or export the plan"]


def test_a_missing_file_is_refused(tmp_path: Path, run_import: Importer) -> None:
    (message,) = failure(run_import, tmp_path / "nowhere.docx")
    assert message == "the file: cannot be opened: No such file or directory"


def test_a_header_with_no_actions_under_it_is_refused(tmp_path: Path, run_import: Importer) -> None:
    path = write_csv(tmp_path / "empty.csv", [["Recommendation", "Action", "Lead Officer", "Timescale"]])
    assert failure(run_import, path) == ["the file: no actions found under the header row"]


def test_a_dry_run_reports_exactly_what_the_import_then_does_and_writes_nothing(
    tmp_path: Path, run_import: Importer, stored: Stored, existing: dict[str, int]
) -> None:
    path = write_docx(
        tmp_path / "v2.docx",
        WordTable([["Recommendation", "Action", "Lead Officer", "Timescale"],
                   ["Undertake a full Constitutional review – led at the most senior officer level, supported by "
                    "members.", "Commission the review and agree terms of reference with Group Leaders",
                    "Kevin Dicks / Lucy Bennett", "December 2018"],
                   ["A new recommendation", "A new action", "Owen Price", "Sometime"]]),
        title="Corporate Peer Challenge 2018: Action Plan",
    )
    dry = run_import(path, dry_run=True)
    assert stored.row_counts() == existing
    real = run_import(path)
    assert dry.dry_run and not real.dry_run
    for part in ("review_tally", "recommendation_tally", "action_tally", "flags", "kept", "missing", "notices"):
        assert getattr(dry, part) == getattr(real, part), part
    # recommendations without written references are known by their place: the second one was rewritten
    assert (dry.owners_new, dry.action_tally.created, dry.action_tally.updated) == (2, 0, 2)
    assert len(dry.missing) == 6
    assert dry.lines()[:2] == [
        "Dry run of v2.docx into 'Corporate Peer Challenge 2018: Action Plan'.",
        "Nothing was written: this is what the import would do.",
    ]
    assert "  actions:          0 to create, 2 to update, 0 unchanged" in dry.lines()

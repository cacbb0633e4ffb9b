"""From the peer team's recommendations letter to a plan: import it, export the template, fill it in, import again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from adapters.cli import app
from bot.domain import Role
from store.db import make_engine
from tests.factories import Chat, PlanFactory
from tests.importing.conftest import Importer, Stored

TITLE = "Local Government Association Corporate Peer Challenge September 2017 Recommendations"
LETTER = f"""

{TITLE}

1: Recommendations structural and constitutional governance

- Undertake a full Constitutional review – led at the most senior officer level, supported by members.
 - Through this review update the Constitution and associated protocols to reflect the new operating model.
 - Use the constitutional modernisation to empower a refreshed leadership culture.

2: Recommendations for Accountability

- Introduce a process map to clarify lines of accountability for all commissioned and contracted out services. This
should be developed by members and officers, setting out:
 - What your measures of success will be:
 - How you will communicate these:

3: Recommendations for Scrutiny

- Introduce regular all member briefings on key issues
- Strengthen scrutiny through:
 - Undertaking regular scrutiny training and other key skills for members.
- Evaluate officer capacity and ensure it can adequately support a thriving scrutiny function.
"""


def _letter(path: Path) -> Path:
    path.write_text(LETTER, encoding="utf-8")
    return path


def test_a_recommendations_letter_becomes_the_start_of_a_plan(
    tmp_path: Path, run_import: Importer, stored: Stored
) -> None:
    report = run_import(_letter(tmp_path / "report.txt"), recommendations=True)
    (review,) = stored.reviews()
    assert review.title == TITLE
    recs = stored.recommendations()
    assert [(r.ref, r.section) for r in recs] == [
        ("1.1", "Recommendations structural and constitutional governance"),
        ("2.1", "Recommendations for Accountability"),
        ("3.1", "Recommendations for Scrutiny"), ("3.2", "Recommendations for Scrutiny"),
        ("3.3", "Recommendations for Scrutiny"),
    ]
    assert recs[0].text == (
        "Undertake a full Constitutional review – led at the most senior officer level, supported by members.\n"
        "Through this review update the Constitution and associated protocols to reflect the new operating model.\n"
        "Use the constitutional modernisation to empower a refreshed leadership culture."
    )
    assert recs[1].text.split("\n")[:2] == [
        "Introduce a process map to clarify lines of accountability for all commissioned and contracted out "
        "services. This", "should be developed by members and officers, setting out:"]
    actions = stored.actions()
    assert [a.text for a in actions] == [r.text for r in recs]
    assert all(stored.owners(a) == [] and a.due_date is None for a in actions)
    assert [(str(f.where), f.message) for f in report.flags] == [
        ("line 7", "needs an owner and a timescale"), ("line 13", "needs an owner and a timescale"),
        ("line 20", "needs an owner and a timescale"), ("line 21", "needs an owner and a timescale"),
        ("line 23", "needs an owner and a timescale"),
    ]
    assert stored.people() == [] and stored.groups() == []


def test_a_word_letter_with_headings_and_bullets_reads_the_same(
    tmp_path: Path, run_import: Importer, stored: Stored
) -> None:
    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    document.add_paragraph("The peer team's recommendations follow.")
    document.add_heading("1: Recommendations for Scrutiny", level=2)
    document.add_paragraph("Introduce regular all member briefings on key issues", style="List Bullet")
    document.add_paragraph("Strengthen scrutiny through:", style="List Bullet")
    document.add_paragraph("Undertaking regular scrutiny training.", style="List Bullet 2")
    document.add_heading("2: Recommendations for Accountability", level=2)
    document.add_paragraph("Introduce a process map.", style="List Bullet")
    path = tmp_path / "letter.docx"
    document.save(str(path))
    run_import(path, recommendations=True)
    assert stored.reviews()[0].title == TITLE
    assert [(r.ref, r.section, r.text) for r in stored.recommendations()] == [
        ("1.1", "Recommendations for Scrutiny", "Introduce regular all member briefings on key issues"),
        ("1.2", "Recommendations for Scrutiny", "Strengthen scrutiny through:\nUndertaking regular scrutiny training."),
        ("2.1", "Recommendations for Accountability", "Introduce a process map."),
    ]


def test_a_report_with_no_recommendations_is_refused(tmp_path: Path, run_import: Importer, stored: Stored) -> None:
    from bot.importing.tables import ImportFailed

    (tmp_path / "minutes.md").write_text("# Minutes\n\nApologies were received.\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="no recommendations found"):
        run_import(tmp_path / "minutes.md", recommendations=True)
    with pytest.raises(ImportFailed, match="imported with --recommendations"):
        run_import(_letter(tmp_path / "report.txt"))
    assert stored.reviews() == []


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    return runner


def test_the_template_is_a_workbook_of_a_plan_that_exists(runner: CliRunner) -> None:
    csv = runner.invoke(app, ["export", "--template", "--format", "csv"])
    assert (csv.exit_code, csv.stderr) == (2, "actionbot: --template writes an Excel workbook (.xlsx), not csv\n")
    empty = runner.invoke(app, ["export", "--template"])
    assert (empty.exit_code, empty.stderr) == (
        1, "actionbot: there is no plan to write a template of yet: import one first\n")


def test_the_template_loop_completes_the_plan_in_place(runner: CliRunner, tmp_path: Path) -> None:
    first = runner.invoke(app, ["import", str(_letter(tmp_path / "report.txt")), "--recommendations",
                                "--review", "CPC 2017"])  # fmt: skip
    assert first.exit_code == 0, first.output
    assert "  actions:          5 created, 0 updated, 0 unchanged" in first.stdout.splitlines()
    stored = Stored(make_engine(f"sqlite:///{tmp_path / 'cli.db'}"))
    ids = [a.id for a in stored.actions()]

    exported = runner.invoke(app, ["export", "--template", "--review", "CPC", "--output", "plan.xlsx"])
    assert exported.exit_code == 0, exported.output
    assert exported.stderr == ("Wrote the template of 5 actions to plan.xlsx (5 without an owner). Fill it in, then: "
                               "actionbot import plan.xlsx\n")  # fmt: skip
    book = load_workbook(tmp_path / "plan.xlsx")
    sheet = book.active
    assert sheet is not None and book.properties.title == "CPC 2017"
    header = [c.value for c in sheet[3]]
    assert header == ["Section", "Ref", "Recommendation", "Action", "Lead Officer", "Timescale", "Status"]
    filled = {  # what the directors write in: owners, timescales, a rewritten action text, a status
        4: ("Alex Morgan", "March 2019", None, None),
        5: ("Priya Shah / CMT", "Q2 2019", "Draft the accountability process map", None),
        6: ("Tom Hughes", "Ongoing", None, "On track"),
        7: ("Tom Hughes\nGareth Evans", "June 2019\nSeptember 2019", None, None),
        8: ("Gareth Evans", "2019/20", None, None),
    }
    for row, (owner, timescale, action, status) in filled.items():
        sheet.cell(row=row, column=5, value=owner)
        sheet.cell(row=row, column=6, value=timescale)
        if action:
            sheet.cell(row=row, column=4, value=action)
        if status:
            sheet.cell(row=row, column=7, value=status)
    book.save(tmp_path / "plan.xlsx")

    second = runner.invoke(app, ["import", "plan.xlsx"])
    assert second.exit_code == 0, second.output
    assert "Imported plan.xlsx into 'CPC 2017'." in second.stdout
    assert "  recommendations:  0 created, 0 updated, 5 unchanged" in second.stdout.splitlines()
    actions = stored.actions()
    assert [a.id for a in actions if a.id in ids] == ids, "completed in place: the same actions"
    assert [(stored.recommendation_of(a).ref, stored.owners(a), a.due_date) for a in actions] == [
        ("1.1", ["Alex Morgan"], date(2019, 3, 31)),
        ("2.1", ["Priya Shah", "CMT"], date(2019, 6, 30)),
        ("3.1", ["Tom Hughes"], None),
        ("3.2", ["Tom Hughes"], date(2019, 6, 30)),
        ("3.2", ["Gareth Evans"], date(2019, 9, 30)),  # split by its two lines: one more action
        ("3.3", ["Gareth Evans"], date(2020, 3, 31)),
    ]
    assert actions[1].text == "Draft the accountability process map"
    third = runner.invoke(app, ["import", "plan.xlsx"])
    assert "  actions:          0 created, 0 updated, 6 unchanged" in third.stdout.splitlines()


def test_reviews_and_the_digest_say_how_many_actions_still_need_an_owner_or_a_timescale(
    tmp_path: Path, run_import: Importer, plan: PlanFactory, chat: Chat
) -> None:
    run_import(_letter(tmp_path / "report.txt"), recommendations=True, review="CPC 2017")
    reader = plan.person("Owen Price", Role.UNION_REP)
    assert "Still to fill in: 5 with no owner, 5 with no timescale" in chat.text(reader, "reviews")
    assert "Still to fill in: 5 with no owner, 5 with no timescale." in chat.text(reader, "digest")

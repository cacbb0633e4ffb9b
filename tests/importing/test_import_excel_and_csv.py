"""Importing Excel workbooks and CSV files as councils save them."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from bot.domain import Status, TimescaleKind, UpdateKind
from tests.importing.builders import write_csv, write_xlsx
from tests.importing.conftest import Importer, Stored

HEADER = ["Ref", "Recommendation", "Action", "Lead Officer", "Target date", "Status", "% complete", "Progress"]


def workbook(path: Path) -> Path:
    """A workbook like a policy team's: a title row, a merged section row, merged recommendation cells,
    real date cells (one shown as a month), percentages, a notes sheet and a hidden lookup sheet."""
    rows: list[list[object]] = [
        ["LGA Peer Review October 2013: Action Plan"],
        [],
        HEADER,
        ["Key Recommendations"],
        ["K1", "Look again at the scale of ambition to reconfirm the priorities of the organisation",
         "Reconfirm priorities through the Business Plan process", "Alex Morgan / CMT", "In place", "", "", ""],
        ["K2", "Ensure there is a robust analysis of corporate capacity and capability",
         "Develop a comprehensive workforce strategy", "Gareth Evans", datetime(2018, 12, 1), "Amber", 0.4,
         "Draft strategy with the Head of People"],
        [None, None, "Each Director to confirm resources for the Business Plan", "CMT", datetime(2019, 2, 4),
         "In progress", "25%", ""],
        ["K3.", "Consider a formal engagement process with all staff",
         "Launch a staff ideas scheme linked to a recognition award", "Gareth Evans & Nadia Rahman", "TBC", "Blue",
         "150%", ""],
    ]
    return write_xlsx(
        path,
        {
            "Action plan": rows,
            "Notes": [["Agreed by Cabinet on 4 March 2014."], ["The plan is monitored by SMT."]],
            "Lookups": [["Status"], ["On track"], ["At risk"]],
        },
        merges={"Action plan": ["A4:H4", "A6:A7", "B6:B7"]},
        formats={"Action plan": {"E6": "mmm-yy", "E7": "dd/mm/yyyy", "G6": "0%"}},
        hidden=["Lookups"],
        title="LGA Peer Review 2013 action plan",
    )


def test_an_excel_plan_is_stored_with_merged_cells_dates_percentages_and_statuses(
    tmp_path: Path, run_import: Importer, stored: Stored
) -> None:
    report = run_import(workbook(tmp_path / "plan.xlsx"))
    (review,) = stored.reviews()
    assert review.title == "LGA Peer Review 2013 action plan"
    assert [(r.ref, r.section) for r in stored.recommendations()] == [
        ("K1", "Key Recommendations"), ("K2", "Key Recommendations"), ("K3", "Key Recommendations")
    ]
    in_place, strategy, resources, ideas = stored.actions()
    assert (in_place.status, in_place.percent_complete, in_place.timescale_kind) == (
        Status.DONE, 100, TimescaleKind.IN_PLACE)
    assert stored.owners(in_place) == ["Alex Morgan", "CMT"]
    assert (strategy.timescale, strategy.due_date) == ("December 2018", date(2018, 12, 31))
    assert (strategy.status, strategy.percent_complete) == (Status.AT_RISK, 40)
    assert strategy.latest_note == "Draft strategy with the Head of People"
    assert [u.kind for u in stored.updates(strategy)] == [UpdateKind.CREATED, UpdateKind.NOTE]
    assert (resources.timescale, resources.due_date, resources.status, resources.percent_complete) == (
        "04/02/2019", date(2019, 2, 4), Status.ON_TRACK, 25)
    assert stored.recommendation_of(resources).ref == "K2"
    assert stored.owners(ideas) == ["Gareth Evans", "Nadia Rahman"]
    assert (ideas.status, ideas.percent_complete, ideas.timescale_kind) == (
        Status.NOT_STARTED, 0, TimescaleKind.UNKNOWN)
    assert [str(f) for f in report.flags if f.topic in ("status", "percent")] == [
        "sheet 'Action plan', row 8, column F (Status): \"Blue\" 'Blue' is not a status: use not started, on track, "
        "at risk, off track, done or dropped (or Red, Amber, Green); left as it is",
        "sheet 'Action plan', row 8, column G (% complete): \"150%\" '150%' is more than 100%; left as it is",
    ]
    assert "sheet 'Notes' skipped: it has no header row naming Recommendation or Action columns" in report.notices
    assert not any("Lookups" in notice for notice in report.notices)


def test_a_csv_saved_by_excel_in_windows_1252_with_semicolons_is_read(
    tmp_path: Path, run_import: Importer, stored: Stored
) -> None:
    rows = [
        ["No.", "Theme", "Recommendation", "Action", "Owner", "By when"],
        ["1", "Making peer reviews normal business", "Develop criteria for prioritising reviews – £ and staff views",
         "Draft prioritisation criteria", "Sarah Collins", "09/01/2019"],
        ["", "", "", "Publish the forward programme of reviews", "Sarah Collins", "Jan-19"],
        ["2", "Sustain Members’ engagement", "Members identify priority areas",
         "Offer briefings and site visits", "Tom Hughes / Gareth Evans", "Spring 2019"],
    ]
    path = write_csv(tmp_path / "programme.csv", rows, encoding="cp1252", delimiter=";")
    run_import(path, review="Peer Review Programme 2017")
    recs = stored.recommendations()
    assert [(r.ref, r.section, r.text) for r in recs] == [
        ("1", "Making peer reviews normal business", "Develop criteria for prioritising reviews – £ and staff views"),
        ("2", "Sustain Members’ engagement", "Members identify priority areas"),
    ]
    assert [a.text for a in stored.actions()] == [
        "Draft prioritisation criteria", "Publish the forward programme of reviews", "Offer briefings and site visits"
    ]
    assert stored.owners(stored.action("Offer briefings and site visits")) == ["Tom Hughes", "Gareth Evans"]


def test_a_plan_of_actions_only_makes_each_action_its_own_recommendation(
    tmp_path: Path, run_import: Importer, stored: Stored
) -> None:
    rows = [
        ["Action", "Lead Officer"],
        ["These meetings are well established and take place regularly.", "Chief Executive, Group Leaders"],
        ["This will be pursued via the Public Service Board.", "Chief Executive, Executive Director, CFA"],
    ]
    report = run_import(write_csv(tmp_path / "cabinet-2014.csv", rows))
    assert [(r.ref, r.text) for r in stored.recommendations()] == [
        ("1", "These meetings are well established and take place regularly."),
        ("2", "This will be pursued via the Public Service Board."),
    ]
    assert stored.owners(stored.actions()[1]) == ["Chief Executive", "Executive Director, CFA"]
    assert stored.reviews()[0].title == "cabinet 2014"
    assert "Review title taken from the file's name: 'cabinet 2014' (name it with --review)" in report.notices
    assert all(f.message == "no timescale given" for f in report.flags)


def test_a_plan_of_recommendations_only_makes_each_recommendation_its_own_action(
    tmp_path: Path, run_import: Importer, stored: Stored
) -> None:
    rows = [
        ["Recommendation", "Responsible", "Timescale"],
        ["Introduce regular all member briefings on key issues", "Tom Hughes", "Ongoing"],
        ["Evaluate officer capacity", "Gareth Evans", "Q1 2019"],
    ]
    run_import(write_csv(tmp_path / "scrutiny.csv", rows), review="Scrutiny")
    assert [(stored.recommendation_of(a).text, a.text, a.due_date) for a in stored.actions()] == [
        ("Introduce regular all member briefings on key issues",
         "Introduce regular all member briefings on key issues", None),
        ("Evaluate officer capacity", "Evaluate officer capacity", date(2019, 3, 31)),
    ]


def test_a_review_column_puts_rows_into_their_reviews(tmp_path: Path, run_import: Importer, stored: Stored) -> None:
    rows = [
        ["Review", "Recommendation", "Action", "Owner", "Timescale"],
        ["Corporate Peer Challenge 2017", "Review the constitution", "Commission the review", "Alex Morgan", "TBC"],
        ["", "", "Update protocols", "Tom Hughes", "Ongoing"],
        ["Peer Review Programme 2017", "Develop criteria", "Draft the criteria", "Sarah Collins", "Spring 2019"],
    ]
    report = run_import(write_csv(tmp_path / "all.csv", rows))
    assert [r.title for r in stored.reviews()] == ["Corporate Peer Challenge 2017", "Peer Review Programme 2017"]
    assert [a.text for a in stored.actions("Corporate Peer Challenge 2017")] == [
        "Commission the review", "Update protocols"]
    assert report.review_tally.created == 2

"""Importing Word action plans as councils write them, and checking what was stored and flagged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.domain import Status, Surface, TimescaleKind, UpdateKind
from bot.importing.timescales import read_timescale
from tests.factories import PlanFactory
from tests.importing.builders import WordTable, write_docx
from tests.importing.conftest import Importer, Stored
from tests.importing.test_timescales import FLAGGED, READ_CLEANLY

TITLE = "Corporate Peer Challenge 2018: Action Plan"


def council_plan(path: Path) -> Path:
    """A plan laid out like the real ones in shared/seeds: a contact table, then two plan tables."""
    return write_docx(
        path,
        "Corporate Peer Challenge: action plan",
        WordTable([["Officer contact:", "Member contact:"], ["Name: Mark Lloyd", "Name: Councillor Martin Curtis"]]),
        "This action plan responds to the recommendations of the Corporate Peer Challenge. CMT will monitor it.",
        "# Key Recommendations",
        WordTable(
            [
                ["Recommendation", "Response / Action", "Lead Officer", "Timescale"],
                [
                    "1. Undertake a full Constitutional review – led at the most senior officer level, supported "
                    "by members.",
                    "• Commission the review and agree terms of reference with Group Leaders",
                    "Kevin Dicks / Communications Team",
                    "September 2018",
                ],
                [
                    "",
                    "Update the Constitution and associated protocols\n\uf0b7\tseparate social media protocols for "
                    "members and officers",
                    "Deb Poole Deb Poole",
                    "November 2018 November 2018",
                ],
                [
                    "2: Introduce a process map to clarify lines of accountability for all commissioned services.",
                    "Draft the process map with members and officers",
                    "Jayne Pickering / HOS",
                    "2019/20",
                ],
                ["", "Publish the measures of success", "СМТ", "As 1 above"],
            ],
            merges=[(1, 0, 2, 0)],
        ),
        "# Recommendations for Scrutiny",
        WordTable(
            [
                ["No.", "Recommendation", "Action", "Owner", "By when?"],
                ["3", "Introduce regular all member briefings on key issues.", "Start monthly all-member briefings",
                 "Leaders / Kevin Dicks", "Ongoing"],
                ["", "", "Train scrutiny members", "ayne Pickering", "TBC"],
                ["4", "Evaluate officer capacity to support a thriving scrutiny function.",
                 "- Evaluate officer capacity", "Chief Executive, Group Leaders", "Q3 2019"],
                ["5", "Invest more time in understanding what your residents value.", "Run a residents' survey",
                 "As 3 above", "In place"],
            ]
        ),
        title=TITLE,
    )


def test_a_word_plan_is_stored_with_recommendations_actions_owners_and_timescales(
    tmp_path: Path, run_import: Importer, stored: Stored
) -> None:
    report = run_import(council_plan(tmp_path / "plan.docx"), organisation="Bromsgrove District Council")

    (review,) = stored.reviews()
    assert (review.title, review.organisation) == (TITLE, "Bromsgrove District Council")
    recs = stored.recommendations()
    assert [(r.ref, r.section) for r in recs] == [
        ("1", "Key Recommendations"), ("2", "Key Recommendations"), ("3", "Recommendations for Scrutiny"),
        ("4", "Recommendations for Scrutiny"), ("5", "Recommendations for Scrutiny"),
    ]
    assert recs[0].text.startswith("Undertake a full Constitutional review – led at")
    actions = stored.actions()
    assert [a.text for a in actions] == [
        "Commission the review and agree terms of reference with Group Leaders",
        "Update the Constitution and associated protocols\nseparate social media protocols for members and officers",
        "Draft the process map with members and officers",
        "Publish the measures of success",
        "Start monthly all-member briefings",
        "Train scrutiny members",
        "Evaluate officer capacity",
        "Run a residents' survey",
    ]
    assert [stored.recommendation_of(a).ref for a in actions] == ["1", "1", "2", "2", "3", "3", "4", "5"]
    assert [stored.owners(a) for a in actions] == [
        ["Kevin Dicks", "Communications Team"],
        ["Deb Poole"],
        ["Jayne Pickering", "Heads of Service"],
        ["CMT"],
        ["Leaders", "Kevin Dicks"],
        [],
        ["Chief Executive", "Group Leaders"],
        ["Leaders", "Kevin Dicks"],
    ]
    assert [(a.timescale_kind, a.due_date) for a in actions] == [
        (TimescaleKind.DATE, date(2018, 9, 30)),
        (TimescaleKind.DATE, date(2018, 11, 30)),
        (TimescaleKind.DATE, date(2020, 3, 31)),
        (TimescaleKind.SAME_AS, date(2018, 9, 30)),
        (TimescaleKind.ONGOING, None),
        (TimescaleKind.UNKNOWN, None),
        (TimescaleKind.DATE, date(2019, 9, 30)),
        (TimescaleKind.IN_PLACE, None),
    ]
    assert actions[3].same_as_action_id == actions[0].id
    assert (actions[7].status, actions[7].percent_complete) == (Status.DONE, 100)
    assert stored.people() == ["Chief Executive", "Deb Poole", "Jayne Pickering", "Kevin Dicks"]
    assert stored.groups() == ["CMT", "Communications Team", "Group Leaders", "Heads of Service", "Leaders"]
    for action in actions:
        (created,) = stored.updates(action)
        assert (created.kind, created.surface) == (UpdateKind.CREATED, Surface.IMPORT)
    assert report.action_tally.created == 8 and report.recommendation_tally.created == 5


def test_what_a_word_plan_leaves_in_doubt_is_flagged_with_its_table_row_and_column(
    tmp_path: Path, run_import: Importer, stored: Stored
) -> None:
    report = run_import(council_plan(tmp_path / "plan.docx"))
    flags = [str(flag) for flag in report.flags]
    assert flags == [
        'table 2 (Key Recommendations), row 3, column 4 (Timescale): "November 2018 November 2018" 2 dates in one '
        "cell (30 Nov 2018, 30 Nov 2018): the first is the due date; split the action",
        "table 2 (Key Recommendations), row 5, column 3 (Lead Officer): \"СМТ\" written with look-alike letters "
        "from another alphabet: read as 'CMT'",
        'table 3 (Recommendations for Scrutiny), row 3, column 4 (Owner): "ayne Pickering" looks like '
        "'Jayne Pickering', already in the plan: not added as an owner. If it is them, run `actionbot people alias "
        '"Jayne Pickering" "ayne Pickering"` (or correct the cell); if it is someone else, run `actionbot people add '
        '"ayne Pickering"`; then import again',
        'table 3 (Recommendations for Scrutiny), row 3, column 5 (By when?): "TBC" no date given yet (to be confirmed)',
    ]
    assert stored.action("Train scrutiny members").timescale_flag == "no date given yet (to be confirmed)"
    update = stored.action(
        "Update the Constitution and associated protocols\nseparate social media protocols for members and officers"
    )
    assert update.timescale == "November 2018 November 2018"
    assert update.timescale_flag is not None and update.timescale_flag.endswith("split the action")
    assert "ayne Pickering" not in stored.people()
    skipped = "table 1 (Corporate Peer Challenge: action plan) skipped: it has no header row naming Recommendation or "
    assert skipped + "Action columns" in report.notices
    assert (report.owners_matched, report.owners_new, report.owners_flagged) == (0, 9, 2)
    assert (report.timescales_parsed, report.timescales_flagged) == (6, 2)
    text = "\n".join(report.lines())
    assert f"Imported plan.docx into '{TITLE}'." in text
    assert "actions:          8 created, 0 updated, 0 unchanged" in text
    assert "owners:           0 matched, 9 new, 2 flagged" in text


def test_owners_already_in_the_plan_are_matched_whatever_the_case_spacing_or_alphabet(
    tmp_path: Path, run_import: Importer, stored: Stored, plan: PlanFactory
) -> None:
    jayne = plan.person("Jayne Pickering")
    plan.group("CMT")
    path = write_docx(
        tmp_path / "plan.docx",
        WordTable([["Recommendation", "Action", "Lead officer(s)", "Deadline"],
                   ["Review the constitution", "Draft terms of reference", "JAYNE  PICKERING / СМТ", "Jan-19"],
                   ["", "Consult members", "Jane Pickering", "Summer 2019"]]),
    )
    report = run_import(path, review="Scrutiny review 2019")
    draft = stored.action("Draft terms of reference")
    assert stored.owners(draft) == ["Jayne Pickering", "CMT"]
    assert stored.owners(stored.action("Consult members")) == []
    assert any("looks like 'Jayne Pickering'" in flag.message for flag in report.flags)
    assert stored.people() == ["Jayne Pickering"] and jayne.id is not None
    assert (report.owners_matched, report.owners_new) == (2, 0)


def test_a_name_with_commas_already_in_the_plan_stays_whole(
    tmp_path: Path, run_import: Importer, stored: Stored, plan: PlanFactory
) -> None:
    plan.group("Law, Property and Governance Team")
    path = write_docx(tmp_path / "plan.docx", WordTable([
        ["Recommendation", "Action", "Lead Officer", "Timescale"],
        ["Review the constitution", "Refresh the scheme of delegation", "Law, Property and Governance Team / Deb Poole",
         "Q2 2019"],
    ]))
    run_import(path, review="Governance review")
    assert stored.owners(stored.action("Refresh the scheme of delegation")) == [
        "Law, Property and Governance Team", "Deb Poole"]
    assert stored.groups() == ["Law, Property and Governance Team"]


def test_a_table_split_across_pages_section_rows_and_repeated_headers_are_read_as_one_plan(
    tmp_path: Path, run_import: Importer, stored: Stored
) -> None:
    header = ["Ref", "Recommendation", "Action", "Lead Officer", "Timescale"]
    path = write_docx(
        tmp_path / "plan.docx",
        WordTable(
            [
                header,
                ["Key Recommendations", "", "", "", ""],
                ["K1", "Reconfirm the council's priorities", "Reconfirm through the Business Plan", "CMT", "In place"],
                header,
                ["K2", "Analyse corporate capacity", "Develop a workforce strategy", "Gareth Evans", "31/03/2019"],
                ["Other recommendations", "", "", "", ""],
                ["R1", "Engage all staff", "Launch a staff ideas scheme", "Gareth Evans", "Spring 2019"],
            ],
            merges=[(1, 0, 1, 4), (5, 0, 5, 4)],
        ),
        "Continued",
        WordTable([["R2", "Focus the shared service on value", "Implement service level agreements", "Priya Shah",
                    "April 2019"]]),
    )
    report = run_import(path, review="LGA Peer Review 2013")
    assert [(r.ref, r.section) for r in stored.recommendations()] == [
        ("K1", "Key Recommendations"), ("K2", "Key Recommendations"), ("R1", "Other recommendations"),
        ("R2", "Other recommendations"),
    ]
    assert stored.action("Implement service level agreements").due_date == date(2019, 4, 30)
    assert "table 2 (Continued) has no header row: read as the rest of the table before it" in report.notices


def test_every_timescale_form_is_stored_as_read_with_the_text_as_written(
    tmp_path: Path, run_import: Importer, stored: Stored
) -> None:
    forms = [written for written, *_ in READ_CLEANLY + FLAGGED if written]
    rows = [["Recommendation", "Action", "Owner", "Timescale"]]
    rows += [[f"Recommendation {n}", f"Action {n}", "Deb Poole", written] for n, written in enumerate(forms, 1)]
    report = run_import(write_docx(tmp_path / "forms.docx", WordTable(rows)), review="Every form")
    for number, written in enumerate(forms, 1):
        action = stored.action(f"Action {number}")
        expected = read_timescale(written)
        assert (action.timescale, action.timescale_kind, action.due_date, action.timescale_flag) == (
            expected.text, expected.kind, expected.due, expected.flag), written
    flagged = sum(1 for written in forms if read_timescale(written).flag)
    assert (report.timescales_parsed, report.timescales_flagged) == (len(forms) - flagged, flagged)

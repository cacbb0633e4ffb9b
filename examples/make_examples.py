"""Write the demo's sample plans, laid out like real council plans: ``python examples/make_examples.py``.

They are written into ``bot/sample_files/``, package data of the wheel, where the demo reads them.

Three reviews of a fictional council, written from the real documents in ``shared/seeds/``, one per
format the importer reads:

* ``corporate-peer-challenge-2017.docx``: a Word table with merged recommendation cells, numbered
  recommendations, section rows across the table, bullets, and lead-officer cells like
  ``Nadia Rahman / Communications Team``;
* ``lga-peer-review-2013.xlsx``: a spreadsheet with a title row, references K1–K4, merged cells,
  and target dates as real Excel dates (one shown as a month only);
* ``peer-review-programme-2017.csv``: a CSV file with a theme column.

The timescales are real ones as of 14 January 2019 (:data:`ANCHOR`); the demo moves every deadline
by the days between that date and the day it runs, so there is always something overdue.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

# The files ship inside the package (bot/sample_files), so the demo runs from an installed wheel.
HERE = Path(__file__).resolve().parent.parent / "bot" / "sample_files"
ANCHOR = date(2019, 1, 14)  # the day the sample plans' timescales are written for

CPC_2017 = [
    # (section, recommendation, [(action, lead officer, timescale)])
    ("Recommendations for structural and constitutional governance",
     "1. Undertake a full Constitutional review – led at the most senior officer level, supported by members.",
     [("• Commission the Constitutional review and agree its terms of reference with Group Leaders.",
       "Alex Morgan / Group Leaders", "November 2018"),
      ("• Update member and officer protocols, including separate social media protocols.",
       "Tom Hughes", "20/01/2019")]),
    ("Recommendations for Accountability",
     "2. Introduce a process map to clarify lines of accountability for all commissioned and contracted-out "
     "services.",
     [("Draft the accountability process map with members and officers.", "Priya Shah",
       "by end of December 2018"),
      ("Publish the measures of success and how progress will be communicated.",
       "Nadia Rahman / Communications Team", "27 January 2019")]),
    ("Recommendations for Scrutiny",
     "3. Introduce regular all-member briefings on key issues and strengthen scrutiny.",
     [("Start a monthly all-member briefing on key issues.", "Tom Hughes", "Ongoing"),
      ("Set clear timeframes so scrutiny members can digest papers before decisions.", "Tom Hughes",
       "6th January 2019"),
      ("Evaluate officer capacity to support a thriving scrutiny function.", "Gareth Evans", "15/01/19")]),
    ("Recommendations for understanding of local place and priority setting",
     "4. Invest more time in understanding what your residents value.",
     [("Run a residents' survey and publish the results.", "Nadia Rahman Nadia Rahman", "11 Jan 2019"),
      ("Agree a clear policy for inward investment.", "Mike Taylor", "Q1 2019")]),
    ("Recommendations for Leadership of Place",
     "5. Enhance and deepen relationships with businesses and partners.",
     [("Make interaction with the safeguarding boards regular and consistent.", "Priya Shah", "15/11/2018"),
      ("Describe what an integrated health and social care system will look like for residents.",
       "Mike Taylor / CMT", "14 January 2019")]),
    ("Recommendations for financial planning viability",
     "6. Link the medium term financial strategy to the single council vision.",
     [("Refresh the medium term financial strategy against the council vision.", "Lucy Bennett",
       "31st December 2018"),
      ("Give budget holders ownership of planned savings and a way to report against them.", "Lucy Bennett",
       "17/01/2019")]),
    ("Recommendations for capacity to deliver",
     "8. Develop a one-team approach to leadership, bringing SLT and Cabinet together regularly.",
     [("Hold joint SLT and Cabinet sessions on key strategic issues.", "Alex Morgan, CMT", "24/01/2019"),
      ("Continue to progress the People Strategy.", "Gareth Evans", "Spring 2019")]),
]

LGA_2013 = [
    # (ref, recommendation, action, lead officer, target: text or (date, number format))
    ("K1", "Look again at the scale of ambition to reconfirm the priorities of the organisation within the "
     "financial resources available to it.",
     "Reconfirm the council's priorities through the Business Plan process, reviewed each year.",
     "Alex Morgan / CMT", "In place"),
    ("K2", "Ensure there is a robust analysis of the scale of requirements for corporate capacity and capability "
     "to deliver the Council's business plan.",
     "Develop a workforce strategy covering skills, succession planning and knowledge transfer.",
     "Gareth Evans", (datetime(2018, 12, 1), "mmm-yy")),
    ("K2", None, "Each Director to confirm resources to deliver their part of the Business Plan.", "CMT",
     (datetime(2019, 2, 4), "dd/mm/yyyy")),
    ("K3", "Consider a formal engagement process with all staff to develop ideas around efficiencies and "
     "innovation.", "Launch a staff ideas scheme linked to a recognition award.", "Gareth Evans & Nadia Rahman",
     "By 4 January 2019"),
    ("K4", "Ensure that the formal arrangements with the shared service are focused on delivering value.",
     "Implement Service Level Agreements with the shared service.", "Priya Shah", "October 2018"),
    ("K4", None, "Review the Service Level Agreements against the savings achieved.", "Lucy Bennett", "TBC"),
]

PROGRAMME_2017 = [
    ["No.", "Theme", "Recommendation", "Action", "Owner", "By when"],
    ["1", "Making peer reviews normal business", "Develop criteria for prioritising reviews: member views, budget "
     "scale, performance data and staff views.", "Draft prioritisation criteria and take them to the Redesign "
     "Board.", "Sarah Collins", "09/01/2019"],
    ["", "", "", "Publish the forward programme of reviews.", "Sarah Collins", "28/01/2019"],
    ["2", "Sustain Members' engagement in a review programme", "Members identify priority areas, challenge "
     "findings and scrutinise implementation.", "Offer briefings, workshops and site visits to members attached "
     "to each review.", "Tom Hughes", "21/01/2019"],
    ["", "", "", "Agree a shadowing framework for members.", "Tom Hughes / Gareth Evans", "December 2018"],
    ["3", "Sustain engagement of Trade Unions in a review programme", "Support the partnership approach with "
     "trade union representatives in every review.", "Invite a staff side representative onto every review team.",
     "Gareth Evans", "02/01/2019"],
    ["", "", "", "Report trade union involvement to the Board each quarter.", "Gareth Evans",
     "Quarterly and ongoing"],
]


def _shade(cell: object, colour: str) -> None:
    properties = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), colour)
    properties.append(shading)


def write_docx(path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "Corporate Peer Challenge 2017"
    document.add_heading("Corporate Peer Challenge 2017: Action Plan", level=0)
    document.add_paragraph(
        "Eastbridge Borough Council (sample). This plan responds to the recommendations of the Local Government "
        "Association Corporate Peer Challenge of September 2017. It will be monitored by CMT."
    )
    header = ["Recommendation", "Response / Action", "Lead Officer", "Timescale"]
    rows = sum(1 + len(actions) for _, _, actions in CPC_2017) + 1
    table = document.add_table(rows=rows, cols=4)
    table.style = "Table Grid"
    for column, text in enumerate(header):
        cell = table.cell(0, column)
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
        _shade(cell, "1F3864")
    row = 1
    for section, recommendation, actions in CPC_2017:
        band = table.cell(row, 0).merge(table.cell(row, 3))
        band.text = section
        band.paragraphs[0].runs[0].bold = True
        band.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
        _shade(band, "D9E2F3")
        row += 1
        table.cell(row, 0).text = recommendation
        for offset, (action, lead, timescale) in enumerate(actions):
            table.cell(row + offset, 1).text = action
            table.cell(row + offset, 2).text = lead
            table.cell(row + offset, 3).text = timescale
        if len(actions) > 1:
            table.cell(row, 0).merge(table.cell(row + len(actions) - 1, 0))
        row += len(actions)
    document.save(str(path))


def write_xlsx(path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Action plan"
    workbook.properties.title = "LGA Peer Review 2013 action plan"
    sheet["A1"] = "LGA Peer Review October 2013: Action Plan"
    sheet["A1"].font = Font(bold=True, size=14)
    header = ["Ref", "Recommendation", "Action", "Lead Officer", "Target date"]
    sheet.append([])
    sheet.append(header)
    for cell in sheet[3]:
        cell.font = Font(bold=True, color="FFFFFFFF")
        cell.fill = PatternFill("solid", fgColor="FF1F3864")
    sheet.append(["Key Recommendations"])
    sheet.merge_cells("A4:E4")
    for ref, recommendation, action, lead, target in LGA_2013:
        value, number_format = target if isinstance(target, tuple) else (target, None)
        sheet.append([ref if recommendation else None, recommendation, action, lead, value])
        if number_format:
            sheet.cell(row=sheet.max_row, column=5).number_format = number_format
        if recommendation is None:
            sheet.merge_cells(start_row=sheet.max_row - 1, start_column=1, end_row=sheet.max_row, end_column=1)
            sheet.merge_cells(start_row=sheet.max_row - 1, start_column=2, end_row=sheet.max_row, end_column=2)
    for column, width in zip("ABCDE", (8, 50, 50, 26, 14), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    workbook.save(path)


def write_csv(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(PROGRAMME_2017)


def main() -> None:
    write_docx(HERE / "corporate-peer-challenge-2017.docx")
    write_xlsx(HERE / "lga-peer-review-2013.xlsx")
    write_csv(HERE / "peer-review-programme-2017.csv")


if __name__ == "__main__":
    main()

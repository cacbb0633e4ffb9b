"""PDF plans (an appendix of a Cabinet report), Word's own list numbering, and old .doc/.xls files."""

from __future__ import annotations

import os
import stat
import sys
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from bot.importing.tables import ImportFailed
from tests.importing.builders import WordTable, write_docx, write_xlsx
from tests.importing.conftest import Importer, Stored
from tests.importing.pdf_builder import write_pdf, write_scanned_pdf

HEADER = ["Ref", "Recommendation", "Action", "Lead Officer", "Timescale"]
WIDTHS = (10, 80, 80, 35, 30)


def cabinet_report(path: Path, recommendations: int = 24) -> Path:
    """A title page, then the plan over several pages: wrapped cells, typed line breaks, blank 'same as above' cells."""
    rows = [HEADER]
    for number in range(1, recommendations + 1):
        rows.append([str(number), f"Look again at the scale of ambition to reconfirm the priorities of the "
                     f"organisation, number {number}", f"Reconfirm the priorities through the Business Plan process "
                     f"and review them each year, number {number}", "Director of Law, Property and Governance",
                     "Q3 2019"])  # fmt: skip
        rows.append(["", "", f"Report progress on recommendation {number} to Cabinet each quarter",
                     "CMT\nDeb Poole\nJayne Pickering" if number % 2 else "Chief Executive, Executive Director, CFA",
                     "March 2019\nJune 2019\nSeptember 2019" if number % 2 else "Ongoing"])  # fmt: skip
    return write_pdf(path, rows, widths=WIDTHS)


def test_a_cabinet_report_pdf_is_imported_across_its_pages(
    tmp_path: Path, run_import: Importer, stored: Stored
) -> None:
    report = run_import(cabinet_report(tmp_path / "cabinet-report.pdf"), review="LGA Peer Review 2013")
    recs = stored.recommendations()
    assert [r.ref for r in recs] == [str(n) for n in range(1, 25)]
    assert all(r.section == "Appendix A: LGA Peer Review October 2013 action plan" for r in recs)
    assert recs[0].text == (
        "Look again at the scale of ambition to reconfirm the priorities of the organisation, number 1")
    actions = stored.actions()
    assert len(actions) == 24 + 12 * 3 + 12  # odd recommendations' second actions split into three
    last = [a for a in actions if stored.recommendation_of(a).ref == "24"]
    assert [a.text for a in last] == ["Reconfirm the priorities through the Business Plan process and review them "
                                      "each year, number 24", "Report progress on recommendation 24 to Cabinet each "
                                      "quarter"]  # fmt: skip
    assert stored.owners(last[0]) == ["Director of Law, Property and Governance"], "a wrapped job title stays whole"
    assert stored.owners(last[1]) == ["Chief Executive", "Executive Director, CFA"]
    first = [a for a in actions if stored.recommendation_of(a).ref == "1"]
    assert [(stored.owners(a), a.due_date) for a in first[1:]] == [
        (["CMT"], date(2019, 3, 31)), (["Deb Poole"], date(2019, 6, 30)), (["Jayne Pickering"], date(2019, 9, 30))]
    assert stored.people() == ["Chief Executive", "Deb Poole", "Director of Law, Property and Governance",
                               "Executive Director, CFA", "Jayne Pickering"]  # fmt: skip
    assert report.flags == []


def test_a_pdf_says_where_a_flag_is_by_page(tmp_path: Path, run_import: Importer) -> None:
    rows = [HEADER, ["1", "Review the constitution", "Commission the review", "Deb Poole", "TBC"]]
    report = run_import(write_pdf(tmp_path / "plan.pdf", rows, widths=WIDTHS), review="CPC")
    assert [str(flag) for flag in report.flags] == [
        'table 1 (Appendix A: LGA Peer Review October 2013 action plan), page 2, row 2, column 5 (Timescale): "TBC" '
        "no date given yet (to be confirmed)"
    ]


def test_owners_on_lines_of_their_own_in_a_pdf_are_told_apart_by_the_names_known(
    tmp_path: Path, run_import: Importer, stored: Stored
) -> None:
    # a narrow column: each name wraps, and three owners sit on three lines with nothing typed between them
    rows = [["Recommendation", "Action", "Lead Officer", "Timescale"],
            ["Review", "Brief members", "Kevin Dicks", "Q1 2019"],
            ["", "Publish the map", "Communications Team", "Q1 2019"],
            ["", "Train members", "CMT Kevin Dicks Communications Team", "Q2 2019"]]  # fmt: skip
    run_import(write_pdf(tmp_path / "plan.pdf", rows, widths=(60, 60, 22, 30), title_page=False), review="CPC")
    assert stored.owners(stored.action("Train members")) == ["CMT", "Kevin Dicks", "Communications Team"]
    assert stored.people() == ["Kevin Dicks"]


def test_a_scanned_pdf_is_refused_with_one_line(tmp_path: Path, run_import: Importer, stored: Stored) -> None:
    with pytest.raises(ImportFailed) as failed:
        run_import(write_scanned_pdf(tmp_path / "scan.pdf"))
    assert [str(p) for p in failed.value.problems] == [
        "the file: this PDF has no text in it (a scanned image): import the plan from the Word or Excel file it was "
        "made from, or from a PDF saved from it"
    ]
    assert stored.reviews() == []


def test_a_pdf_of_prose_with_no_ruled_table_is_refused(tmp_path: Path, run_import: Importer) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, "Recommendation Action Lead Officer Timescale. The plan was agreed by Cabinet.")
    pdf.output(str(tmp_path / "prose.pdf"))
    with pytest.raises(ImportFailed) as failed:
        run_import(tmp_path / "prose.pdf")
    assert [p.message for p in failed.value.problems] == [
        "no table with ruled lines was found in this PDF: the plan must be a table with borders (import the Word or "
        "Excel file it was made from)"
    ]


def _numbered_plan(path: Path) -> Path:
    """A Word plan whose recommendations are numbered by Word's list numbering, starting at 11."""
    document = docx.Document()
    document.add_paragraph("Key recommendations", style="List Number")  # a numbered paragraph before the table
    table = document.add_table(rows=4, cols=3)
    for column, text in enumerate(["Recommendation", "Action", "Lead Officer"]):
        table.cell(0, column).text = text
    for row, (rec, action) in enumerate([("Review the constitution", "Commission the review"),
                                         ("Introduce a process map", "Draft the map"),
                                         ("Strengthen scrutiny", "Train members")], start=1):  # fmt: skip
        paragraph = table.cell(row, 0).paragraphs[0]
        paragraph.text = rec
        p_pr = paragraph._p.get_or_add_pPr()
        num_pr = OxmlElement("w:numPr")
        for tag, value in (("w:ilvl", "0"), ("w:numId", "9")):
            element = OxmlElement(tag)
            element.set(qn("w:val"), value)
            num_pr.append(element)
        p_pr.append(num_pr)
        table.cell(row, 1).text = action
        table.cell(row, 2).text = "Deb Poole"
    numbering = document.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), "90")
    level = OxmlElement("w:lvl")
    level.set(qn("w:ilvl"), "0")
    for tag, value in (("w:start", "11"), ("w:numFmt", "decimal"), ("w:lvlText", "%1.")):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        level.append(element)
    abstract.append(level)
    numbering.insert(0, abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), "9")
    abstract_id = OxmlElement("w:abstractNumId")
    abstract_id.set(qn("w:val"), "90")
    num.append(abstract_id)
    numbering.append(num)
    document.save(str(path))
    return path


def test_word_list_numbering_gives_recommendations_their_numbers(
    tmp_path: Path, run_import: Importer, stored: Stored
) -> None:
    run_import(_numbered_plan(tmp_path / "plan.docx"), review="CPC")
    assert [(r.ref, r.text) for r in stored.recommendations()] == [
        ("11", "Review the constitution"), ("12", "Introduce a process map"), ("13", "Strengthen scrutiny")]


# Old formats: converted by LibreOffice when it is there ---------------------------------------------------------


def test_a_doc_without_libreoffice_is_refused_with_the_command_to_convert_it(
    tmp_path: Path, run_import: Importer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    for name, kind, target, by_hand in (("plan.doc", "a Word 97-2003 document", "docx", "open it in Word and save it "
                                         "as .docx"), ("plan.xls", "an Excel 97-2003 workbook", "xlsx", "open it in "
                                         "Excel and save it as .xlsx")):  # fmt: skip
        (tmp_path / name).write_bytes(b"\xd0\xcf\x11\xe0")
        with pytest.raises(ImportFailed) as failed:
            run_import(tmp_path / name)
        assert [p.message for p in failed.value.problems] == [
            f"this is {kind}, and LibreOffice is not installed here to convert it: {by_hand}, or convert it with "
            f'`soffice --headless --convert-to {target} "{name}"`'
        ]


def _fake_soffice(folder: Path, converted: Path, *, works: bool = True) -> None:
    """A ``soffice`` on PATH that 'converts' by copying a ready file where LibreOffice would write it."""
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(
        f"#!{sys.executable}\n"
        "import shutil, sys, pathlib\n"
        "args = sys.argv[1:]\n"
        "assert '--headless' in args and args[args.index('--convert-to') + 1] in ('docx', 'xlsx')\n"
        "out = pathlib.Path(args[args.index('--outdir') + 1])\n"
        "source = pathlib.Path(args[-1])\n"
        f"works = {works!r}\n"
        f"if works: shutil.copy({str(converted)!r}, out / (source.stem + '.' + args[args.index('--convert-to') + 1]))\n"
        "sys.exit(0 if works else 1)\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


def test_a_doc_and_an_xls_are_converted_with_libreoffice_when_it_is_on_the_path(
    tmp_path: Path, run_import: Importer, stored: Stored, monkeypatch: pytest.MonkeyPatch
) -> None:
    ready = write_docx(tmp_path / "ready.docx", WordTable([["Recommendation", "Action", "Lead Officer"],
                                                           ["Review", "Commission the review", "Deb Poole"]]))
    _fake_soffice(tmp_path / "bin", ready)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    (tmp_path / "old plan.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    report = run_import(tmp_path / "old plan.doc", review="CPC")
    assert report.name == "old plan.doc"
    assert stored.owners(stored.action("Commission the review")) == ["Deb Poole"]


def test_a_conversion_that_fails_is_refused_and_changes_nothing(
    tmp_path: Path, run_import: Importer, stored: Stored, monkeypatch: pytest.MonkeyPatch
) -> None:
    ready = write_xlsx(tmp_path / "ready.xlsx", {"Plan": [["Recommendation", "Action"], ["Review", "Commission"]]})
    _fake_soffice(tmp_path / "bin", ready, works=False)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    (tmp_path / "plan.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ImportFailed) as failed:
        run_import(tmp_path / "plan.xls")
    assert [p.message for p in failed.value.problems] == [
        "LibreOffice could not convert it (is it damaged or password-protected?): open it in Excel and save it as .xlsx"
    ]
    assert stored.reviews() == []

"""Text PDFs laid out like a Cabinet report with the action plan as its appendix, written with fpdf2."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF

PAGE_TITLE = "Corporate Peer Review: report to Cabinet, 4 March 2014"


def write_pdf(
    path: Path,
    rows: Sequence[Sequence[str]],
    *,
    widths: Sequence[float] | None = None,
    heading: str = "Appendix A: LGA Peer Review October 2013 action plan",
    title_page: bool = True,
    title: str | None = None,
    font_size: float = 9,
) -> Path:
    """A report: a title page of prose, then ``heading`` and the table (its header row repeated on every page).

    A ``\\n`` in a cell is a line break typed by the author; other line breaks are the text wrapping."""
    pdf = FPDF(orientation="L", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    if title:
        pdf.set_title(title)
    if title_page:
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 16)
        pdf.multi_cell(0, 10, PAGE_TITLE, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, "Cabinet is recommended to receive the report of the Peer Review Team, note its content "
                             "and approve the action plan at Appendix A. The Strategic Management Team will monitor "
                             "the plan.", new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 10, heading, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=font_size)
    columns = len(rows[0])
    with pdf.table(col_widths=tuple(widths or [1] * columns), repeat_headings=1, line_height=font_size * 0.5,
                   text_align="LEFT") as table:  # fmt: skip
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(value)
    pdf.output(str(path))
    return path


def write_scanned_pdf(path: Path) -> Path:
    """A PDF of a scanned page: a picture of a table, and no text at all."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 300), "white")
    draw = ImageDraw.Draw(image)
    for x in (20, 200, 400, 580):
        draw.line([(x, 20), (x, 280)], fill="black", width=2)
    for y in (20, 80, 140, 200, 280):
        draw.line([(20, y), (580, y)], fill="black", width=2)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=190)
    pdf.output(str(path))
    return path

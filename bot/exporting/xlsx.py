"""The progress report as an Excel workbook made for a committee paper.

A "Summary" sheet first (counts by RAG per review, as of the day), then a sheet per review with the
columns of :data:`~bot.exporting.rows.COLUMNS`: the header frozen and filtered, widths set, long
text wrapped, RAG cells coloured, status and RAG written as words and dates as real dates, and the
page set up landscape, one page wide, with the header repeated on every printed page.

The workbook is stamped with the report's day (its properties and the dates inside the zip), not the moment
it was written: the same plan on the same day is the same file, byte for byte, however it is asked for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import IO
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from bot.dates import format_date
from bot.domain import Rag
from bot.exporting.rows import COLUMNS, ExportRow, review_counts

RAG_FILLS: dict[Rag, str] = {Rag.RED: "FFC00000", Rag.AMBER: "FFFFC000", Rag.GREEN: "FF00B050", Rag.GREY: "FFBFBFBF"}
RAG_FONTS: dict[Rag, str] = {Rag.RED: "FFFFFFFF", Rag.AMBER: "FF000000", Rag.GREEN: "FFFFFFFF", Rag.GREY: "FF000000"}
HEADER_FILL = "FF1F3864"
WIDTHS: dict[str, float] = {
    "review": 24, "section": 22, "recommendation_ref": 8, "recommendation": 48, "action_id": 9, "action": 60,
    "owners": 26, "member": 20, "timescale": 18, "due_date": 12, "original_due_date": 12, "status": 12, "rag": 8,
    "percent_complete": 10, "latest_note": 40, "updated_at": 17, "days_overdue": 10,
}  # fmt: skip
WRAPPED = {"review", "section", "recommendation", "action", "owners", "member", "timescale", "latest_note"}
DATE_FORMAT = "dd/mm/yyyy"
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def write_xlsx(rows: Sequence[ExportRow], target: str | IO[bytes], *, today: date) -> None:
    """Write the workbook to a path or a binary stream."""
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = "Summary"
    _summary(summary, rows, today)
    used = {"summary"}
    by_review: dict[str, list[ExportRow]] = {}
    for row in rows:
        by_review.setdefault(row.review, []).append(row)
    for title, review_rows in by_review.items():
        sheet = workbook.create_sheet(_sheet_name(title, used))
        _review_sheet(sheet, review_rows)
    _save(workbook, target, today)


class _DatedZip(ZipFile):
    """A zip whose entries all carry one date (the report's day) rather than the moment they were written."""

    def __init__(self, target: str | IO[bytes], day: date) -> None:
        super().__init__(target, "w", ZIP_DEFLATED, allowZip64=True)
        self.day = (day.year, day.month, day.day, 0, 0, 0)

    def writestr(  # type: ignore[override]  # openpyxl passes a name and str or bytes, nothing more
        self, zinfo_or_arcname: str | ZipInfo, data: str | bytes, *args: object, **kwargs: object
    ) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = ZipInfo(zinfo_or_arcname, date_time=self.day)
            zinfo_or_arcname.compress_type = ZIP_DEFLATED
            zinfo_or_arcname.external_attr = 0o600 << 16
        super().writestr(zinfo_or_arcname, data)

    def write(  # type: ignore[override]  # openpyxl writes each worksheet from a temporary file, by name
        self, filename: str, arcname: str | None = None, *args: object, **kwargs: object
    ) -> None:
        with open(filename, "rb") as source:
            self.writestr(arcname or Path(filename).name, source.read())


def _save(workbook: Workbook, target: str | IO[bytes], day: date) -> None:
    """``workbook.save`` with the report's day for every date it would take from the clock."""
    stamp = datetime(day.year, day.month, day.day)
    workbook.properties.created = workbook.properties.modified = stamp
    ExcelWriter(workbook, _DatedZip(target, day)).save()  # closes the zip


def _sheet_name(title: str, used: set[str]) -> str:
    base = " ".join(_SHEET_NAME_BAD.sub(" ", title).split()).strip("'") or "Review"
    name = base[:31]
    counter = 2
    while name.lower() in used or name.lower() == "history":
        suffix = f" ({counter})"
        name = base[: 31 - len(suffix)] + suffix
        counter += 1
    used.add(name.lower())
    return name


def _header(sheet: Worksheet, row: int, labels: Sequence[str]) -> None:
    for column, label in enumerate(labels, start=1):
        cell = sheet.cell(row=row, column=column, value=label)
        cell.font = Font(bold=True, color="FFFFFFFF")
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _rag_style(cell: Cell | MergedCell, rag: Rag) -> None:
    cell.fill = PatternFill("solid", fgColor=RAG_FILLS[rag])
    cell.font = Font(bold=True, color=RAG_FONTS[rag])
    cell.alignment = Alignment(horizontal="center", vertical="top")


def _review_sheet(sheet: Worksheet, rows: Sequence[ExportRow]) -> None:
    _header(sheet, 1, COLUMNS)
    for index, row in enumerate(rows, start=2):
        values = _values(row)
        for column, name in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=index, column=column, value=values[name])
            if isinstance(values[name], str):
                cell.data_type = "s"  # text is text: never a formula, whatever it starts with
            cell.alignment = Alignment(wrap_text=name in WRAPPED, vertical="top")
            if name in ("due_date", "original_due_date"):
                cell.number_format = DATE_FORMAT
            elif name == "updated_at":
                cell.number_format = f"{DATE_FORMAT} hh:mm"
            elif name == "rag":
                _rag_style(cell, row.rag)
    for column, name in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = WIDTHS[name]
    last = get_column_letter(len(COLUMNS))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    _page_setup(sheet)


CellValue = str | int | date | datetime | None


def _values(row: ExportRow) -> dict[str, CellValue]:
    values: dict[str, CellValue] = {name: getattr(row, name) for name in COLUMNS}
    values["status"] = row.status.label
    values["rag"] = row.rag.label
    values["updated_at"] = row.updated_at.replace(tzinfo=None)  # Excel has no time zones: council time
    return values


def _summary(sheet: Worksheet, rows: Sequence[ExportRow], today: date) -> None:
    sheet.cell(row=1, column=1, value=f"Progress report as of {format_date(today)}").font = Font(bold=True, size=14)
    labels = ["Review", "Actions", "Red", "Amber", "Green", "Grey", "Overdue", "Done"]
    _header(sheet, 3, labels)
    for column, rag in enumerate((Rag.RED, Rag.AMBER, Rag.GREEN, Rag.GREY), start=3):
        _rag_style(sheet.cell(row=3, column=column), rag)
    counts = review_counts(rows)
    fields = ("total", "red", "amber", "green", "grey", "overdue", "done")
    for index, count in enumerate(counts, start=4):
        sheet.cell(row=index, column=1, value=count.review).data_type = "s"
        for column, name in enumerate(fields, start=2):
            sheet.cell(row=index, column=column, value=getattr(count, name))
    total_row = len(counts) + 4
    sheet.cell(row=total_row, column=1, value="All reviews").font = Font(bold=True)
    for column, name in enumerate(fields, start=2):
        total = sum(getattr(count, name) for count in counts)
        sheet.cell(row=total_row, column=column, value=total).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 48
    for column in range(2, len(labels) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 10
    sheet.freeze_panes = "A4"
    _page_setup(sheet)


def _page_setup(sheet: Worksheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    sheet.print_title_rows = "1:1" if sheet.title != "Summary" else "3:3"

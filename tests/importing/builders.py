"""Builders for the files the import tests read: real Word, Excel and CSV files, written with
python-docx, openpyxl and the csv module as councils' own tools would write them."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import docx
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet


@dataclass
class WordTable:
    """A Word table: rows of cell texts (``\\n`` makes a new paragraph), merges as (row, col, row, col)."""

    rows: list[list[str]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


def write_docx(path: Path, *blocks: str | WordTable, title: str | None = None, headings: bool = True) -> Path:
    """A .docx of paragraphs and tables in order; a paragraph starting with "# " is a Heading 2."""
    document = docx.Document()
    if title:
        document.core_properties.title = title
    for block in blocks:
        if isinstance(block, str):
            if block.startswith("# ") and headings:
                document.add_heading(block[2:], level=2)
            else:
                document.add_paragraph(block.removeprefix("# "))
            continue
        width = max(len(row) for row in block.rows)
        table = document.add_table(rows=len(block.rows), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(block.rows):
            for c, text in enumerate(row):
                cell = table.cell(r, c)
                lines = text.split("\n")
                cell.text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)
        for r0, c0, r1, c1 in block.merges:
            table.cell(r0, c0).merge(table.cell(r1, c1))
    document.save(str(path))
    return path


def write_xlsx(
    path: Path,
    sheets: dict[str, Sequence[Sequence[object]]],
    *,
    merges: dict[str, list[str]] | None = None,
    formats: dict[str, dict[str, str]] | None = None,
    hidden: Sequence[str] = (),
    title: str | None = None,
) -> Path:
    """An .xlsx with a sheet per entry (rows of values); ``merges`` and ``formats`` by sheet, cell ranges."""
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for name, rows in sheets.items():
        sheet: Worksheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        for cell_range in (merges or {}).get(name, []):
            sheet.merge_cells(cell_range)
        for coordinate, number_format in (formats or {}).get(name, {}).items():
            sheet[coordinate].number_format = number_format
        if name in hidden:
            sheet.sheet_state = "hidden"
    if title:
        workbook.properties.title = title
    workbook.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Sequence[str]], *, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path

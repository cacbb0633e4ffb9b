"""Readers: a ``.docx``, ``.xlsx``, ``.csv`` or ``.pdf`` file in, its tables of cells out.

Word is read by :mod:`bot.importing.word`, PDF by :mod:`bot.importing.pdf`; old ``.doc`` and ``.xls``
files are converted by LibreOffice first (:mod:`bot.importing.convert`) when it is installed.

Merged cells come out as they look: a vertically merged cell gives every row it covers the same
text, marked ``continued`` below its first row; a horizontally merged one gives its text once with
its ``span``. Excel dates come out as written on screen (``31/03/2019``, or ``March 2019`` when the
cell shows only the month), percentages as ``40%``. A file that cannot be read raises
:class:`~bot.importing.tables.ImportFailed` naming the reason; the readers never write anything.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from bot.importing import convert
from bot.importing.pdf import read_pdf
from bot.importing.tables import Cell, Document, ImportFailed, Problem, Table, Where
from bot.importing.word import read_docx

FORMATS = {".csv": "a CSV file", ".xlsx": "an Excel workbook (.xlsx)", ".docx": "a Word document (.docx)",
           ".pdf": "a PDF file"}  # fmt: skip
_PDF = b"%PDF-"
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # old .doc/.xls, and password-protected Office files
_OLD = {".xlsm": "a macro workbook: save it as .xlsx (macros are not needed)"}
MAX_HEADING = 120
# Excel writes characters XML cannot hold as _xHHHH_ (a line break typed with Alt+Enter in an old file as
# _x000D_, a pasted Word line break as _x000B_); openpyxl hands them over as written.
_XML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def read_document(path: Path) -> Document:
    """Read ``path`` by its extension; raise :class:`ImportFailed` when it cannot be read as one."""
    name = path.name
    suffix = path.suffix.lower()
    if suffix in convert.OLD_FORMATS:
        with convert.converted(path) as modern:
            document = read_document(modern)
        document.name = name
        return document
    if suffix in _OLD:
        raise _fail(name, f"this is {_OLD[suffix]}")
    if suffix in (".txt", ".md"):
        raise _fail(name, f"a {suffix} file holds no plan table: a report of recommendations is imported with "
                          "--recommendations")  # fmt: skip
    if suffix not in FORMATS:
        raise _fail(name, f"'{suffix or name}' files cannot be imported: use .docx, .xlsx, .csv or .pdf")
    try:
        head = path.read_bytes()[:8]
    except OSError as error:
        raise _fail(name, f"cannot be opened: {error.strerror or error}") from None
    if not head:
        raise _fail(name, "the file is empty")
    if suffix in (".docx", ".xlsx"):
        if head.startswith(_OLE):
            raise _fail(name, "the file is password-protected or in the old 97-2003 format: save it unprotected as "
                        f"{suffix}")  # fmt: skip
        if not head.startswith(_ZIP):
            raise _fail(name, f"this is not {FORMATS[suffix]}: its content is of another kind")
        _check_package(path, suffix)
        return read_docx(path) if suffix == ".docx" else _read_xlsx(path)
    if suffix == ".pdf":
        if not head.startswith(_PDF):
            raise _fail(name, "this is not a PDF file: its content is of another kind")
        return read_pdf(path)
    return _read_csv(path)


_PARTS = {"word/document.xml": ".docx", "xl/workbook.xml": ".xlsx", "ppt/presentation.xml": ".pptx"}


def _check_package(path: Path, suffix: str) -> None:
    """An Office file is a zip of parts: say so plainly when it is damaged or of another kind."""
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError):
        kind = FORMATS[suffix].split(" ", 1)[1]
        raise _fail(path.name, f"the file is damaged: it is not a complete {kind}") from None
    kinds = [kind for part, kind in _PARTS.items() if part in names]
    if kinds and kinds[0] != suffix:
        raise _fail(path.name, f"this is a {kinds[0]} file saved with a {suffix} name: rename it or export the plan")
    if not kinds:
        raise _fail(path.name, f"this is not {FORMATS[suffix]}: it holds none of the parts one has")


def _fail(name: str, message: str) -> ImportFailed:
    return ImportFailed(name, [Problem(Where(), message)])


# CSV --------------------------------------------------------------------------------------


def _read_csv(path: Path) -> Document:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise _fail(path.name, "this is not a CSV file: it holds binary data (is it a spreadsheet saved as .csv?)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # Excel on Windows saves CSV in this code page
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[Cell]] = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), dialect):
            rows.append([Cell(value) for value in record])
    except csv.Error as error:
        raise _fail(path.name, f"this is not a readable CSV file: {error}") from None
    numbers = list(range(1, len(rows) + 1))
    return Document(path.name, None, [Table(label="", heading="", rows=rows, row_numbers=numbers)])


# Excel ------------------------------------------------------------------------------------


def _read_xlsx(path: Path) -> Document:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise _fail(path.name, f"this is not a readable Excel workbook ({type(error).__name__})") from None
    tables: list[Table] = []
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        rows, numbers = _sheet_rows(sheet)
        label = f"sheet '{sheet.title}'"
        tables.append(Table(label, sheet.title, rows, numbers, index=len(tables)))
    title = (workbook.properties.title or "").strip() or None
    workbook.close()
    return Document(path.name, title, tables)


def _sheet_rows(sheet: Any) -> tuple[list[list[Cell]], list[int]]:
    merged: dict[tuple[int, int], Cell] = {}
    for cell_range in sheet.merged_cells.ranges:
        top = sheet.cell(cell_range.min_row, cell_range.min_col)
        text = _excel_text(top.value, top.number_format)
        span = cell_range.max_col - cell_range.min_col + 1
        for row in range(cell_range.min_row, cell_range.max_row + 1):
            for column in range(cell_range.min_col, cell_range.max_col + 1):
                if column == cell_range.min_col:
                    merged[(row, column)] = Cell(text, span, continued=row > cell_range.min_row)
                else:
                    merged[(row, column)] = Cell("", 0, continued=row > cell_range.min_row)
    rows: list[list[Cell]] = []
    numbers: list[int] = []
    for row in sheet.iter_rows():
        cells = []
        for cell in row:
            key = (cell.row, cell.column)
            cells.append(merged[key] if key in merged else Cell(_excel_text(cell.value, cell.number_format)))
        while cells and cells[-1].blank and not cells[-1].continued:
            cells.pop()
        rows.append(cells)
        numbers.append(row[0].row if row else len(numbers) + 1)
    while rows and not any(not c.blank for c in rows[-1]):
        rows.pop()
        numbers.pop()
    return rows, numbers


def _excel_text(value: object, number_format: str) -> str:
    """A cell's value as Excel shows it, near enough: dates by their format, percentages with %."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        day = value.date() if isinstance(value, datetime) else value
        fmt = number_format.lower()
        shows_day = "d" in fmt.replace("[$-", "").split(";")[0] or fmt == "general"
        return day.strftime("%d/%m/%Y") if shows_day else day.strftime("%B %Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        if "%" in number_format:
            return f"{value * 100:g}%"
        return f"{value:g}" if isinstance(value, float) else str(value)
    text = str(value)
    return _XML_ESCAPE.sub(lambda m: chr(int(m[1], 16)), text) if "_x" in text else text

"""Reading the tables of a text PDF (most councils publish the plan as an appendix of a Cabinet report).

With pdfplumber: each page's ruled tables, in order. A table that goes on over the next page (the same
columns at the same places) is read as one table, its header repeated on each page skipped later as
any repeated header is. The title page and the report's prose around the table are not tables and are
left out; the line just above a table is its heading ("Appendix A: Action Plan").

A line break inside a PDF cell may only be the text wrapping. A break is kept (as a new line) only
when it is sure to have been typed: the next line's first word would have fitted on the line before,
or the next line starts with a bullet. Other breaks join the lines with a space, so a wrapped job title
stays whole, and owners still on lines of their own are told apart by the names the plan knows.

A scanned PDF has no text to read: it is refused with one line saying so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.importing.tables import Cell, Document, ImportFailed, Problem, Table, Where

BULLETS = "•·‣◦▪■●○►▸➢➤✓✔-–—*"
LINE_TOLERANCE = 2.0  # points: words whose tops differ by less are on one line
COLUMN_TOLERANCE = 3.0  # points: column edges this close on two pages are the same table
MAX_HEADING_WORDS = 14


@dataclass
class _Line:
    words: list[dict[str, Any]]

    @property
    def x0(self) -> float:
        return float(self.words[0]["x0"])

    @property
    def x1(self) -> float:
        return float(self.words[-1]["x1"])

    @property
    def text(self) -> str:
        return " ".join(str(word["text"]) for word in self.words)


def read_pdf(path: Path) -> Document:
    """The tables of a text PDF; raises :class:`ImportFailed` for a scanned or unreadable one."""
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(str(path)) as pdf:
            title = str(pdf.metadata.get("Title") or "").strip() or None
            has_text = False
            tables: list[Table] = []
            previous_edges: list[float] | None = None
            for page in pdf.pages:
                words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
                has_text = has_text or bool(words)
                for found in page.find_tables():
                    edges = _column_edges(found)
                    rows = _rows(found, words)
                    if not any(not cell.blank for row in rows for cell in row):
                        continue
                    pages = [page.page_number] * len(rows)
                    if tables and previous_edges is not None and _same_columns(previous_edges, edges):
                        last = tables[-1]
                        last.rows += rows
                        start = len(last.row_numbers) + 1
                        last.row_numbers += list(range(start, start + len(rows)))
                        assert last.row_pages is not None
                        last.row_pages += pages
                    else:
                        heading = _heading_above(found, words)
                        label = f"table {len(tables) + 1}"
                        numbers = list(range(1, len(rows) + 1))
                        tables.append(Table(label, heading, rows, numbers, letters=False, index=len(tables),
                                            row_pages=pages))  # fmt: skip
                    previous_edges = edges
    except (PdfminerException, PDFSyntaxError, OSError, ValueError, KeyError, TypeError) as error:
        reason = "password-protected or damaged" if "password" in str(error).lower() else "damaged"
        raise _fail(path.name, f"this PDF cannot be read: it is {reason}") from None
    if not has_text:
        raise _fail(path.name, "this PDF has no text in it (a scanned image): import the plan from the Word or "
                               "Excel file it was made from, or from a PDF saved from it")  # fmt: skip
    if not tables:
        raise _fail(path.name, "no table with ruled lines was found in this PDF: the plan must be a table with borders "
                               "(import the Word or Excel file it was made from)")  # fmt: skip
    return Document(path.name, title, tables)


def _fail(name: str, message: str) -> ImportFailed:
    return ImportFailed(name, [Problem(Where(), message)])


def _column_edges(table: Any) -> list[float]:
    edges = sorted({round(float(cell[0]), 1) for row in table.rows for cell in row.cells if cell is not None})
    return [*edges, round(float(table.bbox[2]), 1)]


def _same_columns(before: Sequence[float], now: Sequence[float]) -> bool:
    return len(before) == len(now) and all(abs(a - b) <= COLUMN_TOLERANCE for a, b in zip(before, now, strict=True))


def _rows(table: Any, words: list[dict[str, Any]]) -> list[list[Cell]]:
    """The table's rows as cells: text with typed line breaks kept, merged cells as the other readers give them."""
    edges = _column_edges(table)
    rows: list[list[Cell]] = []
    above_text: list[str] = []
    for row in table.rows:
        boxes: list[tuple[float, float, float, float] | None] = [None] * (len(edges) - 1)
        for cell in row.cells:
            if cell is not None:
                boxes[_column_at(edges, float(cell[0]))] = tuple(float(v) for v in cell)  # type: ignore[assignment]
        cells: list[Cell] = []
        texts: list[str] = []
        for index, box in enumerate(boxes):
            if box is not None:
                span = sum(1 for edge in edges[index + 1 : -1] if edge < box[2] - COLUMN_TOLERANCE) + 1
                text = _cell_text(box, words)
                cells.append(Cell(text, span))
                texts.append(text)
            elif _covered_from_left(boxes, edges, index):
                cells.append(Cell("", 0))
                texts.append("")
            else:  # merged down from the row above
                text = above_text[index] if index < len(above_text) else ""
                cells.append(Cell(text, 1, continued=True))
                texts.append(text)
        above_text = texts
        rows.append(cells)
    return rows


def _column_at(edges: list[float], x0: float) -> int:
    return min(range(len(edges) - 1), key=lambda index: abs(edges[index] - x0))


def _covered_from_left(boxes: list[tuple[float, float, float, float] | None], edges: list[float], index: int) -> bool:
    for left in range(index - 1, -1, -1):
        box = boxes[left]
        if box is not None:
            return box[2] > edges[index] + COLUMN_TOLERANCE
    return False


def _cell_text(box: tuple[float, float, float, float], words: list[dict[str, Any]]) -> str:
    x0, top, x1, bottom = box
    inside = [w for w in words if x0 <= (w["x0"] + w["x1"]) / 2 <= x1 and top <= (w["top"] + w["bottom"]) / 2 <= bottom]
    lines = _lines(inside)
    if not lines:
        return ""
    pad = max(0.0, min(line.x0 for line in lines) - x0)
    right = x1 - pad
    space = _space(lines)
    text = lines[0].text
    for before, line in zip(lines, lines[1:], strict=False):
        first = line.words[0]
        typed = str(first["text"])[:1] in BULLETS or before.x1 + space + (first["x1"] - first["x0"]) <= right - 0.5
        text += ("\n" if typed else " ") + line.text
    return text


def _lines(words: list[dict[str, Any]]) -> list[_Line]:
    lines: list[_Line] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(float(lines[-1].words[0]["top"]) - float(word["top"])) <= LINE_TOLERANCE:
            lines[-1].words.append(word)
        else:
            lines.append(_Line([word]))
    for line in lines:
        line.words.sort(key=lambda w: w["x0"])
    return lines


def _space(lines: list[_Line]) -> float:
    gaps = [b["x0"] - a["x1"] for line in lines for a, b in zip(line.words, line.words[1:], strict=False)]
    if gaps:
        return float(sorted(gaps)[len(gaps) // 2])
    heights = [w["bottom"] - w["top"] for line in lines for w in line.words]
    return 0.25 * float(sum(heights) / len(heights))


def _heading_above(table: Any, words: list[dict[str, Any]]) -> str:
    """The line just above the table on its page, when it reads as a heading."""
    above = [w for w in words if w["bottom"] <= table.bbox[1]]
    lines = _lines(above)
    if not lines:
        return ""
    text = lines[-1].text.strip()
    if len(text.split()) > MAX_HEADING_WORDS or text.endswith("."):
        return ""
    return text

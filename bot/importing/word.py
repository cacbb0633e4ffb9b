"""Reading Word (.docx) files: their tables, the paragraphs between them, and Word's own list numbering.

A recommendation numbered by Word's automatic list numbering (``numPr``: the "12." is drawn by Word, it is
not in the text) gets that number as its reference, not its place: every paragraph is given the label
Word would draw (``12.``, ``3.2``, ``b)``; a bullet for a bulleted list), counting lists across the whole
document as Word does. Merged cells come out as the other readers give them (see
:mod:`bot.importing.readers`).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.importing.normalise import one_line
from bot.importing.tables import Cell, Document, ImportFailed, Problem, Table, Where

MAX_HEADING = 120
LEVELS = 9


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the document's body: its text, style, and the list label Word draws before it."""

    text: str
    style: str
    label: str | None = None  # "12.", "•" …
    level: int = 0  # the list level (0 for the outermost)


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."


@dataclass
class _List:
    levels: list[_Level] = field(default_factory=list)
    counters: list[int | None] = field(default_factory=lambda: [None] * LEVELS)


class Numbering:
    """Word's list numbering: the label each numbered paragraph gets, counted in document order."""

    def __init__(self, document: Any) -> None:
        from docx.oxml.ns import qn

        self.qn = qn
        self.abstract: dict[str, _List] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.started: set[str] = set()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.findall(qn("w:abstractNum")):
            levels = [_Level() for _ in range(LEVELS)]
            for lvl in abstract.findall(qn("w:lvl")):
                index = int(lvl.get(qn("w:ilvl"), "0"))
                if 0 <= index < LEVELS:
                    text = self._val(lvl, "w:lvlText")
                    levels[index] = _Level(
                        int(self._val(lvl, "w:start") or 1),
                        self._val(lvl, "w:numFmt") or "decimal",
                        text if text is not None else f"%{index + 1}.",
                    )
            self.abstract[abstract.get(qn("w:abstractNumId"), "")] = _List(levels)
        for num in root.findall(qn("w:num")):
            overrides = {}
            for override in num.findall(qn("w:lvlOverride")):
                start = self._val(override, "w:startOverride")
                if start is not None:
                    overrides[int(override.get(qn("w:ilvl"), "0"))] = int(start)
            self.nums[num.get(qn("w:numId"), "")] = (self._val(num, "w:abstractNumId") or "", overrides)

    def _val(self, element: Any, tag: str) -> str | None:
        child = element.find(self.qn(tag))
        return child.get(self.qn("w:val")) if child is not None else None

    def label(self, paragraph: Any) -> tuple[str | None, int]:
        """The label Word draws before ``paragraph`` (and its level), counting it; ``(None, 0)`` if unnumbered."""
        num_id, level = _num_pr(paragraph)
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return None, 0
        abstract_id, overrides = self.nums[num_id]
        numbered = self.abstract.get(abstract_id)
        if numbered is None or not 0 <= level < LEVELS:
            return None, 0
        if num_id not in self.started and overrides:
            for index, start in overrides.items():
                numbered.counters[index] = start - 1 if 0 <= index < LEVELS else None
        self.started.add(num_id)
        counters = numbered.counters
        counters[level] = (counters[level] or numbered.levels[level].start - 1) + 1
        for deeper in range(level + 1, LEVELS):
            counters[deeper] = None
        this = numbered.levels[level]
        if this.fmt in ("bullet", "none"):
            return ("•" if this.fmt == "bullet" else None), level
        text = this.text
        for index in range(level + 1):
            value = counters[index] or numbered.levels[index].start
            text = text.replace(f"%{index + 1}", _format(value, numbered.levels[index].fmt))
        return text, level


def _num_pr(paragraph: Any) -> tuple[str | None, int]:
    """The paragraph's list (its own numPr, else its style's, following the styles it is based on)."""
    sources = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        sources.append(style.element.pPr)
        style = style.base_style
    for p_pr in sources:
        num_pr = p_pr.numPr if p_pr is not None else None
        if num_pr is not None and num_pr.numId is not None:
            level = num_pr.ilvl.val if num_pr.ilvl is not None else 0
            return str(num_pr.numId.val), int(level)
    return None, 0


def _format(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        while value > 0:
            value, remainder = divmod(value - 1, 26)
            letters = chr(97 + remainder) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _roman(value: int) -> str:
    numerals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
                (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]  # fmt: skip
    out = ""
    for number, numeral in numerals:
        while value >= number:
            out, value = out + numeral, value - number
    return out


def open_docx(path: Path) -> Any:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        why = f"this is not a readable Word document ({type(error).__name__})"
        raise ImportFailed(path.name, [Problem(Where(), why)]) from None


def _text(paragraph: Any, numbering: Numbering) -> str:
    label, _ = numbering.label(paragraph)
    return f"{label} {paragraph.text}" if label and paragraph.text.strip() else paragraph.text


def read_docx(path: Path) -> Document:
    """The document's tables, each with the heading written before it; cells carry Word's list numbers."""
    import docx

    document = open_docx(path)
    numbering = Numbering(document)
    title = (document.core_properties.title or "").strip() or None
    tables: list[Table] = []
    heading = ""
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            rows = list(_docx_rows(block, numbering))
            label = f"table {len(tables) + 1}"
            tables.append(Table(label, heading, rows, list(range(1, len(rows) + 1)), letters=False, index=len(tables)))
            heading = ""
            continue
        numbering.label(block)
        text = one_line(block.text)
        if not text:
            continue
        style = (block.style.name if block.style is not None else "") or ""
        if title is None and style in ("Title", "Heading 1"):
            title = text
        styled = style.startswith(("Heading", "Title"))
        if len(text) <= MAX_HEADING and (styled or (len(text.split()) <= 12 and not text.endswith("."))):
            heading = text
    return Document(path.name, title, tables)


def docx_paragraphs(path: Path) -> tuple[str | None, list[Paragraph]]:
    """The document's title and its body's paragraphs (tables left out), with Word's list labels."""
    import docx

    document = open_docx(path)
    numbering = Numbering(document)
    title = (document.core_properties.title or "").strip() or None
    paragraphs: list[Paragraph] = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            continue
        label, level = numbering.label(block)
        style = (block.style.name if block.style is not None else "") or ""
        paragraphs.append(Paragraph(block.text, style, label, level))
    return title, paragraphs


def _docx_rows(table: Any, numbering: Numbering) -> Iterator[list[Cell]]:
    above: list[Any] = []
    texts: dict[int, tuple[Any, str]] = {}  # the cell element is kept, so that its id is never reused
    for row in table.rows:
        tcs = [None] * row.grid_cols_before + [cell._tc for cell in row.cells] + [None] * row.grid_cols_after
        for cell in row.cells:
            if id(cell._tc) not in texts:  # each cell counted once, in document order, however far it is merged
                texts[id(cell._tc)] = (cell._tc, "\n".join(_text(p, numbering) for p in cell.paragraphs))
        cells: list[Cell] = []
        column = 0
        while column < len(tcs):
            tc = tcs[column]
            span = 1
            while column + span < len(tcs) and tc is not None and tcs[column + span] is tc:
                span += 1
            if tc is None:
                cells.append(Cell(""))
            else:
                continued = column < len(above) and above[column] is tc
                cells.append(Cell(texts[id(tc)][1], span, continued))
                cells.extend(Cell("", 0, continued) for _ in range(span - 1))
            column += span
        above = tcs
        yield cells

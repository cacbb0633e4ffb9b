"""What the readers hand on: tables of cells that know where they are, and the problems found.

Every place is named as the person with the file open would find it: ``table 2 (Key
Recommendations), row 5, column 3 (Timescale)`` in Word, ``sheet 'Plan', row 12, column C
(Timescale)`` in Excel, ``row 7, column B (Lead Officer)`` in a CSV file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.errors import UserError


@dataclass(frozen=True)
class Where:
    """A place in the file: the table or sheet, the row and the column, as the user counts them."""

    table: str = ""
    row: int | None = None
    column: str = ""
    order: tuple[int, int, int] = field(default=(0, 0, 0), compare=False, repr=False)  # (table, row, column)

    def __str__(self) -> str:
        parts = [self.table, f"row {self.row}" if self.row is not None else "", f"column {self.column}"]
        return ", ".join(part for part in parts if part and part != "column ") or "the file"


@dataclass(frozen=True)
class Cell:
    """One cell's text; ``span`` columns wide; ``continued`` when it is the lower part of a vertical merge."""

    text: str
    span: int = 1
    continued: bool = False

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass
class Table:
    """A table of a document (or a sheet, or a CSV file) as rows of cells.

    ``label`` names it in messages (``table 2``, ``sheet 'Plan'``); ``heading`` is the heading
    written before it (Word) or the sheet's name; ``row_numbers`` are the rows' numbers as the
    user sees them; ``letters`` says whether columns are named A, B, C (spreadsheets) or 1, 2, 3.
    """

    label: str
    heading: str
    rows: list[list[Cell]]
    row_numbers: list[int]
    letters: bool = True
    index: int = 0  # its place among the document's tables
    row_pages: list[int] | None = None  # a PDF table's page of each row, to name where a row is

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)

    def column_name(self, index: int, header: str = "") -> str:
        name = _letters(index + 1) if self.letters else str(index + 1)
        return f"{name} ({header})" if header else name

    @property
    def title(self) -> str:
        return f"{self.label} ({self.heading})" if self.heading and self.heading not in self.label else self.label

    def where(self, row_index: int, column: int | None = None, header: str = "") -> Where:
        column_text = self.column_name(column, header) if column is not None else ""
        order = (self.index, row_index, column if column is not None else -1)
        title = self.title if self.row_pages is None else f"{self.title}, page {self.row_pages[row_index]}"
        return Where(title, self.row_numbers[row_index], column_text, order)


def _letters(number: int) -> str:
    text = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        text = chr(65 + remainder) + text
    return text


@dataclass
class Document:
    """Everything a reader found: the document's own title (if it has one) and its tables."""

    name: str
    title: str | None
    tables: list[Table] = field(default_factory=list)


@dataclass(frozen=True)
class Problem:
    """Something that stops a file from being imported, and where it is."""

    where: Where
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class ImportFailed(UserError):
    """The file cannot be imported; nothing was changed. ``problems`` lists every reason found."""

    def __init__(self, name: str, problems: list[Problem]) -> None:
        super().__init__(f"{name}: " + "; ".join(str(p) for p in problems))
        self.name = name
        self.problems = problems

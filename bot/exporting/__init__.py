"""The progress report for Cabinet and the scrutiny committee: CSV, JSON and Excel.

:func:`~bot.exporting.rows.export_rows` builds one row per action with the stable columns of
:data:`~bot.exporting.rows.COLUMNS`; :mod:`~bot.exporting.writers` writes CSV and JSON and
:mod:`~bot.exporting.xlsx` the committee workbook (a sheet per review, RAG colours, a summary).
"""

from collections.abc import Sequence
from datetime import date
from typing import IO

from bot.exporting.rows import COLUMNS, ExportRow, export_rows, review_counts
from bot.exporting.writers import write_csv, write_json

FORMATS = ("csv", "json", "xlsx")


def write_xlsx(rows: Sequence[ExportRow], target: str | IO[bytes], *, today: date) -> None:
    """The committee workbook (:func:`bot.exporting.xlsx.write_xlsx`): openpyxl is loaded when one is written,
    not by every process that imports the report (``actionbot serve`` never loads it until asked for one)."""
    from bot.exporting.xlsx import write_xlsx as write

    write(rows, target, today=today)

__all__ = ["COLUMNS", "FORMATS", "ExportRow", "export_rows", "review_counts", "write_csv", "write_json", "write_xlsx"]

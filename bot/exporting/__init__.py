"""The progress report for Cabinet and the scrutiny committee: CSV, JSON and Excel.

:func:`~bot.exporting.rows.export_rows` builds one row per action with the stable columns of
:data:`~bot.exporting.rows.COLUMNS`; :mod:`~bot.exporting.writers` writes CSV and JSON and
:mod:`~bot.exporting.xlsx` the committee workbook (a sheet per review, RAG colours, a summary).
"""

from bot.exporting.rows import COLUMNS, ExportRow, export_rows, review_counts
from bot.exporting.writers import write_csv, write_json
from bot.exporting.xlsx import write_xlsx

FORMATS = ("csv", "json", "xlsx")

__all__ = ["COLUMNS", "FORMATS", "ExportRow", "export_rows", "review_counts", "write_csv", "write_json", "write_xlsx"]

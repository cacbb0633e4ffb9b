"""The progress report as one file, in bytes: what ``actionbot export --output`` writes and what chat uploads.

One function makes the file for both, so the report a committee officer gets in Slack or Teams is the
same bytes as the one written on the server: CSV with a byte-order mark (so Excel reads UTF-8), JSON in
UTF-8, the workbook stamped with the report's day (:mod:`bot.exporting.xlsx`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.exporting.rows import ExportRow
from bot.exporting.writers import write_csv, write_json

MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class ReportFile:
    """The report as a file: its name, its bytes, its media type, and how many actions it holds."""

    name: str
    data: bytes
    media_type: str
    actions: int


def report_name(file_format: str, today: date) -> str:
    """``progress-report-2019-03-31.xlsx``: the name ``actionbot export`` gives a workbook by default."""
    return f"progress-report-{today.isoformat()}.{file_format}"


def report_bytes(rows: Sequence[ExportRow], file_format: str, today: date) -> bytes:
    """The file's bytes in ``file_format`` (csv, json or xlsx)."""
    if file_format == "xlsx":
        from bot.exporting.xlsx import write_xlsx  # openpyxl: loaded when a workbook is asked for

        buffer = io.BytesIO()
        write_xlsx(rows, buffer, today=today)
        return buffer.getvalue()
    if file_format not in MEDIA_TYPES:
        raise ValueError(f"not a report format: {file_format!r}")
    text = io.StringIO(newline="")
    (write_csv if file_format == "csv" else write_json)(rows, text)
    return text.getvalue().encode("utf-8-sig" if file_format == "csv" else "utf-8")


def report_file(rows: Sequence[ExportRow], file_format: str, today: date) -> ReportFile:
    """The report as a named file."""
    data = report_bytes(rows, file_format, today)
    return ReportFile(report_name(file_format, today), data, MEDIA_TYPES[file_format], len(rows))

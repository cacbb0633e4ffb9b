"""CSV and JSON writers for the progress report: the same columns, the same plain values.

CSV cells that a spreadsheet would run as a formula (starting ``=``, ``+``, ``-``, ``@``, tab or
carriage return) are written with a leading apostrophe, so a note typed in chat can never become a
formula when the report is opened in Excel (OWASP's advice on CSV injection). JSON is left exact.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from typing import TextIO

from bot.exporting.rows import COLUMNS, ExportRow

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(rows: Sequence[ExportRow], stream: TextIO) -> None:
    """A header of :data:`COLUMNS`, then one line per action (RFC 4180 quoting)."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        record = row.record()
        writer.writerow([_safe(record[column]) for column in COLUMNS])


def write_json(rows: Sequence[ExportRow], stream: TextIO) -> None:
    """A JSON array with one object per action, keys in :data:`COLUMNS` order; missing dates are null."""
    json.dump([row.record() for row in rows], stream, ensure_ascii=False, indent=2)
    stream.write("\n")

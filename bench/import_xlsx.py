"""How long importing a 1,000-row action plan from Excel takes (target: under 2 seconds).

    .venv/bin/python bench/import_xlsx.py                # SQLite, in a temporary directory
    .venv/bin/python bench/import_xlsx.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test

Writes a workbook like a council's (a title row, 200 recommendations with 5 actions each in merged
recommendation cells, 40 owners written as "Name / Group", timescales in every common form), then times,
beside the floors of :mod:`bench.import_common` (openpyxl reading every cell; hand-written SQL inserts),
reading and planning it, importing it into a fresh migrated database, and importing it again.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook, load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.import_common import HEADER, plan_rows, run  # noqa: E402


def write_plan(path: Path, rows: list[list[str]], per: int = 5) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Action plan"
    sheet.append(["Corporate Peer Challenge 2018: Action Plan"])
    sheet.append([])
    sheet.append(HEADER)
    for start in range(0, len(rows), per):
        first_row = sheet.max_row + 1
        for row in rows[start : start + per]:
            sheet.append([value or None for value in row])
        sheet.merge_cells(start_row=first_row, start_column=1, end_row=first_row + per - 1, end_column=1)
        sheet.merge_cells(start_row=first_row, start_column=2, end_row=first_row + per - 1, end_column=2)
    book.save(path)


def read_floor(path: Path) -> int:
    """openpyxl alone: every cell of every sheet."""
    book = load_workbook(path, data_only=True)
    cells = sum(1 for sheet in book.worksheets for row in sheet.iter_rows() for _ in row)
    book.close()
    return cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", help="also a PostgreSQL URL: a fresh schema is made and dropped")
    parser.add_argument("--repeats", type=int, default=5)
    arguments = parser.parse_args()
    rows = plan_rows()
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        plan = directory / "plan.xlsx"
        write_plan(plan, rows)
        print(f"{len(rows)} action rows in {plan.name} ({plan.stat().st_size // 1024} KiB)")
        run(plan, rows, lambda: read_floor(plan), None, arguments.repeats, directory)
        if arguments.postgres:
            run(plan, rows, lambda: read_floor(plan), arguments.postgres, arguments.repeats, directory)


if __name__ == "__main__":
    main()

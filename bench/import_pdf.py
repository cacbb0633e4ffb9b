"""How long importing a 1,000-row action plan from a text PDF takes (a Cabinet report's appendix).

    .venv/bin/python bench/import_pdf.py                # SQLite, in a temporary directory
    .venv/bin/python bench/import_pdf.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test

Writes, with fpdf2, a report like a council's: a title page, then the same plan as ``bench/import_xlsx.py``
(200 recommendations of 5 actions, owners as "Name / Group", every timescale form) as a ruled table over
some 80 landscape pages, its header repeated on each. Then times, beside the floors of
:mod:`bench.import_common` (pdfplumber finding and extracting every table; hand-written SQL inserts),
reading and planning it, importing it into a fresh migrated database, and importing it again.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.import_common import HEADER, plan_rows, run  # noqa: E402
from tests.importing.pdf_builder import write_pdf  # noqa: E402


def read_floor(path: Path) -> int:
    """pdfplumber alone: every page's tables found and their cells extracted."""
    import pdfplumber

    cells = 0
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                cells += sum(len(row) for row in table)
    return cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", help="also a PostgreSQL URL: a fresh schema is made and dropped")
    parser.add_argument("--repeats", type=int, default=3)
    arguments = parser.parse_args()
    rows = plan_rows()
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        plan = directory / "plan.pdf"
        write_pdf(plan, [HEADER, *[[cell.replace("•", "-") for cell in row] for row in rows]],
                  widths=(8, 60, 75, 40, 30, 20))  # fmt: skip
        import pdfplumber

        with pdfplumber.open(str(plan)) as pdf:
            pages = len(pdf.pages)
        print(f"{len(rows)} action rows in {plan.name} ({plan.stat().st_size // 1024} KiB, {pages} pages)")
        run(plan, rows, lambda: read_floor(plan), None, arguments.repeats, directory)
        if arguments.postgres:
            run(plan, rows, lambda: read_floor(plan), arguments.postgres, arguments.repeats, directory)


if __name__ == "__main__":
    main()

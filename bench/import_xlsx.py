"""How long importing a 1,000-row action plan from Excel takes (target: under 2 seconds).

    .venv/bin/python bench/import_xlsx.py                # SQLite, in a temporary directory
    .venv/bin/python bench/import_xlsx.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test

Writes a workbook like a council's (200 recommendations with 5 actions each, merged recommendation
cells, 40 owners written as "Name / Group", timescales in every common form), imports it into a
fresh, migrated database, then imports it again (nothing changes), and prints the time of each step.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import Engine, text

from bot.clock import FixedClock
from bot.importing.importer import ImportOptions, import_file, read
from bot.settings import Settings
from bot.unit_of_work import UnitOfWork
from store.db import make_engine, upgrade

TIMESCALES = ["September 2018", "31/03/2019", "Q3 2019", "2019/20", "Spring 2019", "Ongoing", "In place",
              "by end of March 2019", "September 2018 and ongoing", "TBC", "Jan-19", "End of 2018"]
FIRST = ["Deb", "Kevin", "Jayne", "Priya", "Tom", "Gareth", "Nadia", "Mike", "Lucy", "Sarah"]
LAST = ["Poole", "Dicks", "Pickering", "Shah"]
GROUPS = ["CMT", "Communications Team", "Leaders", "HoS", "Portfolio Holders"]


def write_plan(path: Path, recommendations: int = 200, per: int = 5) -> int:
    rng = random.Random(2019)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Action plan"
    sheet.append(["Corporate Peer Challenge 2018: Action Plan"])
    sheet.append([])
    sheet.append(["Ref", "Recommendation", "Response / Action", "Lead Officer", "Timescale", "Status"])
    rows = 0
    for number in range(1, recommendations + 1):
        first_row = sheet.max_row + 1
        for index in range(per):
            owner = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if rng.random() < 0.5:
                owner += f" / {rng.choice(GROUPS)}"
            sheet.append([
                str(number) if index == 0 else None,
                f"Recommendation {number}: strengthen scrutiny and accountability across the council."
                if index == 0 else None,
                f"• Action {number}.{index + 1}: agree terms of reference, consult members and report to Cabinet.",
                owner,
                rng.choice(TIMESCALES),
                rng.choice(["", "On track", "At risk", ""]),
            ])
            rows += 1
        sheet.merge_cells(start_row=first_row, start_column=1, end_row=first_row + per - 1, end_column=1)
        sheet.merge_cells(start_row=first_row, start_column=2, end_row=first_row + per - 1, end_column=2)
    book.save(path)
    return rows


def fresh_database(postgres: str | None, directory: Path) -> tuple[Engine, Callable[[], None]]:
    if postgres is None:
        engine = make_engine(f"sqlite:///{directory / 'bench.db'}")
        upgrade(engine)
        return engine, engine.dispose
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(postgres)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(postgres, connect_args={"options": f"-csearch_path={schema}"})
    upgrade(engine)

    def drop() -> None:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return engine, drop


def timed(step: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = step()
    return time.perf_counter() - started, result


def run(postgres: str | None, repeats: int) -> None:
    now = datetime(2019, 1, 14, 10, 30, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        plan = directory / "plan.xlsx"
        write_seconds, rows = timed(lambda: write_plan(plan))
        print(f"wrote {rows} action rows to {plan.name} ({plan.stat().st_size // 1024} KiB) in {write_seconds:.2f} s")
        reads = [timed(lambda: read(plan, "Bench"))[0] for _ in range(repeats)]
        print(f"read and plan only (no database): median {statistics.median(reads):.2f} s")
        firsts, agains = [], []
        options = ImportOptions(review="Bench")
        for _ in range(repeats):
            engine, cleanup = fresh_database(postgres, _fresh_dir(directory))
            try:
                seconds, report = timed(partial(import_file, _uow(engine, now), plan, options))
                assert report.action_tally.created == rows, report.lines()
                firsts.append(seconds)
                seconds, report = timed(partial(import_file, _uow(engine, now), plan, options))
                assert report.action_tally.unchanged == rows and not report.changed_anything
                agains.append(seconds)
            finally:
                cleanup()
        where = "PostgreSQL" if postgres else "SQLite"
        print(f"{where}: first import (all {rows} created): median {statistics.median(firsts):.2f} s, "
              f"max {max(firsts):.2f} s over {repeats} runs")
        print(f"{where}: import again (nothing changes): median {statistics.median(agains):.2f} s, "
              f"max {max(agains):.2f} s")


def _uow(engine: Engine, now: datetime) -> UnitOfWork:
    return UnitOfWork(engine, FixedClock(now), Settings(_env_file=None))  # type: ignore[call-arg]


def _fresh_dir(parent: Path) -> Path:
    path = parent / uuid.uuid4().hex
    path.mkdir()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", help="also a PostgreSQL URL: a fresh schema is made and dropped")
    parser.add_argument("--repeats", type=int, default=5)
    arguments = parser.parse_args()
    run(None, arguments.repeats)
    if arguments.postgres:
        run(arguments.postgres, arguments.repeats)


if __name__ == "__main__":
    main()

"""How long the nudge job takes to plan a morning's nudges, at 100,000 and at 1,000,000 actions.

For each size, builds the plan (``bench/clock_plan.py``) in a fresh SQLite file (or in
``--database-url``, an empty PostgreSQL database or schema, emptied between sizes), marks yesterday as
decided, then runs the real job (``bot.notices.nudges.run``, in a unit of work rolled back each time, so
each repeat plans the same morning from the same state) and times it: read the candidates through the
``(status, due_date)`` index, decide, find the owners, build and queue one message per person. Side by
side in the same run: the floor, reading the same candidates and their owners with two hand-written SQL
statements, and what reading every open action with a deadline would cost (what the index avoids).

    .venv/bin/python bench/nudge_planning.py                         # SQLite, 100,000 then 1,000,000
    .venv/bin/python bench/nudge_planning.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, text  # noqa: E402
from sqlmodel import SQLModel  # noqa: E402

from bench.clock_plan import build  # noqa: E402
from bot.clock import FixedClock  # noqa: E402
from bot.domain import Nation  # noqa: E402
from bot.notices import calendar, nudges  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.unit_of_work import UnitOfWork  # noqa: E402
from store.db import make_engine, upgrade  # noqa: E402

DAY = date(2019, 6, 12)  # a Wednesday
MOMENT = datetime.combine(DAY, clock_time(9, 30), tzinfo=ZoneInfo("Europe/London"))
OPEN = "('not_started', 'on_track', 'at_risk', 'off_track')"


def plan_once(engine: Engine, settings: Settings) -> tuple[float, int, int, float]:
    """The job's time, the rows it would queue, the actions in them, and this process's CPU time (rolled back)."""
    uow = UnitOfWork(engine, FixedClock(MOMENT), settings)

    def work(context: object) -> tuple[int, int]:
        queued = nudges.run(context, frozenset({"slack"}))  # type: ignore[arg-type]
        told = context.session.execute(  # type: ignore[attr-defined]
            text("SELECT count(*) FROM action_notice WHERE nudged_on IS NOT NULL")
        ).scalar()
        return queued, int(told or 0)

    started, cpu = time.perf_counter(), time.process_time()
    queued, told = uow.run(work, dry_run=True)
    return time.perf_counter() - started, queued, told, time.process_time() - cpu


def floor_once(engine: Engine) -> tuple[float, int]:
    """The same candidates and their owners, read with hand-written SQL: the oldest open deadline (a seek
    per open status), the actions due in the window's ranges and on its weekly dates, then their owners."""
    window = calendar.Window(calendar.previous_working_day(DAY, Nation.ENGLAND), DAY)
    ranges = calendar.upcoming_due_ranges(window, Nation.ENGLAND)
    between = " OR ".join(f"a.due_date BETWEEN '{first}' AND '{last}'" for first, last in ranges)
    firsts = " UNION ALL ".join(f"SELECT min(due_date) AS due FROM action WHERE status = '{status}'"
                                for status in OPEN.strip("()").replace("'", "").split(", "))  # fmt: skip
    started = time.perf_counter()
    with engine.connect() as connection:
        oldest = connection.execute(text(f"SELECT min(due) FROM ({firsts}) AS firsts")).scalar()
        oldest = date.fromisoformat(oldest) if isinstance(oldest, str) else oldest
        weekly = calendar.weekly_due_dates(window, Nation.ENGLAND, oldest) or []
        dates = ", ".join(f"'{d.isoformat()}'" for d in weekly)
        columns = "a.id, a.review_id, a.due_date, a.status, a.timescale_kind, a.snoozed_until, n.nudged_on"
        ids = [row[0] for row in connection.execute(text(
            f"SELECT {columns} FROM action a LEFT JOIN action_notice n ON n.action_id = a.id "
            f"WHERE a.status IN {OPEN} AND ({between}) "
            f"UNION ALL SELECT {columns} FROM action a LEFT JOIN action_notice n ON n.action_id = a.id "
            f"WHERE a.status IN {OPEN} AND a.due_date IN ({dates})"))]
        connection.execute(text(
            f"SELECT action_id, person_id, group_id FROM action_owner WHERE action_id IN ({', '.join(map(str, ids))})"
        )).all()
    return time.perf_counter() - started, len(ids)


def scan_once(engine: Engine) -> tuple[float, int]:
    """Reading every open action with a deadline: what following the index avoids."""
    started = time.perf_counter()
    with engine.connect() as connection:
        rows = connection.execute(text(
            f"SELECT id, review_id, due_date, status, timescale_kind, snoozed_until FROM action "
            f"WHERE status IN {OPEN} AND due_date IS NOT NULL")).all()
    return time.perf_counter() - started, len(rows)


def measure(engine: Engine, settings: Settings, repeats: int) -> dict[str, float]:
    plan_once(engine, settings)  # warm the caches, as a clock that has been running has them
    plans = [plan_once(engine, settings) for _ in range(repeats)]
    floors = [floor_once(engine) for _ in range(repeats)]
    scans = [scan_once(engine) for _ in range(repeats)]
    return {
        "job": statistics.median(p[0] for p in plans),
        "job_max": max(p[0] for p in plans),
        "job_cpu": statistics.median(p[3] for p in plans),
        "queued": plans[0][1],
        "told": plans[0][2],
        "floor": statistics.median(f[0] for f in floors),
        "candidates": floors[0][1],
        "scan": statistics.median(s[0] for s in scans),
        "open_dated": scans[0][1],
    }


def empty(engine: Engine) -> None:
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000,1000000", help="total actions, comma-separated")
    parser.add_argument("--base", type=int, default=100_000, help="actions of the plans being followed up")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: temporary SQLite files)")
    args = parser.parse_args()
    scratch = tempfile.TemporaryDirectory()
    for size in (int(s) for s in args.sizes.split(",")):
        url = args.database_url or f"sqlite:///{Path(scratch.name) / f'nudges-{size}.db'}"
        engine = make_engine(url)
        upgrade(engine)
        if engine.dialect.name == "postgresql":
            empty(engine)
        started = time.perf_counter()
        counts = build(engine, base=min(args.base, size), extra=max(0, size - args.base), today=DAY)
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO notice_mark (key, day, at) VALUES ('nudge:england:9', :day, :at)"),
                               {"day": calendar.previous_working_day(DAY, Nation.ENGLAND), "at": MOMENT})
        print(f"{size:,} actions ({counts['open']:,} open, {counts['overdue']:,} overdue) built in "
              f"{time.perf_counter() - started:.0f}s on {url.split(':')[0]}")
        settings = Settings(database_url=url, _env_file=None)  # type: ignore[call-arg]
        figures = measure(engine, settings, args.repeats)
        print(f"  nudge job: {figures['job'] * 1000:.0f} ms median ({figures['job_max'] * 1000:.0f} ms max; "
              f"{figures['job_cpu'] * 1000:.0f} ms of this process's CPU): "
              f"{figures['queued']:,} messages about {figures['told']:,} actions")
        print(f"  floor (hand-written SQL, {figures['candidates']:,} candidates and their owners): "
              f"{figures['floor'] * 1000:.1f} ms; job / floor = {figures['job'] / figures['floor']:.1f}")
        print(f"  reading every open action with a deadline ({figures['open_dated']:,}): "
              f"{figures['scan'] * 1000:.1f} ms")
        engine.dispose()
    scratch.cleanup()


if __name__ == "__main__":
    main()

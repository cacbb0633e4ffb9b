"""How long the digest job takes to build and queue 1,000 weekly digests over 100,000 actions.

Builds the plan (``bench/clock_plan.py``: 100,000 actions in 200 reviews) in a fresh SQLite file (or in
``--database-url``, an empty PostgreSQL database or schema, emptied first), with 1,000 ``digest``
subscriptions due on Monday 09:00: 950 channels subscribed to one review each (about five per review)
and 50 to all reviews. Then runs the real job (``bot.notices.digests.run``, in a unit of work rolled back
each time) at Monday 09:30 and times it, counting its SQL statements and the time spent in them. Side by
side: every digest built from scratch (no sharing between subscriptions to the same review), which shows
the queries a digest costs on its own.

    .venv/bin/python bench/digest_run.py
    .venv/bin/python bench/digest_run.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, event, insert, text  # noqa: E402
from sqlmodel import col, select  # noqa: E402

from bench.clock_plan import build  # noqa: E402
from bench.nudge_planning import empty  # noqa: E402
from bot.clock import FixedClock  # noqa: E402
from bot.digest import build_digest  # noqa: E402
from bot.notices import digests  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.unit_of_work import Context, UnitOfWork  # noqa: E402
from store.db import make_engine, upgrade  # noqa: E402
from store.models import Subscription  # noqa: E402

MONDAY = date(2019, 6, 10)
MOMENT = datetime.combine(MONDAY, clock_time(9, 30), tzinfo=ZoneInfo("Europe/London"))
REVIEWS = 200


class Statements:
    """Counts the SQL statements run on an engine, and the time spent in them."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        self.seconds = 0.0
        self._started = 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, *args: Any) -> None:
        self._started = time.perf_counter()

    def _after(self, *args: Any) -> None:
        self.count += 1
        self.seconds += time.perf_counter() - self._started

    @contextmanager
    def measure(self) -> Iterator[None]:
        self.count, self.seconds = 0, 0.0
        yield


def subscribe(engine: Engine, count: int, everything: int) -> None:
    made = MOMENT - timedelta(days=30)
    rows = []
    for n in range(count):
        review = None if n < everything else 1 + n % REVIEWS
        rows.append({
            "platform": "slack", "channel_key": f"C{n:07d}", "scope": "all" if review is None else f"review:{review}",
            "review_id": review, "kind": "digest", "weekday": 0, "hour": 9, "created_at": made})  # fmt: skip
    with engine.begin() as connection:
        connection.execute(insert(Subscription), rows)


def run_job(engine: Engine, settings: Settings) -> tuple[float, int, float]:
    """The job's time, the digests it would queue, and this process's CPU time (rolled back)."""
    uow = UnitOfWork(engine, FixedClock(MOMENT), settings)
    started, cpu = time.perf_counter(), time.process_time()
    queued = uow.run(lambda work: digests.run(work, frozenset({"slack"})), dry_run=True)
    return time.perf_counter() - started, queued, time.process_time() - cpu


def from_scratch(engine: Engine, settings: Settings) -> tuple[float, int]:
    """Each subscription's digest built on its own (no memo shared between them)."""
    uow = UnitOfWork(engine, FixedClock(MOMENT), settings)

    def work(context: Context) -> int:
        built = 0
        for subscription in context.session.exec(select(Subscription).order_by(col(Subscription.id))):
            review_ids = [subscription.review_id] if subscription.review_id else None
            build_digest(
                context.session, today=context.today, since=context.now - timedelta(days=7), zone=context.zone,
                review_ids=review_ids, scope_label="x", scope_command="", reach=frozenset({"slack"}),
            )  # fmt: skip
            built += 1
        return built

    started = time.perf_counter()
    built = uow.run(work, writes=False)
    return time.perf_counter() - started, built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--subscriptions", type=int, default=1_000)
    parser.add_argument("--all-reviews", type=int, default=50, help="how many subscribe to all reviews")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: a temporary SQLite file)")
    args = parser.parse_args()
    scratch = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{Path(scratch.name) / 'digests.db'}"
    engine = make_engine(url)
    upgrade(engine)
    if engine.dialect.name == "postgresql":
        empty(engine)
    started = time.perf_counter()
    counts = build(engine, base=args.actions, extra=0, today=MONDAY, reviews=REVIEWS)
    subscribe(engine, args.subscriptions, args.all_reviews)
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    print(f"{args.actions:,} actions ({counts['open']:,} open, {counts['overdue']:,} overdue) in {REVIEWS} reviews, "
          f"{args.subscriptions:,} digest subscriptions ({args.all_reviews} to all reviews), built in "
          f"{time.perf_counter() - started:.0f}s on {url.split(':')[0]}")
    settings = Settings(database_url=url, _env_file=None)  # type: ignore[call-arg]
    statements = Statements(engine)
    run_job(engine, settings)  # warm up
    jobs = []
    for _ in range(args.repeats):
        with statements.measure():
            seconds, queued, cpu = run_job(engine, settings)
        jobs.append((seconds, queued, statements.count, statements.seconds, cpu))
    job = statistics.median(j[0] for j in jobs)
    cpu = statistics.median(j[4] for j in jobs)
    print(f"  digest job: {job:.2f} s median ({max(j[0] for j in jobs):.2f} s max; {cpu:.2f} s of this process's CPU) "
          f"for {jobs[0][1]:,} digests; "
          f"{jobs[0][2]:,} SQL statements ({jobs[0][2] / jobs[0][1]:.1f} a digest), "
          f"{jobs[0][3]:.2f} s of it in SQL")
    with statements.measure():
        seconds, built = from_scratch(engine, settings)
    print(f"  every digest from scratch (nothing shared): {seconds:.2f} s for {built:,}; "
          f"{statements.count:,} SQL statements ({statements.count / built:.1f} a digest), "
          f"{statements.seconds:.2f} s of it in SQL")
    engine.dispose()
    scratch.cleanup()


if __name__ == "__main__":
    main()

"""Resident memory of ``actionbot clock`` at 100,000 actions (target: under 150 MB).

Writes a plan of ``--actions`` actions (``bench/clock_plan.py``: a council's plans a year or two in, 1,000 people
linked on Slack, groups, second owners) and ``--subscriptions`` digest and overdue subscriptions whose slot is
today at 00:00, so everything is due at start-up; starts the fake Slack on 127.0.0.1; then runs, one after
another, side by side in the same run:

- **floor**: a bare Python process that imports what the clock imports (the CLI, the scheduler, the Slack
  sender, SQLAlchemy) and sleeps: what any actionbot process costs before it reads a row;
- **empty**: ``actionbot clock`` on an empty database (migrated, no actions);
- **100k**: ``actionbot clock`` on the big plan: its start-up catch-up (every job at once: the day's nudges to
  every owner, every digest, every overdue alert) and the drain delivering all of it to the fake Slack.

Each process's RSS (with its children) is sampled every 0.1 s until the outbox has nothing pending (or
``--seconds``), then it gets SIGTERM; the peak and the settled figure are printed, with the load average.

    .venv/bin/python bench/clock_memory.py
    .venv/bin/python bench/clock_memory.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, func, insert, select, text  # noqa: E402

from bench.clock_plan import build  # noqa: E402
from bench.serve_load import rss_mb  # noqa: E402
from store.db import make_engine, upgrade  # noqa: E402
from store.models import OutboxNotification, Subscription  # noqa: E402
from tests.slack.driver import SIGNING_SECRET  # noqa: E402
from tests.slack.fake_slack import BOT_TOKEN, FakeSlack  # noqa: E402

LONDON = ZoneInfo("Europe/London")
TRACE = bool(os.environ.get("BENCH_TRACE"))  # print the RSS every 2 s
FLOOR = (
    "import time, sqlalchemy, apscheduler, slack_sdk, aiohttp; import adapters.cli, scheduler.runner, "
    "adapters.slack.sender; print('ready', flush=True); time.sleep(600)"
)


def database(postgres: str | None, scratch: Path, name: str) -> tuple[Engine, str]:
    """A fresh migrated database and the URL a process can reach it by."""
    if postgres is None:
        url = f"sqlite:///{scratch / name}.db"
        engine = make_engine(url)
        upgrade(engine)
        return engine, url
    schema = f"bench_{name}_{os.getpid()}"
    with make_engine(postgres).begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(postgres, connect_args={"options": f"-csearch_path={schema}"})
    upgrade(engine)
    return engine, f"{postgres}?{urlencode({'options': f'-csearch_path={schema}'})}"


def subscribe(engine: Engine, count: int) -> None:
    """``count`` channels, each taking one review's digest (slot: today 00:00) and its overdue alerts."""
    today = datetime.now(LONDON)
    made = datetime.now(UTC) - timedelta(days=30)
    rows = []
    for n in range(count):
        for kind in ("digest", "overdue"):
            rows.append({"platform": "slack", "channel_key": f"C{n:08d}", "scope": f"review:{1 + n % 20}",
                         "review_id": 1 + n % 20, "kind": kind, "weekday": today.weekday(), "hour": 0,
                         "created_at": made})  # fmt: skip
    with engine.begin() as connection:
        connection.execute(insert(Subscription), rows)


def outbox_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        query = select(OutboxNotification.state, func.count()).group_by(OutboxNotification.state)  # type: ignore[arg-type]
        return {state: count for state, count in connection.execute(query)}


def clock_started(engine: Engine) -> bool:
    with engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM clock_lease")).scalar() == 1


async def measure(
    name: str, command: list[str], env: dict[str, str], engine: Engine | None, seconds: float, *, rows: bool = False
) -> None:
    """Run ``command``, sampling its RSS until it has settled: the floor once it says ``ready`` (plus 2 s); a clock
    once it holds the lease and its outbox has had nothing pending for 3 s (and, with ``rows``, has rows)."""
    process = await asyncio.create_subprocess_exec(
        *command, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL
    )
    started = time.perf_counter()
    peak, settled, done_at, quiet_since = 0.0, 0.0, None, None
    counts: dict[str, int] = {}
    if engine is None:
        assert process.stdout is not None
        await asyncio.wait_for(process.stdout.readline(), seconds)
        quiet_since = time.perf_counter()
    while time.perf_counter() - started < seconds:
        await asyncio.sleep(0.1)
        now = rss_mb(process.pid)
        if TRACE and int((time.perf_counter() - started) * 10) % 20 == 0:
            print(f"  {time.perf_counter() - started:5.1f} s: {now:6.1f} MB", flush=True)
        peak, settled = max(peak, now), now
        if engine is not None:
            started_clock = await asyncio.to_thread(clock_started, engine)
            counts = await asyncio.to_thread(outbox_counts, engine)
            ready = started_clock and not counts.get("pending") and (counts or not rows)
            quiet_since = (quiet_since or time.perf_counter()) if ready else None
        if quiet_since is not None and time.perf_counter() - quiet_since >= (2 if engine is None else 3):
            done_at = quiet_since - started
            break
    process.send_signal(signal.SIGTERM)
    code = await process.wait()
    took = f"settled after {done_at:.1f} s" if done_at is not None else "NOT settled"
    print(f"{name:<8} peak {peak:6.1f} MB · settled {settled:6.1f} MB · {took} · exit {code} · outbox {counts}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--subscriptions", type=int, default=200)
    parser.add_argument("--postgres", help="a PostgreSQL URL: run on a schema of its own there instead of SQLite")
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--skip-floors", action="store_true", help="measure the 100k clock only")
    args = parser.parse_args()
    fake = await FakeSlack().start()
    with tempfile.TemporaryDirectory() as directory:
        scratch = Path(directory)
        empty_engine, empty_url = database(args.postgres, scratch, "empty")
        big_engine, big_url = database(args.postgres, scratch, "big")
        started = time.perf_counter()
        counts = build(big_engine, base=args.actions, extra=0, today=datetime.now(LONDON).date())
        subscribe(big_engine, args.subscriptions)
        print(f"plan: {args.actions:,} actions ({counts['open']:,} open, {counts['overdue']:,} overdue), "
              f"{args.subscriptions} channels × (digest, overdue), written in {time.perf_counter() - started:.1f} s")
        print(f"load average: {Path('/proc/loadavg').read_text().strip()}")
        base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_", "DATABASE_URL"))}
        env = base | {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                      "SLACK_API_URL": fake.api_url, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
        clock = [sys.executable, "-c", "from adapters.cli import app; app(prog_name='actionbot')", "clock"]
        if not args.skip_floors:
            await measure("floor", [sys.executable, "-c", FLOOR], env, None, args.seconds)
            await measure("empty", clock, env | {"DATABASE_URL": empty_url}, empty_engine, args.seconds)
        await measure("100k", clock, env | {"DATABASE_URL": big_url}, big_engine, args.seconds, rows=True)
        print(f"messages the fake Slack received: {len(fake.of('chat.postMessage')):,}")
        print(f"load average: {Path('/proc/loadavg').read_text().strip()}")
    await fake.stop()


if __name__ == "__main__":
    asyncio.run(main())

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

With ``--soak N``, then: one clock on the big plan, left running for N rounds of new due work. Each round
subscribes ``--soak-channels`` new channels in place of the round before last's (a digest and overdue alerts each,
slot today 00:00: the digest and alert jobs queue them at their next run) and queues ``--soak-updates``
update messages (as ``serve`` does when an action changes); the same clock catches up and drains it all.
Its jobs run every ``--soak-every`` seconds instead of every 5 minutes (the only difference from ``actionbot
clock``: the bench sets the jobs' interval before the runner is imported). The RSS is sampled through the
round (its peak) and once the outbox has had nothing pending for 2 s (settled): every round is the same work,
so the curve should be flat after the first rounds (warm-up).

    .venv/bin/python bench/clock_memory.py
    .venv/bin/python bench/clock_memory.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/clock_memory.py --skip-floors --soak 30
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
# `actionbot clock` with its jobs every {every} seconds instead of 5 minutes (set before the runner is imported).
SOAK_CLOCK = (
    "import dataclasses, datetime; import bot.notices.jobs as jobs; "
    "jobs.JOBS = tuple(dataclasses.replace(j, every=datetime.timedelta(seconds={every})) for j in jobs.JOBS); "
    "from adapters.cli import app; app(prog_name='actionbot', args=['clock'])"
)
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


def add_round(engine: Engine, round_: int, channels: int, updates: int) -> int:
    """One soak round's new due work: ``channels`` new channels subscribed (digest and overdue alerts, slot today
    00:00; every review of the plan has actions overdue within the week) in place of the last round's, and
    ``updates`` update messages queued; how many outbox rows the round adds."""
    today = datetime.now(LONDON)
    made = datetime.now(UTC) - timedelta(days=30)
    rows = [{"platform": "slack", "channel_key": f"C9{round_:03d}{n:04d}", "scope": f"review:{1 + n % 20}",
             "review_id": 1 + n % 20, "kind": kind, "weekday": today.weekday(), "hour": 0, "created_at": made}
            for n in range(channels) for kind in ("digest", "overdue")]  # fmt: skip
    now = datetime.now(UTC)
    reply = {"title": "Update", "sections": [{"lines": ["#42 is now on track, 60%."]}], "visibility": "channel"}
    messages = [{"dedupe_key": f"soak:{round_}:{n}", "kind": "update", "platform": "slack",
                 "target_key": f"C8{n % 100:04d}", "payload": {"reply": reply, "action_ids": [42]},
                 "state": "pending", "attempts": 0, "created_at": now, "not_before": now}
                for n in range(updates)]  # fmt: skip
    with engine.begin() as connection:
        # the channels of the round before last unsubscribe: every round is the same work, so growth would be a
        # leak (not the last round's: SQLite would give their ids, and so their digests' dedupe keys, to the new)
        last = {"last": f"C9{round_ - 2:03d}%"}
        connection.execute(text("DELETE FROM subscription WHERE channel_key LIKE :last"), last)
        if rows:
            connection.execute(insert(Subscription), rows)
        if messages:
            connection.execute(insert(OutboxNotification), messages)
    return len(rows) + len(messages)


def outbox_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        query = select(OutboxNotification.state, func.count()).group_by(OutboxNotification.state)  # type: ignore[arg-type]
        return {state: count for state, count in connection.execute(query)}


def leading(engine: Engine, pid: int) -> bool:
    """Whether the clock with this pid holds the lease (it has started, and run its jobs once)."""
    with engine.connect() as connection:
        query = text("SELECT count(*) FROM clock_lease WHERE pid = :pid AND released_at IS NULL")
        return connection.execute(query, {"pid": pid}).scalar() == 1


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


async def soak(
    env: dict[str, str], engine: Engine, rounds: int, channels: int, updates: int, every: float, seconds: float
) -> None:
    """The clock left running over ``rounds`` rounds of new due work; its RSS through each round and settled."""
    code = SOAK_CLOCK.format(every=every)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
    )
    print(f"soak: {rounds} rounds, each {channels} new channels × (digest, overdue) and {updates} updates; "
          f"jobs every {every:g} s")  # fmt: skip
    curve: list[tuple[float, float]] = []
    started = time.perf_counter()
    for round_ in range(rounds + 1):
        before = sum((await asyncio.to_thread(outbox_counts, engine)).values())
        expected = 0 if round_ == 0 else await asyncio.to_thread(add_round, engine, round_, channels, updates)
        peak, quiet_since, deadline = 0.0, None, time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            await asyncio.sleep(0.1)
            peak = max(peak, rss_mb(process.pid))
            counts = await asyncio.to_thread(outbox_counts, engine)
            queued = sum(counts.values()) - before >= expected  # the jobs have queued the round's digests and alerts
            ready = queued and not counts.get("pending") and await asyncio.to_thread(leading, engine, process.pid)
            quiet_since = (quiet_since or time.perf_counter()) if ready else None
            if quiet_since is not None and time.perf_counter() - quiet_since >= 2:
                break
        settled = rss_mb(process.pid)
        curve.append((peak, settled))
        state = "settled" if quiet_since is not None else "NOT settled"
        print(f"  round {round_:3d} at {time.perf_counter() - started:6.1f} s: peak {peak:6.1f} MB · {state} "
              f"{settled:6.1f} MB · outbox {dict(sorted(counts.items()))}", flush=True)  # fmt: skip
    process.send_signal(signal.SIGTERM)
    code_ = await process.wait()
    warm = curve[min(3, len(curve) - 1) :]
    print(f"soak: exit {code_}; settled after warm-up (round {min(3, len(curve) - 1)} on) "
          f"{min(s for _, s in warm):.1f}–{max(s for _, s in warm):.1f} MB, peaks "
          f"{min(p for p, _ in warm):.1f}–{max(p for p, _ in warm):.1f} MB")  # fmt: skip


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--subscriptions", type=int, default=200)
    parser.add_argument("--postgres", help="a PostgreSQL URL: run on a schema of its own there instead of SQLite")
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--skip-floors", action="store_true", help="measure the 100k clock only")
    parser.add_argument("--soak", type=int, default=0, metavar="N", help="then N rounds of new work for one clock")
    parser.add_argument("--soak-channels", type=int, default=50, help="new channels subscribed each round")
    parser.add_argument("--soak-updates", type=int, default=200, help="update messages queued each round")
    parser.add_argument("--soak-every", type=float, default=3.0, help="the soak clock's jobs' interval, seconds")
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
        if args.soak:
            print(f"load average: {Path('/proc/loadavg').read_text().strip()}")
            await soak(env | {"DATABASE_URL": big_url}, big_engine, args.soak, args.soak_channels, args.soak_updates,
                       args.soak_every, args.seconds)  # fmt: skip
        print(f"load average: {Path('/proc/loadavg').read_text().strip()}")
    await fake.stop()


if __name__ == "__main__":
    asyncio.run(main())

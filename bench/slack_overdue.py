"""How fast ``/actions overdue`` answers through the real server, with a big plan.

Builds a plan of ``--actions`` actions (bulk inserts: seconds, not minutes) in a fresh SQLite file,
or in ``--database-url`` (PostgreSQL: an empty database or schema, migrated here), starts the
aiohttp server of ``actionbot serve`` on 127.0.0.1 with Slack over HTTP (a stand-in Slack answers
``auth.test``), then sends signed slash commands exactly as Slack does and times each answer,
client side, from the request to the last byte of the answer.

    .venv/bin/python bench/slack_overdue.py                    # 100,000 actions, SQLite
    .venv/bin/python bench/slack_overdue.py --requests 2000
    .venv/bin/python bench/slack_overdue.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402
from sqlalchemy import Engine, insert, text  # noqa: E402

from adapters.bootstrap import App  # noqa: E402
from adapters.web import build_web_app  # noqa: E402
from bot.clock import SystemClock, today  # noqa: E402
from bot.core import Core  # noqa: E402
from bot.domain import Status, TimescaleKind  # noqa: E402
from bot.settings import Settings  # noqa: E402
from store.db import make_engine, upgrade  # noqa: E402
from store.models import Action, ActionOwner, Group, GroupMember, Person, Recommendation, Review  # noqa: E402

SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench"
STATUSES = [  # roughly what a plan a year in looks like
    (Status.DONE, 35), (Status.DROPPED, 5), (Status.ON_TRACK, 20), (Status.AT_RISK, 10),
    (Status.OFF_TRACK, 5), (Status.NOT_STARTED, 25),
]
BATCH = 5_000


def build_plan(engine: Engine, actions: int, *, seed: int = 7) -> int:
    """People, groups, reviews, recommendations and ``actions`` actions with their owners; returns how
    many are overdue today."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    day = today(SystemClock(), Settings(_env_file=None).zone)  # type: ignore[call-arg]
    people = max(50, actions // 100)
    groups = max(5, people // 20)
    reviews = max(2, actions // 5_000)
    statuses = [s for s, weight in STATUSES for _ in range(weight)]
    overdue = 0
    with engine.begin() as connection:
        connection.execute(insert(Person), [
            {"id": n, "name": f"Officer {n:05d}", "email": f"officer{n}@council.gov.uk", "roles": [],
             "created_at": now, "slack_user_id": f"U{n:08d}"} for n in range(1, people + 1)])
        connection.execute(insert(Person), [{"id": people + 1, "name": "Chief Executive", "roles": ["smt"],
                                             "created_at": now, "slack_user_id": "U0CHIEF"}])
        connection.execute(insert(Group), [{"id": n, "name": f"Team {n:03d}"} for n in range(1, groups + 1)])
        connection.execute(insert(GroupMember), [
            {"group_id": g, "person_id": rng.randint(1, people)} for g in range(1, groups + 1)])
        connection.execute(insert(Review), [
            {"id": n, "title": f"Peer Challenge {2000 + n}", "organisation": "Bench Council", "kind": "peer review",
             "state": "active", "nation": "england", "morning_hour": 9, "created_at": now}
            for n in range(1, reviews + 1)])
        for start in range(1, actions + 1, BATCH):
            ids = range(start, min(start + BATCH, actions + 1))
            connection.execute(insert(Recommendation), [
                {"id": n, "review_id": 1 + n % reviews, "ref": str(n), "section": "Recommendations",
                 "text": f"Recommendation {n}", "position": n} for n in ids])
            rows, owners = [], []
            for n in ids:
                status = rng.choice(statuses)
                due = None if rng.random() < 0.05 else day + timedelta(days=rng.randint(-730, 365))
                overdue += due is not None and due < day and not status.is_closed
                lead = {"person_id": rng.randint(1, people)} if rng.random() < 0.8 else {
                    "group_id": rng.randint(1, groups)}
                lead_name = (
                    f"Officer {lead['person_id']:05d}" if "person_id" in lead else f"Team {lead['group_id']:03d}"
                )
                rows.append({
                    "id": n, "review_id": 1 + n % reviews, "recommendation_id": n, "position": 0,
                    "text": f"Action {n}: deliver the improvement the peer team asked for",
                    "timescale": due.strftime("%B %Y") if due else "Ongoing",
                    "timescale_kind": TimescaleKind.DATE if due else TimescaleKind.ONGOING,
                    "due_date": due, "status": status, "percent_complete": 100 if status is Status.DONE else 0,
                    "lead_owner": lead_name, "version": 1, "created_at": now, "updated_at": now})
                owners.append({"action_id": n, "position": 0, "person_id": None, "group_id": None} | lead)
                if rng.random() < 0.3:
                    owners.append({"action_id": n, "position": 1, "person_id": rng.randint(1, people),
                                   "group_id": None})
            connection.execute(insert(Action), rows)
            connection.execute(insert(ActionOwner), owners)
    if engine.dialect.name == "postgresql":
        # A live database has been vacuumed by autovacuum since its last big import; index-only
        # scans need the visibility map that VACUUM sets.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
        if engine.dialect.name == "postgresql":  # ids were given explicitly: move the sequences past them
            for table in ("person", "person_group", "review", "recommendation", "action"):
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    return overdue


async def fake_slack() -> tuple[web.AppRunner, str]:
    """A stand-in for Slack's Web API: bolt checks its token with auth.test once."""

    async def auth_test(_: web.Request) -> web.Response:
        return web.json_response({"ok": True, "team_id": "T0BENCH", "user_id": "UBOT", "bot_id": "BBOT"})

    app = web.Application()
    app.router.add_post("/api/auth.test", auth_test)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}/api/"


def signed(body: str) -> dict[str, str]:
    stamp = str(int(time.time()))
    signature = "v0=" + hmac.new(SECRET.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature,
            "Content-Type": "application/x-www-form-urlencoded"}


def command(text_: str, n: int, hook: str) -> str:
    return urlencode({
        "token": "x", "team_id": "T0BENCH", "channel_id": "C0BENCH", "user_id": "U0CHIEF", "command": "/actions",
        "text": text_, "response_url": hook, "trigger_id": f"{n}.bench", "api_app_id": "A0BENCH"})


async def run(args: argparse.Namespace) -> dict[str, Any]:
    slack_runner, api_url = await fake_slack()
    settings = Settings(database_url=args.database_url, slack_bot_token=TOKEN, slack_signing_secret=SECRET,
                        slack_api_url=api_url, _env_file=None)  # type: ignore[call-arg]
    engine = make_engine(settings.database_url)
    app = App(settings, engine, Core(engine, settings))
    runner = web.AppRunner(build_web_app(app), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/slack/events"
    timings: list[float] = []
    sizes: set[int] = set()
    async with aiohttp.ClientSession() as session:

        async def one(n: int) -> None:
            body = command(args.command, n, api_url.replace("/api/", "/hook"))
            started = time.perf_counter()
            async with session.post(url, data=body, headers=signed(body)) as response:
                answer = await response.read()
                assert response.status == 200, (response.status, answer[:200])
            if n >= args.warmup:
                timings.append((time.perf_counter() - started) * 1000)
                sizes.add(len(answer))

        for n in range(args.warmup + args.requests):
            await one(n)
    await runner.cleanup()
    await slack_runner.cleanup()
    engine.dispose()
    timings.sort()
    return {
        "p50": statistics.median(timings),
        "p95": timings[int(0.95 * (len(timings) - 1))],
        "p99": timings[int(0.99 * (len(timings) - 1))],
        "max": timings[-1],
        "answer_bytes": max(sizes),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--command", default="overdue")
    parser.add_argument("--database-url", help="an empty database to fill (default: a temporary SQLite file)")
    args = parser.parse_args()
    scratch = None
    if not args.database_url:
        scratch = tempfile.TemporaryDirectory()
        args.database_url = f"sqlite:///{Path(scratch.name) / 'bench.db'}"
    engine = make_engine(args.database_url)
    upgrade(engine)
    started = time.perf_counter()
    overdue = build_plan(engine, args.actions)
    engine.dispose()
    print(f"built {args.actions:,} actions ({overdue:,} overdue) in {time.perf_counter() - started:.1f}s "
          f"on {args.database_url.split(':')[0]}")
    figures = asyncio.run(run(args))
    print(f"/actions {args.command}: {args.requests} signed requests through the real server, one at a time")
    print("  p50 {p50:.1f} ms   p95 {p95:.1f} ms   p99 {p99:.1f} ms   max {max:.1f} ms   "
          "answer {answer_bytes:,} bytes".format(**figures))
    if scratch is not None:
        scratch.cleanup()


if __name__ == "__main__":
    main()

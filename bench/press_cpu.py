"""The CPU of a button press, in-process: ``Core.press`` on an owner's ``mine`` list, beside a floor.

A press is what Slack's On track / At risk buttons on a ``mine`` list do: the status written with its
audit row, then the list drawn again (the pressed action in its place) and rendered to Block Kit for the
``response_url``. This script measures that without HTTP or bolt, at 100,000 actions (the plan
``bench/serve_load.py`` builds and caches; SQLite copied afresh, PostgreSQL created from its template):

- **actionbot**: ``Core.press`` with the :class:`~bot.replies.View` the owner's ``mine`` reply carries,
  then ``render`` (the core built as ``adapters.bootstrap.build`` builds it);
- **floor**: ``bench/floors/same_answer.py``'s hand-written press (an UPDATE and the audit INSERT through
  the driver) and its ``mine`` page, rendered the same way.

Presses alternate On track / At risk on the owner's listed actions (always a change), each with a fresh
request key. CPU is ``time.process_time`` over the presses (one thread), so it counts SQLite's work too
(PostgreSQL's server work is not in it: see ``serve_load.py`` for the whole picture). With ``--threads 8``
it then presses from 8 threads at once, as ``serve`` does at 8 in flight, and reports latency, presses a
second and where the time went: waiting for SQLite's write lock (``BEGIN IMMEDIATE``) and the rest.

    .venv/bin/python bench/press_cpu.py                                  # SQLite, 300 presses each
    .venv/bin/python bench/press_cpu.py --threads 8 --presses 400
    .venv/bin/python bench/press_cpu.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/actionbot_bench_press
    .venv/bin/python bench/press_cpu.py --profile /tmp/press.prof        # cProfile of actionbot's presses
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "floors"))

from sqlalchemy import event  # noqa: E402

from adapters.bootstrap import build  # noqa: E402
from adapters.slack.blocks import render  # noqa: E402
from bench.floors import same_answer  # noqa: E402
from bench.serve_load import prepare_postgres, prepare_sqlite  # noqa: E402
from bot.clock import SystemClock, today  # noqa: E402
from bot.core import Core  # noqa: E402
from bot.domain import Surface  # noqa: E402
from bot.replies import Button, ButtonIntent, Reply, View  # noqa: E402
from bot.requests import Actor, Request  # noqa: E402
from bot.settings import Settings  # noqa: E402

INTENTS = (ButtonIntent.ON_TRACK, ButtonIntent.AT_RISK)
SLACK_INTENTS = {ButtonIntent.ON_TRACK: "actionbot_on_track", ButtonIntent.AT_RISK: "actionbot_at_risk"}


@dataclass
class Presses:
    """Which actions to press, and which way each was pressed last (so that every press is a change)."""

    ids: list[int]
    last: dict[int, ButtonIntent] = field(default_factory=dict)
    counter: Any = field(default_factory=itertools.count)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next(self, worker: int = 0, workers: int = 1) -> tuple[int, ButtonIntent, str]:
        """The next (action, intent, request key); a worker keeps to its own share of the actions."""
        with self.lock:
            n = next(self.counter)
            own = self.ids[worker::workers] or self.ids
            action = own[(n // workers) % len(own)]
            intent = INTENTS[1] if self.last.get(action) is INTENTS[0] else INTENTS[0]
            self.last[action] = intent
        return action, intent, f"bench-press:{time.time_ns()}:{n}"


@dataclass
class Setup:
    """What both sides press with."""

    core: Core
    actor: Actor
    view: View
    presses: Presses
    floor_db: same_answer.Database
    floor_me: int


class LockWaits:
    """Wall time spent in each statement kind, per thread (``BEGIN`` is where SQLite waits for the write lock)."""

    def __init__(self, engine: Any) -> None:
        self.local = threading.local()
        self.totals: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self.lock = threading.Lock()

        @event.listens_for(engine, "before_cursor_execute")
        def _before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            self.local.started = time.perf_counter()

        @event.listens_for(engine, "after_cursor_execute")
        def _after(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            took = time.perf_counter() - getattr(self.local, "started", time.perf_counter())
            kind = statement.lstrip().split(None, 1)[0].upper()
            kind = statement.strip().upper() if kind == "BEGIN" else kind
            with self.lock:
                self.totals[kind] = self.totals.get(kind, 0.0) + took
                self.counts[kind] = self.counts.get(kind, 0) + 1

    def reset(self) -> None:
        with self.lock:
            self.totals.clear()
            self.counts.clear()


def setup(url: str, owner: str) -> Setup:
    app = build(Settings(database_url=url, page_size=10))
    actor = Actor(platform="slack", user_id=owner)
    listing = app.core.handle(Request(actor=actor, text="mine", surface=Surface.SLACK))
    if listing.view is None or not listing.items:
        raise SystemExit(f"the owner's `mine` carries no view: {listing.plain_lines}")
    ids = [item.action_id for item in listing.items if item.buttons]
    floor_db = same_answer.Database(url)
    found = same_answer.person(floor_db, owner)
    assert found is not None
    return Setup(app.core, actor, listing.view, Presses(ids), floor_db, found[0])


def actionbot_press(s: Setup, worker: int = 0, workers: int = 1) -> Reply:
    action, intent, key = s.presses.next(worker, workers)
    request = Request(actor=s.actor, text=Button(intent=intent, action_id=action, label="").command,
                      surface=Surface.SLACK, request_key=key, from_button=True)
    outcome = s.core.press(request, s.view)
    render(outcome).response(replace_original=True)
    return outcome


def floor_press(s: Setup, worker: int = 0, workers: int = 1) -> Reply:
    action, intent, key = s.presses.next(worker, workers)
    db = s.floor_db
    found = same_answer.person(db, s.actor.user_id)
    assert found is not None
    same_answer.press(db, found[0], {"id": action}, SLACK_INTENTS[intent], key)
    reply = same_answer.listed(same_answer.mine(db, found[0], today(SystemClock(), s.core.settings.zone)), "mine")
    render(reply).response(replace_original=True)
    return reply


def cpu_per_call(press: Callable[[], Any], count: int) -> float:
    """CPU milliseconds per call over ``count`` calls (this process: Python, SQLAlchemy, SQLite)."""
    started = time.process_time()
    for _ in range(count):
        press()
    return 1000 * (time.process_time() - started) / count


def threaded(
    press: Callable[[int, int], Any], count: int, threads: int
) -> tuple[list[float], list[float], float, float]:
    """``count`` presses from ``threads`` threads at once: each press's latency and time not on the CPU (ms),
    the wall time and the CPU per press (ms)."""
    latencies: list[float] = []
    waiting: list[float] = []
    numbers = itertools.count()
    lock = threading.Lock()

    def worker(w: int) -> None:
        while next(numbers) < count:
            started, cpu = time.perf_counter(), time.thread_time()
            press(w, threads)
            took = 1000 * (time.perf_counter() - started)
            with lock:
                latencies.append(took)
                waiting.append(took - 1000 * (time.thread_time() - cpu))

    cpu, wall = time.process_time(), time.perf_counter()
    pool = [threading.Thread(target=worker, args=(w,)) for w in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return latencies, waiting, time.perf_counter() - wall, 1000 * (time.process_time() - cpu) / count


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--presses", type=int, default=300, help="per side (and per round)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, the two sides taking turns")
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--threads", type=int, default=0, help="then press from this many threads at once")
    parser.add_argument("--profile", type=Path, help="write a cProfile of actionbot's presses here")
    parser.add_argument("--database-url", help="PostgreSQL: a database of the benchmark's own (default: SQLite)")
    args = parser.parse_args()
    load_before = Path("/proc/loadavg").read_text().strip()
    with tempfile.TemporaryDirectory() as scratch:
        if args.database_url:
            url, meta = prepare_postgres(args.database_url, args.actions)
        else:
            url, meta = prepare_sqlite(args.actions, Path(scratch))
        s = setup(url, meta["owner"])
        sides: dict[str, Callable[[int, int], Any]] = {
            "floor": lambda w, n: floor_press(s, w, n),
            "actionbot": lambda w, n: actionbot_press(s, w, n),
        }
        for side in sides.values():
            for _ in range(args.warmup):
                side(0, 1)
        figures: dict[str, list[float]] = {name: [] for name in sides}
        for round_ in range(args.rounds):
            for name in (list(sides) if round_ % 2 == 0 else list(sides)[::-1]):
                figures[name].append(cpu_per_call(lambda: sides[name](0, 1), args.presses))  # noqa: B023
        waits = LockWaits(s.core.engine)  # after the CPU rounds: its listeners cost CPU too
        for _ in range(50):
            sides["actionbot"](0, 1)
        statements = {kind: count / 50 for kind, count in sorted(waits.counts.items())}
        database = "PostgreSQL" if args.database_url else "SQLite"
        print(f"\n{args.actions:,} actions on {database}; the owner has {meta['owned']} actions ({meta['open']} open),"
              f" presses on the {len(s.presses.ids)} listed; {args.presses} presses × {args.rounds} rounds a side;"
              f" loadavg before: {load_before}; after: {Path('/proc/loadavg').read_text().strip()}\n")
        print("| one thread | CPU ms/press (median of rounds) | rounds |")
        print("| --- | --- | --- |")
        for name, values in figures.items():
            print(f"| {name} | {statistics.median(values):.2f} | {', '.join(f'{v:.2f}' for v in values)} |")
        ratio = statistics.median(figures["actionbot"]) / statistics.median(figures["floor"])
        each = ", ".join(f"{kind} {count:g}" for kind, count in statements.items())
        print(f"\nactionbot ÷ floor: {ratio:.1f}×; actionbot's statements per press: "
              f"{sum(statements.values()):g} ({each})")
        if args.threads:
            print(f"\n| {args.threads} threads | p50 ms | p95 ms | p99 ms | max ms | presses/s | CPU ms/press |"
                  " off CPU ms/press | in BEGIN ms/press |")
            print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
            for name, side in sides.items():
                waits.reset()
                latencies, waiting, wall, cpu = threaded(side, args.presses, args.threads)
                begin = sum(v for k, v in waits.totals.items() if k.startswith("BEGIN"))
                shown = f"{1000 * begin / len(latencies):.1f}" if name == "actionbot" else ""
                print(f"| {name} | {quantile(latencies, 0.5):.1f} | {quantile(latencies, 0.95):.1f} | "
                      f"{quantile(latencies, 0.99):.1f} | {max(latencies):.1f} | {len(latencies) / wall:.0f} | "
                      f"{cpu:.2f} | {statistics.mean(waiting):.1f} | {shown} |")
        if args.profile:
            profile = cProfile.Profile()
            profile.runcall(lambda: [sides["actionbot"](0, 1) for _ in range(args.presses)])
            profile.dump_stats(args.profile)
            print(f"\nprofile of {args.presses} presses: {args.profile}")
        s.core.engine.dispose()


if __name__ == "__main__":
    main()

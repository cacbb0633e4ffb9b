"""CPU per answer inside the core, beside a hand-written floor giving the same page (in-process, one thread).

``bench/serve_load.py`` measures whole requests through HTTP and bolt; this measures only what the core
spends on ``/actions mine`` (the plan's owner of about 140 actions) and ``/actions overdue`` (``U0CHIEF``,
an SMT member): ``Core.handle`` built as ``adapters.bootstrap.build`` builds it, against the "same answer"
floor's functions (``bench/floors/same_answer.py``: the same reply from hand-written SQL through the
driver). Both run on the cached 100,000-action plan of ``bench/serve_load.py`` (a fresh copy of the SQLite
file, or a database made from its PostgreSQL template), timed with ``time.process_time`` call by call, one
of ours then one of the floor's, over ``--rounds`` rounds of ``--requests`` each. Before measuring, both
answers are rendered to Slack Block Kit and must be identical. Statements per answer are counted too.

    .venv/bin/python bench/core_cpu.py                        # SQLite
    .venv/bin/python bench/core_cpu.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/actionbot_bench_x
    .venv/bin/python bench/core_cpu.py --kinds mine --profile 40     # and a CPU profile's top 40 (cumulative)

Server CPU of the database itself (PostgreSQL's backend) is not counted, as in ``serve_load``; the SQLite
engine runs in-process and is. With PostgreSQL the database named in the URL belongs to the benchmark.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from adapters.bootstrap import build  # noqa: E402
from adapters.slack.blocks import render  # noqa: E402
from bench.floors import same_answer  # noqa: E402
from bench.serve_load import SMT_USER, prepare_postgres, prepare_sqlite  # noqa: E402
from bot.clock import SystemClock, today  # noqa: E402
from bot.domain import Surface  # noqa: E402
from bot.replies import Reply  # noqa: E402
from bot.requests import Actor, Request  # noqa: E402
from bot.settings import Settings  # noqa: E402

KINDS = ("mine", "overdue")


class Floor:
    """The same-answer floor's functions, with a count of the statements they send."""

    def __init__(self, url: str) -> None:
        self.db = same_answer.Database(url)
        self.statements = 0
        sent = self.db.all

        def counted(sql: str, *params: Any) -> list[tuple[Any, ...]]:
            self.statements += 1
            return sent(sql, *params)

        self.db.all = counted  # type: ignore[method-assign]
        self.zone = ZoneInfo(os.environ.get("ACTIONBOT_TIMEZONE", "Europe/London"))
        self.clock = SystemClock()

    def answer(self, kind: str, user: str) -> Reply:
        found = same_answer.person(self.db, user)
        assert found is not None, user
        day = today(self.clock, self.zone)
        reply = same_answer.overdue(self.db, found[0], day) if kind == "overdue" else same_answer.mine(
            self.db, found[0], day)
        return same_answer.listed(reply, kind)


def ours(url: str) -> tuple[Callable[[str, str], Reply], Callable[[str, str], int]]:
    """``Core.handle`` as ``actionbot serve`` builds it, and how many statements one answer sends."""
    app = build(Settings(_env_file=None, database_url=url))  # type: ignore[call-arg]

    def answer(kind: str, user: str) -> Reply:
        return app.core.handle(Request(actor=Actor(platform="slack", user_id=user), text=kind, surface=Surface.SLACK))

    def statements(kind: str, user: str) -> int:
        """Counted on one answer only: a listener on the engine makes every statement dearer."""
        count = [0]

        def counted(*_: Any) -> None:
            count[0] += 1

        event.listen(app.engine, "before_cursor_execute", counted)
        try:
            answer(kind, user)
        finally:
            event.remove(app.engine, "before_cursor_execute", counted)
        return count[0]

    return answer, statements


def cpu_ms(ours: Callable[[], object], floor: Callable[[], object], n: int) -> tuple[float, float]:
    """CPU ms per call of each, the calls taken in turns (one of ours, one of the floor's) so that whatever
    else the machine is doing falls on both alike."""
    spent = [0.0, 0.0]
    for _ in range(n):
        started = time.process_time()
        ours()
        middle = time.process_time()
        floor()
        spent[0] += middle - started
        spent[1] += time.process_time() - middle
    return spent[0] / n * 1000, spent[1] / n * 1000


def run(args: argparse.Namespace, url: str, meta: dict[str, Any]) -> None:
    answer, our_statements = ours(url)
    floor = Floor(url)
    users = {"mine": meta["owner"], "overdue": SMT_USER}
    kinds = [k for k in KINDS if k in args.kinds.split(",")]
    for kind in kinds:
        a, b = render(answer(kind, users[kind])).response(), render(floor.answer(kind, users[kind])).response()
        if json.dumps(a, sort_keys=True) != json.dumps(b, sort_keys=True):
            raise SystemExit(f"the floor does not give actionbot's answer to {kind}:\nactionbot: {a}\nfloor: {b}")
    figures: dict[tuple[str, str], list[float]] = {}
    statements: dict[tuple[str, str], float] = {}
    for kind in kinds:
        user = users[kind]
        for _ in range(args.warmup):
            answer(kind, user)
            floor.answer(kind, user)
        floor.statements = 0
        floor.answer(kind, user)
        statements[kind, "actionbot"], statements[kind, "floor"] = our_statements(kind, user), floor.statements
        for _ in range(args.rounds):
            ms = cpu_ms(lambda k=kind, u=user: answer(k, u), lambda k=kind, u=user: floor.answer(k, u), args.requests)
            figures.setdefault((kind, "actionbot"), []).append(ms[0])
            figures.setdefault((kind, "floor"), []).append(ms[1])
    database = "PostgreSQL" if args.database_url else "SQLite"
    print(f"\n{args.actions:,} actions on {database}; `mine` by {meta['owner']} ({meta['open']} open), `overdue` by "
          f"{SMT_USER}; {args.rounds} rounds of {args.requests} calls each; loadavg before: {args.load_before}; "
          f"after: {Path('/proc/loadavg').read_text().strip()}\n")
    print("| answer | Core.handle CPU ms | floor CPU ms | ratio | statements (ours / floor) | rounds (ours) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for kind in kinds:
        mine, low = min(figures[kind, "actionbot"]), min(figures[kind, "floor"])
        rounds = " ".join(f"{x:.2f}" for x in figures[kind, "actionbot"])
        print(f"| {kind} | {mine:.2f} | {low:.2f} | {mine / low:.2f} | "
              f"{statements[kind, 'actionbot']:.0f} / {statements[kind, 'floor']:.0f} | {rounds} |")
    print("\n(best round of each; ratio = ours ÷ floor)")
    if args.profile:
        for kind in kinds:
            profile = cProfile.Profile(time.process_time)  # CPU, not time spent waiting for the database
            profile.enable()
            for _ in range(args.requests):
                answer(kind, users[kind])
            profile.disable()
            print(f"\n--- cProfile, {kind}, {args.requests} calls")
            pstats.Stats(profile).sort_stats(args.sort).print_stats(args.profile)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300, help="calls per round, per answer and side")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--profile", type=int, default=0, help="then profile ours, printing this many lines")
    parser.add_argument("--sort", default="cumulative", help="the profile's order (cumulative, tottime)")
    parser.add_argument("--database-url", help="PostgreSQL: a database of the benchmark's own (default: SQLite)")
    args = parser.parse_args()
    args.load_before = Path("/proc/loadavg").read_text().strip()
    with tempfile.TemporaryDirectory() as scratch:
        if args.database_url:
            url, meta = prepare_postgres(args.database_url, args.actions)
        else:
            url, meta = prepare_sqlite(args.actions, Path(scratch))
        run(args, url, meta)


if __name__ == "__main__":
    main()

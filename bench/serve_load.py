"""``actionbot serve`` under load, side by side with two floors, at 100,000 actions (``make bench``).

Builds the 100,000-action plan once (``bench/slack_overdue.py``'s builder) and caches it: SQLite as a file
under ``~/.cache/actionbot-bench`` copied afresh for each run; PostgreSQL as a template database that each
run's database is created from. Then starts three servers, each its own process, on 127.0.0.1:

- **bare bolt** (``bench/floors/bare_bolt.py``): a slack-bolt AsyncApp that acks the signed slash command
  with a fixed line (a press: ack, then a fixed line to the ``response_url``);
- **same answer** (``bench/floors/same_answer.py``): the same bolt app answering with the same first page
  and totals as actionbot, from hand-written SQL through the driver, rendered to the same Block Kit (checked
  byte for byte before measuring); a press is an UPDATE and its audit row by hand, then the page again;
- **actionbot**: ``actionbot serve`` itself (``--workers N`` passed on).

It sends signed Slack requests, interleaving the servers in rounds so that the machine's other load falls
on all of them alike, one at a time and 8 at a time: ``/actions overdue`` from an SMT member, ``/actions
mine`` from an owner of about 140 open actions, and a ``block_actions`` press (On track / At risk,
alternating, on that owner's list: a write, then the list again posted to the ``response_url``; timed until
that post arrives at the stand-in Slack). It prints one table: p50/p95/p99, requests a second, the
server's CPU per request (``/proc/<pid>/stat``, the process and its children), the ratios to each floor,
RSS after the run and start-up to the first ``/healthz`` 200.

    .venv/bin/python bench/serve_load.py                       # SQLite, 100,000 actions
    .venv/bin/python bench/serve_load.py --requests 200 --soak 20000
    .venv/bin/python bench/serve_load.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/actionbot_bench
    .venv/bin/python bench/serve_load.py --profile /tmp/serve.prof   # cProfile of the serve process

With PostgreSQL the database named in the URL belongs to the benchmark: it is dropped and created again
from the template at every run.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402
from sqlalchemy import make_url, text  # noqa: E402

from store.db import head_revision, make_engine, upgrade  # noqa: E402

SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench"
SMT_USER = "U0CHIEF"
CACHE = Path(os.environ.get("ACTIONBOT_BENCH_CACHE", Path.home() / ".cache" / "actionbot-bench"))
KINDS = ("overdue", "mine", "press")
SERVERS = ("bare bolt", "same answer", "actionbot")
OPEN = ("not_started", "on_track", "at_risk", "off_track")
TARGET_OWNED = 140


# The plan, built once and cached ---------------------------------------------------------------------------


def pick_owner(engine: Any) -> dict[str, Any]:
    """The person who owns (directly or through a group) closest to 140 actions: their Slack id, how many
    actions they own and how many of those are open (what ``mine`` lists)."""
    with engine.connect() as connection:
        members: dict[int, list[int]] = {}
        for group_id, person_id in connection.execute(text("SELECT group_id, person_id FROM group_member")):
            members.setdefault(group_id, []).append(person_id)
        owned: dict[int, set[int]] = {}
        still_open: dict[int, set[int]] = {}
        query = text("SELECT o.action_id, o.person_id, o.group_id, a.status FROM action_owner o "
                     "JOIN action a ON a.id = o.action_id")
        for action_id, person_id, group_id, status in connection.execute(query):
            for who in [person_id] if person_id else members.get(group_id, []):
                owned.setdefault(who, set()).add(action_id)
                if status in OPEN:
                    still_open.setdefault(who, set()).add(action_id)
        best = min(owned, key=lambda who: (abs(len(owned[who]) - TARGET_OWNED), who))
        user = connection.execute(text("SELECT slack_user_id FROM person WHERE id = :id"), {"id": best}).scalar_one()
    return {"owner": str(user), "owned": len(owned[best]), "open": len(still_open.get(best, ()))}


def build(url: str, actions: int) -> dict[str, Any]:
    from bench.slack_overdue import build_plan

    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    overdue = build_plan(engine, actions)
    picked = pick_owner(engine)
    engine.dispose()
    print(f"built {actions:,} actions ({overdue:,} overdue) in {time.perf_counter() - started:.0f}s", flush=True)
    return {"overdue": overdue} | picked


def prepare_sqlite(actions: int, scratch: Path) -> tuple[str, dict[str, Any]]:
    head = head_revision("sqlite://")
    cached = CACHE / f"plan-{actions}-{head}.db"
    meta_file = cached.with_suffix(".json")
    if not (cached.exists() and meta_file.exists()):
        CACHE.mkdir(parents=True, exist_ok=True)
        building = cached.with_suffix(".building")
        building.unlink(missing_ok=True)
        meta = build(f"sqlite:///{building}", actions)
        building.rename(cached)
        meta_file.write_text(json.dumps(meta))
    copy = scratch / "plan.db"
    shutil.copyfile(cached, copy)  # presses write: every run starts from the same plan
    return f"sqlite:///{copy}", json.loads(meta_file.read_text())


def prepare_postgres(url: str, actions: int) -> tuple[str, dict[str, Any]]:
    target = make_url(url)
    name = target.database or "actionbot_bench"
    head = head_revision(url)
    template = f"{name}_plan{actions}_{head}"[:63].lower()
    admin = make_engine(target.set(database="postgres").render_as_string(hide_password=False),
                        isolation_level="AUTOCOMMIT")
    meta_file = CACHE / f"{template}.json"
    with admin.connect() as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": template}).first()
    if not (exists and meta_file.exists()):
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{template}"'))
            connection.execute(text(f'CREATE DATABASE "{template}"'))
        meta = build(target.set(database=template).render_as_string(hide_password=False), actions)
        CACHE.mkdir(parents=True, exist_ok=True)
        meta_file.write_text(json.dumps(meta))
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()
    fresh = make_engine(target.set(database=name).render_as_string(hide_password=False),
                        isolation_level="AUTOCOMMIT")
    with fresh.connect() as connection:  # a copied database has no statistics or visibility map yet
        connection.execute(text("VACUUM ANALYZE"))
    fresh.dispose()
    return target.set(database=name).render_as_string(hide_password=False), json.loads(meta_file.read_text())


# The processes ---------------------------------------------------------------------------------------------


def _tree(pid: int) -> list[int]:
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            pids.extend(_tree(int(child)))
    return pids


def cpu_seconds(pid: int) -> float:
    """User plus system CPU of ``pid`` and its children, from /proc/<pid>/stat."""
    return _ticks(pid, "/proc/{pid}/stat")


def loop_cpu_seconds(pid: int) -> float:
    """User plus system CPU of the main thread (the event loop) of ``pid`` and of its children: what the
    process spent outside its worker threads (where the core runs, ``asyncio.to_thread``)."""
    return _ticks(pid, "/proc/{pid}/task/{pid}/stat")


def _ticks(pid: int, stat: str) -> float:
    """User plus system CPU, in seconds, summed over ``pid``'s tree from the ``stat`` file of each."""
    total = 0
    for each in _tree(pid):
        try:
            fields = Path(stat.format(pid=each)).read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its children, in MB."""
    total = 0
    for each in _tree(pid):
        try:
            status = Path(f"/proc/{each}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total / 1024


@dataclass
class Server:
    """One server under test: how to start it, and what it did."""

    name: str
    command: list[str]
    env: dict[str, str]
    port: int
    process: subprocess.Popen[bytes] | None = None
    startup: float = 0.0
    log: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    async def start(self, session: aiohttp.ClientSession, logs: Path) -> None:
        self.log = logs / f"{self.name.replace(' ', '_')}.log"
        started = time.perf_counter()
        self.process = subprocess.Popen(self.command, env=os.environ | self.env, cwd=ROOT,
                                        stdout=self.log.open("wb"), stderr=subprocess.STDOUT)
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited at start-up:\n{self.log.read_text()[-3000:]}")
            try:
                async with session.get(f"http://127.0.0.1:{self.port}/healthz") as response:
                    if response.status == 200:
                        break
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.005)
        self.startup = time.perf_counter() - started

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# Slack: the stand-in Web API, and the requests ------------------------------------------------------------


@dataclass
class FakeSlack:
    """Answers bolt's Web API calls and receives ``response_url`` posts, waking whoever waits for one."""

    waiting: dict[str, asyncio.Future[dict[str, Any]]] = field(default_factory=dict)
    base: str = ""
    runner: web.AppRunner | None = None

    async def start(self) -> None:
        async def api(request: web.Request) -> web.Response:
            method = request.match_info["method"]
            if method == "auth.test":
                return web.json_response({"ok": True, "team_id": "T0BENCH", "user_id": "UBOT", "bot_id": "BBOT"})
            return web.json_response({"ok": True})

        async def hook(request: web.Request) -> web.Response:
            body = await request.json()
            future = self.waiting.pop(request.match_info["key"], None)
            if future is not None and not future.done():
                future.set_result(body)
            return web.Response(text="ok")

        app = web.Application()
        app.router.add_post("/api/{method}", api)
        app.router.add_post("/hook/{key}", hook)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.base = f"http://127.0.0.1:{self.runner.addresses[0][1]}"

    def hook(self) -> tuple[str, asyncio.Future[dict[str, Any]]]:
        key = os.urandom(8).hex()
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.waiting[key] = future
        return f"{self.base}/hook/{key}", future


def signed(body: str, content_type: str = "application/x-www-form-urlencoded") -> dict[str, str]:
    stamp = str(int(time.time()))
    signature = "v0=" + hmac.new(SECRET.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature, "Content-Type": content_type}


def command_body(words: str, user: str, hook: str, n: int) -> str:
    return urlencode({
        "token": "x", "team_id": "T0BENCH", "team_domain": "bench", "channel_id": "C0BENCH", "channel_name": "plan",
        "user_id": user, "user_name": user.lower(), "command": "/actions", "text": words, "api_app_id": "A0BENCH",
        "is_enterprise_install": "false", "response_url": hook, "trigger_id": f"{n}.{time.time_ns()}.bench"})


def press_body(user: str, action: int, intent: str, value: str, hook: str, n: int) -> str:
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": "T0BENCH"},
        "api_app_id": "A0BENCH", "token": "x",
        "container": {"type": "message", "message_ts": "1700000000.000100", "channel_id": "C0BENCH",
                      "is_ephemeral": True},
        "trigger_id": f"{n}.{time.time_ns()}.bench", "team": {"id": "T0BENCH", "domain": "bench"},
        "enterprise": None, "is_enterprise_install": False, "channel": {"id": "C0BENCH", "name": "plan"},
        "state": {"values": {}}, "response_url": hook,
        "actions": [{"action_id": f"actionbot_{intent}", "block_id": f"buttons:{action}:0",
                     "text": {"type": "plain_text", "text": intent}, "value": value, "type": "button",
                     "action_ts": f"{time.time():.6f}"}],
    }
    return urlencode({"payload": json.dumps(payload)})


@dataclass
class Plan:
    """Who asks, and which buttons they press."""

    owner: str
    buttons: list[tuple[int, str]]  # (action id, its buttons' value)
    sent: dict[str, int] = field(default_factory=dict)


# Measuring -------------------------------------------------------------------------------------------------


@dataclass
class Figures:
    """What one server did for one kind of request at one concurrency (over all its rounds)."""

    latencies: list[float] = field(default_factory=list)
    wall: float = 0.0
    cpu: float = 0.0
    loop_cpu: float = 0.0  # of ``cpu``, the event loop's thread

    def quantile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.cpu / len(self.latencies) if self.latencies else 0.0

    @property
    def loop_cpu_ms(self) -> float:
        return 1000 * self.loop_cpu / len(self.latencies) if self.latencies else 0.0


async def one(session: aiohttp.ClientSession, slack: FakeSlack, server: Server, kind: str, n: int,
              worker: int, plan: Plan) -> tuple[float, dict[str, Any]]:
    hook, future = slack.hook()
    if kind == "press":
        action, value = plan.buttons[worker % len(plan.buttons)]
        intent = "at_risk" if plan.sent.get(f"{action}") == 1 else "on_track"  # always a change
        plan.sent[f"{action}"] = 1 if intent == "on_track" else 0
        body = press_body(plan.owner, action, intent, value, hook, n)
    else:
        body = command_body(kind, SMT_USER if kind == "overdue" else plan.owner, hook, n)
    started = time.perf_counter()
    async with session.post(server.url, data=body, headers=signed(body)) as response:
        raw = await response.read()
        if response.status != 200:
            raise SystemExit(f"{server.name} answered {response.status} to {kind}: {raw[:300]!r}")
    if kind == "press":
        answer = await asyncio.wait_for(future, 30)
    else:
        slack.waiting.pop(hook.rsplit("/", 1)[1], None)
        answer = json.loads(raw)
    return time.perf_counter() - started, answer


async def burst(session: aiohttp.ClientSession, slack: FakeSlack, server: Server, kind: str, count: int,
                concurrency: int, plan: Plan, figures: Figures | None) -> None:
    """``count`` requests, ``concurrency`` in flight, added to ``figures`` (warm-up when ``None``)."""
    numbers = itertools.count()
    cpu, loop_cpu = cpu_seconds(server.pid), loop_cpu_seconds(server.pid)
    started = time.perf_counter()

    async def worker(w: int) -> None:
        while (n := next(numbers)) < count:
            elapsed, _ = await one(session, slack, server, kind, n, w, plan)
            if figures is not None:
                figures.latencies.append(elapsed)

    await asyncio.gather(*(worker(w) for w in range(concurrency)))
    if figures is not None:
        figures.wall += time.perf_counter() - started
        figures.cpu += cpu_seconds(server.pid) - cpu
        figures.loop_cpu += loop_cpu_seconds(server.pid) - loop_cpu


def _strip(answer: dict[str, Any]) -> str:
    return json.dumps(answer, sort_keys=True, ensure_ascii=False)


async def check_same_answer(session: aiohttp.ClientSession, slack: FakeSlack, servers: dict[str, Server],
                            plan: Plan) -> None:
    """The same-answer floor must answer exactly as actionbot does, or its figures mean nothing."""
    for kind in ("overdue", "mine"):
        _, ours = await one(session, slack, servers["actionbot"], kind, 0, 0, plan)
        _, floor = await one(session, slack, servers["same answer"], kind, 0, 0, plan)
        if _strip(ours) != _strip(floor):
            raise SystemExit(f"the same-answer floor does not give actionbot's answer to {kind}:\n"
                             f"actionbot: {_strip(ours)[:1500]}\nfloor:     {_strip(floor)[:1500]}")


async def find_buttons(session: aiohttp.ClientSession, slack: FakeSlack, server: Server, plan: Plan) -> None:
    for _ in range(5):  # a first answer slower than Slack's budget is "Working on it…" (tracing, a loaded machine)
        _, answer = await one(session, slack, server, "mine", 0, 0, plan)
        if answer.get("blocks"):
            break
    for block in answer.get("blocks", []):
        if block.get("type") == "actions" and block.get("block_id", "").startswith("buttons:"):
            action = int(block["block_id"].split(":")[1])
            plan.buttons.append((action, block["elements"][0]["value"]))
    if not plan.buttons:
        raise SystemExit(f"no buttons on the owner's list: {answer}")


async def run(args: argparse.Namespace, url: str, meta: dict[str, Any], logs: Path) -> None:
    slack = FakeSlack()
    await slack.start()
    python = sys.executable
    env = {"SLACK_SIGNING_SECRET": SECRET, "SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": f"{slack.base}/api/",
           "DATABASE_URL": url, "ACTIONBOT_LOG_FORMAT": "text"}
    serve = [str(Path(python).parent / "actionbot"), "serve"]
    if args.workers:
        serve += ["--workers", str(args.workers)]
    if args.profile or args.tracemalloc:  # bench/serve_instrumented.py: cProfile of every thread, or snapshots
        serve = [python, str(ROOT / "bench" / "serve_instrumented.py"), *serve[2:]]
        serve += ["--profile", str(args.profile)] if args.profile else []
        serve += ["--tracemalloc", str(args.tracemalloc)] if args.tracemalloc else []
    floors = ROOT / "bench" / "floors"
    servers = {
        "bare bolt": Server("bare bolt", [python, str(floors / "bare_bolt.py")], env, free_port()),
        "same answer": Server("same answer", [python, str(floors / "same_answer.py"), "--database-url", url],
                              env, free_port()),
        "actionbot": Server("actionbot", serve, env, free_port()),
    }
    for server in servers.values():
        server.command += ["--port", str(server.port)] if server.name != "actionbot" else []
        if server.name == "actionbot":
            server.env = env | {"PORT": str(server.port)}
    plan = Plan(owner=meta["owner"], buttons=[])
    kinds = [k for k in KINDS if k in args.kinds.split(",")]
    results: dict[tuple[str, int, str], Figures] = {}
    connector = aiohttp.TCPConnector(limit=64)
    async with aiohttp.ClientSession(connector=connector) as session:
        try:
            for server in servers.values():
                await server.start(session, logs)
            await find_buttons(session, slack, servers["actionbot"], plan)
            await check_same_answer(session, slack, servers, plan)
            for server in servers.values():  # warm-up: caches, pools, first-use imports
                for kind in kinds:
                    await burst(session, slack, server, kind, args.warmup, 4, plan, None)
            for concurrency in args.concurrency:
                for kind in kinds:
                    per_round = max(1, args.requests // args.rounds)
                    for round_ in range(args.rounds):
                        order = list(servers.values())
                        order = order[round_ % 3:] + order[:round_ % 3]
                        for server in order:
                            figures = results.setdefault((kind, concurrency, server.name), Figures())
                            await burst(session, slack, server, kind, per_round, concurrency, plan, figures)
                    print(f"  measured {kind} at {concurrency}", file=sys.stderr, flush=True)
            rss = {name: rss_mb(server.pid) for name, server in servers.items()}
            soak = await run_soak(session, slack, servers["actionbot"], plan, args.soak, args.tracemalloc) \
                if args.soak else []
        except BaseException:
            for server in servers.values():
                if server.log is not None and server.log.exists():
                    print(f"--- {server.name}'s log, last lines:\n{server.log.read_text()[-2000:]}", file=sys.stderr)
            raise
        finally:
            for server in servers.values():
                server.stop()
    assert slack.runner is not None
    await slack.runner.cleanup()
    print_table(args, meta, results, servers, rss, soak)


async def run_soak(session: aiohttp.ClientSession, slack: FakeSlack, server: Server, plan: Plan,
                   total: int, snapshots: Path | None = None) -> list[tuple[int, float]]:
    """``total`` requests (overdue, mine, press in turn) at 8 at a time; RSS every twentieth of them. With
    ``snapshots`` (``--tracemalloc``), a snapshot of the server's allocations after the first tenth and at the
    end, and the allocations that grew in between printed."""
    curve = [(0, rss_mb(server.pid))]
    step = max(1, total // 20)
    done = 0
    while done < total:
        for kind in KINDS:
            await burst(session, slack, server, kind, step // 3 + (kind == "overdue") * (step % 3), 8, plan, None)
        done += step
        curve.append((done, rss_mb(server.pid)))
        print(f"  soak {done:,}: {curve[-1][1]:.1f} MB", file=sys.stderr, flush=True)
        if snapshots is not None and (done == 2 * step or done >= total):
            await take_snapshot(server, snapshots, 1 if done == 2 * step else 2)
    if snapshots is not None:
        print_growth(snapshots)
    return curve


async def take_snapshot(server: Server, directory: Path, number: int) -> None:
    os.kill(server.pid, signal.SIGUSR1)
    while not (directory / f"snapshot-{number}.done").exists():
        await asyncio.sleep(0.1)


def print_growth(directory: Path, top: int = 25) -> None:
    import tracemalloc

    first = tracemalloc.Snapshot.load(str(directory / "snapshot-1.pickle"))
    last = tracemalloc.Snapshot.load(str(directory / "snapshot-2.pickle"))
    ignore = [tracemalloc.Filter(False, tracemalloc.__file__),
              tracemalloc.Filter(False, "<frozen importlib._bootstrap>")]
    first, last = first.filter_traces(ignore), last.filter_traces(ignore)
    total = sum(stat.size for stat in last.statistics("filename")) - sum(
        stat.size for stat in first.statistics("filename"))
    print(f"\ntraced Python memory grew by {total / 1024:.0f} KiB between the two snapshots; by line:", file=sys.stderr)
    for stat in last.compare_to(first, "lineno")[:top]:
        print(f"  {stat}", file=sys.stderr)
    print("by traceback (the largest growths):", file=sys.stderr)
    for stat in last.compare_to(first, "traceback")[:5]:
        print(f"  {stat.size_diff / 1024:+.0f} KiB in {stat.count_diff:+d} blocks", file=sys.stderr)
        for line in stat.traceback.format()[-16:]:
            print(f"      {line}", file=sys.stderr)


def print_table(args: argparse.Namespace, meta: dict[str, Any], results: dict[tuple[str, int, str], Figures],
                servers: dict[str, Server], rss: dict[str, float], soak: list[tuple[int, float]]) -> None:
    database = "PostgreSQL" if args.database_url else "SQLite"
    print(f"\n{args.actions:,} actions on {database} ({meta['overdue']:,} overdue); the `mine` owner has "
          f"{meta['owned']} actions ({meta['open']} open); {args.requests} requests per cell in "
          f"{args.rounds} interleaved rounds; "
          f"loadavg before: {args.load_before}; after: {Path('/proc/loadavg').read_text().strip()}\n")
    print("| request | in flight | server | p50 ms | p95 ms | p99 ms | req/s | CPU ms/req | of which loop | "
          "req/s ÷ bare | req/s ÷ same | CPU ÷ same |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for kind in KINDS:
        for concurrency in args.concurrency:
            bare = results.get((kind, concurrency, "bare bolt"))
            same = results.get((kind, concurrency, "same answer"))
            for name in SERVERS:
                f = results.get((kind, concurrency, name))
                if f is None or not f.latencies:
                    continue
                ratios = ["", "", ""]
                if name != "bare bolt" and bare and bare.rate:
                    ratios[0] = f"{f.rate / bare.rate:.2f}"
                if name == "actionbot" and same and same.rate:
                    ratios[1] = f"{f.rate / same.rate:.2f}"
                    ratios[2] = f"{f.cpu_ms / same.cpu_ms:.1f}" if same.cpu_ms else ""
                print(f"| {kind} | {concurrency} | {name} | {f.quantile(0.5):.1f} | {f.quantile(0.95):.1f} | "
                      f"{f.quantile(0.99):.1f} | {f.rate:,.0f} | {f.cpu_ms:.2f} | {f.loop_cpu_ms:.2f} | "
                      f"{' | '.join(ratios)} |")
    print("\n| server | start-up to first /healthz 200 | RSS after the run |")
    print("| --- | --- | --- |")
    for name, server in servers.items():
        print(f"| {name} | {server.startup:.2f} s | {rss[name]:.0f} MB |")
    if soak:
        print("\nSoak (actionbot, 8 in flight, overdue/mine/press in turn): requests → RSS MB")
        print("  " + "  ".join(f"{n:,}→{mb:.0f}" for n, mb in soak))


def compile_sources() -> None:
    """Byte-compile the checkout, as ``pip install`` does an installed package: with PYTHONDONTWRITEBYTECODE set
    (as on this project's machines) every start of a server would otherwise compile its modules afresh."""
    import compileall

    for package in ("bot", "store", "adapters", "scheduler", "bench"):
        compileall.compile_dir(ROOT / package, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300, help="per server, kind and concurrency")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds the requests are split into")
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--concurrency", type=lambda s: [int(c) for c in s.split(",")], default=[1, 8])
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--soak", type=int, default=0, help="then this many requests to actionbot, RSS sampled")
    parser.add_argument("--workers", type=int, default=0, help="actionbot serve --workers N")
    parser.add_argument("--profile", type=Path,
                        help="run actionbot serve under cProfile (every thread), writing pstats here")
    parser.add_argument("--tracemalloc", type=Path,
                        help="with --soak: trace actionbot's allocations, snapshots in this directory, print growth")
    parser.add_argument("--database-url", help="PostgreSQL: a database of the benchmark's own (default: SQLite)")
    args = parser.parse_args()
    args.load_before = Path("/proc/loadavg").read_text().strip()
    compile_sources()
    with tempfile.TemporaryDirectory() as scratch:
        if args.database_url:
            url, meta = prepare_postgres(args.database_url, args.actions)
        else:
            url, meta = prepare_sqlite(args.actions, Path(scratch))
        asyncio.run(run(args, url, meta, Path(scratch)))


if __name__ == "__main__":
    main()

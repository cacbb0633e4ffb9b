"""Start-up of ``actionbot serve`` to its first ``/healthz`` 200, beside the bare bolt floor (issue 15: ≤ 0.6 s).

Starts the bare bolt app (``bench/floors/bare_bolt.py``) and ``actionbot serve`` in turn, ``--runs`` times each,
actionbot on a fresh copy of a migrated plan (``--actions``, default 1,000; start-up must not depend on the
plan's size: check with ``--actions 100000``, the plan ``bench/serve_load.py`` caches). For each start: the
wall time from starting the process to its first ``/healthz`` 200, the process's CPU time and RSS at that
moment, then the latency of its first signed ``/actions mine`` (what the first officer to ask waits for,
including whatever was left to load on first use). Prints median and min, and actionbot's ratio to the floor.
The checkout is byte-compiled first, as ``pip install`` does an installed package.

    .venv/bin/python bench/startup.py                    # 7 starts each
    .venv/bin/python bench/startup.py --actions 100000   # the same on the 100,000-action plan
    .venv/bin/python bench/startup.py --importtime       # then the slowest imports of one actionbot start,
                                                         # and what it imports beyond the bare bolt floor
    .venv/bin/python bench/startup.py --baseline /tmp/before   # also that checkout's actionbot, in turn

``--baseline`` takes another checkout of actionbot (``git worktree add /tmp/before main``): its ``actionbot
serve`` (the entry point its pyproject.toml gives the console script), run with this checkout's virtualenv, takes
its turn with the other two, so before and after are
measured in the same minutes on a shared machine.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

from bench.serve_load import (  # noqa: E402
    SECRET,
    TOKEN,
    FakeSlack,
    Server,
    command_body,
    compile_sources,
    cpu_seconds,
    free_port,
    prepare_sqlite,
    rss_mb,
    signed,
)


@dataclass
class Starts:
    """What one server did over its starts."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)
    first: list[float] = field(default_factory=list)  # the first request's latency


def console_script(checkout: Path) -> str:
    """The ``actionbot`` console script's entry point that ``checkout`` declares (``module:function``)."""
    return str(tomllib.loads((checkout / "pyproject.toml").read_text())["project"]["scripts"]["actionbot"])


def servers(slack: FakeSlack, url: str, baseline: Path | None = None) -> dict[str, Server]:
    python = sys.executable
    env = {"SLACK_SIGNING_SECRET": SECRET, "SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": f"{slack.base}/api/",
           "DATABASE_URL": url, "ACTIONBOT_LOG_FORMAT": "text"}
    bare_port, port = free_port(), free_port()
    each = {
        "bare bolt": Server("bare bolt", [python, str(ROOT / "bench" / "floors" / "bare_bolt.py"), "--port",
                                          str(bare_port)], env, bare_port),
        "actionbot": Server("actionbot", [str(Path(python).parent / "actionbot"), "serve"],
                            env | {"PORT": str(port)}, port),
    }
    if baseline is not None:
        other = free_port()
        module, _, function = console_script(baseline).partition(":")
        start = f"import sys; sys.path.insert(0, {str(baseline)!r}); from {module} import {function}; {function}()"
        each["baseline"] = Server("baseline", [python, "-c", start, "serve"], env | {"PORT": str(other)}, other)
    return each


async def first_request(session: aiohttp.ClientSession, slack: FakeSlack, server: Server, owner: str) -> float:
    hook, _ = slack.hook()
    body = command_body("mine", owner, hook, 0)
    started = time.perf_counter()
    async with session.post(server.url, data=body, headers=signed(body)) as response:
        raw = await response.read()
        if response.status != 200 or (server.name != "bare bolt" and b"blocks" not in raw):
            raise SystemExit(f"{server.name}'s first answer: {response.status} {raw[:300]!r}")
    slack.waiting.pop(hook.rsplit("/", 1)[1], None)
    return time.perf_counter() - started


async def measure(args: argparse.Namespace, cached: Path, owner: str, scratch: Path) -> dict[str, Starts]:
    slack = FakeSlack()
    await slack.start()
    copy = scratch / "serve.db"
    figures = {name: Starts() for name in servers(slack, "", args.baseline)}
    async with aiohttp.ClientSession() as session:
        for run in range(args.runs):
            each = list(servers(slack, f"sqlite:///{copy}", args.baseline).values())
            for server in each[run % len(each):] + each[:run % len(each)]:
                shutil.copyfile(cached, copy)  # a fresh copy for every start: nothing cached by the last one
                try:
                    await server.start(session, scratch)
                    seen = figures[server.name]
                    seen.wall.append(server.startup)
                    seen.cpu.append(cpu_seconds(server.pid))
                    seen.rss.append(rss_mb(server.pid))
                    seen.first.append(await first_request(session, slack, server, owner))
                finally:
                    server.stop()
            print(f"  start {run + 1}: " + ", ".join(f"{name} {s.wall[-1]:.3f} s" for name, s in figures.items()),
                  file=sys.stderr, flush=True)
    assert slack.runner is not None
    await slack.runner.cleanup()
    return figures


def report(args: argparse.Namespace, figures: dict[str, Starts], load_before: str) -> None:
    print(f"\n{args.runs} starts each, alternating, on a {args.actions:,}-action plan (SQLite); "
          f"loadavg before: {load_before}; after: {Path('/proc/loadavg').read_text().strip()}\n")
    print("| server | wall median | wall min | CPU at 200 (median) | RSS at 200 | first /actions mine (median) "
          "| wall ÷ bare (median) | wall ÷ bare (min) | CPU ÷ bare (median) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    bare = figures["bare bolt"]
    for name, s in figures.items():
        ratios = ["", "", ""]
        if name != "bare bolt":
            ratios = [f"{statistics.median(s.wall) / statistics.median(bare.wall):.2f}",
                      f"{min(s.wall) / min(bare.wall):.2f}",
                      f"{statistics.median(s.cpu) / statistics.median(bare.cpu):.2f}"]
        print(f"| {name} | {statistics.median(s.wall):.3f} s | {min(s.wall):.3f} s | "
              f"{statistics.median(s.cpu):.2f} s | {statistics.median(s.rss):.0f} MB | "
              f"{1000 * statistics.median(s.first):.0f} ms | {' | '.join(ratios)} |")


async def imports_of(server: Server, scratch: Path) -> list[tuple[int, int, str]]:
    """One start of ``server`` under ``python -X importtime``, stopped at its first /healthz 200: (cumulative µs,
    self µs, module) for each module it imported."""
    script = server.command[1:] if server.command[0] == sys.executable else server.command
    server.command = [sys.executable, "-X", "importtime", *script]
    async with aiohttp.ClientSession() as session:
        try:
            await server.start(session, scratch)
        finally:
            server.stop()
    assert server.log is not None
    rows = []
    for line in server.log.read_text().splitlines():
        if line.startswith("import time:") and "|" in line and "cumulative" not in line:
            own, cumulative, name = line.removeprefix("import time:").split("|")
            rows.append((int(cumulative), int(own), name.rstrip()))
    return rows


def package(module: str) -> str:
    """What a module is counted under: its top-level package, or the project's module (``bot.core``)."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] in ("bot", "store", "adapters", "scheduler") else parts[0]


async def importtime(cached: Path, scratch: Path, top: int) -> None:
    """One actionbot start under ``python -X importtime``, then what it imports beyond the bare bolt floor's."""
    copy = scratch / "importtime.db"
    shutil.copyfile(cached, copy)
    slack = FakeSlack()
    await slack.start()
    each = servers(slack, f"sqlite:///{copy}")
    rows = await imports_of(each["actionbot"], scratch)
    floor = {name.strip() for _, _, name in await imports_of(each["bare bolt"], scratch)}
    assert slack.runner is not None
    await slack.runner.cleanup()
    print(f"\nactionbot serve, one start under -X importtime ({each['actionbot'].startup:.2f} s to /healthz): "
          f"{len(rows)} modules, {sum(r[1] for r in rows) / 1e6:.3f} s in imports (with importtime's overhead)")
    print(f"{'cumulative ms':>14} {'self ms':>8}  module (top {top} by cumulative)")
    for cumulative, own, name in sorted(rows, reverse=True)[:top]:
        print(f"{cumulative / 1000:14.1f} {own / 1000:8.1f}  {name}")
    print(f"\n{'self ms':>8}  module (top {top} by self)")
    for _, own, name in sorted(rows, key=lambda r: -r[1])[:top]:
        print(f"{own / 1000:8.1f}  {name.strip()}")
    beyond: dict[str, list[int]] = {}
    for _, own, name in rows:
        if name.strip() not in floor:
            beyond.setdefault(package(name.strip()), []).append(own)
    print(f"\nbeyond the bare bolt floor ({len(floor)} modules, one start too): "
          f"{sum(map(len, beyond.values()))} modules, {sum(map(sum, beyond.values())) / 1000:.1f} ms self")
    print(f"{'self ms':>8} {'modules':>8}  package (top {top})")
    for name, owns in sorted(beyond.items(), key=lambda item: -sum(item[1]))[:top]:
        print(f"{sum(owns) / 1000:8.1f} {len(owns):8d}  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="starts of each server, alternating")
    parser.add_argument("--actions", type=int, default=1_000, help="the plan's size (cached as serve_load does)")
    parser.add_argument("--importtime", action="store_true",
                        help="then one actionbot start under -X importtime (and what it imports beyond the floor)")
    parser.add_argument("--top", type=int, default=30, help="imports listed with --importtime")
    parser.add_argument("--baseline", type=Path, help="another checkout whose actionbot serve takes its turn too")
    args = parser.parse_args()
    load_before = Path("/proc/loadavg").read_text().strip()
    compile_sources()
    if args.baseline is not None:
        import compileall

        for package in ("bot", "store", "adapters", "scheduler"):
            compileall.compile_dir(args.baseline / package, quiet=1)
    with tempfile.TemporaryDirectory() as scratch:
        url, meta = prepare_sqlite(args.actions, Path(scratch))
        cached = Path(url.removeprefix("sqlite:///"))
        if args.runs:
            report(args, asyncio.run(measure(args, cached, meta["owner"], Path(scratch))), load_before)
        if args.importtime:
            asyncio.run(importtime(cached, Path(scratch), args.top))


if __name__ == "__main__":
    main()

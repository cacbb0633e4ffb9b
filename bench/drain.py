"""How close the drain comes to the fastest delivery a platform's rate limit allows.

10,000 messages to 200 Slack channels (50 each, queued channel by channel: the order that would starve every
channel but the first if the drain took the outbox oldest first), through the real drain, the real Slack sender
and a fake Slack on 127.0.0.1 that enforces a per-channel rate (``--rate`` messages a second with a burst of
``--burst``; faster than that is answered 429 with ``Retry-After``, as Slack does). The fastest any client could
deliver is ``(per channel - burst) / rate`` seconds: the **minimum**. The drain is given the same rate and a
burst of 1 (so network jitter never makes it trip the fake's limit).

Side by side, in the same run, the **floor**: a hand-written client with no database, no outbox and no
pacing library, one task per channel posting the same messages straight to a fresh fake at exactly the rate.

    .venv/bin/python bench/drain.py                      # about a minute at the default rate
    .venv/bin/python bench/drain.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import resource
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402
from sqlalchemy import Engine, text  # noqa: E402

from adapters.slack.app import web_client  # noqa: E402
from adapters.slack.blocks import render  # noqa: E402
from adapters.slack.sender import SlackSender  # noqa: E402
from bot.clock import SystemClock  # noqa: E402
from bot.notices.messages import to_payload  # noqa: E402
from bot.replies import Reply, Section, Visibility  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.unit_of_work import UnitOfWork  # noqa: E402
from scheduler.drain import Drain  # noqa: E402
from scheduler.pacing import Limits, Rate  # noqa: E402
from store import outbox  # noqa: E402
from store.db import make_engine, upgrade  # noqa: E402
from tests.slack.fake_slack import BOT_TOKEN, FakeSlack  # noqa: E402


@dataclass
class PacedSlack(FakeSlack):
    """The fake Slack, enforcing ``rate`` messages a second per channel (``burst`` at once) on chat.postMessage."""

    rate: float = 1.0
    burst: int = 2
    refused: int = 0
    spans: dict[str, list[float]] = field(default_factory=dict)  # channel -> [first accepted, last accepted]
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)  # channel -> (tokens, at)

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["method"] == "chat.postMessage":
            channel = await _channel(request)
            now = time.monotonic()
            tokens, at = self._buckets.get(channel, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - at) * self.rate)
            if tokens < 1.0:
                self.refused += 1
                self._buckets[channel] = (tokens, now)
                wait = math.ceil((1.0 - tokens) / self.rate)
                return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                         headers={"Retry-After": str(wait)})
            self._buckets[channel] = (tokens - 1.0, now)
            self.spans.setdefault(channel, [now, now])[1] = now
        return await super()._api(request)

    def timeline(self) -> str:
        """When channels began and finished, from the first message accepted: where time went."""
        if not self.spans:
            return "nothing accepted"
        start = min(first for first, _ in self.spans.values())
        firsts = sorted(first - start for first, _ in self.spans.values())
        spans = sorted(last - first for first, last in self.spans.values())
        return (f"last channel began at +{firsts[-1]:.1f} s; a channel's first-to-last message: median "
                f"{spans[len(spans) // 2]:.1f} s, longest {spans[-1]:.1f} s")


async def _channel(request: web.Request) -> str:
    if request.content_type == "application/json":
        return str((await request.json()).get("channel"))
    return dict(parse_qsl(await request.text())).get("channel", "")


def reply(n: int) -> Reply:
    return Reply(title=f"Update on #{n}", sections=[Section(lines=[f"m{n:05d}: on track, 60% (was 40%)."])],
                 visibility=Visibility.CHANNEL)


def queue(engine: Engine, settings: Settings, messages: int, channels: int) -> None:
    per_channel = messages // channels
    batch = [
        outbox.Message(dedupe_key=f"bench:{c}:{m}", kind="update", platform="slack", target_key=f"C{c:05d}",
                       payload=to_payload(reply(c * per_channel + m)))
        for c in range(channels) for m in range(per_channel)
    ]  # fmt: skip
    UnitOfWork(engine, SystemClock(), settings).run(lambda work: outbox.enqueue_many(work, batch))


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def run_drain(
    engine: Engine, settings: Settings, fake: PacedSlack, rate: float, burst: int
) -> tuple[float, float, Any]:
    sender = SlackSender(web_client(settings, retry_rate_limits=False))
    limits = {"slack": Limits(target=Rate(rate, burst=burst))}
    drain = Drain(engine, SystemClock(), settings, {"slack": sender}, limits=limits)
    started, cpu = time.perf_counter(), _cpu()
    report = await drain.run_once()
    # Rows a 429 put off for its Retry-After are not due yet: wait for them, as a running drain would.
    while UnitOfWork(engine, SystemClock(), settings).run(outbox.counts, writes=False).get("pending"):
        await asyncio.sleep(0.2)
        report.add(await drain.run_once())
    return time.perf_counter() - started, _cpu() - cpu, report


async def run_floor(fake: PacedSlack, messages: int, channels: int, rate: float) -> tuple[float, float]:
    """One task per channel posting its messages at ``rate`` (a burst of 1, as the drain), straight to the fake."""
    per_channel = messages // channels
    headers = {"Authorization": f"Bearer {BOT_TOKEN}"}

    async def channel(session: aiohttp.ClientSession, c: int) -> None:
        last = -math.inf
        for m in range(per_channel):
            delay = last + 1 / rate - time.monotonic()  # never two posts closer than 1/rate, like a burst of 1
            if delay > 0:
                await asyncio.sleep(delay)
            last = time.monotonic()
            message = render(reply(c * per_channel + m))
            body = {"channel": f"C{c:05d}", "text": message.text, "blocks": message.blocks,
                    "unfurl_links": False, "unfurl_media": False}
            async with session.post(f"{fake.api_url}chat.postMessage", json=body, headers=headers) as response:
                assert response.status == 200, await response.text()
                await response.read()

    started, cpu = time.perf_counter(), _cpu()
    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(channel(session, c) for c in range(channels)))
    return time.perf_counter() - started, _cpu() - cpu


def database(url: str | None, directory: Path) -> tuple[Engine, str, str | None]:
    """A migrated, empty database: a fresh SQLite file, or a new schema in the PostgreSQL database ``url``."""
    if not url:
        url = f"sqlite:///{directory / 'drain.db'}"
        engine = make_engine(url)
        upgrade(engine)
        return engine, url, None
    schema = f"bench_drain_{uuid.uuid4().hex[:8]}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    upgrade(engine)
    return engine, url, schema


def drop(url: str, schema: str) -> None:
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


async def main(args: argparse.Namespace) -> None:
    per_channel = args.messages // args.channels
    minimum = (per_channel - args.burst) / args.rate
    print(f"load before: {Path('/proc/loadavg').read_text().strip()}  (cpus: {os.cpu_count()})")
    with tempfile.TemporaryDirectory() as directory:
        engine, url, schema = database(args.database_url, Path(directory))
        fake = await PacedSlack(rate=args.rate, burst=args.burst).start()
        settings = Settings(database_url=url, slack_bot_token=BOT_TOKEN, slack_signing_secret="bench",
                            slack_api_url=fake.api_url, _env_file=None)  # type: ignore[call-arg]
        try:
            queued = time.perf_counter()
            queue(engine, settings, args.messages, args.channels)
            queued = time.perf_counter() - queued
            drain_wall, drain_cpu, report = await run_drain(engine, settings, fake, args.rate, args.drain_burst)
            texts = Counter(call.params["text"] for call in fake.of("chat.postMessage"))
            states = UnitOfWork(engine, SystemClock(), settings).run(outbox.counts, writes=False)
        finally:
            await fake.stop()
            engine.dispose()
            if schema and url:
                drop(url, schema)
        floor_fake = await PacedSlack(rate=args.rate, burst=args.burst).start()
        try:
            floor_wall, floor_cpu = await run_floor(floor_fake, args.messages, args.channels, args.rate)
        finally:
            await floor_fake.stop()
    dialect = "PostgreSQL" if args.database_url else "SQLite"
    print(f"{args.messages} messages to {args.channels} channels at {args.rate:g}/s per channel (burst {args.burst}),"
          f" {dialect}; queued in {queued:.1f} s")
    print(f"minimum the rate allows: {minimum:.1f} s; the drain paces at {args.rate:g}/s, burst {args.drain_burst}")
    print(f"drain:  {drain_wall:.1f} s wall ({drain_wall / minimum:.3f}x the minimum), {drain_cpu:.1f} s CPU "
          f"(fake Slack included), {report}")
    print(f"        {fake.timeline()}")
    print(f"        outbox: {json.dumps(states)}; 429s from the fake: {fake.refused}; "
          f"distinct messages delivered: {len(texts)}, posts accepted: {sum(texts.values())}")
    print(f"floor:  {floor_fake.timeline()}")
    print(f"floor:  {floor_wall:.1f} s wall ({floor_wall / minimum:.3f}x the minimum), {floor_cpu:.1f} s CPU "
          f"(fake Slack included); 429s: {floor_fake.refused}")
    print(f"drain / floor: {drain_wall / floor_wall:.3f}")
    print(f"load after: {Path('/proc/loadavg').read_text().strip()}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--channels", type=int, default=200)
    parser.add_argument("--rate", type=float, default=0.85, help="messages a second per channel (the fake's limit)")
    parser.add_argument("--burst", type=int, default=2, help="messages at once per channel the fake allows")
    parser.add_argument("--drain-burst", type=int, default=1, help="the burst the drain allows itself per channel")
    parser.add_argument("--database-url", default=None)
    asyncio.run(main(parser.parse_args()))

"""A drain process killed with SIGKILL in the middle of a batch, and started again: nothing is lost, and only the
message whose send was under way can go twice."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections import Counter
from typing import Any

from sqlalchemy import Engine

from bot.clock import FixedClock
from bot.settings import Settings
from tests.scheduler.drain_support import queue, rows
from tests.slack.fake_slack import FakeSlack

LEASE_SECONDS = 1.0  # short, so the restarted drain takes the dead one's rows back soon
RATE = 20.0  # messages a second to the one channel: the batch is still going when the first drain is killed


async def _start(database_url: str, connect_args: dict[str, Any], fake: FakeSlack) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.scheduler.drain_runner", database_url, json.dumps(connect_args), fake.api_url,
        str(RATE), str(LEASE_SECONDS),
        stdout=asyncio.subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    assert process.stdout is not None
    assert (await asyncio.wait_for(process.stdout.readline(), timeout=30)).strip() == b"draining"
    return process


async def test_a_drain_killed_mid_batch_and_restarted_loses_nothing_and_repeats_at_most_the_one_in_flight(
    engine: Engine, clock: FixedClock, slack_settings: Settings, fake: FakeSlack, database_url: str,
    _template: tuple[str, dict[str, Any]],
) -> None:
    messages = [(f"m{n:02d}", "slack", "C0PLAN") for n in range(40)]
    queue(engine, slack_settings, clock, *messages)
    connect_args = _template[1].get("connect_args", {})

    first = await _start(database_url, connect_args, fake)
    await fake.wait_for("chat.postMessage", 10, timeout=30)
    first.send_signal(signal.SIGKILL)
    await first.wait()
    killed_after = len(fake.of("chat.postMessage"))
    assert killed_after < len(messages), "killed in the middle of the batch"

    second = await _start(database_url, connect_args, fake)
    try:
        async with asyncio.timeout(60):
            while {row.state for row in rows(engine, slack_settings, clock).values()} != {"sent"}:
                await asyncio.sleep(0.1)  # another process: its progress can only be watched
    finally:
        second.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(second.wait(), timeout=30) == 0

    sent = Counter(call.params["text"] for call in fake.of("chat.postMessage"))
    assert set(sent) == {key for key, _, _ in messages}, "nothing lost"
    repeated = [text for text, count in sent.items() if count > 1]
    assert len(repeated) <= 1 and all(sent[text] == 2 for text in repeated), f"at most one repeated: {repeated}"
    in_order = [call.params["text"] for call in fake.of("chat.postMessage")]
    after = in_order[killed_after:]
    # What the killed drain had claimed but not sent comes back when its claim lapses, so it may follow later
    # messages; everything else the second drain sends in queue order, and the reclaimed ones in order too.
    held = [text for text in after if text < after[0]]
    rest = [text for text in after if text >= after[0]]
    assert rest == sorted(set(rest)) and held == sorted(set(held)), f"the second drain went on in order: {after}"

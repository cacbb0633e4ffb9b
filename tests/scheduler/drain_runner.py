"""A drain in a process of its own, for the test that kills one mid-batch: ``python -m tests.scheduler.drain_runner
DATABASE_URL CONNECT_ARGS_JSON SLACK_API_URL RATE LEASE_SECONDS`` delivers the outbox to (the fake) Slack on the
system clock, paced at RATE messages a second per channel, until SIGTERM. (``actionbot clock`` runs the same
drain beside the jobs.)"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from datetime import timedelta

from adapters.slack.app import web_client
from adapters.slack.sender import SlackSender
from bot.clock import SystemClock
from bot.settings import Settings
from scheduler.drain import Drain
from scheduler.pacing import Limits, Rate
from store.db import make_engine
from tests.slack.driver import SIGNING_SECRET
from tests.slack.fake_slack import BOT_TOKEN


async def main(database_url: str, connect_args: str, api_url: str, rate: float, lease: float) -> None:
    settings = Settings(
        database_url=database_url,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=api_url,
        _env_file=None,  # type: ignore[call-arg]
    )
    engine = make_engine(database_url, connect_args=json.loads(connect_args))
    sender = SlackSender(web_client(settings, retry_rate_limits=False))
    drain = Drain(
        engine, SystemClock(), settings, {"slack": sender},
        limits={"slack": Limits(target=Rate(rate, burst=1))}, lease=timedelta(seconds=lease),
    )  # fmt: skip
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    print("draining", flush=True)
    await drain.run(stop, poll=0.1)
    engine.dispose()


if __name__ == "__main__":
    url, args, api, rate, lease = sys.argv[1:6]
    asyncio.run(main(url, args, api, float(rate), float(lease)))

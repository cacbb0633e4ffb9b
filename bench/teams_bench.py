"""Teams adapter benchmarks: card rendering, and messages through the whole stack over real HTTP.

    .venv/bin/python -m bench.teams_bench [--messages 300]

1. Rendering: a full page (10 actions, maximal markup-heavy texts) as an Adaptive Card, and the
   same reply when it is over budget and must be rendered again with shorter texts.
2. End to end: ``POST /api/messages`` ("mine" from a linked user, on the sample plan in SQLite),
   through the real aiohttp app, the core in a worker thread, and the card's delivery to a fake
   Bot Framework connector on 127.0.0.1; sequentially, then 8 at a time.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from aiohttp import ClientSession
from aiohttp.test_utils import TestServer

from adapters.bootstrap import App
from adapters.teams.cards import card_bytes, fitted_card, render_card
from adapters.teams.sender import TeamsSender
from adapters.web import build_web_app
from bot import sample_plan
from bot.core import Core
from bot.domain import Rag, Status
from bot.replies import ActionItem, Button, ButtonIntent, Fact, Reply, Section
from bot.settings import Settings
from bot.unit_of_work import Context
from store.db import make_engine, upgrade
from store.models import Person
from tests.teams.fake_connector import REGION, FakeConnector
from tests.teams.payloads import TeamsUser, message, personal_chat

MARKUP = " *bold* _it_ [link](x) #tag <at>x</at> `c` ~s~ a&b | \\"


def _long(length: int) -> str:
    return (MARKUP * (length // len(MARKUP) + 1))[:length]


def page_reply(text_length: int) -> Reply:
    items = [
        ActionItem(
            action_id=number,
            text=_long(text_length),
            rag=Rag.RED,
            status=Status.AT_RISK,
            facts=[Fact(label="Owner", value=_long(200)), Fact(label="Due", value="Fri 11 Jan 2019 (3 days overdue)"),
                   Fact(label="Status", value="At risk · 40%"), Fact(label="Review", value=_long(300))],
            buttons=[Button(intent=intent, action_id=number, label=intent.value) for intent in ButtonIntent],
        )
        for number in range(1, 11)
    ]
    return Reply(title="Your actions", sections=[Section(lines=["12 open actions"], items=items)], more="2 more")


def bench_rendering(rounds: int = 200) -> None:
    for label, reply in (("page, fits at once (texts 280)", page_reply(280)),
                         ("page, over budget (texts 4000)", page_reply(4000))):
        start = time.perf_counter()
        for _ in range(rounds):
            card = fitted_card(reply)
        elapsed = (time.perf_counter() - start) / rounds
        tracemalloc.start()
        fitted_card(reply)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"render {label}: {elapsed * 1000:.2f} ms, card {card_bytes(card):,} bytes "
              f"(unfitted {card_bytes(render_card(reply)):,}), peak {peak / 1024:.0f} KiB")


async def bench_end_to_end(messages: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'bench.db'}"
        engine = make_engine(url)
        upgrade(engine)
        user = TeamsUser("29:1bench", "aad-bench", sample_plan.DEMO_PERSON)
        settings = Settings(database_url=url, teams_allow_anonymous=True, _env_file=None)  # type: ignore[call-arg]
        core = Core(engine, settings)
        people = sample_plan.load(core.uow)
        person_id = people[sample_plan.DEMO_PERSON].id

        def link(work: Context) -> None:
            person = work.session.get(Person, person_id)
            assert person is not None
            person.teams_user_id = user.aad
            work.session.add(person)

        core.uow.run(link)
        app = App(settings, engine, core, {"teams": TeamsSender.from_settings(settings, core.uow)})

        connector = FakeConnector()
        connector_server = TestServer(connector.app(), host="127.0.0.1")
        await connector_server.start_server()
        connector.service_url = str(connector_server.make_url(f"/{REGION}/"))
        bot_server = TestServer(build_web_app(app), host="127.0.0.1")
        await bot_server.start_server()
        endpoint = str(bot_server.make_url("/api/messages"))

        async with ClientSession() as client:

            async def one() -> float:
                started = time.perf_counter()
                activity = message(connector.service_url, user, "mine", personal_chat(user))
                async with client.post(endpoint, json=activity) as response:
                    assert response.status == 200, response.status
                return time.perf_counter() - started

            for _ in range(10):  # warm up: imports, pools, the reference's first save
                await one()
            for concurrency in (1, 8):
                latencies: list[float] = []
                started = time.perf_counter()
                for _ in range(messages // concurrency):
                    latencies.extend(await asyncio.gather(*(one() for _ in range(concurrency))))
                wall = time.perf_counter() - started
                latencies.sort()
                p95 = latencies[int(len(latencies) * 0.95) - 1]
                print(f"end to end 'mine', {concurrency} at a time: {len(latencies) / wall:.0f} messages/s, "
                      f"p50 {statistics.median(latencies) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms "
                      f"({len(latencies)} messages, card {connector.sent()[-1].size:,} bytes)")
        await bot_server.close()
        await connector_server.close()
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--messages", type=int, default=300)
    arguments = parser.parse_args()
    bench_rendering()
    asyncio.run(bench_end_to_end(arguments.messages))


if __name__ == "__main__":
    main()

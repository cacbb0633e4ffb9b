"""Floor 1: a bare slack-bolt AsyncApp on aiohttp that acks the signed slash command with a fixed line.

It checks the signature (bolt's own middleware) and answers; a button press is acked and a fixed line posted
to its ``response_url``. This is what any bolt app costs before it does any work.

    python bench/floors/bare_bolt.py --port 3101   # SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, SLACK_API_URL
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

Answer = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]
Press = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]
TASKS: set[asyncio.Task[None]] = set()


async def fixed_answer(body: dict[str, Any]) -> dict[str, Any]:
    return {"response_type": "ephemeral", "text": "Your actions: nothing to see here."}


def bolt_app(command: Answer = fixed_answer, press: Press = fixed_answer) -> AsyncApp:
    """A bolt app whose slash command acks with ``command(body)`` and whose buttons post ``press(body)``."""
    client = AsyncWebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    # process_before_response as actionbot has it: by default bolt runs the listener in a task and polls for its
    # ack every 10 ms, which would add ~10 ms and the wake-ups' CPU to every request of the floor.
    bolt = AsyncApp(signing_secret=os.environ["SLACK_SIGNING_SECRET"], client=client, process_before_response=True)
    http: list[aiohttp.ClientSession] = []

    @bolt.command("/actions")
    async def on_command(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack(await command(body))

    async def follow_up(body: dict[str, Any]) -> None:
        if not http:
            http.append(aiohttp.ClientSession())
        answer = await press(body)
        async with http[0].post(body["response_url"], json=answer) as response:
            await response.read()

    @bolt.block_action({"action_id": re.compile(".*")})
    async def on_button(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        task = asyncio.create_task(follow_up(body))
        TASKS.add(task)
        task.add_done_callback(TASKS.discard)

    return bolt


def web_app(bolt: AsyncApp) -> web.Application:
    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_post("/slack/events", events)
    app.router.add_get("/healthz", healthz)
    return app


def main(command: Answer = fixed_answer, press: Press = fixed_answer) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args, _ = parser.parse_known_args()
    web.run_app(web_app(bolt_app(command, press)), host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()

"""Slack over Socket Mode: the websocket handler of ``actionbot serve`` when ``SLACK_APP_TOKEN`` is set.

Each delivery is validated by the edge (:func:`adapters.slack.edge.classify`) before bolt sees it, as over HTTP.
Kept apart from :mod:`adapters.slack.server` so that Slack over HTTP (and every ``serve --workers N``) starts
without loading Socket Mode's client (``tests/test_lazy_imports.py``).
"""

from __future__ import annotations

import logging
import time

from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.adapter.socket_mode.async_internals import send_async_response
from slack_bolt.response import BoltResponse
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest

from adapters.logs import refuse
from adapters.slack.bolt_request import bolt_request
from adapters.slack.edge import Refused, classify

log = logging.getLogger("actionbot.slack")


class CheckedSocketModeHandler(AsyncSocketModeHandler):
    """Socket Mode, with each delivery validated by :func:`classify` before bolt sees it (as over HTTP)."""

    async def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        started = time.time()
        payload = req.payload if isinstance(req.payload, dict) else {}
        try:
            delivery = classify(payload)
        except Refused as exc:
            refuse(log, f"a Slack {req.type} delivery over Socket Mode", exc.reason, surface="slack")
            await send_async_response(client, req, BoltResponse(status=200, body=""), started)
            return
        if not delivery.acted_on:
            log.debug("Slack %s acknowledged, not acted on", delivery.what)
            await send_async_response(client, req, BoltResponse(status=200, body=""), started)
            return
        retry = [str(req.retry_attempt)] if req.retry_attempt is not None else None
        request = bolt_request(delivery, retry)
        response = await self.app.async_dispatch(request)
        await send_async_response(client, req, response, started)

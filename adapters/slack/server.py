"""Slack on the aiohttp server of ``actionbot serve``: ``POST /slack/events``, or Socket Mode.

Over HTTP, Slack posts slash commands, interactivity and events to ``/slack/events``; the edge
(:mod:`adapters.slack.edge`) checks each request's signature over the raw bytes and validates its
payload before bolt runs the listeners. With ``SLACK_APP_TOKEN`` set, the server instead opens a Socket
Mode websocket to Slack (no public URL: councils behind a firewall) and runs the same listeners
on what arrives there; ``/healthz`` and the Teams route are served as before. Either way the
Slack parts are built when the server starts and closed when it stops, after the work in flight. Socket Mode's
handler (:mod:`adapters.slack.socket_mode`) is loaded only when it is used.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp

from adapters.bootstrap import App
from adapters.logs import refuse
from adapters.slack import app as slack_app
from adapters.slack.background import Background
from adapters.slack.bolt_request import bolt_request
from adapters.slack.edge import Refused, check_signature, classify, read_body
from adapters.slack.identity import SlackIdentity
from adapters.slack.interactions import SlackInteractions
from adapters.slack.listeners import register

if TYPE_CHECKING:
    from adapters.slack.socket_mode import CheckedSocketModeHandler

log = logging.getLogger("actionbot.slack")

EVENTS_PATH = "/slack/events"
SHUTDOWN_GRACE_SECONDS = 10.0


@dataclass
class SlackSurface:
    """The running Slack surface: bolt, the behaviour behind it, and the Socket Mode link if any."""

    bolt: AsyncApp
    interactions: SlackInteractions
    signing_secret: str | None = None
    socket: CheckedSocketModeHandler | None = None

    async def settle(self) -> None:
        """Wait until the work started by earlier requests (message updates, forms) is done."""
        await self.interactions.background.drain()


SLACK_KEY = web.AppKey("actionbot-slack", SlackSurface)


def mount(web_app: web.Application, app: App) -> None:
    """Add Slack to ``web_app``: checks the settings now, builds the rest when the server starts."""
    if not slack_app.socket_mode(app.settings) and app.settings.slack_signing_secret is None:
        raise slack_app.SlackConfigurationError(
            "SLACK_SIGNING_SECRET: required for Slack over HTTP (or set SLACK_APP_TOKEN for Socket Mode)"
        )
    web_app.cleanup_ctx.append(lambda web_app: _running(web_app, app))
    if not slack_app.socket_mode(app.settings):
        web_app.router.add_post(EVENTS_PATH, events)


async def events(request: web.Request) -> web.Response:
    """Slack's HTTP deliveries: 401 unless signed by Slack in the last five minutes (nothing unsigned is
    parsed), 400/415 for a signed body that is not what Slack sends, 200 for every authentic delivery."""
    surface = request.app[SLACK_KEY]
    raw = await request.read()
    assert surface.signing_secret is not None  # mount() refuses HTTP without one
    headers = request.headers
    why = check_signature(
        surface.signing_secret, raw, headers.get("X-Slack-Request-Timestamp"), headers.get("X-Slack-Signature"),
        time.time(),
    )
    if why is not None:
        refuse(log, f"a Slack request from {request.remote}", why, surface="slack")
        return web.json_response({"error": "invalid signature"}, status=401)
    try:
        delivery = classify(read_body(raw, request.content_type))
    except Refused as exc:
        ref = refuse(log, "a signed Slack request", exc.reason, surface="slack")
        return web.json_response({"error": exc.reason, "ref": ref}, status=exc.status)
    if delivery.kind == "url_verification":
        return web.json_response({"challenge": delivery.challenge})
    if not delivery.acted_on:
        log.debug("Slack %s acknowledged, not acted on", delivery.what)
        return web.Response(status=200)
    response = await surface.bolt.async_dispatch(bolt_request(delivery, headers.getall("X-Slack-Retry-Num", [])))
    return await to_aiohttp_response(response)


def build_surface(app: App, http: aiohttp.ClientSession | None = None) -> SlackSurface:
    """The bolt app with our listeners, sharing one HTTP session for Web API and response_url calls."""
    client = slack_app.web_client(app.settings, session=http)
    interactions = SlackInteractions(
        app.core, client, SlackIdentity(client), Background(), http=http
    )
    bolt = slack_app.build_bolt_app(app.settings, client)
    register(bolt, interactions)
    secret = app.settings.slack_signing_secret.get_secret_value() if app.settings.slack_signing_secret else None
    return SlackSurface(bolt=bolt, interactions=interactions, signing_secret=secret)


async def _running(web_app: web.Application, app: App) -> AsyncIterator[None]:
    http = aiohttp.ClientSession()
    surface = build_surface(app, http)
    web_app[SLACK_KEY] = surface
    if slack_app.socket_mode(app.settings):
        from adapters.slack.socket_mode import CheckedSocketModeHandler

        assert app.settings.slack_app_token is not None
        surface.socket = CheckedSocketModeHandler(
            surface.bolt, app.settings.slack_app_token.get_secret_value(), web_client=surface.bolt.client
        )
        # connect() retries on its own until Slack answers; the web server does not wait for it.
        surface.interactions.background.spawn(
            surface.socket.connect_async(), "socket-mode-connect"  # type: ignore[no-untyped-call]
        )
        log.info("Slack: Socket Mode")
    else:
        log.info("Slack: HTTP on %s", EVENTS_PATH)
    try:
        yield
    finally:
        if surface.socket is not None:
            await surface.socket.close_async()  # type: ignore[no-untyped-call]
        await surface.interactions.background.drain(SHUTDOWN_GRACE_SECONDS)
        await http.close()

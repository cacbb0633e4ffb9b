"""Slack on the aiohttp server of ``actionbot serve``: ``POST /slack/events``, or Socket Mode.

Over HTTP, Slack posts slash commands, interactivity and events to ``/slack/events`` and bolt
checks each request's signature. With ``SLACK_APP_TOKEN`` set, the server instead opens a Socket
Mode websocket to Slack (no public URL: councils behind a firewall) and runs the same listeners
on what arrives there; ``/healthz`` and the Teams route are served as before. Either way the
Slack parts are built when the server starts and closed when it stops, after the work in flight.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from adapters.bootstrap import App
from adapters.slack import app as slack_app
from adapters.slack.background import Background
from adapters.slack.identity import SlackIdentity
from adapters.slack.interactions import SlackInteractions
from adapters.slack.listeners import register

log = logging.getLogger("actionbot.slack")

EVENTS_PATH = "/slack/events"
SHUTDOWN_GRACE_SECONDS = 10.0


@dataclass
class SlackSurface:
    """The running Slack surface: bolt, the behaviour behind it, and the Socket Mode link if any."""

    bolt: AsyncApp
    interactions: SlackInteractions
    socket: AsyncSocketModeHandler | None = None

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
    """Slack's HTTP deliveries; bolt verifies the signature and answers 401 to anything forged or stale."""
    surface = request.app[SLACK_KEY]
    response = await surface.bolt.async_dispatch(await to_bolt_request(request))
    return await to_aiohttp_response(response)


def build_surface(app: App, http: aiohttp.ClientSession | None = None) -> SlackSurface:
    """The bolt app with our listeners, sharing one HTTP session for Web API and response_url calls."""
    client = slack_app.web_client(app.settings, session=http)
    interactions = SlackInteractions(
        app.core, client, SlackIdentity(app.core, client), Background(), http=http
    )
    bolt = slack_app.build_bolt_app(app.settings, client)
    register(bolt, interactions)
    return SlackSurface(bolt=bolt, interactions=interactions)


async def _running(web_app: web.Application, app: App) -> AsyncIterator[None]:
    http = aiohttp.ClientSession()
    surface = build_surface(app, http)
    web_app[SLACK_KEY] = surface
    if slack_app.socket_mode(app.settings):
        assert app.settings.slack_app_token is not None
        surface.socket = AsyncSocketModeHandler(
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

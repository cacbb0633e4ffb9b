"""``POST /api/messages``: the Bot Framework's messaging endpoint, on the one aiohttp server.

The handler only translates HTTP: a JSON activity in, the adapter authenticates it and runs the
bot, and the outcome becomes a status (200, 401 for a missing or bad token, 503 when the token
cannot be checked right now, 400/415 for what is not an activity). Nothing is changed before the
token has been checked.
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web
from botbuilder.core import serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity
from msrest.exceptions import DeserializationError

from adapters.bootstrap import App
from adapters.teams.auth import AuthUnavailable, announce, make_adapter
from adapters.teams.bot import TeamsBot, on_turn_error
from adapters.teams.identity import TeamsPeople
from adapters.teams.references import ConversationReferences

log = logging.getLogger("actionbot.teams")

MESSAGES_PATH = "/api/messages"


class MessagesEndpoint:
    """Feeds each posted activity through the adapter to the bot."""

    def __init__(self, adapter: CloudAdapter, bot: TeamsBot) -> None:
        self.adapter = adapter
        self.bot = bot

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if request.content_type != "application/json":
            return web.json_response({"error": "send the activity as application/json"}, status=415)
        try:
            body: Any = await request.json()
            activity = Activity().deserialize(body) if isinstance(body, dict) else None
        except (ValueError, TypeError, DeserializationError):
            activity = None
        if activity is None or not activity.type:
            return web.json_response({"error": "the body is not a Bot Framework activity"}, status=400)
        try:
            response = await self.adapter.process_activity(
                request.headers.get("Authorization", ""), activity, self.bot.on_turn
            )
        except PermissionError as exc:
            log.warning("Teams: refused an activity from %s: %s", request.remote, exc)
            return web.json_response({"error": "unauthorized"}, status=401)
        except AuthUnavailable as exc:
            log.error("Teams: %s", exc)
            return web.json_response({"error": "cannot check the token right now"}, status=503)
        if response is not None:
            return web.json_response(serializer_helper(response.body), status=response.status)
        return web.Response(status=200)


def mount_teams(web_app: web.Application, app: App) -> None:
    """Add ``POST /api/messages`` to the server (say loudly when it runs without authentication)."""
    announce(app.settings)
    adapter = make_adapter(app.settings)
    adapter.on_turn_error = on_turn_error
    anonymous = not app.settings.microsoft_app_id
    bot = TeamsBot(app.core, ConversationReferences(app.core.uow), TeamsPeople(app.core), allow_emulator=anonymous)
    web_app.router.add_post(MESSAGES_PATH, MessagesEndpoint(adapter, bot).handle)

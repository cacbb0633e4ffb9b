"""``POST /api/messages``: the Bot Framework's messaging endpoint, on the one aiohttp server.

The handler only translates HTTP: a JSON activity in, the adapter authenticates it and runs the
bot, and the outcome becomes a status: 200; 401 for a missing or bad token (checked for its presence
before the body is even read); 400 for a body that is not a well-formed activity (:mod:`inbound`) and
415 for one that is not JSON; 403, in anonymous local mode, for a ``serviceUrl`` that is not on this
machine (the bot would otherwise post wherever an unauthenticated caller says); 503 when the token
cannot be checked right now or the database is away (the Bot Framework then delivers it again).
Nothing is changed before the token has been checked, and no bad input reaches a 500.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from aiohttp import web
from azure.core.exceptions import DeserializationError  # what msrest raises (msrest.exceptions re-exports it)
from botbuilder.core import serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity
from pydantic import ValidationError

from adapters.bootstrap import App
from adapters.logs import problem, refuse
from adapters.teams.auth import AuthUnavailable, announce, make_adapter
from adapters.teams.bot import TeamsBot, TeamsUnavailable, on_turn_error
from adapters.teams.identity import TeamsPeople
from adapters.teams.inbound import Inbound, is_loopback
from adapters.teams.references import ConversationReferences
from bot.errors import DatabaseUnavailable

log = logging.getLogger("actionbot.teams")

MESSAGES_PATH = "/api/messages"
RETRY_AFTER_SECONDS = "30"


class MessagesEndpoint:
    """Feeds each posted activity through the adapter to the bot."""

    def __init__(self, adapter: CloudAdapter, bot: TeamsBot, *, anonymous: bool = False) -> None:
        self.adapter = adapter
        self.bot = bot
        self.anonymous = anonymous

    async def handle(self, request: web.Request) -> web.StreamResponse:
        authorization = request.headers.get("Authorization", "")
        if not self.anonymous and not authorization.startswith("Bearer "):
            refuse(log, f"a Teams activity from {request.remote}", "no bearer token", surface="teams")
            return web.json_response({"error": "unauthorized"}, status=401)
        if request.content_type != "application/json":
            refuse(log, "a Teams activity", f"content type {request.content_type or 'none'}", surface="teams")
            return web.json_response({"error": "send the activity as application/json"}, status=415)
        activity, why = await _activity(request)
        if activity is None:
            ref = refuse(log, "a Teams activity", why, surface="teams")
            return web.json_response({"error": "the body is not a Bot Framework activity", "ref": ref}, status=400)
        if self.anonymous and not _loopback(activity):
            ref = refuse(log, "a Teams activity", "anonymous mode only answers a serviceUrl on this machine",
                         surface="teams")
            return web.json_response({"error": "serviceUrl must be on this machine in anonymous mode", "ref": ref},
                                     status=403)
        try:
            response = await self.adapter.process_activity(authorization, activity, self.bot.on_turn)
        except PermissionError as exc:
            refuse(log, f"a Teams activity from {request.remote}", str(exc), surface="teams")
            return web.json_response({"error": "unauthorized"}, status=401)
        except AuthUnavailable as exc:
            log.error("Teams: %s", exc)
            return web.json_response({"error": "cannot check the token right now"}, status=503)
        except (TeamsUnavailable, DatabaseUnavailable):
            return web.json_response(
                {"error": "the database is unavailable; deliver this activity again later"},
                status=503, headers={"Retry-After": RETRY_AFTER_SECONDS},
            )
        if response is not None:
            if response.body is None:
                return web.Response(status=response.status)
            plain = isinstance(response.body, dict | list | str)  # ours; the SDK's own are msrest models
            return web.json_response(response.body if plain else serializer_helper(response.body),
                                     status=response.status)
        return web.Response(status=200)


async def _activity(request: web.Request) -> tuple[Activity | None, str]:
    """The posted activity, checked (:class:`Inbound`) and read by the SDK; or ``None`` and why not."""
    try:
        body: Any = json.loads(await request.text())
    except (ValueError, RecursionError):
        return None, "the body is not JSON"
    if not isinstance(body, dict):
        return None, f"the body is a JSON {type(body).__name__}, not an object"
    try:
        inbound = Inbound.model_validate(body)
    except ValidationError as exc:
        return None, problem(exc)
    try:
        activity = Activity().deserialize(inbound.activity_json())
    except (ValueError, TypeError, DeserializationError) as exc:
        return None, f"the SDK could not read it ({type(exc).__name__})"
    return activity, ""


def _loopback(activity: Activity) -> bool:
    return is_loopback(str(activity.service_url or ""))


def mount_teams(web_app: web.Application, app: App) -> None:
    """Add ``POST /api/messages`` to the server (say loudly when it runs without authentication)."""
    announce(app.settings)
    adapter = make_adapter(app.settings)
    adapter.on_turn_error = on_turn_error
    anonymous = not app.settings.microsoft_app_id
    bot = TeamsBot(app.core, ConversationReferences(app.core.uow), TeamsPeople(), allow_emulator=anonymous)
    web_app.router.add_post(MESSAGES_PATH, MessagesEndpoint(adapter, bot, anonymous=anonymous).handle)

"""Proactive Teams messages: ``send(ref, reply)`` posts a card into a conversation, for the outbox.

The conversation's stored reference (see :mod:`adapters.teams.references`) tells the Bot Framework
where to post; ``CloudAdapter.continue_conversation`` opens a turn on it. Failures become
:class:`~bot.sending.DeliveryError`: permanent when no reference is stored ("add the app to that chat
first"), when the bot was removed or blocked (403) or the conversation is gone (404); ``retry_after``
when the Bot Framework says to slow down (429 with ``Retry-After``); retryable otherwise.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import ConversationReference
from msrest.exceptions import HttpOperationError

from adapters.teams.auth import make_adapter
from adapters.teams.messages import card_activity
from adapters.teams.references import load
from bot.replies import Reply
from bot.requests import ConversationRef
from bot.sending import DeliveryError
from bot.settings import Settings
from bot.unit_of_work import UnitOfWork

log = logging.getLogger("actionbot.teams")

DEFAULT_RETRY_AFTER = 30.0  # seconds, when a 429 comes without a usable Retry-After


class TeamsSender:
    """Posts replies into Teams conversations the app has been added to."""

    platform = "teams"

    def __init__(self, adapter: CloudAdapter, uow: UnitOfWork, app_id: str | None) -> None:
        self.adapter = adapter
        self.uow = uow
        self.app_id = app_id

    @classmethod
    def from_settings(cls, settings: Settings, uow: UnitOfWork) -> TeamsSender:
        return cls(make_adapter(settings), uow, settings.microsoft_app_id)

    async def send(self, ref: ConversationRef, reply: Reply) -> str | None:
        """Post ``reply`` to the Teams conversation ``ref.key``; return the new message's id."""
        stored = await asyncio.to_thread(load, self.uow, ref.key)
        if stored is None:
            raise DeliveryError(
                f"No Teams conversation reference is stored for {ref.key}: add the app to that chat first "
                "(install actionbot in the team or chat, or message it once), then try again.",
                permanent=True,
            )
        reference = ConversationReference().deserialize(stored)
        if not reference.service_url or not reference.conversation or not reference.conversation.id:
            raise DeliveryError(
                f"The stored Teams reference for {ref.key} is incomplete: add the app to that chat again.",
                permanent=True,
            )
        sent: list[str | None] = []

        async def post(turn_context: TurnContext) -> None:
            # The SDK's continuation activity has a made-up id, which TurnContext.send_activity would
            # turn into a reply to a message that does not exist; post a new message instead (2025-06).
            activity = TurnContext.apply_conversation_reference(card_activity(reply), reference)
            responses = await turn_context.adapter.send_activities(turn_context, [activity])
            sent.append(responses[0].id if responses and responses[0] else None)

        try:
            await self.adapter.continue_conversation(reference, post, bot_app_id=self.app_id)
        except HttpOperationError as exc:
            raise delivery_error(exc, ref.key) from None
        except PermissionError as exc:  # msal could not get a token for the app: a configuration problem
            raise DeliveryError(f"Teams refused our credentials: {exc}") from None
        except OSError as exc:  # requests' connection errors
            raise DeliveryError(f"Teams could not be reached ({type(exc).__name__}); will retry") from None
        return sent[0] if sent else None


def delivery_error(exc: HttpOperationError, key: str) -> DeliveryError:
    """The Bot Framework connector's HTTP error as a DeliveryError saying whether to retry, and when."""
    response: Any = exc.response
    status = int(getattr(response, "status_code", 0) or 0)
    code = _error_code(exc)
    detail = f"Teams answered {status}" + (f" {code}" if code else "") + f" for conversation {key}"
    if status == 429:
        return DeliveryError(f"{detail}: too many messages", retry_after=retry_after(_header(response, "Retry-After")))
    if status == 403:
        return DeliveryError(f"{detail}: the app was removed from that chat or blocked by the user", permanent=True)
    if status == 404:
        return DeliveryError(f"{detail}: that conversation no longer exists", permanent=True)
    if status in (400, 413):
        return DeliveryError(f"{detail}: Teams would not take this message", permanent=True)
    return DeliveryError(detail)


def retry_after(value: str | None, *, now: datetime | None = None) -> float:
    """Seconds to wait from a ``Retry-After`` header (seconds, or an HTTP date)."""
    if value:
        text = value.strip()
        if text.replace(".", "", 1).isdigit():
            return max(0.0, float(text))
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return DEFAULT_RETRY_AFTER
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
    return DEFAULT_RETRY_AFTER


def _header(response: Any, name: str) -> str | None:
    headers = getattr(response, "headers", None) or {}
    value = headers.get(name) if hasattr(headers, "get") else None
    return str(value) if value is not None else None


def _error_code(exc: HttpOperationError) -> str | None:
    """The Bot Framework's error code (``BotNotInConversationRoster``…) from the response body, if any."""
    error = getattr(exc, "error", None)
    inner = getattr(error, "error", None)
    code = getattr(inner, "code", None)
    return str(code) if code else None

"""Proactive Teams messages: ``send(ref, reply)`` posts a card into a conversation, for the outbox.

``ref.key`` is a conversation id (a channel, a group chat, a 1:1 chat), whose stored reference (see
:mod:`adapters.teams.references`) tells the Bot Framework where to post; ``CloudAdapter.continue_conversation``
opens a turn on it. Or it is ``user:<AAD object id>``, a person (:mod:`bot.notices.routes`): the message
goes to their 1:1 chat with the bot, the stored one (kept when they messaged the bot, or created before),
or one created now with ``CloudAdapter.create_conversation``, through the service URL and tenant of any
stored reference, and then stored under ``user:<id>`` for next time. With no reference stored at all, the
bot cannot reach anyone on Teams yet: a permanent failure saying to install the app first.

Failures become :class:`~bot.sending.DeliveryError` through :func:`bot.sending.classify`: permanent when no
reference is stored ("add the app to that chat first"), when the bot was removed or blocked (403) or the
conversation is gone (404); ``retry_after`` when the Bot Framework says to slow down (429 with
``Retry-After``; a 429 while creating a chat pauses the whole tenant); retryable otherwise.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import ChannelAccount, ConversationParameters, ConversationReference
from msrest.exceptions import HttpOperationError

from adapters.teams.activities import PLATFORM
from adapters.teams.auth import make_adapter
from adapters.teams.messages import card_activity
from adapters.teams.references import load
from bot.replies import Reply
from bot.requests import ConversationRef
from bot.sending import DEFAULT_RETRY_AFTER, DeliveryError, classify, retry_after
from bot.settings import Settings
from bot.unit_of_work import UnitOfWork
from store import conversations

log = logging.getLogger("actionbot.teams")

__all__ = ["DEFAULT_RETRY_AFTER", "TeamsSender", "delivery_error", "retry_after"]

PERSON_PREFIX = "user:"
# What each permanent HTTP status means for a Teams conversation.
REASONS = {
    400: "Teams would not take this message",
    403: "the app was removed from that chat or blocked by the user",
    404: "that conversation no longer exists",
    410: "that conversation no longer exists",
    413: "Teams would not take this message",
}


class TeamsSender:
    """Posts replies into Teams conversations the app has been added to, and to people's 1:1 chats."""

    platform = "teams"

    def __init__(self, adapter: CloudAdapter, uow: UnitOfWork, app_id: str | None) -> None:
        self.adapter = adapter
        self.uow = uow
        self.app_id = app_id

    @classmethod
    def from_settings(cls, settings: Settings, uow: UnitOfWork) -> TeamsSender:
        return cls(make_adapter(settings), uow, settings.microsoft_app_id)

    async def send(self, ref: ConversationRef, reply: Reply) -> str | None:
        """Post ``reply`` to the Teams conversation (or person) ``ref.key``; return the new message's id."""
        if ref.key.startswith(PERSON_PREFIX):
            return await self._send_to_person(ref.key.removeprefix(PERSON_PREFIX), reply)
        stored = await asyncio.to_thread(load, self.uow, ref.key)
        if stored is None:
            raise DeliveryError(
                f"No Teams conversation reference is stored for {ref.key}: add the app to that chat first "
                "(install actionbot in the team or chat, or message it once), then try again.",
                permanent=True,
            )
        return await self._post(_reference(stored, ref.key), reply, ref.key)

    async def _post(self, reference: ConversationReference, reply: Reply, key: str) -> str | None:
        sent: list[str | None] = []

        async def post(turn_context: TurnContext) -> None:
            # The SDK's continuation activity has a made-up id, which TurnContext.send_activity would
            # turn into a reply to a message that does not exist; post a new message instead (2025-06).
            activity = TurnContext.apply_conversation_reference(card_activity(reply), reference)
            responses = await turn_context.adapter.send_activities(turn_context, [activity])
            sent.append(responses[0].id if responses and responses[0] else None)

        await self._call(self.adapter.continue_conversation(reference, post, bot_app_id=self.app_id), key)
        return sent[0] if sent else None

    async def _send_to_person(self, user: str, reply: Reply) -> str | None:
        """Post into the person's 1:1 chat with the bot, creating it when none is stored."""
        key = PERSON_PREFIX + user
        stored = await asyncio.to_thread(
            self.uow.run, lambda work: conversations.personal(work, PLATFORM, user), writes=False
        )
        if stored is not None:
            return await self._post(_reference(stored, key), reply, key)
        template = await asyncio.to_thread(
            self.uow.run, lambda work: conversations.newest(work, PLATFORM), writes=False
        )
        if template is None:
            raise DeliveryError(
                f"no conversation reference for {key}: the bot has no Teams chat to start from; install actionbot "
                "in a team or chat of this tenant (or have the person message it once), then try again",
                permanent=True,
            )
        reference = await self._create_chat(user, _reference(template, key), key)
        await asyncio.to_thread(
            self.uow.run, lambda work: conversations.save(work, PLATFORM, key, None, reference.serialize())
        )
        return await self._post(reference, reply, key)

    async def _create_chat(self, user: str, template: ConversationReference, key: str) -> ConversationReference:
        """Ask the Bot Framework for a 1:1 chat between the bot and the person (their AAD object id)."""
        tenant = template.conversation.tenant_id if template.conversation else None
        parameters = ConversationParameters(
            is_group=False,
            bot=template.bot,
            members=[ChannelAccount(id=user, aad_object_id=user)],
            tenant_id=tenant,
            channel_data={"tenant": {"id": tenant}} if tenant else None,
        )
        created: list[ConversationReference] = []

        async def keep(turn_context: TurnContext) -> None:
            reference = TurnContext.get_conversation_reference(turn_context.activity)
            reference.activity_id = None
            reference.user = ChannelAccount(id=user, aad_object_id=user)
            reference.conversation.conversation_type = "personal"
            reference.conversation.tenant_id = tenant
            created.append(reference)

        create = self.adapter.create_conversation(
            self.app_id, keep, parameters, template.channel_id or "msteams", template.service_url
        )
        await self._call(create, key, scope="platform")
        if not created:
            raise DeliveryError(f"Teams created no chat for {key}")
        log.info("Teams: started a 1:1 chat with %s", key)
        return created[0]

    async def _call(self, call: Any, key: str, *, scope: str = "target") -> None:
        """Await a Bot Framework call, turning its failures into :class:`DeliveryError`."""
        try:
            await call
        except HttpOperationError as exc:
            raise delivery_error(exc, key, scope=scope) from None
        except PermissionError as exc:  # msal could not get a token for the app: a configuration problem
            raise DeliveryError(f"Teams refused our credentials: {exc}") from None
        except OSError as exc:  # requests' connection errors
            raise DeliveryError(f"Teams could not be reached ({type(exc).__name__}); will retry") from None


def _reference(stored: dict[str, Any], key: str) -> ConversationReference:
    reference = ConversationReference().deserialize(stored)
    if not reference.service_url or not reference.conversation or not reference.conversation.id:
        raise DeliveryError(
            f"The stored Teams reference for {key} is incomplete: add the app to that chat again.", permanent=True
        )
    return reference


def delivery_error(exc: HttpOperationError, key: str, *, scope: str = "target") -> DeliveryError:
    """The Bot Framework connector's HTTP error as a DeliveryError saying whether to retry, and when."""
    response: Any = exc.response
    status = int(getattr(response, "status_code", 0) or 0)
    code = _error_code(exc)
    detail = f"Teams answered {status}" + (f" {code}" if code else "") + f" for conversation {key}"
    headers = getattr(response, "headers", None)
    return classify(detail, status=status, error=code, headers=headers, reasons=REASONS, scope=scope)


def _error_code(exc: HttpOperationError) -> str | None:
    """The Bot Framework's error code (``BotNotInConversationRoster``…) from the response body, if any."""
    error = getattr(exc, "error", None)
    inner = getattr(error, "error", None)
    code = getattr(inner, "code", None)
    return str(code) if code else None


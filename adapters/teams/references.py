"""Teams conversation references, kept in the store's ``conversation`` table so they survive restarts.

A reference is what the Bot Framework needs to post into a conversation on the bot's own initiative
(service URL, conversation, bot, tenant); this module turns an activity into the reference to keep, and
:mod:`store.conversations` writes and reads the rows, through the unit of work. It is saved when the app
is installed in a team or chat (``conversationUpdate``, ``installationUpdate``) and refreshed from every
message, since Teams may move a conversation to another service URL. It is stored without the triggering
message's id (a proactive post is a new message, not a reply) and, outside 1:1 chats, without the user who
happened to speak.

The database is synchronous: every call from the event loop goes through ``asyncio.to_thread``.
Writes are skipped when the reference is the one this process last saved.
"""

from __future__ import annotations

import asyncio
import json
from copy import copy
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ConversationReference

from adapters.teams.activities import PERSONAL, PLATFORM, conversation_key, conversation_name, conversation_type
from bot.unit_of_work import UnitOfWork
from store import conversations

_MEMORY_LIMIT = 10_000


def reference_of(activity: Activity) -> dict[str, Any]:
    """The JSON reference to keep for an activity's conversation."""
    reference: ConversationReference = TurnContext.get_conversation_reference(activity)
    reference.activity_id = None
    conversation = copy(reference.conversation)
    conversation.id = conversation_key(activity)
    # botbuilder-schema 4.17 reads the tenant from "tenantID", Teams sends "tenantId" (and channelData.tenant.id):
    # keep it with the reference all the same, so the stored row says which tenant the chat is in (2025-06).
    conversation.tenant_id = conversation.tenant_id or tenant_of(activity)
    reference.conversation = conversation
    if conversation_type(activity) != PERSONAL:
        reference.user = None
    serialised: dict[str, Any] = reference.serialize()
    return serialised


def tenant_of(activity: Activity) -> str | None:
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = (data.get("tenant") or {}).get("id")
    return str(tenant) if tenant else None


def save(uow: UnitOfWork, key: str, name: str | None, reference: dict[str, Any]) -> None:
    """Insert or replace the reference of one Teams conversation."""
    uow.run(lambda work: conversations.save(work, PLATFORM, key, name, reference))


def load(uow: UnitOfWork, key: str) -> dict[str, Any] | None:
    """The stored reference of a Teams conversation, or ``None`` when the app was never there."""
    return uow.run(lambda work: conversations.load(work, PLATFORM, key), writes=False)


def forget(uow: UnitOfWork, key: str) -> None:
    """Drop a conversation's reference (the app was removed from it)."""
    uow.run(lambda work: conversations.forget(work, PLATFORM, key))


class ConversationReferences:
    """Saves each conversation's reference when it is new or has changed; loads and forgets them."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self._saved: dict[str, str] = {}

    async def remember(self, activity: Activity) -> None:
        key = conversation_key(activity)
        reference = reference_of(activity)
        fingerprint = json.dumps(reference, sort_keys=True)
        if self._saved.get(key) == fingerprint:
            return
        await asyncio.to_thread(save, self.uow, key, conversation_name(activity), reference)
        if len(self._saved) >= _MEMORY_LIMIT:
            self._saved.clear()
        self._saved[key] = fingerprint

    async def forget(self, activity: Activity) -> None:
        key = conversation_key(activity)
        self._saved.pop(key, None)
        await asyncio.to_thread(forget, self.uow, key)

    async def load(self, key: str) -> dict[str, Any] | None:
        return await asyncio.to_thread(load, self.uow, key)

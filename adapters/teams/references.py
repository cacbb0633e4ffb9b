"""Teams conversation references, kept in the store's ``conversation`` table so they survive restarts.

A reference is what the Bot Framework needs to post into a conversation on the bot's own initiative
(service URL, conversation, bot, tenant). It is saved when the app is installed in a team or chat
(``conversationUpdate``, ``installationUpdate``) and refreshed from every message, since Teams may move
a conversation to another service URL. It is stored without the triggering message's id (a proactive
post is a new message, not a reply) and, outside 1:1 chats, without the user who happened to speak.

The database is synchronous: every call from the event loop goes through ``asyncio.to_thread``.
Writes are skipped when the reference is the one this process last saved.
"""

from __future__ import annotations

import asyncio
import json
from copy import copy
from datetime import UTC, datetime
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ConversationReference
from sqlalchemy import Engine
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import select

from adapters.teams.activities import PERSONAL, PLATFORM, conversation_key, conversation_name, conversation_type
from store.models import Conversation
from store.session import transaction

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


def save(engine: Engine, key: str, name: str | None, reference: dict[str, Any]) -> None:
    """Insert or replace the reference of one Teams conversation (an upsert, safe under concurrency)."""
    now = datetime.now(UTC)
    values = {"platform": PLATFORM, "key": key, "name": name, "reference": reference, "updated_at": now}
    with transaction(engine) as session:
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(Conversation).values(**values)
        changes = {"reference": statement.excluded.reference, "updated_at": statement.excluded.updated_at}
        if name:
            changes["name"] = statement.excluded.name
        session.execute(statement.on_conflict_do_update(index_elements=["platform", "key"], set_=changes))


def load(engine: Engine, key: str) -> dict[str, Any] | None:
    """The stored reference of a Teams conversation, or ``None`` when the app was never there."""
    with transaction(engine, write=False) as session:
        query = select(Conversation).where(Conversation.platform == PLATFORM, Conversation.key == key)
        row = session.exec(query).first()
        return row.reference if row is not None else None


def forget(engine: Engine, key: str) -> None:
    """Drop a conversation's reference (the app was removed from it)."""
    with transaction(engine) as session:
        query = select(Conversation).where(Conversation.platform == PLATFORM, Conversation.key == key)
        row = session.exec(query).first()
        if row is not None:
            row.reference = None
            row.updated_at = datetime.now(UTC)
            session.add(row)


class ConversationReferences:
    """Saves each conversation's reference when it is new or has changed; loads and forgets them."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._saved: dict[str, str] = {}

    async def remember(self, activity: Activity) -> None:
        key = conversation_key(activity)
        reference = reference_of(activity)
        fingerprint = json.dumps(reference, sort_keys=True)
        if self._saved.get(key) == fingerprint:
            return
        await asyncio.to_thread(save, self.engine, key, conversation_name(activity), reference)
        if len(self._saved) >= _MEMORY_LIMIT:
            self._saved.clear()
        self._saved[key] = fingerprint

    async def forget(self, activity: Activity) -> None:
        key = conversation_key(activity)
        self._saved.pop(key, None)
        await asyncio.to_thread(forget, self.engine, key)

    async def load(self, key: str) -> dict[str, Any] | None:
        return await asyncio.to_thread(load, self.engine, key)

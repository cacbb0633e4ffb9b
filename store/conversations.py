"""Conversations the bot can post into on its own, and what each platform needs to do so.

For Teams, ``reference`` is the serialised Bot Framework conversation reference (service URL,
conversation, bot, tenant) that a proactive message needs; it is kept in the ``conversation`` table so
that it survives restarts. Every function takes a unit of work's context (its session and "now").
"""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from store.db import upsert_insert
from store.models import Conversation
from store.outbox import Work


def save(work: Work, platform: str, key: str, name: str | None, reference: dict[str, Any]) -> None:
    """Insert or replace the reference of one conversation (an upsert, safe under concurrency)."""
    values = {"platform": platform, "key": key, "name": name, "reference": reference, "updated_at": work.now}
    dialect = work.session.get_bind().dialect.name
    insert = upsert_insert(dialect)
    statement = insert(Conversation).values(**values)
    changes = {"reference": statement.excluded.reference, "updated_at": statement.excluded.updated_at}
    if name:
        changes["name"] = statement.excluded.name
    work.session.execute(statement.on_conflict_do_update(index_elements=["platform", "key"], set_=changes))


def load(work: Work, platform: str, key: str) -> dict[str, Any] | None:
    """The stored reference of a conversation, or ``None`` when the bot was never there (or was removed)."""
    row = _find(work, platform, key)
    return row.reference if row is not None else None


def forget(work: Work, platform: str, key: str) -> None:
    """Drop a conversation's reference (the app was removed from it); its row and name stay."""
    row = _find(work, platform, key)
    if row is not None:
        row.reference = None
        row.updated_at = work.now
        work.session.add(row)


def personal(work: Work, platform: str, user: str) -> dict[str, Any] | None:
    """The reference of a person's 1:1 chat with the bot, by their id on the platform (Teams: the AAD object
    id): the one the bot created (kept under ``user:<id>``), else the newest personal chat whose reference
    names them (stored when they messaged the bot)."""
    created = load(work, platform, f"user:{user}")
    if created:
        return created
    reference = col(Conversation.reference)
    query = (
        select(Conversation)
        .where(
            Conversation.platform == platform,
            reference[("user", "aadObjectId")].as_string() == user,
            reference[("conversation", "conversationType")].as_string() == "personal",
        )
        .order_by(col(Conversation.updated_at).desc())
        .limit(1)
    )
    row = work.session.exec(query).first()
    return row.reference if row is not None else None


def newest(work: Work, platform: str, *, scan: int = 20) -> dict[str, Any] | None:
    """The most recently stored reference that has a service URL (where to ask the platform for a new chat)."""
    query = (
        select(Conversation)
        .where(Conversation.platform == platform)
        .order_by(col(Conversation.updated_at).desc())
        .limit(scan)
    )
    for row in work.session.exec(query):
        if row.reference and row.reference.get("serviceUrl"):
            return row.reference
    return None


def _find(work: Work, platform: str, key: str) -> Conversation | None:
    query = select(Conversation).where(Conversation.platform == platform, Conversation.key == key)
    return work.session.exec(query).first()

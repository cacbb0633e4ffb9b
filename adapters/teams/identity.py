"""Who is asking, on Teams: the AAD object id, and the email the Teams member lookup gives for it.

A Teams user is a person in the plan when a person is linked to their AAD object id. When nobody
is, the bot asks Teams for the member's email (``GET /v3/conversations/{id}/members/{userId}``, via
``TeamsInfo``) and hands it to the core, which links the person with that email on first sight.
Lookups are cached for a while, so an unlinked user's messages do not each cost a round trip. The
same lookup turns a mentioned user's Teams id into their AAD object id when the mention lacks it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo

from adapters.teams.activities import actor_of
from bot.core import Core
from bot.requests import Actor

log = logging.getLogger("actionbot.teams")

CACHE_SECONDS = 15 * 60
MISS_CACHE_SECONDS = 60  # a failed lookup is retried sooner: it may have been a passing outage
CACHE_LIMIT = 5_000


@dataclass(frozen=True)
class Member:
    """What Teams says about a member of a conversation."""

    aad_object_id: str | None
    email: str | None


class MemberDirectory:
    """Teams member lookups, cached by Teams user id (:data:`CACHE_SECONDS`; failures :data:`MISS_CACHE_SECONDS`)."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[float, Member | None]] = {}

    async def member(self, context: TurnContext, user_id: str) -> Member | None:
        """The member with this Teams id in the turn's conversation, or ``None`` if Teams cannot say."""
        now = time.monotonic()
        cached = self._cache.get(user_id)
        if cached is not None and now < cached[0]:
            return cached[1]
        member = await self._look_up(context, user_id)
        if len(self._cache) >= CACHE_LIMIT:
            self._cache.clear()
        self._cache[user_id] = (now + (CACHE_SECONDS if member else MISS_CACHE_SECONDS), member)
        return member

    @staticmethod
    async def _look_up(context: TurnContext, user_id: str) -> Member | None:
        try:
            account = await TeamsInfo.get_member(context, user_id)
        except Exception as exc:  # the connector's errors, network errors: the user is simply not found
            log.info("Teams member lookup failed for %s: %s", user_id, type(exc).__name__)
            return None
        email = account.email or (account.user_principal_name if "@" in (account.user_principal_name or "") else None)
        return Member(aad_object_id=account.aad_object_id, email=email)


class TeamsPeople:
    """Turns the sender of an activity into an :class:`Actor` the core can identify."""

    def __init__(self, core: Core, directory: MemberDirectory | None = None) -> None:
        self.core = core
        self.directory = directory or MemberDirectory()

    async def actor(self, context: TurnContext) -> Actor:
        """The sender, with their email from Teams when no person is linked to them yet."""
        actor = actor_of(context.activity)
        if await asyncio.to_thread(self.core.identify, actor) is not None:
            return actor
        member = await self.directory.member(context, context.activity.from_property.id)
        if member is None or not member.email:
            return actor
        return actor_of(context.activity, email=member.email)

    async def aad_ids(self, context: TurnContext, user_ids: list[str]) -> dict[str, str]:
        """AAD object ids of the Teams users given, for those Teams could name."""
        found = {}
        for user_id in user_ids:
            member = await self.directory.member(context, user_id)
            if member is not None and member.aad_object_id:
                found[user_id] = member.aad_object_id
        return found

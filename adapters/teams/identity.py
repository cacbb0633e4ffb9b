"""Who is asking, on Teams: the AAD object id, and the email the Teams member lookup gives for it.

The policy (the core's one lookup per request, profiles remembered for a while) is the same on every
surface and lives in :mod:`adapters.identity`. This module only knows how Teams describes a member:
``GET /v3/conversations/{id}/members/{userId}`` (via ``TeamsInfo``) gives their email, for the core to
link a person by on first sight, and their AAD object id, for a mention that lacks it. Member lookups
for mentions are remembered by the same policy (:data:`~adapters.identity.PROFILE_SECONDS`, failures
:data:`~adapters.identity.MISS_SECONDS`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo

from adapters.identity import MISS_SECONDS, PROFILE_SECONDS, Identities, Profile, TtlCache
from adapters.teams.activities import actor_of
from bot.replies import Reply
from bot.requests import Actor

log = logging.getLogger("actionbot.teams")


@dataclass(frozen=True)
class Member:
    """What Teams says about a member of a conversation."""

    aad_object_id: str | None
    email: str | None


class MemberDirectory:
    """Teams member lookups, remembered by Teams user id under the shared policy."""

    def __init__(self) -> None:
        self._cache: TtlCache[Member | None] = TtlCache()

    async def member(self, context: TurnContext, user_id: str) -> Member | None:
        """The member with this Teams id in the turn's conversation, or ``None`` if Teams cannot say."""
        cached = self._cache.get(user_id)
        if cached is not None:
            return cached[0]
        member = await look_up(context, user_id)
        self._cache.put(user_id, member, PROFILE_SECONDS if member else MISS_SECONDS)
        return member


async def look_up(context: TurnContext, user_id: str) -> Member | None:
    """Ask Teams for the member (never remembered here); ``None`` when Teams cannot say."""
    try:
        account = await TeamsInfo.get_member(context, user_id)
    except Exception as exc:  # the connector's errors, network errors: the user is simply not found
        log.info("Teams member lookup failed for %s: %s", user_id, type(exc).__name__)
        return None
    email = account.email or (account.user_principal_name if "@" in (account.user_principal_name or "") else None)
    return Member(aad_object_id=account.aad_object_id, email=email)


class TeamsPeople:
    """Runs the sender's request through :class:`~adapters.identity.Identities`; resolves mentioned users."""

    def __init__(self, directory: MemberDirectory | None = None, identities: Identities | None = None) -> None:
        self.directory = directory or MemberDirectory()
        self.identities = identities or Identities()

    async def serve(self, context: TurnContext, answer: Callable[[Actor], Reply]) -> tuple[Actor, Reply]:
        """The core's ``answer`` for the sender of the turn's activity, and the actor it was given."""
        sender_id = context.activity.from_property.id

        async def profile() -> Profile | None:
            member = await look_up(context, sender_id)
            return Profile(email=member.email) if member is not None else None

        return await self.identities.serve(actor_of(context.activity), answer, profile)

    async def aad_ids(self, context: TurnContext, user_ids: list[str]) -> dict[str, str]:
        """AAD object ids of the Teams users given, for those Teams could name."""
        found = {}
        for user_id in user_ids:
            member = await self.directory.member(context, user_id)
            if member is not None and member.aad_object_id:
                found[user_id] = member.aad_object_id
        return found

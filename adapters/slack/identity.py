"""Who is asking: a Slack user id as the core's :class:`~bot.requests.Actor`.

A user already linked to a person (``actionbot people link`` or ``/actions link``) is known by
id. Anyone else is looked up with ``users.info`` (scope ``users:read.email``) so the core can link
them by their email the first time it matches a person. Both answers are remembered for a few
minutes so a busy user costs no extra database read or Web API call on every press.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.app import api_error
from bot.core import Core
from bot.requests import Actor

log = logging.getLogger("actionbot.slack")

USER_ID = re.compile(r"^[UW][A-Z0-9]{2,40}$")
DEFAULT_TTL_SECONDS = 300.0
MAX_REMEMBERED = 10_000


@dataclass(frozen=True)
class _Profile:
    email: str | None
    name: str | None


V = TypeVar("V")


class _TtlCache(Generic[V]):
    """A bounded map whose entries expire ``ttl`` seconds after they were stored."""

    def __init__(self, ttl: float, clock: Callable[[], float], size: int = MAX_REMEMBERED) -> None:
        self.ttl, self.clock, self.size = ttl, clock, size
        self._entries: OrderedDict[str, tuple[float, V]] = OrderedDict()

    def get(self, key: str) -> V | None:
        entry = self._entries.get(key)
        if entry is None or entry[0] <= self.clock():
            self._entries.pop(key, None)
            return None
        return entry[1]

    def put(self, key: str, value: V) -> None:
        self._entries[key] = (self.clock() + self.ttl, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)


class SlackIdentity:
    """Turns Slack user ids into actors, asking ``users.info`` only for users not linked yet."""

    def __init__(
        self,
        core: Core,
        client: AsyncWebClient,
        *,
        ttl: float = DEFAULT_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.core = core
        self.client = client
        self._linked: _TtlCache[bool] = _TtlCache(ttl, clock)
        self._profiles: _TtlCache[_Profile] = _TtlCache(ttl, clock)

    async def actor(self, user_id: str) -> Actor:
        """The actor for ``user_id``, with the email Slack has for them when they are not linked yet."""
        bare = Actor(platform="slack", user_id=user_id)
        if self._linked.get(user_id) or not USER_ID.match(user_id):
            return bare
        known = await asyncio.to_thread(self.core.identify, bare)  # DatabaseUnavailable: the caller says so
        if known is not None:
            self._linked.put(user_id, True)
            return bare
        profile = await self._profile(user_id)
        return Actor(platform="slack", user_id=user_id, email=profile.email, display_name=profile.name)

    async def _profile(self, user_id: str) -> _Profile:
        cached = self._profiles.get(user_id)
        if cached is not None:
            return cached
        try:
            response = await self.client.users_info(user=user_id)
        except SlackApiError as exc:
            log.warning("users.info failed for %s: %s", user_id, api_error(exc))
            return _Profile(None, None)
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            log.warning("users.info failed for %s: %s", user_id, type(exc).__name__)
            return _Profile(None, None)
        user = response.get("user") or {}
        profile_data = user.get("profile") or {}
        email = None if user.get("deleted") or user.get("is_bot") else profile_data.get("email")
        profile = _Profile(email=email or None, name=profile_data.get("real_name") or user.get("name"))
        self._profiles.put(user_id, profile)
        return profile

"""Who is asking, on Slack: the user id, and ``users.info`` for a user nobody in the plan is linked to.

The policy (the core's one lookup per request, profiles remembered for a while) is the same on every
surface and lives in :mod:`adapters.identity`; this module only knows how Slack describes a user:
``users.info`` (scope ``users:read.email``) gives the email the core may link them by. A deleted
account or a bot gives no email.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.identity import MISS_SECONDS, PROFILE_SECONDS, Identities, Profile
from adapters.slack.app import api_error
from bot.replies import Reply
from bot.requests import Actor

log = logging.getLogger("actionbot.slack")

PLATFORM = "slack"
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,40}$")


class SlackIdentity:
    """Runs a Slack user's request through :class:`~adapters.identity.Identities`, asking ``users.info`` when needed."""

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        ttl: float = PROFILE_SECONDS,
        miss_ttl: float = MISS_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.identities = Identities(clock=clock, ttl=ttl, miss_ttl=miss_ttl)

    async def serve(self, user_id: str, answer: Callable[[Actor], Reply]) -> tuple[Actor, Reply]:
        """The core's ``answer`` for the Slack user ``user_id``, and the actor it was given."""
        bare = Actor(platform=PLATFORM, user_id=user_id)
        look_up = (lambda: self.profile(user_id)) if USER_ID.match(user_id) else None
        return await self.identities.serve(bare, answer, look_up)

    async def profile(self, user_id: str) -> Profile | None:
        """What ``users.info`` says about the user; ``None`` when Slack cannot say."""
        try:
            response = await self.client.users_info(user=user_id)
        except SlackApiError as exc:
            log.warning("users.info failed for %s: %s", user_id, api_error(exc))
            return None
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            log.warning("users.info failed for %s: %s", user_id, type(exc).__name__)
            return None
        user = response.get("user") or {}
        profile_data = user.get("profile") or {}
        email = None if user.get("deleted") or user.get("is_bot") else profile_data.get("email")
        return Profile(email=email or None, name=profile_data.get("real_name") or user.get("name"))

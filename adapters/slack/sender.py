"""The Slack sender: posts a neutral reply to a channel, or to a user's DM with the bot.

It is the outbox's sender for Slack (see :mod:`bot.sending`): ``send(ref, reply)``, where ``ref.key``
is a channel id (``C…``, ``G…``, ``D…``) or a user id (``U…``/``W…``, whose DM is opened with
``conversations.open``). Failures become :class:`~bot.sending.DeliveryError`: ``retry_after`` on a 429
(the outbox waits, rather than this sender sleeping), ``permanent`` when retrying cannot help (the
channel is gone, the bot is not in it, the user is deactivated, the token was revoked).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.app import api_error
from adapters.slack.blocks import render
from bot.replies import Reply
from bot.requests import ConversationRef
from bot.sending import DeliveryError

log = logging.getLogger("actionbot.slack")

# Errors after which the same message to the same place will never go (Slack's lists, Jan 2025).
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "account_inactive",
        "user_not_found",
        "user_disabled",
        "cannot_dm_bot",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "no_permission",
        "missing_scope",
        "restricted_action",
        "restricted_action_read_only_channel",
        "restricted_action_thread_only_channel",
        "restricted_action_non_threadable_channel",
        "team_access_not_granted",
        "ekm_access_denied",
        "invalid_blocks",
        "invalid_blocks_format",
        "msg_too_long",
        "too_many_attachments",
        "method_not_supported_for_channel_type",
    }
)
DEFAULT_RETRY_AFTER = 30.0


class SlackSender:
    """Delivers outbox messages to Slack with ``chat.postMessage``."""

    platform = "slack"

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self._dm_channels: dict[str, str] = {}

    async def send(self, ref: ConversationRef, reply: Reply) -> str | None:
        """Post ``reply``; return ``"<channel>:<ts>"``, the message's id on Slack."""
        message = render(reply)
        try:
            channel = await self._channel(ref.key)
            response = await self.client.chat_postMessage(
                channel=channel, text=message.text, blocks=message.blocks, unfurl_links=False, unfurl_media=False
            )
        except SlackApiError as exc:
            raise delivery_error(exc, ref) from None
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise DeliveryError(f"Slack could not be reached: {type(exc).__name__}") from None
        return f"{response.get('channel', channel)}:{response.get('ts')}"

    async def _channel(self, key: str) -> str:
        """Channel ids as they are; a user id becomes the bot's DM channel with that user."""
        if key[:1] not in ("U", "W"):
            return key
        if key not in self._dm_channels:
            response = await self.client.conversations_open(users=key)
            self._dm_channels[key] = str((response.get("channel") or {}).get("id") or key)
        return self._dm_channels[key]


def delivery_error(exc: SlackApiError, ref: ConversationRef) -> DeliveryError:
    """What Slack's refusal means for the outbox: wait, give up, or try again later."""
    error = api_error(exc)
    where = f"slack {ref.key}"
    if exc.response.status_code == 429 or error == "ratelimited":
        retry_after = _retry_after(exc.response.headers)
        return DeliveryError(f"{where}: rate limited, retry in {retry_after:g}s", retry_after=retry_after)
    if error in PERMANENT_ERRORS:
        log.warning("Slack refused a message to %s for good: %s", ref.key, error)
        return DeliveryError(f"{where}: {error}", permanent=True)
    return DeliveryError(f"{where}: {error}")


def _retry_after(headers: Mapping[str, Any] | None) -> float:
    """Slack's ``Retry-After`` (seconds), whatever the case of the header's name."""
    for name, value in (headers or {}).items():
        if name.lower() == "retry-after":
            try:
                return max(float(value[0] if isinstance(value, list) else value), 1.0)
            except (TypeError, ValueError):
                break
    return DEFAULT_RETRY_AFTER

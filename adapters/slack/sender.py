"""The Slack sender: posts a neutral reply to a channel, or to a user's DM with the bot.

It is the outbox's sender for Slack (see :mod:`bot.sending`): ``send(ref, reply)``, where ``ref.key``
is a channel id (``C…``, ``G…``, ``D…``) or a user id (``U…``/``W…``). A user id is posted to as it is:
``chat.postMessage`` with a user id as the channel delivers to the bot's DM with that user (its app
Messages tab). One call per message, rather than ``conversations.open`` first: ``conversations.open`` is a
Tier 3 method (about 50 calls a minute per workspace), so a morning of nudges to a few hundred people would
spend minutes opening DMs, and a cache of DM channel ids would not survive a restart anyway.

Failures become :class:`~bot.sending.DeliveryError` through :func:`bot.sending.classify`: ``retry_after``
on a 429 (the outbox waits, rather than this sender sleeping), ``permanent`` when retrying cannot help
(:data:`PERMANENT_ERRORS`: the channel is gone, the bot is not in it, the user is deactivated, the token
was revoked), retryable otherwise (5xx, timeouts, Slack unreachable).
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.app import api_error
from adapters.slack.blocks import render
from bot.replies import Reply
from bot.requests import ConversationRef
from bot.sending import DeliveryError, classify

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


class SlackSender:
    """Delivers outbox messages to Slack with ``chat.postMessage``."""

    platform = "slack"

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        # Without a session of its own, slack_sdk opens a connection (a TLS handshake) for every call: the sender
        # keeps one session, made on the event loop that first sends, and closes it in :meth:`close`.
        self._owns_session = client.session is None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def send(self, ref: ConversationRef, reply: Reply) -> str | None:
        """Post ``reply``; return ``"<channel>:<ts>"``, the message's id on Slack (a DM's ``D…`` channel for a user)."""
        message = render(reply)
        self._session()
        try:
            response = await self.client.chat_postMessage(
                channel=ref.key, text=message.text, blocks=message.blocks, unfurl_links=False, unfurl_media=False
            )
        except SlackApiError as exc:
            raise delivery_error(exc, ref) from None
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise DeliveryError(f"Slack could not be reached: {type(exc).__name__}") from None
        return f"{response.get('channel', ref.key)}:{response.get('ts')}"

    async def close(self) -> None:
        """Close the connections the sender keeps (its session), if it made one."""
        if self._owns_session and self.client.session is not None:
            await self.client.session.close()
            self.client.session = None
            self._loop = None

    def _session(self) -> None:
        if not self._owns_session:
            return
        loop = asyncio.get_running_loop()
        session = self.client.session
        if session is None or session.closed or self._loop is not loop:
            self.client.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.client.timeout))
            self._loop = loop


def delivery_error(exc: SlackApiError, ref: ConversationRef) -> DeliveryError:
    """What Slack's refusal means for the outbox: wait, give up, or try again later."""
    error = api_error(exc)
    failure = classify(
        f"slack {ref.key}: {error}",
        status=exc.response.status_code,
        error=error,
        headers=exc.response.headers,
        permanent_errors=PERMANENT_ERRORS,
        reasons={},  # Slack says why in its error code, with HTTP 200
    )
    if failure.permanent:
        log.warning("Slack refused a message to %s for good: %s", ref.key, error)
    return failure

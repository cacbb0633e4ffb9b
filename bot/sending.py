"""The one outbound interface: ``send(ref, reply)``, implemented by Slack (:mod:`adapters.slack.sender`)
and Teams (:mod:`adapters.teams.sender`); :func:`adapters.bootstrap.build` makes one per configured platform.

Messages the bot sends on its own are queued in the outbox (:mod:`store.outbox`). Delivering them is
the scheduler's drain's work (:mod:`scheduler.drain`): it calls a :class:`Sender` for each queued message.

A sender raises :class:`DeliveryError` when a message did not go: ``retry_after`` (seconds) when the
platform asked us to slow down (Slack's 429, the Bot Framework's 429), ``permanent`` when retrying cannot
help (the channel is gone, the bot was removed, no conversation reference is stored); ``scope`` says what
a ``retry_after`` pauses: the one conversation (``"target"``) or the whole workspace or tenant (``"platform"``).
"""

from __future__ import annotations

from typing import Protocol

from bot.replies import Reply
from bot.requests import ConversationRef


class DeliveryError(Exception):
    """A message was not delivered; the message says why, without secrets."""

    def __init__(
        self, message: str, *, retry_after: float | None = None, permanent: bool = False, scope: str = "target"
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent
        self.scope = scope  # what a retry_after pauses: "target" (that conversation) or "platform" (workspace, tenant)


class Sender(Protocol):
    """Posts a neutral reply to a conversation on one platform."""

    platform: str

    async def send(self, ref: ConversationRef, reply: Reply) -> str | None:
        """Deliver ``reply`` to ``ref``; return the platform's message id when it gives one."""
        ...

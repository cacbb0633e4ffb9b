"""The one outbound interface: ``send(ref, reply)``, implemented by Slack (:mod:`adapters.slack.sender`)
and Teams (:mod:`adapters.teams.sender`); :func:`adapters.bootstrap.build` makes one per configured platform.

Messages the bot sends on its own are queued in the outbox (:mod:`store.outbox`). Delivering them is
the scheduler's drain's work (:mod:`scheduler.drain`): it calls a :class:`Sender` for each queued message.

A sender raises :class:`DeliveryError` when a message did not go: ``retry_after`` (seconds) when the
platform asked us to slow down (Slack's 429, the Bot Framework's 429), ``permanent`` when retrying cannot
help (the channel is gone, the bot was removed, no conversation reference is stored); ``scope`` says what
a ``retry_after`` pauses: the one conversation (``"target"``) or the whole workspace or tenant (``"platform"``).

Both senders read ``Retry-After`` and classify a platform's refusal with the helpers here (:func:`retry_after`,
:func:`classify`), so a 429, a 5xx and "the bot was removed" mean the same to the outbox on every platform.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

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


DEFAULT_RETRY_AFTER = 30.0  # seconds, when a 429 comes without a usable Retry-After
RATE_LIMITED = frozenset({"ratelimited", "rate_limited"})  # the error codes that mean a 429 (Slack says both)
# HTTP statuses after which the same message to the same place will never go, and what each means.
PERMANENT_STATUSES: Mapping[int, str] = {
    400: "the platform would not take this message",
    403: "the bot was removed from that conversation or blocked there",
    404: "that conversation no longer exists",
    410: "that conversation no longer exists",
    413: "the message is too large",
}


def header(headers: Any, name: str) -> str | None:
    """A header's value whatever the case of its name (a dict, a multidict, or lists of values)."""
    items = headers.items() if hasattr(headers, "items") else ()
    for key, value in items:
        if str(key).lower() == name.lower():
            first = value[0] if isinstance(value, list | tuple) and value else value
            return None if first is None else str(first)
    return None


def retry_after(value: str | None, *, now: datetime | None = None) -> float:
    """Seconds to wait from a ``Retry-After`` header (seconds, or an HTTP date); 30 s when it says nothing usable."""
    if not value or not value.strip():
        return DEFAULT_RETRY_AFTER
    text = value.strip()
    if text.replace(".", "", 1).isdigit():
        return max(0.0, float(text))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return DEFAULT_RETRY_AFTER
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def classify(
    where: str,
    *,
    status: int | None,
    error: str | None = None,
    headers: Any = None,
    permanent_errors: Set[str] = frozenset(),
    reasons: Mapping[int, str] = PERMANENT_STATUSES,
    scope: str = "target",
) -> DeliveryError:
    """What a platform's refusal means for the outbox: wait (a 429, with its ``Retry-After``), give up (a
    permanent HTTP status or error code), or try again later (anything else: 5xx, 401, an unknown error).

    ``where`` starts the message (the platform, conversation and what it answered); ``scope`` is what a 429
    pauses.
    """
    if status == 429 or (error or "") in RATE_LIMITED:
        wait = retry_after(header(headers, "Retry-After"))
        return DeliveryError(f"{where}: too many messages, retry in {wait:g}s", retry_after=wait, scope=scope)
    if error and error in permanent_errors:
        return DeliveryError(where, permanent=True)
    if status is not None and status in reasons:
        return DeliveryError(f"{where}: {reasons[status]}", permanent=True)
    return DeliveryError(where)

"""What an outbox row holds, and what it says when its turn to be sent comes.

A row's ``payload`` is :func:`to_payload` of the neutral reply to send and the actions it is about.
Just before sending, the drain asks :func:`prepare` for the message: a kind whose facts can change
between queuing and sending (a nudge about an action done since) checks them again and answers
:class:`Skip` when the message is no longer true; other kinds are sent as queued.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.replies import Reply
from bot.unit_of_work import Context
from store.models import OutboxNotification


@dataclass(frozen=True)
class Queued:
    """A queued message: the reply, and the actions it is about (to check again before sending)."""

    reply: Reply
    action_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Ready:
    """Send this reply."""

    reply: Reply


@dataclass(frozen=True)
class Skip:
    """Do not send: the message is no longer true. ``reason`` is kept on the row."""

    reason: str


Check = Callable[[Context, OutboxNotification, Queued], Ready | Skip]


def to_payload(reply: Reply, action_ids: Sequence[int] = ()) -> dict[str, Any]:
    """The JSON kept in an outbox row for ``reply``."""
    return {"reply": reply.model_dump(mode="json"), "action_ids": list(action_ids)}


def from_payload(payload: dict[str, Any]) -> Queued:
    """The message an outbox row holds."""
    return Queued(reply=Reply.model_validate(payload["reply"]), action_ids=tuple(payload.get("action_ids") or ()))


def _as_queued(context: Context, row: OutboxNotification, queued: Queued) -> Ready | Skip:
    return Ready(queued.reply)


# By outbox kind: how to check a queued message again just before it is sent.
CHECKS: dict[str, Check] = {
    "update": _as_queued,  # an update broadcast reports a change that happened: always still true
}


def prepare(context: Context, row: OutboxNotification) -> Ready | Skip:
    """What to send for ``row`` now, or why not to send it."""
    queued = from_payload(row.payload)
    return CHECKS.get(row.kind, _as_queued)(context, row, queued)

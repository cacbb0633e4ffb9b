"""What an outbox row's ``payload`` holds: the reply to send, the actions it is about, and what the job
that queued it kept to check them with; and the two answers just before sending (:class:`Ready`, :class:`Skip`).

:func:`to_payload` writes it, :func:`from_payload` reads it back. :mod:`bot.notices.messages` re-exports
these names, and checks a row with them (:func:`bot.notices.messages.prepare`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.replies import Reply
from bot.unit_of_work import Context
from store.models import OutboxNotification


@dataclass(frozen=True)
class Queued:
    """A queued message: the reply, the actions it is about (to check again before sending), and what the
    job that queued it kept to check them with (``extra``: the deadlines then, whom it is for, …)."""

    reply: Reply
    action_ids: tuple[int, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Ready:
    """Send this reply."""

    reply: Reply


@dataclass(frozen=True)
class Skip:
    """Do not send: the message is no longer true. ``reason`` is kept on the row."""

    reason: str


Check = Callable[[Context, OutboxNotification, Queued], Ready | Skip]


_OWN_KEYS = ("reply", "action_ids")


def to_payload(reply: Reply, action_ids: Sequence[int] = (), extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The JSON kept in an outbox row for ``reply`` (``extra``: more JSON values for the row's check)."""
    payload = dict(extra or {})
    payload.update({"reply": reply.model_dump(mode="json"), "action_ids": list(action_ids)})
    return payload


def from_payload(payload: dict[str, Any]) -> Queued:
    """The message an outbox row holds."""
    return Queued(
        reply=Reply.model_validate(payload["reply"]),
        action_ids=tuple(payload.get("action_ids") or ()),
        extra={key: value for key, value in payload.items() if key not in _OWN_KEYS},
    )

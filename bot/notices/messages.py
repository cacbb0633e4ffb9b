"""What an outbox row holds, and what it says when its turn to be sent comes.

A row's ``payload`` is :func:`to_payload` of the neutral reply to send and the actions it is about.
Just before sending, the drain asks :func:`prepare` for the message: a kind whose facts can change
between queuing and sending (a nudge about an action done since) checks them again and answers
:class:`Skip` when the message is no longer true; other kinds are sent as queued.
"""

from __future__ import annotations

from bot.notices import checks
from bot.notices.payload import Check, Queued, Ready, Skip, from_payload, to_payload
from bot.unit_of_work import Context
from store.models import OutboxNotification

__all__ = ["CHECKS", "Check", "Queued", "Ready", "Skip", "from_payload", "prepare", "to_payload"]


def _as_queued(context: Context, row: OutboxNotification, queued: Queued) -> Ready | Skip:
    return Ready(queued.reply)


# By outbox kind: how to check a queued message again just before it is sent.
CHECKS: dict[str, Check] = {
    "update": _as_queued,  # an update broadcast reports a change that happened: always still true
    "digest": _as_queued,  # a digest is a report as of the moment it was built
    "nudge": checks.check,  # a person's message of the day (bot.notices.nudges)
    "checkin": checks.check,  # the same, holding only check-ins of ongoing actions
    "escalation": checks.check,  # a lead's message about actions long overdue (bot.notices.escalations)
    "overdue": checks.check,  # a channel's overdue alert (bot.notices.alerts)
}


def prepare(context: Context, row: OutboxNotification) -> Ready | Skip:
    """What to send for ``row`` now, or why not to send it."""
    queued = from_payload(row.payload)
    return CHECKS.get(row.kind, _as_queued)(context, row, queued)

"""Queuing update broadcasts: channels subscribed to ``updates`` hear about every change.

The message goes to the outbox with a dedupe key made of the audit row and the channel, so it
is stored once however often the change's request is retried.
"""

from __future__ import annotations

from bot import views
from bot.domain import SubscriptionKind
from bot.notices.messages import to_payload
from bot.replies import Reply, Section, Visibility
from bot.unit_of_work import Context
from store import actions, outbox
from store.models import Action, ActionUpdate
from store.subscriptions import subscribers


def queue_update(context: Context, action: Action, update: ActionUpdate, who: str) -> int:
    """Queue a broadcast of ``update`` (made by ``who``) to every channel subscribed to it; return how many."""
    subscriptions = subscribers(context.session, action.review_id, SubscriptionKind.UPDATES)
    if not subscriptions:
        return 0
    row = actions.load_rows(context.session, [action])[0]
    line = views.describe_update(update, who, context.zone)
    reply = Reply(
        title=f"Update on #{action.id}",
        sections=[Section(lines=[line], items=[views.item(row, context.today, editable=False)])],
        visibility=Visibility.CHANNEL,
    )
    payload = to_payload(reply, [action.id or 0])
    queued = 0
    for subscription in subscriptions:
        queued += outbox.enqueue(
            context,
            dedupe_key=f"update:{update.id}:{subscription.platform}:{subscription.channel_key}",
            kind="update",
            platform=subscription.platform,
            target_key=subscription.channel_key,
            payload=payload,
            action_id=action.id,
        )
    return queued

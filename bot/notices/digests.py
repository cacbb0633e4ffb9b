"""The digest job: each ``digest`` subscription gets the weekly digest at its weekday and hour.

The slot is the latest ``weekday hour:00`` (council time) not after now; a subscription that has not
had that slot's digest (``subscription_notice.digest_slot``) gets it now, built by
:func:`bot.digest.build_digest` for the period since its last one (else the last 7 days), deduplicated
by ``digest:<subscription id>:<slot date>``. A clock that was down sends Monday's digest on Tuesday; one
down for weeks sends only the latest. A slot before the subscription was made is not owed. One memo is
shared by every digest of a run, so subscriptions to the same review cost its queries once.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from bot.digest import Memo, build_digest, prefetch
from bot.domain import ReviewState, SubscriptionKind
from bot.notices.payload import to_payload
from bot.notices.recipients import QUEUED_AT_ONCE
from bot.replies import Reply, Visibility
from bot.unit_of_work import Context
from store import notices as store
from store import outbox, reviews
from store.models import Review, Subscription
from store.outbox import Message
from store.subscriptions import message_key

LOOK_BACK = timedelta(days=7)


def latest_slot(now: datetime, context: Context, weekday: int, hour: int) -> datetime:
    """The latest moment with this weekday (Monday 0) and hour, in the council's zone, not after ``now``."""
    local = now.astimezone(context.zone)
    day = local.date() - timedelta(days=(local.weekday() - weekday) % 7)
    slot = datetime.combine(day, time(hour), tzinfo=context.zone)
    if slot > now:
        slot = datetime.combine(day - timedelta(days=7), time(hour), tzinfo=context.zone)
    return slot


def run(context: Context, reach: frozenset[str]) -> int:
    """Queue every digest whose slot has come and that was not queued before; return how many."""
    subscriptions = store.subscriptions(context.session, SubscriptionKind.DIGEST)
    if not subscriptions:
        return 0
    states = store.subscription_states(context.session, [s.id or 0 for s in subscriptions])
    by_id = {review.id: review for review in reviews.all_reviews(context.session)}
    memo: Memo = {}
    payloads: dict[int, dict[str, Any]] = {}  # by the digest (a shared one is serialised once)
    due: list[tuple[Subscription, Review | None, datetime, datetime]] = []
    for subscription in subscriptions:
        slot = latest_slot(context.now, context, subscription.weekday, subscription.hour)
        state = states.get(subscription.id or 0)
        if slot < subscription.created_at or (state and state.digest_slot and state.digest_slot >= slot.date()):
            continue
        review = by_id.get(subscription.review_id) if subscription.review_id is not None else None
        if subscription.review_id is not None and (review is None or review.state is ReviewState.CLOSED):
            continue
        since = state.digest_at if state and state.digest_at else context.now - LOOK_BACK
        due.append((subscription, review, since, slot))
    prefetch(
        context.session,
        today=context.today,
        zone=context.zone,
        review_ids=[review.id or 0 for _, review, _, _ in due if review is not None],
        sinces={since for _, review, since, _ in due if review is not None},
        reach=reach,
        memo=memo,
    )
    messages: list[Message] = []
    sent: list[dict[str, Any]] = []
    added = 0
    for subscription, review, since, slot in due:
        reply = _digest(context, review, since, reach, memo)
        if id(reply) not in payloads:  # each distinct digest serialised once
            payloads[id(reply)] = to_payload(reply)
        payload = payloads[id(reply)]
        messages.append(
            Message(
                dedupe_key=f"digest:{message_key(subscription)}:{slot.date().isoformat()}",
                kind="digest",
                platform=subscription.platform,
                target_key=subscription.channel_key,
                payload={**payload, "subscription_id": subscription.id, "since": since.isoformat()},
            )
        )
        sent.append({"subscription_id": subscription.id, "digest_slot": slot.date(), "digest_at": context.now})
        if len(messages) == QUEUED_AT_ONCE:  # written a hundred at a time, not all held until the end
            added += len(outbox.enqueue_many(context, messages))
            messages = []
    added += len(outbox.enqueue_many(context, messages))
    store.save_subscription_states(context, sent)
    return added


def _digest(context: Context, review: Review | None, since: datetime, reach: frozenset[str], memo: Memo) -> Reply:
    label, command = (review.title, f" {review.title}") if review else ("All reviews", "")
    return build_digest(
        context.session,
        today=context.today,
        since=since,
        zone=context.zone,
        review_ids=[review.id or 0] if review else None,
        scope_label=label,
        scope_command=command,
        visibility=Visibility.CHANNEL,
        reach=reach,
        memo=memo,
    )

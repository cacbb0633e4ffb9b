"""The overdue-alert job: each ``overdue`` subscription hears, on working mornings, what became overdue.

On a working day of the subscribed review's nation (for "all reviews", the nation most active reviews
use), once its morning hour has come, a subscription that has not had today's alert lists the open
actions whose deadline passed since its last alert (a due-date range: deadlines from the day of the
last alert to yesterday; the first time, from the day it subscribed, at most a week back). Nothing
changed, nothing is sent; the day is recorded either way, so the next alert starts from here. A
channel subscribed to all reviews is not also alerted for one of them. Deduplicated by
``overdue:<subscription id>:<date>``.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from bot.dates import is_working_day
from bot.domain import Nation, ReviewState, SubscriptionKind
from bot.notices import letters
from bot.notices.payload import to_payload
from bot.notices.policy import hour_of, moment
from bot.notices.recipients import load_rows
from bot.unit_of_work import Context
from store import notices as store
from store import outbox, reviews
from store.models import Review, Subscription
from store.subscriptions import message_key

FIRST_LOOK_BACK = timedelta(days=7)


def run(context: Context, reach: frozenset[str]) -> int:
    """Queue today's overdue alerts not queued before; return how many."""
    subscriptions = store.subscriptions(context.session, SubscriptionKind.OVERDUE)
    if not subscriptions:
        return 0
    everything = {(s.platform, s.channel_key) for s in subscriptions if s.review_id is None}
    states = store.subscription_states(context.session, [s.id or 0 for s in subscriptions])
    by_id = {review.id: review for review in reviews.all_reviews(context.session)}
    usual = _usual_nation(by_id.values())
    queued = 0
    for subscription in subscriptions:
        review = by_id.get(subscription.review_id) if subscription.review_id is not None else None
        if subscription.review_id is not None:
            if review is None or review.state is ReviewState.CLOSED:
                continue
            if (subscription.platform, subscription.channel_key) in everything:
                continue
        nation = review.nation if review else usual
        hour = hour_of(review, context.settings) if review else context.settings.nudge_hour
        if not is_working_day(context.today, nation) or context.now < moment(context.today, hour, context.zone):
            continue
        state = states.get(subscription.id or 0)
        if state and state.alert_day and state.alert_day >= context.today:
            continue
        first = state.alert_day if state and state.alert_day else _first_day(context, subscription)
        queued += _queue(context, subscription, review, first)
        store.save_subscription_state(context, subscription.id or 0, alert_day=context.today, alert_at=context.now)
    return queued


def _first_day(context: Context, subscription: Subscription) -> date:
    subscribed = subscription.created_at.astimezone(context.zone).date()
    return max(subscribed, context.today - FIRST_LOOK_BACK)


def _usual_nation(reviews: Any) -> Nation:
    counts = Counter(review.nation for review in reviews if review.state is ReviewState.ACTIVE)
    return counts.most_common(1)[0][0] if counts else Nation.ENGLAND


def _queue(context: Context, subscription: Subscription, review: Review | None, first: date) -> int:
    review_ids = [review.id or 0] if review else None
    action_ids = store.became_overdue(context.session, first, context.today - timedelta(days=1), review_ids)
    if not action_ids:
        return 0
    rows = load_rows(context.session, action_ids)
    label = review.title if review else "All reviews"
    reply = letters.overdue_alert(
        [rows[i] for i in action_ids if i in rows], context.today, label, first, context.settings.page_size
    )
    extra = {
        "subscription_id": subscription.id,
        "scope_label": label,
        "since": first.isoformat(),
        "due": {str(i): _iso(rows[i].action.due_date) for i in action_ids if i in rows},
    }
    return int(
        outbox.enqueue(
            context,
            dedupe_key=f"overdue:{message_key(subscription)}:{context.today.isoformat()}",
            kind="overdue",
            platform=subscription.platform,
            target_key=subscription.channel_key,
            payload=to_payload(reply, action_ids, extra),
        )
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None

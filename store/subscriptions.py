"""Channel subscriptions: which channels take a review's (or every review's) digest, updates or overdue alerts."""

from __future__ import annotations

from datetime import UTC

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from store.models import Subscription

# Built once (every change asks it): the scopes covering a review, and the kind.
_COVERING = (
    select(Subscription)
    .where(col(Subscription.scope).in_(bindparam("scopes", expanding=True)), Subscription.kind == bindparam("kind"))
    .order_by(col(Subscription.id))
)


def message_key(subscription: Subscription) -> str:
    """What a subscription's messages are known by in the outbox: its id and the moment it was made.

    The id alone is not enough: SQLite gives the next row the id of a deleted row that had the highest one, so a
    channel subscribing after another unsubscribed would inherit that channel's keys, and not get the digest or
    alert the other already had that day."""
    return f"{subscription.id}.{subscription.created_at.astimezone(UTC):%Y%m%d%H%M%S%f}"


def review_scope(review_id: int | None) -> str:
    """The ``scope`` value of a subscription: ``all`` or ``review:<id>``."""
    return "all" if review_id is None else f"review:{review_id}"


def subscribers(session: Session, review_id: int, kind: str) -> list[Subscription]:
    """Subscriptions of ``kind`` that cover a review (to it, or to all reviews), one per channel."""
    seen: set[tuple[str, str]] = set()
    result = []
    for subscription in session.exec(_COVERING, params={"scopes": ["all", review_scope(review_id)], "kind": kind}):
        target = (subscription.platform, subscription.channel_key)
        if target not in seen:
            seen.add(target)
            result.append(subscription)
    return result


def channel_subscriptions(session: Session, platform: str, channel_key: str) -> list[Subscription]:
    query = (
        select(Subscription)
        .where(Subscription.platform == platform, Subscription.channel_key == channel_key)
        .order_by(Subscription.scope, Subscription.kind)
    )
    return list(session.exec(query))


def find_subscription(session: Session, platform: str, channel_key: str, scope: str, kind: str) -> Subscription | None:
    query = select(Subscription).where(
        Subscription.platform == platform,
        Subscription.channel_key == channel_key,
        Subscription.scope == scope,
        Subscription.kind == kind,
    )
    return session.exec(query).first()

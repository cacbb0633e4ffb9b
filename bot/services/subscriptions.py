"""``subscribe`` and ``unsubscribe``: which channels receive a review's digest, updates or alerts.

A digest subscription says when the weekly digest is due: its day and hour (Mondays 09:00 unless the
subscriber said, as in ``subscribe all digest friday 16:00``); saying a new day and hour for a channel that
already receives the digest moves it.
"""

from __future__ import annotations

from bot import schedule
from bot.commands import Command
from bot.domain import SubscriptionKind
from bot.errors import UserError
from bot.replies import Reply, Tone, Visibility
from bot.services.turn import Turn
from store import subscriptions
from store.models import Subscription

_WHAT = {
    SubscriptionKind.UPDATES: "every update",
    SubscriptionKind.OVERDUE: "overdue alerts",
}


def _what(kind: SubscriptionKind, weekday: int = schedule.DEFAULT_WEEKDAY, hour: int = schedule.DEFAULT_HOUR) -> str:
    if kind is SubscriptionKind.DIGEST:
        return f"the weekly digest ({schedule.describe(weekday, hour)})"
    return _WHAT[kind]


def _target(turn: Turn, command: Command) -> tuple[int | None, str]:
    if turn.request.conversation is None:
        raise UserError(f"Run `{command.name.value}` in the channel that should receive it.")
    if command.all_reviews:
        return None, "all reviews"
    review = turn.review(command.review or "")
    return review.id, f"'{review.title}'"


def _listing(kinds: tuple[SubscriptionKind, ...], weekday: int | None = None, hour: int | None = None) -> str:
    parts = [
        _what(kind, schedule.DEFAULT_WEEKDAY if weekday is None else weekday,
              schedule.DEFAULT_HOUR if hour is None else hour)
        for kind in kinds
    ]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def subscribe(command: Command, turn: Turn) -> Reply:
    review_id, label = _target(turn, command)
    conversation = turn.request.conversation
    assert conversation is not None
    scope = subscriptions.review_scope(review_id)
    kinds = command.kinds or (SubscriptionKind.DIGEST,)
    timed = command.weekday is not None or command.hour is not None
    added: list[SubscriptionKind] = []
    moved: list[tuple[Subscription, str]] = []
    had: list[Subscription] = []
    for kind in kinds:
        found = subscriptions.find_subscription(turn.session, conversation.platform, conversation.key, scope, kind)
        if found is not None:
            if kind is SubscriptionKind.DIGEST and timed and (was := _reschedule(found, command)) is not None:
                turn.session.add(found)
                moved.append((found, was))
            else:
                had.append(found)
            continue
        turn.session.add(
            Subscription(
                platform=conversation.platform,
                channel_key=conversation.key,
                scope=scope,
                review_id=review_id,
                kind=kind,
                weekday=schedule.DEFAULT_WEEKDAY if command.weekday is None else command.weekday,
                hour=schedule.DEFAULT_HOUR if command.hour is None else command.hour,
                created_by_id=turn.me.id,
                created_at=turn.now,
            )
        )
        added.append(kind)
    lines = []
    if added:
        lines.append(
            f"This channel will now receive {_listing(tuple(added), command.weekday, command.hour)} for {label}. "
            f"(Set up by {turn.me.name}; `unsubscribe` stops it.)"
        )
    for subscription, was in moved:
        lines.append(
            f"This channel's weekly digest for {label} now comes on "
            f"{schedule.describe(subscription.weekday, subscription.hour)} (was {was}). (By {turn.me.name}.)"
        )
    if not lines:
        digest = next((s for s in had if s.kind is SubscriptionKind.DIGEST), None)
        kept = _listing(tuple(s.kind for s in had), *((digest.weekday, digest.hour) if digest else (None, None)))
        return Reply.text(f"This channel already receives {kept} for {label}.", tone=Tone.INFO)
    return Reply.text(" ".join(lines), tone=Tone.SUCCESS, visibility=Visibility.CHANNEL)


def _reschedule(subscription: Subscription, command: Command) -> str | None:
    """Move a digest to the day and hour the command gives; what it was, or ``None`` when unchanged."""
    weekday = subscription.weekday if command.weekday is None else command.weekday
    hour = subscription.hour if command.hour is None else command.hour
    if (weekday, hour) == (subscription.weekday, subscription.hour):
        return None
    was = schedule.describe(subscription.weekday, subscription.hour)
    subscription.weekday, subscription.hour = weekday, hour
    return was


def unsubscribe(command: Command, turn: Turn) -> Reply:
    review_id, label = _target(turn, command)
    conversation = turn.request.conversation
    assert conversation is not None
    scope = subscriptions.review_scope(review_id)
    kinds = command.kinds or tuple(SubscriptionKind)
    removed: list[Subscription] = []
    for kind in kinds:
        found = subscriptions.find_subscription(turn.session, conversation.platform, conversation.key, scope, kind)
        if found is not None:
            turn.session.delete(found)
            removed.append(found)
    if not removed:
        return Reply.text(f"This channel was not receiving {_listing(kinds)} for {label}.", tone=Tone.INFO)
    digest = next((s for s in removed if s.kind is SubscriptionKind.DIGEST), None)
    what = _listing(tuple(s.kind for s in removed), *((digest.weekday, digest.hour) if digest else (None, None)))
    return Reply.text(
        f"This channel will no longer receive {what} for {label}. (By {turn.me.name}.)",
        tone=Tone.SUCCESS,
        visibility=Visibility.CHANNEL,
    )

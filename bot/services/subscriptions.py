"""``subscribe`` and ``unsubscribe``: which channels receive a review's digest, updates or alerts."""

from __future__ import annotations

from bot.commands import Command
from bot.domain import SubscriptionKind
from bot.errors import UserError
from bot.replies import Reply, Tone, Visibility
from bot.services.turn import Turn
from store import queries
from store.models import Subscription

_WHAT = {
    SubscriptionKind.DIGEST: "the weekly digest (Mondays 09:00)",
    SubscriptionKind.UPDATES: "every update",
    SubscriptionKind.OVERDUE: "overdue alerts",
}


def _target(turn: Turn, command: Command) -> tuple[int | None, str]:
    if turn.request.conversation is None:
        raise UserError(f"Run `{command.name.value}` in the channel that should receive it.")
    if command.all_reviews:
        return None, "all reviews"
    review = turn.review(command.review or "")
    return review.id, f"'{review.title}'"


def _listing(kinds: tuple[SubscriptionKind, ...]) -> str:
    parts = [_WHAT[kind] for kind in kinds]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def subscribe(command: Command, turn: Turn) -> Reply:
    review_id, label = _target(turn, command)
    conversation = turn.request.conversation
    assert conversation is not None
    scope = queries.review_scope(review_id)
    kinds = command.kinds or (SubscriptionKind.DIGEST,)
    added = []
    for kind in kinds:
        if queries.find_subscription(turn.session, conversation.platform, conversation.key, scope, kind):
            continue
        turn.session.add(
            Subscription(
                platform=conversation.platform,
                channel_key=conversation.key,
                scope=scope,
                review_id=review_id,
                kind=kind,
                created_by_id=turn.me.id,
                created_at=turn.now,
            )
        )
        added.append(kind)
    if not added:
        return Reply.text(f"This channel already receives {_listing(kinds)} for {label}.", tone=Tone.INFO)
    return Reply.text(
        f"This channel will now receive {_listing(tuple(added))} for {label}. (Set up by {turn.me.name}; "
        f"`unsubscribe` stops it.)",
        tone=Tone.SUCCESS,
        visibility=Visibility.CHANNEL,
    )


def unsubscribe(command: Command, turn: Turn) -> Reply:
    review_id, label = _target(turn, command)
    conversation = turn.request.conversation
    assert conversation is not None
    scope = queries.review_scope(review_id)
    kinds = command.kinds or tuple(SubscriptionKind)
    removed = []
    for kind in kinds:
        found = queries.find_subscription(turn.session, conversation.platform, conversation.key, scope, kind)
        if found is not None:
            turn.session.delete(found)
            removed.append(kind)
    if not removed:
        return Reply.text(f"This channel was not receiving {_listing(kinds)} for {label}.", tone=Tone.INFO)
    return Reply.text(
        f"This channel will no longer receive {_listing(tuple(removed))} for {label}. (By {turn.me.name}.)",
        tone=Tone.SUCCESS,
        visibility=Visibility.CHANNEL,
    )

"""Outgoing Teams messages: a neutral reply as a Bot Framework message activity carrying its Adaptive Card, and
the one rule for showing it after a press: in place of the pressed card when it is that card's new state,
else (or when Teams will not edit the card: an old or deleted one) as a new message."""

from __future__ import annotations

import logging

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ActivityTypes, Attachment

from adapters.teams.cards import CARD_CONTENT_TYPE, fitted_card
from adapters.teams.markdown import plain
from bot.replies import Reply
from bot.views import shorten

log = logging.getLogger("actionbot.teams")

SUMMARY_LIMIT = 120


def card_activity(reply: Reply, *, list_card: str | None = None) -> Activity:
    """A message whose one attachment is the reply's card; ``summary`` is what notifications show
    (``list_card``: see :func:`adapters.teams.cards.render_card`)."""
    return Activity(
        type=ActivityTypes.message,
        attachments=[Attachment(content_type=CARD_CONTENT_TYPE, content=fitted_card(reply, list_card=list_card))],
        summary=summary(reply),
    )


def summary(reply: Reply) -> str:
    """A one-line plain-text preview of the reply."""
    lines = reply.plain_lines
    text = reply.title or (lines[0] if lines else "") or "actionbot"
    return shorten(plain(text), SUMMARY_LIMIT)


async def replace_card(
    turn_context: TurnContext, card_id: str, reply: Reply, *, list_card: str | None = None
) -> bool:
    """The bot's message ``card_id`` in this conversation edited to show ``reply``; ``False`` if Teams would not."""
    activity = card_activity(reply, list_card=list_card)
    activity.id = card_id
    try:
        await turn_context.update_activity(activity)
    except Exception as exc:  # an old or deleted card cannot be edited (the SDK raises its own errors)
        log.info("could not update card %s in place (%s)", card_id, type(exc).__name__)
        return False
    return True


async def show(turn_context: TurnContext, reply: Reply, *, in_place: bool, list_card: str | None = None) -> None:
    """After a press: ``reply`` in place of the pressed card when ``in_place``, else (or failing that) anew."""
    card_id = turn_context.activity.reply_to_id
    if in_place and card_id and await replace_card(turn_context, card_id, reply, list_card=list_card):
        return
    await turn_context.send_activity(card_activity(reply, list_card=list_card))

"""Outgoing Teams messages: a neutral reply as a Bot Framework message activity carrying its Adaptive Card."""

from __future__ import annotations

from botbuilder.schema import Activity, ActivityTypes, Attachment

from adapters.teams.cards import CARD_CONTENT_TYPE, fitted_card
from adapters.teams.markdown import plain
from bot.replies import Reply
from bot.views import shorten

SUMMARY_LIMIT = 120


def card_activity(reply: Reply) -> Activity:
    """A message whose one attachment is the reply's card; ``summary`` is what notifications show."""
    return Activity(
        type=ActivityTypes.message,
        attachments=[Attachment(content_type=CARD_CONTENT_TYPE, content=fitted_card(reply))],
        summary=summary(reply),
    )


def summary(reply: Reply) -> str:
    """A one-line plain-text preview of the reply."""
    lines = reply.plain_lines
    text = reply.title or (lines[0] if lines else "") or "actionbot"
    return shorten(plain(text), SUMMARY_LIMIT)

"""Teams activities → the core's neutral types: pure functions over Bot Framework ``Activity`` objects.

What Teams sends (checked against real payloads, 2024–2025):

* ``channelId`` is ``msteams``; ``from.aadObjectId`` is the user's Entra ID (AAD) object id, the id a
  person is linked by; ``from.id`` (``29:…``) is the Teams-only id the connector's member lookup takes.
* ``conversation.conversationType`` is ``personal``, ``groupChat`` or ``channel``. A channel message's
  ``conversation.id`` is the channel's id plus ``;messageid=<thread root>``: the thread. The key of a
  conversation (for subscriptions and proactive posts) is the id without that suffix.
* In a group chat or channel the text carries the bot's own mention, ``<at>actionbot</at> mine``, with a
  ``mention`` entity for it; other users' mentions are ``<at>Deb Poole</at>`` with an entity naming
  them. Since late 2022 Teams may split a mention of a name with a space into one ``<at>`` tag per word,
  each with its own entity for the same user (microsoft/botbuilder-js#4379): both are handled. The bot's
  own mention is known by its id (``mentioned.id`` is ``recipient.id``), not by its text: a renamed bot,
  or a client that writes the name differently, still has its mention removed.
* A card's ``Action.Submit`` arrives as a ``message`` with no text and the button's data, merged with the
  card's input values, as ``value``; ``replyToId`` is the id of the card's message. A card built with
  ``Action.Execute`` (Universal Actions, also in Outlook) arrives as an ``invoke`` named
  ``adaptiveCard/action`` with the same data under ``value.action.data``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from botbuilder.schema import Activity

from adapters.teams.cards import FORM_INTENT
from adapters.teams.inbound import ID_CHARACTER
from bot.domain import Surface
from bot.replies import Button, ButtonIntent, View
from bot.requests import Actor, ConversationRef, FormSubmission, Request

PLATFORM = "teams"
TEAMS_CHANNEL = "msteams"
EMULATOR_CHANNEL = "emulator"  # the Bot Framework Emulator, for anonymous local testing only
PERSONAL = "personal"
_THREAD_SUFFIX = ";messageid="
_AT_TAG = re.compile(r"<at(?:\s[^>]*)?>.*?</at>", re.IGNORECASE | re.DOTALL)
_REPEATED_MENTION = re.compile(r"(<@[^>\s]+>)(?:\s+\1)+")
_MAX_KEY = 120
_ACTION_ID = re.compile(r"[0-9]{1,9}")
_BUTTON_INTENTS = {intent.value: intent for intent in ButtonIntent}
_CARD_ID = re.compile(f"{ID_CHARACTER}{{1,200}}")  # a message id (see inbound.Id)
_OURS = ("intent", "action_id", "view", "card")


@dataclass(frozen=True)
class Mention:
    """A user @mentioned in a message: the tag as it appears in the text and who it names."""

    text: str
    user_id: str
    name: str
    aad_object_id: str | None = None


@dataclass(frozen=True)
class CardAction:
    """A pressed card button: a button intent (``done``, ``update``…) or the form's Save, with its inputs."""

    intent: str
    action_id: int
    values: dict[str, str]
    view: View | None = None  # the list the button (or the form) was on, to draw it again after the press
    card: str | None = None  # a form opened from a list: the id of the message showing that list

    @property
    def is_form(self) -> bool:
        return self.intent == FORM_INTENT

    @property
    def button_intent(self) -> ButtonIntent | None:
        return _BUTTON_INTENTS.get(self.intent)


class StaleCard(ValueError):
    """A card submit whose data we do not understand (an old card, or a hand-made one)."""


def conversation_key(activity: Activity) -> str:
    """The conversation's id without a channel thread's ``;messageid=`` suffix."""
    return str(activity.conversation.id).split(_THREAD_SUFFIX, 1)[0]


def conversation_ref(activity: Activity) -> ConversationRef:
    return ConversationRef(platform=PLATFORM, key=conversation_key(activity))


def conversation_type(activity: Activity) -> str:
    return str(getattr(activity.conversation, "conversation_type", None) or PERSONAL)


def conversation_name(activity: Activity) -> str | None:
    """A readable name for the conversation: "General · Finance Team", a group chat's topic, or none."""
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    team = (data.get("team") or {}).get("name")
    if conversation_type(activity) == "channel":
        channel = (data.get("channel") or {}).get("name") or "General"
        return f"{channel} · {team}" if team else channel
    name = getattr(activity.conversation, "name", None)
    return str(name) if name else None


def actor_of(activity: Activity, email: str | None = None) -> Actor:
    """The Teams user behind an activity, by AAD object id (the Teams id when Teams gives none)."""
    sender = activity.from_property
    return Actor(
        platform=PLATFORM,
        user_id=str(sender.aad_object_id or sender.id),
        email=email,
        display_name=sender.name,
    )


def mentions(activity: Activity) -> list[Mention]:
    """The ``mention`` entities of a message, in order."""
    found = []
    for entity in activity.entities or []:
        if (entity.type or "").lower() != "mention":
            continue
        properties: dict[str, Any] = entity.additional_properties or {}
        mentioned = properties.get("mentioned") or {}
        text, user_id = properties.get("text"), mentioned.get("id")
        if not text or not user_id:
            continue
        found.append(
            Mention(
                text=str(text),
                user_id=str(user_id),
                name=str(mentioned.get("name") or ""),
                aad_object_id=mentioned.get("aadObjectId"),
            )
        )
    return found


def users_to_look_up(found: list[Mention], bot_id: str) -> list[str]:
    """Teams ids of mentioned users whose AAD object id the entity did not give."""
    return sorted({m.user_id for m in found if m.user_id != bot_id and not m.aad_object_id})


def command_text(text: str, found: list[Mention], bot_id: str, aad_ids: Mapping[str, str]) -> str:
    """The message text as the grammar reads it: the bot's mention removed, other users as ``<@AADID>``.

    Each ``<at>`` tag is matched to the entity whose text is that tag; an entity whose text matches no
    tag (a renamed bot, a client that writes the name differently) takes the first tag left, the bot's
    own mention first. ``aad_ids`` maps Teams user ids to AAD object ids for mentions that did not carry
    one. A tag with no entity (text typed to look like a mention) is left as text: it is escaped on display.
    """
    tags = list(_AT_TAG.finditer(text or ""))
    assigned: dict[int, Mention] = {}
    left = list(found)
    for index, tag in enumerate(tags):
        for mention in left:
            if mention.text == tag.group(0):
                assigned[index] = mention
                left.remove(mention)
                break
    for mention in sorted(left, key=lambda m: m.user_id != bot_id):
        free = next((index for index in range(len(tags)) if index not in assigned), None)
        if free is None:
            break
        assigned[free] = mention

    pieces: list[str] = []
    end = 0
    for index, tag in enumerate(tags):
        pieces.append((text or "")[end : tag.start()])
        named = assigned.get(index)
        if named is None:
            pieces.append(tag.group(0))
        elif named.user_id != bot_id:
            aad = named.aad_object_id or aad_ids.get(named.user_id)
            pieces.append(f"<@{aad}>" if aad else named.name)
        end = tag.end()
    pieces.append((text or "")[end:])
    return _REPEATED_MENTION.sub(r"\1", "".join(pieces)).strip()


def card_action(activity: Activity) -> CardAction | None:
    """The card button behind a message, ``None`` when it is typed text; :class:`StaleCard` if unreadable."""
    value = activity.value
    if value is None or ((not isinstance(value, dict) or "intent" not in value) and activity.text):
        return None  # typed text (perhaps with data some client added): the text is what was meant
    return card_data(value)


def card_data(value: Any) -> CardAction:
    """A card button's data (``Action.Submit``'s value, ``Action.Execute``'s ``action.data``), strictly:
    an intent we know and an action number of at most nine digits; :class:`StaleCard` otherwise."""
    if not isinstance(value, dict) or "intent" not in value:
        raise StaleCard("the card's data has no intent")
    intent, raw_id = value.get("intent"), value.get("action_id")
    if not isinstance(intent, str) or (intent != FORM_INTENT and intent not in _BUTTON_INTENTS):
        raise StaleCard(f"unknown card intent {intent!r}")
    if isinstance(raw_id, bool) or not isinstance(raw_id, int | str) or not _ACTION_ID.fullmatch(str(raw_id)):
        raise StaleCard(f"bad action id {raw_id!r}")
    values = {
        str(name): "" if item is None else str(item)
        for name, item in value.items()
        if name not in _OURS and isinstance(item, str | int | float | type(None))
    }
    card = value.get("card")
    if card is not None and not (isinstance(card, str) and _CARD_ID.fullmatch(card)):
        raise StaleCard(f"bad card id {str(card)[:60]!r}")
    return CardAction(intent=intent, action_id=int(raw_id), values=values, view=_view(value.get("view")), card=card)


def _view(data: Any) -> View | None:
    """The list view a card button carried; ``None`` for none, or one this version cannot read."""
    try:
        return View.decode(data) if isinstance(data, str) and data else None
    except ValueError:
        return None


def delivery_key(activity: Activity) -> str | None:
    """The key that makes a redelivered activity (same id) change nothing the second time."""
    return _key("teams", str(activity.id)) if activity.id else None


def form_key(activity: Activity) -> str | None:
    """One key per form card (its message id): saving the same form twice records it once."""
    if not activity.reply_to_id:
        return delivery_key(activity)
    return _key("teams:form", f"{conversation_key(activity)}:{activity.reply_to_id}")


def text_request(activity: Activity, actor: Actor, text: str) -> Request:
    return Request(
        actor=actor,
        text=text,
        surface=Surface.TEAMS,
        conversation=conversation_ref(activity),
        request_key=delivery_key(activity),
    )


def button_request(activity: Activity, actor: Actor, action: CardAction) -> Request:
    intent = action.button_intent
    assert intent is not None
    command = Button(intent=intent, action_id=action.action_id, label="").command
    return replace(text_request(activity, actor, command), from_button=True)


def form_submission(activity: Activity, actor: Actor, action: CardAction) -> FormSubmission:
    return FormSubmission(
        actor=actor,
        action_id=action.action_id,
        values=action.values,
        surface=Surface.TEAMS,
        conversation=conversation_ref(activity),
        request_key=form_key(activity),
    )


def _key(prefix: str, value: str) -> str:
    key = f"{prefix}:{value}"
    if len(key) <= _MAX_KEY:
        return key
    return f"{prefix}:{hashlib.sha256(value.encode()).hexdigest()[:40]}"

"""Slack payloads as neutral requests: a slash command, a button press, a submitted modal.

Pure functions over the strict models of :mod:`adapters.slack.models` (validated at the edge). Each
request carries a ``request_key`` built from the payload's trigger id, which Slack sends again unchanged
when it retries a delivery, so the core records a retried change once. A press of a button that is not
one of ours as it is today (an unknown or mis-cased ``action_id``, a ``value`` that is not our JSON) is a
:class:`StaleButton`; a modal whose ``private_metadata`` is not ours is a :class:`StaleForm`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import ValidationError

from adapters.logs import problem
from adapters.slack.blocks import ACTION_PREFIX, Block
from adapters.slack.modal import CALLBACK_ID, Origin, submitted_values
from adapters.slack.models import BlockActions, ButtonValue, SlashCommand, ViewSubmission
from bot.domain import Surface
from bot.replies import Button, ButtonIntent, View
from bot.requests import Actor, ConversationRef, FormSubmission, Request

PLATFORM = "slack"
_INTENTS = {f"{ACTION_PREFIX}{intent.value}": intent for intent in ButtonIntent}
_BLOCK_ACTION = re.compile(r"^(?:buttons|item):([0-9]{1,10}):")


class StaleButton(ValueError):
    """A press we cannot act on; ``action_id`` is the action it seems to be about, when that can be told."""

    def __init__(self, reason: str, action_id: int | None = None) -> None:
        super().__init__(reason)
        self.action_id = action_id

    @property
    def answer(self) -> str:
        if self.action_id is not None:
            return f"That button is out of date: type `show {self.action_id}` to see the action as it is now."
        return "That button is out of date: type `mine` to see your actions as they are now."


class StaleForm(ValueError):
    """A submitted modal that is not our Update… form as it is today."""


def request_key(trigger_id: str | None, message_ts: str | None = None, action_ts: str | None = None) -> str | None:
    """The delivery's identity: its trigger id (a retry carries the same one)."""
    if trigger_id:
        return f"slack:{trigger_id}"
    return f"slack:{message_ts}:{action_ts}" if action_ts else None


def conversation(channel_id: str | None) -> ConversationRef | None:
    return ConversationRef(platform=PLATFORM, key=channel_id) if channel_id else None


_BROADCAST = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#[A-Z0-9]+\|([^>]*)>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|[^>]*)?>")


def command_text(raw: str) -> str:
    """A slash command's text as the user typed it. Slack sends typed ``&``, ``<``, ``>`` as entities
    and, with "escape channels, users, and links" on, @here as ``<!here>``, #channel as
    ``<#C1|name>`` and links as ``<https://…>`` (Slack's format, Jan 2025). User mentions stay
    ``<@U…>``: the grammar reads them (``link @user``, ``overdue @owner``)."""
    text = _BROADCAST.sub(r"@\1", raw)
    text = _CHANNEL.sub(r"#\1", text)
    text = _LINK.sub(r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def command_request(command: SlashCommand, actor: Actor) -> Request:
    """``/actions overdue`` → a request for the text after the command."""
    return Request(
        actor=actor,
        text=command_text(command.text),
        surface=Surface.SLACK,
        conversation=conversation(command.channel_id),
        request_key=request_key(command.trigger_id),
    )


def view_in(src: str | None) -> View | None:
    """The list view a button carried; ``None`` for none, or one from an older version (shown as before)."""
    try:
        return View.decode(src) if src else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Press:
    """A press of one of our buttons, and the message it was on."""

    intent: ButtonIntent
    action_id: int
    user_id: str
    view: View | None = None
    channel: str | None = None
    message_ts: str | None = None
    ephemeral: bool = False
    response_url: str | None = None
    trigger_id: str | None = None
    blocks: list[Block] | None = None  # absent for ephemeral messages (Slack does not send them)
    message_text: str = ""
    request_key: str | None = None

    @property
    def command(self) -> str:
        """What pressing the button means, as a command (``done 42``)."""
        return Button(intent=self.intent, action_id=self.action_id, label="").command

    def request(self, actor: Actor) -> Request:
        return Request(
            actor=actor,
            text=self.command,
            surface=Surface.SLACK,
            conversation=conversation(self.channel),
            request_key=self.request_key,
            from_button=True,
        )

    def origin(self, view: View | None = None) -> Origin:
        """Where a form opened from this press reports back: the pressed message, and the list ``view`` the core
        gave the form (:attr:`~bot.replies.Form.view`), drawn again there once the form is saved."""
        source = view.encode() if view is not None and view.fits else None
        if self.ephemeral:
            return Origin(self.action_id, self.channel, None, self.response_url, source, replace=True)
        return Origin(self.action_id, self.channel, self.message_ts, source=source)


def where(payload: BlockActions) -> tuple[str | None, str | None]:
    """The channel and message a press was made on."""
    container, message = payload.container, payload.message
    channel = payload.channel.id if payload.channel else (container.channel_id if container else None)
    message_ts = (container.message_ts if container else None) or (message.ts if message else None)
    return channel, message_ts


def press(payload: BlockActions) -> Press:
    """The press in a ``block_actions`` payload; :class:`StaleButton` if it is not one of our buttons as they are."""
    element = payload.actions[0]
    hinted = _BLOCK_ACTION.match(element.block_id or "")
    hint = int(hinted[1]) if hinted and 1 <= int(hinted[1]) <= 2_147_483_647 else None
    intent = _INTENTS.get(element.action_id)
    if intent is None:
        raise StaleButton(f"unknown button {element.action_id[:60]!r}", hint)
    try:
        value = ButtonValue.model_validate_json(element.value or "")
    except ValidationError as exc:
        raise StaleButton(f"the button's value is not ours: {problem(exc)}", hint) from None
    channel, message_ts = where(payload)
    container, message = payload.container, payload.message
    return Press(
        intent=intent,
        action_id=value.id,
        user_id=payload.user.id,
        view=view_in(value.src),
        channel=channel,
        message_ts=message_ts,
        ephemeral=bool(container and container.is_ephemeral),
        response_url=payload.response_url,
        trigger_id=payload.trigger_id,
        blocks=message.blocks if message else None,
        message_text=message.text if message else "",
        request_key=request_key(payload.trigger_id, message_ts, element.action_ts),
    )


def submission(payload: ViewSubmission, actor: Actor) -> tuple[FormSubmission, Origin]:
    """The values of a submitted Update… modal and where it was opened; :class:`StaleForm` if not ours."""
    view = payload.view
    if view.callback_id != CALLBACK_ID:
        raise StaleForm(f"unknown modal {view.callback_id[:60]!r}")
    try:
        origin = Origin.decode(view.private_metadata)
    except ValueError as exc:
        raise StaleForm(str(exc)) from None
    key = request_key(payload.trigger_id) or f"slack:view:{view.id}:{view.hash}"
    form = FormSubmission(
        actor=actor,
        action_id=origin.action_id,
        values=submitted_values(view.state),
        surface=Surface.SLACK,
        conversation=conversation(origin.channel),
        request_key=key,
    )
    return form, origin

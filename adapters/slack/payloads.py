"""Slack payloads as neutral requests: a slash command, a button press, a submitted modal.

Pure functions over the dicts Slack sends (a slash command's form fields; the ``payload=`` JSON of
``block_actions`` and ``view_submission``). Each request carries a ``request_key`` built from the
payload's trigger id, which Slack sends again unchanged when it retries a delivery, so the core
records a retried change once.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from adapters.slack.blocks import ACTION_PREFIX, Block
from adapters.slack.modal import Origin, submitted_values
from bot.core import REGISTRY
from bot.domain import Surface
from bot.grammar import command_name
from bot.replies import Button, ButtonIntent
from bot.requests import Actor, ConversationRef, FormSubmission, Request

PLATFORM = "slack"


def request_key(body: dict[str, Any]) -> str | None:
    """The delivery's identity: its trigger id (a retry carries the same one)."""
    trigger = body.get("trigger_id")
    if trigger:
        return f"slack:{trigger}"
    actions = body.get("actions") or [{}]
    stamp = actions[0].get("action_ts") if isinstance(actions[0], dict) else None
    return f"slack:{body.get('container', {}).get('message_ts')}:{stamp}" if stamp else None


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


def command_request(body: dict[str, Any], actor: Actor) -> Request:
    """``/actions overdue`` → a request for the text after the command."""
    return Request(
        actor=actor,
        text=command_text(str(body.get("text") or "")),
        surface=Surface.SLACK,
        conversation=conversation(body.get("channel_id")),
        request_key=request_key(body),
    )


def source_for(text: str) -> str | None:
    """``text`` if running it again cannot change anything (a list or ``show``), so a message it
    produced can be rendered again after a press; ``None`` for commands that write."""
    name = command_name(text)
    return None if name is None or REGISTRY[name].writes else " ".join(text.split())


@dataclass(frozen=True)
class Press:
    """A press of one of our buttons, and the message it was on."""

    intent: ButtonIntent
    action_id: int
    user_id: str
    source: str | None = None
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

    def origin(self) -> Origin:
        """Where a form opened from this press should report back."""
        if self.ephemeral:
            return Origin(self.action_id, self.channel, None, self.response_url, self.source, replace=True)
        return Origin(self.action_id, self.channel, self.message_ts)


def press(body: dict[str, Any]) -> Press:
    """The press in a ``block_actions`` payload; ``ValueError`` if it is not one of our buttons."""
    action = (body.get("actions") or [None])[0]
    if not isinstance(action, dict) or not str(action.get("action_id", "")).startswith(ACTION_PREFIX):
        raise ValueError("not an actionbot button")
    intent = ButtonIntent(str(action["action_id"]).removeprefix(ACTION_PREFIX))
    value = json.loads(action.get("value") or "{}")
    if not isinstance(value, dict) or not isinstance(value.get("id"), int):
        raise ValueError("the button's value does not name an action")
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    source = value.get("src")
    return Press(
        intent=intent,
        action_id=value["id"],
        user_id=str((body.get("user") or {}).get("id", "")),
        source=source if isinstance(source, str) and source_for(source) else None,
        channel=channel,
        message_ts=container.get("message_ts") or message.get("ts"),
        ephemeral=bool(container.get("is_ephemeral")),
        response_url=body.get("response_url"),
        trigger_id=body.get("trigger_id"),
        blocks=message.get("blocks") if isinstance(message.get("blocks"), list) else None,
        message_text=str(message.get("text") or ""),
        request_key=request_key(body),
    )


def submission(body: dict[str, Any], actor: Actor) -> tuple[FormSubmission, Origin]:
    """The values of a submitted Update… modal and where it was opened; ``ValueError`` if not ours."""
    view = body.get("view") or {}
    origin = Origin.decode(view.get("private_metadata") or "")
    key = request_key(body) or (f"slack:view:{view.get('id')}:{view.get('hash')}" if view.get("id") else None)
    form = FormSubmission(
        actor=actor,
        action_id=origin.action_id,
        values=submitted_values(view),
        surface=Surface.SLACK,
        conversation=conversation(origin.channel),
        request_key=key,
    )
    return form, origin

"""The slack-bolt listeners: unpack, acknowledge, delegate to :class:`SlackInteractions`. Nothing else.

A slash command is acknowledged with its answer; a button press is acknowledged at once and
handled in the background; a submitted modal is acknowledged with its field errors, or closed.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from adapters.slack.blocks import ACTION_PREFIX
from adapters.slack.interactions import SlackInteractions
from adapters.slack.modal import CALLBACK_ID

log = logging.getLogger("actionbot.slack")

# Any slash command of the app: councils may name it /actions, /actionbot or /plan.
ANY_COMMAND = re.compile(r"^/\S+$")
OUR_BUTTONS = re.compile(f"^{re.escape(ACTION_PREFIX)}")


def register(bolt: AsyncApp, slack: SlackInteractions) -> None:
    """Attach the listeners for commands, buttons, the Update… modal and app lifecycle events."""

    @bolt.command(ANY_COMMAND)
    async def on_command(ack: AsyncAck, body: dict[str, Any]) -> None:
        answer = await slack.command(body)
        await (ack(answer) if answer else ack())

    @bolt.action(OUR_BUTTONS)
    async def on_button(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        slack.background.spawn(slack.press(body), "press")

    @bolt.view_submission(CALLBACK_ID)
    async def on_submit(ack: AsyncAck, body: dict[str, Any]) -> None:
        answer = await slack.submit(body)
        await (ack(answer) if answer else ack())

    @bolt.event("app_uninstalled")
    @bolt.event("tokens_revoked")
    async def on_removed(event: dict[str, Any]) -> None:
        log.warning("Slack says the app was removed or its tokens revoked (%s): it can no longer post", event["type"])

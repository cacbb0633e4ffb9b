"""The slack-bolt listeners: unpack, acknowledge, delegate to :class:`SlackInteractions`. Nothing else.

A slash command is acknowledged with its answer; a button press is acknowledged at once and
handled in the background; a submitted modal is acknowledged with its field errors, or closed.
Every button press and every submitted modal reaches a listener, ours or not: one that is not ours
as it is today gets a short answer rather than silence. An authentic delivery no listener takes
(an event actionbot does not use) is acknowledged with 200 and logged at DEBUG; a listener that
fails (a bug) is logged with its traceback and a reference, and the user is told the reference.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.response import BoltResponse

from adapters.logs import reference
from adapters.slack.file_events import is_file_share
from adapters.slack.files import SlackFiles, is_file_button
from adapters.slack.interactions import SlackInteractions

log = logging.getLogger("actionbot.slack")

# Any slash command of the app: councils may name it /actions, /actionbot or /plan.
ANY_COMMAND = re.compile(r"^/\S+$")
ANYTHING = re.compile(r".*", re.DOTALL)


def register(bolt: AsyncApp, slack: SlackInteractions) -> None:
    """Attach the listeners for commands, buttons, the Update… modal, files shared in a DM and lifecycle events."""

    @bolt.command(ANY_COMMAND)
    async def on_command(ack: AsyncAck, body: dict[str, Any]) -> None:
        answer = await slack.command(body)
        await (ack(answer) if answer else ack())

    files = SlackFiles(slack)

    @bolt.block_action(ANYTHING)
    async def on_button(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        if is_file_button(body):  # Import / Cancel under a plan's dry run
            slack.background.spawn(files.press(body), "file-press")
            return
        slack.background.spawn(slack.press(body), "press")

    async def shares_files(body: dict[str, Any]) -> bool:
        return is_file_share(body)

    @bolt.event("message", matchers=[shares_files])
    async def on_file(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        slack.background.spawn(files.receive(body), "file")

    @bolt.view_submission(ANYTHING)
    async def on_submit(ack: AsyncAck, body: dict[str, Any]) -> None:
        answer = await slack.submit(body)
        await (ack(answer) if answer else ack())

    @bolt.event("app_uninstalled")
    @bolt.event("tokens_revoked")
    async def on_removed(event: dict[str, Any]) -> None:
        log.warning("Slack says the app was removed or its tokens revoked (%s): it can no longer post", event["type"])

    @bolt.error
    async def on_error(error: Exception, body: dict[str, Any]) -> BoltResponse:
        if isinstance(error, BoltUnhandledRequestError):
            kind = body.get("type") or ("slash command" if "command" in body else "delivery")
            log.debug("Slack %s acknowledged, not acted on", kind)
            return BoltResponse(status=200, body="")
        ref = reference()
        log.error("Slack listener failed (ref %s)", ref, exc_info=error, extra={"ref": ref, "outcome": "error"})
        text = f"Something went wrong on our side; nothing more was done. (ref {ref})"
        answer = {"response_type": "ephemeral", "text": text} if "command" in body else {}
        return BoltResponse(status=200, body=json.dumps(answer) if answer else "",
                            headers={"content-type": "application/json"} if answer else {})

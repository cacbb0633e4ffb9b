"""Loading a plan by sending it, on Slack: a file dropped into the bot's DM, its dry run, Import and Cancel.

The core decides everything (:mod:`bot.admin_files`); this module only moves bytes and messages:

1. A file share reaches :meth:`SlackFiles.receive` (already acknowledged). The core is asked first whether
   this person may import a file of this name and size; if not, the DM says why and nothing is downloaded.
2. The file is fetched from its ``url_private_download`` with the bot token (``files:read``), only from
   Slack's own hosts (:func:`~adapters.slack.file_events.file_hosts`), stopping past 10 MB or 30 seconds
   (:mod:`adapters.downloads`).
3. The core's dry run is posted in the DM with its **Import** and **Cancel** buttons.
4. A press of either (:meth:`SlackFiles.press`) goes to the core as any button does; the dry-run message is
   then replaced by what happened (imported, or cancelled), or the presser is told privately why not.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from pydantic import ValidationError

from adapters.downloads import DownloadFailed, TooLarge, download
from adapters.logs import problem, refuse
from adapters.slack import payloads
from adapters.slack.blocks import ACTION_PREFIX, SlackMessage, render
from adapters.slack.file_events import FileShareCallback, FileShareEvent, SharedFile, file_hosts
from adapters.slack.interactions import NETWORK_ERRORS, SlackInteractions
from adapters.slack.models import BlockActions
from adapters.slack.payloads import StaleButton
from bot.admin_files.incoming import MAX_BYTES, too_large
from bot.admin_files.service import SentFile
from bot.replies import FILE_INTENTS, Reply, Tone
from bot.requests import Actor

log = logging.getLogger("actionbot.slack")

DOWNLOAD = Reply()  # the core's "yes, download it" (it answers None) as the identity layer wants a reply
FILE_BUTTONS = frozenset(f"{ACTION_PREFIX}{intent.value}" for intent in FILE_INTENTS)


def is_file_button(body: dict[str, Any]) -> bool:
    """A press of Import or Cancel under a dry run (the edge has validated the payload)."""
    actions = body.get("actions") or [{}]
    return isinstance(actions[0], dict) and actions[0].get("action_id") in FILE_BUTTONS


class SlackFiles:
    """Files shared with the bot in its DM, and the presses of the buttons under their dry runs."""

    def __init__(self, slack: SlackInteractions) -> None:
        self.slack = slack
        settings = slack.core.settings
        self.hosts = file_hosts(settings)
        token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else ""
        self._auth = {"Authorization": f"Bearer {token}"}

    # A file shared ----------------------------------------------------------------------------

    async def receive(self, body: dict[str, Any]) -> None:
        """Answer a file share in the bot's DM (already acknowledged): a refusal, or each file's dry run."""
        try:
            event = FileShareCallback.model_validate(body).event
        except ValidationError as exc:  # the edge lets no such payload through
            refuse(log, "a Slack file share", problem(exc), surface="slack")
            return
        if event.bot_id or event.user is None or event.channel_type not in (None, "im"):
            log.debug("Slack file share not from a person in a DM: not acted on")
            return
        for shared in event.files:
            await self._one(event.user, event, shared)

    async def _one(self, user: str, event: FileShareEvent, shared: SharedFile) -> None:
        core = self.slack.core
        name = shared.name or shared.id
        actor, refusal = await self.slack.identity.serve(
            user, lambda actor: core.imports.may_import(actor, name, shared.size) or DOWNLOAD
        )
        if refusal is not DOWNLOAD:
            await self._post(event.channel, refusal)
            return
        if shared.url_private_download is None or shared.mode not in (None, "hosted", "snippet"):
            await self._post(event.channel, Reply.error(f"{name} is not a file Slack holds (a link to another "
                                                        "service?): upload the file itself."))  # fmt: skip
            return
        data = await self._download(actor, event.channel, name, shared.url_private_download)
        if data is None:
            return
        sent = SentFile(actor=actor, key=f"slack:{shared.id}:{event.ts}", name=name, data=data,
                        text=payloads.command_text(event.text))  # fmt: skip
        reply = await asyncio.to_thread(core.imports.preview, sent)
        if reply is not None:
            await self._post(event.channel, reply)

    async def _download(self, actor: Actor, channel: str, name: str, url: str) -> bytes | None:
        """The file's bytes; ``None`` once the sender has been told why there are none."""
        http = self.slack.http or aiohttp.ClientSession()
        try:
            data, kind = await download(http, url, hosts=self.hosts, limit=MAX_BYTES, headers=self._auth)
        except TooLarge:
            await self._post(channel, Reply.error(too_large(name)))
            return None
        except DownloadFailed as exc:
            ref = refuse(log, "a file shared in Slack", str(exc), surface="slack", user=actor.user_id)
            await self._post(channel, Reply.error(f"I could not download {name}: {exc}. (ref {ref})"))
            return None
        finally:
            if http is not self.slack.http:
                await http.close()
        if kind == "text/html" and not name.lower().endswith((".htm", ".html")):
            # Slack answers a download without the right scope with its sign-in page, not an error.
            ref = refuse(log, "a file shared in Slack", "Slack sent a web page, not the file", surface="slack")
            await self._post(channel, Reply.error(f"Slack would not give me {name} (is the app allowed `files:read`? "
                                                  f"Ask whoever installed it). (ref {ref})"))  # fmt: skip
            return None
        return data

    # Import / Cancel pressed ----------------------------------------------------------------------

    async def press(self, body: dict[str, Any]) -> None:
        """Import or Cancel, pressed (already acknowledged): the core decides; the dry run is replaced by the
        outcome when something was done, else the presser alone is told why not."""
        try:
            pressed = payloads.press(BlockActions.model_validate(body))
        except (ValidationError, StaleButton) as exc:
            why = problem(exc) if isinstance(exc, ValidationError) else str(exc)
            refuse(log, "a Slack file button press", why, surface="slack")
            return
        _, reply = await self.slack._run(pressed.user_id, pressed.request)
        there = (pressed.channel, pressed.user_id)
        if reply.tone is Tone.SUCCESS and pressed.channel and pressed.message_ts and not pressed.ephemeral:
            message = render(reply)
            try:
                await self.slack.client.chat_update(
                    channel=pressed.channel, ts=pressed.message_ts, text=message.text, blocks=message.blocks
                )
                return
            except NETWORK_ERRORS as exc:
                log.warning("chat.update failed after a file press: %s", type(exc).__name__)
        body_out = render(reply).response(replace_original=reply.tone is Tone.SUCCESS and pressed.ephemeral)
        await self.slack._respond(pressed.response_url, body_out, fallback=there)

    # Saying things --------------------------------------------------------------------------------

    async def _post(self, channel: str, reply: Reply) -> None:
        message: SlackMessage = render(reply)
        try:
            await self.slack.client.chat_postMessage(channel=channel, text=message.text, blocks=message.blocks)
        except NETWORK_ERRORS as exc:
            log.warning("chat.postMessage failed answering a shared file: %s", type(exc).__name__)

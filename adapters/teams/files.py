"""Loading a plan by sending it, on Teams: a file sent to the bot in the 1:1 chat, its dry run, Import and Cancel.

With ``supportsFiles`` in the app's manifest, a file sent in the personal chat arrives as an attachment of
type ``application/vnd.microsoft.teams.file.download.info`` whose ``content.downloadUrl`` is a short-lived,
pre-authenticated link on the user's OneDrive (``<tenant>-my.sharepoint.com``) and whose ``name`` is the
file's (Microsoft's "Send and receive files using bot", 2024). The core is asked first whether this person
may import a file so named; if not, they are told why and nothing is downloaded. The download goes only to
SharePoint's hosts over HTTPS and stops past 10 MB or 30 seconds (:mod:`adapters.downloads`); in anonymous
local mode (``ACTIONBOT_TEAMS_ALLOW_ANONYMOUS``, where the Emulator and the tests post activities and no
token is checked at all) files on this machine are fetched too.

Import and Cancel are card buttons the core answers like any other; what they did (imported, cancelled)
replaces the card in place, and anything else (already imported, not allowed) is said in a new message.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiohttp
from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from adapters.downloads import DownloadFailed, Hosts, TooLarge, download
from adapters.logs import refuse
from adapters.teams.activities import delivery_key
from adapters.teams.identity import TeamsPeople
from adapters.teams.messages import show
from bot.admin_files.incoming import MAX_BYTES, too_large
from bot.admin_files.service import SentFile
from bot.core import Core
from bot.replies import Reply, Tone
from bot.requests import Actor
from bot.settings import Settings

log = logging.getLogger("actionbot.teams")

FILE_DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"
MICROSOFT_FILE_DOMAINS = ("sharepoint.com",)  # OneDrive for Business and SharePoint Online
Say = Callable[[Reply], Awaitable[None]]
DOWNLOAD = Reply()  # the core's "yes, download it" (it answers None) as the identity layer wants a reply
_MENTION = re.compile(r"<at(?:\s[^>]*)?>.*?</at>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]{1,200}>")


@dataclass(frozen=True)
class SentTeamsFile:
    """One file of the message: its name, its download link, and Teams' id for it."""

    name: str
    url: str
    unique_id: str


def files_in(activity: Activity) -> list[SentTeamsFile]:
    """The files sent with a message (attachments of Teams' file download info type)."""
    found: list[SentTeamsFile] = []
    for attachment in activity.attachments or []:
        if getattr(attachment, "content_type", None) != FILE_DOWNLOAD_INFO:
            continue
        content = attachment.content if isinstance(attachment.content, dict) else {}
        url = content.get("downloadUrl")
        name = attachment.name if isinstance(attachment.name, str) else ""
        unique = content.get("uniqueId")
        found.append(SentTeamsFile(name=name[:1000], url=url if isinstance(url, str) else "",
                                   unique_id=str(unique)[:80] if unique else str(len(found))))  # fmt: skip
    return found


def file_hosts(settings: Settings) -> Hosts:
    """SharePoint over HTTPS; this machine too, only in anonymous local mode (no production bot runs so)."""
    return Hosts(domains=MICROSOFT_FILE_DOMAINS, loopback=settings.teams_allow_anonymous)


def message_text(activity: Activity) -> str:
    """The text typed with the file (the review title, perhaps): mentions and any HTML markup taken out."""
    text = _MENTION.sub(" ", activity.text or "")
    return html.unescape(_TAG.sub(" ", text)).strip()


class TeamsFiles:
    """Files sent to the bot in Teams, from "may this person import?" to the dry run with its buttons."""

    def __init__(self, core: Core, people: TeamsPeople) -> None:
        self.core = core
        self.people = people
        self.hosts = file_hosts(core.settings)

    async def receive(self, turn_context: TurnContext, sent: list[SentTeamsFile], say: Say) -> None:
        activity = turn_context.activity
        for number, shared in enumerate(sent):
            name = shared.name or "the file"
            actor, refusal = await self.people.serve(turn_context, self._asking(name))
            if refusal is not DOWNLOAD:
                await say(refusal)
                continue
            data = await self._download(shared, name, actor.user_id, say)
            if data is None:
                continue
            key = f"{delivery_key(activity) or 'teams'}:{shared.unique_id or number}"
            reply = await asyncio.to_thread(
                self.core.imports.preview,
                SentFile(actor=actor, key=key[:200], name=name, data=data, text=message_text(activity)),
            )
            if reply is not None:
                await say(reply)

    def _asking(self, name: str) -> Callable[[Actor], Reply]:
        """The core's question "may this person import a file so named?", as the identity layer runs it."""
        return lambda actor: self.core.imports.may_import(actor, name) or DOWNLOAD

    async def _download(self, shared: SentTeamsFile, name: str, user: str, say: Say) -> bytes | None:
        try:
            async with aiohttp.ClientSession() as http:
                data, _ = await download(http, shared.url, hosts=self.hosts, limit=MAX_BYTES)
        except TooLarge:
            await say(Reply.error(too_large(name)))
            return None
        except DownloadFailed as exc:
            ref = refuse(log, "a file sent in Teams", str(exc), surface="teams", user=user)
            await say(Reply.error(f"I could not download {name}: {exc}. (ref {ref})"))
            return None
        return data


async def show_outcome(turn_context: TurnContext, reply: Reply) -> None:
    """After Import or Cancel: what was done replaces the dry run's card; anything else is a new message."""
    await show(turn_context, reply, in_place=reply.tone is Tone.SUCCESS)

"""A reply's file, sent in the Teams 1:1 chat through the file consent flow (Teams' way for a bot to send a file).

1. With the reply's card comes a ``FileConsentCard``: the file's name and size, Allow and Decline. Its
   accept context carries what the core said makes the file again (the attachment's
   :class:`~bot.replies.FileRequest`: an export, its review and format), not the bytes: nothing is kept in
   memory between the two turns, and any process can serve the answer. The adapter never reads a command.
2. Teams answers with a ``fileConsent/invoke``. On accept its ``uploadInfo`` names an upload URL in the
   user's OneDrive: ``Core.remake`` makes the file again as the person answering (checking their permission
   again), the bytes are PUT there in one request, and a ``FileInfoCard`` shows the file in the chat. On
   decline the bot says it sent nothing. An answer that is not ours gets 400; any other is answered 200,
   as Teams expects.

Only the 1:1 chat can take a file this way; asked in a group chat or a channel, the bot says to ask it there.
"""

from __future__ import annotations

import logging

import aiohttp
from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes, Attachment
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from adapters.logs import problem, refuse
from adapters.teams.activities import PERSONAL, conversation_type, text_request
from adapters.teams.identity import TeamsPeople
from adapters.teams.messages import card_activity
from bot.core import Core
from bot.replies import FileRequest, Reply

log = logging.getLogger("actionbot.teams")

INVOKE = "fileConsent/invoke"
CONSENT_TYPE = "application/vnd.microsoft.teams.card.file.consent"
INFO_TYPE = "application/vnd.microsoft.teams.card.file.info"
UPLOAD_TIMEOUT = aiohttp.ClientTimeout(total=60)
ONLY_PERSONAL = "I can send you files only in our 1:1 chat: message me `{command}` there."


class UploadInfo(BaseModel):
    """Where Teams says to put the file (the user's OneDrive), and how to show it once there."""

    model_config = ConfigDict(populate_by_name=True)

    name: str = Field(max_length=400)
    upload_url: str = Field(alias="uploadUrl", pattern=r"^https?://", max_length=4000)
    content_url: str = Field(alias="contentUrl", max_length=4000)
    unique_id: str = Field(alias="uniqueId", max_length=200)
    file_type: str = Field("", alias="fileType", max_length=40)


class ConsentContext(BaseModel):
    """What the consent card carried: how the core makes the file again."""

    model_config = ConfigDict(extra="forbid")

    file: FileRequest


class ConsentAnswer(BaseModel):
    """The value of a ``fileConsent/invoke``."""

    model_config = ConfigDict(populate_by_name=True)

    action: str = Field(pattern="^(accept|decline)$")
    context: ConsentContext
    upload_info: UploadInfo | None = Field(None, alias="uploadInfo")


def consent_card(reply: Reply, wanted: FileRequest) -> Activity:
    """A message carrying the FileConsentCard for the reply's file, which ``wanted`` makes again."""
    assert reply.attachment is not None
    size = len(reply.attachment.data)
    context = ConsentContext(file=wanted).model_dump(mode="json")
    card = Attachment(
        content_type=CONSENT_TYPE,
        name=reply.attachment.name,
        content={
            "description": f"The progress report, {size:,} bytes.",
            "sizeInBytes": size,
            "acceptContext": context,
            "declineContext": context,
        },
    )
    return Activity(type=ActivityTypes.message, attachments=[card], summary=f"Send {reply.attachment.name}?")


async def offer(turn_context: TurnContext, reply: Reply) -> None:
    """After the reply's card: the consent card in a 1:1 chat, elsewhere a line saying where to ask."""
    wanted = reply.attachment.remake if reply.attachment else None
    if wanted is None:  # a file the core cannot make again cannot wait for consent
        log.info("a reply's file with no way to make it again was not offered in Teams")
    elif conversation_type(turn_context.activity) == PERSONAL:
        await turn_context.send_activity(consent_card(reply, wanted))
    else:
        await _say(turn_context, Reply.text(ONLY_PERSONAL.format(command=wanted.command)))


async def answer(turn_context: TurnContext, core: Core, people: TeamsPeople) -> InvokeResponse:
    """Allow: make the file again as the person answering, PUT it, show it. Decline: say nothing was sent."""
    try:
        consent = ConsentAnswer.model_validate(turn_context.activity.value)
        if consent.action == "accept" and consent.upload_info is None:
            raise ValueError("an accepted file consent without uploadInfo")
    except (ValidationError, ValueError) as exc:
        refuse(log, "a Teams file consent", problem(exc) if isinstance(exc, ValidationError) else str(exc),
               surface="teams")  # fmt: skip
        return InvokeResponse(status=400)
    if consent.action == "decline":
        await _say(turn_context, Reply.text("Declined: I sent no file."))
        return InvokeResponse(status=200)
    assert consent.upload_info is not None
    activity, wanted = turn_context.activity, consent.context.file
    _, reply = await people.serve(
        turn_context, lambda actor: core.remake(text_request(activity, actor, wanted.command), wanted)
    )
    if reply.attachment is None:  # refused now (a role taken away since), or nothing to report
        await _say(turn_context, reply)
        return InvokeResponse(status=200)
    failure = await _put(consent.upload_info.upload_url, reply.attachment.data)
    if failure is not None:
        log.warning("putting %s in OneDrive failed: %s", reply.attachment.name, failure)
        await _say(turn_context, Reply.error(f"I could not put {reply.attachment.name} in your OneDrive ({failure})."
                                             f" Ask again: `{wanted.command}`."))  # fmt: skip
        return InvokeResponse(status=200)
    await turn_context.send_activity(_file_info(consent.upload_info))
    return InvokeResponse(status=200)


async def _put(url: str, data: bytes) -> str | None:
    """PUT the bytes to the upload URL in one request; ``None`` when it took them, else why not."""
    headers = {"Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}", "Content-Type": "application/octet-stream"}
    try:
        async with (
            aiohttp.ClientSession(timeout=UPLOAD_TIMEOUT) as session,
            session.put(url, data=data, headers=headers) as response,
        ):
            await response.read()
            return None if response.status in (200, 201) else f"HTTP {response.status}"
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        return type(exc).__name__


def _file_info(info: UploadInfo) -> Activity:
    """The FileInfoCard: the file, now in the user's OneDrive, shown in the chat."""
    card = Attachment(
        content_type=INFO_TYPE,
        content_url=info.content_url,
        name=info.name,
        content={"uniqueId": info.unique_id, "fileType": info.file_type},
    )
    return Activity(type=ActivityTypes.message, attachments=[card], summary=f"{info.name} is in your OneDrive")


async def _say(turn_context: TurnContext, reply: Reply) -> None:
    await turn_context.send_activity(card_activity(reply))

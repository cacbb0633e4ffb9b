"""A reply's file, uploaded into the Slack conversation it was asked in, with the current upload API.

``files_upload_v2`` (slack_sdk) is ``files.getUploadURLExternal``, a POST of the bytes to the URL it
gives, then ``files.completeUploadExternal`` sharing the file in the channel (scope ``files:write``).
Where the bot cannot share (a channel it is not in, or another pair's DM), the file goes to the asker's
DM with the bot instead, and they are told so. A failure is one WARNING line and a short answer.
"""

from __future__ import annotations

import logging

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.app import api_error
from bot.replies import Attachment

log = logging.getLogger("actionbot.slack")

NETWORK_ERRORS = (SlackClientError, aiohttp.ClientError, OSError, TimeoutError)
NOT_THERE = {"not_in_channel", "channel_not_found", "is_archived", "not_allowed_token_type", "access_denied"}


async def share(client: AsyncWebClient, attachment: Attachment, *, channel: str | None, user_id: str) -> str | None:
    """Upload ``attachment`` into ``channel`` (else the asker's DM); ``None`` when it is there, else what to tell
    the asker: where it went instead, or why it could not be sent."""
    if channel:
        try:
            await _upload(client, attachment, channel)
            return None
        except SlackApiError as exc:
            if api_error(exc) not in NOT_THERE:
                return _failed(attachment, exc)
        except NETWORK_ERRORS as exc:
            return _failed(attachment, exc)
    try:
        opened = await client.conversations_open(users=user_id)
        await _upload(client, attachment, str(opened["channel"]["id"]))
    except NETWORK_ERRORS as exc:
        return _failed(attachment, exc)
    return f"I can't share files here, so I sent {attachment.name} to you in our direct messages."


async def _upload(client: AsyncWebClient, attachment: Attachment, channel: str) -> None:
    await client.files_upload_v2(
        channel=channel,
        file=attachment.data,
        filename=attachment.name,
        title=attachment.name,
        request_file_info=False,  # files.info needs files:read: the upload's own answer is enough
    )


def _failed(attachment: Attachment, exc: BaseException) -> str:
    reason = api_error(exc) if isinstance(exc, SlackApiError) else type(exc).__name__
    log.warning("uploading %s to Slack failed: %s", attachment.name, reason)
    return f"I could not upload {attachment.name} ({reason}). Try again in a moment."

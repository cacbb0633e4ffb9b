"""A file shared with the bot in Slack, as a strict model: the ``message`` event of a DM that carries files.

Slack sends it (``message.im``, scope ``im:history``) when someone drops a file into their DM with the bot,
with or without text (``import Corporate Peer Challenge 2018``); its subtype is ``file_share``, or none
on newer clients. Only what actionbot reads is modelled: the channel, the sender, the text, the message's
``ts``, and each file's id, name, size and private download URL. The edge (:mod:`adapters.slack.edge`)
lets through only file shares (:func:`is_file_share`), validated with :class:`FileShareCallback`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from adapters.downloads import Hosts, origin
from adapters.slack.models import Short, SlackId, Url, _Strict
from bot.settings import Settings

SLACK_FILE_DOMAINS = ("slack.com",)  # files.slack.com: url_private_download (Slack's docs, 2025)


class SharedFile(_Strict):
    """One file of the message: Slack's id, its name and size, and where the bot token can fetch it."""

    id: Short
    name: Annotated[str, Field(max_length=1000)] = ""
    size: Annotated[int, Field(ge=0)] | None = None
    mode: Short | None = None  # "hosted"; "external" for a Google Drive link, "tombstone" once deleted
    url_private_download: Url | None = None


class FileShareEvent(_Strict):
    """The message: where (a DM: ``channel_type`` ``im``), who, the text typed with the files, and the files."""

    type: Literal["message"]
    subtype: Short | None = None
    channel: SlackId
    channel_type: Short | None = None
    user: SlackId | None = None
    bot_id: Short | None = None
    text: str = ""
    ts: Short
    files: Annotated[list[SharedFile], Field(min_length=1, max_length=20)]


class FileShareCallback(_Strict):
    """The Events API delivery of a file share."""

    type: Literal["event_callback"]
    event: FileShareEvent
    event_id: Short | None = None


def is_file_share(data: dict[str, Any]) -> bool:
    """A delivery of a message with files (not an edit, a deletion or a bot's own message subtype)."""
    event = data.get("event")
    return (
        isinstance(event, dict)
        and event.get("type") == "message"
        and event.get("subtype") in (None, "file_share")
        and bool(event.get("files"))
    )


def file_hosts(settings: Settings) -> Hosts:
    """Slack's own hosts, over HTTPS, plus the origin of ``SLACK_API_URL`` (the fake Slack in tests; nothing
    more in production, where it is https://slack.com/api/): no other address a payload names is fetched."""
    return Hosts(domains=SLACK_FILE_DOMAINS, exact=(origin(settings.slack_api_url),))

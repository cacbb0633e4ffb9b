"""Bot Framework activities shaped as Microsoft Teams sends them (field for field, from real payloads).

``TeamsUser`` is someone in the test tenant; ``Chat`` is where they speak (a 1:1 chat, a group chat
or a team channel). The builders return plain JSON dicts, posted as-is to ``POST /api/messages``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

TENANT = "8d1c2a3b-0000-4000-8000-00000000c0de"
BOT_ID = "28:5e1f0c1d-0000-4000-8000-00000000b07a"
BOT_NAME = "actionbot"
_ids = itertools.count(1_700_000_000_001)


@dataclass(frozen=True)
class TeamsUser:
    """A person in the Teams tenant: Teams id (29:…), AAD object id, display name, email."""

    teams_id: str
    aad: str
    name: str
    email: str | None = None

    def account(self) -> dict[str, Any]:
        return {"id": self.teams_id, "name": self.name, "aadObjectId": self.aad}

    def mention(self, text: str | None = None) -> tuple[str, dict[str, Any]]:
        """The ``<at>`` tag and the entity Teams sends for an @mention of this user."""
        tag = f"<at>{text or self.name}</at>"
        return tag, {"type": "mention", "text": tag, "mentioned": {"id": self.teams_id, "name": self.name}}


@dataclass(frozen=True)
class Chat:
    """A Teams conversation: ``personal``, ``groupChat`` or ``channel`` (then ``id`` is the channel's)."""

    kind: str
    id: str
    team_name: str | None = None
    channel_name: str | None = None

    def conversation(self, thread: str | None) -> dict[str, Any]:
        conversation: dict[str, Any] = {"conversationType": self.kind, "tenantId": TENANT, "id": self.id}
        if self.kind != "personal":
            conversation["isGroup"] = True
        if self.kind == "channel" and thread:
            conversation["id"] = f"{self.id};messageid={thread}"
        return conversation

    def channel_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"tenant": {"id": TENANT}}
        if self.kind == "channel":
            data.update(
                teamsChannelId=self.id,
                teamsTeamId="19:team-finance@thread.tacv2",
                channel={"id": self.id, "name": self.channel_name},
                team={"id": "19:team-finance@thread.tacv2", "name": self.team_name, "aadGroupId": "0b5b-group"},
            )
        return data


def personal_chat(user: TeamsUser) -> Chat:
    return Chat("personal", f"a:1{user.aad.replace('-', '')}")


GROUP_CHAT = Chat("groupChat", "19:8f2c5d0e3b7a4c1d9e6f@thread.v2")
CHANNEL = Chat("channel", "19:c0ffee0a1b2c3d4e5f60@thread.tacv2", team_name="Finance Team", channel_name="Action plan")


def _base(kind: str, service_url: str, user: TeamsUser, chat: Chat, thread: str | None = None) -> dict[str, Any]:
    return {
        "type": kind,
        "id": str(next(_ids)),
        "timestamp": "2019-01-14T10:30:00.000Z",
        "localTimestamp": "2019-01-14T10:30:00.000+00:00",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": user.account(),
        "conversation": chat.conversation(thread),
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "locale": "en-GB",
        "channelData": chat.channel_data(),
    }


def message(
    service_url: str,
    user: TeamsUser,
    text: str,
    chat: Chat,
    *,
    mentions: list[dict[str, Any]] | None = None,
    thread: str = "1699999999000",
) -> dict[str, Any]:
    """A typed message (in a channel, in thread ``thread``); outside 1:1 chats ``text`` mentions the bot."""
    activity = _base("message", service_url, user, chat, thread)
    activity.update(
        textFormat="plain",
        text=text,
        entities=[
            *(mentions or []),
            {"type": "clientInfo", "locale": "en-GB", "country": "GB", "platform": "Web", "timezone": "Europe/London"},
        ],
        attachments=[{"contentType": "text/html", "content": f"<p>{text}</p>"}],
    )
    return activity


def file_message(
    service_url: str, user: TeamsUser, chat: Chat, name: str, download_url: str, *, text: str = ""
) -> dict[str, Any]:
    """A file sent to the bot in a 1:1 chat (the app has ``supportsFiles``), with ``text`` typed beside it."""
    activity = _base("message", service_url, user, chat)
    attachments: list[dict[str, Any]] = [{
        "contentType": "application/vnd.microsoft.teams.file.download.info",
        "contentUrl": f"https://bromsgrove-my.sharepoint.com/personal/user/Documents/Microsoft Teams Chat Files/{name}",
        "name": name,
        "content": {"downloadUrl": download_url, "uniqueId": f"1150d938-8870-4044-9f2c-{next(_ids) % 10**12:012d}",
                    "fileType": name.rpartition(".")[2]},
    }]  # fmt: skip
    if text:
        attachments.append({"contentType": "text/html", "content": f"<p>{text}</p>"})
    activity.update(textFormat="plain", text=text, attachments=attachments,
                    entities=[{"type": "clientInfo", "locale": "en-GB", "platform": "Web"}])
    return activity


def bot_mention() -> tuple[str, dict[str, Any]]:
    tag = f"<at>{BOT_NAME}</at>"
    return tag, {"type": "mention", "text": tag, "mentioned": {"id": BOT_ID, "name": BOT_NAME}}


def card_submit(
    service_url: str, user: TeamsUser, chat: Chat, value: dict[str, Any], *, card_id: str | None
) -> dict[str, Any]:
    """What Teams posts when an ``Action.Submit`` on the bot's card (message ``card_id``) is pressed."""
    activity = _base("message", service_url, user, chat, "1699999999000")
    activity.update(value=value, entities=[{"type": "clientInfo", "locale": "en-GB", "platform": "Web"}])
    if card_id:
        activity["replyToId"] = card_id
    return activity


def bot_added(service_url: str, installer: TeamsUser, chat: Chat) -> dict[str, Any]:
    """The ``conversationUpdate`` Teams sends when the app is installed in a chat or team."""
    activity = _base("conversationUpdate", service_url, installer, chat)
    activity["membersAdded"] = [{"id": BOT_ID}]
    activity["channelData"]["eventType"] = "teamMemberAdded" if chat.kind == "channel" else None
    return activity


def member_joined(service_url: str, joiner: TeamsUser, chat: Chat) -> dict[str, Any]:
    activity = _base("conversationUpdate", service_url, joiner, chat)
    activity["membersAdded"] = [{"id": joiner.teams_id, "aadObjectId": joiner.aad}]
    return activity


def bot_removed(service_url: str, remover: TeamsUser, chat: Chat) -> dict[str, Any]:
    activity = _base("conversationUpdate", service_url, remover, chat)
    activity["membersRemoved"] = [{"id": BOT_ID}]
    return activity


def installation(service_url: str, installer: TeamsUser, chat: Chat, action: str) -> dict[str, Any]:
    """``installationUpdate`` with ``action`` ``add`` or ``remove``."""
    activity = _base("installationUpdate", service_url, installer, chat)
    activity["action"] = action
    return activity


def file_consent(
    service_url: str, user: TeamsUser, chat: Chat, action: str, context: Any, upload_info: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What Teams posts when the user presses Allow (``accept``) or Decline on the bot's file consent card."""
    activity = _base("invoke", service_url, user, chat)
    value: dict[str, Any] = {"type": "fileUpload", "action": action, "context": context}
    if upload_info is not None:
        value["uploadInfo"] = upload_info
    activity.update(name="fileConsent/invoke", value=value, replyToId="1:0001")
    return activity

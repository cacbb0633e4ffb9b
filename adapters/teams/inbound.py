"""What the Bot Framework posts to ``/api/messages``, as strict pydantic models, checked before the SDK runs.

An activity must have the fields every Bot Framework channel sends (``type``, ``channelId``,
``serviceUrl``, ``from``, ``conversation`` with an id, ``recipient``), each of its documented JSON type;
a ``mention`` entity must say who it mentions and how the text writes it. Anything else is refused with
400 before the SDK or the bot touch it: a message without ``from`` or with ``conversation.id: null`` used
to fail deep in the turn with a traceback. Fields actionbot does not read are dropped, so what reaches
the SDK is only what was checked (:meth:`Inbound.activity_json`).

The value of a card press is checked where it is used (:mod:`adapters.teams.activities`), since a stale
card deserves an answer in the chat rather than a 400; so is an ``adaptiveCard/action`` invoke's value
(:class:`ExecuteValue`).
"""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

# Ids travel in the connector's URL paths (replies, card updates, member lookups): Teams' own ids
# ("29:1…", "a:1…", "19:…@thread.tacv2;messageid=…", the Emulator's "…|livechat") never hold a space,
# a control character, or what a URL path cannot carry as it is (/ ? # % \ { } [ ] < > " ^ `).
ID_CHARACTER = r'[^\s\x00-\x1f\x7f/?#%\\{}\[\]<>"^`]'
Id = Annotated[str, Field(min_length=1, max_length=1000, pattern=f"^{ID_CHARACTER}+$")]
Short = Annotated[str, Field(max_length=1000)]
Url = Annotated[str, Field(pattern=r"^https?://[^\s/]+", max_length=2000)]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True, populate_by_name=True)


class Account(_Strict):
    """A user or bot: ``from``, ``recipient``, a member added or removed, the one a mention names."""

    id: Id
    name: Short | None = None
    aad_object_id: Short | None = Field(None, alias="aadObjectId")
    role: Short | None = None


class Conversation(_Strict):
    """The conversation an activity belongs to (a 1:1 chat, a group chat, or a channel thread)."""

    id: Id
    conversation_type: Short | None = Field(None, alias="conversationType")
    tenant_id: Short | None = Field(None, alias="tenantId")
    is_group: bool | None = Field(None, alias="isGroup")
    name: Short | None = None


class Named(_Strict):
    """A team or channel named in ``channelData``."""

    id: Id | None = None
    name: Short | None = None
    aad_group_id: Short | None = Field(None, alias="aadGroupId")


class Tenant(_Strict):
    """The Microsoft 365 tenant."""

    id: Short


class ChannelData(_Strict):
    """The Teams-specific part: tenant, team and channel (names for subscriptions, ids for member lookups)."""

    tenant: Tenant | None = None
    team: Named | None = None
    channel: Named | None = None
    event_type: Short | None = Field(None, alias="eventType")
    teams_channel_id: Short | None = Field(None, alias="teamsChannelId")
    teams_team_id: Short | None = Field(None, alias="teamsTeamId")


class Entity(BaseModel):
    """An entity of a message: a ``mention`` must be well formed; other kinds (``clientInfo``…) are kept as sent."""

    model_config = ConfigDict(strict=True, extra="allow", frozen=True)

    type: Short

    @model_validator(mode="after")
    def _mention_is_complete(self) -> Entity:
        if self.type.lower() == "mention":
            try:
                Mention.model_validate(self.model_dump())
            except ValidationError:
                raise ValueError("a mention needs its text and mentioned.id as strings") from None
        return self


class Mention(_Strict):
    """A ``mention`` entity: the tag as the text writes it, and who it names."""

    type: Short
    text: Annotated[str, Field(min_length=1, max_length=1000)]
    mentioned: Account


class Attachment(_Strict):
    """A file or card sent with a message (kept for the SDK; the text of a message is what the bot reads)."""

    content_type: Short = Field(alias="contentType")
    content_url: Annotated[str, Field(max_length=4000)] | None = Field(None, alias="contentUrl")
    content: Any = None
    name: Short | None = None


class Inbound(_Strict):
    """One activity as posted by the Bot Framework."""

    type: Annotated[str, Field(min_length=1, max_length=100)]
    id: Id | None = None
    channel_id: Annotated[str, Field(min_length=1, max_length=100)] = Field(alias="channelId")
    service_url: Url = Field(alias="serviceUrl")
    from_: Account = Field(alias="from")
    conversation: Conversation
    recipient: Account
    text: str | None = None
    text_format: Short | None = Field(None, alias="textFormat")
    locale: Short | None = None
    name: Short | None = None
    value: Any = None
    reply_to_id: Id | None = Field(None, alias="replyToId")
    action: Short | None = None
    entities: Annotated[list[Entity], Field(max_length=200)] | None = None
    attachments: Annotated[list[Attachment], Field(max_length=50)] | None = None
    channel_data: ChannelData | None = Field(None, alias="channelData")
    members_added: Annotated[list[Account], Field(max_length=1000)] | None = Field(None, alias="membersAdded")
    members_removed: Annotated[list[Account], Field(max_length=1000)] | None = Field(None, alias="membersRemoved")

    def activity_json(self) -> dict[str, Any]:
        """The checked fields, as the Bot Framework names them, for the SDK's ``Activity().deserialize``."""
        data: dict[str, Any] = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        return data

    @property
    def loopback_service(self) -> bool:
        """Whether ``serviceUrl`` points at this machine (all anonymous local testing may reach)."""
        return is_loopback(self.service_url)


def is_loopback(url: str) -> bool:
    """``http://127.0.0.1:3979/``, ``http://localhost/``, ``http://[::1]/``: yes; any other host: no."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return False
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class ExecuteAction(_Strict):
    """The pressed ``Action.Execute``: its verb and its data (with the card's inputs)."""

    type: Literal["Action.Execute"]
    verb: Short | None = None
    id: Short | None = None
    data: dict[str, Any] = Field(default_factory=dict)


class ExecuteValue(_Strict):
    """The value of an ``adaptiveCard/action`` invoke: a card's ``Action.Execute`` and its data (inputs merged)."""

    action: ExecuteAction
    trigger: Short | None = None

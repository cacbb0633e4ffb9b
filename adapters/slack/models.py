"""What Slack sends, as strict pydantic models: parsed once at the edge, never read as loose dicts.

Strict mode takes JSON types as they are: a button value ``{"id": true}`` is not action #1, a
``private_metadata`` whose action is ``"42"`` is not action 42. Every model ignores fields it does not
name, so Slack may add fields; but a field it names must have its documented type, or the payload is
refused (:class:`pydantic.ValidationError`, turned into one log line and a clear answer by the caller).

Fields actionbot does not use (the workspace, the enterprise, the app id…) are not modelled, so an odd
value there never refuses a delivery. The models cover what actionbot acts on: slash commands (form
fields), ``block_actions`` (a button press), ``view_submission`` (the Update… modal), ``event_callback``
(lifecycle events); plus the two strings it puts into payloads itself, a button's ``value``
(:class:`ButtonValue`) and a modal's ``private_metadata`` (:class:`OriginData`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.requests import MAX_ACTION_ID

# Slack ids: users U…/W…, channels C…/D…/G…, teams T…, enterprises E…, apps A… (upper case letters and digits).
SlackId = Annotated[str, Field(pattern=r"^[A-Z0-9]{2,40}$")]
Url = Annotated[str, Field(pattern=r"^https?://\S+$", max_length=2000)]
Short = Annotated[str, Field(max_length=255)]
ActionNumber = Annotated[int, Field(ge=1, le=MAX_ACTION_ID)]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


# Slash commands ---------------------------------------------------------------------------------


class SlashCommand(_Strict):
    """The form fields of ``/actions <text>`` (all strings, as Slack posts them)."""

    command: Annotated[str, Field(pattern=r"^/\S{1,60}$")]
    text: str = ""
    user_id: SlackId
    channel_id: SlackId | None = None
    response_url: Url | None = None
    trigger_id: Short | None = None


# Interactivity ----------------------------------------------------------------------------------


class User(_Strict):
    """The Slack user who pressed or submitted."""

    id: SlackId


class Channel(_Strict):
    """The channel a press was made in."""

    id: SlackId


class Container(_Strict):
    """Where the pressed button was: the message's timestamp and channel, and whether it is ephemeral."""

    type: Short | None = None
    message_ts: Short | None = None
    channel_id: SlackId | None = None
    is_ephemeral: bool = False


class Message(_Strict):
    """The message a button was on (Slack sends it for messages in a channel, not for ephemeral ones)."""

    ts: Short | None = None
    text: str = ""
    blocks: list[dict[str, Any]] | None = None


class PressedElement(_Strict):
    """One element of ``actions``: the button pressed (``value`` is ours, a JSON string)."""

    action_id: Short
    block_id: Short | None = None
    value: str | None = None
    type: Short | None = None
    action_ts: Short | None = None


class BlockActions(_Strict):
    """A press of a button on one of our messages."""

    type: Literal["block_actions"]
    user: User
    actions: Annotated[list[PressedElement], Field(min_length=1, max_length=25)]
    container: Container | None = None
    channel: Channel | None = None
    message: Message | None = None
    response_url: Url | None = None
    trigger_id: Short | None = None


class SelectedOption(_Strict):
    """The option chosen in a select menu."""

    value: str


class ElementState(_Strict):
    """What one input of a modal holds when it is submitted."""

    type: Short
    value: str | None = None
    selected_option: SelectedOption | None = None
    selected_date: Short | None = None


class ViewState(_Strict):
    """The inputs of a submitted modal, by block id and action id."""

    values: dict[Short, dict[Short, ElementState]] = Field(default_factory=dict)


class View(_Strict):
    """A submitted modal: its id and hash, our callback id and ``private_metadata``, and its inputs."""

    id: Short
    type: Short = "modal"
    hash: Short | None = None
    callback_id: Short = ""
    private_metadata: Annotated[str, Field(max_length=3000)] = ""
    state: ViewState = Field(default_factory=ViewState)


class ViewSubmission(_Strict):
    """The Update… modal, submitted."""

    type: Literal["view_submission"]
    user: User
    view: View
    trigger_id: Short | None = None


# Events API -------------------------------------------------------------------------------------


class Event(_Strict):
    """The event inside an Events API delivery; only its type is read."""

    type: Short


class EventCallback(_Strict):
    """An Events API delivery; actionbot only acts on its lifecycle events."""

    type: Literal["event_callback"]
    event: Event
    event_id: Short | None = None


class UrlVerification(_Strict):
    """Slack's check of the Request URL: answered with the challenge."""

    type: Literal["url_verification"]
    challenge: Annotated[str, Field(min_length=1, max_length=500)]


# Our own strings inside payloads ---------------------------------------------------------------


class ButtonValue(_Strict):
    """A button's ``value``: the action it is for and, on a list, the command that listed it."""

    id: ActionNumber
    src: Annotated[str, Field(max_length=300)] | None = None


class OriginData(_Strict):
    """A modal's ``private_metadata``: the action and the message the form was opened from."""

    a: ActionNumber
    c: SlackId | None = None
    t: Short | None = None
    u: Url | None = None
    s: Annotated[str, Field(max_length=300)] | None = None
    r: Annotated[int, Field(ge=0, le=1)] = 0

"""The Slack edge: the signature first, then the body read into a strict model, before bolt sees anything.

Order matters. bolt's request object parses the body as soon as it is built (before its own signature
check), and its parser guesses the format from the text (a slash command whose text says "payload" is
read as an empty interaction), so an unsigned ``payload=%7B`` or a non-numeric timestamp used to reach a
500. Here:

1. :func:`check_signature` verifies ``X-Slack-Signature`` over the raw bytes (HMAC-SHA256 with the signing
   secret, timestamp within five minutes). Anything unsigned, forged, stale or with a malformed header is
   refused with 401 and nothing of it is parsed.
2. :func:`read_body` reads the signed bytes: form fields (a slash command, or ``payload=`` JSON for
   interactivity) or a JSON body (Events API). Anything else is a 400 or 415.
3. :func:`classify` validates what actionbot acts on with the strict models of :mod:`models`, and says
   what every other authentic delivery is, so it can be acknowledged with 200 (Slack retries non-2xx
   answers and switches off an app's events when too many fail).

Socket Mode deliveries come over a websocket the app opened with its token (no signature); they go
through :func:`classify` too. bolt is then given only the validated, normalised payload.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar
from urllib.parse import parse_qsl

from pydantic import BaseModel, ValidationError

from adapters.logs import problem
from adapters.slack.file_events import FileShareCallback, is_file_share
from adapters.slack.models import (
    BlockActions,
    EventCallback,
    SlashCommand,
    UrlVerification,
    ViewSubmission,
)

MAX_AGE_SECONDS = 5 * 60
MAX_FIELDS = 100
# Events with a listener (see listeners.py); every other event is acknowledged and logged at DEBUG.
HANDLED_EVENTS = frozenset({"app_uninstalled", "tokens_revoked"})

M = TypeVar("M", bound=BaseModel)
Kind = Literal["command", "block_actions", "view_submission", "event", "url_verification", "ignored"]


class Refused(Exception):
    """A delivery that is not acted on: ``status`` is the HTTP answer, ``reason`` is for the log line."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Delivery:
    """An authentic delivery: what kind it is, and (for those acted on) its validated payload."""

    kind: Kind
    what: str  # "slash command", "block_actions", "event app_rate_limited"… for logs
    body: dict[str, Any] = field(default_factory=dict)
    challenge: str | None = None

    @property
    def acted_on(self) -> bool:
        return self.kind in ("command", "block_actions", "view_submission", "event")


# 1. The signature ---------------------------------------------------------------------------------


def check_signature(
    secret: str, raw: bytes, timestamp: str | None, signature: str | None, now: float
) -> str | None:
    """``None`` when Slack signed these bytes in the last five minutes; otherwise why the request is refused."""
    if not timestamp or not signature:
        return "no Slack signature headers"
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        return "X-Slack-Request-Timestamp is not a Unix time"
    if abs(now - int(timestamp)) > MAX_AGE_SECONDS:
        return "the request was signed more than five minutes ago"
    base = b"v0:" + timestamp.encode() + b":" + raw
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        return "the signature does not match the body"
    return None


# 2. The body --------------------------------------------------------------------------------------


def read_body(raw: bytes, content_type: str) -> dict[str, Any]:
    """The signed body as a dict: form fields, an interaction's ``payload`` object, or a JSON object."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "the body is not UTF-8") from None
    if content_type == "application/json":
        return _json_object(text, "the JSON body")
    if content_type != "application/x-www-form-urlencoded":
        raise Refused(415, f"content type {content_type or 'none'} is not one Slack sends")
    fields = _form(text)
    if "payload" in fields:
        if len(fields) > 1:
            raise Refused(400, "an interaction carries nothing but its payload")
        return _json_object(fields["payload"], "payload")
    return dict(fields)


def _form(text: str) -> dict[str, str]:
    try:
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text), errors="strict",
                          max_num_fields=MAX_FIELDS)
    except ValueError as exc:
        raise Refused(400, f"the form body is malformed ({type(exc).__name__})") from None
    fields: dict[str, str] = {}
    for name, value in pairs:
        if name in fields:
            raise Refused(400, f"form field {name[:40]!r} is given twice")
        fields[name] = value
    return fields


def _json_object(text: str, what: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise Refused(400, f"{what} is not JSON") from None
    if not isinstance(data, dict):
        raise Refused(400, f"{what} is a JSON {type(data).__name__}, not an object")
    return data


# 3. What it is ------------------------------------------------------------------------------------


def classify(data: dict[str, Any]) -> Delivery:
    """Validate a delivery actionbot acts on, or name one it only acknowledges; :class:`Refused` if malformed."""
    kind = data.get("type")
    if "type" not in data and "command" in data:
        return _valid("command", "slash command", SlashCommand, data)
    if "type" not in data and data.get("ssl_check") is not None:
        return Delivery("ignored", "ssl_check")
    if not isinstance(kind, str):
        raise Refused(400, "the payload has no type" if kind is None else "the payload's type is not a string")
    if kind == "block_actions":
        return _valid("block_actions", kind, BlockActions, data)
    if kind == "view_submission":
        return _valid("view_submission", kind, ViewSubmission, data)
    if kind == "url_verification":
        check = _model(UrlVerification, data, kind)
        return Delivery("url_verification", kind, challenge=check.challenge)
    if kind == "event_callback":
        callback = _model(EventCallback, data, kind)
        what = f"event {callback.event.type[:60]}"
        if callback.event.type in HANDLED_EVENTS:
            return Delivery("event", what, callback.model_dump(mode="json", exclude_none=True))
        if is_file_share(data):  # a file dropped into the bot's DM (adapters.slack.files)
            return _valid("event", "event message (file share)", FileShareCallback, data)
        return Delivery("ignored", what)
    return Delivery("ignored", kind[:60])  # app_rate_limited, view_closed, shortcuts…: nothing to do


def _valid(kind: Kind, what: str, model: type[BaseModel], data: dict[str, Any]) -> Delivery:
    return Delivery(kind, what, _model(model, data, what).model_dump(mode="json", exclude_none=True))


def _model(model: type[M], data: dict[str, Any], what: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise Refused(400, f"{what} is malformed: {problem(exc)}") from None

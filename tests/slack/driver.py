"""Talks to the real aiohttp server exactly as Slack does: signed, form-encoded slash commands and
``payload=`` JSON for button presses and modal submissions, with ``response_url``s on the fake."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from aiohttp.test_utils import TestClient

from tests.slack.fake_slack import FakeSlack

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TEAM = {"id": "T0COUNCIL", "domain": "council"}
CHANNEL = "C0PLAN"


def sign(body: str, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def command_form(text: str, *, user: str, channel: str, response_url: str, trigger_id: str) -> dict[str, str]:
    """The fields Slack posts for a slash command."""
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM["id"],
        "team_domain": TEAM["domain"],
        "channel_id": channel,
        "channel_name": "plan-followup" if channel.startswith("C") else "directmessage",
        "user_id": user,
        "user_name": user.lower(),
        "command": "/actions",
        "text": text,
        "api_app_id": "A0ACTIONS",
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


@dataclass
class Answer:
    """The HTTP answer to one delivery: status and body (JSON when there is one)."""

    status: int
    text: str

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.text) if self.text.startswith("{") else {}

    @property
    def blocks(self) -> list[dict[str, Any]]:
        return list(self.json.get("blocks", []))


@dataclass
class Message:
    """A message as a user sees it in Slack: where it is, its blocks, and whether it is ephemeral."""

    blocks: list[dict[str, Any]]
    channel: str = CHANNEL
    ts: str | None = None
    ephemeral: bool = True
    text: str = ""

    def button(self, action_id: int, intent: str) -> dict[str, Any]:
        for block in self.blocks:
            if block.get("type") == "actions" and block.get("block_id", "").startswith(f"buttons:{action_id}:"):
                for element in block["elements"]:
                    if element["action_id"] == f"actionbot_{intent}":
                        return dict(element)
        raise AssertionError(f"no {intent} button for #{action_id} in the message")

    def has_button(self, action_id: int, intent: str) -> bool:
        try:
            self.button(action_id, intent)
        except AssertionError:
            return False
        return True


@dataclass
class SlackDriver:
    """Sends deliveries to the server under test; ``fake`` is the Slack it talks back to."""

    client: TestClient[Any, Any]
    fake: FakeSlack
    _triggers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def trigger(self) -> str:
        return f"{next(self._triggers)}.{uuid.uuid4().int % 10**10}.{uuid.uuid4().hex}"

    async def deliver(
        self,
        body: str,
        *,
        content_type: str = "application/x-www-form-urlencoded",
        timestamp: int | None = None,
        signature: str | None = None,
        signed: bool = True,
        retry: int | None = None,
    ) -> Answer:
        stamp = int(time.time()) if timestamp is None else timestamp
        headers = {"Content-Type": content_type}
        if signed:
            headers["X-Slack-Request-Timestamp"] = str(stamp)
            headers["X-Slack-Signature"] = signature or sign(body, stamp)
        if retry is not None:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        response = await self.client.post("/slack/events", data=body.encode(), headers=headers)
        return Answer(response.status, await response.text())

    def command_body(self, text: str, *, user: str, channel: str = CHANNEL, trigger_id: str | None = None) -> str:
        form = command_form(
            text, user=user, channel=channel, response_url=self.fake.response_url("cmd"),
            trigger_id=trigger_id or self.trigger(),
        )
        return urlencode(form)

    async def command(self, text: str, *, user: str, channel: str = CHANNEL, **kwargs: Any) -> Answer:
        """``/actions <text>`` typed by ``user`` in ``channel``."""
        return await self.deliver(self.command_body(text, user=user, channel=channel), **kwargs)

    async def event(self, event: dict[str, Any], **kwargs: Any) -> Answer:
        """An Events API delivery of ``event``, as Slack posts it (JSON, signed)."""
        body = {"token": "legacy-verification-token", "team_id": TEAM["id"], "api_app_id": "A0ACTIONS",
                "event": event, "type": "event_callback", "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
                "event_time": int(time.time()), "authorizations": [{"team_id": TEAM["id"], "user_id": "UBOT00001",
                                                                    "is_bot": True}]}  # fmt: skip
        return await self.deliver(json.dumps(body), content_type="application/json", **kwargs)

    async def share_file(
        self, user: str, files: list[dict[str, Any]], *, text: str = "", channel: str | None = None, **kwargs: Any
    ) -> Answer:
        """``user`` drops ``files`` (from :meth:`FakeSlack.add_file`) into their DM with the bot, with ``text``."""
        event = {"type": "message", "subtype": "file_share", "text": text, "files": files, "upload": True,
                 "user": user, "display_as_bot": False, "ts": f"{time.time():.6f}", "event_ts": f"{time.time():.6f}",
                 "channel": channel or "D" + user[1:], "channel_type": "im"}  # fmt: skip
        return await self.event(event, **kwargs)

    async def interaction(self, payload: dict[str, Any], **kwargs: Any) -> Answer:
        return await self.deliver(urlencode({"payload": json.dumps(payload)}), **kwargs)

    def press_payload(self, message: Message, button: dict[str, Any], *, user: str) -> dict[str, Any]:
        """A ``block_actions`` payload for pressing ``button`` on ``message``."""
        block_id = next(
            b["block_id"] for b in message.blocks
            if b.get("type") == "actions" and any(e is button or e == button for e in b["elements"])
        )
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM["id"]},
            "api_app_id": "A0ACTIONS",
            "token": "legacy-verification-token",
            "container": {
                "type": "message",
                "message_ts": message.ts or "1547459999.000100",
                "channel_id": message.channel,
                "is_ephemeral": message.ephemeral,
            },
            "trigger_id": self.trigger(),
            "team": TEAM,
            "enterprise": None,
            "is_enterprise_install": False,
            "channel": {"id": message.channel, "name": "plan-followup"},
            "state": {"values": {}},
            "response_url": self.fake.response_url("action"),
            "actions": [
                {
                    "action_id": button["action_id"],
                    "block_id": block_id,
                    "text": button["text"],
                    "value": button["value"],
                    "type": "button",
                    "action_ts": f"{time.time():.6f}",
                }
                | ({"style": button["style"]} if "style" in button else {})
            ],
        }
        if not message.ephemeral:  # Slack sends the message only when it is not ephemeral
            payload["message"] = {"type": "message", "user": "UBOT00001", "ts": message.ts, "text": message.text,
                                  "blocks": message.blocks, "bot_id": "B0BOT"}
        return payload

    async def press(
        self, message: Message, action_id: int, intent: str, *, user: str, **kwargs: Any
    ) -> tuple[Answer, dict[str, Any]]:
        """Press a button; returns the HTTP answer and the payload that was sent."""
        payload = self.press_payload(message, message.button(action_id, intent), user=user)
        return await self.interaction(payload, **kwargs), payload

    def submission(self, view: dict[str, Any], values: dict[str, str | None], *, user: str) -> dict[str, Any]:
        """A ``view_submission`` payload for ``view`` (as opened) filled with ``values`` by field name."""
        state: dict[str, Any] = {}
        for block in view["blocks"]:
            if block.get("type") != "input":
                continue
            name, element = block["block_id"], block["element"]
            value = values.get(name, _initial(element))
            kind = element["type"]
            if kind == "static_select":
                option = next((o for o in element["options"] if o["value"] == value), None)
                if value is not None and option is None:  # a forged value: Slack would only send listed ones
                    option = {"text": {"type": "plain_text", "text": value}, "value": value}
                entry: dict[str, Any] = {"type": kind, "selected_option": option}
            elif kind == "datepicker":
                entry = {"type": kind, "selected_date": value}
            else:
                entry = {"type": kind, "value": value}
            state[name] = {element["action_id"]: entry}
        return {
            "type": "view_submission",
            "team": TEAM,
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM["id"]},
            "api_app_id": "A0ACTIONS",
            "token": "legacy-verification-token",
            "trigger_id": self.trigger(),
            "view": view | {"id": view.get("id", "V00042"), "team_id": TEAM["id"], "state": {"values": state},
                            "hash": view.get("hash", "1547460000.abc"), "app_id": "A0ACTIONS"},
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }

    async def submit(self, view: dict[str, Any], values: dict[str, str | None], *, user: str, **kwargs: Any) -> Answer:
        return await self.interaction(self.submission(view, values, user=user), **kwargs)


def _initial(element: dict[str, Any]) -> str | None:
    if element["type"] == "static_select":
        return (element.get("initial_option") or {}).get("value")
    if element["type"] == "datepicker":
        return element.get("initial_date")
    return element.get("initial_value")

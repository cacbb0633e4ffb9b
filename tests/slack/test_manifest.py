"""The Slack app manifest asks for what the code uses, and no more, and points Slack at our route."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

import adapters.slack
from adapters.slack.server import EVENTS_PATH

MANIFEST = Path(adapters.slack.__file__).parent / "manifest.yml"


def manifest() -> dict[str, Any]:
    return dict(yaml.safe_load(MANIFEST.read_text()))


def test_the_manifest_declares_the_actions_command_with_mentions_escaped() -> None:
    [command] = manifest()["features"]["slash_commands"]
    assert command["command"] == "/actions" and command["should_escape"] is True


def test_every_request_url_is_the_events_route() -> None:
    data = manifest()
    urls = [data["features"]["slash_commands"][0]["url"], data["settings"]["event_subscriptions"]["request_url"],
            data["settings"]["interactivity"]["request_url"]]
    assert all(url.startswith("https://") and url.endswith(EVENTS_PATH) for url in urls)
    assert data["settings"]["interactivity"]["is_enabled"] is True


def test_the_scopes_are_those_the_web_api_calls_need() -> None:
    scopes = set(manifest()["oauth_config"]["scopes"]["bot"])
    # commands: /actions; chat:write: chat.postMessage/update/postEphemeral; chat:write.public: public
    # channels unjoined; im:write: DMs the bot starts; users:read(.email): users.info with the email;
    # files:read: a plan's url_private_download; im:history: the message.im event (a plan dropped in the DM);
    # files:write: files.getUploadURLExternal and files.completeUploadExternal (`export`).
    assert scopes == {"commands", "chat:write", "chat:write.public", "im:write", "users:read", "users:read.email",
                      "files:read", "files:write", "im:history"}  # fmt: skip


def test_the_bot_events_are_those_the_app_listens_to() -> None:
    events = manifest()["settings"]["event_subscriptions"]["bot_events"]
    assert events == ["app_uninstalled", "tokens_revoked", "message.im"]


def test_people_can_write_to_the_bot_in_its_messages_tab() -> None:
    home = manifest()["features"]["app_home"]
    assert home["messages_tab_enabled"] is True and home["messages_tab_read_only_enabled"] is False

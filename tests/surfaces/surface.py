"""One conversation, either chat surface: say something, press a button, read what the user now sees.

:func:`on_slack` drives the real Slack server (signed slash commands and ``block_actions`` through
``tests/slack``'s driver, answers read from the fake Slack); :func:`on_teams` the real Teams bot
(activities through ``tests/teams``'s harness, answers read from the fake connector). People are the
Teams test tenant's users; on Slack each has the id in :data:`SLACK_IDS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.requests import ConversationRef
from tests.slack.conftest import Server
from tests.slack.driver import Message
from tests.slack.helpers import shown
from tests.teams.card_reading import text_of
from tests.teams.harness import DEB, JAYNE, KEVIN, STRANGER, Teams
from tests.teams.payloads import TeamsUser, personal_chat

SLACK_IDS = {DEB: "U0DEB", KEVIN: "U0KEVIN", JAYNE: "U0JAYNE", STRANGER: "U0SAM"}


@dataclass
class Screen:
    """A message as its reader sees it: its text, and what is needed to press its buttons."""

    text: str
    message: Any = None  # a Slack Message, or a Teams message id
    card: dict[str, Any] = field(default_factory=dict)  # Teams: the card shown


class Surface:
    """What a test does on a chat surface."""

    name: str

    async def say(self, user: TeamsUser, text: str) -> Screen:
        raise NotImplementedError

    async def link(self, admin: TeamsUser, user: TeamsUser, name: str) -> Screen:
        """``admin`` links the chat account of ``user`` to the person called ``name``."""
        raise NotImplementedError


class _Slack(Surface):
    name = "slack"

    def __init__(self, server: Server) -> None:
        self.server = server
        for user in SLACK_IDS:
            server.fake.add_user(SLACK_IDS[user], user.email, user.name)

    async def say(self, user: TeamsUser, text: str) -> Screen:
        answer = await self.server.command(text, user=SLACK_IDS[user])
        assert answer.status == 200
        return Screen(shown(answer.blocks), Message(answer.blocks))

    async def link(self, admin: TeamsUser, user: TeamsUser, name: str) -> Screen:
        return await self.say(admin, f"link <@{SLACK_IDS[user]}> {name}")


class _Teams(Surface):
    name = "teams"

    def __init__(self, teams: Teams) -> None:
        self.teams = teams

    async def say(self, user: TeamsUser, text: str, mentions: list[dict[str, Any]] | None = None) -> Screen:
        card = await self.teams.say(user, text, mentions=mentions)
        return Screen(text_of(card), self.teams.last_message_id(), card)

    async def link(self, admin: TeamsUser, user: TeamsUser, name: str) -> Screen:
        tag, entity = user.mention()
        return await self.say(admin, f"link {tag} {name}", mentions=[entity])


def on_slack(server: Server) -> Surface:
    return _Slack(server)


def on_teams(teams: Teams) -> Surface:
    return _Teams(teams)


def conversation_of(surface: Surface, user: TeamsUser) -> ConversationRef:
    """Where the clock writes to ``user`` on ``surface``: their Slack id, or their 1:1 chat with the bot."""
    if surface.name == "slack":
        return ConversationRef(platform="slack", key=SLACK_IDS[user])
    return ConversationRef(platform="teams", key=personal_chat(user).id)


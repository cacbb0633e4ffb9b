"""One conversation, either chat surface: say something, press a button, read what the user now sees.

:func:`on_slack` drives the real Slack server (signed slash commands and ``block_actions`` through
``tests/slack``'s driver, answers read from the fake Slack); :func:`on_teams` the real Teams bot
(activities through ``tests/teams``'s harness, answers read from the fake connector). People are the
Teams test tenant's users; on Slack each has the id in :data:`SLACK_IDS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from adapters.slack.sender import SlackSender
from adapters.teams.sender import TeamsSender
from bot.replies import BUTTON_LABELS, ButtonIntent, Reply
from bot.requests import ConversationRef
from tests.slack.conftest import Server
from tests.slack.driver import Message
from tests.slack.helpers import buttons_in, shown
from tests.teams.card_reading import button, buttons, text_of
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

    async def press(self, user: TeamsUser, screen: Screen, action_id: int, intent: str) -> Screen:
        """Press a button on ``screen``; what ``user`` then sees in its place."""
        raise NotImplementedError

    async def save_form(self, user: TeamsUser, screen: Screen, action_id: int, values: dict[str, str]) -> Screen:
        """Press Update… on ``screen``, fill the form with ``values`` and save it; what ``user`` then sees
        in the place of ``screen``."""
        raise NotImplementedError

    async def nudge(self, user: TeamsUser, reply: Reply) -> Screen:
        """The clock's message ``reply``, delivered to ``user`` by the platform's sender."""
        raise NotImplementedError

    def buttons(self, screen: Screen) -> list[tuple[int, str]]:
        """``(action number, intent)`` of every button shown."""
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

    async def press(self, user: TeamsUser, screen: Screen, action_id: int, intent: str) -> Screen:
        message: Message = screen.message
        await self.server.press(message, action_id, intent, user=SLACK_IDS[user])
        await self.server.settle()
        return self._in_place_of(message)

    async def save_form(self, user: TeamsUser, screen: Screen, action_id: int, values: dict[str, str]) -> Screen:
        await self.server.press(screen.message, action_id, "update", user=SLACK_IDS[user])
        await self.server.settle()
        form = self.server.fake.of("views.open")[-1].params["view"]
        saved = await self.server.submit(form, values, user=SLACK_IDS[user])
        assert (saved.status, saved.text) == (200, ""), "the form is closed"
        await self.server.settle()
        return self._in_place_of(screen.message)

    def _in_place_of(self, message: Message) -> Screen:
        """What now stands where ``message`` was: its latest replacement."""
        if message.ephemeral:
            posts = [c for c in self.server.fake.of("response_url") if c.params.get("replace_original") is True]
            blocks = posts[-1].params["blocks"]
            return Screen(shown(blocks), Message(blocks))
        [*_, update] = self.server.fake.of("chat.update")
        blocks = update.params["blocks"]
        return Screen(shown(blocks), Message(blocks, channel=message.channel, ts=message.ts, ephemeral=False))

    async def nudge(self, user: TeamsUser, reply: Reply) -> Screen:
        sent = await SlackSender(self.server.surface.interactions.client).send(conversation_of(self, user), reply)
        assert sent is not None
        channel, ts = sent.split(":", 1)
        blocks = self.server.fake.of("chat.postMessage")[-1].params["blocks"]
        return Screen(shown(blocks), Message(blocks, channel=channel, ts=ts, ephemeral=False))

    def buttons(self, screen: Screen) -> list[tuple[int, str]]:
        return [(number, intent) for number, intent, _ in buttons_in(screen.message.blocks)]


class _Teams(Surface):
    name = "teams"

    def __init__(self, teams: Teams, sender: TeamsSender) -> None:
        self.teams = teams
        self.sender = sender

    async def say(self, user: TeamsUser, text: str, mentions: list[dict[str, Any]] | None = None) -> Screen:
        card = await self.teams.say(user, text, mentions=mentions)
        return Screen(text_of(card), self.teams.last_message_id(), card)

    async def link(self, admin: TeamsUser, user: TeamsUser, name: str) -> Screen:
        tag, entity = user.mention()
        return await self.say(admin, f"link {tag} {name}", mentions=[entity])

    async def press(self, user: TeamsUser, screen: Screen, action_id: int, intent: str) -> Screen:
        title = BUTTON_LABELS[ButtonIntent(intent)]
        before = len(self.teams.connector.updates())
        assert await self.teams.press(user, screen.message, button(screen.card, title, action_id)) == 200
        updates = self.teams.connector.updates()
        assert len(updates) == before + 1, "the pressed card was not updated in place"
        assert updates[-1].activity_id == screen.message
        return Screen(text_of(updates[-1].card), screen.message, updates[-1].card)

    async def save_form(self, user: TeamsUser, screen: Screen, action_id: int, values: dict[str, str]) -> Screen:
        title = BUTTON_LABELS[ButtonIntent.UPDATE]
        assert await self.teams.press(user, screen.message, button(screen.card, title, action_id)) == 200
        form_id, form = self.teams.last_message_id(), self.teams.connector.last_card()
        [(_, save)] = buttons(form)
        before = len(self.teams.connector.updates())
        assert await self.teams.press(user, form_id, save, **values) == 200
        updates = [u for u in self.teams.connector.updates()[before:] if u.activity_id == screen.message]
        assert len(updates) == 1, "the list's own card was updated in place"
        return Screen(text_of(updates[0].card), screen.message, updates[0].card)

    async def nudge(self, user: TeamsUser, reply: Reply) -> Screen:
        await self.say(user, "help")  # a 1:1 chat the bot has seen: its reference is stored
        sent = await self.sender.send(conversation_of(self, user), reply)
        card = self.teams.connector.last_card()
        return Screen(text_of(card), sent, card)

    def buttons(self, screen: Screen) -> list[tuple[int, str]]:
        return [(data["action_id"], data["intent"]) for _, data in buttons(screen.card)]


def on_slack(server: Server) -> Surface:
    return _Slack(server)


def on_teams(teams: Teams, sender: TeamsSender) -> Surface:
    return _Teams(teams, sender)


def conversation_of(surface: Surface, user: TeamsUser) -> ConversationRef:
    """Where the clock writes to ``user`` on ``surface``: their Slack id, or their 1:1 chat with the bot."""
    if surface.name == "slack":
        return ConversationRef(platform="slack", key=SLACK_IDS[user])
    return ConversationRef(platform="teams", key=personal_chat(user).id)


"""The Teams test harness: people in a test tenant, the application as ``actionbot serve`` wires it,
and :class:`Teams`, which posts activities as Teams does and reads what reached the fake connector."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiohttp.test_utils import TestClient
from sqlalchemy import Engine

from adapters.bootstrap import App
from adapters.teams.sender import TeamsSender
from bot.clock import FixedClock
from bot.core import Core
from bot.settings import Settings
from store.models import Person
from tests.teams import payloads
from tests.teams.fake_connector import FakeConnector
from tests.teams.payloads import Chat, TeamsUser, personal_chat

DEB = TeamsUser("29:1deb-poole", "aad-0d3b-0001", "Deb Poole", "deb.poole@bromsgrove.gov.uk")
KEVIN = TeamsUser("29:1kevin-dicks", "aad-0d3b-0002", "Kevin Dicks", "k.dicks@bromsgrove.gov.uk")
JAYNE = TeamsUser("29:1jayne-pickering", "aad-0d3b-0003", "Jayne Pickering", "jayne.pickering@bromsgrove.gov.uk")
OWEN = TeamsUser("29:1owen-price", "aad-0d3b-0004", "Owen Price", "owen.price@bromsgrove.gov.uk")
STRANGER = TeamsUser("29:1sam-stranger", "aad-0d3b-0009", "Sam Stranger", "sam.stranger@contractor.example")
EVERYONE = (DEB, KEVIN, JAYNE, OWEN, STRANGER)


@dataclass
class Plan:
    """The people of the test plan: Deb, Kevin and Owen linked by AAD id; Jayne only known by email."""

    deb: Person
    kevin: Person
    jayne: Person
    owen: Person


def teams_app(engine: Engine, settings: Settings, clock: FixedClock) -> App:
    """The application as ``actionbot serve`` wires it, on the test's database and clock."""
    core = Core(engine, settings, clock)
    return App(settings, engine, core, senders={"teams": TeamsSender.from_settings(settings, core.uow)})


class Teams:
    """Talks to the bot as Teams does: posts activities, and reads what reached the connector."""

    def __init__(self, client: TestClient[Any, Any], connector: FakeConnector) -> None:
        self.client = client
        self.connector = connector

    @property
    def service_url(self) -> str:
        return self.connector.service_url

    async def post(self, activity: dict[str, Any], headers: dict[str, str] | None = None) -> int:
        response = await self.client.post("/api/messages", json=activity, headers=headers)
        await response.read()
        return response.status

    async def say(
        self,
        user: TeamsUser,
        text: str,
        chat: Chat | None = None,
        *,
        mentions: list[dict[str, Any]] | None = None,
        thread: str = "1699999999000",
    ) -> dict[str, Any]:
        """Send ``text`` as ``user`` (mentioning the bot first outside 1:1 chats); return the card answered."""
        chat = chat or personal_chat(user)
        entities = list(mentions or [])
        if chat.kind != "personal":
            tag, entity = payloads.bot_mention()
            text, entities = f"{tag} {text}", [entity, *entities]
        before = len(self.connector.calls)
        status = await self.post(payloads.message(self.service_url, user, text, chat, mentions=entities, thread=thread))
        assert status == 200
        assert len(self.connector.calls) > before, "the bot did not answer"
        return self.connector.last_card()

    async def press(
        self, user: TeamsUser, card_id: str | None, data: dict[str, Any], chat: Chat | None = None, **inputs: Any
    ) -> int:
        """Press a card button whose data is ``data`` (with the card's input values) on message ``card_id``."""
        chat = chat or personal_chat(user)
        activity = payloads.card_submit(self.service_url, user, chat, {**data, **inputs}, card_id=card_id)
        return await self.post(activity)

    def last_message_id(self) -> str:
        """The id of the message the bot last posted or updated (what pressing its buttons replies to)."""
        messages = [c for c in self.connector.calls if c.kind in ("post", "reply", "update")]
        message_id = messages[-1].message_id
        assert message_id is not None
        return message_id

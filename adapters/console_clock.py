"""The demo's clock: the real jobs and the real drain on a fixed clock, sending to the console.

:class:`ConsoleSender` is a :class:`~bot.sending.Sender` that writes each message to the terminal, labelled by
its real route (``→ DM to Gareth Evans (slack)``, ``→ #peer-challenge (slack)``); the demo registers one for
Slack, Teams and the console, so what the demo prints is exactly what the clock would post where.

:class:`DemoClock` owns the demo's :class:`~bot.clock.FixedClock` (the chat's "today" too) and answers
``tick``: advance to the next moment the bot would send something and print what it sent; ``tick 7d`` (or
``3h``, ``2w``): advance that long, printing everything sent on the way; ``tick monday``: advance to the next
Monday at the nudge hour. Time moves an hour at a time, running every job and the drain at each hour, as a
clock that never stopped would. After each chat command, :meth:`DemoClock.deliver` sends what is due at once
(an update broadcast to subscribed channels).
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from bot.clock import FixedClock
from bot.core import Core
from bot.domain import Surface
from bot.render_text import render
from bot.replies import Reply, Tone
from bot.requests import Actor, ConversationRef, Request
from bot.sending import Sender
from bot.services.people import set_link
from bot.settings import Settings
from bot.unit_of_work import Context
from scheduler.lease import Lease
from scheduler.runner import ClockRunner
from store import conversations, outbox_views
from store.models import Person
from store.session import transaction

HOUR = timedelta(hours=1)
LOOK_AHEAD = timedelta(days=31)  # ``tick`` gives up after a month of silence
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
TICK_HELP = (
    "tick: advance the demo's clock to the next moment the bot sends something, and show what it sends · "
    "tick 7d (or 3h, 2w): advance that long · tick monday: to next Monday morning"
)


@dataclass
class ConsoleSender:
    """Prints a message for one platform, labelled by whom it goes to; keeps the printed text in ``sent``."""

    platform: str
    engine: Engine
    sent: list[str] = field(default_factory=list)

    async def send(self, ref: ConversationRef, reply: Reply) -> str | None:
        with transaction(self.engine, write=False) as session:
            to = outbox_views.target_label(session, ref.platform, ref.key)
        body = "\n".join("    " + line if line else "" for line in render(reply).text.splitlines())
        self.sent.append(f"→ {to} ({ref.platform})\n{body}")
        return None


class DemoClock:
    """The demo's clock and its ``tick`` command; see the module's docstring."""

    def __init__(self, engine: Engine, settings: Settings, clock: FixedClock) -> None:
        self.clock = clock
        self.settings = settings
        self.sent: list[str] = []  # what the senders printed, in the order sent
        senders: dict[str, Sender] = {
            platform: ConsoleSender(platform, engine, self.sent) for platform in ("slack", "teams", "console")
        }
        self.runner = ClockRunner(engine, settings, senders, clock=clock, lease=Lease(engine))

    def now_line(self) -> str:
        return f"It is {self._when(self.clock.now())} (the demo's clock)."

    def tick(self, argument: str = "") -> str:
        """Answer ``tick [7d | monday]``: the messages sent while time moves on, and the time it is now."""
        text = argument.strip().lower()
        if not text:
            return asyncio.run(self._to_next_message())
        until = self._until(text)
        if until is None:
            return f"Sorry: `tick {argument.strip()}` is not something I can do. {TICK_HELP}."
        return asyncio.run(self._until_moment(until))

    def deliver(self) -> str:
        """Send what is due now (an update broadcast after a change); the messages sent, or ''."""
        return asyncio.run(self._step(self.clock.now(), run_jobs=False))

    def _until(self, text: str) -> datetime | None:
        now = self.clock.now()
        match = re.fullmatch(r"(\d{1,3})\s*([hdw])", text)
        if match:
            return now + int(match.group(1)) * UNITS[match.group(2)]
        for number, name in enumerate(WEEKDAYS):
            if len(text) >= 3 and name.startswith(text):
                local = now.astimezone(self.settings.zone)
                day = (local + timedelta(days=(number - local.weekday()) % 7)).date()
                moment = datetime(day.year, day.month, day.day, self.settings.nudge_hour, tzinfo=self.settings.zone)
                return moment if moment > now else moment + timedelta(weeks=1)
        return None

    async def _to_next_message(self) -> str:
        moment = self.clock.now()
        limit = moment + LOOK_AHEAD
        while moment <= limit:
            printed = await self._step(moment)
            if printed:
                return printed + "\n\n" + self.now_line()
            moment = _next_hour(moment)
        self.clock.set(limit)
        return f"Nothing to send in the next {LOOK_AHEAD.days} days. {self.now_line()}"

    async def _until_moment(self, until: datetime) -> str:
        parts: list[str] = []
        moment = _next_hour(self.clock.now())
        while moment <= until:
            printed = await self._step(moment)
            if printed:
                parts.append(printed)
            moment = _next_hour(moment)
        self.clock.set(until)
        if not parts:
            parts.append("Nothing was sent.")
        return "\n\n".join([*parts, self.now_line()])

    async def _step(self, moment: datetime, *, run_jobs: bool = True) -> str:
        self.clock.set(moment)
        if run_jobs:
            await asyncio.to_thread(self.runner.run_jobs)
        await self.runner.drain().run_once()
        sent = list(self.sent)
        self.sent.clear()
        if not sent:
            return ""
        return "\n\n".join([f"⏰ {self._when(moment)}", *sent])

    def _when(self, moment: datetime) -> str:
        return f"{moment.astimezone(self.settings.zone):%A %d %B %Y, %H:%M}"


def _next_hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0) + HOUR


# The demo's council on Slack and Teams: who is linked where, and the channel that follows the peer challenge.
DEMO_LINKS = {
    "Alex Morgan": ("slack", "U0ALEXMORGAN"),
    "Priya Shah": ("slack", "U0PRIYASHAH"),
    "Tom Hughes": ("slack", "U0TOMHUGHES"),
    "Gareth Evans": ("slack", "U0GARETHEVANS"),
    "Sarah Collins": ("slack", "U0SARAHCOLLINS"),
    "Mike Taylor": ("slack", "U0MIKETAYLOR"),
    "Nadia Rahman": ("teams", "aad-nadia-rahman"),
    "Lucy Bennett": ("teams", "aad-lucy-bennett"),
}  # Owen Price and Cllr Helen Ward are not linked: the bot cannot reach them
DEMO_CHANNEL = ConversationRef("slack", "C0PEERCHALLENGE")
DEMO_CHANNEL_NAME = "peer-challenge"
DEMO_SUBSCRIPTIONS = (
    ("Priya Shah", 'subscribe "Corporate Peer Challenge 2017" digest'),
    ("Priya Shah", 'subscribe "Corporate Peer Challenge 2017" updates'),
)


def set_up_demo_council(core: Core, people: dict[str, Person]) -> None:
    """Link the sample's people to Slack and Teams accounts and subscribe #peer-challenge, as an admin would."""

    def link(work: Context) -> None:
        for name, (platform, user_id) in DEMO_LINKS.items():
            person = work.session.get(Person, people[name].id)
            assert person is not None
            set_link(work.session, person, platform, user_id)
        conversations.save(work, DEMO_CHANNEL.platform, DEMO_CHANNEL.key, DEMO_CHANNEL_NAME, {})

    core.uow.run(link)
    for who, command in DEMO_SUBSCRIPTIONS:
        actor = Actor(platform="console", user_id=str(people[who].id))
        reply = core.handle(Request(actor=actor, text=command, surface=Surface.SLACK, conversation=DEMO_CHANNEL))
        if reply.tone is Tone.ERROR:
            raise RuntimeError(f"the demo's '{command}' was refused: {reply.plain_lines}")


def demo_start(now: datetime, zone: ZoneInfo) -> datetime:
    """The demo's first moment: 08:30 on the Monday of this week (council time), just before the morning's messages.

    The sample plan's deadlines are written for a Monday and moved by whole days to the demo's today, so
    starting on a Monday keeps every deadline on the weekday the example files give it.
    """
    local = now.astimezone(zone)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime(monday.year, monday.month, monday.day, 8, 30, tzinfo=zone)

"""What the drain's tests share: queuing outbox rows with the injected clock, reading them back, a drain
wired to the real Slack sender pointed at the fake Slack on 127.0.0.1, and pacing fast enough that no
test waits on the wall clock."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import col, select

from adapters.slack.app import web_client
from adapters.slack.sender import SlackSender
from bot.clock import FixedClock
from bot.notices.messages import to_payload
from bot.replies import Reply, Section, Visibility
from bot.sending import Sender
from bot.settings import Settings
from bot.unit_of_work import Context, UnitOfWork
from scheduler.drain import Drain
from scheduler.pacing import Limits, Rate
from store import outbox
from store.models import OutboxNotification

# As fast as a test likes: the pacing itself is tested on its own, with an injected clock.
FAST = {"slack": Limits(target=Rate(1000.0, burst=1000)), "teams": Limits(target=Rate(1000.0, burst=1000))}


def update(title: str) -> Reply:
    return Reply(title=title, sections=[Section(lines=[f"{title}: on track, 60%."])], visibility=Visibility.CHANNEL)


def queue(
    engine: Engine, settings: Settings, clock: FixedClock, *rows: tuple[str, str, str], kind: str = "update"
) -> None:
    """Queue one message per (dedupe key, platform, target), each saying its dedupe key."""

    def write(work: Context) -> None:
        for key, platform, target in rows:
            outbox.enqueue(
                work, dedupe_key=key, kind=kind, platform=platform, target_key=target, payload=to_payload(update(key))
            )

    UnitOfWork(engine, clock, settings).run(write)


def rows(engine: Engine, settings: Settings, clock: FixedClock) -> dict[str, OutboxNotification]:
    query = select(OutboxNotification).order_by(col(OutboxNotification.id))
    found = UnitOfWork(engine, clock, settings).run(lambda work: list(work.session.exec(query)), writes=False)
    return {row.dedupe_key: row for row in found}


OPENED: list[SlackSender] = []  # closed after each test (tests/scheduler/conftest.py)


def slack_sender(settings: Settings) -> SlackSender:
    sender = SlackSender(web_client(settings, retry_rate_limits=False))
    OPENED.append(sender)
    return sender


def drain(
    engine: Engine, clock: FixedClock, settings: Settings, senders: Mapping[str, Sender], **options: object
) -> Drain:
    options.setdefault("limits", FAST)
    options.setdefault("lease", timedelta(minutes=2))
    return Drain(engine, clock, settings, senders, **options)  # type: ignore[arg-type]

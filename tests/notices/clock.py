"""Helpers for the clock's rules: run a job at a moment of council time, and read what it queued."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import col, select

from bot.clock import FixedClock
from bot.domain import Nation, SubscriptionKind
from bot.notices.messages import Queued, Ready, Skip, from_payload, prepare
from bot.replies import Reply
from bot.settings import Settings
from bot.unit_of_work import Context, UnitOfWork
from store.models import (
    Action,
    OutboxNotification,
    Review,
    Subscription,
)
from store.notice_tables import ActionNotice, NoticeMark, SubscriptionNotice
from store.session import transaction
from store.subscriptions import review_scope

LONDON = ZoneInfo("Europe/London")
SLACK = frozenset({"slack"})
Job = Callable[[Context, frozenset[str]], int]


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """``hour:minute`` on ``day``, London time."""
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


@dataclass
class Clockwork:
    """Runs the clock's jobs against the test database at chosen moments."""

    engine: Engine
    settings: Settings

    def run(self, job: Job, moment: datetime, reach: frozenset[str] = SLACK) -> int:
        return UnitOfWork(self.engine, FixedClock(moment), self.settings).run(lambda work: job(work, reach))

    def rows(self, kind: str | None = None) -> list[OutboxNotification]:
        with transaction(self.engine, write=False) as session:
            query = select(OutboxNotification).order_by(col(OutboxNotification.id))
            if kind is not None:
                query = query.where(OutboxNotification.kind == kind)
            return list(session.exec(query))

    def messages(self, kind: str | None = None) -> list[Queued]:
        return [from_payload(row.payload) for row in self.rows(kind)]

    def sent(self, moment: datetime, kind: str | None = None) -> list[Reply]:
        """The messages as the drain would send them at ``moment`` (each row prepared: checked and built)."""
        replies = []
        for row in self.rows(kind):
            prepared = self.prepare(row, moment)
            assert isinstance(prepared, Ready), prepared
            replies.append(prepared.reply)
        return replies

    def prepare(self, row: OutboxNotification, moment: datetime) -> Ready | Skip:
        uow = UnitOfWork(self.engine, FixedClock(moment), self.settings)
        return uow.run(lambda work: prepare(work, row), writes=False)

    def state(self) -> tuple[list[Any], ...]:
        """Every row the jobs write, to check that a second run wrote nothing."""
        with transaction(self.engine, write=False) as session:
            tables: tuple[Any, ...] = (OutboxNotification, ActionNotice, NoticeMark, SubscriptionNotice)
            return tuple([row.model_dump() for row in session.exec(select(table))] for table in tables)

    def review_settings(self, review: Review, **values: Any) -> None:
        with transaction(self.engine) as session:
            row = session.get(Review, review.id)
            assert row is not None
            for name, value in values.items():
                setattr(row, name, value)
            session.add(row)

    def nation(self, review: Review, nation: Nation) -> None:
        self.review_settings(review, nation=nation)

    def action_settings(self, action: Action, **values: Any) -> None:
        with transaction(self.engine) as session:
            row = session.get(Action, action.id)
            assert row is not None
            for name, value in values.items():
                setattr(row, name, value)
            session.add(row)

    def subscribe(
        self,
        channel: str,
        review: Review | None,
        kind: SubscriptionKind,
        *,
        made: datetime,
        weekday: int = 0,
        hour: int = 9,
        platform: str = "slack",
    ) -> Subscription:
        """A channel's subscription, made at ``made`` (as ``subscribe`` in that channel would)."""
        with transaction(self.engine) as session:
            review_id = review.id if review else None
            subscription = Subscription(
                platform=platform, channel_key=channel, scope=review_scope(review_id), review_id=review_id,
                kind=kind, weekday=weekday, hour=hour, created_at=made,
            )  # fmt: skip
            session.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        """The channel stops the subscription (as ``unsubscribe`` in that channel would: the row is deleted)."""
        with transaction(self.engine) as session:
            session.delete(session.get(Subscription, subscription.id))

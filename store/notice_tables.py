"""The clock's tables (bot.notices): what it has decided, so that every job catches up by itself and never repeats.

Defined beside :mod:`store.models` (which imports them, so that importing the models registers every table).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, String
from sqlmodel import Field, SQLModel

from store.columns import UTCDateTime


class ActionNotice(SQLModel, table=True):
    """What the clock has decided about one action, so each nudge point, check-in and escalation happens once.

    ``nudged_on`` is the last day the action was in its owners' daily message (or passed over, snoozed);
    ``nudge_owed_on`` is set when it needed one but its owner had already had that day's message (it goes
    in the next one). ``escalated_due`` is the deadline its leads were told about (a new deadline missed
    is told again); ``escalation_owed_on`` is the escalation's "owed".
    """

    __tablename__ = "action_notice"

    action_id: int = Field(foreign_key="action.id", primary_key=True, ondelete="CASCADE")
    nudged_on: date | None = None
    nudge_owed_on: date | None = Field(default=None, index=True)
    checked_in_on: date | None = None
    escalated_due: date | None = None
    escalation_owed_on: date | None = Field(default=None, index=True)


class NoticeMark(SQLModel, table=True):
    """The last day a job decided for one group of reviews (``nudge:england:9``): where its catch-up starts."""

    __tablename__ = "notice_mark"

    key: str = Field(sa_column=Column(String(100), primary_key=True))
    day: date
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class SubscriptionNotice(SQLModel, table=True):
    """When a subscription last got its digest (the week's slot, and the moment "since" starts) and overdue alert."""

    __tablename__ = "subscription_notice"

    subscription_id: int = Field(foreign_key="subscription.id", primary_key=True, ondelete="CASCADE")
    digest_slot: date | None = None
    digest_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    alert_day: date | None = None
    alert_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))

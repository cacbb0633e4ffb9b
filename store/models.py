"""The tables: every entity of the domain, one SQLModel class each.

Conventions: timestamps are timezone-aware UTC (the type is in :mod:`store.columns`); deadlines are plain dates in
the council's calendar; enums are stored as their values; history is never updated in place (``ActionUpdate``).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel

from bot.domain import (
    Nation,
    ReviewState,
    Status,
    SubscriptionKind,
    Surface,
    TimescaleKind,
    UpdateKind,
)
from store.change_counter import ActionChanges  # noqa: F401  (the counter the overdue totals are kept by)
from store.clock_lease import ClockLease  # noqa: F401  (who runs the clock)
from store.columns import UTCDateTime, utcnow
from store.notice_tables import ActionNotice, NoticeMark, SubscriptionNotice  # noqa: F401  (the clock's tables)
from store.pending_files import PendingFile  # noqa: F401  (plans sent in chat, awaiting Import)


def _enum(enum_type: type[StrEnum], default: Any, *, nullable: bool = False) -> Any:
    """A column holding an enum's string value (VARCHAR, no database enum type), read back as the enum."""
    column_type = SAEnum(
        enum_type,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
    )
    return Field(default=default, sa_column=Column(column_type, nullable=nullable))


class Person(SQLModel, table=True):
    """Someone in the plan: an owner, a manager, an SMT member, a union rep, an admin."""

    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    email: str | None = Field(default=None, sa_column=Column(String(320), unique=True))
    slack_user_id: str | None = Field(default=None, sa_column=Column(String(64), unique=True))
    teams_user_id: str | None = Field(default=None, sa_column=Column(String(128), unique=True))
    roles: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    job_title: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class Group(SQLModel, table=True):
    """A named group that owns actions ("CMT", "Leaders", "Communications Team")."""

    __tablename__ = "person_group"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    channel_platform: str | None = Field(default=None, max_length=16)
    channel_key: str | None = Field(default=None, max_length=256)


class GroupMember(SQLModel, table=True):
    """A person's membership of a group."""

    __tablename__ = "group_member"

    group_id: int = Field(foreign_key="person_group.id", primary_key=True, ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", primary_key=True, index=True, ondelete="CASCADE")


class OwnerAlias(SQLModel, table=True):
    """Another way a person's or group's name is written ("ayne Pickering" for "Jayne Pickering").

    Kept by ``people merge``, ``rename`` and ``alias``, so that the next import of a plan that writes
    the name that way finds the owner instead of making someone new. ``key`` is the name's match key
    (:func:`bot.importing.owners.owner_key`): one alias per key, whoever it belongs to.
    """

    __tablename__ = "owner_alias"
    __table_args__ = (
        CheckConstraint("(person_id IS NULL) <> (group_id IS NULL)", name="ck_owner_alias_person_xor_group"),
    )

    id: int | None = Field(default=None, primary_key=True)
    alias: str = Field(max_length=200)
    key: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True, ondelete="CASCADE")
    group_id: int | None = Field(default=None, foreign_key="person_group.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class Review(SQLModel, table=True):
    """A peer review, service review or scrutiny review whose action plan is followed up."""

    __tablename__ = "review"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(sa_column=Column(String(300), nullable=False, unique=True))
    organisation: str = Field(default="", max_length=300)
    kind: str = Field(default="Corporate Peer Challenge", max_length=100)
    received_on: date | None = None
    follow_up_on: date | None = None
    state: ReviewState = _enum(ReviewState, ReviewState.ACTIVE)
    nation: Nation = _enum(Nation, Nation.ENGLAND)
    # When its owners are nudged (an hour, council time); None: ACTIONBOT_NUDGE_HOUR (bot.notices.policy).
    morning_hour: int | None = Field(default=None, ge=0, le=23)
    # Days overdue before its leads are told; None: ACTIONBOT_ESCALATION_DAYS.
    escalation_days: int | None = Field(default=None, ge=1, le=365)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class ReviewLead(SQLModel, table=True):
    """A manager who leads a review: told of escalations, may update any of its actions."""

    __tablename__ = "review_lead"

    review_id: int = Field(foreign_key="review.id", primary_key=True, ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", primary_key=True, index=True, ondelete="CASCADE")


class Recommendation(SQLModel, table=True):
    """A recommendation of a review, with its reference as written ("12", "K3", "3.2")."""

    __tablename__ = "recommendation"
    __table_args__ = (UniqueConstraint("review_id", "ref", name="uq_recommendation_review_ref"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True, ondelete="CASCADE")
    ref: str = Field(max_length=32)
    section: str = Field(default="", max_length=300)
    text: str = Field(sa_column=Column(Text, nullable=False))
    position: int = Field(default=0)


_action_version = Column("version", Integer, nullable=False, default=1)


class Action(SQLModel, table=True):
    """One action of a recommendation; its ``id`` is the public number users type (``#42``).

    ``version`` is SQLAlchemy's optimistic-concurrency counter: a write based on a stale
    read fails with ``StaleDataError`` instead of silently overwriting another update.
    """

    __tablename__ = "action"
    __table_args__ = (
        CheckConstraint("percent_complete BETWEEN 0 AND 100", name="ck_action_percent"),
        Index("ix_action_status_due", "status", "due_date"),
        # With the deadline: a review's counts by RAG and overdue are read from the index alone (0004_notices).
        Index("ix_action_review_status_due", "review_id", "status", "due_date"),
        Index("ix_action_lead_owner_due", "lead_owner", "due_date", "status"),
        Index("ix_action_status_due_lead_owner", "status", "due_date", "lead_owner"),
        Index("ix_action_kind_updated", "timescale_kind", "updated_at"),  # ongoing actions due a check-in
    )
    __mapper_args__ = {"version_id_col": _action_version}

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", ondelete="CASCADE")
    recommendation_id: int = Field(foreign_key="recommendation.id", index=True, ondelete="CASCADE")
    position: int = Field(default=0)
    text: str = Field(sa_column=Column(Text, nullable=False))
    timescale: str = Field(default="", max_length=500)
    timescale_kind: TimescaleKind = _enum(TimescaleKind, TimescaleKind.UNKNOWN)
    timescale_flag: str | None = Field(default=None, max_length=500)
    due_date: date | None = Field(default=None, index=True)
    original_due_date: date | None = None
    status: Status = _enum(Status, Status.NOT_STARTED)
    percent_complete: int = Field(default=0)
    latest_note: str | None = Field(default=None, sa_column=Column(Text))
    dropped_reason: str | None = Field(default=None, sa_column=Column(Text))
    same_as_action_id: int | None = Field(default=None, foreign_key="action.id", ondelete="SET NULL")
    snoozed_until: date | None = None
    # The lead owner's name, kept by bot.plan.set_owners: overdue lists are ordered by it from an index.
    lead_owner: str = Field(default="", max_length=200)
    # The elected member (Cabinet member, portfolio holder) a plan names beside the officer: shown, never an owner.
    member: str = Field(default="", max_length=300)
    version: int = Field(default=1, sa_column=_action_version)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class ActionOwner(SQLModel, table=True):
    """An owner of an action: a person or a group; ``position`` 0 is the lead owner."""

    __tablename__ = "action_owner"
    __table_args__ = (
        CheckConstraint("(person_id IS NULL) <> (group_id IS NULL)", name="ck_action_owner_person_xor_group"),
        Index("ix_action_owner_person", "person_id", "action_id"),
        Index("ix_action_owner_group", "group_id", "action_id"),
    )

    action_id: int = Field(foreign_key="action.id", primary_key=True, ondelete="CASCADE")
    position: int = Field(primary_key=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="CASCADE")
    group_id: int | None = Field(default=None, foreign_key="person_group.id", ondelete="CASCADE")


class ActionUpdate(SQLModel, table=True):
    """One row of the append-only audit trail: who changed what, when, from where.

    ``request_key`` makes a retried request (a Slack retry, a button pressed twice) record
    one row: it is unique when present.
    """

    __tablename__ = "action_update"
    __table_args__ = (Index("ix_action_update_action_at", "action_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action.id", ondelete="CASCADE")
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    surface: Surface = _enum(Surface, Surface.SYSTEM)
    kind: UpdateKind = _enum(UpdateKind, UpdateKind.STATUS)
    old_status: Status | None = _enum(Status, None, nullable=True)
    new_status: Status | None = _enum(Status, None, nullable=True)
    old_percent: int | None = None
    new_percent: int | None = None
    old_due_date: date | None = None
    new_due_date: date | None = None
    snoozed_until: date | None = None
    note: str | None = Field(default=None, sa_column=Column(Text))
    request_key: str | None = Field(default=None, sa_column=Column(String(200), unique=True))


class Conversation(SQLModel, table=True):
    """A chat conversation the bot can post to: a Slack channel or DM, a Teams chat or channel.

    ``reference`` holds what the platform needs to post there proactively (for Teams, the
    serialised conversation reference); it survives restarts.
    """

    __tablename__ = "conversation"
    __table_args__ = (UniqueConstraint("platform", "key", name="uq_conversation_platform_key"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    key: str = Field(max_length=256)
    name: str | None = Field(default=None, max_length=300)
    reference: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class Subscription(SQLModel, table=True):
    """A channel (or a user) that receives a review's digest, updates or overdue alerts.

    ``scope`` is ``"all"`` or ``"review:<id>"`` so that one uniqueness rule covers both.
    """

    __tablename__ = "subscription"
    __table_args__ = (
        UniqueConstraint("platform", "channel_key", "scope", "kind", name="uq_subscription"),
        Index("ix_subscription_scope_kind", "scope", "kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    channel_key: str = Field(max_length=256)
    scope: str = Field(max_length=32)
    review_id: int | None = Field(default=None, foreign_key="review.id", ondelete="CASCADE")
    kind: SubscriptionKind = _enum(SubscriptionKind, SubscriptionKind.DIGEST)
    weekday: int = Field(default=0, ge=0, le=6)  # Monday = 0, for digests
    hour: int = Field(default=9, ge=0, le=23)
    created_by_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class OutboxNotification(SQLModel, table=True):
    """A message the bot sends on its own: written here first, delivered later (see :mod:`store.outbox`).

    ``dedupe_key`` is unique, so the same message can be enqueued any number of times (a retried
    request or job) and is stored once.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "state", "not_before"),)

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(sa_column=Column(String(300), nullable=False, unique=True))
    kind: str = Field(max_length=32)
    platform: str = Field(max_length=16)
    target_key: str = Field(max_length=256)
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    action_id: int | None = Field(default=None, foreign_key="action.id", ondelete="SET NULL")
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    state: str = Field(default="pending", max_length=16)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    not_before: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    claimed_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))

"""What replies read of an action, its recommendation and its review, whether ORM objects or plain rows.

Lists, digests and notices show many actions and change none, so :func:`store.actions.rows_by_ids` reads
their columns as SQLAlchemy Core rows instead of ORM objects (a third of the CPU of a page of ten). The
protocols here are the columns every reader may use; an ORM :class:`~store.models.Action`,
:class:`~store.models.Recommendation` or :class:`~store.models.Review` has them too, so code that holds
the ORM object (``show``, a change's confirmation) draws it the same way. Nothing written goes through them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from bot.domain import Nation, ReviewState, Status, TimescaleKind


class ActionFields(Protocol):
    """An action's columns, read-only."""

    @property
    def id(self) -> int | None: ...
    @property
    def review_id(self) -> int: ...
    @property
    def recommendation_id(self) -> int: ...
    @property
    def position(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def timescale(self) -> str: ...
    @property
    def timescale_kind(self) -> TimescaleKind: ...
    @property
    def timescale_flag(self) -> str | None: ...
    @property
    def due_date(self) -> date | None: ...
    @property
    def original_due_date(self) -> date | None: ...
    @property
    def status(self) -> Status: ...
    @property
    def percent_complete(self) -> int: ...
    @property
    def latest_note(self) -> str | None: ...
    @property
    def dropped_reason(self) -> str | None: ...
    @property
    def same_as_action_id(self) -> int | None: ...
    @property
    def snoozed_until(self) -> date | None: ...
    @property
    def lead_owner(self) -> str: ...
    @property
    def member(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def updated_at(self) -> datetime: ...


class RecommendationFields(Protocol):
    """A recommendation's columns, read-only."""

    @property
    def id(self) -> int | None: ...
    @property
    def review_id(self) -> int: ...
    @property
    def ref(self) -> str: ...
    @property
    def section(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def position(self) -> int: ...


class ReviewFields(Protocol):
    """A review's columns, read-only."""

    @property
    def id(self) -> int | None: ...
    @property
    def title(self) -> str: ...
    @property
    def organisation(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def received_on(self) -> date | None: ...
    @property
    def follow_up_on(self) -> date | None: ...
    @property
    def state(self) -> ReviewState: ...
    @property
    def nation(self) -> Nation: ...
    @property
    def morning_hour(self) -> int | None: ...
    @property
    def escalation_days(self) -> int | None: ...
    @property
    def created_at(self) -> datetime: ...


@dataclass(frozen=True, slots=True)
class RecommendationRef:
    """A recommendation's columns as read (:class:`RecommendationFields`); fields in the table's terms."""

    id: int | None
    review_id: int
    ref: str
    section: str
    text: str
    position: int

    @classmethod
    def of(cls, values: Sequence[Any]) -> RecommendationRef:
        return cls(*values)


@dataclass(frozen=True, slots=True)
class ReviewRef:
    """A review's columns as read (:class:`ReviewFields`); fields in the table's terms."""

    id: int | None
    title: str
    organisation: str
    kind: str
    received_on: date | None
    follow_up_on: date | None
    state: ReviewState
    nation: Nation
    morning_hour: int | None
    escalation_days: int | None
    created_at: datetime

    @classmethod
    def of(cls, values: Sequence[Any]) -> ReviewRef:
        return cls(*values)

"""What replies read of an action, its recommendation and its review, whether ORM objects or plain rows.

Lists, digests and notices show many actions and change none, so :func:`store.actions.rows_by_ids` reads
their columns as SQLAlchemy Core rows instead of ORM objects (a third of the CPU of a page of ten). The
protocols here are the columns replies read (mypy holds every reader to them); an ORM :class:`~store.models.Action`,
:class:`~store.models.Recommendation` or :class:`~store.models.Review` has them too, so code that holds
the ORM object (``show``, a change's confirmation) draws it the same way. Nothing written goes through them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, NamedTuple, Protocol

from bot.domain import Status, TimescaleKind


class ActionFields(Protocol):
    """The columns of an action that replies read (read-only); :data:`ACTION_FIELDS` names them."""

    @property
    def id(self) -> int | None: ...
    @property
    def review_id(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def timescale(self) -> str: ...
    @property
    def timescale_kind(self) -> TimescaleKind: ...
    @property
    def due_date(self) -> date | None: ...
    @property
    def status(self) -> Status: ...
    @property
    def percent_complete(self) -> int: ...
    @property
    def snoozed_until(self) -> date | None: ...
    @property
    def updated_at(self) -> datetime: ...


class RecommendationFields(Protocol):
    """The columns of a recommendation that replies read (read-only)."""

    @property
    def id(self) -> int | None: ...
    @property
    def ref(self) -> str: ...
    @property
    def section(self) -> str: ...
    @property
    def text(self) -> str: ...


class ReviewFields(Protocol):
    """The columns of a review that replies read (read-only)."""

    @property
    def id(self) -> int | None: ...
    @property
    def title(self) -> str: ...


# The columns :func:`store.actions.rows_by_ids` reads of an action, in the order it reads them.
ACTION_FIELDS = (
    "id",
    "review_id",
    "text",
    "timescale",
    "timescale_kind",
    "due_date",
    "status",
    "percent_complete",
    "snoozed_until",
    "updated_at",
)


class ActionRef(NamedTuple):
    """An action's columns as read (:class:`ActionFields`), in the order of :data:`ACTION_FIELDS` (a tuple: made
    from a row's first values at the cost of a slice)."""

    id: int | None
    review_id: int
    text: str
    timescale: str
    timescale_kind: TimescaleKind
    due_date: date | None
    status: Status
    percent_complete: int
    snoozed_until: date | None
    updated_at: datetime


class RecommendationRef(NamedTuple):
    """A recommendation's columns as read (:class:`RecommendationFields`); fields in the table's terms."""

    id: int | None
    ref: str
    section: str
    text: str

    @classmethod
    def of(cls, values: Sequence[Any]) -> RecommendationRef:
        return cls._make(values)


class ReviewRef(NamedTuple):
    """A review's columns as read (:class:`ReviewFields`); fields in the table's terms."""

    id: int | None
    title: str

    @classmethod
    def of(cls, values: Sequence[Any]) -> ReviewRef:
        return cls._make(values)

"""Domain vocabulary: statuses, RAG ratings, roles, surfaces, timescales and the rules that relate them.

These are plain enums and pure functions, shared by the store (as column types) and the
services. Nothing here touches the database or a clock: callers pass "today" in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Status(StrEnum):
    """Where an action stands, as its owner reports it."""

    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def is_closed(self) -> bool:
        """Done and dropped actions are finished: never overdue, never nudged."""
        return self in (Status.DONE, Status.DROPPED)


_STATUS_LABELS = {
    Status.NOT_STARTED: "Not started",
    Status.ON_TRACK: "On track",
    Status.AT_RISK: "At risk",
    Status.OFF_TRACK: "Off track",
    Status.DONE: "Done",
    Status.DROPPED: "Dropped",
}

CLOSED_STATUSES: tuple[Status, ...] = (Status.DONE, Status.DROPPED)


class Rag(StrEnum):
    """Red / amber / green, as committee reports colour them; grey is not started or dropped."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    GREY = "grey"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Role(StrEnum):
    """What a person may do beyond owning actions."""

    ADMIN = "admin"
    SMT = "smt"
    MANAGER = "manager"
    UNION_REP = "union_rep"
    MEMBER = "member"


class Surface(StrEnum):
    """Where a request or an update came from (kept on every audit row)."""

    SLACK = "slack"
    TEAMS = "teams"
    CONSOLE = "console"
    CLI = "cli"
    IMPORT = "import"
    SYSTEM = "system"


class UpdateKind(StrEnum):
    """What an audit-trail row records."""

    CREATED = "created"
    STATUS = "status"
    NOTE = "note"
    MOVE = "move"
    DROP = "drop"
    SNOOZE = "snooze"
    IMPORT = "import"
    OWNERS = "owners"  # an owner merged into another, or renamed, by an admin


class SubscriptionKind(StrEnum):
    """What a subscribed channel receives."""

    DIGEST = "digest"
    UPDATES = "updates"
    OVERDUE = "overdue"


class ReviewState(StrEnum):
    """Whether a review's plan is still being followed up."""

    ACTIVE = "active"
    CLOSED = "closed"


class Nation(StrEnum):
    """Whose bank holidays make up a review's working-day calendar."""

    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"


class TimescaleKind(StrEnum):
    """How a timescale cell was read; the text as written is always kept beside it."""

    DATE = "date"  # a deadline: "September 2018", "31/03/2019", "2019/20"
    RECURRING = "recurring"  # a milestone then periodic check-ins: "September 2018 and ongoing"
    ONGOING = "ongoing"  # no deadline, periodic check-in
    IN_PLACE = "in_place"  # already done when the plan was written
    SAME_AS = "same_as"  # "As 19 above"
    UNKNOWN = "unknown"  # "TBC", or text that could not be read: flagged, never guessed


@dataclass(frozen=True)
class Timescale:
    """A timescale as written and as read: ``September 2018`` → 2018-09-30, kind ``date``.

    ``same_as`` is the recommendation named by "As 19 above" (``"19"``), for the importer to link.
    """

    text: str
    kind: TimescaleKind
    due: date | None = None
    flag: str | None = None
    same_as: str | None = None


MAX_NOTE_LENGTH = 2000


def is_overdue(status: Status, due: date | None, today: date) -> bool:
    """An action is overdue when it has a deadline in the past and is not finished."""
    return due is not None and due < today and not status.is_closed


def days_overdue(status: Status, due: date | None, today: date) -> int:
    """Whole calendar days past the deadline, 0 when not overdue."""
    if due is None or not is_overdue(status, due, today):
        return 0
    return (today - due).days


def rag(status: Status, due: date | None, today: date) -> Rag:
    """Green = on track or done, amber = at risk, red = off track or past due and not done."""
    if status is Status.DROPPED:
        return Rag.GREY
    if status is Status.DONE:
        return Rag.GREEN
    if status is Status.OFF_TRACK or is_overdue(status, due, today):
        return Rag.RED
    if status is Status.AT_RISK:
        return Rag.AMBER
    if status is Status.ON_TRACK:
        return Rag.GREEN
    return Rag.GREY


class OutboxState(StrEnum):
    """Where a message the bot sends on its own stands in the outbox.

    ``pending`` waits to be sent (again, after a failure, from ``not_before``); ``sent`` went;
    ``dead`` failed for good or too often (its ``last_error`` says why); ``skipped`` was no longer true
    when its turn came (the action was done since); ``unreachable`` has no way to reach its person
    (not linked, no conversation) and is kept so that an admin can see whom to link.
    """

    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"
    SKIPPED = "skipped"
    UNREACHABLE = "unreachable"

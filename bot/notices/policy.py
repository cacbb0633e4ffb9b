"""Per review: on whose calendar, at what hour, and after how many days overdue the clock speaks.

A review's owners are nudged at the review's morning hour when one is set (``actionbot reviews set
… --morning-hour 8``), else at ``ACTIONBOT_NUDGE_HOUR`` (default 9), in the council's time zone; its
leads are told of actions ``--escalation-days`` overdue when set, else ``ACTIONBOT_ESCALATION_DAYS``.
Reviews that share a nation, an hour (and, for escalations, a number of days) are decided together
as a :class:`ReviewGroup`, whose last decided day is its mark (see :mod:`store.notices`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.dates import is_working_day
from bot.domain import Nation
from bot.settings import Settings
from bot.unit_of_work import Context
from store.models import Review


def hour_of(review: Review, settings: Settings) -> int:
    """The hour (0–23, council time) the review's owners are nudged."""
    return review.morning_hour if review.morning_hour is not None else settings.nudge_hour


def escalation_days_of(review: Review, settings: Settings) -> int:
    """Days overdue before the review's leads are told."""
    return review.escalation_days if review.escalation_days is not None else settings.escalation_days


def moment(day: date, hour: int, zone: ZoneInfo) -> datetime:
    """``hour`` o'clock on ``day`` in the council's time zone, as UTC (09:00 is 09:00 local in March and October)."""
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)


@dataclass(frozen=True)
class ReviewGroup:
    """Active reviews decided together: one nation's calendar, one hour, one escalation point."""

    job: str
    nation: Nation
    hour: int
    review_ids: tuple[int, ...]
    escalation_days: int | None = None
    every_review: bool = False  # the group holds every review there is: no need to filter by review

    @property
    def key(self) -> str:
        """The group's mark key: ``nudge:england:9``, ``escalation:wales:9:21``."""
        key = f"{self.job}:{self.nation.value}:{self.hour}"
        return key if self.escalation_days is None else f"{key}:{self.escalation_days}"

    def ready(self, context: Context) -> bool:
        """Whether today is one of its working days and its hour has come."""
        return is_working_day(context.today, self.nation) and context.now >= moment(
            context.today, self.hour, context.zone
        )


def groups(
    reviews: Iterable[Review], settings: Settings, job: str, *, total_reviews: int, by_escalation: bool = False
) -> list[ReviewGroup]:
    """The active reviews of ``reviews`` grouped by nation and hour (and escalation days)."""
    grouped: dict[tuple[Nation, int, int | None], list[int]] = defaultdict(list)
    for review in reviews:
        days = escalation_days_of(review, settings) if by_escalation else None
        grouped[(review.nation, hour_of(review, settings), days)].append(review.id or 0)
    return [
        ReviewGroup(job, nation, hour, tuple(sorted(ids)), days, every_review=len(ids) == total_reviews)
        for (nation, hour, days), ids in sorted(grouped.items(), key=lambda item: str(item[0]))
    ]

"""A review's settings, as an admin sets them: leads, nation, dates, escalation point, morning hour, state.

Behind ``actionbot reviews`` and ``actionbot import --lead``. The leads are told of escalations and may
update any action of the review; the nation's bank holidays make its working days; the morning hour is
when its owners are nudged (unset: ``ACTIONBOT_NUDGE_HOUR``); the escalation days how long overdue an
action is before the leads are told (unset: ``ACTIONBOT_ESCALATION_DAYS``). Every value is checked before
anything is written: a change is applied whole or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from bot.dates import DateError, format_date, take_date
from bot.domain import Nation, ReviewState
from bot.errors import UserError
from bot.notices import policy
from bot.services.people import find_person
from bot.settings import Settings
from bot.unit_of_work import Context, UnitOfWork
from store import ownership, recipients, reviews
from store.models import Person, Review, ReviewLead

if TYPE_CHECKING:
    from bot.importing.importer import ImportOptions, ImportReport

NATIONS = {nation.value.replace("_", "-"): nation for nation in Nation}
UNSET = ("default", "none", "unset", "-")


@dataclass(frozen=True)
class ReviewChange:
    """What to change; ``None`` leaves a value alone. Texts are as typed and checked by :func:`change`."""

    leads: Sequence[str] | None = None  # replaces the leads ([] clears them)
    add_leads: Sequence[str] = field(default_factory=tuple)
    remove_leads: Sequence[str] = field(default_factory=tuple)
    nation: str | None = None
    received: str | None = None
    follow_up: str | None = None
    escalation_days: str | None = None
    morning_hour: str | None = None
    state: str | None = None
    organisation: str | None = None
    kind: str | None = None

    @property
    def empty(self) -> bool:
        return self == ReviewChange()


def parse_nation(text: str) -> Nation:
    chosen = NATIONS.get(text.strip().lower().replace("_", "-").replace(" ", "-"))
    if chosen is None:
        raise UserError(f"--nation: '{text}' is not one of {', '.join(NATIONS)}")
    return chosen


def _date(option: str, text: str) -> date | None:
    if text.strip().lower() in UNSET:
        return None
    words = text.split()
    try:
        found = take_date(words)
    except DateError as error:
        raise UserError(f"{option}: {error}") from None
    if found is None or found[1] != len(words):
        raise UserError(f"{option}: '{text}' is not a date (2019-06-30, 30/06/2019 or 30 June 2019), or 'none'")
    return found[0]


def _number(option: str, text: str, low: int, high: int, what: str) -> int | None:
    if text.strip().lower() in UNSET:
        return None
    if not text.strip().isdigit() or not low <= int(text) <= high:
        raise UserError(f"{option}: '{text}' is not {what} ({low}–{high}), or 'default'")
    return int(text)


def change(session: Session, review: Review, wanted: ReviewChange) -> list[str]:
    """Apply ``wanted`` to ``review`` (every value checked first); return a line per change made."""
    values: dict[str, object] = {}
    if wanted.nation is not None:
        values["nation"] = parse_nation(wanted.nation)
    if wanted.received is not None:
        values["received_on"] = _date("--received", wanted.received)
    if wanted.follow_up is not None:
        values["follow_up_on"] = _date("--follow-up", wanted.follow_up)
    if wanted.escalation_days is not None:
        values["escalation_days"] = _number("--escalation-days", wanted.escalation_days, 1, 365, "a number of days")
    if wanted.morning_hour is not None:
        values["morning_hour"] = _number("--morning-hour", wanted.morning_hour, 0, 23, "an hour")
    if wanted.state is not None:
        if wanted.state.strip().lower() not in {state.value for state in ReviewState}:
            raise UserError(f"--state: '{wanted.state}' is not active or closed")
        values["state"] = ReviewState(wanted.state.strip().lower())
    if wanted.organisation is not None:
        values["organisation"] = wanted.organisation.strip()
    if wanted.kind is not None:
        values["kind"] = wanted.kind.strip()
    leads = _new_leads(session, review, wanted)
    lines = []
    for name, value in values.items():
        if getattr(review, name) != value:
            setattr(review, name, value)
            lines.append(f"{LABELS[name]}: {_shown(name, value)}")
    session.add(review)
    if leads is not None:
        lines += set_leads(session, review, leads)
    return lines


LABELS = {
    "nation": "nation",
    "received_on": "received",
    "follow_up_on": "follow-up",
    "escalation_days": "escalation days",
    "morning_hour": "morning hour",
    "state": "state",
    "organisation": "organisation",
    "kind": "kind",
}


def _shown(name: str, value: object) -> str:
    if value is None:
        return {"escalation_days": "the default", "morning_hour": "the default"}.get(name, "none")
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Nation):
        return value.value.replace("_", " ")
    return str(value)


def _new_leads(session: Session, review: Review, wanted: ReviewChange) -> list[Person] | None:
    if wanted.leads is None and not wanted.add_leads and not wanted.remove_leads:
        return None
    current = ownership.review_leads(session, review.id or 0)
    chosen = [find_person(session, name) for name in wanted.leads] if wanted.leads is not None else current
    chosen += [find_person(session, name) for name in wanted.add_leads]
    removed = {find_person(session, name).id for name in wanted.remove_leads}
    unique: dict[int, Person] = {}
    for person in chosen:
        if person.id not in removed:
            unique.setdefault(person.id or 0, person)
    return list(unique.values())


def set_leads(session: Session, review: Review, leads: Sequence[Person]) -> list[str]:
    """Make ``leads`` the review's leads; a line saying who they are now, when that changed."""
    existing = {
        lead.person_id: lead for lead in session.exec(select(ReviewLead).where(ReviewLead.review_id == review.id))
    }
    wanted = {person.id or 0 for person in leads}
    if set(existing) == wanted:
        return []
    for person_id, row in existing.items():
        if person_id not in wanted:
            session.delete(row)
    for person_id in wanted - set(existing):
        session.add(ReviewLead(review_id=review.id or 0, person_id=person_id))
    names = ", ".join(sorted(person.name for person in leads)) or "none: escalations go to the admins"
    return [f"leads: {names}"]


@dataclass(frozen=True)
class ReviewSummary:
    """A review as ``actionbot reviews`` lists it."""

    review: Review
    leads: list[str]
    actions: int
    open: int
    overdue: int
    hour: int
    escalation_days: int

    def lines(self) -> list[str]:
        review = self.review
        leads = ", ".join(self.leads) or "no lead (escalations go to the admins)"
        hour = f"{self.hour:02d}:00" + ("" if review.morning_hour is not None else " (default)")
        days = f"{self.escalation_days} days overdue" + ("" if review.escalation_days is not None else " (default)")
        dates = [
            f"received {format_date(review.received_on)}" if review.received_on else "",
            f"follow-up {format_date(review.follow_up_on)}" if review.follow_up_on else "no follow-up date",
        ]
        return [
            f"{review.title} ({review.state.value}; {review.organisation or 'no organisation'})",
            f"  leads: {leads}",
            f"  {self.actions} actions, {self.open} open, {self.overdue} overdue; {', '.join(d for d in dates if d)}",
            f"  nation: {review.nation.value.replace('_', ' ')}; nudges at {hour}; escalation after {days}",
        ]


def summaries(session: Session, today: date, settings: Settings) -> list[ReviewSummary]:
    """Every review with its leads, counts and clock settings (a few queries whatever their number)."""
    progress = reviews.review_progress(session, today)
    leads = recipients.leads(session, [p.review.id or 0 for p in progress])
    return [
        ReviewSummary(
            review=p.review,
            leads=[person.name for person in leads[p.review.id or 0]],
            actions=p.total,
            open=p.total - p.done - p.dropped,
            overdue=p.overdue,
            hour=policy.hour_of(p.review, settings),
            escalation_days=policy.escalation_days_of(p.review, settings),
        )
        for p in progress
    ]


def reviews_titled(session: Session, titles: Sequence[str]) -> list[Review]:
    """The reviews with exactly these titles (as an import reports them)."""
    return list(session.exec(select(Review).where(col(Review.title).in_(list(titles))).order_by(col(Review.id))))


def import_with_leads(
    uow: UnitOfWork, path: Path, options: ImportOptions, leads: Sequence[str]
) -> tuple[ImportReport, list[str]]:
    """Import ``path`` and make ``leads`` the leads of its reviews, in one unit of work: a lead nobody is
    called (in the plan before, or in this file) refuses the whole import. Also a dry run."""
    from bot.importing.importer import import_into

    def work(context: Context) -> tuple[ImportReport, list[str]]:
        report = import_into(context.session, path, options, now=context.now)
        report.dry_run = options.dry_run
        people = [find_person(context.session, name) for name in leads]
        names = ", ".join(sorted({person.name for person in people}))
        lines = []
        for review in reviews_titled(context.session, report.reviews):
            set_leads(context.session, review, people)
            lines.append(f"'{review.title}' {'would be' if options.dry_run else 'is'} led by {names}.")
        return report, lines

    return uow.run(work, dry_run=options.dry_run)

"""The escalation job: a review's leads are told, once, of each action now N days overdue.

N is the review's ``--escalation-days``, else ``ACTIONBOT_ESCALATION_DAYS`` (14). For each group of
active reviews whose working day it is and whose hour has come, the job reads the actions whose
deadline plus N falls since the group's last decided day (one due-date range; a point on a
non-working day is told on the next working day), and the actions owed an escalation; drops those
already told for this deadline (``action_notice.escalated_due``: a new deadline missed is told again);
and writes one message per lead per day (``escalation:<person id>:<date>``). A review with no lead
escalates to the admins and says so. Recurring timescales ("… and ongoing") get check-ins after their
milestone instead. An action already past the point when it was imported, or when the clock first ran,
is not escalated: the digest's overdue list shows it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bot.notices import letters
from bot.notices.calendar import Window
from bot.notices.policy import groups
from bot.notices.recipients import deliver, leads_of, load_rows
from bot.replies import Reply
from bot.unit_of_work import Context
from store import notices as store
from store import recipients
from store.notices import Candidate


def run(context: Context, reach: frozenset[str]) -> int:
    """Queue today's escalations not queued before; return how many rows were queued."""
    reviews = recipients.active_reviews(context.session)
    if not reviews:
        return 0
    total = recipients.count_reviews(context.session)
    every = groups(reviews, context.settings, "escalation", total_reviews=total, by_escalation=True)
    ready = [group for group in every if group.ready(context)]
    if not ready:
        return 0
    today = context.today
    marks = store.marks(context.session, [group.key for group in ready])
    needing: dict[int, Candidate] = {}
    cleared: list[int] = []
    days_by_review: dict[int, int] = {}
    for group in ready:
        days = group.escalation_days or context.settings.escalation_days
        days_by_review.update(dict.fromkeys(group.review_ids, days))
        review_ids = None if group.every_review else group.review_ids
        first, last = Window.since(marks.get(group.key), today, group.nation).after_shifted(group.nation)
        found = store.crossing(context.session, first - timedelta(days=days), last - timedelta(days=days), review_ids)
        for candidate in found + store.escalations_owed(context.session, review_ids):
            if _still_due(candidate, today, days):
                needing[candidate.id] = candidate
            elif candidate.escalation_owed_on is not None:
                cleared.append(candidate.id)
    queued = _send(context, reach, needing, days_by_review) if needing else 0
    store.save_action_notices(context, [{"action_id": i, "escalation_owed_on": None} for i in cleared])
    store.set_marks(context, [group.key for group in ready if marks.get(group.key) != today], today)
    return queued


def _still_due(candidate: Candidate, today: date, days: int) -> bool:
    if candidate.status.is_closed or candidate.due is None:
        return False
    if candidate.escalated_due == candidate.due:
        return False
    return (today - candidate.due).days >= days


def _send(
    context: Context, reach: frozenset[str], needing: dict[int, Candidate], days_by_review: dict[int, int]
) -> int:
    today = context.today
    recipients, unled = leads_of(context.session, {i: c.review_id for i, c in needing.items()}, reach)
    items: letters.Items = {}
    loaded = load_rows(context.session, sorted(needing))

    def letter(action_ids: list[int]) -> Reply:
        found = [loaded[i] for i in action_ids if i in loaded]
        return letters.escalation(found, today, days_by_review, unled, context.settings.page_size, items)

    def extra(person_id: int | None, action_ids: list[int]) -> dict[str, Any]:
        reviews = {needing[i].review_id for i in action_ids}
        return {
            "person_id": person_id,
            "day": today.isoformat(),
            "due": {str(i): _iso(needing[i].due) for i in action_ids},
            "days": {str(r): days_by_review[r] for r in sorted(reviews)},
            "to_admins": sorted(reviews & unled),
        }

    outcome = deliver(
        context,
        recipients,
        key=f"escalation:{{}}:{today.isoformat()}",
        kind=lambda ids: "escalation",
        letter=letter,
        extra=extra,
    )
    rows = [{"action_id": i, "escalated_due": needing[i].due, "escalation_owed_on": None} for i in outcome.told]
    rows += [
        {"action_id": i, "escalation_owed_on": today} for i in outcome.untold if needing[i].escalation_owed_on is None
    ]
    store.save_action_notices(context, rows)
    return outcome.queued


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None

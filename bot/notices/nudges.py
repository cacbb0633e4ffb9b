"""The nudge job: each owner's one message of the day, listing every action that needs them.

For each group of active reviews whose working day it is and whose hour has come, the job reads the
actions with a nudge point since the group's last decided day (its mark, at most a week back; see
:mod:`bot.notices.calendar`) through the due-date index, the actions owed a nudge, and the ongoing
actions due a check-in; drops what was decided before (``action_notice``); and writes one outbox row
per person per day (``nudge:<person id>:<date>``). A snoozed action's point is passed over. An action
whose owner already had today's message is owed, and goes in the next one. Called again, it finds
everything decided and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from bot.domain import TimescaleKind
from bot.notices import calendar, letters
from bot.notices.calendar import Window
from bot.notices.policy import ReviewGroup, groups
from bot.notices.recipients import deliver, owners_of
from bot.replies import Reply
from bot.unit_of_work import Context
from store import notices as store
from store import recipients
from store.notices import Candidate


@dataclass
class Decisions:
    """What one run decided: actions that need their owners today, and state to save."""

    nudge: dict[int, Candidate] = field(default_factory=dict)
    check_in: dict[int, Candidate] = field(default_factory=dict)
    passed: list[int] = field(default_factory=list)  # snoozed through a nudge point: decided, not sent
    cleared: list[int] = field(default_factory=list)  # owed, but no longer needs one (done, dropped, undated)


def run(context: Context, reach: frozenset[str]) -> int:
    """Queue today's nudges and check-ins not queued before; return how many rows were queued."""
    ready = _ready_groups(context)
    if not ready:
        return 0
    marks = store.marks(context.session, [group.key for group in ready])
    decisions = Decisions()
    for group in ready:
        window = Window.since(marks.get(group.key), context.today, group.nation)
        _decide_nudges(context, group, window, decisions)
        _decide_check_ins(context, group, decisions)
    queued = _send(context, reach, decisions)
    store.set_marks(context, [group.key for group in ready if marks.get(group.key) != context.today], context.today)
    return queued


def _ready_groups(context: Context) -> list[ReviewGroup]:
    reviews = recipients.active_reviews(context.session)
    if not reviews:
        return []
    total = recipients.count_reviews(context.session)
    return [group for group in groups(reviews, context.settings, "nudge", total_reviews=total) if group.ready(context)]


def _filter(group: ReviewGroup) -> tuple[int, ...] | None:
    return None if group.every_review else group.review_ids


def _decide_nudges(context: Context, group: ReviewGroup, window: Window, decisions: Decisions) -> None:
    session, today, nation = context.session, context.today, group.nation
    review_ids = _filter(group)
    found = store.due_in_ranges(session, calendar.upcoming_due_ranges(window, nation), review_ids)
    oldest = store.oldest_open_due(session)
    if oldest is not None and oldest < window.through:
        weekly = calendar.weekly_due_dates(window, nation, oldest)
        if weekly is None:
            found += store.due_by(session, window.through - calendar.WEEK, review_ids)
        else:
            found += store.due_on(session, weekly, review_ids)
    found += store.nudges_owed(session, review_ids)
    for candidate in found:
        if candidate.id in decisions.nudge or candidate.id in decisions.passed:
            continue
        owed = candidate.nudge_owed_on is not None
        if candidate.status.is_closed or candidate.due is None:
            if owed:
                decisions.cleared.append(candidate.id)
            continue
        if candidate.nudged_on == today:
            continue
        after = max(window.after, candidate.nudged_on) if candidate.nudged_on else window.after
        weekly_too = candidate.kind is not TimescaleKind.RECURRING
        points = calendar.nudge_points(candidate.due, nation, weekly=weekly_too, after=after, through=today)
        if not points and not owed:
            continue
        if candidate.snoozed_until is not None and candidate.snoozed_until >= today:
            decisions.passed.append(candidate.id)
        else:
            decisions.nudge[candidate.id] = candidate


def _decide_check_ins(context: Context, group: ReviewGroup, decisions: Decisions) -> None:
    """Ongoing actions, and recurring ones past their milestone, not updated or checked on for 4 weeks."""
    today, nation, zone = context.today, group.nation, context.zone
    cutoff = datetime.combine(today - calendar.CHECK_IN_EVERY + calendar.DAY, time(0), tzinfo=zone)
    for candidate in store.stale_ongoing(context.session, cutoff, _filter(group)):
        if candidate.id in decisions.nudge or candidate.checked_in_on == today:
            continue
        if candidate.kind is TimescaleKind.RECURRING and (candidate.due is None or candidate.due >= today):
            continue  # before its milestone a recurring action is nudged like any other
        if candidate.snoozed_until is not None and candidate.snoozed_until >= today:
            continue
        last = max(
            candidate.updated_at.astimezone(zone).date(),
            candidate.created_at.astimezone(zone).date(),
            candidate.checked_in_on or date.min,
            candidate.due or date.min,
        )
        if calendar.check_in_day(last, nation) <= today:
            decisions.check_in[candidate.id] = candidate


def _send(context: Context, reach: frozenset[str], decisions: Decisions) -> int:
    today = context.today
    needing = {**decisions.check_in, **decisions.nudge}
    recipients = owners_of(context.session, sorted(needing), reach)
    check_ins = set(decisions.check_in)

    def letter(action_ids: list[int]) -> Reply:
        entries = [letters.Entry(i, needing[i].due, needing[i].text) for i in action_ids]
        return letters.daily_summary(entries, check_ins, today, context.settings.page_size)

    def extra(person_id: int | None, action_ids: list[int]) -> dict[str, Any]:
        return {
            "person_id": person_id,
            "day": today.isoformat(),
            "due": {str(i): _iso(needing[i].due) for i in action_ids},
            "check_ins": sorted(i for i in action_ids if i in check_ins),
        }

    def kind(action_ids: list[int]) -> str:
        return "checkin" if all(i in check_ins for i in action_ids) else "nudge"

    outcome = deliver(context, recipients, key=f"nudge:{{}}:{today.isoformat()}", kind=kind, letter=letter, extra=extra)
    rows: list[dict[str, Any]] = []
    for action_id in outcome.told:
        if action_id in check_ins:
            rows.append({"action_id": action_id, "checked_in_on": today})
        else:
            rows.append({"action_id": action_id, "nudged_on": today, "nudge_owed_on": None})
    rows += [{"action_id": i, "nudged_on": today, "nudge_owed_on": None} for i in decisions.passed]
    rows += [{"action_id": i, "nudge_owed_on": None} for i in decisions.cleared]
    owed: list[dict[str, Any]] = []
    for action_id in outcome.untold:
        if action_id in decisions.nudge and needing[action_id].nudge_owed_on is None:
            owed.append({"action_id": action_id, "nudge_owed_on": today})
    store.save_action_notices(context, rows + owed)
    return outcome.queued


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None

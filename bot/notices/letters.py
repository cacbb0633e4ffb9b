"""What the clock's messages say: a person's morning message, an escalation, an overdue alert.

Built as neutral replies from the same :mod:`bot.views` items as ``mine`` (so the buttons on a
nudge work exactly as they do there), with plain text that every renderer escapes. Each builder is
used twice: when the job queues the message, and just before it is sent (``bot.notices.checks``),
with only the actions still true, as of that day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from itertools import groupby

from bot import views
from bot.dates import format_date
from bot.replies import More, Reply, Section, Visibility
from store.queries import ActionRow

CHECK_IN_HEADING = "Still on track?"
CHECK_IN_LINE = "No update for 4 weeks or more. Nothing changed? Press On track."
INTRO = "Press a button to say where each one stands (Update… for a % or a note); `mine` lists all yours."


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def due_line(due: date | None, today: date) -> str:
    """``12 days overdue``, ``Due today``, ``Due tomorrow``, ``Due in 7 days``."""
    if due is None:
        return "No deadline"
    days = (due - today).days
    if days < 0:
        return f"{plural(-days, 'day')} overdue"
    if days == 0:
        return "Due today"
    return "Due tomorrow" if days == 1 else f"Due in {days} days"


def daily(rows: Sequence[ActionRow], check_ins: Iterable[int], today: date, page_size: int) -> Reply:
    """A person's one message of the day: every action that needs them, most urgent first, with buttons."""
    checking = set(check_ins)
    nudged = sorted((r for r in rows if r.action.id not in checking), key=lambda r: (r.action.due_date, r.action.id))
    checked = sorted((r for r in rows if r.action.id in checking), key=lambda r: r.action.id or 0)
    shown = (nudged + checked)[:page_size]
    count = len(rows)
    if nudged:
        title = f"{count} of your actions need you today" if count > 1 else "1 of your actions needs you today"
    else:
        title = f"{CHECK_IN_HEADING} {plural(count, 'ongoing action')} of yours"
    sections = [Section(lines=[INTRO])]
    for heading, group in groupby(
        shown, key=lambda r: CHECK_IN_HEADING if r.action.id in checking else due_line(r.action.due_date, today)
    ):
        members = list(group)
        lines = [CHECK_IN_LINE] if heading == CHECK_IN_HEADING else []
        items = [views.item(row, today, editable=True) for row in members]
        sections.append(Section(heading=heading, lines=lines, items=items))
    remaining = count - len(shown)
    more = More(remaining=remaining, command="mine") if remaining > 0 else None
    return Reply(title=title, sections=sections, more=more, visibility=Visibility.PRIVATE)


def escalation(
    rows: Sequence[ActionRow], today: date, days_by_review: dict[int, int], to_admins: Iterable[int], page_size: int
) -> Reply:
    """A lead's (or, for a review with no lead, an admin's) message about actions newly long overdue."""
    admins_for = set(to_admins)
    ordered = sorted(rows, key=lambda r: (r.review.title, r.action.due_date, r.action.id))
    shown = ordered[:page_size]
    points = sorted({days_by_review[row.review.id or 0] for row in rows})
    past = f"{points[0]} days" if len(points) == 1 else f"{points[0]} or more days"
    title = f"Escalation: {plural(len(rows), 'action')} now {past} overdue"
    sections = []
    for review_id, group in groupby(shown, key=lambda r: r.review.id or 0):
        members = list(group)
        owners = ", ".join(
            f"{row.lead_owner} (#{row.action.id}, {due_line(row.action.due_date, today)})" for row in members
        )
        lines = [f"Not finished {days_by_review[review_id]} days after the deadline: {owners}."]
        if review_id in admins_for:
            lines.append(
                "This review has no lead, so this comes to the admins: `actionbot reviews set` names one (--lead)."
            )
        lines.append("The owners are nudged every week. `overdue` lists everything late.")
        items = [views.item(row, today, editable=False) for row in members]
        sections.append(Section(heading=members[0].review.title, lines=lines, items=items))
    remaining = len(rows) - len(shown)
    more = More(remaining=remaining, command="overdue") if remaining > 0 else None
    return Reply(title=title, sections=sections, more=more, visibility=Visibility.PRIVATE)


def overdue_alert(rows: Sequence[ActionRow], today: date, scope_label: str, since: date, page_size: int) -> Reply:
    """A channel's morning alert: the actions that became overdue since the last one."""
    ordered = sorted(rows, key=lambda r: (r.action.due_date, r.action.id))
    shown = ordered[:page_size]
    title = f"{plural(len(rows), 'action')} became overdue: {scope_label}"
    line = f"Their deadlines passed since {format_date(since)}, and they are not done yet."
    items = [views.item(row, today, editable=False) for row in shown]
    remaining = len(rows) - len(shown)
    more = More(remaining=remaining, command="overdue") if remaining > 0 else None
    return Reply(title=title, sections=[Section(lines=[line], items=items)], more=more, visibility=Visibility.CHANNEL)

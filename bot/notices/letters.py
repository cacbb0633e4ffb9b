"""What the clock's messages say: a person's morning message, an escalation, an overdue alert.

Built as neutral replies from the same :mod:`bot.views` items as ``mine`` (so the buttons on a
nudge work exactly as they do there), with plain text that every renderer escapes. A message is built
when its job queues it and again just before it is sent (``bot.notices.checks``), with only the actions
still true, as of that day. A person's message of the day is queued as a summary (a line per action,
cheap for a job writing hundreds of them) and built in full, with its buttons, when it is sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from bot import views
from bot.dates import format_date
from bot.replies import ActionItem, More, Reply, Section, View, Visibility
from store.actions import ActionRow

Items = dict[tuple[int, bool], ActionItem]  # built items by (action id, editable), shared by a run's letters

CHECK_IN_HEADING = "Still on track?"
CHECK_IN_LINE = "No update for 4 weeks or more. Nothing changed? Press On track."
SUMMARY_TEXT = 120
SUMMARY_INTRO = "Sent with buttons on each action: Done, On track, At risk, Update…, Snooze a week."
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


def item(row: ActionRow, today: date, *, editable: bool, items: Items | None = None) -> ActionItem:
    """The action as ``mine`` shows it (built once per run when ``items`` is given)."""
    if items is None:
        return views.item(row, today, editable=editable)
    key = (row.action.id or 0, editable)
    if key not in items:
        items[key] = views.item(row, today, editable=editable)
    return items[key]


@dataclass(frozen=True)
class Entry:
    """An action in a person's message of the day: its number, deadline and text (and, to show it in full
    with its buttons, its row)."""

    id: int
    due: date | None
    text: str
    row: ActionRow | None = None


def daily(rows: Sequence[ActionRow], check_ins: Iterable[int], today: date, page_size: int) -> Reply:
    """A person's one message of the day, as sent: every action that needs them, most urgent first, each as
    ``mine`` shows it, with its buttons."""
    entries = [Entry(row.action.id or 0, row.action.due_date, row.action.text, row) for row in rows]
    return _daily(entries, set(check_ins), today, page_size)


def daily_summary(entries: Sequence[Entry], check_ins: Iterable[int], today: date, page_size: int) -> Reply:
    """The same message as queued: one line per action (``#42 Agree the terms of reference``) under the same
    headings; :func:`daily` builds it in full, with the buttons, when it is sent."""
    return _daily([Entry(e.id, e.due, e.text) for e in entries], set(check_ins), today, page_size)


def _daily(entries: list[Entry], checking: set[int], today: date, page_size: int) -> Reply:
    nudged = sorted((e for e in entries if e.id not in checking), key=lambda e: (e.due or date.max, e.id))
    checked = sorted((e for e in entries if e.id in checking), key=lambda e: e.id)
    shown = (nudged + checked)[:page_size]
    count = len(entries)
    if nudged:
        title = f"{count} of your actions need you today" if count > 1 else "1 of your actions needs you today"
    else:
        title = f"{CHECK_IN_HEADING} {plural(count, 'ongoing action')} of yours"
    full = any(e.row is not None for e in entries)
    sections = [Section(lines=[INTRO if full else SUMMARY_INTRO])]
    for heading, group in groupby(
        shown, key=lambda e: CHECK_IN_HEADING if e.id in checking else due_line(e.due, today)
    ):
        members = list(group)
        lines = [CHECK_IN_LINE] if heading == CHECK_IN_HEADING else []
        items = [views.item(e.row, today, editable=True) for e in members if e.row is not None]
        if not items:
            lines += [f"#{e.id} {views.shorten(e.text, SUMMARY_TEXT)}" for e in members]
        sections.append(Section(heading=heading, lines=lines, items=items))
    remaining = count - len(shown)
    more = More(remaining=remaining, command="mine") if remaining > 0 else None
    view = View(nudge=tuple(e.id for e in shown), check_ins=tuple(e.id for e in shown if e.id in checking))
    return Reply(title=title, sections=sections, more=more, visibility=Visibility.PRIVATE,
                 view=view if full and view.fits else None)  # so a press keeps the message (bot.redraw)


def escalation(
    rows: Sequence[ActionRow],
    today: date,
    days_by_review: dict[int, int],
    to_admins: Iterable[int],
    page_size: int,
    items: Items | None = None,
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
        built = [item(row, today, editable=False, items=items) for row in members]
        sections.append(Section(heading=members[0].review.title, lines=lines, items=built))
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

"""The weekly digest: counts by RAG, overdue, due soon, done and changed since the last one.

Built here for the ``digest`` command (a preview, to the asker only) and, once the scheduler is built,
for the weekly digest to subscribed channels. Empty sections are left out; long sections end with how
to see more.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot import views
from bot.dates import format_date
from bot.domain import Rag
from bot.replies import Fact, Reply, Section, Visibility
from store import action_lists, audit
from store.actions import Page
from store.plan_gaps import total_gaps

SECTION_ITEMS = 5
CHANGE_LINES = 10
DUE_SOON_DAYS = 14


def build_digest(
    session: Session,
    *,
    today: date,
    since: datetime,
    zone: ZoneInfo,
    review_ids: Sequence[int] | None,
    scope_label: str,
    scope_command: str,
    visibility: Visibility = Visibility.CHANNEL,
) -> Reply:
    """The digest of the reviews in ``review_ids`` (all when ``None``) for the period since ``since``."""
    counts = action_lists.rag_counts(session, today, review_ids)
    total = sum(counts.values())
    since_label = format_date(since.astimezone(zone).date())
    gaps = total_gaps(session, review_ids)
    still = [f"Still to fill in: {gaps.describe()}."] if gaps else []
    sections = [
        Section(
            lines=[f"{scope_label}: {total} action{'s' if total != 1 else ''}, as of {format_date(today)}.", *still],
            facts=[Fact(label=rag.label, value=str(counts[rag])) for rag in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.GREY)],
        )
    ]
    overdue = action_lists.overdue_actions(session, today, SECTION_ITEMS, review_ids=review_ids)
    _add(sections, "Overdue", overdue, today, f"`overdue{scope_command}` lists all {overdue.total}")
    due_soon = action_lists.due_between(
        session, today, today + timedelta(days=DUE_SOON_DAYS), SECTION_ITEMS, review_ids=review_ids
    )
    _add(
        sections,
        f"Due in the next {DUE_SOON_DAYS} days",
        due_soon,
        today,
        f"`due {DUE_SOON_DAYS}d` lists all {due_soon.total}",
    )
    done = action_lists.done_since(session, since, review_ids, SECTION_ITEMS)
    _add(sections, f"Done since {since_label}", done, today, None)
    changes = audit.recent_updates(session, since, review_ids, CHANGE_LINES + 1)
    if changes:
        lines = [f"#{u.action_id} · {views.describe_update(u, who, zone)}" for u, who in changes[:CHANGE_LINES]]
        if len(changes) > CHANGE_LINES:
            lines.append("…and more: `show <number>` gives an action's full history.")
        sections.append(Section(heading=f"Changes since {since_label}", lines=lines))
    return Reply(title=f"Weekly digest: {scope_label}", sections=sections, visibility=visibility)


def _add(sections: list[Section], heading: str, page: Page, today: date, more: str | None) -> None:
    if page.total == 0:
        return
    items = [views.item(row, today, editable=False) for row in page.rows]
    lines = [f"…and {page.remaining} more: {more}."] if more and page.remaining else []
    sections.append(Section(heading=f"{heading} ({page.total})", items=items, lines=lines))

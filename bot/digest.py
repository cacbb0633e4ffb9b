"""The weekly digest: counts by RAG, overdue, due soon, done and changed since the last one.

Built here for both the ``digest`` command (a preview, to the asker only) and the scheduler
(to subscribed channels). Empty sections are left out; long sections end with how to see more.
It flags ongoing actions not updated for 8 weeks, says when a review has no lead (its escalations go
to the admins), and ends with the owners the bot cannot reach, so an admin can link them.

A clock job building many digests in one run passes one ``memo`` dict: each query is then run once per
scope (and "since"), so a thousand subscriptions to a few reviews cost a few queries each.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence, Set
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot import views
from bot.dates import format_date
from bot.domain import Rag
from bot.replies import Fact, Reply, Section, Visibility
from bot.services.show import describe_update
from store import notices, ongoing, queries
from store.queries import Page
from store.reach import Unreached, unreached_owners

SECTION_ITEMS = 5
CHANGE_LINES = 10
DUE_SOON_DAYS = 14
QUIET_WEEKS = 8
NAMED_OWNERS = 10
GROUP_NOTE = ", a group: no member to reach"

T = TypeVar("T")
Memo = dict[tuple[Any, ...], Any]


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
    reach: Set[str] | None = None,
    memo: Memo | None = None,
) -> Reply:
    """The digest of the reviews in ``review_ids`` (all when ``None``) for the period since ``since``.

    ``reach`` is where the bot can send on its own (None: an owner linked anywhere counts as reachable).
    """
    scope = tuple(review_ids) if review_ids is not None else None
    cache: Memo = memo if memo is not None else {}

    def once(name: str, run: Callable[[], T], *key: Any) -> T:
        full = (name, scope, *key)
        if full not in cache:
            cache[full] = run()
        return cache[full]  # type: ignore[no-any-return]

    counts = once("rag", lambda: queries.rag_counts(session, today, review_ids), today)
    total = sum(counts.values())
    since_label = format_date(since.astimezone(zone).date())
    sections = [
        Section(
            lines=[f"{scope_label}: {total} action{'s' if total != 1 else ''}, as of {format_date(today)}."],
            facts=[Fact(label=rag.label, value=str(counts[rag])) for rag in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.GREY)],
        )
    ]
    overdue = once(
        "overdue", lambda: queries.overdue_actions(session, today, SECTION_ITEMS, review_ids=review_ids), today
    )
    _add(sections, "Overdue", overdue, today, f"`overdue{scope_command}` lists all {overdue.total}")
    soon = today + timedelta(days=DUE_SOON_DAYS)
    due_soon = once(
        "due", lambda: queries.due_between(session, today, soon, SECTION_ITEMS, review_ids=review_ids), today
    )
    _add(
        sections,
        f"Due in the next {DUE_SOON_DAYS} days",
        due_soon,
        today,
        f"`due {DUE_SOON_DAYS}d` lists all {due_soon.total}",
    )
    done = once("done", lambda: queries.done_since(session, since, review_ids, SECTION_ITEMS), since)
    _add(sections, f"Done since {since_label}", done, today, None)
    changes = once("changes", lambda: queries.recent_updates(session, since, review_ids, CHANGE_LINES + 1), since)
    if changes:
        lines = [f"#{u.action_id} · {describe_update(u, who, zone)}" for u, who in changes[:CHANGE_LINES]]
        if len(changes) > CHANGE_LINES:
            lines.append("…and more: `show <number>` gives an action's full history.")
        sections.append(Section(heading=f"Changes since {since_label}", lines=lines))
    quiet_since = datetime.combine(today - timedelta(weeks=QUIET_WEEKS), time(0), tzinfo=zone)
    quiet = once(
        "quiet", lambda: ongoing.not_updated_since(session, today, quiet_since, review_ids, SECTION_ITEMS), today
    )
    _add(sections, f"Ongoing, no update for {QUIET_WEEKS} weeks", quiet, today, None)
    unled = once("unled", lambda: _unled_line(session, review_ids))
    if unled:
        sections.append(Section(lines=[unled]))
    unreached = once("unreached", lambda: unreached_owners(session, review_ids, reach), reach)
    if unreached.actions:
        sections.append(Section(lines=[_unreached_line(unreached)]))
    return Reply(title=f"Weekly digest: {scope_label}", sections=sections, visibility=visibility)


def _add(sections: list[Section], heading: str, page: Page, today: date, more: str | None) -> None:
    if page.total == 0:
        return
    items = [views.item(row, today, editable=False) for row in page.rows]
    lines = [f"…and {page.remaining} more: {more}."] if more and page.remaining else []
    sections.append(Section(heading=f"{heading} ({page.total})", items=items, lines=lines))


def _unled_line(session: Session, review_ids: Sequence[int] | None) -> str | None:
    """Says which reviews have no lead, so their escalations go to the admins (None when all have one)."""
    reviews = [r for r in notices.active_reviews(session) if review_ids is None or r.id in review_ids]
    leads = notices.leads(session, [review.id or 0 for review in reviews])
    unled = [review.title for review in reviews if not leads[review.id or 0]]
    if not unled:
        return None
    admins = ", ".join(person.name for person in notices.admins(session)) or "nobody is an admin yet"
    if review_ids is not None and len(review_ids) == 1:
        return f"This review has no lead: its escalations go to the admins ({admins})."
    return f"No lead, so escalations go to the admins ({admins}): {', '.join(unled)}."


def _unreached_line(unreached: Unreached) -> str:
    """``3 actions have owners the bot cannot reach: Deb Poole (2), CMT (1, a group: …). …``"""
    names = [f"{name} ({count}{GROUP_NOTE if group else ''})" for name, count, group in unreached.owners]
    if unreached.no_owner:
        names.append(f"no owner ({unreached.no_owner})")
    shown = ", ".join(names[:NAMED_OWNERS]) + (
        f" and {len(names) - NAMED_OWNERS} more" if len(names) > NAMED_OWNERS else ""
    )
    count = unreached.actions
    have = "action has an owner" if count == 1 else "actions have owners"
    return f"{count} {have} the bot cannot reach: {shown}. An admin can `link` them."

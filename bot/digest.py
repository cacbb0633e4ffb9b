"""The weekly digest: counts by RAG, overdue, due soon, done and changed since the last one.

Built here for both the ``digest`` command (a preview, to the asker only) and the clock's digest job
(:mod:`bot.notices.digests`, to subscribed channels). Empty sections are left out; long sections end with
how to see more.
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
from store import action_lists, audit, digests, ongoing, recipients
from store.actions import Page
from store.plan_gaps import Gaps, plan_gaps, total_gaps
from store.reach import Unreached, unreached_by_review, unreached_owners

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
    reachable = frozenset(reach) if reach is not None else None
    whole = ("digest", scope, today, since, reachable, scope_label, scope_command, visibility)
    if whole not in cache:
        digest = _Digest(session, today, since, zone, review_ids, reachable, cache)
        cache[whole] = digest.build(scope_label, scope_command, visibility)
    return cache[whole]  # type: ignore[no-any-return]


class _Digest:
    """One digest's parts, each read (and built) once per scope, or per scope and "since", in a memo."""

    def __init__(
        self,
        session: Session,
        today: date,
        since: datetime,
        zone: ZoneInfo,
        review_ids: Sequence[int] | None,
        reach: Set[str] | None,
        cache: Memo,
    ) -> None:
        self.session, self.today, self.since, self.zone = session, today, since, zone
        self.review_ids, self.reach, self.cache = review_ids, reach, cache
        self.scope = tuple(review_ids) if review_ids is not None else None

    def once(self, name: str, run: Callable[[], T], *key: Any) -> T:
        full = (name, self.scope, *key)
        if full not in self.cache:
            self.cache[full] = run()
        return self.cache[full]  # type: ignore[no-any-return]

    def build(self, scope_label: str, scope_command: str, visibility: Visibility) -> Reply:
        session, today, since, review_ids = self.session, self.today, self.since, self.review_ids
        counts = self.once("rag", lambda: action_lists.rag_counts(session, today, review_ids), today)
        total = sum(counts.values())
        since_label = format_date(since.astimezone(self.zone).date())
        rags = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.GREY)
        gaps = self.once("gaps", lambda: total_gaps(session, review_ids))
        still = [f"Still to fill in: {gaps.describe()}."] if gaps else []
        sections = [
            Section(
                lines=[
                    f"{scope_label}: {total} action{'s' if total != 1 else ''}, as of {format_date(today)}.",
                    *still,
                ],
                facts=[Fact(label=rag.label, value=str(counts[rag])) for rag in rags],
            )
        ]

        def overdue() -> Section | None:
            page = self.once(
                "page:overdue",
                lambda: action_lists.overdue_actions(session, today, SECTION_ITEMS, review_ids=review_ids),
                today,
            )
            return _section("Overdue", page, today, f"`overdue{scope_command}` lists all {page.total}")

        def due_soon() -> Section | None:
            soon = today + timedelta(days=DUE_SOON_DAYS)
            page = self.once(
                "page:due",
                lambda: action_lists.due_between(session, today, soon, SECTION_ITEMS, review_ids=review_ids),
                today,
            )
            more = f"`due {DUE_SOON_DAYS}d` lists all {page.total}"
            return _section(f"Due in the next {DUE_SOON_DAYS} days", page, today, more)

        def done() -> Section | None:
            page = self.once(
                "page:done", lambda: action_lists.done_since(session, since, review_ids, SECTION_ITEMS), since
            )
            return _section(f"Done since {since_label}", page, today, None)

        def changes() -> Section | None:
            found = self.once(
                "changes:rows", lambda: audit.recent_updates(session, since, review_ids, CHANGE_LINES + 1), since
            )
            if not found:
                return None
            lines = [f"#{u.action_id} · {views.describe_update(u, who, self.zone)}" for u, who in found[:CHANGE_LINES]]
            if len(found) > CHANGE_LINES:
                lines.append("…and more: `show <number>` gives an action's full history.")
            return Section(heading=f"Changes since {since_label}", lines=lines)

        def quiet() -> Section | None:
            page = self.once(
                "page:quiet", lambda: ongoing.not_updated_since(session, today, quiet_since(today, self.zone),
                                                                review_ids, SECTION_ITEMS),
                today,
            )  # fmt: skip
            return _section(f"Ongoing, no update for {QUIET_WEEKS} weeks", page, today, None)

        def unled() -> Section | None:
            line = self.once("unled:line", lambda: _unled_line(session, review_ids))
            return Section(lines=[line]) if line else None

        def unreached() -> Section | None:
            found = self.once("unreached:data", lambda: unreached_owners(session, review_ids, self.reach), self.reach)
            return Section(lines=[_unreached_line(found)]) if found.actions else None

        parts = [
            self.once("overdue", overdue, today, scope_command),
            self.once("due", due_soon, today, scope_command),
            self.once("done", done, today, since),
            self.once("changes", changes, since),
            self.once("quiet", quiet, today),
            self.once("unled", unled),
            self.once("unreached", unreached, self.reach),
        ]
        sections += [part for part in parts if part is not None]
        return Reply(title=f"Weekly digest: {scope_label}", sections=sections, visibility=visibility)


def quiet_since(today: date, zone: ZoneInfo) -> datetime:
    """Ongoing actions not updated since this moment are flagged: 8 weeks before today began."""
    return datetime.combine(today - timedelta(weeks=QUIET_WEEKS), time(0), tzinfo=zone)


def prefetch(
    session: Session,
    *,
    today: date,
    zone: ZoneInfo,
    review_ids: Sequence[int],
    sinces: Set[datetime],
    reach: Set[str] | None,
    memo: Memo,
) -> None:
    """Read what the digests of each of ``review_ids`` (on its own, for each of ``sinces``) need, in a few
    grouped statements for them all, into ``memo``: :func:`build_digest` then reads nothing for them."""
    ids = sorted(set(review_ids))
    if not ids:
        return
    reachable = frozenset(reach) if reach is not None else None
    soon = today + timedelta(days=DUE_SOON_DAYS)
    parts: dict[str, tuple[dict[int, Page], Any]] = {
        "page:overdue": (digests.pages(session, digests.overdue(session, today, ids, SECTION_ITEMS)), today),
        "page:due": (digests.pages(session, digests.due_between(session, today, soon, ids, SECTION_ITEMS)), today),
        "page:quiet": (
            digests.pages(session, digests.quiet(session, today, quiet_since(today, zone), ids, SECTION_ITEMS)),
            today,
        ),
    }
    rag = digests.rag_counts(session, today, ids)
    gaps = plan_gaps(session, ids)
    unreached = unreached_by_review(session, ids, reachable)
    unled = set(recipients.unled_reviews(session, ids))
    titles = dict(recipients.review_titles(session, ids))
    named: list[str] = []

    def admins() -> str:
        if not named:
            named.append(", ".join(person.name for person in recipients.admins(session)) or "nobody is an admin yet")
        return named[0]

    for review_id in ids:
        scope = (review_id,)
        memo[("rag", scope, today)] = rag[review_id]
        memo[("gaps", scope)] = gaps.get(review_id, Gaps())
        for name, (pages, key) in parts.items():
            memo[(name, scope, key)] = pages.get(review_id, Page([], 0, 0))
        memo[("unreached:data", scope, reachable)] = unreached.get(review_id, Unreached())
        memo[("unled:line", scope)] = (
            _no_lead(admins(), [titles[review_id]], True) if titles.get(review_id) in unled else None
        )
    for since in sinces:
        done = digests.pages(session, digests.done_since(session, since, ids, SECTION_ITEMS))
        changes = digests.recent_updates(session, since, ids, CHANGE_LINES + 1)
        for review_id in ids:
            memo[("page:done", (review_id,), since)] = done.get(review_id, Page([], 0, 0))
            memo[("changes:rows", (review_id,), since)] = changes.get(review_id, [])


def _section(heading: str, page: Page, today: date, more: str | None) -> Section | None:
    if page.total == 0:
        return None
    items = [views.item(row, today, editable=False) for row in page.rows]
    lines = [f"…and {page.remaining} more: {more}."] if more and page.remaining else []
    return Section(heading=f"{heading} ({page.total})", items=items, lines=lines)


def _unled_line(session: Session, review_ids: Sequence[int] | None) -> str | None:
    """Says which reviews have no lead, so their escalations go to the admins (None when all have one)."""
    unled = recipients.unled_reviews(session, review_ids)
    if not unled:
        return None
    admins = ", ".join(person.name for person in recipients.admins(session)) or "nobody is an admin yet"
    return _no_lead(admins, unled, review_ids is not None and len(review_ids) == 1)


def _no_lead(admins: str, unled: list[str], one_review: bool) -> str:
    if one_review:
        return f"This review has no lead: its escalations go to the admins ({admins})."
    return f"No lead, so escalations go to the admins ({admins}): {', '.join(unled)}."


def _unreached_line(unreached: Unreached) -> str:
    """``3 actions have owners the bot cannot reach: Deb Poole (2), CMT (1, a group: …). …``"""
    names = [f"{name} ({count}{GROUP_NOTE if group else ''})" for name, count, group in unreached.owners]
    shown = ", ".join(names[:NAMED_OWNERS]) + (
        f" and {len(names) - NAMED_OWNERS} more" if len(names) > NAMED_OWNERS else ""
    )
    count = unreached.actions
    have = "action has an owner" if count == 1 else "actions have owners"
    return f"{count} {have} the bot cannot reach: {shown}. An admin can `link` them."

"""Handlers that list actions: ``mine``, ``overdue``, ``due`` and ``reviews``.

``overdue`` across the council is for SMT, managers and admins; anyone else asking it (an officer
typing ``what's overdue?``) is shown their own overdue actions, with a line saying so, rather than
a refusal. ``overdue mine`` and ``due mine`` are the asker's own, whoever asks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from itertools import groupby

from bot import permissions, views
from bot.commands import Command, parse_user
from bot.dates import end_of_month, end_of_week, format_date
from bot.errors import NotAllowed, UserError
from bot.replies import Fact, More, Reply, Section
from bot.services.turn import Turn
from store import action_lists, actions, people
from store.models import Person
from store.plan_gaps import plan_gaps
from store.reviews import review_progress
from store.shown import ActionFields

Editable = Callable[[ActionFields], bool]
MAX_OFFSET = 2_147_483_647  # a page number past every list is bounded before it becomes an SQL offset


def _offset(turn: Turn, command: Command) -> int:
    return min((command.page - 1) * turn.page_size, MAX_OFFSET)


def _check_page(command: Command, total: int, shown: int, size: int, words: str) -> None:
    """Refuse a page past the end of a list: "There are only 3 pages: `mine page 3`"."""
    if shown or command.page == 1 or total == 0:
        return
    pages = -(-total // size)
    if pages == 1:
        raise UserError(f"There is only 1 page of `{words}`.")
    raise UserError(f"There are only {pages} pages of `{words}`: the last is `{words} page {pages}`.")


def _editable(turn: Turn, page: actions.Page) -> Editable:
    """Whether the asker may change each action of ``page`` (worked out for the page at once, or read with it)."""
    allowed = permissions.editable_ids(turn.session, turn.me, [row.action for row in page.rows], page.owned_or_led)
    return lambda action: action.id in allowed


def mine(command: Command, turn: Turn) -> Reply:
    person = turn.me
    assert person.id is not None
    page = action_lists.my_open_actions(turn.session, person.id, turn.page_size, _offset(turn, command))
    if page.total == 0:
        return Reply.text("You have no open actions. 🎉", title="Your actions")
    _check_page(command, page.total, len(page.rows), turn.page_size, "mine")
    items = [views.item(row, turn.today, editable=True) for row in page.rows]
    overdue = sum(1 for item in items if "overdue" in item.facts[1].value)
    summary = f"{page.total} open action{'s' if page.total != 1 else ''}, due soonest first."
    if overdue:
        summary += f" {overdue} on this page overdue."
    return Reply(
        title="Your actions",
        sections=[Section(lines=[summary], items=items)],
        more=views.more_hint(page, "mine", command.page),
    )


def resolve_owner(turn: Turn, text: str) -> Person:
    """The person an ``@owner`` names: a mention, or a name (exact, or the one name containing it)."""
    user = parse_user(text)
    if user is not None:
        platform = user.platform or turn.request.actor.platform
        person = people.person_by_platform_id(turn.session, platform, user.user_id)
        if person is None:
            raise UserError("That user is not linked to anyone in the plan. An admin can `link` them.")
        return person
    found = people.find_people(turn.session, text)
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        names = ", ".join(p.name for p in found[:5])
        raise UserError(f"'{text}' matches {len(found)} people: {names}. Give the full name.")
    close = people.closest_names(people.all_person_names(turn.session), text)
    hint = f" Did you mean {' or '.join(close)}?" if close else ""
    raise UserError(f"Nobody in the plan is called '{text}'.{hint}")


def overdue(command: Command, turn: Turn) -> Reply:
    review_ids = [turn.review(command.review).id or 0] if command.review else None
    owner = turn.me if command.mine else resolve_owner(turn, command.owner) if command.owner else None
    instead = False  # an officer asking "what's overdue?" is shown their own, with a line saying why
    if not (owner is not None and owner.id == turn.me.id) and not permissions.has_oversight(turn.session, turn.me):
        if owner is not None:
            raise NotAllowed(
                "Someone else's overdue actions are for SMT, managers and admins to see. "
                "`overdue` shows your own; `show 42` shows any one action."
            )
        owner, instead = turn.me, True
    page = action_lists.overdue_actions(
        turn.session,
        turn.today,
        turn.page_size,
        _offset(turn, command),
        review_ids=review_ids,
        owner_person_id=owner.id if owner else None,
        asker_id=turn.me.id,
    )
    words = ["overdue"] + (["mine"] if command.mine else []) + ([command.review] if command.review else [])
    words += [f"@{command.owner}"] if command.owner else []
    if owner is not None and owner.id == turn.me.id:
        return _own_overdue(turn, command, page, [permissions.COUNCIL_WIDE] if instead else [], " ".join(words))
    scope = _scope_text(turn, command, owner)
    if page.total == 0:
        return Reply.text(f"Nothing is overdue{scope}. 🎉", title="Overdue")
    _check_page(command, page.total, len(page.rows), turn.page_size, " ".join(words))
    owners = page.owners
    editable = _editable(turn, page)
    sections = [
        Section(
            lines=[
                f"{page.total} overdue action{'s' if page.total != 1 else ''}{scope}, "
                f"{owners} owner{'s' if owners != 1 else ''}, as of {format_date(turn.today)}."
            ]
        )
    ]
    for name, rows in groupby(page.rows, key=lambda row: row.lead_owner):
        rows_list = list(rows)
        sections.append(
            Section(
                heading=name,
                items=[views.item(row, turn.today, editable=editable(row.action)) for row in rows_list],
            )
        )
    return Reply(title="Overdue actions", sections=sections, more=views.more_hint(page, " ".join(words), command.page))


def _own_overdue(turn: Turn, command: Command, page: action_lists.OverduePage, note: list[str], words: str) -> Reply:
    """The asker's own overdue actions, with their buttons."""
    where = f" in '{turn.review(command.review).title}'" if command.review else ""
    if page.total == 0:
        return Reply(
            title="Your overdue actions",
            sections=[Section(lines=[f"None of your actions{where} is overdue. 🎉", *note])],
        )
    _check_page(command, page.total, len(page.rows), turn.page_size, words)
    editable = _editable(turn, page)
    summary = (
        f"{page.total} of your actions{where} {'is' if page.total == 1 else 'are'} overdue, "
        f"as of {format_date(turn.today)}."
    )
    items = [views.item(row, turn.today, editable=editable(row.action)) for row in page.rows]
    return Reply(
        title="Your overdue actions",
        sections=[Section(lines=[summary, *note], items=items)],
        more=views.more_hint(page, words, command.page),
    )


def _scope_text(turn: Turn, command: Command, owner: Person | None) -> str:
    parts = []
    if command.review:
        parts.append(f" in '{turn.review(command.review).title}'")
    if owner:
        parts.append(f" for {owner.name}")
    return "".join(parts)


def window(command: Command, today: date) -> tuple[date, date]:
    """The dates a ``due`` window covers, today included."""
    if command.window == "today":
        return today, today
    if command.window == "this week":
        return today, end_of_week(today)
    if command.window == "next week":
        start = end_of_week(today) + timedelta(days=1)
        return start, end_of_week(start)
    if command.window == "this month":
        return today, end_of_month(today)
    if command.new_date is not None:
        return today, command.new_date
    return today, today + timedelta(days=command.days or 7)


def due(command: Command, turn: Turn) -> Reply:
    start, end = window(command, turn.today)
    owner_id = turn.me.id if command.mine else None
    page = action_lists.due_between(
        turn.session, start, end, turn.page_size, _offset(turn, command), owner_person_id=owner_id, asker_id=turn.me.id
    )
    label = f"by {format_date(command.new_date)}" if command.new_date else command.window or "next 7 days"
    whose = "of yours " if command.mine else ""
    if page.total == 0:
        return Reply.text(
            f"Nothing {whose}is due {label} ({format_date(start)} to {format_date(end)}).",
            title="Due" if not command.mine else "Your actions due",
        )
    mine = " mine" if command.mine else ""
    if command.new_date:
        words = f"due{mine} {command.new_date.isoformat()}"
    else:
        words = f"due{mine} {command.days}d" if command.days else f"due{mine} {command.window}"
    _check_page(command, page.total, len(page.rows), turn.page_size, words)
    editable = _editable(turn, page)
    summary = (
        f"{page.total} action{'s' if page.total != 1 else ''} {whose}due {format_date(start)} to {format_date(end)}."
    )
    return Reply(
        title=f"Due {label}" if not command.mine else f"Your actions due {label}",
        sections=[
            Section(lines=[summary], items=[views.item(r, turn.today, editable=editable(r.action)) for r in page.rows])
        ],
        more=views.more_hint(page, words, command.page),
    )


def reviews(command: Command, turn: Turn) -> Reply:
    progress = review_progress(turn.session, turn.today)
    gaps = plan_gaps(turn.session)
    if not progress:
        return Reply.text("No reviews yet. An admin can load a plan with `actionbot import FILE`.", title="Reviews")
    size = turn.page_size
    start = (command.page - 1) * size
    shown = progress[start : start + size]
    _check_page(command, len(progress), len(shown), size, "reviews")
    sections = []
    for p in shown:
        live = p.total - p.dropped
        percent = round(100 * p.done / live) if live else 0
        facts = [
            Fact(label="Progress", value=f"{p.done} of {live} done ({percent}%)"),
            Fact(label="Overdue", value=str(p.overdue)),
            Fact(label="At risk / off track", value=f"{p.at_risk} / {p.off_track}"),
        ]
        if p.dropped:
            facts.append(Fact(label="Dropped", value=str(p.dropped)))
        if missing := gaps.get(p.review.id or 0):
            facts.append(Fact(label="Still to fill in", value=missing.describe()))
        if p.review.follow_up_on:
            facts.append(Fact(label="Follow-up", value=format_date(p.review.follow_up_on)))
        heading = p.review.title + (" (closed)" if p.review.state == "closed" else "")
        sections.append(
            Section(heading=heading, lines=[p.review.organisation] if p.review.organisation else [], facts=facts)
        )
    remaining = len(progress) - start - len(shown)
    more = More(remaining=remaining, command=f"reviews page {command.page + 1}") if remaining > 0 else None
    return Reply(title="Reviews", sections=sections, more=more)

"""The lists of actions that replies and digests page through, and the RAG counts a digest opens with.

Mine, overdue, due between two dates, done since a moment: each is one page (:class:`~store.actions.Page`)
fetched in SQL with a count of the whole list, so a reply costs the same at 100 actions or 100,000.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Date, Integer, bindparam, case, func, or_, union
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from bot.domain import Rag, Status
from store.actions import (
    OPEN_STATUSES,
    SHOWN,
    Page,
    flush_pending,
    open_condition,
    overdue_condition,
    owned_by,
    page_of,
    rows_by_ids,
    shown_rows,
)
from store.change_counter import CHANGES, changes, remembered_totals, totals_at
from store.driver_select import DriverSelect
from store.models import Action, ActionOwner, ActionUpdate, GroupMember
from store.ownership import owns_or_leads

_ACTION, _OWNER, _MEMBER = Action.__table__, ActionOwner.__table__, GroupMember.__table__  # type: ignore[attr-defined]
_PERSON = bindparam("person", type_=Integer)
_OWNED = union(  # as store.actions.owned_by, in SQLAlchemy Core and built once
    core_select(_OWNER.c.action_id).where(_OWNER.c.person_id == _PERSON),
    core_select(_OWNER.c.action_id)
    .join(_MEMBER, _MEMBER.c.group_id == _OWNER.c.group_id)
    .where(_MEMBER.c.person_id == _PERSON),
)
_MY_OPEN = (_ACTION.c.id.in_(_OWNED), _ACTION.c.status.in_(OPEN_STATUSES))
_MINE_ORDER = (_ACTION.c.due_date.asc().nulls_last(), _ACTION.c.id)
# The page's ids and the whole list's count (a person owns tens or hundreds of actions, not thousands) ...
_MINE_PAGE = (
    core_select(_ACTION.c.id, func.count().over().label("total"))
    .where(*_MY_OPEN)
    .order_by(*_MINE_ORDER)
    .limit(bindparam("limit", type_=Integer, literal_execute=True))
    .offset(bindparam("offset", type_=Integer, literal_execute=True))
    .subquery()
)
# ... and those actions with all a reply shows of them, in one statement.
_MINE = (
    SHOWN.add_columns(_MINE_PAGE.c.total)
    .join(_MINE_PAGE, _MINE_PAGE.c.id == _ACTION.c.id)
    .order_by(*_MINE_ORDER)
)
_MINE_COUNT = core_select(func.count()).select_from(_ACTION).where(*_MY_OPEN)
_OVERDUE_ORDER = (_ACTION.c.lead_owner, _ACTION.c.due_date, _ACTION.c.id)
# The council-wide overdue list: a page of ids from ix_action_lead_owner_due (as overdue_condition: open, due
# before today), and those actions with all a reply shows of them, in one statement.
_OVERDUE_PAGE = (
    core_select(_ACTION.c.id)
    .where(_ACTION.c.due_date < bindparam("today", type_=Date), _ACTION.c.status.in_(OPEN_STATUSES))
    .order_by(*_OVERDUE_ORDER)
    .limit(bindparam("limit", type_=Integer, literal_execute=True))  # a plan made for ten rows, not thousands
    .offset(bindparam("offset", type_=Integer, literal_execute=True))
    .subquery()
)
# With the counter the remembered totals are kept by (store.change_counter), and whether the asker (bound as
# ``person``) owns each action or leads its review (store.ownership.owns_or_leads), read in the same statement.
_OVERDUE = (
    SHOWN.add_columns(CHANGES, owns_or_leads(_ACTION.c.id, _ACTION.c.review_id).label("owned_or_led"))
    .join(_OVERDUE_PAGE, _OVERDUE_PAGE.c.id == _ACTION.c.id)
    .order_by(*_OVERDUE_ORDER)
)


_TODAY = bindparam("today", type_=Date)


def _owned_overdue(table: Any) -> tuple[ColumnElement[bool], ...]:
    """``table`` (the action table, or an alias of it) owned by the person and overdue (as overdue_condition)."""
    return table.c.id.in_(_OWNED), table.c.due_date < _TODAY, table.c.status.in_(OPEN_STATUSES)


# One person's overdue actions (an officer asking "what's overdue?"): the page's ids with the whole list's count,
# and how many lead owners the list has, read with those actions in one statement as mine's are.
_OWN_OVERDUE_PAGE = (
    core_select(_ACTION.c.id, func.count().over().label("total"))
    .where(*_owned_overdue(_ACTION))
    .order_by(*_OVERDUE_ORDER)
    .limit(bindparam("limit", type_=Integer, literal_execute=True))
    .offset(bindparam("offset", type_=Integer, literal_execute=True))
    .subquery()
)
_LISTED = _ACTION.alias("listed")
_OWN_OVERDUE_OWNERS = (
    core_select(func.count(_LISTED.c.lead_owner.distinct())).where(*_owned_overdue(_LISTED)).scalar_subquery()
)
_OWN_OVERDUE = (
    SHOWN.add_columns(_OWN_OVERDUE_PAGE.c.total, _OWN_OVERDUE_OWNERS.label("owner_count"))
    .join(_OWN_OVERDUE_PAGE, _OWN_OVERDUE_PAGE.c.id == _ACTION.c.id)
    .order_by(*_OVERDUE_ORDER)
)

# Read through the driver (store.driver_select): the answers everyone asks for most.
_MINE_READ = DriverSelect(_MINE, runtime=("person",))
_OVERDUE_READ = DriverSelect(_OVERDUE, runtime=("today", "person"))
_OWN_OVERDUE_READ = DriverSelect(_OWN_OVERDUE, runtime=("today", "person"))


def my_open_actions(session: Session, person_id: int, limit: int, offset: int = 0) -> Page:
    """Open actions a person owns, directly or through a group: due soonest first, undated last."""
    flush_pending(session)
    found = _MINE_READ.rows(session, {"person": person_id}, limit, offset)
    if found:
        total = found[0][-1]  # the whole list's count, the statement's last column
    else:  # past the end of the list (or nothing open): how long the list is, for the answer
        total = session.connection().execute(_MINE_COUNT, {"person": person_id}).scalar_one() if offset else 0
    return Page(shown_rows(found), int(total), offset)


def _overdue_where(
    today: date, review_ids: Sequence[int] | None, owner_person_id: int | None
) -> list[ColumnElement[bool]]:
    where = [overdue_condition(today)]
    if review_ids is not None:
        where.append(col(Action.review_id).in_(review_ids))
    if owner_person_id is not None:
        where.append(owned_by(owner_person_id))
    return where


@dataclass(frozen=True)
class OverduePage(Page):
    """A page of overdue actions, with how many lead owners the whole list has (and, when it was read for an
    asker, which of its actions they own or lead the review of)."""

    owners: int = 0
    owned_or_led: frozenset[int] | None = None


def overdue_actions(
    session: Session,
    today: date,
    limit: int,
    offset: int = 0,
    review_ids: Sequence[int] | None = None,
    owner_person_id: int | None = None,
    asker_id: int | None = None,
) -> OverduePage:
    """Overdue actions ordered by lead owner, then most overdue first (from ix_action_lead_owner_due),
    with how many actions and lead owners the whole list has; the council-wide list read for ``asker_id``
    says which of its actions they own or lead the review of (and one person's own list read for them, that
    they own every one)."""

    def where() -> list[ColumnElement[bool]]:  # built only when used: the council-wide list needs none
        return _overdue_where(today, review_ids, owner_person_id)

    if review_ids is None and owner_person_id is None:  # the council-wide list: its statement is built once
        flush_pending(session)
        found = _OVERDUE_READ.rows(session, {"today": today, "person": asker_id or 0}, limit, offset)
        version = found[0][-2] if found else changes(session)  # the counter, read with the page, before any totals
        total, owners = totals_at(session, version, today, None, lambda: _overdue_totals(session, where()))
        owned_or_led = frozenset(row[0] for row in found if row[-1]) if asker_id is not None else None
        return OverduePage(shown_rows(found), total, offset, owners=owners, owned_or_led=owned_or_led)
    if review_ids is None and owner_person_id is not None:  # one person's list: one statement, built once
        flush_pending(session)
        found = _OWN_OVERDUE_READ.rows(session, {"today": today, "person": owner_person_id}, limit, offset)
        if found:
            total, owners = found[0][-2], found[0][-1]
        else:  # past the end of the list (or nothing overdue): how long the list is, for the answer
            total, owners = _overdue_totals(session, where()) if offset else (0, 0)
        owned = frozenset(row[0] for row in found) if asker_id == owner_person_id else None  # theirs, every one
        return OverduePage(shown_rows(found), int(total), offset, owners=int(owners), owned_or_led=owned)
    if owner_person_id is None:  # the council-wide totals: remembered until an action changes
        total, owners = remembered_totals(session, today, review_ids, lambda: _overdue_totals(session, where()))
    else:
        total, owners = _overdue_totals(session, where())
    order = [col(Action.lead_owner), col(Action.due_date), col(Action.id)]
    query = select(Action.id).where(*where()).order_by(*order).limit(limit).offset(offset)
    ids = [i for i in session.exec(query) if i]
    return OverduePage(rows_by_ids(session, ids), total, offset, owners=owners)


def _overdue_totals(session: Session, where: list[ColumnElement[bool]]) -> tuple[int, int]:
    """How many overdue actions, and how many distinct lead owners, in the way each database does fastest.

    Measured at 100,000 actions (38,182 overdue, 1,050 owners; bench/README.md): PostgreSQL counts both
    in one grouped index-only scan of ix_action_status_due_lead_owner (~18 ms, where a count plus a
    DISTINCT count took ~22 ms). SQLite is the other way round: a count from ix_action_status_due
    (~4 ms) and a DISTINCT that skip-scans ix_action_lead_owner_due (~5 ms) beat one grouped scan (~26 ms).
    """
    if session.get_bind().dialect.name == "postgresql":
        per_owner = (
            select(col(Action.lead_owner), func.count().label("actions"))
            .where(*where)
            .group_by(col(Action.lead_owner))
            .subquery()
        )
        owners, total = session.exec(
            select(func.count(), func.coalesce(func.sum(per_owner.c.actions), 0)).select_from(per_owner)
        ).one()
        return int(total), int(owners)
    total = session.exec(select(func.count()).select_from(Action).where(*where)).one()
    distinct_owners = select(col(Action.lead_owner)).where(*where).distinct().subquery()
    owners = session.exec(select(func.count()).select_from(distinct_owners)).one()
    return int(total), int(owners)


def due_between(
    session: Session,
    start: date,
    end: date,
    limit: int,
    offset: int = 0,
    review_ids: Sequence[int] | None = None,
    owner_person_id: int | None = None,
) -> Page:
    """Open actions due from ``start`` to ``end`` inclusive, soonest first (only one person's, when given)."""
    where = [col(Action.due_date) >= start, col(Action.due_date) <= end, open_condition()]
    if review_ids is not None:
        where.append(col(Action.review_id).in_(review_ids))
    if owner_person_id is not None:
        where.append(owned_by(owner_person_id))
    return page_of(session, where, [col(Action.due_date), col(Action.id)], limit, offset)


def done_since(session: Session, since: datetime, review_ids: Sequence[int] | None, limit: int) -> Page:
    """Actions that are done and were marked done since ``since`` (from the audit trail)."""
    done_ids = select(ActionUpdate.action_id).where(
        ActionUpdate.new_status == Status.DONE,
        col(ActionUpdate.old_status) != Status.DONE,
        col(ActionUpdate.at) >= since,
    )
    where = [col(Action.status) == Status.DONE, col(Action.id).in_(done_ids)]
    if review_ids is not None:
        where.append(col(Action.review_id).in_(review_ids))
    return page_of(session, where, [col(Action.id)], limit, 0)


def rag_expression(today: date) -> ColumnElement[str]:
    """An action's RAG rating as SQL (the same rule as :func:`bot.domain.rag`), for counting by RAG."""
    status = col(Action.status)
    return case(
        (status == Status.DROPPED, Rag.GREY.value),
        (status == Status.DONE, Rag.GREEN.value),
        (or_(status == Status.OFF_TRACK, overdue_condition(today)), Rag.RED.value),
        (status == Status.AT_RISK, Rag.AMBER.value),
        (status == Status.ON_TRACK, Rag.GREEN.value),
        else_=Rag.GREY.value,
    )


def rag_counts(session: Session, today: date, review_ids: Sequence[int] | None) -> dict[Rag, int]:
    """How many actions are red, amber, green and grey, computed in one grouped query."""
    rag_of = rag_expression(today)
    query = select(rag_of, func.count()).select_from(Action).group_by(rag_of)
    if review_ids is not None:
        query = query.where(col(Action.review_id).in_(review_ids))
    counts = dict.fromkeys(Rag, 0)
    for value, count in session.exec(query):
        counts[Rag(value)] = int(count)
    return counts

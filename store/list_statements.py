"""The statements the lists of :mod:`store.action_lists` read their pages with, built once.

``mine``, the council-wide ``overdue``, one person's overdue actions and the ``due`` lists: each a page with what
a reply shows of its actions (:data:`store.actions.SHOWN`), the whole list's count (or the change counter the
council-wide totals are remembered by) and, where a list has buttons, whether the asker (bound as ``person``)
owns each action or leads its review, in one statement read through the driver (:mod:`store.driver_select`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Date, Integer, bindparam, func, union
from sqlalchemy import select as core_select

from store.actions import OPEN_STATUSES, SHOWN
from store.change_counter import CHANGES
from store.driver_select import DriverSelect
from store.models import Action, ActionOwner, GroupMember
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
MINE_COUNT = core_select(func.count()).select_from(_ACTION).where(*_MY_OPEN)
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
MINE_READ = DriverSelect(_MINE, runtime=("person",))
OVERDUE_READ = DriverSelect(_OVERDUE, runtime=("today", "person"))
OWN_OVERDUE_READ = DriverSelect(_OWN_OVERDUE, runtime=("today", "person"))



_START, _END = bindparam("start", type_=Date), bindparam("end", type_=Date)
_DUE_ORDER = (_ACTION.c.due_date, _ACTION.c.id)


def _due_within(table: Any, owned: bool) -> list[ColumnElement[bool]]:
    """``table`` (the action table or an alias) open and due from ``start`` to ``end`` (and the person's, if owned)."""
    where = [table.c.due_date >= _START, table.c.due_date <= _END, table.c.status.in_(OPEN_STATUSES)]
    return [*where, table.c.id.in_(_OWNED)] if owned else where


def _due_read(owned: bool) -> DriverSelect:
    """A page of a ``due`` list with the whole list's count (a count of its own: a window over a thousand rows
    costs SQLite several times a count and a page) and whether the asker (``person``) owns each action or leads its
    review, in one statement; ``owned``: the asker's own list."""
    counted = _ACTION.alias("counted")
    total = core_select(func.count()).select_from(counted).where(*_due_within(counted, owned)).scalar_subquery()
    page = (
        core_select(_ACTION.c.id)
        .where(*_due_within(_ACTION, owned))
        .order_by(*_DUE_ORDER)
        .limit(bindparam("limit", type_=Integer, literal_execute=True))
        .offset(bindparam("offset", type_=Integer, literal_execute=True))
        .subquery()
    )
    statement = (
        SHOWN.add_columns(total.label("total"), owns_or_leads(_ACTION.c.id, _ACTION.c.review_id).label("owned_or_led"))
        .join(page, page.c.id == _ACTION.c.id)
        .order_by(*_DUE_ORDER)
    )
    return DriverSelect(statement, runtime=("start", "end", "person"))


DUE_READ, MY_DUE_READ = _due_read(owned=False), _due_read(owned=True)



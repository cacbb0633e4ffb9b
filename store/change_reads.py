"""What a change in chat reads of the action it changes, in one statement built once.

A button press (or ``update``, ``note``, ``snooze``…) needs, besides the action itself (locked for the rest of
the transaction on PostgreSQL, as :func:`store.actions.get_action` locks it): whether the asker leads its review
and whether they own it (the permission check, :mod:`bot.permissions`), whether a change with this request's key
is recorded already (a retried delivery), whether any channel is subscribed to its updates (the broadcast), and
its recommendation, review and owners (the answer shows the action as it now stands). Asked one by one, that was
six statements, each costing SQLAlchemy and the driver more than the database takes to answer it; here it is one.

Each fact is read with the action, in the same transaction, before the change writes anything. The one that a
concurrent transaction could make true in between is the request key: on PostgreSQL a press that waited for
the action's row lock still sees the key as of before its wait, so a retried delivery racing its original
records its change, the key's unique constraint refuses the audit row, and the unit of work runs the press
again from a fresh read, which then answers "already recorded" (as a separate query would have at once).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, String, bindparam, cast, literal, select
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import manager_of_class
from sqlmodel import Session

from bot.domain import SubscriptionKind
from store.actions import BESIDE, MAX_ID, ActionRow, flush_pending, row_beside
from store.driver_select import DriverSelect
from store.models import (
    Action,
    ActionOwner,
    ActionUpdate,
    Recommendation,
    Review,
    ReviewLead,
    Subscription,
)
from store.ownership import names_the_person

_ACTION, _REC, _REVIEW = Action.__table__, Recommendation.__table__, Review.__table__  # type: ignore[attr-defined]
_OWNER, _LEAD = ActionOwner.__table__, ReviewLead.__table__  # type: ignore[attr-defined]
_UPDATE, _SUBSCRIPTION = ActionUpdate.__table__, Subscription.__table__  # type: ignore[attr-defined]
_PERSON = bindparam("person", type_=Integer)

# The facts, each an EXISTS correlated with the action read (the same conditions as store.ownership's, store.audit's
# and store.subscriptions' own queries).
_LEADS_REVIEW = (
    select(_LEAD.c.review_id)
    .where(_LEAD.c.person_id == _PERSON, _LEAD.c.review_id == _ACTION.c.review_id)
    .correlate(_ACTION)
    .exists()
    .label("leads_review")
)
_OWNS = select(_OWNER.c.action_id).where(names_the_person(_ACTION.c.id)).correlate(_ACTION).exists().label("owns")
_RECORDED = (
    select(_UPDATE.c.id).where(_UPDATE.c.request_key == bindparam("key", type_=String)).exists().label("recorded")
)
_NOTIFIES = (
    select(_SUBSCRIPTION.c.id)
    .where(
        _SUBSCRIPTION.c.kind == SubscriptionKind.UPDATES,
        _SUBSCRIPTION.c.scope.in_([literal("all"), literal("review:") + cast(_ACTION.c.review_id, String)]),
    )
    .correlate(_ACTION)
    .exists()
    .label("notifies")
)
# Read through the driver (store.driver_select: SQLAlchemy's work around running a statement cost more than SQLite's),
# the Action made from its columns as the ORM makes what it loads (:func:`_loaded`).
_READ = (
    select(_ACTION, *BESIDE, _LEADS_REVIEW, _OWNS, _RECORDED, _NOTIFIES)
    .join(_REC, _REC.c.id == _ACTION.c.recommendation_id)
    .join(_REVIEW, _REVIEW.c.id == _ACTION.c.review_id)
    .where(_ACTION.c.id == bindparam("action", type_=Integer))
)
_READ_LOCKED = _READ.with_for_update(of=_ACTION)  # the action's row only, not its review's or recommendation's
_RUNTIME = ("action", "person", "key")
_READS, _READS_LOCKED = DriverSelect(_READ, _RUNTIME), DriverSelect(_READ_LOCKED, _RUNTIME)
_ACTION_KEYS = tuple(column.key for column in _ACTION.c)
_NEW_ACTION = manager_of_class(Action).new_instance


@dataclass(frozen=True)
class ActionToChange:
    """An action read to be changed, and what the change needs to know beside it (as of that read)."""

    action: Action
    row: ActionRow  # the action (this ORM object: it shows what is written to it) with what replies show beside it
    leads_review: bool  # the person asking leads the action's review
    owns: bool  # they own it, directly or through a group
    recorded: bool  # a change with the request's key was recorded already
    notifies: bool  # a channel is subscribed to updates of its review (or of every review)


def read_to_change(
    session: Session, action_id: int, person_id: int | None, request_key: str | None, *, for_update: bool
) -> ActionToChange | None:
    """The action with this id and the facts above, for ``person_id`` and ``request_key``; ``None`` if there is none
    (also for a number no id can be). ``for_update`` locks its row (PostgreSQL; SQLite's writes are exclusive)."""
    if not 1 <= action_id <= MAX_ID:
        return None
    flush_pending(session)
    rows = (_READS_LOCKED if for_update else _READS).rows(
        session, {"action": action_id, "person": person_id, "key": request_key}
    )
    if not rows:
        return None
    found = rows[0]
    columns = len(_ACTION_KEYS)
    action = _loaded(session, found[:columns])
    *beside, leads_review, owns, recorded, notifies = found[columns:]
    return ActionToChange(action, row_beside(action, beside), bool(leads_review), bool(owns), bool(recorded),
                          bool(notifies))


def _loaded(session: Session, values: Sequence[Any]) -> Action:
    """The action whose columns are ``values`` (in the table's order), in ``session`` as a query would give it: the
    instance the session holds already if it holds one (as the ORM's loading, which leaves one as it is), else a
    new one made as the ORM makes what it loads (the class's ``__new__``, the columns in its ``__dict__``, counted
    as loaded: nothing to write), which the session then holds."""
    held = session.identity_map.get(session.identity_key(Action, (values[0],)))
    if held is not None:
        return held  # type: ignore[no-any-return]
    action: Action = _NEW_ACTION()
    action.__dict__.update(zip(_ACTION_KEYS, values, strict=True))
    make_transient_to_detached(action)
    session.add(action)
    return action

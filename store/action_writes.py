"""Writing one change to an action: its row, and its audit row, each one statement built once.

A chat change (a button press, ``update``, ``note``, ``move``…) writes the action's changeable columns and one
:class:`~store.models.ActionUpdate` row. Through the ORM that is a flush (its unit of work, its change tracking, a
statement compiled per set of changed columns); here it is two SQLAlchemy Core statements, built once, with the
same guarantee the ORM's ``version_id_col`` gives: the row is written only if its ``version`` is still the one
read, else :class:`~sqlalchemy.orm.exc.StaleDataError` (the unit of work then runs the change again from a
fresh read). The loaded :class:`~store.models.Action` is brought up to date as if it had been read again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from store.models import Action, ActionUpdate

# What a change may set on an action (bot.services.changes.apply), always all of them: one statement.
CHANGEABLE = (
    "status",
    "percent_complete",
    "due_date",
    "original_due_date",
    "snoozed_until",
    "dropped_reason",
    "latest_note",
    "updated_at",
)
_ACTION = Action.__table__  # type: ignore[attr-defined]
_AUDIT = ActionUpdate.__table__  # type: ignore[attr-defined]
# The SET clause and the VALUES come from the names of the parameters each is run with.
_WRITE = update(_ACTION).where(_ACTION.c.id == bindparam("the_id"), _ACTION.c.version == bindparam("read_version"))
_AUDIT_NAMES = {column.name for column in _AUDIT.c if column.name != "id"}
_RECORD = insert(_AUDIT)


def write(session: Session, action: Action, values: dict[str, Any]) -> None:
    """Write ``values`` (every name in :data:`CHANGEABLE`) to the action's row, its version moved on, if no one
    else wrote it since it was read; the loaded ``action`` then holds them as read from the database."""
    if action.id is None or set(values) != set(CHANGEABLE):
        raise ValueError("an action already stored, and a value for each changeable column")
    if session.autoflush:
        session.flush()  # whatever the ORM holds for this action first, as a query of its own would
    read = action.version
    written = session.execute(_WRITE, {**values, "version": read + 1, "the_id": action.id, "read_version": read})
    if written.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleDataError(f"action #{action.id} was changed since version {read} was read")
    for name, value in {**values, "version": read + 1}.items():
        set_committed_value(action, name, value)


def record(session: Session, row: Mapping[str, Any]) -> int:
    """Insert an audit row (:class:`~store.models.ActionUpdate`'s columns but its id, every one) and return its id."""
    if set(row) != _AUDIT_NAMES:
        raise ValueError("a value for each column of the audit row but its id")
    inserted = session.execute(_RECORD, dict(row))
    return int(inserted.inserted_primary_key[0])  # type: ignore[attr-defined]

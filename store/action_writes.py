"""Writing one change to an action: its row and its audit row, in statements built once.

A chat change (a button press, ``update``, ``note``, ``move``…) writes the action's changeable columns and one
:class:`~store.models.ActionUpdate` row. Through the ORM that is a flush (its unit of work, its change tracking, a
statement compiled per set of changed columns); here it is SQLAlchemy Core, built once, with the same guarantee
the ORM's ``version_id_col`` gives: the row is written only if its ``version`` is still the one read, else
:class:`~sqlalchemy.orm.exc.StaleDataError` (the unit of work then runs the change again from a fresh read). On
PostgreSQL the two are one statement (the UPDATE in a ``WITH``, the audit row inserted from what it wrote: one
round trip); SQLite, which has no UPDATE in a ``WITH``, runs them one after the other. The loaded
:class:`~store.models.Action` is brought up to date as if it had been read again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Integer, bindparam, insert, select, update
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
_AUDIT_COLUMNS = [column for column in _AUDIT.c if column.name != "id"]
_AUDIT_NAMES = {column.name for column in _AUDIT_COLUMNS}
_RECORD = insert(_AUDIT)
# PostgreSQL: both in one statement (one round trip), the audit row inserted only if the action's row was written.
_WRITTEN = (
    update(_ACTION)
    .where(
        _ACTION.c.id == bindparam("the_id", type_=Integer),
        _ACTION.c.version == bindparam("read_version", type_=Integer),
    )
    .values({name: bindparam(f"set_{name}", type_=_ACTION.c[name].type) for name in (*CHANGEABLE, "version")})
    .returning(_ACTION.c.id)
    .cte("written")
)
_WRITE_AND_RECORD = (
    insert(_AUDIT)
    .from_select(
        [column.name for column in _AUDIT_COLUMNS],
        select(*(
            _WRITTEN.c.id if column.name == "action_id" else bindparam(f"audit_{column.name}", type_=column.type)
            for column in _AUDIT_COLUMNS
        )),
    )
    .add_cte(_WRITTEN)
    .returning(_AUDIT.c.id)
)  # fmt: skip


def write(session: Session, action: Action, values: Mapping[str, Any], audit: Mapping[str, Any]) -> int:
    """Write ``values`` (every name in :data:`CHANGEABLE`) to the action's row, its version moved on, if no one
    else wrote it since it was read, and insert its audit row ``audit`` (:class:`~store.models.ActionUpdate`'s
    columns but its id, every one); return the audit row's id. The loaded ``action`` then holds the values as
    read from the database."""
    if action.id is None or set(values) != set(CHANGEABLE):
        raise ValueError("an action already stored, and a value for each changeable column")
    if set(audit) != _AUDIT_NAMES or audit["action_id"] != action.id:
        raise ValueError("a value for each column of the action's audit row but its id")
    if session.autoflush:
        session.flush()  # whatever the ORM holds for this action first, as a query of its own would
    read = action.version
    connection = session.connection()  # Core statements: the session's connection, past the ORM's execute
    if connection.dialect.name == "postgresql":
        parameters = {f"set_{name}": value for name, value in values.items()}
        parameters |= {f"audit_{name}": value for name, value in audit.items() if name != "action_id"}
        parameters |= {"set_version": read + 1, "the_id": action.id, "read_version": read}
        recorded = connection.execute(_WRITE_AND_RECORD, parameters).first()
        if recorded is None:
            raise StaleDataError(f"action #{action.id} was changed since version {read} was read")
        audit_id = int(recorded[0])
    else:
        written = connection.execute(_WRITE, {**values, "version": read + 1, "the_id": action.id, "read_version": read})
        if written.rowcount != 1:
            raise StaleDataError(f"action #{action.id} was changed since version {read} was read")
        inserted = connection.execute(_RECORD, dict(audit)).inserted_primary_key
        assert inserted is not None  # one row inserted: its id
        audit_id = int(inserted[0])
    for name, value in {**values, "version": read + 1}.items():
        set_committed_value(action, name, value)
    return audit_id

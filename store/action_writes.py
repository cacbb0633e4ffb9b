"""Writing one change to an action: its row and its audit row, in statements built once.

A chat change (a button press, ``update``, ``note``, ``move``…) writes the action's changeable columns and one
:class:`~store.models.ActionUpdate` row. Through the ORM that is a flush (its unit of work, its change tracking, a
statement compiled per set of changed columns); here it is SQLAlchemy Core, built once, with the same guarantee
the ORM's ``version_id_col`` gives: the row is written only if its ``version`` is still the one read, else
:class:`~sqlalchemy.orm.exc.StaleDataError` (the unit of work then runs the change again from a fresh read). On
PostgreSQL the two are one statement (the UPDATE in a ``WITH``, the audit row inserted from what it wrote: one
round trip); SQLite, which has no UPDATE in a ``WITH``, runs them one after the other. The loaded
:class:`~store.models.Action` is brought up to date as if it had been read again.

Each statement is compiled once per database to the driver's own SQL and sent with the cursor of the session's
connection (:class:`_Driven`): SQLAlchemy's work around running a statement (its compiled cache's key, its
result objects) was most of a write's CPU (SQLite: 0.078 -> 0.029 ms the two). It goes through SQLAlchemy's own
path for a driver call (``Connection._cursor_execute``: the engine's events and logging, and a driver's error
raised as SQLAlchemy's, so that a request key recorded twice is still an ``IntegrityError`` to the unit of work),
each value converted by its column type's own bind processor, as SQLAlchemy would.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Dialect, Integer, bindparam, insert, select, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.sql.dml import UpdateBase
from sqlmodel import Session

from store.driver_select import bind_processors, on_driver
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


@dataclass(frozen=True)
class _Driven:
    """A statement as the driver's SQL, and how to make the driver's parameters from a run's values."""

    sql: str
    order: tuple[str, ...] | None  # the parameters' order for a positional paramstyle (SQLite's ``?``)
    processors: Mapping[str, Callable[[Any], Any]]

    @classmethod
    def compiled(cls, statement: UpdateBase, dialect: Dialect, keys: list[str] | None = None) -> _Driven:
        compiled = statement.compile(dialect=dialect, column_keys=keys)
        processors = bind_processors(compiled, dialect)
        order = tuple(compiled.positiontup) if compiled.positiontup is not None else None
        return cls(compiled.string, order, processors)

    def run(self, connection: Connection, values: Mapping[str, Any]) -> tuple[int, Any]:
        """Run it with ``values`` (by parameter name): the rows it counted and the first row it returned
        (PostgreSQL) or the id it inserted (SQLite)."""
        converted = {
            name: process(value) if value is not None and (process := self.processors.get(name)) else value
            for name, value in values.items()
        }
        parameters = tuple(converted[name] for name in self.order) if self.order is not None else converted
        return on_driver(connection, self.sql, parameters, _answer)


def _answer(cursor: Any) -> tuple[int, Any]:
    """The rows a statement counted and the first row it returned (PostgreSQL), or the id it inserted (SQLite)."""
    if cursor.description is None:
        return cursor.rowcount, cursor.lastrowid
    return cursor.rowcount, cursor.fetchone()


_DRIVEN: dict[tuple[Any, ...], tuple[_Driven, _Driven]] = {}  # by dialect, paramstyle and server version


def _driven(dialect: Dialect) -> tuple[_Driven, _Driven]:
    """The two statements of a write for this database: the action's UPDATE and the audit row's INSERT (SQLite),
    or the one that does both and the same again (PostgreSQL)."""
    key = (type(dialect), dialect.paramstyle, dialect.server_version_info)  # what the SQL may depend on
    found = _DRIVEN.get(key)
    if found is None:
        if dialect.name == "postgresql":
            both = _Driven.compiled(_WRITE_AND_RECORD, dialect)
            found = (both, both)
        else:
            found = (
                _Driven.compiled(_WRITE, dialect, [*CHANGEABLE, "version"]),
                _Driven.compiled(_RECORD, dialect, [column.name for column in _AUDIT_COLUMNS]),
            )
        found = _DRIVEN.setdefault(key, found)
    return found


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
    connection = session.connection()  # the session's connection and transaction, past the ORM's execute
    first, second = _driven(connection.dialect)
    if connection.dialect.name == "postgresql":
        parameters = {f"set_{name}": value for name, value in values.items()}
        parameters |= {f"audit_{name}": value for name, value in audit.items() if name != "action_id"}
        parameters |= {"set_version": read + 1, "the_id": action.id, "read_version": read}
        _, recorded = first.run(connection, parameters)
        if recorded is None:
            raise StaleDataError(f"action #{action.id} was changed since version {read} was read")
        audit_id = int(recorded[0])
    else:
        written, _ = first.run(connection, {**values, "version": read + 1, "the_id": action.id, "read_version": read})
        if written != 1:
            raise StaleDataError(f"action #{action.id} was changed since version {read} was read")
        _, inserted = second.run(connection, audit)
        audit_id = int(inserted)
    for name, value in {**values, "version": read + 1}.items():
        set_committed_value(action, name, value)
    return audit_id

"""A Core select read through the database driver itself, on the session's connection.

The lists every answer shows (``mine``, ``overdue``) are one statement each, and SQLAlchemy's own work around
a statement (its compiled cache's key, rendering the statement's literal parameters again, its result objects
and a conversion call per value: a regular expression per SQLite date) was most of their CPU at 100,000
actions (bench/core_cpu.py). A :class:`DriverSelect` compiles its statement once per database, limit and
offset, to the SQL SQLAlchemy itself would send (``construct_expanded_state``); each run sends it with the
cursor of the session's connection (in the session's transaction, through SQLAlchemy's
``Connection._cursor_execute``: the engine's events, its logging, and its handling of an error, a lost
connection invalidated and the error raised as SQLAlchemy's, so that a read is read again on a new connection)
and converts only the columns whose values the driver does not give as SQLAlchemy would, the same way
SQLAlchemy's types do (``tests/test_shown_rows.py`` holds every column to the ORM's value and type, on both
databases).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from json.scanner import make_scanner
from typing import Any, TypeVar, cast

from sqlalchemy import JSON, Connection, Date, DateTime, Dialect, Enum, Select, Text
from sqlalchemy import cast as cast_as
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.types import TypeDecorator, TypeEngine
from sqlmodel import Session

Convert = Callable[[Any], Any]
T = TypeVar("T")
Compiled = tuple[str, Callable[[Mapping[str, Any]], Any], tuple[tuple[int, Convert], ...]]
_MAX_COMPILED = 64  # compiled forms kept per statement (a database, a limit and an offset each); then begun again


class DriverSelect:
    """``statement`` (a Core select whose runtime parameters are named ``bindparam``s, ``limit`` and ``offset``
    among them when it pages) as the driver's SQL, run by :meth:`rows` on the session's connection."""

    def __init__(self, statement: Select[Any], runtime: Sequence[str]) -> None:
        self.statement = statement
        self.runtime = tuple(runtime)  # the parameters given at each run (not limit and offset)
        self._compiled: dict[tuple[Any, ...], Compiled] = {}  # by driver, server version, limit and offset

    def rows(self, session: Session, params: Mapping[str, Any], limit: int = 0, offset: int = 0) -> list[Any]:
        """The rows for ``params`` (``limit`` and ``offset`` are written into the SQL, as literal_execute would,
        so that PostgreSQL plans for the page), each a sequence of the statement's columns in their order."""
        connection = session.connection()
        sql, arguments, converting = self._for(connection.dialect, limit, offset)
        values = arguments(params)
        found = on_driver(connection, sql, values, lambda cursor: cursor.fetchall())
        if not converting:
            return list(found)
        rows = []
        for row in found:
            converted = list(row)
            for at, convert in converting:
                value = converted[at]
                if value is not None:
                    converted[at] = convert(value)
            rows.append(converted)
        return rows

    def _for(self, dialect: Dialect, limit: int, offset: int) -> Compiled:
        key = (type(dialect), dialect.paramstyle, dialect.server_version_info, int(limit), int(offset))
        compiled = self._compiled.get(key)
        if compiled is None:
            if len(self._compiled) >= _MAX_COMPILED:
                self._compiled.clear()
            compiled = self._compiled[key] = self._compile(dialect, int(limit), int(offset))
        return compiled

    def _compile(self, dialect: Dialect, limit: int, offset: int) -> Compiled:
        statement = self.statement
        if dialect.name != "sqlite":  # JSON read as its text (psycopg's loader is json.loads on bytes, slower)
            columns = statement.selected_columns
            as_text = (cast_as(c, Text).label(c.name) if isinstance(c.type, JSON) else c for c in columns)
            statement = statement.with_only_columns(*as_text, maintain_column_froms=True)
        compiled = statement.compile(dialect=dialect)
        for name in self.runtime:
            bind = compiled.binds[name]
            if bind.expanding or bind.literal_execute:
                raise TypeError(f"{name}: a parameter given at each run is sent as it is, never written into the SQL")
        given = {**dict.fromkeys(self.runtime), "limit": limit, "offset": offset}
        state = compiled.construct_expanded_state({k: v for k, v in given.items() if k in compiled.binds})
        processors = {**bind_processors(compiled, dialect), **state.processors}  # the latter: lists expanded
        constants = {
            name: processors[name](value) if name in processors and value is not None else value
            for name, value in state.parameters.items()
            if name not in self.runtime
        }
        runtime = tuple((name, processors.get(name)) for name in self.runtime)
        order = state.positiontup

        def arguments(params: Mapping[str, Any]) -> Any:
            values = dict(constants)
            for name, process in runtime:
                value = params[name]
                values[name] = process(value) if process is not None and value is not None else value
            return tuple(values[name] for name in order) if order is not None else values

        converters = (
            _json_document if isinstance(column.type, JSON) else _converter(column.type, dialect)
            for column in self.statement.selected_columns
        )
        converting = tuple((at, convert) for at, convert in enumerate(converters) if convert is not None)
        return state.statement, arguments, converting


def on_driver(connection: Connection, sql: str, parameters: Any, read: Callable[[Any], T]) -> T:
    """Send ``sql`` with the cursor of ``connection``'s driver connection through SQLAlchemy's own path for a
    driver call (``Connection._cursor_execute``: the engine's events and logging), and ``read`` its answer from the
    cursor. An error, sending or reading (stepping a SQLite statement can fail as late as that), is handled as
    SQLAlchemy handles its own: the cursor closed, a lost connection invalidated, the error raised as SQLAlchemy's
    (so that a unit of work reads again on a new connection, or retries a duplicate key)."""
    cursor = connection.connection.cursor()
    connection._cursor_execute(cursor, sql, parameters)  # noqa: SLF001 (closes the cursor and raises on an error)
    try:
        answer = read(cursor)
    except Exception as exc:
        connection._handle_dbapi_exception(exc, sql, parameters, cursor, None)  # noqa: SLF001 (raises)
        raise
    cursor.close()
    return answer


def bind_processors(compiled: SQLCompiler, dialect: Dialect) -> dict[str, Convert]:
    """What each parameter of ``compiled`` (by its name in the SQL) is made before the driver gets it, by its type
    as this database has it (a UTC datetime made naive, SQLite's dates as text), as SQLAlchemy's own execution does."""
    return {
        name: process
        for bind, name in compiled.bind_names.items()
        if (process := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None
    }


_SCAN = cast(Callable[[str, int], tuple[Any, int]], make_scanner(cast(Any, json.JSONDecoder())))  # C's scanner


def _json_document(text: str) -> Any:
    """A JSON document the database wrote (no whitespace around it), as ``json.loads`` reads it (without its
    two regular expressions for the whitespace a document may have around it)."""
    try:
        value, end = _SCAN(text, 0)
    except StopIteration:
        value, end = None, -1
    return value if end == len(text) else json.loads(text)


def _converter(column_type: TypeEngine[Any], dialect: Dialect) -> Convert | None:
    """What SQLAlchemy's type does to a non-null value the driver gives, or ``None`` when it leaves it as it is;
    SQLite's text dates converted straight by the standard library (SQLAlchemy parses each with a regular
    expression). JSON is read as text on every database and parsed by :func:`_json_document`."""
    if isinstance(column_type, TypeDecorator):
        inner = _converter(column_type.impl_instance, dialect)
        if type(column_type).process_result_value is TypeDecorator.process_result_value:
            return inner  # a decorator that converts only what it is given (sqlmodel's AutoString)
        decorated = column_type.process_result_value

        def through(value: Any) -> Any:
            return decorated(inner(value) if inner is not None else value, dialect)

        return through
    if dialect.name == "sqlite":
        if isinstance(column_type, DateTime):
            return datetime.fromisoformat
        if isinstance(column_type, Date):
            return date.fromisoformat
    if isinstance(column_type, Enum) and column_type.enum_class is not None:
        # The stored strings are the type's ``enums``, its members' in the same order: a lookup, not a call.
        return dict(zip(column_type.enums, column_type.enum_class, strict=True)).__getitem__
    processor = column_type.result_processor(dialect, None)
    if processor is None:
        return None
    return processor

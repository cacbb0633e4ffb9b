"""Sessions: one transaction per request, committed when the block ends, rolled back on error."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlmodel import Session

from store.autocommit import reading_in_autocommit
from store.db import READ_ONLY, read_only
from store.writers import NO_WAIT, writers_turn


@contextmanager
def transaction(engine: Engine, *, write: bool = True) -> Iterator[Session]:
    """A session inside one transaction. ``write=False`` starts a read transaction (SQLite: DEFERRED; PostgreSQL: in
    autocommit, :mod:`store.autocommit`); a write
    transaction waits its turn among this process's writers first (:func:`store.db.writers_turn`), or with an
    engine made not to wait (:func:`store.db.without_waiting`) raises :class:`~store.db.WouldWait` rather than
    wait. An engine already made read-only (:func:`store.db.read_only`, once, by the unit of work) is used as it
    is."""
    if not write:
        reader = engine if engine.get_execution_options().get(READ_ONLY) else read_only(engine)
        with Session(reader, expire_on_commit=False) as session, session.begin():
            if reader.dialect.driver == "psycopg":
                reading_in_autocommit(session.connection())
            yield session
        return
    wait = not engine.get_execution_options().get(NO_WAIT)
    with writers_turn(engine, wait=wait), Session(engine, expire_on_commit=False) as session, session.begin():
        yield session

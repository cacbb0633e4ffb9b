"""PostgreSQL reads in autocommit, switched by the driver's own flag.

A read-only transaction on PostgreSQL (:func:`store.session.transaction` with ``write=False``) runs its statements
in autocommit: under read committed each statement reads what was committed when it began, with or without a
transaction, so ``BEGIN`` and ``COMMIT`` would be two round trips that buy nothing. The psycopg connection is put in
autocommit as the read gets it (:func:`reading_in_autocommit`) and taken out again as it comes back to the pool
(:func:`out_of_autocommit`, a listener :func:`store.db.make_engine` sets), so any other use of a pooled connection
is a transaction. Only the driver's flag is set, with no round trip: SQLAlchemy's ``isolation_level="AUTOCOMMIT"``
did the same through its connection characteristics, set at every checkout and undone at every return, which cost
a read transaction ~10 µs of its ~60 (in-process, 30 Nov).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

PQTRANS_IDLE = 0  # libpq: a connection in no transaction
_READING = "actionbot_reading"  # in a pooled connection's info: put in autocommit by reading_in_autocommit


def reading_in_autocommit(connection: Connection) -> None:
    """Put the psycopg connection a read-only transaction has just been given in autocommit, before its first
    statement (one its engine or caller put in autocommit already is left as it is)."""
    pooled = connection.connection
    driver: Any = pooled.driver_connection
    if not driver.autocommit and driver.pgconn.transaction_status == PQTRANS_IDLE:
        driver.autocommit = True
        pooled.info[_READING] = True


def out_of_autocommit(dbapi_connection: Any, record: Any) -> None:
    """The pool's ``checkin``: a psycopg connection back from a read is out of autocommit again (one whose engine
    or caller asked for autocommit is left so; a closed one is replaced by the next checkout's ping)."""
    if (
        record.info.pop(_READING, False)
        and dbapi_connection is not None
        and dbapi_connection.pgconn.transaction_status == PQTRANS_IDLE
    ):
        dbapi_connection.autocommit = False

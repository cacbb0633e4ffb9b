"""Sessions: one transaction per request, committed when the block ends, rolled back on error."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlmodel import Session

from store.db import read_only


@contextmanager
def transaction(engine: Engine, *, write: bool = True) -> Iterator[Session]:
    """A session inside one transaction. ``write=False`` starts a read transaction (SQLite: DEFERRED)."""
    bind = engine if write else read_only(engine)
    with Session(bind, expire_on_commit=False) as session, session.begin():
        yield session

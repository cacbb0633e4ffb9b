"""Plans sent to the bot in chat and waiting for the admin's **Import** or **Cancel**: the ``pending_file`` table.

A file is kept here (in the database, so every web process sees it) from its dry run until it is imported,
cancelled, or 24 hours have passed, whichever comes first. Once imported the file's bytes are dropped and the
row stays (until it expires) so that a second press of **Import** can say it was already done. Defined beside
:mod:`store.models`, which imports it so that importing the models registers every table.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, LargeBinary, String, delete, update
from sqlmodel import Field, Session, SQLModel, col, select

from store.columns import UTCDateTime

PENDING = "pending"
IMPORTED = "imported"


class PendingFile(SQLModel, table=True):
    """One file an admin sent, its dry run done, awaiting a decision.

    ``key`` is the delivery it came in (``slack:F0123:1547460000.000100``, a Teams activity id): a platform
    delivering the same message twice makes one pending file. ``title`` is the review title the message
    gave (``None``: the importer takes it from the file); ``reviews`` the reviews the dry run went into.
    """

    __tablename__ = "pending_file"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE")
    surface: str = Field(sa_column=Column(String(20), nullable=False))
    file_name: str = Field(sa_column=Column(String(255), nullable=False))
    title: str | None = Field(default=None, sa_column=Column(String(300)))
    reviews: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    content: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    size: int
    state: str = Field(default=PENDING, sa_column=Column(String(20), nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))


def by_key(session: Session, key: str) -> PendingFile | None:
    return session.exec(select(PendingFile).where(PendingFile.key == key)).first()


def get(session: Session, pending_id: int) -> PendingFile | None:
    return session.get(PendingFile, pending_id)


def purge_expired(session: Session, now: datetime) -> int:
    """Delete every pending file past its expiry (imported or not); how many went."""
    result = session.exec(delete(PendingFile).where(col(PendingFile.expires_at) <= now))
    return int(result.rowcount or 0)


def claim(session: Session, pending_id: int) -> bool:
    """Mark a pending file imported and drop its bytes, if it still was pending: ``False`` when another press
    (in this process or another) got there first. The caller's transaction makes it stick, or not."""
    statement = (
        update(PendingFile)
        .where(col(PendingFile.id) == pending_id, col(PendingFile.state) == PENDING)
        .values(state=IMPORTED, content=None)
    )
    result = session.exec(statement)
    return int(result.rowcount or 0) == 1


def discard(session: Session, pending_id: int) -> bool:
    """Delete a pending file that has not been imported; ``False`` when there was none to delete."""
    statement = delete(PendingFile).where(col(PendingFile.id) == pending_id, col(PendingFile.state) == PENDING)
    result = session.exec(statement)
    return int(result.rowcount or 0) == 1

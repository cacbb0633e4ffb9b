"""The outbox: every message the bot sends on its own is a row here before it is sent.

``enqueue`` inserts with ``ON CONFLICT DO NOTHING`` on the unique dedupe key, so enqueuing the
same nudge, digest or broadcast twice (a retried job, a second scheduler started by mistake)
stores it once. Delivery claims rows, sends, and marks them sent.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from store.models import OutboxNotification


def enqueue(
    session: Session,
    *,
    dedupe_key: str,
    kind: str,
    platform: str,
    target_key: str,
    payload: dict[str, Any],
    person_id: int | None = None,
    action_id: int | None = None,
    not_before: datetime | None = None,
) -> bool:
    """Add a notification unless one with the same dedupe key exists; True if it was added."""
    values = {
        "dedupe_key": dedupe_key,
        "kind": kind,
        "platform": platform,
        "target_key": target_key,
        "payload": payload,
        "person_id": person_id,
        "action_id": action_id,
        "state": "pending",
        "attempts": 0,
        "created_at": datetime.now(UTC),
        "not_before": not_before or datetime.now(UTC),
    }
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(OutboxNotification)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(OutboxNotification.__table__.c.id)  # type: ignore[attr-defined]
    )
    return session.execute(statement).first() is not None

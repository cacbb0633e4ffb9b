"""Writing a change (store.action_writes): through the driver, every value arrives as SQLAlchemy would have written it
(read back by the ORM with the same value and type), a write on a stale read writes nothing, a request key recorded
twice is SQLAlchemy's IntegrityError (what the unit of work runs again), on every database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from bot.domain import Status, Surface, UpdateKind
from store import action_writes
from store.change_reads import read_to_change
from store.models import Action, ActionUpdate
from store.session import transaction
from tests.factories import PlanFactory

AT = datetime(2026, 11, 30, 21, 5, 7, 123456, tzinfo=UTC)
_ACTION, _AUDIT = Action.__table__, ActionUpdate.__table__  # type: ignore[attr-defined]


def _change(action: Action, person_id: int | None, key: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    values = {
        "status": Status.DROPPED,
        "percent_complete": 35,
        "due_date": date(2027, 2, 28),
        "original_due_date": date(2026, 12, 31),
        "snoozed_until": date(2026, 12, 7),
        "dropped_reason": "Superseded by the 2027 plan — see O'Brien's note",
        "latest_note": "Ünïcode, 'quotes' and \"more\"",
        "updated_at": AT,
    }
    audit = {
        "action_id": action.id,
        "at": AT,
        "person_id": person_id,
        "surface": Surface.SLACK,
        "kind": UpdateKind.DROP,
        "old_status": action.status,
        "new_status": Status.DROPPED,
        "old_percent": action.percent_complete,
        "new_percent": 35,
        "old_due_date": action.due_date,
        "new_due_date": date(2027, 2, 28),
        "snoozed_until": date(2026, 12, 7),
        "note": None,
        "request_key": key,
    }
    return values, audit


def _raw(session: Session, table: str, columns: list[str], row_id: Any) -> tuple[Any, ...]:
    """The row's values as the driver gives them (SQLite's text for a date), nothing converted."""
    found = session.connection().exec_driver_sql(f"SELECT {', '.join(columns)} FROM {table} WHERE id = {int(row_id)}")
    return tuple(found.one())


def _typed(values: dict[str, Any]) -> dict[str, tuple[Any, type]]:
    return {name: (value, type(value)) for name, value in values.items()}


def test_what_a_change_writes_reads_back_as_written(plan: PlanFactory, engine: Engine) -> None:
    zoe = plan.person("Zoe Hart")
    action = plan.action(zoe, due_in=10, status=Status.AT_RISK, percent=20)
    twin = plan.action(zoe, due_in=10, status=Status.AT_RISK, percent=20)
    with transaction(engine) as session:
        read = read_to_change(session, action.id or 0, zoe.id, None, for_update=True)
        assert read is not None
        values, audit = _change(read.action, zoe.id, "slack:trigger-1:1.0")
        audit_id = action_writes.write(session, read.action, values, audit)
        assert _typed({name: getattr(read.action, name) for name in values}) == _typed(values)
        assert read.action.version == action.version + 1
        # The same through SQLAlchemy's own statements, to compare what each left in the database, byte for byte.
        connection = session.connection()
        connection.execute(_ACTION.update().where(_ACTION.c.id == twin.id).values(**values, version=twin.version + 1))
        twins = audit | {"action_id": twin.id, "request_key": "slack:trigger-2:1.0"}
        twin_audit_id = connection.execute(_AUDIT.insert().values(**twins)).inserted_primary_key
        assert twin_audit_id is not None
    with transaction(engine, write=False) as session:
        stored = session.get(Action, action.id)
        row = session.get(ActionUpdate, audit_id)
        assert stored is not None and row is not None
        assert _typed({name: getattr(stored, name) for name in values}) == _typed(values)
        assert stored.version == action.version + 1
        assert _typed({name: getattr(row, name) for name in audit}) == _typed(audit)
        written, alike = (_raw(session, "action", [*values, "version"], id_) for id_ in (action.id, twin.id))
        assert written == alike, "the same text, dates and enum names as SQLAlchemy writes"
        columns = [name for name in audit if name not in ("action_id", "request_key")]
        written, alike = (_raw(session, "action_update", columns, id_) for id_ in (audit_id, twin_audit_id[0]))
        assert written == alike


def test_a_write_on_a_stale_read_writes_nothing(plan: PlanFactory, engine: Engine) -> None:
    zoe = plan.person("Zoe Hart")
    action = plan.action(zoe)
    with transaction(engine) as session:
        read = read_to_change(session, action.id or 0, zoe.id, None, for_update=True)
        assert read is not None
        session.connection().execute(Action.__table__.update().values(version=Action.__table__.c.version + 1))  # type: ignore[attr-defined]
        with pytest.raises(StaleDataError):
            action_writes.write(session, read.action, *_change(read.action, zoe.id, "slack:stale"))
        assert session.execute(select(ActionUpdate).where(ActionUpdate.request_key == "slack:stale")).first() is None
        session.rollback()
    assert plan.get(action.id or 0).status is action.status


def test_a_request_key_recorded_already_is_refused_as_an_integrity_error(plan: PlanFactory, engine: Engine) -> None:
    zoe = plan.person("Zoe Hart")
    first, second = plan.action(zoe), plan.action(zoe)
    with transaction(engine) as session:
        read = read_to_change(session, first.id or 0, zoe.id, None, for_update=True)
        assert read is not None
        action_writes.write(session, read.action, *_change(read.action, zoe.id, "slack:the-one-press"))
    with transaction(engine) as session:
        read = read_to_change(session, second.id or 0, zoe.id, None, for_update=True)
        assert read is not None
        with pytest.raises(IntegrityError):
            action_writes.write(session, read.action, *_change(read.action, zoe.id, "slack:the-one-press"))
        session.rollback()
    assert plan.get(second.id or 0).status is second.status, "nothing of the refused change kept"


def test_the_engines_listeners_see_a_writes_statements(plan: PlanFactory, engine: Engine) -> None:
    zoe = plan.person("Zoe Hart")
    action = plan.action(zoe)
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        with transaction(engine) as session:
            read = read_to_change(session, action.id or 0, zoe.id, None, for_update=True)
            assert read is not None
            seen.clear()
            action_writes.write(session, read.action, *_change(read.action, zoe.id, None))
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert any("UPDATE action" in statement for statement in seen), seen

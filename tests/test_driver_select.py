"""store.driver_select sends a statement through the driver itself: what it is given at each run must reach the
database as SQLAlchemy would send it (its column types' conversions), or a list would silently find other rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, bindparam, select

from bot.domain import Status
from store.columns import UTCDateTime
from store.driver_select import DriverSelect
from store.models import Action
from store.session import transaction
from tests.factories import PlanFactory

_ACTION = Action.__table__  # type: ignore[attr-defined]
_CHANGED_SINCE = (
    select(_ACTION.c.id)
    .where(
        _ACTION.c.updated_at >= bindparam("since", type_=UTCDateTime()),
        _ACTION.c.status == bindparam("status", type_=_ACTION.c.status.type),
    )
    .order_by(_ACTION.c.id)
)


def test_a_runs_datetime_and_status_are_sent_as_sqlalchemy_sends_them(plan: PlanFactory, engine: Engine) -> None:
    deb = plan.person("Deb Poole")
    old = plan.action(deb, status=Status.AT_RISK)
    recent = plan.action(deb, status=Status.AT_RISK)
    plan.action(deb, status=Status.ON_TRACK)
    with transaction(engine) as session:
        for action_id, updated in (
            (old.id, datetime(2026, 1, 5, 9, tzinfo=UTC)),
            (recent.id, datetime(2026, 3, 2, 9, 30, tzinfo=UTC)),
        ):
            row = session.get(Action, action_id)
            assert row is not None
            row.updated_at = updated
            session.add(row)
    reading = DriverSelect(_CHANGED_SINCE, runtime=("since", "status"))
    paris = ZoneInfo("Europe/Paris")  # an hour ahead of UTC in March: 10:15 there is 09:15 UTC
    for since in (
        datetime(2026, 3, 2, 10, 15, tzinfo=paris),
        datetime(2026, 2, 1, tzinfo=paris),
        datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        datetime(2026, 1, 1),
    ):
        params = {"since": since if since.tzinfo else since.replace(tzinfo=UTC), "status": Status.AT_RISK}
        with transaction(engine, write=False) as session:
            expected = [tuple(row) for row in session.execute(_CHANGED_SINCE, params)]
            found = [tuple(row) for row in reading.rows(session, params)]
        assert found == expected and expected, since
    assert expected == [(old.id,), (recent.id,)]
    with transaction(engine, write=False) as session:
        later = {"since": datetime(2026, 3, 2, 9, 30, tzinfo=UTC) + timedelta(microseconds=1), "status": Status.AT_RISK}
        assert reading.rows(session, later) == []

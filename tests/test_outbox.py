"""The outbox's life cycle: queued with the injected clock's time, leased to one drain, then settled once."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import col, select

from bot.clock import FixedClock
from bot.domain import OutboxState
from bot.settings import Settings
from bot.unit_of_work import Context, UnitOfWork
from store import outbox
from store.models import OutboxNotification

QUEUED_AT = datetime(2019, 1, 14, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)


def _uow(engine: Engine, settings: Settings, clock: FixedClock) -> UnitOfWork:
    return UnitOfWork(engine, clock, settings)


def _queue(uow: UnitOfWork, *keys: str, **extra: object) -> None:
    def write(work: Context) -> None:
        for key in keys:
            outbox.enqueue(
                work, dedupe_key=key, kind="nudge", platform="slack", target_key="U0DEB", payload={"title": key},
                **extra,  # type: ignore[arg-type]
            )

    uow.run(write)


def _rows(uow: UnitOfWork) -> dict[str, OutboxNotification]:
    query = select(OutboxNotification).order_by(col(OutboxNotification.id))
    return {row.dedupe_key: row for row in uow.run(lambda work: list(work.session.exec(query)), writes=False)}


def _claim(uow: UnitOfWork, limit: int = 10) -> list[str]:
    return uow.run(lambda work: [row.dedupe_key for row in outbox.claim(work, limit=limit, lease=LEASE)])


def test_a_queued_message_is_stamped_with_the_injected_clocks_time(engine: Engine, settings: Settings) -> None:
    uow = _uow(engine, settings, FixedClock(QUEUED_AT))
    _queue(uow, "nudge:1:2019-01-14")
    row = _rows(uow)["nudge:1:2019-01-14"]
    assert (row.created_at, row.not_before, row.state, row.attempts) == (QUEUED_AT, QUEUED_AT, "pending", 0)


def test_a_message_nobody_can_deliver_is_kept_as_unreachable_with_the_reason(
    engine: Engine, settings: Settings
) -> None:
    uow = _uow(engine, settings, FixedClock(QUEUED_AT))
    _queue(uow, "nudge:1:2019-01-14", state=OutboxState.UNREACHABLE, last_error="Deb Poole is not linked")
    assert _claim(uow) == []
    row = _rows(uow)["nudge:1:2019-01-14"]
    assert (row.state, row.last_error) == ("unreachable", "Deb Poole is not linked")


def test_a_claimed_message_is_leased_so_no_other_drain_takes_it_until_the_lease_runs_out(
    engine: Engine, settings: Settings
) -> None:
    clock = FixedClock(QUEUED_AT)
    uow = _uow(engine, settings, clock)
    _queue(uow, "a", "b", "c")
    assert _claim(uow, limit=2) == ["a", "b"]
    assert _claim(uow) == ["c"]
    assert _claim(uow) == []
    clock.advance(LEASE + timedelta(seconds=1))  # the drain that took a and b died without a word
    assert _claim(uow) == ["a", "b", "c"]


def test_a_message_is_not_claimed_before_its_time(engine: Engine, settings: Settings) -> None:
    clock = FixedClock(QUEUED_AT)
    uow = _uow(engine, settings, clock)
    _queue(uow, "later", not_before=QUEUED_AT + timedelta(hours=1))
    assert _claim(uow) == []
    clock.advance(timedelta(hours=1))
    assert _claim(uow) == ["later"]


def test_sent_skipped_and_dead_messages_are_settled_and_never_claimed_again(
    engine: Engine, settings: Settings
) -> None:
    clock = FixedClock(QUEUED_AT)
    uow = _uow(engine, settings, clock)
    _queue(uow, "sent", "skipped", "dead")
    ids = {row.dedupe_key: row.id or 0 for row in _rows(uow).values()}
    _claim(uow)
    clock.advance(timedelta(seconds=5))
    uow.run(lambda work: outbox.mark_sent(work, ids["sent"]))
    uow.run(lambda work: outbox.mark_skipped(work, ids["skipped"], "#42 was done since"))
    uow.run(lambda work: outbox.mark_dead(work, ids["dead"], "slack U0DEB: user_disabled"))
    clock.advance(LEASE * 10)
    assert _claim(uow) == []
    rows = _rows(uow)
    assert (rows["sent"].state, rows["sent"].sent_at) == ("sent", QUEUED_AT + timedelta(seconds=5))
    assert (rows["skipped"].state, rows["skipped"].last_error) == ("skipped", "#42 was done since")
    assert (rows["dead"].state, rows["dead"].attempts, rows["dead"].last_error) == (
        "dead", 1, "slack U0DEB: user_disabled"
    )


def test_a_failed_message_waits_until_its_retry_time_and_counts_the_attempt_unless_asked_to_slow_down(
    engine: Engine, settings: Settings
) -> None:
    clock = FixedClock(QUEUED_AT)
    uow = _uow(engine, settings, clock)
    _queue(uow, "flaky", "throttled")
    ids = {row.dedupe_key: row.id or 0 for row in _rows(uow).values()}
    _claim(uow)
    retry_at = QUEUED_AT + timedelta(seconds=30)
    uow.run(lambda work: outbox.reschedule(work, ids["flaky"], at=retry_at, error="slack: 500"))
    uow.run(lambda work: outbox.reschedule(work, ids["throttled"], at=retry_at, error="429", count_attempt=False))
    assert _claim(uow) == []
    clock.set(retry_at)
    assert _claim(uow) == ["flaky", "throttled"]
    rows = _rows(uow)
    assert (rows["flaky"].attempts, rows["flaky"].last_error) == (1, "slack: 500")
    assert (rows["throttled"].attempts, rows["throttled"].last_error) == (0, "429")


def test_a_released_message_is_claimable_at_once_and_a_requeued_dead_one_goes_again(
    engine: Engine, settings: Settings
) -> None:
    clock = FixedClock(QUEUED_AT)
    uow = _uow(engine, settings, clock)
    _queue(uow, "in-flight", "dead")
    ids = {row.dedupe_key: row.id or 0 for row in _rows(uow).values()}
    _claim(uow)
    uow.run(lambda work: outbox.release(work, [ids["in-flight"]]))
    uow.run(lambda work: outbox.mark_dead(work, ids["dead"], "channel_not_found"))
    assert _claim(uow) == ["in-flight"]
    uow.run(lambda work: outbox.requeue(work, [ids["dead"]]))
    assert _claim(uow) == ["dead"]
    assert _rows(uow)["dead"].attempts == 0


def test_two_drains_claiming_at_once_never_take_the_same_message(engine: Engine, settings: Settings) -> None:
    uow = _uow(engine, settings, FixedClock(QUEUED_AT))
    keys = [f"m{n}" for n in range(20)]
    _queue(uow, *keys)
    first_has_claimed = threading.Event()
    taken: dict[str, list[str]] = {}

    def slow_drain(work: Context) -> list[str]:
        rows = [row.dedupe_key for row in outbox.claim(work, limit=8, lease=LEASE)]
        first_has_claimed.set()
        time.sleep(0.3)  # still inside its transaction while the second drain claims
        return rows

    def first() -> None:
        taken["first"] = uow.run(slow_drain)

    thread = threading.Thread(target=first)
    thread.start()
    assert first_has_claimed.wait(10)
    taken["second"] = _claim(uow, limit=20)
    thread.join(10)
    assert len(taken["first"]) == 8
    assert sorted(taken["first"] + taken["second"]) == sorted(keys)

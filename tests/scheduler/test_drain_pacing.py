"""Pacing and retries, on an injected clock: how fast the drain may send to a target and a tenant, how long a
429 pauses a target, and how long it waits after a failure."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from scheduler.pacing import DEFAULT_LIMITS, Limits, Pacer, Rate, RetryPolicy


class Ticking:
    """A monotonic clock that moves only when the pacer sleeps on it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sent: list[tuple[float, str]] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


async def _send(pacer: Pacer, clock: Ticking, platform: str, target: str) -> None:
    await pacer.wait(platform, target)
    clock.sent.append((round(clock.now, 6), target))


async def test_slack_allows_a_short_burst_then_one_message_a_second_per_channel() -> None:
    clock = Ticking()
    pacer = Pacer(monotonic=clock.monotonic, sleep=clock.sleep)
    for _ in range(6):
        await _send(pacer, clock, "slack", "C0PLAN")
    assert [at for at, _ in clock.sent] == [0.0, 0.0, 0.0, 1.0, 2.0, 3.0]


async def test_one_busy_slack_channel_does_not_slow_another() -> None:
    clock = Ticking()
    pacer = Pacer({"slack": Limits(target=Rate(1.0, burst=1))}, monotonic=clock.monotonic, sleep=clock.sleep)
    await _send(pacer, clock, "slack", "C0PLAN")
    await _send(pacer, clock, "slack", "C0PLAN")
    await _send(pacer, clock, "slack", "C0HR")
    await _send(pacer, clock, "slack", "C0PLAN")
    assert clock.sent == [(0.0, "C0PLAN"), (1.0, "C0PLAN"), (1.0, "C0HR"), (2.0, "C0PLAN")], "C0HR did not wait"


async def test_teams_holds_the_tenant_to_fifty_a_second_over_all_its_conversations() -> None:
    clock = Ticking()
    pacer = Pacer(monotonic=clock.monotonic, sleep=clock.sleep)
    for n in range(150):
        await _send(pacer, clock, "teams", f"19:chat-{n}")  # 150 conversations, one message each
    times = [at for at, _ in clock.sent]
    assert times[49] == 0.0 and times[50] == pytest.approx(0.02)
    assert times[-1] == pytest.approx(2.0), "100 after the burst of 50, at 50 a second"
    assert DEFAULT_LIMITS["teams"].target == Rate(7.0, burst=7)


async def test_teams_holds_one_conversation_to_seven_a_second() -> None:
    clock = Ticking()
    pacer = Pacer(monotonic=clock.monotonic, sleep=clock.sleep)
    for _ in range(14):
        await _send(pacer, clock, "teams", "19:chat")
    assert clock.sent[-1][0] == pytest.approx(1.0)


async def test_waiting_for_a_targets_turn_without_taking_it_leaves_the_turn_to_the_send() -> None:
    clock = Ticking()
    pacer = Pacer({"slack": Limits(target=Rate(1.0, burst=1))}, monotonic=clock.monotonic, sleep=clock.sleep)
    await pacer.ready("slack", "C0PLAN")
    await _send(pacer, clock, "slack", "C0PLAN")
    await pacer.ready("slack", "C0PLAN")
    assert clock.now == 1.0, "the next turn is a second later"
    await _send(pacer, clock, "slack", "C0PLAN")
    assert clock.sent == [(0.0, "C0PLAN"), (1.0, "C0PLAN")], "ready took no turn: the send went at once"


def test_a_pause_holds_its_target_or_the_whole_platform_until_it_ends() -> None:
    pacer = Pacer()
    now = datetime(2019, 1, 14, 9, 0, tzinfo=UTC)
    pacer.pause("slack", "C0PLAN", now + timedelta(seconds=17))
    assert pacer.paused_until("slack", "C0PLAN", now) == now + timedelta(seconds=17)
    assert pacer.paused_until("slack", "C0HR", now) is None
    assert pacer.paused_until("slack", "C0PLAN", now + timedelta(seconds=17)) is None
    pacer.pause("teams", None, now + timedelta(seconds=5))  # the tenant said to slow down
    assert pacer.paused_until("teams", "19:any-chat", now) == now + timedelta(seconds=5)


def test_retries_back_off_from_a_minute_doubling_with_jitter_capped_at_an_hour() -> None:
    policy, rng = RetryPolicy(), random.Random(7)
    for attempts, (low, high) in enumerate([(30, 60), (60, 120), (120, 240), (240, 480), (480, 960),
                                            (960, 1920), (1800, 3600), (1800, 3600)], start=1):
        wait = policy.backoff(attempts, rng).total_seconds()
        assert low <= wait <= high, (attempts, wait)


def test_a_message_is_given_up_after_eight_attempts_or_a_day() -> None:
    policy = RetryPolicy()
    queued = datetime(2019, 1, 14, 9, 0, tzinfo=UTC)
    assert not policy.gives_up(7, queued, queued + timedelta(hours=2))
    assert policy.gives_up(8, queued, queued + timedelta(hours=2))
    assert policy.gives_up(2, queued, queued + timedelta(hours=24))


def test_a_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="per_second > 0"):
        Rate(0.0)

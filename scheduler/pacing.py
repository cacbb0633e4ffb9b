"""How fast the drain may send, and how long it waits after a failure.

- :class:`Rate` and :class:`Limits`: the platforms' published limits as data (a rate and a burst per
  target, and per platform scope: a Slack workspace, a Teams tenant). The defaults are Slack's
  ``chat.postMessage`` (about one message a second per channel, short bursts allowed) and the Bot
  Framework's (7 a second per conversation, 50 a second per tenant). A bench or a test passes its own.
- :class:`Pacer`: a token bucket per target and per scope that a sender waits on before each message,
  and the pauses a 429's ``Retry-After`` sets on one target (or on a whole scope when the platform says
  so). Buckets run on the monotonic clock (short waits, real time); pauses are moments of the drain's
  injected clock, like the outbox's ``not_before``, so a test moves past them without sleeping.
- :class:`RetryPolicy`: exponential backoff with jitter, capped, for failures worth retrying (5xx,
  timeouts, a connection refused), and when to give up (8 attempts, or 24 hours after queuing).

A Teams bot serves one council, so one tenant: the tenant's limit is applied to all Teams messages of the
drain (the platform scope), which can only ever be slower than Teams allows, never faster.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Rate:
    """``per_second`` messages a second on average, up to ``burst`` at once after a quiet spell."""

    per_second: float
    burst: int = 1

    def __post_init__(self) -> None:
        if self.per_second <= 0 or self.burst < 1:
            raise ValueError("a rate needs per_second > 0 and burst >= 1")


@dataclass(frozen=True)
class Limits:
    """A platform's limits: per target (a channel, a conversation) and per scope (a workspace, a tenant)."""

    target: Rate | None = None
    scope: Rate | None = None


DEFAULT_LIMITS: Mapping[str, Limits] = {
    "slack": Limits(target=Rate(1.0, burst=3)),
    "teams": Limits(target=Rate(7.0, burst=7), scope=Rate(50.0, burst=50)),
}


class _Bucket:
    """A token bucket that hands out reservations: each caller learns how long to wait for its turn."""

    def __init__(self, rate: Rate, now: float) -> None:
        self.rate = rate
        self.tokens = float(rate.burst)
        self.at = now

    def reserve(self, now: float) -> float:
        """Take one token (going into debt if need be); the seconds to wait before using it."""
        self.tokens = min(float(self.rate.burst), self.tokens + (now - self.at) * self.rate.per_second)
        self.at = now
        self.tokens -= 1.0
        return 0.0 if self.tokens >= 0 else -self.tokens / self.rate.per_second

    def wait_for_one(self, now: float) -> float:
        """The seconds until a token is there to take (0 when one is), taking none."""
        tokens = min(float(self.rate.burst), self.tokens + (now - self.at) * self.rate.per_second)
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate.per_second

    def full(self, now: float) -> bool:
        return self.tokens + (now - self.at) * self.rate.per_second >= self.rate.burst


_PRUNE_AT = 10_000  # buckets kept before the idle (full) ones are dropped


class Pacer:
    """Waits before each message so that no target or scope goes faster than its :class:`Limits`."""

    def __init__(
        self,
        limits: Mapping[str, Limits] | None = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.limits = dict(DEFAULT_LIMITS if limits is None else limits)
        self._monotonic = monotonic
        self._sleep = sleep
        self._buckets: dict[tuple[str, str | None], _Bucket] = {}
        self._paused: dict[tuple[str, str | None], datetime] = {}

    def target_rate(self, platform: str) -> Rate | None:
        limits = self.limits.get(platform)
        return limits.target if limits else None

    async def wait(self, platform: str, target: str) -> None:
        """Return when one more message may go to ``target`` on ``platform`` (the target's, then the scope's turn)."""
        limits = self.limits.get(platform, Limits())
        for key, rate in (((platform, target), limits.target), ((platform, None), limits.scope)):
            if rate is None:
                continue
            now = self._monotonic()
            bucket = self._buckets.get(key)
            if bucket is None:
                self._prune(now)
                bucket = self._buckets[key] = _Bucket(rate, now)
            delay = bucket.reserve(now)
            if delay > 0:
                await self._sleep(delay)

    async def ready(self, platform: str, target: str) -> None:
        """Return when :meth:`wait` would let one more message go to ``target`` at once, taking no turn: the
        drain builds a message only when it can go."""
        limits = self.limits.get(platform, Limits())
        for key, rate in (((platform, target), limits.target), ((platform, None), limits.scope)):
            bucket = self._buckets.get(key)
            if rate is None or bucket is None:
                continue
            delay = bucket.wait_for_one(self._monotonic())
            if delay > 0:
                await self._sleep(delay)

    def pause(self, platform: str, target: str | None, until: datetime) -> None:
        """Send nothing to ``target`` (to the whole platform scope, with ``None``) before ``until``."""
        key = (platform, target)
        if key not in self._paused or self._paused[key] < until:
            self._paused[key] = until

    def paused_until(self, platform: str, target: str, now: datetime) -> datetime | None:
        """The end of the pause on ``target`` or its scope at ``now``, or ``None`` when it may be sent to."""
        ends = [
            end for key in ((platform, target), (platform, None)) if (end := self._paused.get(key)) is not None
        ]
        latest = max(ends, default=None)
        if latest is not None and latest <= now:
            for key in ((platform, target), (platform, None)):
                if key in self._paused and self._paused[key] <= now:
                    del self._paused[key]
            return None
        return latest

    def _prune(self, now: float) -> None:
        if len(self._buckets) >= _PRUNE_AT:
            self._buckets = {key: bucket for key, bucket in self._buckets.items() if not bucket.full(now)}


@dataclass(frozen=True)
class RetryPolicy:
    """When to try a failed message again, and when to give up on it."""

    max_attempts: int = 8
    give_up_after: timedelta = timedelta(hours=24)
    base: timedelta = timedelta(minutes=1)
    cap: timedelta = timedelta(hours=1)

    def backoff(self, attempts: int, rng: random.Random) -> timedelta:
        """The wait after the ``attempts``-th failure: ``base·2^(attempts-1)``, capped, with "equal jitter"
        (between half and all of it, so drains that failed together do not retry together)."""
        exponent = min(max(attempts - 1, 0), 30)
        delay = min(self.cap.total_seconds(), self.base.total_seconds() * 2**exponent)
        return timedelta(seconds=delay / 2 + rng.uniform(0, delay / 2))

    def gives_up(self, attempts: int, created_at: datetime, now: datetime) -> bool:
        """Whether a message that has now failed ``attempts`` times (queued at ``created_at``) is dead."""
        return attempts >= self.max_attempts or now - created_at >= self.give_up_after

"""The drain: the only code that calls a :class:`~bot.sending.Sender`. It delivers the outbox.

Each message goes through the same steps, each in its own short transaction, never holding one while a
platform answers:

1. **claim** (:func:`store.outbox.claim`): a batch of due rows is leased to this drain (``SKIP LOCKED`` on
   PostgreSQL, the lease on both), round-robin over targets, leaving out targets it already holds enough of;
   a row is held as :class:`~store.outbox.Claimed` (no payload) until its turn;
2. **prepare** (:func:`bot.notices.messages.prepare`): once the target's turn has come, the message is read,
   checked again (a nudge about an action done since it was queued is marked ``skipped``, not sent) and
   built; at most ``in_flight`` messages are built and not yet settled at once, however many targets wait
   (a morning's thousand people would otherwise each have theirs built, in memory, at the same moment);
3. **send**, outside any transaction, after the :class:`~scheduler.pacing.Pacer` says the target's (and
   its workspace's or tenant's) turn has come;
4. **mark**: ``sent``; or, for a :class:`~bot.sending.DeliveryError`, rescheduled without counting an
   attempt when the platform said to slow down (and the target paused, not the drain), rescheduled with
   backoff when retrying may help, ``dead`` when it cannot (or after 8 attempts, or 24 hours).

Targets are worked concurrently, one message at a time per target, in the order queued. Rows held in
memory keep their lease (renewed every third of it), so a slow channel's queue is never taken by another
drain; a drain that dies leaves its rows leased until the lease runs out, and the next claim takes them
again: nothing is lost, and only a message whose send had begun can go twice.

:meth:`Drain.run_once` delivers everything due now and returns; :meth:`Drain.run` keeps claiming every
``poll`` seconds (so an update broadcast goes within seconds of the change) until told to stop, then stops
claiming, finishes the sends under way and gives back the rows it had not begun.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import uuid
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, select

from bot.clock import Clock
from bot.domain import OutboxState
from bot.errors import DatabaseUnavailable, Failure, UserError
from bot.notices.messages import Ready, Skip, prepare
from bot.replies import Reply
from bot.requests import ConversationRef
from bot.sending import DeliveryError, Sender
from bot.settings import Settings
from bot.unit_of_work import Context, UnitOfWork
from scheduler.batching import Batcher
from scheduler.pacing import Limits, Pacer, RetryPolicy
from store import outbox
from store.models import OutboxNotification
from store.outbox import Claimed

log = logging.getLogger("actionbot.drain")

Target = tuple[str, str]  # (platform, target key)
HOLD_SECONDS = 10.0  # a target's rows held in memory: about what it may send in this long
IN_FLIGHT = 50  # messages built (prepared) and not yet settled at once, over all targets


@dataclass
class DrainReport:
    """What one pass of the drain did with the rows it claimed."""

    sent: int = 0
    skipped: int = 0  # no longer true when their turn came
    retried: int = 0  # failed in a way worth retrying: rescheduled with backoff, an attempt counted
    dead: int = 0  # refused for good, or failed too often
    rate_limited: int = 0  # the platform said to slow down: rescheduled after its Retry-After, no attempt counted
    released: int = 0  # given back unsent when told to stop

    def add(self, other: DrainReport) -> None:
        for name in ("sent", "skipped", "retried", "dead", "rate_limited", "released"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def handled(self) -> int:
        return self.sent + self.skipped + self.retried + self.dead + self.rate_limited + self.released


class Drain:
    """Delivers due outbox rows through the senders, paced per target; see the module's docstring."""

    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        settings: Settings,
        senders: Mapping[str, Sender],
        *,
        batch: int = 50,
        lease: timedelta = timedelta(minutes=2),
        limits: Mapping[str, Limits] | None = None,
        retry: RetryPolicy | None = None,
        pacer: Pacer | None = None,
        rng: random.Random | None = None,
        max_held: int | None = None,
        in_flight: int = IN_FLIGHT,
    ) -> None:
        self.uow = UnitOfWork(engine, clock, settings)
        self.clock = clock
        self.senders = dict(senders)
        self.batch = batch
        self.lease = lease
        self.pacer = pacer or Pacer(limits)
        self.retry = retry or RetryPolicy()
        self.rng = rng or random.Random()
        self.max_held = max_held or batch * 100  # rows held in memory at once, over all targets
        self.in_flight = in_flight  # messages built and not yet settled at once, over all targets
        self._queues: dict[Target, deque[Claimed]] = {}
        self._workers: dict[Target, asyncio.Task[None]] = {}
        self._stopping = False

    # Running ------------------------------------------------------------------------------

    async def run_once(self) -> DrainReport:
        """Claim and deliver everything due now (claiming until nothing due is left); what was done."""
        return await self._pass(None, None)

    async def run(self, stop: asyncio.Event, *, poll: float = 1.0) -> None:
        """Deliver what is due, looking for new rows every ``poll`` seconds, until ``stop`` is set; then stop
        claiming, finish the sends under way and give back the rows not begun."""
        while not stop.is_set():
            try:
                report = await self._pass(stop, poll)
                if report.handled:
                    log.info("drain: %s", report)
            except Failure:  # logged once by the unit of work (an outage, or a bug); the rows wait, leased or pending
                await _wait(stop, max(poll, 5.0))
            except Exception:  # a bug in the drain itself: say so, and keep the clock delivering
                log.exception("drain: a pass failed; trying again shortly")
                await _wait(stop, max(poll, 5.0))

    async def _pass(self, stop: asyncio.Event | None, poll: float | None) -> DrainReport:
        report = DrainReport()
        self._stopping = False
        # Made for each pass: asyncio objects belong to the event loop they are first used on.
        self._progress = asyncio.Event()
        self._preparer: Batcher[int, Prepared] = Batcher(self._prepare_many)
        self._marker: Batcher[int, None] = Batcher(self._mark_sent_many)
        self._building = asyncio.Semaphore(self.in_flight)
        keeper = asyncio.create_task(self._keep_leases())
        try:
            while not (stop is not None and stop.is_set()):
                claimed = await self._claim(report) if self._held() < self.max_held else 0
                if claimed == 0 and not self._workers:
                    if poll is None or stop is None:
                        break
                    await _wait(stop, poll)
                    continue
                if claimed >= self.batch and self._held() < self.max_held:
                    continue  # there may be more due: claim again at once
                # Claim again once a batch's worth has gone (or all of it), or after ``poll`` for new rows.
                await self._room(stop, until=max(0, self._held() - self.batch), timeout=poll or 1.0)
        finally:
            self._stopping = True
            if self._workers:
                await asyncio.gather(*self._workers.values(), return_exceptions=True)
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper
            await self._preparer.close()
            await self._marker.close()
            await self._close_senders()
        return report

    async def _close_senders(self) -> None:
        """Close the connections the senders keep (the Slack sender's HTTP session) at the end of a pass: they are
        bound to this event loop, and a sender opens them again when it next sends."""
        for sender in self.senders.values():
            close = getattr(sender, "close", None)
            if close is not None:
                with contextlib.suppress(Exception):
                    await close()

    async def _room(self, stop: asyncio.Event | None, *, until: int, timeout: float) -> None:
        """Wait until at most ``until`` rows are held (or no worker is left), ``stop`` is set, or ``timeout``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._workers and self._held() > until and not (stop is not None and stop.is_set()):
            remaining = deadline - loop.time()
            if remaining <= 0:
                return
            self._progress.clear()
            waiters = [asyncio.create_task(self._progress.wait())]
            if stop is not None:
                waiters.append(asyncio.create_task(stop.wait()))
            await asyncio.wait(waiters, timeout=remaining, return_when=asyncio.FIRST_COMPLETED)
            for waiter in waiters:
                waiter.cancel()

    def _held(self) -> int:
        return sum(len(queue) for queue in self._queues.values())

    # Claiming -----------------------------------------------------------------------------

    async def _claim(self, report: DrainReport) -> int:
        """Lease a batch and hand each row to its target's worker; how many rows were claimed."""
        # A target is refilled when half its rows held have gone, with up to the other half: never more than its depth.
        depth = {platform: self._depth(platform) for platform in self.senders}
        low = {platform: max(1, held // 2) for platform, held in depth.items()}
        per_target = max((held - low[platform] for platform, held in depth.items()), default=1) or 1
        busy = [key for (platform, key), queue in self._queues.items() if len(queue) >= low.get(platform, 1)]
        limit = min(self.batch, self.max_held - self._held())

        def take(work: Context) -> list[Claimed]:
            return outbox.claim(
                work, limit=limit, lease=self.lease, platforms=list(self.senders), per_target=per_target, busy=busy
            )

        rows = await asyncio.to_thread(self.uow.run, take)
        for row in rows:
            target = (row.platform, row.target_key)
            self._queues.setdefault(target, deque()).append(row)
            if target not in self._workers:
                self._workers[target] = asyncio.create_task(self._work(target, report))
        return len(rows)

    def _depth(self, platform: str) -> int:
        """How many rows of one target to hold at once: what its rate sends in ten seconds or a quarter of the
        lease, whichever is shorter (at least a burst, at least two): a queue is refilled before it runs dry and
        long before its lease could run out, and a drain starting on a full outbox does not spend its first
        seconds claiming rows it cannot send for minutes."""
        rate = self.pacer.target_rate(platform)
        if rate is None:
            return self.batch
        horizon = min(HOLD_SECONDS, self.lease.total_seconds() / 4)
        return max(2, rate.burst, min(self.batch, int(rate.per_second * horizon)))

    async def _keep_leases(self) -> None:
        """Renew the lease of every row held, every third of the lease."""
        while True:
            await asyncio.sleep(self.lease.total_seconds() / 3)
            ids = [row.id for queue in self._queues.values() for row in queue]
            if ids:
                # A failure is logged by the unit of work; the next renewal tries again.
                with contextlib.suppress(Failure, UserError):
                    await asyncio.to_thread(self.uow.run, _extender(ids, self.lease))

    # Delivering ---------------------------------------------------------------------------

    async def _work(self, target: Target, report: DrainReport) -> None:
        """Send the target's rows one at a time, in order; give them back when stopping."""
        queue = self._queues[target]
        try:
            while queue:
                if self._stopping:
                    await self._release(list(queue), report)
                    queue.clear()
                    break
                row = queue[0]
                try:
                    await self._deliver(row, report)
                except (DatabaseUnavailable, UserError) as exc:  # the unit of work logged why
                    log.info("drain: outbox row %s left leased for a later try: %s", row.id, type(exc).__name__)
                except Exception:
                    log.exception("drain: outbox row %s left leased for a later try", row.id)
                queue.popleft()
                self._progress.set()
        finally:
            del self._workers[target]
            if not queue:
                self._queues.pop(target, None)
            self._progress.set()

    async def _deliver(self, row: Claimed, report: DrainReport) -> None:
        if await self._paused(row, report):
            return
        # Its turn first, then its message: a message is built only when it can go at once, and only
        # ``in_flight`` of them are built and not yet settled at a time (a morning's thousand targets would
        # otherwise each hold theirs, built, while the sends go out).
        await self.pacer.ready(row.platform, row.target_key)
        async with self._building:
            sent = await self._build_and_send(row, report)
        if sent:  # the message built is gone: marking it sent holds no room
            await self._marker.submit(row.id)
            report.sent += 1

    async def _build_and_send(self, row: Claimed, report: DrainReport) -> bool:
        """Build the row's message and send it; whether it went (else it is settled or rescheduled here)."""
        row_id = row.id
        platform, key = row.platform, row.target_key
        prepared = await self._preparer.submit(row_id)
        if isinstance(prepared, _Broken):  # logged with its traceback: a row nobody can read
            why = f"could not be prepared (ref {prepared.reference})"
            await self._mark(lambda work: outbox.mark_dead(work, row_id, why))
            report.dead += 1
            return False
        if isinstance(prepared, Skip):
            await self._mark(lambda work: outbox.mark_skipped(work, row_id, prepared.reason))
            report.skipped += 1
            return False
        if prepared is None:  # settled by another drain meanwhile
            return False
        await self.pacer.wait(platform, key)
        if await self._paused(row, report):
            return False
        try:
            await self.senders[platform].send(ConversationRef(platform, key), prepared)
        except DeliveryError as exc:
            await self._failed(row, exc, report)
            return False
        return True

    async def _paused(self, row: Claimed, report: DrainReport) -> bool:
        """Reschedule ``row`` to the end of a pause on its target (no attempt counted); whether it was."""
        until = self.pacer.paused_until(row.platform, row.target_key, self.clock.now())
        if until is None:
            return False
        row_id = row.id
        error = row.last_error or "waiting: the platform asked us to slow down"
        await self._mark(lambda work: outbox.reschedule(work, row_id, at=until, error=error, count_attempt=False))
        report.rate_limited += 1
        return True

    async def _failed(self, row: Claimed, exc: DeliveryError, report: DrainReport) -> None:
        row_id = row.id
        now = self.clock.now()
        error = str(exc)
        if exc.retry_after is not None:
            until = now + timedelta(seconds=exc.retry_after)
            self.pacer.pause(row.platform, None if exc.scope == "platform" else row.target_key, until)
            await self._mark(lambda work: outbox.reschedule(work, row_id, at=until, error=error, count_attempt=False))
            report.rate_limited += 1
            return
        attempts = row.attempts + 1
        if exc.permanent or self.retry.gives_up(attempts, row.created_at, now):
            log.warning("drain: outbox row %s (%s to %s) is dead: %s", row_id, row.kind, row.target_key, error)
            await self._mark(lambda work: outbox.mark_dead(work, row_id, error))
            report.dead += 1
            return
        at = now + self.retry.backoff(attempts, self.rng)
        log.info("drain: outbox row %s failed (attempt %d), retrying at %s: %s", row_id, attempts, at, error)
        await self._mark(lambda work: outbox.reschedule(work, row_id, at=at, error=error))
        report.retried += 1

    def _prepare_many(self, row_ids: Sequence[int]) -> list[Prepared]:
        """Check and build the messages of ``row_ids`` in one read transaction."""

        def work(context: Context) -> list[Prepared]:
            query = select(OutboxNotification).where(col(OutboxNotification.id).in_(list(row_ids)))
            found = {row.id: row for row in context.session.exec(query)}
            return [_prepare_one(context, found.get(row_id)) for row_id in row_ids]

        return self.uow.run(work, writes=False)

    def _mark_sent_many(self, row_ids: Sequence[int]) -> list[None]:
        self.uow.run(lambda work: outbox.mark_sent(work, row_ids))
        return [None] * len(row_ids)

    async def _release(self, rows: list[Claimed], report: DrainReport) -> None:
        ids = [row.id for row in rows]
        await self._mark(lambda work: outbox.release(work, ids))
        report.released += len(ids)

    async def _mark(self, change: Callable[[Context], None]) -> None:
        await asyncio.to_thread(self.uow.run, change)


def _extender(ids: list[int], lease: timedelta) -> Callable[[Context], None]:
    return lambda work: outbox.extend(work, ids, lease)


@dataclass(frozen=True)
class _Broken:
    """A row whose message could not be prepared (a bug, logged under ``reference``)."""

    reference: str


Prepared = Reply | Skip | _Broken | None  # None: the row is no longer pending (another drain settled it)


def _prepare_one(work: Context, row: OutboxNotification | None) -> Prepared:
    """The reply to send for the row, :class:`Skip`, :class:`_Broken`, or ``None`` when it is no longer pending."""
    if row is None or row.state != OutboxState.PENDING.value:
        return None
    try:
        prepared = prepare(work, row)
    except SQLAlchemyError:
        raise  # the transaction is lost: the unit of work says why, and every row in it waits for a later try
    except Exception:
        reference = uuid.uuid4().hex[:8]
        log.exception("drain: outbox row %s could not be prepared (ref %s)", row.id, reference)
        return _Broken(reference)
    return prepared.reply if isinstance(prepared, Ready) else prepared


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)

"""The clock process (``actionbot clock``): the jobs on a schedule, the drain beside them, under one lease.

A :class:`ClockRunner` waits for the lease (:mod:`scheduler.lease`; a second clock stands by and says who
runs), then runs an APScheduler 3.x :class:`AsyncIOScheduler` in the council's time zone with one job per
entry of :data:`bot.notices.jobs.JOBS` (its stable id, ``replace_existing=True``, ``coalesce=True``, no
misfire limit, an in-memory job store: the schedule is code and configuration, the state is in the
database), and the drain (:class:`scheduler.drain.Drain`) delivering the outbox beside it.

Every job runs once at start-up, then every ``job.every``: the jobs catch up by themselves (a clock down
over Monday morning sends Monday's digest on Tuesday and the morning's nudges when it comes back, once, and
a digest missed for weeks only the latest), so "run at start-up" is all catching up takes. Each job runs
in its own unit of work (one transaction, writes) with the runner's clock, one at a time on a worker
thread, so the event loop stays free for the drain. A job that fails is logged by the unit of work and
simply runs again at its next turn.

Stopping (SIGTERM): no new job starts, the job under way finishes, the drain stops claiming and gives back
the rows it had not begun, the lease is released.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine

from bot.clock import Clock, SystemClock
from bot.errors import Failure
from bot.notices.jobs import JOBS, Job
from bot.sending import Sender
from bot.settings import Settings
from bot.unit_of_work import UnitOfWork
from scheduler import memory
from scheduler.drain import Drain, DrainReport
from scheduler.lease import HEARTBEAT_SECONDS, RETRY_SECONDS, Lease

log = logging.getLogger("actionbot.clock")


@dataclass
class OnceReport:
    """What ``actionbot clock --once`` did: rows the jobs queued, and what the drain did with what was due."""

    queued: int
    drained: DrainReport


class ClockRunner:
    """The jobs and the drain of one clock process; see the module's docstring."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        senders: Mapping[str, Sender],
        *,
        clock: Clock | None = None,
        lease: Lease | None = None,
        jobs: Sequence[Job] = JOBS,
        poll: float = 1.0,
        heartbeat: float = HEARTBEAT_SECONDS,
        retry: float = RETRY_SECONDS,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.senders = dict(senders)
        self.clock = clock or SystemClock()
        self.lease = lease or Lease(engine)
        self.jobs = tuple(jobs)
        self.poll = poll
        self.heartbeat = heartbeat
        self.retry = retry
        self.reach = frozenset(self.senders)  # the platforms the clock can send to
        self.uow = UnitOfWork(engine, self.clock, settings)
        self.leading = asyncio.Event()  # set while this clock holds the lease and runs

    def drain(self) -> Drain:
        return Drain(self.engine, self.clock, self.settings, self.senders)

    # The jobs ---------------------------------------------------------------------------------------------

    def run_job(self, job: Job) -> int:
        """Run one job in its own unit of work; rows queued (0 when it failed: it runs again next time)."""
        try:
            queued = self.uow.run(lambda work: job.run(work, self.reach))
        except Failure:  # logged once, with a reference, by the unit of work
            log.warning("clock job %s failed; it runs again at its next turn", job.id)
            return 0
        if queued:
            memory.give_back()  # a morning's work was read, built and dropped: do not keep its peak
            log.info("clock job %s queued %d message(s)", job.id, queued, extra={"job": job.id, "queued": queued})
        return queued

    def run_jobs(self) -> int:
        """Every job once, in order; rows queued."""
        return sum(self.run_job(job) for job in self.jobs)

    # --once ----------------------------------------------------------------------------------------------

    async def once(self) -> OnceReport | None:
        """Run every job due now and deliver what is due, under the lease; None (nothing done) when another
        clock holds it."""
        _few_threads()
        if not await asyncio.to_thread(self.lease.try_acquire):
            log.info(await asyncio.to_thread(self.lease.standby_line))
            return None
        try:
            queued = await asyncio.to_thread(self.run_jobs)
            drained = await self.drain().run_once()
            return OnceReport(queued, drained)
        finally:
            await asyncio.to_thread(self.lease.release)

    # The long-running clock -------------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Stand by until the lease is free, then run until ``stop`` is set (or the lease is lost: stand by)."""
        _few_threads()
        said = ""
        while not stop.is_set():
            if await asyncio.to_thread(self.lease.try_acquire):
                said = ""
                await self._lead(stop)
                continue
            line = await asyncio.to_thread(self.lease.standby_line)
            if line != said:
                log.info(line)
                said = line
            await _wait(stop, self.retry)

    async def _lead(self, stop: asyncio.Event) -> None:
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="clock-job")
        scheduler = self._scheduler(pool)
        drain_stop = asyncio.Event()
        drain = asyncio.create_task(self.drain().run(drain_stop, poll=self.poll))
        scheduler.start()
        self.leading.set()
        try:
            while not stop.is_set():
                await _wait(stop, self.heartbeat)
                if stop.is_set():
                    break
                if not await asyncio.to_thread(self.lease.heartbeat):
                    log.warning("the clock lost its lease: standing by")
                    break
                memory.give_back()  # what the drain built and dropped since the last beat
        finally:
            self.leading.clear()
            scheduler.shutdown(wait=False)  # no new job starts
            drain_stop.set()
            await drain  # stops claiming, finishes sends under way, gives back the rest
            await asyncio.to_thread(pool.shutdown, wait=True)  # the job under way finishes
            await asyncio.to_thread(self.lease.release)

    def _scheduler(self, pool: ThreadPoolExecutor) -> AsyncIOScheduler:
        zone = self.settings.zone
        scheduler = AsyncIOScheduler(timezone=zone)
        loop = asyncio.get_running_loop()
        for job in self.jobs:

            async def run(job: Job = job) -> None:
                try:
                    await asyncio.shield(loop.run_in_executor(pool, self.run_job, job))
                except asyncio.CancelledError:  # stopping: the job under way finishes on its thread (see _lead)
                    log.info("clock job %s: finishing before the clock stops", job.id)

            scheduler.add_job(
                run,
                IntervalTrigger(seconds=job.every.total_seconds(), timezone=zone),
                id=job.id,
                name=job.id,
                replace_existing=True,
                coalesce=True,  # runs missed while busy or suspended are one run
                misfire_grace_time=None,  # however late: the jobs decide what is still due
                max_instances=1,
                next_run_time=datetime.now(zone),  # at start-up: catching up
            )
        return scheduler


def _few_threads() -> None:
    """The drain's database calls on two threads, not the event loop's default of up to 32 (each thread that
    allocates gets a malloc arena that keeps its peak)."""
    memory.cap_arenas()
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=2, thread_name_prefix="clock-io"))


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)

"""The clock process in one process: jobs on an APScheduler schedule in the council's zone, run at start-up so a
clock that was down catches up, the drain beside them sending through the fake Slack over HTTP, one lease."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine

from adapters.slack.app import web_client
from adapters.slack.sender import SlackSender
from bot.clock import FixedClock
from bot.domain import Role, SubscriptionKind
from bot.settings import Settings
from scheduler.lease import Lease
from scheduler.runner import ClockRunner
from tests.factories import PlanFactory
from tests.notices.clock import Clockwork, at
from tests.slack.fake_slack import FakeSlack

MONDAY = date(2019, 1, 14)
TUESDAY = MONDAY + timedelta(days=1)


def runner(engine: Engine, settings: Settings, clock: FixedClock, *, lease: Lease | None = None) -> ClockRunner:
    senders = {"slack": SlackSender(web_client(settings, retry_rate_limits=False))}
    return ClockRunner(engine, settings, senders, clock=clock, lease=lease or Lease(engine), poll=0.05, heartbeat=0.1)


def council(plan: PlanFactory, engine: Engine, settings: Settings) -> Clockwork:
    """Deb (on Slack) owns an action due on Monday; #peer-challenge takes the Monday 09:00 digest."""
    clockwork = Clockwork(engine, settings)
    priya = plan.person("Priya Shah", Role.MANAGER, slack="U0PRI")
    deb = plan.person("Deb Poole", slack="U0DEB")
    review = plan.review("Corporate Peer Challenge 2018", priya)
    plan.action(deb, review=review, text="Publish the process map", due_in=0)
    clockwork.subscribe("C0PEER", review, SubscriptionKind.DIGEST, made=at(MONDAY - timedelta(days=60)))
    return clockwork


def posted(fake: FakeSlack) -> list[tuple[str, str]]:
    """(channel, text and blocks) of each message posted."""
    return [
        (str(call.params.get("channel")), f"{call.params.get('text')} {call.params.get('blocks')}")
        for call in fake.of("chat.postMessage")
    ]


async def test_a_clock_down_on_monday_sends_mondays_digest_and_nudge_on_tuesday_once(
    plan: PlanFactory, engine: Engine, slack_settings: Settings, fake: FakeSlack
) -> None:
    council(plan, engine, slack_settings)
    await runner(engine, slack_settings, FixedClock(at(MONDAY - timedelta(days=3), 10))).once()  # Friday, then down
    before = len(posted(fake))
    clock = FixedClock(at(TUESDAY, 10))
    report = await runner(engine, slack_settings, clock).once()
    assert report is not None and report.drained.sent == 2
    messages = posted(fake)[before:]
    assert [channel for channel, text in messages if "Weekly digest" in text] == ["C0PEER"]
    assert any("Publish the process map" in text and channel == "U0DEB" for channel, text in messages), messages
    again = await runner(engine, slack_settings, clock).once()
    assert again is not None and again.queued == 0 and again.drained.sent == 0
    assert len(posted(fake)) == before + 2


async def test_the_mornings_nudges_go_at_eleven_when_the_clock_starts_then_and_not_before_the_hour(
    plan: PlanFactory, engine: Engine, slack_settings: Settings, fake: FakeSlack
) -> None:
    clockwork = council(plan, engine, slack_settings)
    await runner(engine, slack_settings, FixedClock(at(MONDAY, 8, 59))).once()
    assert clockwork.rows("nudge") == [] and not [c for c, _ in posted(fake) if c == "U0DEB"]
    late = await runner(engine, slack_settings, FixedClock(at(MONDAY, 11))).once()
    assert late is not None and late.drained.sent == 2  # the nudge, and this Monday's digest
    assert [c for c, _ in posted(fake) if c.startswith("U")] == ["U0DEB"]  # a DM: posted to the user id
    assert {row.kind for row in clockwork.rows()} == {"nudge", "digest"}


async def test_a_digest_missed_for_five_weeks_sends_only_the_latest(
    plan: PlanFactory, engine: Engine, slack_settings: Settings, fake: FakeSlack
) -> None:
    clockwork = council(plan, engine, slack_settings)
    clockwork.run(lambda work, reach: 0, at(MONDAY - timedelta(weeks=5)))  # the clock last ran five weeks ago
    await runner(engine, slack_settings, FixedClock(at(MONDAY + timedelta(days=2), 10))).once()
    assert [row.dedupe_key.rsplit(":", 1)[1] for row in clockwork.rows("digest")] == [MONDAY.isoformat()]


async def test_the_scheduler_runs_one_job_per_rule_in_the_council_zone_coalesced_and_never_too_late(
    engine: Engine, slack_settings: Settings, fake: FakeSlack
) -> None:
    clock_runner = runner(engine, slack_settings, FixedClock(at(MONDAY, 9)))
    scheduler = clock_runner._scheduler(ThreadPoolExecutor(max_workers=1))
    jobs = scheduler.get_jobs()
    assert [job.id for job in jobs] == ["nudges", "escalations", "digests", "overdue-alerts", "pending-files"]
    for job in jobs:
        assert job.coalesce is True and job.misfire_grace_time is None and job.max_instances == 1
        assert isinstance(job.trigger, IntervalTrigger) and job.trigger.interval == timedelta(minutes=5)
        assert str(job.trigger.timezone) == "Europe/London"
        assert job.next_run_time is not None  # at start-up


async def test_the_running_clock_catches_up_at_start_delivers_then_stops_and_releases_its_lease(
    plan: PlanFactory, engine: Engine, slack_settings: Settings, fake: FakeSlack
) -> None:
    council(plan, engine, slack_settings)
    clock_runner = runner(engine, slack_settings, FixedClock(at(TUESDAY, 10)))
    stop = asyncio.Event()
    running = asyncio.create_task(clock_runner.run(stop))
    await fake.wait_for("chat.postMessage", 1, timeout=20)  # Monday's digest, missed: the jobs ran at start-up
    assert clock_runner.leading.is_set()
    standby = runner(engine, slack_settings, FixedClock(at(TUESDAY, 10)))
    assert await standby.once() is None  # the same lease: a second clock sends nothing
    stop.set()
    await asyncio.wait_for(running, 20)
    holder = Lease(engine).holder()
    assert holder is not None and holder.released_at is not None
    assert [channel for channel, _ in posted(fake)] == ["C0PEER"]

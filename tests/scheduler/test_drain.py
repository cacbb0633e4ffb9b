"""The drain delivers the outbox through the real Slack sender to a fake Slack over HTTP: each message once,
whatever Slack answers (429 with Retry-After, 500, a permanent refusal), and never one that is no longer true."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from bot.clock import FixedClock
from bot.domain import Status
from bot.notices import nudges
from bot.replies import Reply
from bot.requests import ConversationRef
from bot.sending import Sender
from bot.settings import Settings
from bot.unit_of_work import UnitOfWork
from scheduler.drain import DrainReport
from scheduler.pacing import Limits, Pacer, Rate
from store.db import make_engine
from store.models import Action
from store.session import transaction
from tests.factories import PlanFactory
from tests.scheduler.drain_support import drain, queue, rows, slack_sender
from tests.slack.fake_slack import FakeSlack
from tests.slack.helpers import shown


async def test_a_queued_update_goes_to_its_channel_and_is_marked_sent(
    engine: Engine, clock: FixedClock, slack_settings: Settings, fake: FakeSlack
) -> None:
    queue(engine, slack_settings, clock, ("update:1:C0PLAN", "slack", "C0PLAN"))
    report = await drain(engine, clock, slack_settings, {"slack": slack_sender(slack_settings)}).run_once()
    assert report == DrainReport(sent=1)
    [post] = fake.of("chat.postMessage")
    assert (post.params["channel"], post.params["text"]) == ("C0PLAN", "update:1:C0PLAN")
    row = rows(engine, slack_settings, clock)["update:1:C0PLAN"]
    assert (row.state, row.sent_at, row.claimed_until) == ("sent", clock.now(), None)
    again = await drain(engine, clock, slack_settings, {"slack": slack_sender(slack_settings)}).run_once()
    assert again == DrainReport()
    assert len(fake.of("chat.postMessage")) == 1, "a sent message is never sent again"


async def test_a_message_to_a_person_goes_to_their_dm_with_the_bot(
    engine: Engine, clock: FixedClock, slack_settings: Settings, fake: FakeSlack
) -> None:
    queue(engine, slack_settings, clock, ("nudge-like:1", "slack", "U0KEVIN"), ("nudge-like:2", "slack", "U0DEB"))
    report = await drain(engine, clock, slack_settings, {"slack": slack_sender(slack_settings)}).run_once()
    assert report.sent == 2
    assert sorted(call.params["channel"] for call in fake.of("chat.postMessage")) == ["U0DEB", "U0KEVIN"], (
        "posted to the user id: Slack delivers it in the bot's DM with them"
    )


async def test_a_rate_limited_message_waits_for_retry_after_without_counting_an_attempt_and_goes_once(
    engine: Engine, clock: FixedClock, slack_settings: Settings, fake: FakeSlack
) -> None:
    queue(engine, slack_settings, clock, ("a", "slack", "C0PLAN"), ("b", "slack", "C0PLAN"))
    fake.fail("chat.postMessage", status=429, error="ratelimited", retry_after=17)
    the_drain = drain(engine, clock, slack_settings, {"slack": slack_sender(slack_settings)})

    assert await the_drain.run_once() == DrainReport(rate_limited=2), "C0PLAN is paused: a refused, b not tried"
    found = rows(engine, slack_settings, clock)
    for key in ("a", "b"):
        assert (found[key].state, found[key].attempts) == ("pending", 0)
        assert found[key].not_before == clock.now() + timedelta(seconds=17)
    assert [call.params["text"] for call in fake.of("chat.postMessage")] == ["a"]

    queue(engine, slack_settings, clock, ("c", "slack", "C0HR"))
    assert await the_drain.run_once() == DrainReport(sent=1), "another channel is not paused"
    clock.advance(timedelta(seconds=16))
    assert await the_drain.run_once() == DrainReport(), "nothing to C0PLAN before Retry-After has passed"
    clock.advance(timedelta(seconds=1))
    assert await the_drain.run_once() == DrainReport(sent=2)
    texts = [call.params["text"] for call in fake.of("chat.postMessage")]
    assert texts == ["a", "c", "a", "b"], "a was refused once, then each went exactly once, in order"
    assert all(row.state == "sent" for row in rows(engine, slack_settings, clock).values())


async def test_a_slack_outage_is_retried_with_backoff_and_the_message_goes_once(
    engine: Engine, clock: FixedClock, slack_settings: Settings, fake: FakeSlack
) -> None:
    queue(engine, slack_settings, clock, ("a", "slack", "C0PLAN"))
    fake.fail("chat.postMessage", status=500)
    the_drain = drain(engine, clock, slack_settings, {"slack": slack_sender(slack_settings)})

    assert await the_drain.run_once() == DrainReport(retried=1)
    row = rows(engine, slack_settings, clock)["a"]
    assert (row.state, row.attempts) == ("pending", 1) and "500" in (row.last_error or "")
    wait = row.not_before - clock.now()
    assert timedelta(seconds=30) <= wait <= timedelta(minutes=1), "the first retry after half to all of a minute"

    clock.advance(wait)
    assert await the_drain.run_once() == DrainReport(sent=1)
    assert [call.params["text"] for call in fake.of("chat.postMessage")] == ["a", "a"]


async def test_a_permanent_refusal_is_dead_at_once_with_slacks_error(
    engine: Engine, clock: FixedClock, slack_settings: Settings, fake: FakeSlack
) -> None:
    queue(engine, slack_settings, clock, ("a", "slack", "C0GONE"))
    fake.fail("chat.postMessage", error="channel_not_found")
    assert await drain(engine, clock, slack_settings, {"slack": slack_sender(slack_settings)}).run_once() == (
        DrainReport(dead=1)
    )
    row = rows(engine, slack_settings, clock)["a"]
    assert (row.state, row.attempts) == ("dead", 1) and "channel_not_found" in (row.last_error or "")


async def test_a_message_that_fails_eight_times_is_dead_with_its_last_error(
    engine: Engine, clock: FixedClock, slack_settings: Settings, fake: FakeSlack
) -> None:
    queue(engine, slack_settings, clock, ("a", "slack", "C0PLAN"))
    fake.fail("chat.postMessage", status=503, times=8)
    the_drain = drain(engine, clock, slack_settings, {"slack": slack_sender(slack_settings)})
    waits = []
    for _ in range(7):
        assert await the_drain.run_once() == DrainReport(retried=1)
        row = rows(engine, slack_settings, clock)["a"]
        waits.append(row.not_before - clock.now())
        clock.set(row.not_before)
    assert await the_drain.run_once() == DrainReport(dead=1)
    row = rows(engine, slack_settings, clock)["a"]
    assert (row.state, row.attempts) == ("dead", 8) and "503" in (row.last_error or "")
    assert len(fake.of("chat.postMessage")) == 8
    # Backoff doubles from a minute, capped at an hour, with "equal jitter": between half and all of each step.
    steps = [min(timedelta(minutes=2**n), timedelta(hours=1)) for n in range(7)]
    assert all(step / 2 <= wait <= step for wait, step in zip(waits, steps, strict=True)), (waits, steps)
    assert waits[0] <= timedelta(minutes=1) < timedelta(minutes=30) <= waits[-1] <= timedelta(hours=1)


def _done(engine: Engine, action: Action) -> None:
    with transaction(engine) as session:
        row = session.get(Action, action.id)
        assert row is not None
        row.status = Status.DONE
        session.add(row)


async def test_a_nudge_whose_actions_were_all_done_since_it_was_queued_is_skipped_not_sent(
    engine: Engine, plan: PlanFactory, slack_settings: Settings, fake: FakeSlack
) -> None:
    deb = plan.person("Deb Poole", slack="U0DEB")
    action = plan.action(deb, due_in=1, text="Agree the terms of reference")
    morning = FixedClock(datetime(2019, 1, 14, 9, 0, tzinfo=UTC))
    assert UnitOfWork(engine, morning, slack_settings).run(lambda work: nudges.run(work, frozenset({"slack"}))) == 1
    _done(engine, action)  # Deb marks it done before the drain's turn comes

    report = await drain(engine, morning, slack_settings, {"slack": slack_sender(slack_settings)}).run_once()

    assert report == DrainReport(skipped=1)
    assert fake.of("chat.postMessage") == []
    [row] = rows(engine, slack_settings, morning).values()
    assert (row.state, row.last_error) == ("skipped", "no longer true: 1 done")


async def test_a_nudge_still_true_for_some_of_its_actions_goes_without_the_ones_done(
    engine: Engine, plan: PlanFactory, slack_settings: Settings, fake: FakeSlack
) -> None:
    deb = plan.person("Deb Poole", slack="U0DEB")
    done = plan.action(deb, due_in=1, text="Agree the terms of reference")
    still = plan.action(deb, due_in=-7, text="Publish the workforce strategy")
    morning = FixedClock(datetime(2019, 1, 14, 9, 0, tzinfo=UTC))
    UnitOfWork(engine, morning, slack_settings).run(lambda work: nudges.run(work, frozenset({"slack"})))
    _done(engine, done)

    report = await drain(engine, morning, slack_settings, {"slack": slack_sender(slack_settings)}).run_once()

    assert report == DrainReport(sent=1)
    [post] = fake.of("chat.postMessage")
    assert post.params["channel"] == "U0DEB"
    assert f"#{still.id}* Publish the workforce strategy" in shown(post.params["blocks"])
    assert "Agree the terms of reference" not in shown(post.params["blocks"])


@pytest.fixture
def second_engine(database_url: str, _template: tuple[str, dict[str, Any]]) -> Iterator[Engine]:
    """Another engine on the same database: another drain process's connections."""
    other = make_engine(database_url, **_template[1])
    yield other
    other.dispose()


async def test_two_drains_on_one_database_never_send_one_message_twice(
    engine: Engine, second_engine: Engine, clock: FixedClock, slack_settings: Settings, fake: FakeSlack
) -> None:
    messages = [(f"m{n:03d}", "slack", f"C0{n % 20:03d}") for n in range(200)]
    queue(engine, slack_settings, clock, *messages)
    first = drain(engine, clock, slack_settings, {"slack": slack_sender(slack_settings)}, batch=7)
    second = drain(second_engine, clock, slack_settings, {"slack": slack_sender(slack_settings)}, batch=7)

    reports = await asyncio.gather(first.run_once(), second.run_once())

    texts = [call.params["text"] for call in fake.of("chat.postMessage")]
    assert sorted(texts) == sorted(key for key, _, _ in messages), "every message once, none twice"
    assert reports[0].sent + reports[1].sent == 200
    assert reports[0].sent > 0 and reports[1].sent > 0, "both drains took a share"
    assert {row.state for row in rows(engine, slack_settings, clock).values()} == {"sent"}


class Counting:
    """The Slack sender, counting how many messages are being sent at once."""

    platform = "slack"

    def __init__(self, inner: Sender) -> None:
        self.inner, self.now, self.most = inner, 0, 0

    async def send(self, ref: ConversationRef, reply: Reply) -> str | None:
        self.now += 1
        self.most = max(self.most, self.now)
        try:
            await asyncio.sleep(0.005)  # Slack takes a moment to answer: the others pile up behind
            return await self.inner.send(ref, reply)
        finally:
            self.now -= 1


async def test_a_morning_of_dms_to_many_people_goes_once_each_a_few_at_a_time(
    engine: Engine, clock: FixedClock, slack_settings: Settings, fake: FakeSlack
) -> None:
    messages = [(f"nudge:{n}", "slack", f"U0{n:04d}") for n in range(60)]  # 60 people: 60 targets at once
    queue(engine, slack_settings, clock, *messages)
    sender = Counting(slack_sender(slack_settings))
    report = await drain(engine, clock, slack_settings, {"slack": sender}, in_flight=4).run_once()
    assert report == DrainReport(sent=60)
    assert sorted(call.params["text"] for call in fake.of("chat.postMessage")) == sorted(k for k, _, _ in messages)
    assert 1 < sender.most <= 4, "a few built and sent at a time, not one per person held"


async def test_a_running_drain_delivers_a_new_message_within_seconds_and_stops_when_told(
    engine: Engine, clock: FixedClock, slack_settings: Settings, fake: FakeSlack
) -> None:
    the_drain = drain(engine, clock, slack_settings, {"slack": slack_sender(slack_settings)})
    stop = asyncio.Event()
    running = asyncio.create_task(the_drain.run(stop, poll=0.05))
    queue(engine, slack_settings, clock, ("update:7:C0PLAN", "slack", "C0PLAN"))
    [post] = await fake.wait_for("chat.postMessage", timeout=5)
    assert post.params["text"] == "update:7:C0PLAN"
    stop.set()
    await asyncio.wait_for(running, timeout=5)
    assert rows(engine, slack_settings, clock)["update:7:C0PLAN"].state == "sent"


async def test_a_drain_told_to_stop_finishes_the_send_under_way_and_gives_back_the_rest(
    engine: Engine, clock: FixedClock, slack_settings: Settings, fake: FakeSlack
) -> None:
    slow = {"slack": Limits(target=Rate(0.5, burst=1))}  # one now, the next in two seconds
    queue(engine, slack_settings, clock, *[(f"m{n}", "slack", "C0PLAN") for n in range(3)])
    the_drain = drain(engine, clock, slack_settings, {"slack": slack_sender(slack_settings)}, limits=slow)
    stop = asyncio.Event()
    running = asyncio.create_task(the_drain.run(stop, poll=0.05))
    await fake.wait_for("chat.postMessage", timeout=5)
    stop.set()
    await asyncio.wait_for(running, timeout=5)
    found = rows(engine, slack_settings, clock)
    assert found["m0"].state == "sent"
    for key in ("m1", "m2"):
        assert (found[key].state, found[key].claimed_until, found[key].attempts) == ("pending", None, 0), (
            "given back at once, for the next drain to claim"
        )
    assert len(fake.of("chat.postMessage")) == 1


class GatedPacer(Pacer):
    """Lets the first message go, and holds the next until the test opens the gate."""

    def __init__(self) -> None:
        super().__init__({"slack": Limits(target=Rate(1000.0, burst=3))})
        self.gate = asyncio.Event()
        self.waits = 0

    async def wait(self, platform: str, target: str) -> None:
        self.waits += 1
        if self.waits > 1:
            await self.gate.wait()


async def test_rows_waiting_their_turn_keep_their_lease_so_no_other_drain_takes_them(
    engine: Engine, clock: FixedClock, slack_settings: Settings, fake: FakeSlack
) -> None:
    lease = timedelta(seconds=0.3)  # renewed every 0.1 s of real time
    pacer = GatedPacer()
    queue(engine, slack_settings, clock, ("m0", "slack", "C0PLAN"), ("m1", "slack", "C0PLAN"))
    first = drain(engine, clock, slack_settings, {"slack": slack_sender(slack_settings)}, pacer=pacer, lease=lease)
    running = asyncio.create_task(first.run_once())
    await fake.wait_for("chat.postMessage", timeout=5)
    claimed = rows(engine, slack_settings, clock)["m1"].claimed_until
    assert claimed == clock.now() + lease, "m1 was claimed with m0, and waits its turn"

    clock.advance(timedelta(seconds=1))  # long past that lease: only a renewal keeps m1 from another drain
    async with asyncio.timeout(5):
        while rows(engine, slack_settings, clock)["m1"].claimed_until == claimed:
            await asyncio.sleep(0.05)  # the renewal runs on the drain's own (real-time) schedule
    assert rows(engine, slack_settings, clock)["m1"].claimed_until == clock.now() + lease
    other = drain(engine, clock, slack_settings, {"slack": slack_sender(slack_settings)})
    assert await other.run_once() == DrainReport(), "m1 is still leased to the first drain"

    pacer.gate.set()
    assert await asyncio.wait_for(running, timeout=5) == DrainReport(sent=2)
    assert [call.params["text"] for call in fake.of("chat.postMessage")] == ["m0", "m1"]

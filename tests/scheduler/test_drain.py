"""The drain delivers the outbox through the real Slack sender to a fake Slack over HTTP: each message once,
whatever Slack answers (429 with Retry-After, 500, a permanent refusal), and never one that is no longer true."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine

from bot.clock import FixedClock
from bot.settings import Settings
from scheduler.drain import DrainReport
from tests.scheduler.drain_support import drain, queue, rows, slack_sender
from tests.slack.fake_slack import FakeSlack


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
    assert sorted(call.params["users"] for call in fake.of("conversations.open")) == ["U0DEB", "U0KEVIN"]
    assert sorted(call.params["channel"] for call in fake.of("chat.postMessage")) == ["D0DEB", "D0KEVIN"]


async def test_a_rate_limited_message_waits_for_retry_after_without_counting_an_attempt_and_goes_once(
    engine: Engine, clock: FixedClock, slack_settings: Settings, fake: FakeSlack
) -> None:
    queue(engine, slack_settings, clock, ("a", "slack", "C0PLAN"), ("b", "slack", "C0PLAN"), ("c", "slack", "C0HR"))
    fake.fail("chat.postMessage", status=429, error="ratelimited", retry_after=17)
    the_drain = drain(engine, clock, slack_settings, {"slack": slack_sender(slack_settings)})

    report = await the_drain.run_once()
    assert (report.sent, report.rate_limited) == (1, 2), "C0PLAN paused (a and b wait), C0HR not"
    found = rows(engine, slack_settings, clock)
    assert found["c"].state == "sent"
    for key in ("a", "b"):
        assert (found[key].state, found[key].attempts) == ("pending", 0)
        assert found[key].not_before == clock.now() + timedelta(seconds=17)
    assert len(fake.of("chat.postMessage")) == 2, "b was not tried while C0PLAN was paused"

    clock.advance(timedelta(seconds=16))
    assert await the_drain.run_once() == DrainReport(), "nothing before Retry-After has passed"
    clock.advance(timedelta(seconds=1))
    assert (await the_drain.run_once()).sent == 2
    texts = [call.params["text"] for call in fake.of("chat.postMessage")]
    assert sorted(texts) == ["a", "a", "b", "c"], "a was refused once, then each went exactly once"
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
    assert waits == sorted(waits) and waits[-1] <= timedelta(hours=1), "backoff grows, capped at an hour"

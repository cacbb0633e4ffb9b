"""``actionbot clock`` and ``actionbot outbox`` as an operator runs them: real processes, the real Slack sender,
the fake Slack on 127.0.0.1; SQLite and PostgreSQL.

The processes run on the real time (a clock that sends never runs at any other), so what they send here is
due whatever the day: queued update broadcasts, and a digest whose weekly slot is today at midnight.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from adapters.cli import app
from bot.clock import FixedClock
from bot.domain import OutboxState, Role, SubscriptionKind
from bot.settings import Settings
from bot.unit_of_work import Context, UnitOfWork
from scheduler.lease import Lease
from store import outbox
from tests.factories import PlanFactory
from tests.notices.clock import Clockwork
from tests.scheduler.drain_support import queue, rows
from tests.slack.conftest import fake, slack_settings  # noqa: F401
from tests.slack.driver import SIGNING_SECRET
from tests.slack.fake_slack import BOT_TOKEN, FakeSlack
from tests.test_serve_process import process_url

COMMAND = [sys.executable, "-c", "from adapters.cli import app; app(prog_name='actionbot')"]
TAKEOVER_SECONDS = 30


@dataclass
class Operator:
    """Runs ``actionbot`` commands against the test's database and the fake Slack."""

    env: dict[str, str]
    cwd: Path

    async def run(self, *args: str, timeout: float = 90) -> tuple[int, str, str]:
        process = await asyncio.create_subprocess_exec(
            *COMMAND, *args, env=self.env, cwd=self.cwd,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await asyncio.wait_for(process.communicate(), timeout)
        assert process.returncode is not None
        return process.returncode, out.decode(), err.decode()

    async def start(self, name: str) -> Clock:
        log = self.cwd / f"{name}.log"
        with log.open("wb") as handle:
            process = await asyncio.create_subprocess_exec(
                *COMMAND, "clock", env=self.env, cwd=self.cwd, stdout=asyncio.subprocess.DEVNULL, stderr=handle
            )
        return Clock(process, log)


@dataclass
class Clock:
    """A running ``actionbot clock`` and its log."""

    process: asyncio.subprocess.Process
    log: Path

    def said(self, text: str) -> bool:
        return text in self.log.read_text()

    async def until_said(self, text: str, timeout: float = 60) -> None:
        async with asyncio.timeout(timeout):
            while not self.said(text):
                assert self.process.returncode is None, self.log.read_text()
                await asyncio.sleep(0.1)

    async def stop(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
            await self.process.wait()


@pytest.fixture
def operator(
    database_url: str, _template: tuple[str, dict[str, Any]], fake: FakeSlack, tmp_path: Path  # noqa: F811
) -> Operator:
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith(("SLACK_", "MICROSOFT_"))},
        "DATABASE_URL": process_url(database_url, _template),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.api_url,
    }
    return Operator(env, tmp_path)


@pytest.fixture
async def clocks() -> AsyncIterator[list[Clock]]:
    started: list[Clock] = []
    yield started
    for clock in started:
        await clock.stop()


def now() -> FixedClock:
    return FixedClock(datetime.now(UTC))


def updates(engine: Engine, settings: Settings, names: list[str], channels: int = 10) -> None:
    """Update broadcasts queued now, each saying its name, spread over ``channels`` channels."""
    queue(engine, settings, now(), *((name, "slack", f"C0CH{i % channels:02d}") for i, name in enumerate(names)))


def digest_due_today(engine: Engine, settings: Settings) -> None:
    """#all-reviews takes the weekly digest of every review on today's weekday at 00:00: due whatever the time."""
    today = datetime.now(settings.zone)
    Clockwork(engine, settings).subscribe(
        "C0ALL", None, SubscriptionKind.DIGEST, made=today - timedelta(days=30), weekday=today.weekday(), hour=0
    )


def texts(fake: FakeSlack) -> list[str]:  # noqa: F811
    return [str(call.params.get("text")) for call in fake.of("chat.postMessage")]


async def test_clock_once_runs_the_jobs_delivers_what_is_due_through_slack_and_exits(
    operator: Operator, engine: Engine, slack_settings: Settings, fake: FakeSlack  # noqa: F811
) -> None:
    updates(engine, slack_settings, [f"update-{n}" for n in range(6)])
    digest_due_today(engine, slack_settings)
    code, out, err = await operator.run("clock", "--once")
    assert code == 0, err
    assert out.strip() == "queued 1; sent 7, skipped 0, to retry 0, dead 0"
    assert sorted(texts(fake)) == sorted([*(f"update-{n}" for n in range(6)), "Weekly digest: All reviews"])
    assert {row.state for row in rows(engine, slack_settings, now()).values()} == {"sent"}
    code, out, err = await operator.run("clock", "--once")
    assert (code, out.strip()) == (0, "queued 0; sent 0, skipped 0, to retry 0, dead 0")
    assert len(texts(fake)) == 7
    assert "Traceback" not in err


async def test_dry_run_at_a_moment_prints_every_message_to_whom_and_where_and_writes_nothing(
    operator: Operator, plan: PlanFactory, engine: Engine, slack_settings: Settings, fake: FakeSlack  # noqa: F811
) -> None:
    priya = plan.person("Priya Shah", Role.MANAGER, slack="U0PRI")
    deb = plan.person("Deb Poole", slack="U0DEB")
    review = plan.review("Corporate Peer Challenge 2018", priya)
    plan.action(deb, review=review, text="Publish the process map", due_in=0)
    plan.action(plan.person("Owen Price"), review=review, text="Brief the branch", due_in=0)
    clockwork = Clockwork(engine, slack_settings)
    clockwork.subscribe("C0PEER", review, SubscriptionKind.DIGEST, made=datetime(2019, 1, 8, tzinfo=UTC))
    before = clockwork.state()

    code, out, err = await operator.run("clock", "--once", "--dry-run", "--at", "2019-01-14T09:30")
    assert code == 0, err
    assert out.startswith("At Monday 14 January 2019 09:30 (Europe/London) the bot would send 2 message(s).")
    deb = out.split("→ DM to Deb Poole (slack) · nudge\n")[1].split("\n→ ")[0]
    assert "  == 1 of your actions needs you today ==" in deb and "Publish the process map" in deb
    assert "→ C0PEER (slack) · digest\n  == Weekly digest: Corporate Peer Challenge 2018 ==" in out
    assert "✗ nudge for Owen Price: not sent (Owen Price is not linked to a chat account" in out
    assert clockwork.state() == before  # nothing written
    assert fake.calls == []  # nothing sent

    code, out, _ = await operator.run("clock", "--once", "--dry-run", "--at", "2019-01-13T09:30")  # a Sunday
    assert (code, out.strip()) == (0, "Nothing would be sent at Sunday 13 January 2019 09:30 (Europe/London). "
                                      "(Dry run: nothing written, nothing sent.)")  # fmt: skip


def test_at_is_refused_without_dry_run_and_a_bad_moment_is_named(operator: Operator, engine: Engine) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["clock", "--once", "--at", "2019-03-04T09:30"], env=operator.env)
    assert result.exit_code == 2
    assert "--at is only for --dry-run" in result.output
    result = runner.invoke(app, ["clock", "--once", "--dry-run", "--at", "next tuesday"], env=operator.env)
    assert result.exit_code == 2
    assert "--at: 'next tuesday' is not a moment such as 2019-03-04T09:30" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


async def test_two_clocks_send_each_message_once_the_standby_takes_over_when_the_first_is_killed(
    operator: Operator, clocks: list[Clock], engine: Engine, slack_settings: Settings, fake: FakeSlack  # noqa: F811
) -> None:
    updates(engine, slack_settings, [f"before-{n}" for n in range(30)])
    first = await operator.start("first")
    clocks.append(first)
    await first.until_said("clock lease taken")
    second = await operator.start("second")
    clocks.append(second)
    await second.until_said(f"standby: the clock is running on {os.uname().nodename} pid {first.process.pid} since")
    await fake.wait_for("chat.postMessage", 30, timeout=60)

    code, out, _ = await operator.run("clock", "status")
    assert code == 0 and f"The clock is running on {os.uname().nodename} pid {first.process.pid} since" in out
    assert "last heartbeat" in out and "Outbox: 30 sent." in out

    first.process.send_signal(signal.SIGKILL)
    await first.process.wait()
    updates(engine, slack_settings, [f"after-{n}" for n in range(6)])
    await second.until_said("clock lease taken", timeout=TAKEOVER_SECONDS)
    await fake.wait_for("chat.postMessage", 36, timeout=60)
    sent = texts(fake)
    assert sorted(sent) == sorted([*(f"before-{n}" for n in range(30)), *(f"after-{n}" for n in range(6))])

    second.process.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(second.process.wait(), 30) == 0
    assert second.said("clock lease released") and "Traceback" not in second.log.read_text()
    holder = Lease(engine).holder()
    assert holder is not None and holder.pid == second.process.pid and holder.released_at is not None
    code, out, _ = await operator.run("clock", "status")
    assert code == 1 and out.startswith(f"No clock is running. The last one ran on {os.uname().nodename} pid")


async def test_clock_status_before_any_clock_says_so(operator: Operator, engine: Engine) -> None:
    code, out, _ = await operator.run("clock", "status")
    assert code == 1
    assert out == "No clock has run on this database yet: start one with `actionbot clock`.\nOutbox: empty.\n"


def _outbox_rows(engine: Engine, settings: Settings, plan: PlanFactory) -> dict[str, int]:
    owen = plan.person("Owen Price")
    updates(engine, settings, ["to-send", "gone-dead", "went"], channels=3)
    ids = {key: row.id or 0 for key, row in rows(engine, settings, now()).items()}

    def states(work: Context) -> None:
        outbox.mark_dead(work, ids["gone-dead"], "channel_not_found: the bot was removed from #old-plans")
        outbox.mark_sent(work, ids["went"])
        outbox.enqueue(
            work, dedupe_key="nudge:owen", kind="nudge", platform="none", target_key=f"person:{owen.id}",
            payload={}, person_id=owen.id, state=OutboxState.UNREACHABLE,
            last_error="Owen Price is not linked to a chat account: an admin can `link @user Owen Price`",
        )  # fmt: skip

    UnitOfWork(engine, now(), settings).run(states)
    return ids


def test_outbox_lists_rows_by_state_names_the_unreachable_and_requeues_the_dead(
    operator: Operator, plan: PlanFactory, engine: Engine, slack_settings: Settings  # noqa: F811
) -> None:
    ids = _outbox_rows(engine, slack_settings, plan)
    runner = CliRunner()

    def actionbot(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, list(args), env=operator.env)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        return result.exit_code, result.output

    code, out = actionbot("outbox")
    assert code == 0 and len([line for line in out.splitlines() if line.startswith("#")]) == 4
    code, out = actionbot("outbox", "--state", "dead", "--limit", "5")
    assert code == 0
    assert out.startswith(f"#{ids['gone-dead']:<6} dead        update     C0CH01 (slack)")
    assert "1 attempt\n        channel_not_found: the bot was removed from #old-plans" in out
    code, out = actionbot("outbox", "--unreachable")
    assert code == 0
    assert out.startswith("Owen Price: Owen Price is not linked to a chat account: an admin can `link @user Owen Price`"
                          " (1 message not sent, latest ")  # fmt: skip

    assert actionbot("outbox", "retry", str(ids["gone-dead"])) == (
        0, f"Queued again: #{ids['gone-dead']}. The clock sends them at its next pass.\n")  # fmt: skip
    again = rows(engine, slack_settings, now())["gone-dead"]
    assert again.state == "pending" and again.attempts == 0
    assert actionbot("outbox", "retry", "--all-dead") == (0, "No dead messages: nothing to send again.\n")

    code, out = actionbot("outbox", "retry", str(ids["went"]))
    assert code == 1 and f"#{ids['went']} was sent; it is not sent twice. Nothing was requeued." in out
    code, out = actionbot("outbox", "retry", "99999", str(ids["to-send"]))
    assert code == 1 and "There is no outbox row #99999" in out
    code, out = actionbot("outbox", "retry")
    assert code == 2 and "give the numbers of the rows to send again, or --all-dead" in out
    code, out = actionbot("outbox", "--state", "lost")
    assert code == 2 and "--state must be one of pending, sent, dead, skipped, unreachable (got 'lost')" in out
    code, out = actionbot("outbox", "--limit", "0")
    assert code == 2 and "--limit must be at least 1" in out

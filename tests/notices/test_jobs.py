"""The clock's jobs together: each idempotent, safe under two clocks at once, catching up by itself."""

from __future__ import annotations

import threading
from datetime import date, timedelta

from bot.domain import Role, SubscriptionKind
from bot.notices.jobs import JOBS
from tests.factories import PlanFactory
from tests.notices.clock import Clockwork, at

MONDAY = date(2019, 1, 14)


def council(plan: PlanFactory, clockwork: Clockwork) -> None:
    """Something for every job: nudges, a check-in, an escalation, a digest and an overdue alert."""
    priya = plan.person("Priya Shah", Role.MANAGER, slack="U0PRI")
    deb = plan.person("Deb Poole", slack="U0DEB")
    gareth = plan.person("Gareth Evans", teams="aad-gareth")
    cmt = plan.group("CMT", deb, gareth)
    review = plan.review("Corporate Peer Challenge 2018", priya)
    for due_in in (7, 1, 0, -1, -7, -14, None):
        plan.action(deb, review=review, due_in=due_in)
    plan.action(cmt, review=review, due_in=-14)
    plan.action(plan.person("Owen Price"), review=review, due_in=-7)  # not linked: unreachable
    made = at(MONDAY - timedelta(days=30))
    clockwork.subscribe("C0PEER", review, SubscriptionKind.DIGEST, made=made)
    clockwork.subscribe("C0PEER", review, SubscriptionKind.OVERDUE, made=made)


def run_all(clockwork: Clockwork, hour: int, minute: int = 0, day: date = MONDAY) -> int:
    reach = frozenset({"slack", "teams"})
    return sum(clockwork.run(job.run, at(day, hour, minute), reach) for job in JOBS)


def test_the_jobs_have_stable_ids_and_each_queues_its_kind(plan: PlanFactory, clockwork: Clockwork) -> None:
    assert [job.id for job in JOBS] == ["nudges", "escalations", "digests", "overdue-alerts", "pending-files"]
    council(plan, clockwork)
    run_all(clockwork, 9)
    kinds = sorted({row.kind for row in clockwork.rows()})
    assert kinds == ["digest", "escalation", "nudge", "overdue"]


def test_every_job_run_again_writes_nothing_new(plan: PlanFactory, clockwork: Clockwork) -> None:
    council(plan, clockwork)
    assert run_all(clockwork, 9) > 0
    before = clockwork.state()
    assert run_all(clockwork, 9) == 0
    assert run_all(clockwork, 11, 30) == 0
    assert clockwork.state() == before


def test_two_clocks_running_the_jobs_at_once_queue_each_message_once(plan: PlanFactory, clockwork: Clockwork) -> None:
    council(plan, clockwork)
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def clock() -> None:
        barrier.wait()
        counts.append(run_all(clockwork, 9))

    threads = [threading.Thread(target=clock) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    keys = [row.dedupe_key for row in clockwork.rows()]
    assert len(keys) == len(set(keys)) == sum(counts)


def test_a_clock_down_over_a_weekend_catches_up_once_on_monday(plan: PlanFactory, clockwork: Clockwork) -> None:
    council(plan, clockwork)
    friday = MONDAY - timedelta(days=3)
    run_all(clockwork, 9, day=friday - timedelta(days=1))  # Thursday, then down until Monday 10:00
    thursday = {row.dedupe_key for row in clockwork.rows()}
    assert run_all(clockwork, 10) > 0
    monday = [row.dedupe_key for row in clockwork.rows() if row.dedupe_key not in thursday]
    assert all(key.endswith("2019-01-14") for key in monday), monday
    assert any(key.startswith("digest:") for key in monday)
    assert run_all(clockwork, 10, 5) == 0

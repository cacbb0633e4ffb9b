"""The clock's jobs: each decides what the bot should send by now and writes it to the outbox.

A :class:`Job` is a plain function of a unit of work's context and the platforms the bot can reach.
Every job is idempotent and catches up by itself: called at any moment, it queues everything due up
to that moment that was not queued before (the outbox's dedupe keys make a second call, or a second
clock, write nothing new). The scheduler only calls them, every ``every``, and once at start-up;
``actionbot clock --once`` calls each once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.admin_files.expiry import purge_expired_files
from bot.notices import alerts, digests, escalations, nudges
from bot.unit_of_work import Context

Reach = frozenset[str]  # the platforms a sender is configured for: "slack", "teams", "console"


@dataclass(frozen=True)
class Job:
    """A stable id (the scheduler's job id), how often to run it, and what it does (rows queued)."""

    id: str
    every: timedelta
    run: Callable[[Context, Reach], int]


# How often each job runs: it decides by the hour (nudge hour, digest hour), so a few minutes' lateness is
# the most a message waits; a run with nothing due reads a day's window and writes nothing.
EVERY = timedelta(minutes=5)

# The jobs the clock runs, in order (issue 10: nudges and check-ins, escalations, digests, overdue alerts).
JOBS: tuple[Job, ...] = (
    # Each owner's one message of the day: nudges before and after deadlines, and check-ins of ongoing actions.
    Job("nudges", EVERY, nudges.run),
    Job("escalations", EVERY, escalations.run),
    Job("digests", EVERY, digests.run),
    Job("overdue-alerts", EVERY, alerts.run),
    # Plans sent in chat and never imported or cancelled: deleted once their 24 hours are up (bot.admin_files).
    Job("pending-files", EVERY, purge_expired_files),
)

"""``actionbot clock --once --dry-run [--at …]``: every message the jobs would send at a moment, written nowhere.

The jobs run at that moment (a fixed clock) in one unit of work that is rolled back at the end (``dry_run``);
each row they added is prepared exactly as the drain would prepare it just before sending
(:func:`bot.notices.messages.prepare`) and described: to whom (``DM to Gareth Evans``, ``#peer-challenge``),
through which platform, and the text. Rows nobody can deliver come with the reason. Nothing is written and
nothing is sent; no lease is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from bot.clock import FixedClock
from bot.domain import OutboxState
from bot.notices.jobs import JOBS, Job
from bot.notices.messages import Ready, prepare
from bot.render_text import render
from bot.settings import Settings
from bot.unit_of_work import Context, UnitOfWork
from store import outbox_views
from store.models import OutboxNotification


@dataclass(frozen=True)
class Preview:
    """One message the jobs would send: its kind, platform, whom it goes to, and the text (or why not)."""

    kind: str
    platform: str
    to: str
    text: str | None  # None: it would not be sent (``reason`` says why)
    reason: str | None = None

    def lines(self) -> list[str]:
        if self.text is None:
            return [f"✗ {self.kind} for {self.to}: not sent ({self.reason})"]
        return [f"→ {self.to} ({self.platform}) · {self.kind}", *("  " + line for line in self.text.splitlines())]


def preview(
    engine: Engine, settings: Settings, reach: frozenset[str], at: datetime, jobs: Sequence[Job] = JOBS
) -> list[Preview]:
    """What the jobs would send at ``at``; nothing is written."""

    def work(context: Context) -> list[Preview]:
        before = outbox_views.last_id(context.session)
        for job in jobs:
            job.run(context, reach)
        return [_describe(context, row) for row in outbox_views.added_after(context.session, before)]

    return UnitOfWork(engine, FixedClock(at), settings).run(work, dry_run=True)


def _describe(context: Context, row: OutboxNotification) -> Preview:
    if row.state == OutboxState.UNREACHABLE.value:
        who = _who(context, row)
        return Preview(row.kind, row.platform, who, None, row.last_error or "unreachable")
    to = outbox_views.target_label(context.session, row.platform, row.target_key)
    prepared = prepare(context, row)
    if isinstance(prepared, Ready):
        return Preview(row.kind, row.platform, to, render(prepared.reply).text)
    return Preview(row.kind, row.platform, to, None, prepared.reason)


def _who(context: Context, row: OutboxNotification) -> str:
    if row.person_id is not None:
        return outbox_views.target_label(context.session, "console", f"person:{row.person_id}").removeprefix("DM to ")
    return row.target_key

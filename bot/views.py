"""Turning stored actions into the neutral reply model: items, facts, buttons, "more" hints and history lines."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo

from bot import domain
from bot.dates import format_date
from bot.domain import Status, TimescaleKind, UpdateKind
from bot.replies import BUTTON_LABELS, ActionItem, Button, ButtonIntent, Fact, More
from store.actions import ActionRow, Page
from store.models import ActionUpdate
from store.shown import ActionFields

LIST_TEXT_LIMIT = 280

_BUTTON_ORDER = (
    (ButtonIntent.DONE, "primary"),
    (ButtonIntent.ON_TRACK, None),
    (ButtonIntent.AT_RISK, None),
    (ButtonIntent.UPDATE, None),
    (ButtonIntent.SNOOZE, None),
)


def shorten(text: str, limit: int = LIST_TEXT_LIMIT) -> str:
    """Collapse whitespace and cut at a word boundary with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def buttons_for(action: ActionFields) -> list[Button]:
    """The buttons an editor sees: none on a closed action; never the one for the current status."""
    if action.status.is_closed or action.id is None:
        return []
    return list(_buttons(action.id, action.status))


# These caches hold what the pages being read now share, not the plan: at 4,096 entries each (pydantic models)
# they held ~8 MB of the clock's 120 (bench/clock_memory.py, 100,000 actions, 200 channels' digests).
@functools.lru_cache(maxsize=256)
def _buttons(action_id: int, status: Status) -> tuple[Button, ...]:
    """:func:`buttons_for`, made once per action and status (buttons are immutable; a list page makes fifty)."""
    current = {Status.ON_TRACK: ButtonIntent.ON_TRACK, Status.AT_RISK: ButtonIntent.AT_RISK}.get(status)
    return tuple(
        Button(intent=intent, action_id=action_id, label=BUTTON_LABELS[intent], style=style)
        for intent, style in _BUTTON_ORDER
        if intent is not current
    )


def due_text(action: ActionFields, today: date) -> str:
    """``Fri 30 Sep 2018 (12 days overdue)``, ``Ongoing``, or the timescale as written."""
    return _due_text(action.due_date, action.status.is_closed, action.timescale_kind, action.timescale, today)


@functools.lru_cache(maxsize=4096)
def _due_text(due: date | None, closed: bool, kind: TimescaleKind, timescale: str, today: date) -> str:
    """:func:`due_text` from what it depends on (made once per date, day and kind: a list page shows ten)."""
    if due is None:
        if kind is TimescaleKind.ONGOING:
            return "Ongoing"
        return f"{timescale or 'No deadline'} (no date)"
    text = format_date(due)
    days = (due - today).days
    if days < 0 and not closed:
        text += f" ({-days} day{'s' if days != -1 else ''} overdue)"
    elif not closed:
        text += " (today)" if days == 0 else " (tomorrow)" if days == 1 else f" (in {days} days)"
    if kind is TimescaleKind.RECURRING:
        text += ", then ongoing"
    return text


def status_text(action: ActionFields, today: date) -> str:
    snoozed = action.snoozed_until
    shown = snoozed if snoozed is not None and snoozed >= today and not action.status.is_closed else None
    return _status_text(action.status, action.percent_complete, shown)


@functools.lru_cache(maxsize=1024)
def _status_text(status: Status, percent: int, snoozed_until: date | None) -> str:
    """:func:`status_text` from the status, the percentage and the date a shown snooze ends."""
    text = status.label
    if status is not Status.DROPPED:
        text += f" · {percent}%"
    if snoozed_until is not None:
        text += f" · snoozed until {format_date(snoozed_until)}"
    return text


@functools.lru_cache(maxsize=1024)
def _fact(label: str, value: str) -> Fact:
    """A fact many items share (an owner, a due date, a status), made once (facts are immutable)."""
    return Fact(label=label, value=value)


def item(row: ActionRow, today: date, *, editable: bool, full_text: bool = False) -> ActionItem:
    """One action as a list item: number, text, RAG, owner, due date, status, and buttons if editable."""
    action = row.action
    action_id, status, due = action.id, action.status, action.due_date
    assert action_id is not None
    snoozed = action.snoozed_until
    snoozed = snoozed if snoozed is not None and snoozed >= today else None
    closed = status.is_closed
    facts = [
        _fact("Owner", ", ".join([owner.name for owner in row.owners]) or "No owner"),
        _fact("Due", _due_text(due, closed, action.timescale_kind, action.timescale, today)),
        _fact("Status", _status_text(status, action.percent_complete, None if closed else snoozed)),
        Fact(label="Review", value=f"{row.review.title} · rec {row.recommendation.ref}"),
    ]
    return ActionItem(
        action_id=action_id,
        text=action.text if full_text else shorten(action.text),
        rag=domain.rag(status, due, today),
        status=status,
        facts=facts,
        buttons=list(_buttons(action_id, status)) if editable and not closed else [],
        snoozed=snoozed is not None,
    )


def items(page: Page, today: date, can_edit: Callable[[ActionFields], bool]) -> list[ActionItem]:
    return [item(row, today, editable=can_edit(row.action)) for row in page.rows]


def more_hint(page: Page, command: str, page_number: int) -> More | None:
    """The next page's command (``overdue page 2``) and how many are left, or ``None`` when the list is complete."""
    if page.remaining <= 0:
        return None
    return More(remaining=page.remaining, command=f"{command} page {page_number + 1}")


def describe_update(update: ActionUpdate, who: str | None, zone: ZoneInfo) -> str:
    """One audit row as a line: when, who, through what, and what changed."""
    when = update.at.astimezone(zone).strftime("%d %b %Y %H:%M").lstrip("0")
    if update.kind is UpdateKind.CREATED:
        return f"{when} · {who or 'actionbot'} ({update.surface.value}) · created"
    parts = []
    if update.old_status != update.new_status and update.new_status is not None:
        old = update.old_status.label if update.old_status else "—"
        parts.append(f"{old} → {update.new_status.label}")
    if update.new_percent is not None and update.old_percent != update.new_percent:
        parts.append(f"{update.old_percent or 0}% → {update.new_percent}%")
    if update.new_due_date != update.old_due_date:
        old_due = format_date(update.old_due_date) if update.old_due_date else "no date"
        new_due = format_date(update.new_due_date) if update.new_due_date else "no date"
        parts.append(f"due {old_due} → {new_due}")
    if update.kind is UpdateKind.SNOOZE and update.snoozed_until:
        parts.append(f"snoozed until {format_date(update.snoozed_until)}")
    if update.kind is UpdateKind.DROP:
        parts.append("dropped")
    change = ", ".join(parts) or update.kind.value
    note = f": “{update.note}”" if update.note else ""
    return f"{when} · {who or 'actionbot'} ({update.surface.value}) · {change}{note}"

"""Handlers that change an action: ``update``, ``note``, ``snooze``, ``drop``, ``move``.

Every change writes an :class:`~store.models.ActionUpdate` row in the same transaction as the
change itself, and queues a broadcast for channels subscribed to ``updates``. A change that
changes nothing (pressing "On track" on an action already on track) records nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from bot import permissions, progress, views
from bot.commands import Command
from bot.dates import format_date
from bot.domain import Status, UpdateKind
from bot.errors import UserError
from bot.replies import Reply, Section, Tone
from bot.services import broadcast, forms, people
from bot.services.turn import Turn
from store import action_writes
from store.models import Action, ActionUpdate


@dataclass(frozen=True)
class Change:
    """What one request asks to change; ``None`` means "leave as it is"."""

    kind: UpdateKind
    status: Status | None = None
    percent: int | None = None
    note: str | None = None
    due: date | None = None
    snooze_until: date | None = None
    dropped_reason: str | None = None
    note_is_commentary: bool = True  # False: the note stays in the audit row only (a move's reason beside a note)


def apply(turn: Turn, action: Action, change: Change, *, key_suffix: str = "") -> int | None:
    """Apply ``change`` and write its audit row; return the audit row's id, or ``None`` when nothing would change."""
    change = replace(
        change,
        note=people.readable_mentions(turn.session, turn.request.actor.platform, change.note),
        dropped_reason=people.readable_mentions(turn.session, turn.request.actor.platform, change.dropped_reason),
    )
    settled = progress.settle(action.id, (action.status, action.percent_complete), change.status, change.percent)
    new_status, new_percent = settled.status, settled.percent
    new_due = change.due if change.due is not None else action.due_date
    unchanged = (
        new_status == action.status
        and new_percent == action.percent_complete
        and new_due == action.due_date
        and change.note is None
        and change.snooze_until is None
    )
    if unchanged:
        return None
    key = turn.request.request_key
    # The audit row's columns; an ActionUpdate is made of them only for a broadcast (a model costs more than its row).
    audit_row: dict[str, Any] = {
        "action_id": action.id or 0,
        "at": turn.now,
        "person_id": turn.me.id,
        "surface": turn.request.surface,
        "kind": change.kind,
        "old_status": action.status,
        "new_status": new_status,
        "old_percent": action.percent_complete,
        "new_percent": new_percent,
        "old_due_date": action.due_date,
        "new_due_date": new_due,
        "snoozed_until": change.snooze_until,
        "note": change.note,
        "request_key": f"{key}{key_suffix}" if key else None,
    }
    dropped_reason = change.dropped_reason
    if dropped_reason is None and new_status is Status.DROPPED:
        dropped_reason = action.dropped_reason
    update_id = action_writes.write(turn.session, action, {
        "status": new_status,
        "percent_complete": new_percent,
        "due_date": new_due,
        "original_due_date": action.original_due_date or (action.due_date if change.due is not None else None),
        "snoozed_until": change.snooze_until if change.snooze_until is not None else action.snoozed_until,
        "dropped_reason": dropped_reason,
        "latest_note": change.note if change.note is not None and change.note_is_commentary else action.latest_note,
        "updated_at": turn.now,
    }, audit_row)  # fmt: skip
    if key:
        turn.recorded()
    if turn.notifies(action):
        broadcast.queue_update(turn, action, ActionUpdate(id=update_id, **audit_row), turn.me.name)
    return update_id


def confirmation(turn: Turn, action: Action, message: str, tone: Tone = Tone.SUCCESS) -> Reply:
    """The answer to a change: a line saying what happened and the action as it now stands (as read with the
    change, :meth:`Turn.shown`: the action object holds what was written)."""
    item = views.item(turn.shown(action), turn.today, editable=turn.can_edit(action))
    return Reply(sections=[Section(lines=[message], items=[item])], tone=tone)


def _subject(turn: Turn, action: Action) -> Section:
    """The action a form is about, shown above it (without buttons: the form is the way to change it)."""
    return Section(items=[views.item(turn.shown(action), turn.today, editable=False, full_text=True)])


def _refuse_if_dropped(turn: Turn, action: Action) -> None:
    if action.status is Status.DROPPED and not permissions.manages(turn.session, turn.me, action):
        raise UserError(
            f"#{action.id} was dropped ({action.dropped_reason or 'no reason given'}). "
            "Only the review's leads and admins can reopen it."
        )


def update(command: Command, turn: Turn) -> Reply:
    assert command.action_id is not None
    action = turn.action(command.action_id)
    if command.status is None and command.percent is None and command.note is None:
        return Reply(title=f"Update #{action.id}", sections=[_subject(turn, action)], form=forms.update_form(action))
    _refuse_if_dropped(turn, action)
    kind = UpdateKind.STATUS if command.status or command.percent is not None else UpdateKind.NOTE
    settled = progress.settle(action.id, (action.status, action.percent_complete), command.status, command.percent)
    change = Change(kind=kind, status=settled.status, percent=settled.percent, note=command.note)
    if apply(turn, action, change) is None:
        return confirmation(
            turn,
            action,
            f"#{action.id} is already {views.status_text(action, turn.today)}: nothing to record.",
            Tone.INFO,
        )
    why = f" ({settled.why}.)" if settled.why else ""
    return confirmation(turn, action, f"Recorded: #{action.id} is now {views.status_text(action, turn.today)}.{why}")


def note(command: Command, turn: Turn) -> Reply:
    assert command.action_id is not None and command.note is not None
    action = turn.action(command.action_id)
    _refuse_if_dropped(turn, action)
    apply(turn, action, Change(kind=UpdateKind.NOTE, note=command.note))
    return confirmation(turn, action, f"Note added to #{action.id}.")


def snooze(command: Command, turn: Turn) -> Reply:
    assert command.action_id is not None
    action = turn.action(command.action_id)
    if action.status.is_closed:
        raise UserError(f"#{action.id} is {action.status.label.lower()}: there are no reminders to snooze.")
    until = command.new_date or turn.today + timedelta(days=command.days or 7)
    if until <= turn.today:
        raise UserError(f"{format_date(until)} is not in the future. Try: snooze {action.id} 7d")
    if action.snoozed_until == until:
        return confirmation(turn, action, f"#{action.id} is already snoozed until {format_date(until)}.", Tone.INFO)
    apply(turn, action, Change(kind=UpdateKind.SNOOZE, snooze_until=until))
    return confirmation(turn, action, f"No reminders for #{action.id} until {format_date(until)}.")


def drop(command: Command, turn: Turn) -> Reply:
    assert command.action_id is not None and command.note is not None
    action = turn.action(command.action_id)
    if action.status is Status.DROPPED:
        return confirmation(turn, action, f"#{action.id} is already dropped.", Tone.INFO)
    apply(
        turn,
        action,
        Change(kind=UpdateKind.DROP, status=Status.DROPPED, note=command.note, dropped_reason=command.note),
    )
    return confirmation(turn, action, f"#{action.id} is dropped. The reason is kept in its history.")


def move(command: Command, turn: Turn) -> Reply:
    assert command.action_id is not None and command.new_date is not None
    action = turn.action(command.action_id)
    _refuse_if_dropped(turn, action)
    if command.new_date < turn.today:
        raise UserError(f"{format_date(command.new_date)} is in the past: a new deadline is today or later.")
    if command.new_date == action.due_date:
        return confirmation(turn, action, f"#{action.id} is already due {format_date(command.new_date)}.", Tone.INFO)
    apply(turn, action, Change(kind=UpdateKind.MOVE, due=command.new_date, note=command.note))
    was = f" (was {format_date(action.original_due_date)})" if action.original_due_date else ""
    return confirmation(turn, action, f"#{action.id} moved to {format_date(command.new_date)}{was}.")


def submit_form(action_id: int, values: dict[str, str], turn: Turn) -> Reply:
    """Apply a submitted Update… form, or send it back with each wrong field marked; nothing half-applied."""
    action = turn.action(action_id)
    checked = forms.validate(values, turn.today)
    if checked.errors:
        return Reply(
            title=f"Update #{action.id}",
            sections=[_subject(turn, action)],
            form=forms.update_form(action, checked.errors, values),
            tone=Tone.ERROR,
        )
    _refuse_if_dropped(turn, action)
    # The form comes pre-filled: a status or % left as it was is not something the user asked for.
    status = checked.status if checked.status is not action.status else None
    percent = checked.percent if checked.percent != action.percent_complete else None
    try:
        settled = progress.settle(action.id, (action.status, action.percent_complete), status, percent)
    except progress.Contradiction as refused:
        return Reply(
            title=f"Update #{action.id}",
            sections=[_subject(turn, action)],
            form=forms.update_form(action, {refused.field: refused.on_form}, values),
            tone=Tone.ERROR,
        )
    status_change = Change(
        kind=UpdateKind.STATUS if status or percent is not None else UpdateKind.NOTE,
        status=settled.status,
        percent=settled.percent,
        note=checked.note,
    )
    recorded = apply(turn, action, status_change)
    if checked.new_date is not None and checked.new_date != action.due_date:
        recorded = (
            apply(
                turn,
                action,
                Change(
                    kind=UpdateKind.MOVE,
                    due=checked.new_date,
                    note=checked.reason,
                    note_is_commentary=checked.note is None,
                ),
                key_suffix=":move",
            )
            or recorded
        )
    if recorded is None:
        return confirmation(turn, action, f"Nothing changed on #{action.id}.", Tone.INFO)
    return confirmation(
        turn,
        action,
        f"Recorded: #{action.id} is now {views.status_text(action, turn.today)}, "
        f"due {views.due_text(action, turn.today)}.",
    )

"""Just before a nudge, check-in, escalation or overdue alert is sent: is each action still true?

An action drops out of the message when it has been done or dropped, snoozed (nudges and check-ins),
moved to another deadline, given to someone else (a person's message), or, for a check-in, updated
since it was queued. The message is then rebuilt from what is left, as of the day it is sent (so its
due lines are true that day); with nothing left it is :class:`~bot.notices.messages.Skip`\\ ped, saying why.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from bot.notices import letters
from bot.notices.payload import Queued, Ready, Skip
from bot.notices.recipients import load_rows
from bot.replies import Reply
from bot.unit_of_work import Context
from store import ownership
from store.actions import ActionRow
from store.models import OutboxNotification

KINDS = ("nudge", "checkin", "escalation", "overdue")
PERSONAL = ("nudge", "checkin")


def check(context: Context, row: OutboxNotification, queued: Queued) -> Ready | Skip:
    """The message of ``row`` with only the actions still true, or why none is."""
    rows = load_rows(context.session, list(queued.action_ids))
    extra = queued.extra
    check_ins = {int(i) for i in extra.get("check_ins", [])}
    person_id = extra.get("person_id") or row.person_id
    owned = None
    if row.kind in PERSONAL and person_id:
        owned = ownership.owned_among(context.session, int(person_id), list(rows))
    kept: list[ActionRow] = []
    gone: Counter[str] = Counter()
    for action_id in queued.action_ids:
        reason = _gone(context, row, extra, rows.get(action_id), action_id in check_ins, owned)
        if reason:
            gone[reason] += 1
        else:
            kept.append(rows[action_id])
    if not kept:
        return Skip("no longer true: " + ", ".join(f"{count} {why}" for why, count in sorted(gone.items())))
    return Ready(_rebuild(context, row.kind, kept, check_ins, extra))


def _gone(
    context: Context,
    row: OutboxNotification,
    extra: dict[str, Any],
    found: ActionRow | None,
    check_in: bool,
    owned: set[int] | None,
) -> str | None:
    """Why an action is no longer true for this message, or None when it still is."""
    if found is None:
        return "removed"
    action = found.action
    if action.status.is_closed:
        return action.status.label.lower()
    queued_due = extra.get("due", {}).get(str(action.id))
    if (action.due_date.isoformat() if action.due_date else None) != queued_due:
        return "moved"
    if row.kind in PERSONAL:
        if action.snoozed_until is not None and action.snoozed_until >= context.today:
            return "snoozed"
        if owned is not None and action.id not in owned:
            return "no longer theirs"
        if check_in and action.updated_at > row.created_at:
            return "updated since"
    if row.kind == "overdue" and (action.due_date is None or action.due_date >= context.today):
        return "no longer overdue"
    return None


def _rebuild(context: Context, kind: str, rows: list[ActionRow], check_ins: set[int], extra: dict[str, Any]) -> Reply:
    page_size = context.settings.page_size
    if kind in PERSONAL:
        return letters.daily(rows, check_ins, context.today, page_size)
    if kind == "escalation":
        days = {int(review): int(n) for review, n in extra.get("days", {}).items()}
        admins = [int(review) for review in extra.get("to_admins", [])]
        return letters.escalation(rows, context.today, days, admins, page_size)
    since = date.fromisoformat(extra["since"]) if extra.get("since") else context.today
    return letters.overdue_alert(rows, context.today, str(extra.get("scope_label", "")), since, page_size)

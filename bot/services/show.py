"""The ``show`` handler: one action, its recommendation, owners, status and history."""

from __future__ import annotations

from bot import permissions, views
from bot.commands import Command
from bot.dates import format_date
from bot.replies import Fact, Reply, Section
from bot.services.turn import Turn
from store import actions, audit

HISTORY_ROWS = 10


def show(command: Command, turn: Turn) -> Reply:
    assert command.action_id is not None
    action = turn.action(command.action_id)
    row = actions.load_rows(turn.session, [action])[0]
    editable = permissions.can_edit(turn.session, turn.me, action)
    item = views.item(row, turn.today, editable=editable, full_text=True)
    rec = row.recommendation
    rec_heading = f"Recommendation {rec.ref}" + (f" · {rec.section}" if rec.section else "")
    sections = [
        Section(items=[item]),
        Section(heading=rec_heading, lines=[views.shorten(rec.text, 1200)]),
        Section(heading="Details", facts=_details(turn, command)),
    ]
    sections.append(_history(turn, command.action_id))
    return Reply(title=f"Action #{action.id}", sections=sections)


def _details(turn: Turn, command: Command) -> list[Fact]:
    action = turn.action(command.action_id or 0)
    facts = [Fact(label="Timescale as written", value=action.timescale or "(blank)")]
    if action.member:
        facts.append(Fact(label="Member", value=action.member))
    if action.timescale_flag:
        facts.append(Fact(label="Timescale check", value=action.timescale_flag))
    if action.original_due_date and action.original_due_date != action.due_date:
        facts.append(Fact(label="Original due date", value=format_date(action.original_due_date)))
    if action.latest_note:
        facts.append(Fact(label="Latest note", value=action.latest_note))
    if action.dropped_reason:
        facts.append(Fact(label="Dropped because", value=action.dropped_reason))
    if action.same_as_action_id:
        facts.append(Fact(label="Same as", value=f"#{action.same_as_action_id}"))
    return facts


def _history(turn: Turn, action_id: int) -> Section:
    rows = audit.history(turn.session, action_id, HISTORY_ROWS)
    if not rows:
        return Section(heading="History", lines=["No updates yet."])
    zone = turn.settings.zone
    lines = [views.describe_update(update, who, zone) for update, who in rows]
    total = audit.count_history(turn.session, action_id)
    if total > len(rows):
        lines.append(f"…and {total - len(rows)} earlier change{'s' if total - len(rows) != 1 else ''}.")
    return Section(heading="History", lines=lines)

"""Resolving "As 19 above" and "As above" in timescale and lead-officer cells, within one review.

"As 19 above" points at the first action of recommendation 19, "As above" at the action in the row
before. The action gets that action's due date (or owners) and a link to it; a reference to a
recommendation the plan does not have is flagged and nothing is copied.
"""

from __future__ import annotations

from dataclasses import replace

from bot.domain import TimescaleKind
from bot.importing.model import PlannedAction, PlannedRecommendation, PlannedReview
from bot.importing.owners import OwnerCell
from bot.importing.timescales import ABOVE

MAX_CHAIN = 20


def resolve_links(review: PlannedReview) -> None:
    """Point every "same as" at its action and copy what it says across, following chains."""
    by_ref = {rec.ref: rec for rec in review.recommendations if rec.ref}
    actions = review.actions
    for index, action in enumerate(actions):
        if action.timescale.kind is TimescaleKind.SAME_AS:
            target = _target(action.timescale.same_as, index, actions, by_ref)
            action.link = target
            if target is None:
                named = _named(action.timescale.same_as)
                action.timescale = replace(
                    action.timescale, kind=TimescaleKind.UNKNOWN, flag=f"there is no {named} in this plan to copy"
                )
    for action in actions:
        if action.timescale.kind is TimescaleKind.SAME_AS and action.link is not None:
            _copy_timescale(action)
    _resolve_owners(actions, by_ref)


def _resolve_owners(actions: list[PlannedAction], by_ref: dict[str, PlannedRecommendation]) -> None:
    pending = [(index, action) for index, action in enumerate(actions) if action.owners.same_as is not None]
    for _ in range(MAX_CHAIN):
        resolved = []
        for index, action in pending:
            target = _target(action.owners.same_as, index, actions, by_ref)
            if target is not None and target.owners.same_as is None:
                action.owners = OwnerCell(action.owners.written, target.owners.names)
                resolved.append((index, action))
        done = {id(action) for _, action in resolved}
        pending = [item for item in pending if id(item[1]) not in done]
        if not resolved:
            break
    for index, action in pending:
        target = _target(action.owners.same_as, index, actions, by_ref)
        why = "these 'same as' references go round in a loop" if target else (
            f"there is no {_named(action.owners.same_as)} in this plan to copy"
        )
        action.owners = OwnerCell(action.owners.written, unreadable=why)


def _named(ref: str | None) -> str:
    return "row above" if ref == ABOVE else f"recommendation {ref}"


def _target(
    ref: str | None, index: int, actions: list[PlannedAction], by_ref: dict[str, PlannedRecommendation]
) -> PlannedAction | None:
    if ref == ABOVE:
        return actions[index - 1] if index > 0 else None
    rec = by_ref.get(ref or "")
    if rec is None or not rec.actions or rec.actions[0] is actions[index]:
        return None
    return rec.actions[0]


def _final(action: PlannedAction) -> PlannedAction | None:
    """The action at the end of a chain of "same as" links; ``None`` for a loop."""
    seen = {id(action)}
    target = action.link
    for _ in range(MAX_CHAIN):
        if target is None:
            return None
        if target.timescale.kind is not TimescaleKind.SAME_AS:
            return target
        if id(target) in seen:
            return None
        seen.add(id(target))
        target = target.link
    return None


def _copy_timescale(action: PlannedAction) -> None:
    final = _final(action)
    if final is None:
        action.timescale = replace(
            action.timescale, kind=TimescaleKind.UNKNOWN, flag="these 'same as' references go round in a loop"
        )
        action.link = None
        return
    source = final.timescale
    flag = None
    if source.due is None and source.kind not in (TimescaleKind.ONGOING, TimescaleKind.IN_PLACE):
        flag = f"the timescale it copies, '{source.text}', gives no date"
    action.timescale = replace(action.timescale, due=source.due, flag=flag)

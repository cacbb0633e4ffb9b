"""After a button press on a list: the list drawn again, the pressed action in its new state, in its place.

People press through a list one item after another (``mine``, ``overdue``, the clock's morning message),
so every surface keeps the list and shows what the press did: a line on top saying it, and the pressed
action as it now stands, where it was; saving the Update… form opened from a list does the same. The list
is drawn again from the :class:`~bot.replies.View` its buttons carry (and the form, :func:`form_from`): a
read-only command run again, or the morning message's actions as they are now. An
action the list showed stays in it, in its place, even when the command would no longer list it (an
action just marked Done leaves ``mine``), so a list pressed through item by item keeps every item.
"""

from __future__ import annotations

from bot import permissions, views
from bot.notices import letters
from bot.replies import ActionItem, Reply, Section, Tone, View
from bot.services.turn import Turn
from store.actions import rows_by_ids


def view_of(reply: Reply, command: str) -> Reply:
    """``reply`` marked with how to draw it again, when it is a list with buttons (and a button can carry that)."""
    if reply.tone is Tone.ERROR or not any(item.buttons for item in reply.items):
        return reply
    view = View(command=" ".join(command.split()), ids=tuple(item.action_id for item in reply.items))
    return reply.model_copy(update={"view": view}) if view.fits else reply


def form_from(view: View, reply: Reply) -> Reply:
    """The Update… form of ``reply`` opened from the list ``view`` describes: it carries the view through the
    platform (a modal's metadata, a card's data) so that, once saved, that list is drawn again around it."""
    assert reply.form is not None
    return reply.model_copy(update={"form": reply.form.model_copy(update={"view": view})})


def nudge(view: View, turn: Turn) -> Reply:
    """The morning message with the actions it showed, each as it is now."""
    rows = sorted(rows_by_ids(turn.session, view.nudge), key=lambda row: view.nudge.index(row.action.id or 0))
    return letters.daily(rows, view.check_ins, turn.today, turn.page_size)


def gone(view: View, listing: Reply, outcome: Reply) -> list[int]:
    """The actions ``view`` showed that neither ``listing`` nor the press's ``outcome`` shows now: those :func:`kept`
    reads. The pressed action is the one a press most often takes off a list (marked Done, it leaves ``mine``), and
    the outcome shows it as it now stands already (:func:`around` puts that in its place)."""
    shown = {item.action_id for item in [*listing.items, *outcome.items[:1]]}
    return [number for number in view.ids if number not in shown]


def kept(ids: list[int], turn: Turn) -> Reply:
    """The actions ``ids`` (those a list showed that it no longer does, :func:`gone`), each as it is now (as a
    reply's items)."""
    rows = rows_by_ids(turn.session, ids)
    editable = permissions.editable_ids(turn.session, turn.me, [row.action for row in rows])
    items = [views.item(row, turn.today, editable=row.action.id in editable) for row in rows]
    return Reply(sections=[Section(items=items)])


def around(listing: Reply, outcome: Reply, view: View, restored: list[ActionItem] | None = None) -> Reply:
    """``listing`` with a line on top saying what the press did, the pressed action in its new state, and
    the ``restored`` actions the list showed before (see :func:`kept`), each back in its place."""
    notice = Section(lines=[next(iter(outcome.plain_lines), "Done.")])
    sections = list(listing.sections)
    pressed = outcome.items[:1]
    placing = {item.action_id: item for item in [*(restored or []), *pressed]}
    order = view.ids or view.nudge
    for number in sorted(placing, key=lambda n: order.index(n) if n in order else -1):
        sections = _placed(sections, placing[number], order)
    tone = Tone.SUCCESS if outcome.tone is Tone.SUCCESS else Tone.INFO
    ids = tuple(item.action_id for section in sections for item in section.items)
    again = view.model_copy(update={"ids": ids}) if view.command is not None else view
    return listing.model_copy(update={"sections": [notice, *sections], "tone": tone, "view": again})


def _placed(sections: list[Section], pressed: ActionItem, shown: tuple[int, ...]) -> list[Section]:
    """The sections with ``pressed`` in place of its old self, or put back after the action it followed."""
    found = False
    result = []
    for section in sections:
        found = found or any(item.action_id == pressed.action_id for item in section.items)
        items = [pressed if item.action_id == pressed.action_id else item for item in section.items]
        result.append(section.model_copy(update={"items": items}))
    if found:
        return result
    before = shown[: shown.index(pressed.action_id)] if pressed.action_id in shown else ()
    for previous in reversed(before):
        for number, section in enumerate(result):
            ids = [item.action_id for item in section.items]
            if previous in ids:
                items = list(section.items)
                items.insert(ids.index(previous) + 1, pressed)
                result[number] = section.model_copy(update={"items": items})
                return result
    for number, section in enumerate(result):
        if section.items:
            result[number] = section.model_copy(update={"items": [pressed, *section.items]})
            return result
    return [*result, Section(items=[pressed])]

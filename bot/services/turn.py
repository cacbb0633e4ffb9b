"""What a chat handler gets: the unit of work's context plus who is asking, and from where."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot import permissions
from bot.errors import NotLinked
from bot.requests import Request
from bot.unit_of_work import Context
from store import audit
from store.actions import ActionRow, rows_by_ids
from store.change_reads import ActionToChange, read_to_change
from store.models import Action, Person


@dataclass(kw_only=True)
class Turn(Context):
    """One chat request being handled, inside one unit of work."""

    request: Request
    person: Person | None
    # The actions the core found, in this transaction, that the asker may change (before the handler ran).
    may_change: set[int] = field(default_factory=set)
    _read: dict[int, ActionToChange] = field(default_factory=dict, repr=False)
    _recorded_now: bool = field(default=False, repr=False)

    @property
    def me(self) -> Person:
        """The asking person; handlers that need one are only reached by linked users."""
        if self.person is None:
            raise NotLinked("You are not linked to anyone in the action plan yet.")
        return self.person

    def action(self, action_id: int) -> Action:
        """The action (locked when this work writes, as :meth:`Context.action`), read once however often the turn
        asks, with what the turn's checks and its answer need beside it (:mod:`store.change_reads`)."""
        read = self._read.get(action_id)
        if read is None:
            person_id = self.person.id if self.person is not None else None
            found = read_to_change(self.session, action_id, person_id, self.request.request_key, for_update=self.writes)
            if found is None:
                return super().action(action_id)  # no such action: its answer
            read = self._read[action_id] = found
        return read.action

    def standing(self, action: Action) -> permissions.Standing | None:
        """What the asker is to ``action`` (lead of its review, owner), when read with it; else ``None``."""
        read = self._read.get(action.id or 0)
        if read is None or read.action is not action:
            return None
        return permissions.Standing(leads_review=read.leads_review, owns=read.owns)

    def can_edit(self, action: Action) -> bool:
        """Whether the asker may change ``action``: known already when the core checked it for this command."""
        return action.id in self.may_change or permissions.can_edit(
            self.session, self.me, action, self.standing(action)
        )

    def already_recorded(self) -> bool:
        """Whether a change with this request's key is recorded: by an earlier delivery of it (a retry; as read with
        the action when the turn read one, else asked now), or by this turn."""
        key = self.request.request_key
        if not key:
            return False
        if self._recorded_now:
            return True
        for read in self._read.values():  # each read with this request's key
            return read.recorded
        return audit.recorded(self.session, key)

    def recorded(self) -> None:
        """This turn has recorded a change with its request's key."""
        self._recorded_now = True

    def notifies(self, action: Action) -> bool:
        """Whether a channel may be subscribed to updates of ``action`` (``False`` only when known not to be)."""
        read = self._read.get(action.id or 0)
        return read is None or read.action is not action or read.notifies

    def shown(self, action: Action) -> ActionRow:
        """``action`` as it now stands with what replies show beside it: as read with it, else read now."""
        read = self._read.get(action.id or 0)
        if read is not None and read.action is action:
            return read.row
        return rows_by_ids(self.session, [action.id or 0])[0]

    @property
    def page_size(self) -> int:
        return self.settings.page_size

    @classmethod
    def of(cls, context: Context, request: Request, person: Person | None) -> Turn:
        """The turn of ``request`` by ``person`` inside the unit of work's ``context``."""
        return cls(
            session=context.session,
            now=context.now,
            today=context.today,
            settings=context.settings,
            writes=context.writes,
            request=request,
            person=person,
        )

"""What a chat handler gets: the unit of work's context plus who is asking, and from where."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot import permissions
from bot.errors import NotLinked
from bot.requests import Request
from bot.unit_of_work import Context
from store.models import Action, Person


@dataclass(kw_only=True)
class Turn(Context):
    """One chat request being handled, inside one unit of work."""

    request: Request
    person: Person | None
    # The actions the core found, in this transaction, that the asker may change (before the handler ran).
    may_change: set[int] = field(default_factory=set)
    _actions: dict[int, Action] = field(default_factory=dict, repr=False)

    @property
    def me(self) -> Person:
        """The asking person; handlers that need one are only reached by linked users."""
        if self.person is None:
            raise NotLinked("You are not linked to anyone in the action plan yet.")
        return self.person

    def action(self, action_id: int) -> Action:
        """The action (see :meth:`Context.action`), read (and locked) once however often the turn asks."""
        found = self._actions.get(action_id)
        if found is None:
            found = self._actions[action_id] = super().action(action_id)
        return found

    def can_edit(self, action: Action) -> bool:
        """Whether the asker may change ``action``: known already when the core checked it for this command."""
        return action.id in self.may_change or permissions.can_edit(self.session, self.me, action)

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

"""What a chat handler gets: the unit of work's context plus who is asking, and from where."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import NotLinked
from bot.requests import Request
from bot.unit_of_work import Context
from store.models import Person


@dataclass(kw_only=True)
class Turn(Context):
    """One chat request being handled, inside one unit of work."""

    request: Request
    person: Person | None

    @property
    def me(self) -> Person:
        """The asking person; handlers that need one are only reached by linked users."""
        if self.person is None:
            raise NotLinked("You are not linked to anyone in the action plan yet.")
        return self.person

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

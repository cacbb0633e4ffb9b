"""What a handler gets: the session, who is asking, where, and "today" in the council's time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from bot.errors import NotLinked, UserError
from bot.requests import Request
from bot.settings import Settings
from store import queries
from store.models import Action, Person, Review


@dataclass
class Turn:
    """One request being handled, inside one transaction."""

    session: Session
    request: Request
    person: Person | None
    now: datetime
    today: date
    settings: Settings
    writes: bool = False

    @property
    def me(self) -> Person:
        """The asking person; handlers that need one are only reached by linked users."""
        if self.person is None:
            raise NotLinked("You are not linked to anyone in the action plan yet.")
        return self.person

    @property
    def page_size(self) -> int:
        return self.settings.page_size

    def action(self, action_id: int) -> Action:
        """The action, locked for the rest of the transaction when this turn writes (PostgreSQL row lock;
        SQLite's write transactions are already exclusive), so concurrent updates queue instead of racing."""
        action = queries.get_action(self.session, action_id, for_update=self.writes)
        if action is None:
            raise UserError(f"There is no action #{action_id}. `mine` lists yours; `reviews` lists the plans.")
        return action

    def review(self, text: str) -> Review:
        """The one review ``text`` names; an error lists the choices when it names none or several."""
        found = queries.find_reviews(self.session, text)
        if len(found) == 1:
            return found[0]
        if not found:
            titles = ", ".join(f"'{r.title}'" for r in queries.all_reviews(self.session)[:5]) or "none yet"
            raise UserError(f"No review matches '{text}'. Reviews: {titles}.")
        titles = ", ".join(f"'{r.title}'" for r in found[:5])
        raise UserError(f"'{text}' matches {len(found)} reviews: {titles}. Give more of the title.")

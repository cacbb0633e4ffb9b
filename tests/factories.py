"""Test helpers: build plans in the real database, and talk to the core as a chat user would."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import func, select

from bot import plan as plan_module
from bot.clock import FixedClock, today
from bot.core import Core
from bot.domain import Role, Status, Surface, Timescale, TimescaleKind
from bot.render_text import render
from bot.replies import Reply
from bot.requests import Actor, ConversationRef, FormSubmission, Request
from store.models import Action, ActionUpdate, Group, Person, Review
from store.session import transaction

LONDON = ZoneInfo("Europe/London")


@dataclass
class PlanFactory:
    """Makes people, groups, reviews and actions, committed, with sensible defaults."""

    engine: Engine
    clock: FixedClock
    _counter: int = field(default=0)

    @property
    def today(self) -> date:
        return today(self.clock, LONDON)

    def person(
        self, name: str, *roles: Role, slack: str | None = None, teams: str | None = None, email: str | None = None
    ) -> Person:
        with transaction(self.engine) as session:
            person = Person(
                name=name, roles=sorted(r.value for r in roles), slack_user_id=slack, teams_user_id=teams, email=email
            )
            session.add(person)
        return person

    def group(self, name: str, *members: Person) -> Group:
        with transaction(self.engine) as session:
            members_here = [session.get(Person, m.id) for m in members]
            return plan_module.add_group(session, name, [m for m in members_here if m is not None])

    def review(self, title: str = "Corporate Peer Challenge 2018", *leads: Person) -> Review:
        with transaction(self.engine) as session:
            lead_rows = [session.get(Person, p.id) for p in leads]
            return plan_module.add_review(
                session, title, organisation="Test Council", leads=[p for p in lead_rows if p is not None]
            )

    def action(
        self,
        *owners: Person | Group,
        review: Review | None = None,
        due_in: int | None = 10,
        status: Status = Status.NOT_STARTED,
        percent: int = 0,
        text: str | None = None,
        rec_ref: str | None = None,
        kind: TimescaleKind | None = None,
    ) -> Action:
        """An action due ``due_in`` days from the test's today (negative: overdue; None: ongoing)."""
        self._counter += 1
        with transaction(self.engine) as session:
            if review is None:
                review = session.exec(select(Review).order_by(Review.id)).first() or plan_module.add_review(
                    session, "Corporate Peer Challenge 2018"
                )
            ref = rec_ref or str(self._counter)
            rec = plan_module.add_recommendation(session, review, ref, f"Recommendation {ref} text")
            due = self.today + timedelta(days=due_in) if due_in is not None else None
            timescale = Timescale(
                text=due.strftime("%B %Y") if due else "Ongoing",
                kind=kind or (TimescaleKind.DATE if due else TimescaleKind.ONGOING),
                due=due,
            )
            owner_rows: list[Person | Group] = []
            for owner in owners:
                row = session.get(type(owner), owner.id)
                assert row is not None
                owner_rows.append(row)
            action = plan_module.add_action(
                session,
                rec,
                text or f"Action number {self._counter}",
                timescale=timescale,
                owners=owner_rows,
                at=self.clock.now() - timedelta(days=60),
                status=status,
                percent=percent,
            )
        return action

    def get(self, action_id: int) -> Action:
        with transaction(self.engine, write=False) as session:
            action = session.get(Action, action_id)
            assert action is not None
            return action

    def rows(self, table: type[object]) -> int:
        """How many rows ``table`` holds."""
        with transaction(self.engine, write=False) as session:
            return int(session.exec(select(func.count()).select_from(table)).one())

    def review_titles(self) -> list[str]:
        """The titles of the reviews held, sorted."""
        with transaction(self.engine, write=False) as session:
            return sorted(session.exec(select(Review.title)).all())

    def updates(self, action_id: int) -> list[ActionUpdate]:
        with transaction(self.engine, write=False) as session:
            query = select(ActionUpdate).where(ActionUpdate.action_id == action_id).order_by(ActionUpdate.id)
            return list(session.exec(query))


@dataclass
class Chat:
    """Talks to the core as a chat user: ``chat.ask(person, "mine")`` returns the reply."""

    core: Core

    def ask(
        self,
        who: Person | Actor,
        text: str,
        *,
        channel: str | None = "C-GENERAL",
        request_key: str | None = None,
        surface: Surface = Surface.SLACK,
    ) -> Reply:
        actor = who if isinstance(who, Actor) else Actor(platform="console", user_id=str(who.id))
        conversation = ConversationRef(platform=actor.platform, key=channel) if channel else None
        return self.core.handle(
            Request(actor=actor, text=text, surface=surface, conversation=conversation, request_key=request_key)
        )

    def text(self, who: Person | Actor, text: str, **kwargs: object) -> str:
        """The reply as the console shows it."""
        return render(self.ask(who, text, **kwargs)).text  # type: ignore[arg-type]

    def submit(self, who: Person, action_id: int, **values: str) -> Reply:
        actor = Actor(platform="console", user_id=str(who.id))
        return self.core.submit_form(FormSubmission(actor=actor, action_id=action_id, values=values))

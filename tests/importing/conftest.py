"""Fixtures for the import tests: run an import into the test's real database and read back what it stored."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlmodel import SQLModel, col, select

from bot.clock import FixedClock
from bot.importing.importer import ImportOptions, ImportReport, import_file
from bot.settings import Settings
from bot.unit_of_work import UnitOfWork
from store.actions import owners_of
from store.models import Action, ActionUpdate, Group, Person, Recommendation, Review
from store.session import transaction

Importer = Callable[..., ImportReport]


@pytest.fixture
def run_import(engine: Engine, clock: FixedClock, settings: Settings) -> Importer:
    """``run_import(path, review=…, dry_run=…)``: one import, as ``actionbot import`` runs it."""

    def run(path: Path, **options: object) -> ImportReport:
        return import_file(UnitOfWork(engine, clock, settings), path, ImportOptions(**options))  # type: ignore[arg-type]

    return run


@dataclass
class Stored:
    """What the database holds, read back the way a test wants to look at it."""

    engine: Engine

    def actions(self, review: str | None = None) -> list[Action]:
        with transaction(self.engine, write=False) as session:
            query = (
                select(Action)
                .join(Recommendation, col(Recommendation.id) == Action.recommendation_id)
                .join(Review, col(Review.id) == Action.review_id)
                .order_by(col(Review.id), col(Recommendation.position), col(Action.position), col(Action.id))
            )
            if review is not None:
                query = query.where(Review.title == review)
            return list(session.exec(query))

    def action(self, text: str) -> Action:
        found = [a for a in self.actions() if a.text == text]
        assert len(found) == 1, f"{len(found)} actions called {text!r}: {[a.text for a in self.actions()]}"
        return found[0]

    def recommendations(self, review: str | None = None) -> list[Recommendation]:
        with transaction(self.engine, write=False) as session:
            query = select(Recommendation).join(Review, col(Review.id) == Recommendation.review_id)
            if review is not None:
                query = query.where(Review.title == review)
            return list(session.exec(query.order_by(col(Recommendation.position))))

    def recommendation_of(self, action: Action) -> Recommendation:
        with transaction(self.engine, write=False) as session:
            rec = session.get(Recommendation, action.recommendation_id)
            assert rec is not None
            return rec

    def owners(self, action: Action) -> list[str]:
        with transaction(self.engine, write=False) as session:
            return [owner.name for owner in owners_of(session, [action.id or 0]).get(action.id or 0, [])]

    def updates(self, action: Action) -> list[ActionUpdate]:
        with transaction(self.engine, write=False) as session:
            query = select(ActionUpdate).where(ActionUpdate.action_id == action.id).order_by(col(ActionUpdate.id))
            return list(session.exec(query))

    def reviews(self) -> list[Review]:
        with transaction(self.engine, write=False) as session:
            return list(session.exec(select(Review).order_by(col(Review.id))))

    def people(self) -> list[str]:
        with transaction(self.engine, write=False) as session:
            return sorted(session.exec(select(Person.name)))

    def groups(self) -> list[str]:
        with transaction(self.engine, write=False) as session:
            return sorted(session.exec(select(Group.name)))

    def row_counts(self) -> dict[str, int]:
        """Rows in every table: to prove that a failed import or a dry run wrote nothing."""
        with transaction(self.engine, write=False) as session:
            return {
                table.name: int(session.exec(select(func.count()).select_from(table)).one())
                for table in SQLModel.metadata.sorted_tables
            }


@pytest.fixture
def stored(engine: Engine) -> Stored:
    return Stored(engine)

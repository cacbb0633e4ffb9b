"""One unit of work for every caller: a chat request, a clock job, an import, a CLI command.

``UnitOfWork(engine, clock, settings).run(work, writes=...)`` opens one transaction, hands ``work`` a
:class:`Context` (the session, "now" from the injected clock, "today" in the council's time zone, the
settings), commits when ``work`` returns and rolls back when it raises (or always, for a dry run).
It owns the three things every caller needs and none should copy:

- **the transaction**: SQLite write transactions begin IMMEDIATE, read-only ones DEFERRED;
- **the retry**: a write that loses an optimistic-concurrency race (``StaleDataError``) or a
  uniqueness race (``IntegrityError``) is run again from a fresh read, a few times, with a short
  random backoff, so two updates racing on one action are both kept;
- **the error mapping**: a refusal the user can fix (:class:`~bot.errors.UserError`) passes through
  untouched; a lost race that keeps losing becomes :class:`~bot.errors.Conflict`; a database that does
  not answer becomes :class:`~bot.errors.DatabaseUnavailable`, anything else
  :class:`~bot.errors.Unexpected`; both of those are logged once here with a short reference that the
  caller shows to the user, and nothing is half-written. An outage is not a bug: it is one WARNING line
  saying why, without a traceback; :class:`Unexpected` is logged with its traceback.

A connection that dies under a read (a database restart, a failover, an idle timeout the pool's pre-ping
did not catch) is replaced and the read run once more before the database is called unavailable. A write
is never repeated that way: its transaction was rolled back, and the caller's answer says to try again.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from bot.clock import Clock, today
from bot.errors import Conflict, DatabaseUnavailable, Unexpected, UserError
from bot.settings import Settings
from store import actions, reviews
from store.db import read_only
from store.models import Action, Review
from store.session import transaction

log = logging.getLogger("actionbot.work")

T = TypeVar("T")
ATTEMPTS = 5
CONFLICT_BACKOFF_SECONDS = 0.02
# What a database that cannot be reached raises: refused or dropped connections, a dead server, a full pool;
# and any driver error on a connection the pool then threw away (``connection_invalidated``).
UNREACHABLE = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)


@dataclass(kw_only=True)
class Context:
    """What work done in one transaction gets: the session, "now", "today" and the settings.

    ``now`` is the injected clock's time when the attempt began (UTC); ``today`` is that moment's date
    in the council's time zone. ``writes`` says whether the transaction may write.
    """

    session: Session
    now: datetime
    today: date
    settings: Settings
    writes: bool = False

    @property
    def zone(self) -> ZoneInfo:
        return self.settings.zone

    def action(self, action_id: int) -> Action:
        """The action, locked for the rest of the transaction when this work writes (PostgreSQL row lock;
        SQLite's write transactions are already exclusive), so concurrent updates queue instead of racing."""
        action = actions.get_action(self.session, action_id, for_update=self.writes)
        if action is None:
            raise UserError(f"There is no action #{action_id}. `mine` lists yours; `reviews` lists the plans.")
        return action

    def review(self, text: str) -> Review:
        """The one review ``text`` names; an error lists the choices when it names none or several."""
        found = reviews.find_reviews(self.session, text)
        if len(found) == 1:
            return found[0]
        if not found:
            titles = ", ".join(f"'{r.title}'" for r in reviews.all_reviews(self.session)[:5]) or "none yet"
            raise UserError(f"No review matches '{text}'. Reviews: {titles}.")
        titles = ", ".join(f"'{r.title}'" for r in found[:5])
        raise UserError(f"'{text}' matches {len(found)} reviews: {titles}. Give more of the title.")


class _DryRun(Exception):
    """Ends a dry run's transaction (rolling it back) and carries the work's result out."""

    def __init__(self, result: object) -> None:
        super().__init__("dry run")
        self.result = result


class UnitOfWork:
    """Runs work in one transaction with the injected clock; see the module's docstring."""

    def __init__(self, engine: Engine, clock: Clock, settings: Settings) -> None:
        self.engine = engine
        self.reader = read_only(engine)  # made once: a new one for every read costs more than some reads
        self.clock = clock
        self.settings = settings

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return today(self.clock, self.settings.zone)

    def run(self, work: Callable[[Context], T], *, writes: bool = True, dry_run: bool = False) -> T:
        """Run ``work`` in one transaction and return its result; commit it unless ``dry_run`` (or it raised).

        Raises :class:`UserError` (the work's own refusals, and :class:`Conflict`),
        :class:`DatabaseUnavailable` or :class:`Unexpected`; never a raw database exception.
        """
        read_retried = False
        try:
            for attempt in range(1, ATTEMPTS + 1):
                try:
                    return self._attempt(work, writes=writes, dry_run=dry_run)
                except (StaleDataError, IntegrityError) as exc:
                    log.info("write conflict on attempt %d: %s", attempt, type(exc).__name__)
                    time.sleep(random.uniform(0, CONFLICT_BACKOFF_SECONDS * attempt))
                except DBAPIError as exc:
                    if writes or read_retried or not _connection_lost(exc):
                        raise
                    read_retried = True
                    log.info("a database connection was lost during a read; reading again on a new one")
            raise Conflict("Someone else was changing that action at the same moment. Try again.")
        except UserError:
            raise
        except Exception as exc:
            reference = _reference()
            if isinstance(exc, UNREACHABLE) or _connection_lost(exc):
                log.warning(
                    "database unavailable (ref %s): %s", reference, _why(exc),
                    extra={"ref": reference, "outcome": "unavailable"},
                )
                raise DatabaseUnavailable(reference) from None
            log.exception("unexpected error (ref %s)", reference)
            raise Unexpected(reference) from None

    def _attempt(self, work: Callable[[Context], T], *, writes: bool, dry_run: bool) -> T:
        try:
            with transaction(self.engine if writes else self.reader, write=writes) as session:
                result = work(self._context(session, writes))
                if dry_run:
                    raise _DryRun(result)
                return result
        except _DryRun as rolled_back:
            return cast(T, rolled_back.result)

    def _context(self, session: Session, writes: bool) -> Context:
        now = self.clock.now()
        return Context(
            session=session,
            now=now,
            today=now.astimezone(self.settings.zone).date(),
            settings=self.settings,
            writes=writes,
        )


def _reference() -> str:
    return uuid.uuid4().hex[:8]


def _connection_lost(exc: Exception) -> bool:
    """Whether the pool threw the connection away (so a fresh one may work)."""
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def _why(exc: Exception) -> str:
    """The driver's first line about the failure (``Connection refused``, ``unable to open database file``)."""
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    lines = str(cause).strip().splitlines() or [""]
    return f"{type(cause).__name__}: {lines[0][:200]}"

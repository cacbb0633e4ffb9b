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

Work run on a thread that must not wait (an event loop's) goes inside :func:`without_waiting`: on a database in
this process (SQLite, whose work is this process's CPU wherever it runs) it is done there and then, sparing the
hand-over to a worker thread and back; where it would wait (SQLite's lock held by another writer, a lost race to
run again after a pause, or a database in another process, reached over the network) it raises
:class:`WouldWait` instead, nothing of it kept, for the caller to run it again in a worker thread. Once a write of
that work has been committed, nothing more of it is refused (it would be done twice): it waits if it must.

A connection that dies under a read (a database restart, a failover, an idle timeout the pool's pre-ping
did not catch) is replaced and the read run once more before the database is called unavailable. A write
is never repeated that way: its transaction was rolled back, and the caller's answer says to try again.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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
from store.db import in_process, read_only
from store.models import Action, Review
from store.session import transaction
from store.writers import WouldWait as WouldWait
from store.writers import without_waiting as no_waiting_engine

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


@dataclass
class _Promptly:
    """The state of work run :func:`without_waiting`: whether it has committed a write yet."""

    wrote: bool = False


_PROMPTLY: ContextVar[_Promptly | None] = ContextVar("actionbot_without_waiting", default=None)


@contextmanager
def without_waiting() -> Iterator[None]:
    """Units of work run inside may raise :class:`WouldWait` rather than wait, until one has committed a write."""
    token = _PROMPTLY.set(_Promptly())
    try:
        yield
    finally:
        _PROMPTLY.reset(token)


def must_not_wait() -> bool:
    """Whether the work now running was asked not to wait and can still be refused (it has written nothing)."""
    state = _PROMPTLY.get()
    return state is not None and not state.wrote


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
        self.in_process = in_process(engine)
        self.prompt_writer = no_waiting_engine(engine)
        self.clock = clock
        self.settings = settings

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return today(self.clock, self.settings.zone)

    def run(self, work: Callable[[Context], T], *, writes: bool = True, dry_run: bool = False) -> T:
        """Run ``work`` in one transaction and return its result; commit it unless ``dry_run`` (or it raised).

        Raises :class:`UserError` (the work's own refusals, and :class:`Conflict`),
        :class:`DatabaseUnavailable` or :class:`Unexpected`; never a raw database exception; and, inside
        :func:`without_waiting`, :class:`WouldWait`.
        """
        promptly = _PROMPTLY.get()
        refusable = promptly is not None and not promptly.wrote
        if refusable and not self.in_process:
            raise WouldWait("the database is in another process")
        read_retried = False
        try:
            for attempt in range(1, ATTEMPTS + 1):
                try:
                    result = self._attempt(work, writes=writes, dry_run=dry_run, refusable=refusable)
                    if promptly is not None and writes and not dry_run:
                        promptly.wrote = True
                    return result
                except (StaleDataError, IntegrityError) as exc:
                    if refusable:
                        raise WouldWait(f"a write conflict ({type(exc).__name__}) to try again after a pause") from None
                    log.info("write conflict on attempt %d: %s", attempt, type(exc).__name__)
                    time.sleep(random.uniform(0, CONFLICT_BACKOFF_SECONDS * attempt))
                except DBAPIError as exc:
                    if writes or read_retried or not _connection_lost(exc):
                        raise
                    read_retried = True
                    log.info("a database connection was lost during a read; reading again on a new one")
            raise Conflict("Someone else was changing that action at the same moment. Try again.")
        except (UserError, WouldWait):
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

    def _attempt(self, work: Callable[[Context], T], *, writes: bool, dry_run: bool, refusable: bool = False) -> T:
        engine = (self.prompt_writer if refusable else self.engine) if writes else self.reader
        try:
            with transaction(engine, write=writes) as session:
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

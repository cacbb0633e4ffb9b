"""Who is asking, decided the same way on every chat surface.

The core finds the person behind a chat user itself, once per request, inside the request's own
transaction, and never caches it: a ``link`` (or an unlink on the server) counts from the very next
message. When the core answers that nobody in the plan is linked to the user (a reply marked
``not_linked``), :class:`Identities` asks the platform for the user's profile (Slack ``users.info``,
the Teams member lookup) and asks the core once more with their email, which links the person with that
email on first sight. Profiles are the only thing remembered, by one policy: :data:`PROFILE_SECONDS`
for an answer, :data:`MISS_SECONDS` for a lookup that failed (it may have been a passing outage).

The core is asked on the event loop's own thread first, not to wait (:func:`bot.unit_of_work.without_waiting`):
on SQLite a quick answer is the same CPU there as in a worker thread, without the hand-over to the thread and
back and the threads taking turns for the interpreter (a third of a press's CPU at 8 in flight,
``bench/serve_load.py``, 30 Nov). What would wait (SQLite's lock held by another writer, an export, PostgreSQL
over the network) says so before doing anything, and is asked again in a worker thread.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from bot.replies import Reply
from bot.requests import Actor
from bot.unit_of_work import WouldWait, without_waiting

PROFILE_SECONDS = 300.0
MISS_SECONDS = 60.0
MAX_REMEMBERED = 10_000

V = TypeVar("V")


@dataclass(frozen=True)
class Profile:
    """What a platform says about one of its users: the email the core may link them by, and a name."""

    email: str | None
    name: str | None = None


class TtlCache(Generic[V]):
    """A bounded map whose entries expire a given number of seconds after they were stored."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, size: int = MAX_REMEMBERED) -> None:
        self.clock, self.size = clock, size
        self._entries: OrderedDict[str, tuple[float, V]] = OrderedDict()

    def get(self, key: str) -> tuple[V] | None:
        """``(value,)`` while the entry lives (so a remembered ``None`` is told from nothing remembered)."""
        entry = self._entries.get(key)
        if entry is None or entry[0] <= self.clock():
            self._entries.pop(key, None)
            return None
        return (entry[1],)

    def put(self, key: str, value: V, ttl: float) -> None:
        self._entries[key] = (self.clock() + ttl, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)


LookUp = Callable[[], Awaitable[Profile | None]]


class Identities:
    """Runs a chat request as the right actor: the core's one lookup, and a profile only for strangers."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        ttl: float = PROFILE_SECONDS,
        miss_ttl: float = MISS_SECONDS,
    ) -> None:
        self.ttl, self.miss_ttl = ttl, miss_ttl
        self._profiles: TtlCache[Profile | None] = TtlCache(clock)

    async def serve(
        self, actor: Actor, answer: Callable[[Actor], Reply], look_up: LookUp | None
    ) -> tuple[Actor, Reply]:
        """The core's ``answer`` for ``actor`` (at once, or in a worker thread), and the actor it was given.

        ``look_up`` fetches the platform's profile of the user (``None``: the platform cannot be asked);
        it is called only when the core does not know the user and no profile is remembered."""
        remembered = self._profiles.get(actor.user_id)
        if remembered is not None and remembered[0] is not None and remembered[0].email:
            actor = _with(actor, remembered[0])
        reply = await _asked(answer, actor)
        if not reply.not_linked or actor.email or remembered is not None or look_up is None:
            return actor, reply
        profile = await look_up()
        self._profiles.put(actor.user_id, profile, self.ttl if profile else self.miss_ttl)
        if profile is None or not profile.email:
            return actor, reply
        actor = _with(actor, profile)
        return actor, await _asked(answer, actor)


async def _asked(answer: Callable[[Actor], Reply], actor: Actor) -> Reply:
    """The core's answer: at once if it can be given without waiting, else from a worker thread."""
    try:
        with without_waiting():
            return answer(actor)
    except WouldWait:
        return await asyncio.to_thread(answer, actor)


def _with(actor: Actor, profile: Profile) -> Actor:
    return replace(actor, email=profile.email, display_name=actor.display_name or profile.name)

"""Many small database steps as one transaction: what lets the drain keep up with hundreds of targets.

Each target's worker asks for one thing at a time (prepare this row, mark that one sent) and waits for the
answer; a :class:`Batcher` gathers what all the workers asked while its last transaction ran and does it all in
the next one (in a thread: the database is synchronous). Nothing is held back waiting for company: a lone
request goes at once, and under load a transaction serves every target that asked meanwhile. Since a worker
waits for its own answer, a target never has more than one message sent and not yet marked.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class Batcher(Generic[Item, Result]):
    """Runs ``work(items)`` (one transaction, in a thread) for everything submitted while the last run ran.

    ``work`` returns one result per item, in order; if it raises, every waiting submitter gets the exception.
    """

    def __init__(self, work: Callable[[Sequence[Item]], Sequence[Result]], *, most: int = 500) -> None:
        self._work = work
        self._most = most
        self._waiting: list[tuple[Item, asyncio.Future[Result]]] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def submit(self, item: Item) -> Result:
        """Do ``item`` in the next transaction and return its result."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        self._wake.set()
        return await future

    async def close(self) -> None:
        """Stop once nothing is waiting (what was submitted is done first)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        for _, future in self._waiting:  # submitted after the last run began: none in practice
            if not future.done():
                future.set_exception(RuntimeError("the drain stopped before this was done"))
        self._waiting.clear()

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._waiting:
                taken, self._waiting = self._waiting[: self._most], self._waiting[self._most :]
                try:
                    results = await asyncio.shield(asyncio.to_thread(self._work, [item for item, _ in taken]))
                except asyncio.CancelledError:
                    # Closing: the transaction (in its thread) finishes regardless; its callers learn nothing more.
                    for _, future in taken:
                        if not future.done():
                            future.set_exception(RuntimeError("the drain stopped while this was being done"))
                    raise
                except Exception as exc:
                    for _, future in taken:
                        if not future.done():
                            future.set_exception(exc)
                    continue
                for (_, future), result in zip(taken, results, strict=True):
                    if not future.done():
                        future.set_result(result)

"""Work that goes on after Slack has been answered: updating a pressed message, opening a form.

Slack wants an answer within 3 seconds, so listeners acknowledge first and hand the rest to
:class:`Background`. It keeps a reference to every task (asyncio only keeps weak ones), logs
failures with a reference instead of losing them, and lets shutdown (and tests) wait until the
work in flight is finished.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger("actionbot.slack")


class Background:
    """A set of running tasks that can be waited for."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, work: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
        task = asyncio.create_task(work, name=f"actionbot-slack-{name}")
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            reference = uuid.uuid4().hex[:8]
            log.error("Slack work %s failed (ref %s)", task.get_name(), reference, exc_info=error)

    @property
    def pending(self) -> int:
        return len(self._tasks)

    async def drain(self, timeout: float = 10.0) -> None:
        """Wait for every task, including tasks started while waiting; cancel what is left at ``timeout``."""
        deadline = asyncio.get_running_loop().time() + timeout
        while self._tasks:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                for task in list(self._tasks):
                    task.cancel()
                await asyncio.gather(*self._tasks, return_exceptions=True)
                return
            await asyncio.wait(set(self._tasks), timeout=remaining)

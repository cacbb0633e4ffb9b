"""The clock's part in plans sent in chat: files nobody pressed Import or Cancel on go after 24 hours.

Sending a file and pressing a button purge expired files too; this job makes "at most 24 hours" hold even
when nobody uses the bot for days. It writes nothing to the outbox: its count is the files deleted.
"""

from __future__ import annotations

from bot.unit_of_work import Context
from store import pending_files


def purge_expired_files(context: Context, reach: frozenset[str]) -> int:
    """Delete the pending files past their 24 hours (the platforms reached do not matter)."""
    return pending_files.purge_expired(context.session, context.now)

"""The core of loading a plan by sending it: who may, the dry run, the file kept, and the one real import.

An adapter asks :meth:`AdminImports.may_import` before it downloads anything: only admins may import, and
only a file of a type the importer reads and of at most 10 MB; anyone else is told so and nothing is
downloaded. The downloaded bytes go to :meth:`AdminImports.preview`: the same dry run as ``actionbot import
--dry-run``, then the file is kept in ``pending_file`` (the database, which every web process shares) for
24 hours, and the answer carries **Import** and **Cancel**. A press of either reaches the core as any button
does (``import-file 12``) and comes to :meth:`AdminImports.press`: Import runs the real import of the stored
bytes once, in the same transaction that marks the file imported (a second press, in any process, finds it
done); Cancel discards it. The audit is the importer's own, as from the CLI. Nothing is half-written.
"""

from __future__ import annotations

import logging
import re
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.admin_files import summary
from bot.admin_files.incoming import Refused, check, title_from
from bot.domain import Role
from bot.errors import DatabaseUnavailable, Failure, NotAllowed, NotLinked, UserError
from bot.permissions import is_admin
from bot.replies import ButtonIntent, Reply, Tone
from bot.requests import Actor
from bot.services import people, welcome
from bot.unit_of_work import Context, UnitOfWork
from store import pending_files
from store.models import Person
from store.pending_files import IMPORTED, PendingFile
from store.people import people_with_role

if TYPE_CHECKING:  # the importer itself is loaded when a plan is sent: a web process that is sent none never loads it
    from bot.importing.model import PlannedImport
    from bot.importing.report import ImportReport

log = logging.getLogger("actionbot.files")

KEEP_FOR = timedelta(hours=24)
_PRESS = re.compile(r"^(import|cancel)-file ([0-9]{1,9})$")


@dataclass(frozen=True)
class SentFile:
    """A file as an adapter received it: who sent it, where from, its bytes, name and the message's text."""

    actor: Actor
    key: str  # the delivery: the same message delivered twice has the same key
    name: str
    data: bytes
    text: str | None = None


def typed_import(text: str) -> bool:
    """``import …`` typed as a command (``/actions import Corporate Peer Challenge``): a file cannot come that way."""
    words = text.split(maxsplit=2)
    if len(words) > 1 and words[0].startswith("/"):  # the slash command itself, as a console user types it
        words = words[1:]
    return bool(words) and words[0].lower().lstrip("/") == "import"


def file_press(text: str) -> tuple[ButtonIntent, int] | None:
    """``import-file 12`` (the command of an Import button) → ``(IMPORT_FILE, 12)``; ``None`` for anything else."""
    match = _PRESS.match(text.strip())
    if match is None:
        return None
    return (ButtonIntent.IMPORT_FILE if match[1] == "import" else ButtonIntent.CANCEL_FILE), int(match[2])


class AdminImports:
    """Plans sent in chat, from the question "may this person import?" to the import itself."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    # Before the download -------------------------------------------------------------------

    def may_import(self, actor: Actor, name: str, size: int | None = None) -> Reply | None:
        """``None``: download the file; otherwise what to tell the sender (download nothing)."""
        return self._answer(lambda: self._may(actor, name, size))

    def _may(self, actor: Actor, name: str, size: int | None) -> None:
        self._admin(actor)
        check(name, size)

    # The dry run -----------------------------------------------------------------------------

    def preview(self, sent: SentFile) -> Reply | None:
        """The dry run of a downloaded file, kept for Import; ``None`` when this delivery was already answered."""
        return self._answer(lambda: self._preview(sent))

    def _preview(self, sent: SentFile) -> Reply | None:
        from bot.importing.upsert import apply_plan

        person = self._admin(sent.actor)
        name = check(sent.name, len(sent.data))
        title = title_from(sent.text)
        planned = _read(sent.data, name, title.text)
        if self.uow.run(lambda context: pending_files.by_key(context.session, sent.key), writes=False) is not None:
            log.info("file %s from %s seen before: not answered again", sent.key[:80], sent.actor.user_id)
            return None

        def dry_run(context: Context) -> ImportReport:
            report = apply_plan(context.session, planned, now=context.now)
            report.dry_run = True
            return report

        report = self.uow.run(dry_run, dry_run=True)

        def keep(context: Context) -> PendingFile | None:
            pending_files.purge_expired(context.session, context.now)
            if pending_files.by_key(context.session, sent.key) is not None:
                return None
            row = PendingFile(
                key=sent.key[:200], person_id=person.id or 0, surface=sent.actor.platform, file_name=name,
                title=title.text, reviews=report.reviews, content=sent.data, size=len(sent.data),
                created_at=context.now, expires_at=context.now + KEEP_FOR,
            )  # fmt: skip
            context.session.add(row)
            context.session.flush()
            return row

        row = self.uow.run(keep)
        if row is None:
            return None
        log.info("file dry run: %s by %s, pending %s", name, sent.actor.user_id, row.id)
        return summary.preview(report, name, title, row.id or 0, row.expires_at, self.uow.settings.zone)

    # The buttons -----------------------------------------------------------------------------

    def press(self, actor: Actor, intent: ButtonIntent, pending_id: int) -> Reply:
        """Import or Cancel pressed on a dry run."""
        reply = self._answer(lambda: self._press(actor, intent, pending_id))
        assert reply is not None
        log.info("file %s of pending %s by %s: %s", intent.value, pending_id, actor.user_id, reply.tone.value)
        return reply

    def _press(self, actor: Actor, intent: ButtonIntent, pending_id: int) -> Reply:
        from bot.importing.upsert import apply_plan

        person = self._admin(actor)

        def look(context: Context) -> tuple[PendingFile | None, bool]:
            row = pending_files.get(context.session, pending_id)
            expired = row is not None and row.expires_at <= context.now
            if row is not None:
                context.session.expunge(row)
            pending_files.purge_expired(context.session, context.now)  # this one too, when it has expired
            return row, expired

        row, expired = self.uow.run(look)
        if expired:
            raise Refused(summary.EXPIRED)
        if row is None:
            raise Refused(summary.GONE)
        if row.state == IMPORTED:
            return Reply.text(summary.ALREADY.format(name=row.file_name), tone=Tone.INFO)
        if intent is ButtonIntent.CANCEL_FILE:
            self.uow.run(lambda context: pending_files.discard(context.session, pending_id))
            return summary.cancelled(row.file_name)
        planned = _read(row.content or b"", row.file_name, row.title)

        def run(context: Context) -> ImportReport | None:
            if not pending_files.claim(context.session, pending_id):
                return None
            return apply_plan(context.session, planned, now=context.now)

        report = self.uow.run(run)
        if report is None:
            return Reply.text(summary.ALREADY.format(name=row.file_name), tone=Tone.INFO)
        return summary.imported(report, row.file_name, person.name)

    # Shared ---------------------------------------------------------------------------------

    def _admin(self, actor: Actor) -> Person:
        """The asker, if an admin: found as the core finds anyone (linked now by email on first sight)."""
        by_email = people.may_link_by_email(actor)
        find = people.resolve if by_email else people.find
        person = self.uow.run(lambda context: find(context.session, actor), writes=by_email)
        if person is None:
            raise NotLinked("not linked")
        if not is_admin(person):
            admins = self.uow.run(lambda context: people_with_role(context.session, Role.ADMIN), writes=False)
            names = ", ".join(admin.name for admin in admins) or "an admin"
            raise NotAllowed(f"Only admins can import a plan. Send it to {names}, who can.")
        return person

    def _answer(self, work: Callable[[], Reply | None]) -> Reply | None:
        try:
            return work()
        except NotLinked:  # the welcome, as the core gives it: who the admins are (an adapter may look them up)
            return self._answer(lambda: self.uow.run(lambda context: welcome.not_linked(context.session)))
        except DatabaseUnavailable as exc:
            return Reply.unavailable(str(exc))
        except (UserError, Failure) as exc:
            return Reply.error(str(exc))


def _read(data: bytes, name: str, title: str | None) -> PlannedImport:
    """The plan in ``data`` (written under its own name in a private temporary folder, then read);
    :class:`Refused` in one line when it cannot be imported."""
    from bot.importing.importer import ImportFailed, read

    with tempfile.TemporaryDirectory(prefix="actionbot-file-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            return read(path, title)
        except ImportFailed as failed:
            raise Refused(summary.not_imported(name, [str(problem) for problem in failed.problems])) from None
        except Exception:  # a reader's bug: the sender still gets an answer, the log its traceback
            ref = uuid.uuid4().hex[:12]
            log.exception("reading %s sent in chat failed (ref %s)", name, ref)
            raise Refused(summary.not_imported(name, [f"it could not be read (ref {ref})"])) from None

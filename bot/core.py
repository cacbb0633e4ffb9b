"""The entry point every chat surface calls: :class:`Core` turns a request into a reply.

One registry (:mod:`bot.registry`) maps each command to its handler and says whether it writes. For each request the
core parses the text, and inside one unit of work (:mod:`bot.unit_of_work`: the transaction, the
retry of a lost optimistic-concurrency race, the error mapping) finds the person behind the chat
user, checks permissions and runs the handler. Every refusal and failure becomes a short private
answer; nothing is half-applied.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from sqlalchemy import Engine

from bot import permissions, redraw
from bot.admin_files.service import AdminImports, file_press, typed_import
from bot.admin_files.summary import HOW_TO_SEND
from bot.clock import Clock, SystemClock, today
from bot.commands import Command, CommandName, ParseError
from bot.errors import DatabaseUnavailable, Failure, NotLinked, UserError
from bot.grammar import parse
from bot.permissions import Rule
from bot.registry import REGISTRY
from bot.replies import FileRequest, Reply, Tone, View
from bot.requests import FormSubmission, Request
from bot.services import changes, export_chat, people, welcome
from bot.services.turn import Turn
from bot.settings import Settings
from bot.unit_of_work import Context, UnitOfWork, WouldWait, must_not_wait

log = logging.getLogger("actionbot.core")

Then = Callable[[Turn, Reply], Reply]  # what to make of an answer, in the same unit of work
# A line's reading depends on nothing but its text and the day it is read on (bot.grammar is pure; a Command is
# frozen): the same short lines (`mine`, `overdue`, a button's `done 42`, the list a press draws again) come all
# day, each read once a day rather than at every request (10-30 µs each). Longer lines (notes) are read each time.
MEMO_LINES, MEMO_LENGTH = 1024, 100
_memo = functools.lru_cache(maxsize=MEMO_LINES)(parse)


def read(text: str, day: date) -> Command:
    """:func:`bot.grammar.parse` of ``text`` on ``day`` (a :class:`ParseError` is raised afresh each time)."""
    return _memo(text, day) if len(text) <= MEMO_LENGTH else parse(text, day)


class Core:
    """The platform-neutral bot: ``handle`` a typed command or button, ``submit_form`` an Update… form."""

    def __init__(self, engine: Engine, settings: Settings, clock: Clock | None = None) -> None:
        self.engine = engine
        self.settings = settings
        self.clock = clock or SystemClock()
        self.uow = UnitOfWork(engine, self.clock, settings)
        self.imports = AdminImports(self.uow)  # plans sent in chat (bot.admin_files)

    def handle(self, request: Request) -> Reply:
        """Answer one request. Never raises: every failure becomes a short private reply; inside
        :func:`~bot.unit_of_work.without_waiting`, :class:`~bot.unit_of_work.WouldWait` before anything is done
        when it cannot be answered without waiting (run it again where it may wait)."""
        self._may_start()
        return self._answer(request)

    def _may_start(self, quick: bool = True) -> None:
        """:class:`WouldWait` for work asked not to wait that is not quick, or whose database is reached over the
        network (the unit of work would refuse it too, after the parsing)."""
        if must_not_wait() and not (quick and self.uow.in_process):
            raise WouldWait("a database in another process" if quick else "not quick enough")

    def _answer(self, request: Request, then: Then | None = None) -> Reply:
        """:meth:`handle`, with ``then`` making the final answer of the handler's in its unit of work."""
        started = time.perf_counter()
        if request.from_button and (pressed := file_press(request.text)) is not None:
            self._may_start(quick=False)  # a plan imported at the press
            return self.imports.press(request.actor, *pressed)  # Import / Cancel under a plan's dry run
        if typed_import(request.text):  # "/actions import <title>" typed without a file: say how to send one
            return Reply.text(HOW_TO_SEND)
        try:
            command = read(request.text, today(self.clock, self.settings.zone))
        except ParseError as exc:
            self._log(request, "parse-error", started)
            return Reply.error(str(exc))
        handler = REGISTRY[command.name]
        self._may_start(handler.quick)

        def run(turn: Turn) -> Reply:
            self._authorise(turn, command)
            if command.changes_action and (seen := self._seen(turn)) is not None:
                reply = seen
            else:
                reply = handler.run(command, turn)
            return then(turn, reply) if then is not None else reply

        reply = self._in_unit_of_work(request, run, writes=handler.writes, needs_person=command.name != "help")
        self._log(request, command.name.value, started, reply)
        return reply if handler.writes else redraw.view_of(reply, request.text)

    def press(self, request: Request, view: View | None = None) -> Reply:
        """A button pressed on a list: the press's answer shown in the list drawn again (:mod:`bot.redraw`).

        Without a view, or when the press changed nothing it can show (a refusal, a welcome), the answer alone;
        Update…'s form comes with the view, so that saving it draws the list again the same way. The change and
        the list drawn again are one unit of work: one lookup of who is asking, and presses on one action
        answered in turn (the list a press draws includes every press before it)."""
        self._may_start()
        if view is None or file_press(request.text) is not None:
            return self.redraw(request, view, self.handle(request))
        return self._answer(request, lambda turn, outcome: self._drawn_again(turn, view, outcome))

    def redraw(self, request: Request, view: View | None, outcome: Reply) -> Reply:
        """``outcome`` (of a press, or of a form opened from a list and saved) shown in the list ``view`` describes;
        a form (opened from the list, or sent back with its errors) remembers the list, to draw it again once saved."""
        if view is None:
            return outcome
        if (alone := _alone(view, outcome)) is not None:
            return alone
        again = replace(request, request_key=None, from_button=False)
        listing = self._listing(again, view)
        if listing is None or listing.tone is Tone.ERROR or listing.not_linked:
            return outcome
        gone = redraw.gone(view, listing, outcome)
        kept = self._in_unit_of_work(again, lambda turn: redraw.kept(gone, turn), writes=False,
                                     needs_person=True) if gone else None
        return redraw.around(listing, outcome, view, kept.items if kept and kept.tone is not Tone.ERROR else [])

    def submit_form(self, submission: FormSubmission) -> Reply:
        """Validate and apply an Update… form; a refused one comes back with the errors on its fields."""
        self._may_start()
        started = time.perf_counter()
        request = submission.request()
        command = Command(CommandName.UPDATE, action_id=submission.action_id)

        def run(turn: Turn) -> Reply:
            self._authorise(turn, command)
            if (seen := self._seen(turn)) is not None:
                return seen
            return changes.submit_form(submission.action_id, submission.values, turn)

        reply = self._in_unit_of_work(request, run, writes=True, needs_person=True)
        self._log(request, "form", started, reply)
        return reply

    def remake(self, request: Request, wanted: FileRequest) -> Reply:
        """An earlier reply's file made again (:class:`~bot.replies.FileRequest`), for a surface that sends it
        only once the user allows it: as whoever asks now, their permission checked again."""
        self._may_start(quick=False)
        started = time.perf_counter()
        command = Command(CommandName.EXPORT, file_format=wanted.file_format)

        def run(turn: Turn) -> Reply:
            self._authorise(turn, command)
            return export_chat.remake(wanted, turn)

        reply = self._in_unit_of_work(request, run, writes=False, needs_person=True)
        self._log(request, "remake", started, reply)
        return reply

    # internals ----------------------------------------------------------------------------

    def _drawn_again(self, turn: Turn, view: View, outcome: Reply) -> Reply:
        """:meth:`redraw`, in the press's own unit of work; the list is read as the asker, after the change.
        A list that cannot be drawn (a refusal of its own) leaves the press's answer alone."""
        if (alone := _alone(view, outcome)) is not None:
            return alone
        seeing = Turn.of(turn, replace(turn.request, request_key=None, from_button=False), turn.person)
        try:
            listing = self._list_now(seeing, view)
            if listing is None or listing.tone is Tone.ERROR:
                return outcome
            gone = redraw.gone(view, listing, outcome)
            kept = redraw.kept(gone, seeing).items if gone else []
        except (UserError, NotLinked):
            return outcome
        return redraw.around(listing, outcome, view, kept)

    def _list_now(self, turn: Turn, view: View) -> Reply | None:
        """The list a view describes, as it is now, in ``turn``; ``None`` for a view that is not a read-only list."""
        if view.command is None:
            return redraw.nudge(view, turn)
        try:
            command = read(view.command, turn.today)
        except ParseError:
            return None
        if REGISTRY[command.name].writes:
            return None
        self._authorise(turn, command)
        return REGISTRY[command.name].run(command, turn)

    def _listing(self, request: Request, view: View) -> Reply | None:
        """The list a view describes, as it is now; ``None`` for a view that is not a read-only list."""
        if view.command is None:
            nudge = lambda turn: redraw.nudge(view, turn)  # noqa: E731
            return self._in_unit_of_work(request, nudge, writes=False, needs_person=True)
        try:
            command = read(view.command, today(self.clock, self.settings.zone))
        except ParseError:
            return None
        return None if REGISTRY[command.name].writes else self.handle(replace(request, text=view.command))

    def _in_unit_of_work(
        self, request: Request, run: Callable[[Turn], Reply], *, writes: bool, needs_person: bool
    ) -> Reply:
        # The one lookup of who is asking, never cached: a link or an unlink counts from the next request.
        # A user nobody is linked to may come with the email their platform has for them: the person with
        # that email is linked to them now, in this same transaction (which therefore writes).
        by_email = people.may_link_by_email(request.actor)

        def work(context: Context) -> Reply:
            find = people.resolve if by_email else people.find
            person = find(context.session, request.actor)
            if needs_person and person is None:
                raise NotLinked("not linked")
            return run(Turn.of(context, request, person))

        try:
            return self.uow.run(work, writes=writes or by_email)
        except NotLinked:
            return self._welcome()
        except DatabaseUnavailable as exc:
            return Reply.unavailable(str(exc))
        except (UserError, Failure) as exc:
            return Reply.error(str(exc))

    @staticmethod
    def _authorise(turn: Turn, command: Command) -> None:
        rule = permissions.RULES[command.name]
        if rule is Rule.ANYONE:
            return
        if turn.person is None:
            raise NotLinked("not linked")
        permissions.check_command(turn.session, turn.person, command.name)
        if rule in (Rule.EDITOR, Rule.MANAGER) and command.action_id is not None:
            action = turn.action(command.action_id)
            permissions.check_action(turn.session, turn.person, command.name, action, turn.standing(action))
            turn.may_change.add(command.action_id)  # both rules let the asker edit it (a manager may)

    def _welcome(self) -> Reply:
        """The answer to someone nobody in the plan is linked to: who the admins are, and what to ask them."""
        try:
            return self.uow.run(lambda context: welcome.not_linked(context.session), writes=False)
        except DatabaseUnavailable as exc:
            return Reply.unavailable(str(exc))
        except Failure as exc:
            return Reply.error(str(exc))

    @staticmethod
    def _seen(turn: Turn) -> Reply | None:
        """The answer to a delivery already applied (a platform retry), without applying it again."""
        if not turn.already_recorded():
            return None
        return Reply.text("Already recorded; nothing more to do.", tone=Tone.INFO)

    def _log(self, request: Request, what: str, started: float, reply: Reply | None = None) -> None:
        """One INFO line per request: where, who (their platform id), which command, how it ended, how long.
        Never the text typed: notes and reasons stay out of the log."""
        outcome = "unavailable" if reply and reply.outage else reply.tone.value if reply else "error"
        duration = round((time.perf_counter() - started) * 1000, 1)
        log.info(
            "%s %s user=%s command=%s outcome=%s %.1fms",
            request.surface.value,
            request.actor.platform,
            request.actor.user_id,
            what,
            outcome,
            duration,
            extra={
                "surface": request.surface.value,
                "platform": request.actor.platform,
                "user": request.actor.user_id,
                "command": what,
                "outcome": outcome,
                "duration_ms": duration,
            },
        )



def _alone(view: View, outcome: Reply) -> Reply | None:
    """The answer to show without the list, or ``None`` to show it in the list: a refusal, a welcome or an outage
    alone; a form (opened from the list, or sent back with its errors) carrying the list's view, so that its Save
    draws the list again."""
    if outcome.form is not None:
        return redraw.form_from(view, outcome)  # its Save draws the list again (after the form's errors too)
    if outcome.tone is Tone.ERROR or outcome.not_linked or outcome.outage:
        return outcome
    return None

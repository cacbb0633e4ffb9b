"""The Teams bot: an ``ActivityHandler`` that hands messages and card presses to the core.

* A message (1:1 chat, group chat, or a channel where the bot is @mentioned): its text, with the
  bot's mention removed and other users' mentions as ``<@AADID>``, goes to ``Core.handle``.
* A card button (``Action.Submit``): the button's command goes to ``Core.press``; the Update…
  form's Save goes to ``Core.submit_form``. The pressed card is then updated in place to show the
  action's new state, a list drawn again around it (or the form again, with its errors); errors are
  answered with a new message. Update… answers with the form as a new card; opened from a list, its
  Save carries the list's view and card, and once saved the list is drawn again in its own card, as
  after a press, while the form's card shows what was recorded.
* A reply with a file (``export``) is followed by a file consent card; the ``fileConsent/invoke`` that
  answers it is handled by :mod:`adapters.teams.consent`.
* A card's ``Action.Execute`` (an ``adaptiveCard/action`` invoke) is handled the same way, and answered
  with an invoke response: the new card (Teams replaces the pressed one), or a message. Every other
  invoke (``task/fetch``, message extensions…) gets a 200 saying the bot does not offer that, never a 5xx.
* While the database cannot be reached, a turn ends in :class:`TeamsUnavailable` and the endpoint
  answers 503, so the Bot Framework delivers the activity again later; nothing is sent or half-written.
* Installing the app in a team or chat, or any message, stores the conversation's reference for
  proactive messages; removing the app forgets it.

Only activities from Teams itself (``channelId`` ``msteams``) are served: another Bot Framework
channel (Web Chat, Direct Line) lets the client choose the sender's id. In anonymous local testing
the Bot Framework Emulator (``emulator``) is served too. The core is synchronous, so it runs in a
worker thread (``asyncio.to_thread``), never on the event loop.
"""

from __future__ import annotations

import asyncio
import logging
from http import HTTPStatus
from typing import Any

from botbuilder.core import ActivityHandler, InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes
from pydantic import ValidationError

from adapters.logs import problem, reference, refuse
from adapters.teams import consent
from adapters.teams.activities import (
    EMULATOR_CHANNEL,
    PERSONAL,
    TEAMS_CHANNEL,
    CardAction,
    StaleCard,
    button_request,
    card_action,
    card_data,
    command_text,
    conversation_type,
    form_submission,
    mentions,
    text_request,
    users_to_look_up,
)
from adapters.teams.cards import CARD_CONTENT_TYPE, fitted_card
from adapters.teams.files import TeamsFiles, files_in, show_outcome
from adapters.teams.identity import TeamsPeople
from adapters.teams.inbound import ExecuteValue
from adapters.teams.messages import card_activity, replace_card, show, summary
from adapters.teams.references import ConversationReferences
from bot.core import Core
from bot.errors import DatabaseUnavailable
from bot.replies import FILE_INTENTS, ButtonIntent, Reply, Section, Tone
from bot.requests import Actor

log = logging.getLogger("actionbot.teams")

STALE_CARD = "I can't read that card: it may be from an older version of the bot. Type the command instead."
EXECUTE = "adaptiveCard/action"
MESSAGE_TYPE = "application/vnd.microsoft.activity.message"
ERROR_TYPE = "application/vnd.microsoft.error"
NOT_OFFERED = "actionbot has no dialogs or message extensions: mention it and type `help`."


class TeamsUnavailable(Exception):
    """The turn cannot be served now (the database is away): the endpoint answers 503 so it is redelivered."""


# botbuilder-core ships no types, so ActivityHandler is Any to mypy: subclassing it is how the SDK dispatches.
class TeamsBot(ActivityHandler):  # type: ignore[misc]
    """Routes Teams activities to the core and answers with Adaptive Cards."""

    def __init__(
        self, core: Core, references: ConversationReferences, people: TeamsPeople, *, allow_emulator: bool = False
    ) -> None:
        self.core = core
        self.references = references
        self.people = people
        self.channels = {TEAMS_CHANNEL, EMULATOR_CHANNEL} if allow_emulator else {TEAMS_CHANNEL}
        self.files = TeamsFiles(core, people)  # plans sent in the 1:1 chat (adapters.teams.files)

    async def on_turn(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if activity.channel_id not in self.channels:
            refuse(log, f"an activity ({str(activity.type)[:40]})", f"channel {str(activity.channel_id)[:40]!r} is not "
                   "Teams: only Teams is served", surface="teams")
            if activity.type == ActivityTypes.invoke:  # an invoke is owed an answer: acknowledged, nothing done
                await turn_context.send_activity(
                    Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=200))
                )
            return
        await super().on_turn(turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await self.references.remember(turn_context.activity)
        if sent := files_in(turn_context.activity):  # a plan sent as a file: its dry run, with Import / Cancel
            await self.files.receive(turn_context, sent, lambda reply: self._send(turn_context, _served(reply)))
            return
        try:
            action = card_action(turn_context.activity)
        except StaleCard as exc:
            ref = refuse(log, "a Teams card press", str(exc), surface="teams")
            await self._send(turn_context, Reply.error(f"{STALE_CARD} (ref {ref})"))
            return
        if action is None:
            await self._on_text(turn_context)
        elif action.is_form:
            await self._on_form(turn_context, action)
        else:
            await self._on_button(turn_context, action)

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        bot_id = activity.recipient.id
        if any(member.id == bot_id for member in activity.members_removed or []):
            await self.references.forget(activity)
            return
        await self.references.remember(activity)
        if any(member.id == bot_id for member in activity.members_added or []):
            await self._send(turn_context, welcome(conversation_type(activity)))

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self.references.remember(turn_context.activity)

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        await self.references.forget(turn_context.activity)

    # invokes -------------------------------------------------------------------------------

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        """``Action.Execute`` like ``Action.Submit``; any other invoke: a 200 saying it is not offered."""
        name = turn_context.activity.name or ""
        if name == EXECUTE:
            return await self._on_execute(turn_context)
        if name == consent.INVOKE:  # the answer to a file consent card (`export`)
            return await consent.answer(turn_context, self.core, self.people)
        log.debug("Teams invoke %r acknowledged, not acted on", name[:100])
        if name.startswith("task/"):
            return InvokeResponse(status=200, body={"task": {"type": "message", "value": NOT_OFFERED}})
        if name.startswith("composeExtension/"):
            return InvokeResponse(status=200, body={"composeExtension": {"type": "message", "text": NOT_OFFERED}})
        return InvokeResponse(status=200)

    async def _on_execute(self, turn_context: TurnContext) -> InvokeResponse:
        try:
            execute = ExecuteValue.model_validate(turn_context.activity.value)
        except ValidationError as exc:
            ref = refuse(log, "a Teams Action.Execute", problem(exc), surface="teams")
            error = {"code": "BadRequest", "message": f"{STALE_CARD} (ref {ref})"}
            return _invoke(HTTPStatus.BAD_REQUEST, ERROR_TYPE, error)
        await self.references.remember(turn_context.activity)
        try:
            action = card_data(execute.action.data)
        except StaleCard as exc:
            ref = refuse(log, "a Teams Action.Execute", str(exc), surface="teams")
            return _invoke(HTTPStatus.OK, MESSAGE_TYPE, f"{STALE_CARD} (ref {ref})")
        if action.is_form:
            reply = await self._saved(turn_context, action)
        else:
            actor, pressed = await self._pressed(turn_context, action)
            reply = explain_not_linked(_served(pressed), actor)
        if replaces_card(reply):
            return _invoke(HTTPStatus.OK, CARD_CONTENT_TYPE, fitted_card(reply, list_card=action.card))
        await self._send(turn_context, reply)
        return _invoke(HTTPStatus.OK, MESSAGE_TYPE, summary(reply))

    # messages ------------------------------------------------------------------------------

    async def _on_text(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        found = mentions(activity)
        bot_id = activity.recipient.id
        to_look_up = users_to_look_up(found, bot_id)
        aad_ids = await self.people.aad_ids(turn_context, to_look_up) if to_look_up else {}
        unknown = sorted({m.name or m.user_id for m in found if m.user_id in to_look_up and m.user_id not in aad_ids})
        if unknown:
            await self._send(turn_context, Reply.error(_unknown_mention(unknown)))
            return
        text = command_text(activity.text or "", found, bot_id, aad_ids)
        actor, reply = await self.people.serve(
            turn_context, lambda actor: self.core.handle(text_request(activity, actor, text))
        )
        await self._send(turn_context, explain_not_linked(_served(reply), actor))
        if reply.attachment is not None:
            await consent.offer(turn_context, reply)

    async def _pressed(self, turn_context: TurnContext, action: CardAction) -> tuple[Actor, Reply]:
        """The core's answer to a card's button or form, as the sender."""
        activity = turn_context.activity
        if action.is_form:
            return await self.people.serve(
                turn_context, lambda actor: self.core.submit_form(form_submission(activity, actor, action))
            )
        return await self.people.serve(
            turn_context, lambda actor: self.core.press(button_request(activity, actor, action), action.view)
        )

    async def _saved(self, turn_context: TurnContext, action: CardAction) -> Reply:
        """Save a form; what its card shows next: the form again with its errors, or what was recorded. Opened
        from a list, the list is drawn again around the action (``Core.redraw``, as after a press) in the list's
        own card; if that card cannot be edited, the form's card shows the list."""
        actor, outcome = await self._pressed(turn_context, action)
        outcome = explain_not_linked(_served(outcome), actor)
        if action.view is None:
            return outcome
        request = form_submission(turn_context.activity, actor, action).request()
        listing = _served(await asyncio.to_thread(self.core.redraw, request, action.view, outcome))
        if listing.view is not None and action.card and await replace_card(turn_context, action.card, listing):
            return outcome
        return listing

    async def _on_button(self, turn_context: TurnContext, action: CardAction) -> None:
        actor, reply = await self._pressed(turn_context, action)
        reply = explain_not_linked(_served(reply), actor)
        if action.button_intent is ButtonIntent.UPDATE:  # the form as a new card; the list's card stays
            await self._send(turn_context, reply, list_card=turn_context.activity.reply_to_id)
        elif action.button_intent in FILE_INTENTS:
            await show_outcome(turn_context, reply)
        else:
            await show(turn_context, reply, in_place=replaces_card(reply))

    async def _on_form(self, turn_context: TurnContext, action: CardAction) -> None:
        reply = await self._saved(turn_context, action)
        await show(turn_context, reply, in_place=replaces_card(reply), list_card=action.card)

    # answers -------------------------------------------------------------------------------

    @staticmethod
    async def _send(turn_context: TurnContext, reply: Reply, *, list_card: str | None = None) -> None:
        await turn_context.send_activity(card_activity(reply, list_card=list_card))


def _served(reply: Reply) -> Reply:
    """The reply, unless the database was away: then the turn ends in :class:`TeamsUnavailable` (a 503)."""
    if reply.outage:
        raise TeamsUnavailable(reply.plain_lines[0] if reply.plain_lines else "the database is unavailable")
    return reply


def _invoke(status: HTTPStatus, kind: str, value: Any) -> InvokeResponse:
    """An ``adaptiveCard/action`` invoke response (Universal Actions): a card, a message or an error."""
    return InvokeResponse(status=int(status), body={"statusCode": int(status), "type": kind, "value": value})


def replaces_card(reply: Reply) -> bool:
    """A form (again, with errors) or an action's new state replaces the card; an error does not."""
    return reply.form is not None or (bool(reply.items) and reply.tone is not Tone.ERROR)


def explain_not_linked(reply: Reply, actor: Actor) -> Reply:
    """Add, to the core's "not linked" answer, the Teams id an admin needs to link this user."""
    if not reply.not_linked:
        return reply
    hint = (
        f"Your Teams id is {actor.user_id}. An admin can link you by mentioning you: "
        f"`@actionbot link @{actor.display_name or 'you'} Your Name`, "
        f'or on the server: `actionbot people link "Your Name" --teams {actor.user_id}`.'
    )
    if actor.email:
        hint += f" Teams gives your email as {actor.email}, and nobody in the plan has that email."
    return reply.model_copy(update={"sections": [*reply.sections, Section(lines=[hint])]})


def welcome(kind: str) -> Reply:
    """What the bot says when it is added to a chat or a team."""
    if kind == PERSONAL:
        how = "Type `help` to see what you can ask, or `mine` for your actions."
    else:
        how = (
            "Mention me to ask: `@actionbot help`, `@actionbot overdue`. "
            "This channel can get a review's weekly digest: `@actionbot subscribe <review>`."
        )
    return Reply.text("I follow the council's action plans through to done, and chase what is late.", how,
                      title="Hello, I'm actionbot")


def _unknown_mention(names: list[str]) -> str:
    who = ", ".join(names)
    return (
        f"Teams would not tell me who {who} is, so I did nothing. Try again in a moment, "
        "or name them as `teams:<their AAD object id>`."
    )


async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
    """The one error handler at the Teams edge. The database being away is not a bug: the turn is handed
    back to the endpoint (503, so the Bot Framework retries). Anything else is: its trace is logged with a
    reference, and the user is told briefly."""
    if isinstance(error, TeamsUnavailable | DatabaseUnavailable):
        raise error
    ref = reference()
    log.error("Teams turn failed (ref %s)", ref, exc_info=error, extra={"ref": ref, "outcome": "error"})
    try:
        apology = Reply.error(f"Something went wrong on our side. (ref {ref})")
        await turn_context.send_activity(card_activity(apology))
    except Exception as exc:
        log.info("could not tell the user about ref %s either (%s)", ref, type(exc).__name__)

"""What the bot does for each Slack interaction: a slash command, a button press, a submitted form.

Each one is a payload → a neutral request (:mod:`payloads`) → the core (through
:mod:`adapters.identity`: at once on SQLite when nothing would make it wait, else in a worker thread, the core
being synchronous SQLAlchemy that must not keep the event loop waiting) → Block Kit (:mod:`blocks`,
:mod:`modal`). A slash command is answered in its acknowledgement when the core answers within
``ack_budget`` seconds (it normally takes milliseconds), else "Working on it…" now and the answer
through the ``response_url``. A press is acknowledged first; the message is then updated in place.

Each payload is parsed strictly (:mod:`models`): a command Slack did not send as documented, a button that
is not ours as it is today, or a form that is not, gets a short answer and one WARNING log line with a
reference, never a traceback.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import aiohttp
from pydantic import ValidationError
from slack_sdk.errors import SlackApiError
from slack_sdk.proxy_env_variable_loader import load_http_proxy_from_env
from slack_sdk.web.async_client import AsyncWebClient

from adapters.logs import problem, refuse
from adapters.slack import modal, payloads, refresh, upload
from adapters.slack.app import api_error
from adapters.slack.background import Background
from adapters.slack.blocks import SlackMessage, render
from adapters.slack.identity import SlackIdentity
from adapters.slack.modal import Origin
from adapters.slack.models import BlockActions, SlashCommand, ViewSubmission
from adapters.slack.payloads import Press, StaleButton, StaleForm
from bot.core import Core
from bot.replies import ActionItem, ButtonIntent, Reply, Tone
from bot.requests import Actor, Request

log = logging.getLogger("actionbot.slack")

ACK_BUDGET_SECONDS = 2.0  # Slack allows 3 s; leave room for the network
FORM_WAIT_SECONDS = 1.0  # a trigger id lives 3 s: past this, open a "Loading…" modal and fill it later
NETWORK_ERRORS = (SlackApiError, aiohttp.ClientError, OSError, TimeoutError)
# A keep-alive connection the other end closed while it sat in the pool: worth one more try on a new one.
CLOSED_UNDER_US = (aiohttp.ServerDisconnectedError, aiohttp.ServerConnectionError, aiohttp.ClientOSError)
JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8"}
RESPONSE_TIMEOUT = aiohttp.ClientTimeout(total=30)  # slack_sdk's webhook client's own
UNREADABLE_COMMAND = "I could not read that command (ref {ref}). Try it again, or type `/actions help`."
STALE_FORM = "This form is out of date. Close it and press Update… again."


class SlackInteractions:
    """The Slack surface's behaviour; :mod:`listeners` only unpacks, acknowledges and delegates."""

    def __init__(
        self,
        core: Core,
        client: AsyncWebClient,
        identity: SlackIdentity,
        background: Background,
        *,
        http: aiohttp.ClientSession | None = None,
        ack_budget: float = ACK_BUDGET_SECONDS,
        form_wait: float = FORM_WAIT_SECONDS,
    ) -> None:
        self.core = core
        self.client = client
        self.identity = identity
        self.background = background
        self.http = http
        self.ack_budget = ack_budget
        self.form_wait = form_wait
        self.proxy = load_http_proxy_from_env()  # as slack_sdk's clients do (HTTPS_PROXY), read once

    # Slash commands ----------------------------------------------------------------------

    async def command(self, body: dict[str, Any]) -> dict[str, Any] | None:
        """The acknowledgement of ``/actions <text>``: the answer itself, or ``None`` (an empty ack)."""
        try:
            slash = SlashCommand.model_validate(body)
        except ValidationError as exc:
            ref = refuse(log, "a Slack slash command", problem(exc), surface="slack")
            return {"response_type": "ephemeral", "text": UNREADABLE_COMMAND.format(ref=ref)}
        work = asyncio.ensure_future(self._command_reply(slash))
        try:
            request, reply = await asyncio.wait_for(asyncio.shield(work), self.ack_budget)
        except TimeoutError:
            self.background.spawn(self._answer_late(work, slash), "late-answer")
            return {"response_type": "ephemeral", "text": "Working on it…"}
        if reply.form is not None:
            origin = Origin(reply.form.action_id, slash.channel_id, None, slash.response_url)
            opening = self._open_form(reply, slash.trigger_id, origin, request.actor.user_id)
            self.background.spawn(opening, "open-form")
            return None
        if reply.attachment is not None:
            self.background.spawn(self._share(reply, slash, request.actor.user_id), "upload")
        return render(reply).response()

    async def _run(self, user_id: str, request_for: Callable[[Actor], Request]) -> tuple[Request, Reply]:
        """The core's answer to the request, as the user (see :mod:`adapters.identity`), and the request."""
        actor, reply = await self.identity.serve(user_id, lambda actor: self.core.handle(request_for(actor)))
        return request_for(actor), reply

    async def _command_reply(self, slash: SlashCommand) -> tuple[Request, Reply]:
        return await self._run(slash.user_id, lambda actor: payloads.command_request(slash, actor))

    async def _answer_late(self, work: asyncio.Future[tuple[Request, Reply]], slash: SlashCommand) -> None:
        request, reply = await work
        if reply.form is not None:  # the trigger id has expired by now: a form can no longer open
            reply = Reply.error(f"That took too long to open the form. Try `update {reply.form.action_id}` again.")
        message = render(reply)
        there = (slash.channel_id, request.actor.user_id)
        await self._respond(slash.response_url, message.response(replace_original=True), fallback=there)
        if reply.attachment is not None:
            await self._share(reply, slash, request.actor.user_id)

    async def _share(self, reply: Reply, slash: SlashCommand, user_id: str) -> None:
        """Upload the reply's file where the command was typed (:mod:`upload`); say so if it went elsewhere."""
        assert reply.attachment is not None
        said = await upload.share(self.client, reply.attachment, channel=slash.channel_id, user_id=user_id)
        if said is not None:
            notice = render(Reply.text(said)).response(replace_original=False)
            await self._respond(slash.response_url, notice, fallback=(slash.channel_id, user_id))

    # Buttons -----------------------------------------------------------------------------

    async def press(self, body: dict[str, Any]) -> None:
        """Record a press (already acknowledged) and show the action's new state where it was pressed."""
        try:
            payload = BlockActions.model_validate(body)
        except ValidationError as exc:  # the edge lets no such payload through; Socket Mode is checked there too
            refuse(log, "a Slack button press", problem(exc), surface="slack")
            return
        try:
            pressed = payloads.press(payload)
        except StaleButton as exc:
            ref = refuse(log, "a Slack button press", str(exc), surface="slack", user=payload.user.id)
            channel, _ = payloads.where(payload)
            sorry = render(Reply.error(f"{exc.answer} (ref {ref})")).response(replace_original=False)
            await self._respond(payload.response_url, sorry, fallback=(channel, payload.user.id))
            return
        if pressed.intent is ButtonIntent.UPDATE:
            await self._press_update(pressed)
            return
        _, outcome = await self.identity.serve(
            pressed.user_id, lambda actor: self.core.press(pressed.request(actor), pressed.view)
        )
        there = (pressed.channel, pressed.user_id)
        if outcome.tone is Tone.ERROR or outcome.not_linked:
            await self._respond(pressed.response_url, render(outcome).response(replace_original=False), fallback=there)
        elif pressed.ephemeral:
            await self._respond(pressed.response_url, render(outcome).response(replace_original=True), fallback=there)
        elif outcome.view is not None:  # the list drawn again: it replaces the pressed message
            await self._replace_message(pressed.channel or "", pressed.message_ts or "", outcome, pressed.response_url,
                                        there)
        else:
            await self._update_message(pressed, outcome)

    async def _replace_message(
        self, channel: str, ts: str, listing: Reply, response_url: str | None, there: tuple[str | None, str]
    ) -> None:
        """The bot's message ``ts`` in ``channel`` replaced by ``listing``; said privately if it cannot be."""
        message = render(listing)
        try:
            await self.client.chat_update(channel=channel, ts=ts, text=message.text, blocks=message.blocks)
        except NETWORK_ERRORS as exc:
            log.warning("chat.update failed for a list drawn again: %s", _reason(exc))
            await self._respond(response_url, message.response(replace_original=False), fallback=there)

    async def _update_message(self, pressed: Press, outcome: Reply) -> None:
        blocks, found = (
            refresh.splice(pressed.blocks, outcome.items[0], refresh.notice_line(outcome))
            if pressed.blocks and outcome.items
            else ([], False)
        )
        there = (pressed.channel, pressed.user_id)
        if not (found and pressed.channel and pressed.message_ts):
            await self._respond(pressed.response_url, render(outcome).response(replace_original=False), fallback=there)
            return
        try:
            await self.client.chat_update(
                channel=pressed.channel,
                ts=pressed.message_ts,
                text=pressed.message_text or render(outcome).text,
                blocks=blocks,
            )
        except NETWORK_ERRORS as exc:
            log.warning("chat.update failed after a press on #%s: %s", pressed.action_id, _reason(exc))
            await self._respond(pressed.response_url, render(outcome).response(replace_original=False), fallback=there)

    async def _press_update(self, pressed: Press) -> None:
        """Open the Update… modal within the trigger's 3 seconds: filled at once if the core is quick,
        else a "Loading…" modal first, filled in when the form is ready."""

        async def form_reply() -> Reply:  # the form carries the list it was opened from (the core's view)
            press = lambda actor: self.core.press(pressed.request(actor), pressed.view)  # noqa: E731
            return (await self.identity.serve(pressed.user_id, press))[1]

        work = asyncio.ensure_future(form_reply())
        try:
            reply = await asyncio.wait_for(asyncio.shield(work), self.form_wait)
        except TimeoutError:
            await self._open_then_fill(work, pressed)
            return
        if reply.form is None:
            there = (pressed.channel, pressed.user_id)
            await self._respond(pressed.response_url, render(reply).response(replace_original=False), fallback=there)
            return
        await self._open_form(reply, pressed.trigger_id, pressed.origin(reply.form.view), pressed.user_id)

    async def _open_then_fill(self, work: asyncio.Future[Reply], pressed: Press) -> None:
        title = f"Update #{pressed.action_id}"
        try:
            opened = await self.client.views_open(
                trigger_id=pressed.trigger_id or "", view=modal.message_view(title, "Loading…", pressed.origin())
            )
        except NETWORK_ERRORS as exc:
            log.warning("views.open failed for #%s: %s", pressed.action_id, _reason(exc))
            await work
            return
        reply = await work
        view = opened.get("view") or {}
        if reply.form is not None:
            filled = modal.form_view(reply.form, pressed.origin(reply.form.view), _first_item(reply))
        else:
            filled = modal.message_view(title, refresh.notice_line(reply))
        try:
            await self.client.views_update(view_id=view.get("id"), hash=view.get("hash"), view=filled)
        except NETWORK_ERRORS as exc:
            log.warning("views.update failed for #%s: %s", pressed.action_id, _reason(exc))

    async def _open_form(self, reply: Reply, trigger_id: str | None, origin: Origin, user_id: str) -> None:
        assert reply.form is not None
        view = modal.form_view(reply.form, origin, _first_item(reply))
        try:
            await self.client.views_open(trigger_id=trigger_id or "", view=view)
        except NETWORK_ERRORS as exc:
            log.warning("views.open failed for #%s: %s", reply.form.action_id, _reason(exc))
            sorry = Reply.error(f"The form could not open ({_reason(exc)}). Try `update {reply.form.action_id}` again.")
            there = (origin.channel, user_id)
            await self._respond(origin.response_url, render(sorry).response(replace_original=False), fallback=there)

    # Forms -------------------------------------------------------------------------------

    async def submit(self, body: dict[str, Any]) -> dict[str, Any] | None:
        """The acknowledgement of a submitted modal: field errors, a message view, or ``None`` (close it)."""
        try:
            payload = ViewSubmission.model_validate(body)
        except ValidationError as exc:
            ref = refuse(log, "a Slack form", problem(exc), surface="slack")
            return {"response_action": "update", "view": modal.message_view("Update", f"{STALE_FORM} (ref {ref})")}
        try:
            bare = Actor(platform=payloads.PLATFORM, user_id=payload.user.id)
            submission, origin = payloads.submission(payload, bare)
        except StaleForm as exc:
            ref = refuse(log, "a Slack form", str(exc), surface="slack", user=payload.user.id)
            return {"response_action": "update", "view": modal.message_view("Update", f"{STALE_FORM} (ref {ref})")}
        actor, reply = await self.identity.serve(
            payload.user.id, lambda actor: self.core.submit_form(replace(submission, actor=actor))
        )
        if reply.form is not None and reply.form.has_errors:
            return {"response_action": "errors", "errors": modal.field_errors(reply.form)}
        if reply.tone is Tone.ERROR:
            view = modal.message_view(f"Update #{origin.action_id}", refresh.notice_line(reply))
            return {"response_action": "update", "view": view}
        request = replace(submission, actor=actor).request()
        self.background.spawn(self._after_submit(origin, request, reply), "form-done")
        return None

    async def _after_submit(self, origin: Origin, request: Request, reply: Reply) -> None:
        """Say what the form recorded where it was opened from: opened from a list, that list drawn again
        around the action (as after a press), in place of the message; else the action on its own."""
        view = payloads.view_in(origin.source)
        listing = await asyncio.to_thread(self.core.redraw, request, view, reply) if view is not None else reply
        there = (origin.channel, request.actor.user_id)
        if listing.view is not None and origin.replace and origin.response_url:
            await self._respond(origin.response_url, render(listing).response(replace_original=True), fallback=there)
        elif listing.view is not None and origin.channel and origin.message_ts:
            await self._replace_message(origin.channel, origin.message_ts, listing, origin.response_url, there)
        elif origin.response_url:
            await self._respond(origin.response_url, render(reply).response(replace_original=False), fallback=there)
        elif origin.channel:
            await self._post_ephemeral(origin.channel, request.actor.user_id, render(reply))

    # Saying things -----------------------------------------------------------------------

    async def _respond(
        self, response_url: str | None, body: dict[str, Any], *, fallback: tuple[str | None, str] | None = None
    ) -> None:
        """Post to a ``response_url`` (valid 30 minutes, 5 uses: Slack's rule, Jan 2025); if that fails
        and ``fallback`` names a channel and a user, say it to them there with ``chat.postEphemeral``."""
        if await self._post_response(response_url, body) or fallback is None or not fallback[0]:
            return
        message = SlackMessage(text=body.get("text", ""), blocks=body.get("blocks", []))
        await self._post_ephemeral(fallback[0], fallback[1], message)

    async def _post_response(self, response_url: str | None, body: dict[str, Any]) -> bool:
        """POST ``body`` as JSON to ``response_url``: whether Slack took it (HTTP 200)."""
        if not response_url:
            return False
        data = json.dumps(body).encode()
        try:
            if self.http is None:
                async with aiohttp.ClientSession() as http:
                    status, said = await _post_json(http, response_url, data, self.proxy)
            else:
                status, said = await _post_json(self.http, response_url, data, self.proxy)
        except NETWORK_ERRORS as exc:
            log.warning("response_url post failed: %s", _reason(exc))
            return False
        if status != 200:
            log.warning("response_url post refused: HTTP %s %s", status, said[:200])
            return False
        return True

    async def _post_ephemeral(self, channel: str, user_id: str, message: SlackMessage) -> None:
        try:
            await self.client.chat_postEphemeral(
                channel=channel, user=user_id, text=message.text, blocks=message.blocks
            )
        except NETWORK_ERRORS as exc:
            log.warning("chat.postEphemeral failed: %s", _reason(exc))


async def _post_json(http: aiohttp.ClientSession, url: str, data: bytes, proxy: str | None) -> tuple[int, str]:
    """POST ``data`` (JSON) to ``url``: the status and the start of what came back. The body is written once,
    here, and posted as it is (slack_sdk's webhook client walked every block looking for its own objects first,
    and built a client per post). A pooled connection the other end had closed is tried once more on a new one,
    as slack_sdk's default retry does."""
    try:
        return await _post_once(http, url, data, proxy)
    except CLOSED_UNDER_US:
        return await _post_once(http, url, data, proxy)


async def _post_once(http: aiohttp.ClientSession, url: str, data: bytes, proxy: str | None) -> tuple[int, str]:
    async with http.post(url, data=data, headers=JSON_HEADERS, proxy=proxy, timeout=RESPONSE_TIMEOUT) as sent:
        return sent.status, await sent.text(errors="replace")


def _first_item(reply: Reply) -> ActionItem | None:
    return reply.items[0] if reply.items else None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, SlackApiError):
        return api_error(exc)
    return type(exc).__name__

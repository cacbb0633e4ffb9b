"""A fake Slack on 127.0.0.1: the Web API, ``response_url`` hooks, a Socket Mode websocket and private files.

It answers like Slack (``{"ok": true, ...}``, ``invalid_auth`` for a wrong token,
``invalid_blocks`` for blocks Slack would refuse), records every call, and can be told to fail
the next calls to a method with a 429 + ``Retry-After``, a 500, or a Slack error.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web

from tests.slack.block_rules import violations

BOT_TOKEN = "xoxb-111-222-fake-bot-token-5ecret"
APP_TOKEN = "xapp-1-A111-333-fake-app-token-5ecret"
BOT_USER = "UBOT00001"
DROP = 0  # a failure's status that closes the connection without answering (a response_url post only)


@dataclass
class Call:
    """One request the fake received: the Web API method (or ``response_url``) and its parameters."""

    method: str
    params: dict[str, Any]
    path: str = ""


@dataclass
class _Failure:
    status: int
    error: str | None
    retry_after: int | None
    times: int


@dataclass
class FakeSlack:
    """Start with ``await fake.start()``; ``fake.api_url`` is what SLACK_API_URL points at."""

    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    _failures: dict[str, list[_Failure]] = field(default_factory=dict)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)
    _runner: web.AppRunner | None = None
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _socket_replies: dict[str, asyncio.Future[dict[str, Any]]] = field(default_factory=dict)
    _socket_ready: asyncio.Event = field(default_factory=asyncio.Event)
    _ts: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    files: dict[str, bytes] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)  # file id → where its download redirects
    port: int = 0

    # Running ------------------------------------------------------------------------------

    async def start(self) -> FakeSlack:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/hooks/{path:.*}", self._hook)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        app.router.add_get("/files-pri/{file}/download/{name}", self._file)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        for socket in self._sockets:
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str | None = None) -> str:
        return f"{self.url}/hooks/T0COUNCIL/{name or uuid.uuid4().hex[:10]}"

    # Scripting and inspecting -------------------------------------------------------------

    def fail(
        self,
        method: str,
        *,
        status: int = 200,
        error: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls to ``method`` fail: HTTP ``status`` and/or Slack ``error``."""
        self._failures.setdefault(method, []).append(_Failure(status, error, retry_after, times))

    def add_user(self, user_id: str, email: str | None, name: str = "someone", **extra: Any) -> None:
        profile = {"real_name": name, "display_name": name} | ({"email": email} if email else {})
        self.users[user_id] = {"id": user_id, "name": name.lower().replace(" ", "."), "profile": profile} | extra

    def add_file(self, file_id: str, name: str, data: bytes, *, size: int | None = None) -> dict[str, Any]:
        """Keep ``data`` as a private file; return the file object as a ``message`` event carries it."""
        self.files[file_id] = data
        return {"id": file_id, "created": 1547460000, "timestamp": 1547460000, "name": name, "title": name,
                "mimetype": "application/octet-stream", "filetype": name.rpartition(".")[2], "user": "U0SARAH",
                "mode": "hosted", "editable": False, "is_external": False, "size": len(data) if size is None else size,
                "url_private": f"{self.url}/files-pri/T0COUNCIL-{file_id}/{name}",
                "url_private_download": f"{self.url}/files-pri/T0COUNCIL-{file_id}/download/{name}"}

    def uploaded(self) -> dict[str, bytes]:
        """The bytes posted to each upload URL, by file id (``files.getUploadURLExternal`` gave the URL)."""
        return {call.params["file_id"]: call.params["data"] for call in self.of("upload")}

    def of(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """The calls to ``method`` once there are at least ``count`` of them."""
        async with asyncio.timeout(timeout):
            while len(self.of(method)) < count:
                self._changed.clear()
                await self._changed.wait()
        return self.of(method)

    def _record(self, call: Call) -> None:
        self.calls.append(call)
        self._changed.set()

    # The Web API --------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            params |= await request.json()
        elif request.can_read_body:
            params |= dict(parse_qsl(await request.text()))
        self._record(Call(method, params))
        failures = self._failures.get(method)
        if failures:
            failure = failures[0]
            failure.times -= 1
            if failure.times <= 0:
                failures.pop(0)
            headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
            if failure.status >= 500:
                return web.Response(status=failure.status, text="upstream error", headers=headers)
            return web.json_response({"ok": False, "error": failure.error or "ratelimited"}, status=failure.status,
                                     headers=headers)
        token = APP_TOKEN if method == "apps.connections.open" else BOT_TOKEN
        if request.headers.get("Authorization") != f"Bearer {token}":
            return web.json_response({"ok": False, "error": "invalid_auth"})
        return web.json_response(self._answer(method, params))

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        blocks = params.get("blocks")
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        if isinstance(blocks, list) and violations(blocks):
            return {"ok": False, "error": "invalid_blocks", "errors": violations(blocks)}
        if method == "auth.test":
            return {"ok": True, "url": "https://council.slack.com/", "team": "Council", "user": "actionbot",
                    "team_id": "T0COUNCIL", "user_id": BOT_USER, "bot_id": "B0BOT"}
        if method == "users.info":
            user = self.users.get(str(params.get("user")))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(params.get("users", "X"))[1:]}}
        if method in ("chat.postMessage", "chat.update"):
            ts = params.get("ts") or f"1547460000.{next(self._ts):06d}"
            channel = str(params.get("channel"))
            if channel[:1] in ("U", "W"):  # a user id: Slack posts in the bot's DM with them and answers its id
                channel = "D" + channel[1:]
            return {"ok": True, "channel": channel, "ts": ts,
                    "message": {"text": params.get("text"), "blocks": blocks, "ts": ts}}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"1547460000.{next(self._ts):06d}"}
        if method in ("views.open", "views.update"):
            view = params.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            problems = violations(view.get("blocks", []), max_blocks=100)
            if problems:
                return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": problems}}
            view_id = params.get("view_id") or f"V{next(self._ts):05d}"
            return {"ok": True, "view": view | {"id": view_id, "hash": uuid.uuid4().hex[:8]}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts):07d}"
            return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = params.get("files")
            files = json.loads(files) if isinstance(files, str) else files
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files or []]}
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}
        return {"ok": False, "error": "unknown_method"}

    async def _upload(self, request: web.Request) -> web.Response:
        """An upload URL (``files.slack.com/upload/v1/…`` in Slack): the file's bytes, posted as the body."""
        data = await request.read()
        self._record(Call("upload", {"file_id": request.match_info["file_id"], "data": data}))
        return web.Response(text=f"OK - {len(data)}")

    async def _hook(self, request: web.Request) -> web.Response:
        body = await request.json()
        self._record(Call("response_url", body, path=request.match_info["path"]))
        failures = self._failures.get("response_url")
        if failures:  # e.g. 404 expired_url: a response_url lives 30 minutes and takes 5 posts
            failure = failures.pop(0)
            if failure.status == DROP:  # the connection closed under the post, before any answer
                assert request.transport is not None
                request.transport.close()
            return web.Response(status=failure.status or 200, text=failure.error or "expired_url")
        blocks = body.get("blocks")
        if isinstance(blocks, list) and violations(blocks):
            return web.Response(status=400, text="invalid_blocks")
        return web.Response(text="ok")

    async def _file(self, request: web.Request) -> web.StreamResponse:
        """``url_private_download``: the file for the bot token; Slack's sign-in page (200, HTML) without it."""
        self._record(Call("files.download", {"authorization": request.headers.get("Authorization")},
                          path=request.path))
        file_id = request.match_info["file"].rpartition("-")[2]
        if request.headers.get("Authorization") != f"Bearer {BOT_TOKEN}":
            return web.Response(text="<html><body>Sign in to Slack</body></html>", content_type="text/html")
        if file_id in self.redirects:
            raise web.HTTPFound(self.redirects[file_id])
        data = self.files.get(file_id)
        if data is None:
            return web.Response(status=404, text="file_not_found")
        return web.Response(body=data, content_type="application/octet-stream")

    # Socket Mode --------------------------------------------------------------------------

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0ACTIONS"}})
        self._socket_ready.set()
        async for message in socket:
            if message.type is WSMsgType.TEXT:
                reply = json.loads(message.data)
                waiting = self._socket_replies.pop(reply.get("envelope_id", ""), None)
                if waiting is not None and not waiting.done():
                    waiting.set_result(reply)
        return socket

    async def envelope(self, kind: str, payload: dict[str, Any], timeout: float = 5.0) -> dict[str, Any]:
        """Send a Socket Mode envelope to the connected app and return its acknowledgement."""
        async with asyncio.timeout(timeout):
            await self._socket_ready.wait()
        envelope_id = uuid.uuid4().hex
        answer: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._socket_replies[envelope_id] = answer
        message = {"envelope_id": envelope_id, "type": kind, "payload": payload, "accepts_response_payload": True}
        await self._sockets[-1].send_json(message)
        async with asyncio.timeout(timeout):
            return await answer

"""A fake Bot Framework connector service on 127.0.0.1: what the bot's outbound calls reach in tests.

It answers like the Bot Framework's Teams service (``smba.trafficmanager.net/<region>/``): new
messages and replies (``POST /v3/conversations/{id}/activities[/{replyToId}]``) get an id, card
updates (``PUT /v3/conversations/{id}/activities/{activityId}``) echo it, member lookups
(``GET /v3/conversations/{id}/members/{userId}``) answer from :meth:`FakeConnector.add_member` or
404 ``MemberNotFoundInConversation``; a new 1:1 chat (``POST /v3/conversations``) gets an id ``a:1…``.
It also stands in for OneDrive: a file sent to the bot is served at the download URL
:meth:`FakeConnector.add_file` returns (each download recorded, kind ``download``).
Failures can be queued (:meth:`FakeConnector.fail_next`),
e.g. a 429 with ``Retry-After``, or the 403 Teams gives once the bot was removed.

It also stands in for the user's OneDrive upload URL of the file consent flow (``PUT /upload/{name}``, as
``uploadInfo.uploadUrl`` names it): :meth:`FakeConnector.upload_info` is what Teams would send on Allow, and
the bytes put there are kept in :attr:`FakeConnector.uploads` (``fail_next(…, kinds=("upload",))`` refuses one).

Every call is recorded with its body and size, so tests assert on what Teams would have received.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

REGION = "emea"


@dataclass
class Call:
    """One request the bot made to the connector."""

    method: str
    kind: str  # "post", "reply", "update", "member", "create" or "download"
    conversation_id: str
    activity_id: str | None
    body: Any
    size: int
    authorization: str | None
    response_id: str | None = None

    @property
    def message_id(self) -> str | None:
        """The id of the message this call created or updated (what a button press's replyToId is)."""
        return self.activity_id if self.kind == "update" else self.response_id

    @property
    def card(self) -> dict[str, Any]:
        """The Adaptive Card this message carried."""
        attachments = self.body.get("attachments") or []
        assert len(attachments) == 1, f"expected one card, got {self.body}"
        assert attachments[0]["contentType"] == "application/vnd.microsoft.card.adaptive"
        content: dict[str, Any] = attachments[0]["content"]
        return content


@dataclass
class _Failure:
    kinds: tuple[str, ...]
    status: int
    code: str
    headers: dict[str, str]


@dataclass
class FakeConnector:
    """The fake service: records calls, answers them, fails them on request."""

    service_url: str = ""
    calls: list[Call] = field(default_factory=list)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    uploads: dict[str, bytes] = field(default_factory=dict)
    upload_headers: dict[str, dict[str, str]] = field(default_factory=dict)
    _failures: list[_Failure] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def app(self) -> web.Application:
        app = web.Application()
        base = f"/{REGION}/v3/conversations/{{conversation_id}}"
        app.router.add_post(f"{base}/activities", self._post)
        app.router.add_post(f"{base}/activities/{{activity_id}}", self._post)
        app.router.add_put(f"{base}/activities/{{activity_id}}", self._put)
        app.router.add_get(f"{base}/members/{{user_id}}", self._member)
        app.router.add_get("/personal/{token}/download.aspx", self._download)
        app.router.add_post(f"/{REGION}/v3/conversations", self._create)
        app.router.add_put("/upload/{name}", self._upload)
        return app

    def add_file(self, name: str, data: bytes) -> str:
        """Keep ``data`` as a OneDrive file; its pre-authenticated download URL (as ``content.downloadUrl``)."""
        token = f"t{len(self.files) + 1:04d}"
        self.files[token] = data
        return self.service_url.split(f"/{REGION}/")[0] + f"/personal/{token}/download.aspx?name={name}"

    def downloads(self) -> list[Call]:
        return [call for call in self.calls if call.kind == "download"]

    def upload_info(self, name: str) -> dict[str, Any]:
        """The ``uploadInfo`` Teams sends when the user allows a file: where to PUT it, and where it will be."""
        base = self.service_url.split(f"/{REGION}/")[0]
        return {
            "name": name,
            "uploadUrl": f"{base}/upload/{name}",
            "contentUrl": f"https://council-my.sharepoint.com/personal/me/Documents/Applications/actionbot/{name}",
            "uniqueId": "1150D938-8870-4044-9F2C-5BBDEBA70C8C",
            "fileType": name.rsplit(".", 1)[-1],
        }

    def add_member(self, user_id: str, name: str, *, aad: str, email: str | None, upn: str | None = None) -> None:
        self.members[user_id] = {
            "id": user_id,
            "name": name,
            "aadObjectId": aad,
            "email": email,
            "userPrincipalName": upn or email,
            "givenName": name.split()[0],
            "surname": name.split()[-1],
            "tenantId": "8d1c2a3b-0000-4000-8000-00000000c0de",
            "userRole": "user",
        }

    def fail_next(self, status: int, *, code: str = "", kinds: tuple[str, ...] = ("post", "reply"),
                  headers: dict[str, str] | None = None) -> None:
        self._failures.append(_Failure(kinds, status, code, headers or {}))

    # what the bot sent ------------------------------------------------------------------------

    def sent(self) -> list[Call]:
        """New messages and replies, in order."""
        return [call for call in self.calls if call.kind in ("post", "reply")]

    def updates(self) -> list[Call]:
        return [call for call in self.calls if call.kind == "update"]

    def created(self) -> list[Call]:
        """Conversations the bot asked to create (1:1 chats)."""
        return [call for call in self.calls if call.kind == "create"]

    def lookups(self) -> list[Call]:
        return [call for call in self.calls if call.kind == "member"]

    def last_card(self) -> dict[str, Any]:
        messages = [call for call in self.calls if call.kind in ("post", "reply", "update")]
        assert messages, "the bot sent nothing"
        return messages[-1].card

    # handlers ---------------------------------------------------------------------------------

    async def _post(self, request: web.Request) -> web.Response:
        reply_to = request.match_info.get("activity_id")
        call = await self._record(request, "reply" if reply_to else "post", reply_to)
        if (failure := self._failure(call.kind)) is not None:
            return failure
        call.response_id = f"1:{next(self._ids):04d}"
        return web.json_response({"id": call.response_id}, status=201)

    async def _put(self, request: web.Request) -> web.Response:
        call = await self._record(request, "update", request.match_info["activity_id"])
        if (failure := self._failure(call.kind)) is not None:
            return failure
        return web.json_response({"id": call.activity_id})

    async def _member(self, request: web.Request) -> web.Response:
        call = await self._record(request, "member", None)
        if (failure := self._failure(call.kind)) is not None:
            return failure
        member = self.members.get(request.match_info["user_id"])
        if member is None:
            return _error(404, "MemberNotFoundInConversation", "The member was not found in the conversation.")
        return web.json_response(member)

    async def _download(self, request: web.Request) -> web.Response:
        self.calls.append(Call("GET", "download", "", None, None, 0, request.headers.get("Authorization")))
        data = self.files.get(request.match_info["token"])
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, content_type="application/octet-stream")

    async def _create(self, request: web.Request) -> web.Response:
        call = await self._record(request, "create", None)
        if (failure := self._failure(call.kind)) is not None:
            return failure
        call.conversation_id = f"a:1created-{next(self._ids):04d}"
        return web.json_response({"id": call.conversation_id}, status=201)

    async def _upload(self, request: web.Request) -> web.Response:
        data = await request.read()
        name = request.match_info["name"]
        if (failure := self._failure("upload")) is not None:
            return failure
        self.uploads[name] = data
        self.upload_headers[name] = dict(request.headers)
        return web.json_response({"id": "01ABCDEF", "name": name, "size": len(data)}, status=201)

    async def _record(self, request: web.Request, kind: str, activity_id: str | None) -> Call:
        raw = await request.read()
        call = Call(
            method=request.method,
            kind=kind,
            conversation_id=request.match_info.get("conversation_id", ""),
            activity_id=activity_id,
            body=json.loads(raw) if raw else None,
            size=len(raw),
            authorization=request.headers.get("Authorization"),
        )
        self.calls.append(call)
        return call

    def _failure(self, kind: str) -> web.Response | None:
        for index, failure in enumerate(self._failures):
            if kind in failure.kinds:
                del self._failures[index]
                return _error(failure.status, failure.code, "failed as the test asked", failure.headers)
        return None


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status, headers=headers)

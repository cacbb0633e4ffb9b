"""The one aiohttp server of ``actionbot serve``: health checks here; the Slack and Teams adapters add
``POST /slack/events`` and ``POST /api/messages`` when they are configured.

- ``GET /healthz``: the process is alive and serving (200). It does not touch the database, so a
  database outage never gets a healthy process restarted.
- ``GET /readyz``: whether this process can do its work now: 200 when every readiness check passes, 503
  with the failing checks otherwise. The checks are a list (:data:`READINESS_CHECKS`, or
  ``build_web_app(app, readiness=[...])``): the database answers, its schema is the one this version
  needs; and, for information only (never failing), the clock's last heartbeat and its age in seconds.

Every request gets an id (:data:`adapters.logs.REQUEST_ID`), returned as ``X-Request-Id`` and carried by
every log line written while serving it; each request is logged once, at INFO, with its status and
duration. An exception no handler expected is logged with its traceback and that id, and answered 500
without detail: a traceback in the log means a bug.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from aiohttp import web

from adapters.bootstrap import App
from adapters.logs import REQUEST_ID, new_reference
from scheduler.lease import Lease, wall_now
from store.db import current_revision, packaged_head, ping

APP_KEY = web.AppKey("actionbot", App)
log = logging.getLogger("actionbot.web")

CHECK_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class Check:
    """One readiness check's result: its name, whether it passed, and a short detail."""

    name: str
    ok: bool
    detail: str
    age_seconds: float | None = None  # the clock's: how long since its last heartbeat


ReadinessCheck = Callable[[App], Awaitable[Check]]


async def database_reachable(app: App) -> Check:
    """The database answers ``SELECT 1`` within two seconds."""
    try:
        await asyncio.wait_for(asyncio.to_thread(ping, app.engine), CHECK_TIMEOUT_SECONDS)
    except TimeoutError:
        return Check("database", False, f"no answer within {CHECK_TIMEOUT_SECONDS:g}s")
    except Exception as exc:  # whatever the driver raises, the answer is "not reachable", never a 500
        return Check("database", False, f"unreachable ({type(exc).__name__})")
    return Check("database", True, "reachable")


async def schema_current(app: App) -> Check:
    """The database's schema revision is the newest this version of actionbot knows."""
    head = packaged_head()  # read from the packaged migrations once per process
    try:
        current = await asyncio.wait_for(asyncio.to_thread(current_revision, app.engine), CHECK_TIMEOUT_SECONDS)
    except TimeoutError:
        return Check("schema", False, f"no answer within {CHECK_TIMEOUT_SECONDS:g}s")
    except Exception as exc:
        return Check("schema", False, f"cannot be read ({type(exc).__name__})")
    if current != head:
        return Check("schema", False, f"at {current or 'nothing'}, needs {head}: run `actionbot db upgrade`")
    return Check("schema", True, f"at {current}")


async def clock_heartbeat(app: App) -> Check:
    """How long since the clock (``actionbot clock``) last beat. Always ok: a web process is ready whether or not
    the clock runs; a monitor alerts on ``age_seconds`` (the clock beats every 5 s)."""
    try:
        holder = await asyncio.wait_for(asyncio.to_thread(Lease(app.engine).holder), CHECK_TIMEOUT_SECONDS)
    except Exception as exc:
        return Check("clock", True, f"heartbeat cannot be read ({type(exc).__name__})")
    if holder is None:
        return Check("clock", True, "no clock has run on this database")
    age = round(max(0.0, (wall_now() - holder.heartbeat_at).total_seconds()), 1)
    stopped = " (stopped)" if holder.released_at is not None else ""
    return Check("clock", True, f"last heartbeat {age:g}s ago from {holder.host} pid {holder.pid}{stopped}", age)


READINESS_CHECKS: list[ReadinessCheck] = [database_reachable, schema_current, clock_heartbeat]
CHECKS_KEY = web.AppKey("actionbot-readiness", list[ReadinessCheck])


async def healthz(request: web.Request) -> web.Response:
    """200 while the process serves requests."""
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    """200 when every readiness check passes; 503 naming the checks that do not."""
    app = request.app[APP_KEY]
    results = await asyncio.gather(*(check(app) for check in request.app[CHECKS_KEY]))
    ready = all(result.ok for result in results)
    body = {
        "status": "ready" if ready else "not ready",
        "checks": {result.name: _check_body(result) for result in results},
    }
    return web.json_response(body, status=200 if ready else 503)


def _check_body(result: Check) -> dict[str, object]:
    body: dict[str, object] = {"ok": result.ok, "detail": result.detail}
    if result.age_seconds is not None:
        body["age_seconds"] = result.age_seconds
    return body


@web.middleware
async def request_context(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Give the request its id, log it once when answered, and turn a bug into a plain 500 with the id."""
    request_id = new_reference()
    token = REQUEST_ID.set(request_id)
    started = time.perf_counter()
    status = 500
    try:
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            status = exc.status
            exc.headers["X-Request-Id"] = request_id
            raise
        except Exception:
            log.exception("unexpected error serving %s %s (ref %s)", request.method, request.path, request_id)
            response = web.json_response({"error": "internal error", "ref": request_id}, status=500)
        status = response.status
        response.headers["X-Request-Id"] = request_id
        return response
    finally:
        duration = round((time.perf_counter() - started) * 1000, 1)
        log.log(
            logging.DEBUG if request.path in ("/healthz", "/readyz") and status < 500 else logging.INFO,
            "%s %s %d %.1fms", request.method, request.path, status, duration,
            extra={"method": request.method, "path": request.path, "status": status, "duration_ms": duration},
        )
        REQUEST_ID.reset(token)


def build_web_app(app: App, *, readiness: Sequence[ReadinessCheck] | None = None) -> web.Application:
    web_app = web.Application(middlewares=[request_context])
    web_app[APP_KEY] = app
    web_app[CHECKS_KEY] = list(READINESS_CHECKS if readiness is None else readiness)
    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/readyz", readyz)
    if app.settings.slack_enabled:
        from adapters.slack.server import mount as mount_slack

        mount_slack(web_app, app)
    if app.settings.teams_enabled:
        from adapters.teams.routes import mount_teams

        mount_teams(web_app, app)
    web_app.on_startup.append(_freeze_heap)  # after the Slack and Teams parts are built (their cleanup contexts)
    return web_app


async def _freeze_heap(web_app: web.Application) -> None:
    """Leave what the server's own start built (the Slack and Teams parts, built in their cleanup contexts) out of the
    garbage collector's passes, as ``actionbot serve`` does with what its start-up built before (adapters.cli.serving):
    a full pass walks every object the process holds. Measured in ``serve`` with both (SQLite, 8 in flight, 30 Nov):
    the collector took ~0.07 ms of CPU a request, and its passes freed almost nothing."""
    gc.freeze()

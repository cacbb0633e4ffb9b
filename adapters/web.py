"""The one aiohttp server of ``actionbot serve``: ``GET /healthz`` here; the Slack and Teams
adapters add ``POST /slack/events`` and ``POST /api/messages`` when they are configured."""

from __future__ import annotations

import asyncio

from aiohttp import web
from sqlalchemy import text

from adapters.bootstrap import App

APP_KEY = web.AppKey("actionbot", App)


async def healthz(request: web.Request) -> web.Response:
    """200 when the database answers, 503 when it does not."""
    app = request.app[APP_KEY]

    def ping() -> None:
        with app.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    try:
        await asyncio.to_thread(ping)
    except Exception:
        return web.json_response({"status": "database unavailable"}, status=503)
    return web.json_response({"status": "ok"})


def build_web_app(app: App) -> web.Application:
    web_app = web.Application()
    web_app[APP_KEY] = app
    web_app.router.add_get("/healthz", healthz)
    if app.settings.slack_enabled:
        from adapters.slack.server import mount as mount_slack

        mount_slack(web_app, app)
    if app.settings.teams_enabled:
        from adapters.teams.routes import mount_teams

        mount_teams(web_app, app)
    return web_app

"""Building the slack-bolt ``AsyncApp`` and its Web API client from settings.

Every Web API call goes to ``SLACK_API_URL`` (tests and operators point it elsewhere). Calls made
while answering a user retry a 429 after Slack's ``Retry-After`` (slack_sdk's handler); the
sender's client does not, so the outbox decides when to try again.
"""

from __future__ import annotations

import logging

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings

log = logging.getLogger("actionbot.slack")

RATE_LIMIT_RETRIES = 2


def api_error(exc: SlackApiError) -> str:
    """Slack's error code (``channel_not_found``), or the HTTP status when the body was not Slack's JSON."""
    data = exc.response.data
    code = data.get("error") if isinstance(data, dict) else None
    return str(code or f"HTTP {exc.response.status_code}")


class SlackConfigurationError(ValueError):
    """Slack is switched on but cannot run as configured; the message names the setting."""


def web_client(
    settings: Settings, *, session: aiohttp.ClientSession | None = None, retry_rate_limits: bool = True
) -> AsyncWebClient:
    """A Web API client for the bot token, talking to ``SLACK_API_URL``."""
    if settings.slack_bot_token is None:
        raise SlackConfigurationError("SLACK_BOT_TOKEN: required to use Slack")
    handlers: list[AsyncRetryHandler] = [AsyncConnectionErrorRetryHandler()]
    if retry_rate_limits:
        handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES))
    return AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        session=session,
        retry_handlers=handlers,
    )


def socket_mode(settings: Settings) -> bool:
    """Slack over Socket Mode (an outgoing websocket, no public URL) when an app-level token is set."""
    return settings.slack_app_token is not None


def build_bolt_app(settings: Settings, client: AsyncWebClient) -> AsyncApp:
    """The bolt app. Over HTTP, :mod:`adapters.slack.edge` has verified each request's signature (over the raw
    bytes, before anything is parsed) and validated its payload before bolt sees it, so bolt's own check,
    which would run after its parser, is off; start-up still refuses HTTP without a signing secret."""
    over_socket = socket_mode(settings)
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    if not over_socket and not secret:
        raise SlackConfigurationError(
            "SLACK_SIGNING_SECRET: required for Slack over HTTP (or set SLACK_APP_TOKEN for Socket Mode)"
        )
    return AsyncApp(
        # Named here: unnamed, bolt names itself after its caller's file through inspect.stack(), which reads the
        # source of every frame (a tenth of a second at start-up).
        name="actionbot",
        client=client,
        signing_secret=None,
        request_verification_enabled=False,
        # The edge answers ssl_check and url_verification before bolt (Socket Mode has neither), and actionbot
        # uses neither workflow functions nor assistant threads: bolt's middlewares for those would only cost
        # time on every delivery. Ignoring the app's own events stays on.
        ssl_check_enabled=False,
        url_verification_enabled=False,
        attaching_function_token_enabled=False,
        attaching_conversation_kwargs_enabled=False,
        # Answer in the listener itself: commands are acknowledged with their answer, and work after
        # the acknowledgement is tracked by Background rather than bolt's untracked futures.
        process_before_response=True,
        # A delivery no listener takes goes to the error handler (listeners.py), which answers 200.
        raise_error_for_unhandled_request=True,
        logger=logging.getLogger("actionbot.slack.bolt"),
    )

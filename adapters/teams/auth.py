"""The Bot Framework adapter and its authentication, built from settings.

With ``MICROSOFT_APP_ID`` set, every activity's JWT is validated by botframework-connector (issuer,
signature against the Bot Framework's published keys, audience = our app id, ``serviceurl`` claim =
the activity's ``serviceUrl``) and outbound calls carry a token for the app. Without it the adapter
only exists when the operator allows anonymous local testing (``ACTIONBOT_TEAMS_ALLOW_ANONYMOUS``).

botframework-connector 4.17 raises ``PermissionError`` for most bad tokens, but lets a malformed
token (``jwt.DecodeError``), an unknown key id (``IndexError``), a bad signature or an expired token
escape as other exceptions, which aiohttp would answer with a 500. :class:`StrictAuthentication`
turns every one of those into ``PermissionError`` (401), and an unreachable key endpoint into
:class:`AuthUnavailable` (503, so the Bot Framework retries). Quirk, as of 4.17.1: the connector
fetches the signing keys with blocking ``requests`` calls on the event loop, once a day; and msal
fetches the outbound token synchronously, once an hour. Both are short and rare, so they are left.

The outbound token comes from Microsoft's login endpoint (``login.microsoftonline.com``), through msal.
``ACTIONBOT_TEAMS_TOKEN_AUTHORITY`` points msal at another authority (an https URL with a tenant path);
production never sets it: the tests do, to run the app-id-and-password path against a fake token endpoint
on 127.0.0.1. botframework-connector 4.17 takes a login URL (``TO_CHANNEL_FROM_BOT_LOGIN_URL``) but then
builds msal's client without ``validate_authority=False``, so msal would ask login.microsoftonline.com
whether the host is a known authority; :class:`AuthorityCredentials` builds msal's client itself instead.
"""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
    ConfigurationServiceClientCredentialFactory,
)
from botbuilder.schema import Activity
from botframework.connector.auth import (
    AuthenticateRequestResult,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    MicrosoftAppCredentials,
    ServiceClientCredentialsFactory,
    UserTokenClient,
)
from botframework.connector.skills import BotFrameworkClient
from msal import ConfidentialClientApplication

from bot.settings import Settings

log = logging.getLogger("actionbot.teams")


class AuthUnavailable(Exception):
    """The Bot Framework's signing keys could not be fetched, so no token can be checked right now."""


class _BotConfiguration:
    """The attribute names ``ConfigurationBotFrameworkAuthentication`` reads, filled from settings."""

    def __init__(self, settings: Settings) -> None:
        self.APP_ID = settings.microsoft_app_id or None
        password = settings.microsoft_app_password
        self.APP_PASSWORD = password.get_secret_value() if password else None
        self.APP_TYPE = settings.microsoft_app_type
        self.APP_TENANTID = settings.microsoft_app_tenant_id

    def __repr__(self) -> str:  # never let the password reach a log line through a repr
        return f"_BotConfiguration(APP_ID={self.APP_ID!r}, APP_TYPE={self.APP_TYPE!r})"


# botframework-connector ships no types, so its base class is Any to mypy: subclassing it is the SDK's contract.
class StrictAuthentication(BotFrameworkAuthentication):  # type: ignore[misc]
    """The configured authentication, with every token failure answered 401 (see the module docstring)."""

    def __init__(self, inner: BotFrameworkAuthentication) -> None:
        self._inner = inner

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        try:
            return await self._inner.authenticate_request(activity, auth_header)
        except PermissionError:
            raise
        except OSError as exc:  # requests' errors are OSErrors: the key endpoint did not answer
            raise AuthUnavailable(f"could not fetch the Bot Framework signing keys: {type(exc).__name__}") from None
        except Exception as exc:
            raise PermissionError(f"invalid token ({type(exc).__name__})") from None

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        return await self._inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return self._inner.create_connector_factory(claims_identity)

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        return await self._inner.create_user_token_client(claims_identity)

    def create_bot_framework_client(self) -> BotFrameworkClient:
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return str(self._inner.get_originating_audience())

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self._inner.authenticate_channel_request(auth_header)


# botframework-connector ships no types: its base class is Any to mypy (see StrictAuthentication).
class AuthorityCredentials(ServiceClientCredentialsFactory):  # type: ignore[misc]
    """The configured credentials, with the app's token fetched from ``authority`` (see the module docstring)."""

    def __init__(self, inner: ServiceClientCredentialsFactory, authority: str) -> None:
        self._inner = inner
        self.authority = authority

    async def is_valid_app_id(self, app_id: str) -> bool:
        return bool(await self._inner.is_valid_app_id(app_id))

    async def is_authentication_disabled(self) -> bool:
        return bool(await self._inner.is_authentication_disabled())

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> Any:
        credentials = await self._inner.create_credentials(app_id, oauth_scope, login_endpoint, validate_authority)
        if isinstance(credentials, MicrosoftAppCredentials) and credentials.microsoft_app_password:
            credentials.oauth_endpoint = self.authority
            # MicrosoftAppCredentials builds its msal client on first use unless one is set: this is that client,
            # with the authority taken as given (no instance discovery at login.microsoftonline.com).
            credentials.app = ConfidentialClientApplication(
                client_id=credentials.microsoft_app_id,
                client_credential=credentials.microsoft_app_password,
                authority=self.authority,
                validate_authority=False,
            )
        return credentials


def make_adapter(settings: Settings) -> CloudAdapter:
    """A ``CloudAdapter`` for the configured app (or an anonymous one, when that is allowed)."""
    if not settings.teams_enabled:
        raise ValueError("Teams is not configured: set MICROSOFT_APP_ID (or ACTIONBOT_TEAMS_ALLOW_ANONYMOUS=true)")
    configuration = _BotConfiguration(settings)
    factory = None
    if settings.teams_token_authority:
        factory = AuthorityCredentials(
            ConfigurationServiceClientCredentialFactory(configuration), settings.teams_token_authority
        )
    authentication = ConfigurationBotFrameworkAuthentication(configuration, credentials_factory=factory)
    return CloudAdapter(StrictAuthentication(authentication))


def announce(settings: Settings) -> None:
    """Say at start-up how Teams is secured: loudly when it is not."""
    if settings.microsoft_app_id:
        log.info(
            "Teams: POST /api/messages, every activity's token checked for app %s (%s)",
            settings.microsoft_app_id,
            settings.microsoft_app_type,
        )
        if settings.teams_allow_anonymous:
            log.info("Teams: ACTIONBOT_TEAMS_ALLOW_ANONYMOUS is ignored because MICROSOFT_APP_ID is set")
        return
    log.warning(
        "Teams: ANONYMOUS MODE. MICROSOFT_APP_ID is not set and ACTIONBOT_TEAMS_ALLOW_ANONYMOUS=true, so "
        "POST /api/messages accepts activities WITHOUT checking who sent them: anyone who can reach this "
        "server can act as any Teams user. For local testing only; never expose it."
    )

"""Configuration, read from the environment and a ``.env`` file.

One :class:`Settings` object is built at start-up; anything missing or contradictory stops
start-up with a single line that names the setting (see :func:`load_settings`).
"""

from __future__ import annotations

from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///actionbot.db"
SLACK_DEFAULT_API_URL = "https://slack.com/api/"


class SettingsError(Exception):
    """A setting is missing, malformed or contradicts another; the message names it."""


def _env(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


class Settings(BaseSettings):
    """Everything an operator can configure. Secrets are ``SecretStr`` so they never print."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str = Field(DEFAULT_DATABASE_URL, validation_alias=_env("DATABASE_URL"))
    slack_bot_token: SecretStr | None = Field(None, validation_alias=_env("SLACK_BOT_TOKEN"))
    slack_signing_secret: SecretStr | None = Field(None, validation_alias=_env("SLACK_SIGNING_SECRET"))
    slack_app_token: SecretStr | None = Field(None, validation_alias=_env("SLACK_APP_TOKEN"))
    slack_api_url: str = Field(SLACK_DEFAULT_API_URL, validation_alias=_env("SLACK_API_URL"))
    microsoft_app_id: str | None = Field(None, validation_alias=_env("MICROSOFT_APP_ID"))
    microsoft_app_password: SecretStr | None = Field(None, validation_alias=_env("MICROSOFT_APP_PASSWORD"))
    microsoft_app_tenant_id: str | None = Field(None, validation_alias=_env("MICROSOFT_APP_TENANT_ID"))
    microsoft_app_type: Literal["MultiTenant", "SingleTenant", "UserAssignedMSI"] = Field(
        "MultiTenant", validation_alias=_env("MICROSOFT_APP_TYPE")
    )
    teams_allow_anonymous: bool = Field(False, validation_alias=_env("ACTIONBOT_TEAMS_ALLOW_ANONYMOUS"))
    # Where the app's outbound token comes from: Microsoft's login endpoint unless set (tests point it elsewhere).
    teams_token_authority: str | None = Field(None, validation_alias=_env("ACTIONBOT_TEAMS_TOKEN_AUTHORITY"))
    timezone: str = Field("Europe/London", validation_alias=_env("ACTIONBOT_TIMEZONE"))
    port: int = Field(3978, ge=1, le=65535, validation_alias=_env("PORT"))
    escalation_days: int = Field(14, ge=1, le=365, validation_alias=_env("ACTIONBOT_ESCALATION_DAYS"))
    nudge_hour: int = Field(9, ge=0, le=23, validation_alias=_env("ACTIONBOT_NUDGE_HOUR"))
    page_size: int = Field(10, ge=1, le=50, validation_alias=_env("ACTIONBOT_PAGE_SIZE"))
    log_format: Literal["text", "json"] = Field("text", validation_alias=_env("ACTIONBOT_LOG_FORMAT"))

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not a time zone name such as Europe/London") from None
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:", "postgres:")):
            raise ValueError("use sqlite:///path.db or postgresql+psycopg://user@host/db")
        if value.startswith("postgres:"):
            value = "postgresql+psycopg:" + value.removeprefix("postgres:")
        if value.startswith("postgresql:"):
            value = "postgresql+psycopg:" + value.removeprefix("postgresql:")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url_ends_with_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL such as https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    @field_validator("teams_token_authority")
    @classmethod
    def _https_authority(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("https://"):
            raise ValueError("must be an https URL with a tenant, such as https://login.microsoftonline.com/<tenant>")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if self.slack_app_token and not self.slack_bot_token:
            raise ValueError("SLACK_BOT_TOKEN: required when SLACK_APP_TOKEN is set (Socket Mode)")
        if self.slack_bot_token and not self.slack_app_token and not self.slack_signing_secret:
            raise ValueError(
                "SLACK_SIGNING_SECRET: required for Slack over HTTP (or set SLACK_APP_TOKEN for Socket Mode)"
            )
        if self.microsoft_app_password and not self.microsoft_app_id:
            raise ValueError("MICROSOFT_APP_ID: required when MICROSOFT_APP_PASSWORD is set")
        if self.microsoft_app_type == "SingleTenant" and self.microsoft_app_id and not self.microsoft_app_tenant_id:
            raise ValueError("MICROSOFT_APP_TENANT_ID: required when MICROSOFT_APP_TYPE is SingleTenant")
        if self.microsoft_app_type == "UserAssignedMSI" and self.microsoft_app_id and not self.microsoft_app_tenant_id:
            raise ValueError("MICROSOFT_APP_TENANT_ID: required when MICROSOFT_APP_TYPE is UserAssignedMSI")
        if self.microsoft_app_id and self.microsoft_app_type != "UserAssignedMSI" and not self.microsoft_app_password:
            raise ValueError("MICROSOFT_APP_PASSWORD: required when MICROSOFT_APP_ID is set (the Azure Bot's secret)")
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def slack_enabled(self) -> bool:
        return self.slack_bot_token is not None

    @property
    def teams_enabled(self) -> bool:
        return self.microsoft_app_id is not None or self.teams_allow_anonymous


_FIELD_TO_ENV = {
    name: (field.validation_alias.choices[0] if isinstance(field.validation_alias, AliasChoices) else name)
    for name, field in Settings.model_fields.items()
}


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment, raising :class:`SettingsError` with one line naming the setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise SettingsError(_one_line(exc)) from None


def _one_line(exc: ValidationError) -> str:
    error = exc.errors()[0]
    location = [str(part) for part in error.get("loc", ())]
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    if location:
        name = _FIELD_TO_ENV.get(location[0], location[0].upper())
        return f"{name}: {message}"
    return message

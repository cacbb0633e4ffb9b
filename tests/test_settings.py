"""Configuration: defaults, and one clear line naming the setting when something is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("DATABASE_URL", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "MICROSOFT_APP_ID",
                 "MICROSOFT_APP_PASSWORD", "MICROSOFT_APP_TYPE", "MICROSOFT_APP_TENANT_ID", "ACTIONBOT_TIMEZONE",
                 "PORT", "SLACK_API_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_defaults_need_no_configuration() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite:///actionbot.db"
    assert settings.timezone == "Europe/London"
    assert settings.port == 3978
    assert settings.slack_api_url == "https://slack.com/api/"
    assert not settings.slack_enabled and not settings.teams_enabled


def test_settings_come_from_the_environment_and_a_dotenv_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("ACTIONBOT_TIMEZONE=Europe/Dublin\nPORT=8080\n")
    monkeypatch.setenv("PORT", "9000")
    settings = load_settings()
    assert settings.timezone == "Europe/Dublin"
    assert settings.port == 9000  # the environment wins over .env


def test_names_match_in_any_case_and_what_is_given_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("slack_api_url=http://dotenv.local/api/\nPort=8080\n")
    monkeypatch.setenv("port", "9000")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///from-the-environment.db")
    settings = load_settings(database_url="sqlite:///given.db")
    assert (settings.port, settings.slack_api_url, settings.database_url) == (
        9000, "http://dotenv.local/api/", "sqlite:///given.db"
    )
    assert load_settings(_env_file=None).slack_api_url == "https://slack.com/api/"  # no file read


def test_a_postgres_url_is_given_the_psycopg_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://actionbot@db.internal/actionbot")
    assert load_settings().database_url == "postgresql+psycopg://actionbot@db.internal/actionbot"


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"ACTIONBOT_TIMEZONE": "Europe/Londn"}, "ACTIONBOT_TIMEZONE: 'Europe/Londn' is not a time zone"),
        ({"PORT": "http"}, "PORT:"),
        ({"PORT": "70000"}, "PORT:"),
        ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL: use sqlite:///path.db or postgresql"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET: required for Slack over HTTP"),
        ({"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN: required when SLACK_APP_TOKEN is set"),
        ({"MICROSOFT_APP_PASSWORD": "pw"}, "MICROSOFT_APP_ID: required when MICROSOFT_APP_PASSWORD is set"),
        ({"MICROSOFT_APP_ID": "id", "MICROSOFT_APP_TYPE": "SingleTenant"}, "MICROSOFT_APP_TENANT_ID: required"),
        ({"MICROSOFT_APP_TYPE": "Single"}, "MICROSOFT_APP_TYPE:"),
        ({"SLACK_API_URL": "slack.local"}, "SLACK_API_URL: must be an http(s) URL"),
    ],
)
def test_bad_settings_stop_start_up_with_one_line_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], message: str
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


def test_secrets_never_show_when_settings_are_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "signing-very-secret")
    settings = load_settings()
    assert "very-secret" not in repr(settings) and "very-secret" not in str(settings)

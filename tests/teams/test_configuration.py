"""Teams settings that cannot work stop start-up with one line naming the setting."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    for name in ("MICROSOFT_APP_ID", "MICROSOFT_APP_PASSWORD", "MICROSOFT_APP_TYPE", "MICROSOFT_APP_TENANT_ID",
                 "ACTIONBOT_TEAMS_ALLOW_ANONYMOUS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(str(tmp_path))


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"MICROSOFT_APP_ID": "0b7e5f3a-1111-4222-8333-944455556666"},
         "MICROSOFT_APP_PASSWORD: required when MICROSOFT_APP_ID is set"),
        ({"MICROSOFT_APP_ID": "0b7e5f3a-1111-4222-8333-944455556666", "MICROSOFT_APP_TYPE": "UserAssignedMSI"},
         "MICROSOFT_APP_TENANT_ID: required when MICROSOFT_APP_TYPE is UserAssignedMSI"),
    ],
)
def test_an_app_id_without_what_it_needs_stops_start_up(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], message: str
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert str(raised.value).startswith(message)


def test_teams_is_off_unless_an_app_id_is_set_or_anonymous_testing_is_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not load_settings().teams_enabled
    monkeypatch.setenv("ACTIONBOT_TEAMS_ALLOW_ANONYMOUS", "true")
    assert load_settings().teams_enabled
    monkeypatch.delenv("ACTIONBOT_TEAMS_ALLOW_ANONYMOUS")
    monkeypatch.setenv("MICROSOFT_APP_ID", "0b7e5f3a-1111-4222-8333-944455556666")
    monkeypatch.setenv("MICROSOFT_APP_PASSWORD", "hunter2-client")
    settings = load_settings()
    assert settings.teams_enabled and "hunter2" not in repr(settings)

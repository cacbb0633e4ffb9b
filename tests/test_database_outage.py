"""The database fails and comes back, with ``actionbot serve``'s web app running throughout.

PostgreSQL (when ``ACTIONBOT_TEST_DATABASE_URL`` is set) is reached through a TCP proxy on 127.0.0.1 that
the test cuts and restores: a cut drops every connection and refuses new ones, as a restart, a failover
or a network fault does. SQLite is "unreachable" when its file cannot be opened: its directory is moved
away (an unmounted disk) and the open connections closed; moving it back brings the database back.

While it is away: a Slack command is answered "actionbot can't reach its database just now; try again in
a minute" within Slack's 3 seconds, Teams gets a 503 (so the Bot Framework delivers the activity again),
``/readyz`` says not ready while ``/healthz`` stays alive, each failure is one WARNING line (an outage is
not a bug: no traceback), and nothing is half-written. When it is back, the next request works, without
a restart.
"""

from __future__ import annotations

import logging
import re
import shutil
import sqlite3
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import Engine, event, make_url

from adapters.bootstrap import App
from adapters.web import build_web_app
from bot.clock import FixedClock
from bot.core import Core
from bot.domain import Role, Status
from bot.settings import Settings
from store.db import make_engine
from tests.conftest import PG_URL
from tests.factories import PlanFactory
from tests.slack.conftest import Council, Server, council, fake  # noqa: F401
from tests.slack.driver import SIGNING_SECRET, Message
from tests.slack.fake_slack import BOT_TOKEN, FakeSlack
from tests.slack.helpers import shown, update_rows
from tests.tcp_proxy import TcpProxy
from tests.teams import payloads
from tests.teams.conftest import connector  # noqa: F401
from tests.teams.fake_connector import FakeConnector
from tests.teams.harness import KEVIN, Teams
from tests.test_bad_input import snapshot

AWAY = re.compile(
    r"actionbot can't reach its database just now; try again in a minute\. Nothing was changed\. \(ref [0-9a-f]+\)"
)


@pytest.fixture
def database_url(_template: tuple[str, dict[str, object]], tmp_path: Path) -> str:
    """SQLite in a directory of its own (so it can be moved away); PostgreSQL as the rest of the suite."""
    source, _ = _template
    if PG_URL:
        return PG_URL
    directory = tmp_path / "store"
    directory.mkdir()
    shutil.copyfile(source, directory / "actionbot.db")
    return f"sqlite:///{directory / 'actionbot.db'}"


class Outage:
    """Takes the app's database away and brings it back, or kills its connections."""

    engine: Engine

    async def cut(self) -> None:
        raise NotImplementedError

    async def restore(self) -> None:
        raise NotImplementedError

    def cut_now(self) -> None:
        """Called from the thread doing database work, in the middle of a transaction."""
        raise NotImplementedError

    def kill_connections(self) -> None:
        """Every open connection dies (a restart, an idle timeout); the database itself stays up."""
        raise NotImplementedError

    def kill_connection_now(self, connection: Any) -> None:
        """Called from the thread doing database work: the connection it is using dies."""
        raise NotImplementedError

    @property
    def connections_opened(self) -> int:
        raise NotImplementedError


class PostgresOutage(Outage):
    def __init__(self, proxy: TcpProxy, engine: Engine) -> None:
        self.proxy, self.engine = proxy, engine

    async def cut(self) -> None:
        await self.proxy.cut()

    async def restore(self) -> None:
        await self.proxy.restore()

    def cut_now(self) -> None:
        self.proxy.cut_now()

    def kill_connections(self) -> None:
        self.proxy.drop()

    def kill_connection_now(self, connection: Any) -> None:
        self.proxy.bounce_now()

    @property
    def connections_opened(self) -> int:
        return self.proxy.connections


class SqliteOutage(Outage):
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.directory = Path(str(engine.url.database)).parent
        self.raw: list[sqlite3.Connection] = []
        event.listen(engine, "connect", lambda dbapi_connection, _record: self.raw.append(dbapi_connection))

    async def cut(self) -> None:
        self.directory.rename(self.directory.with_name("store-away"))
        self.engine.dispose()  # open connections would keep the moved file: close them, as a dying disk does

    async def restore(self) -> None:
        if self.directory.with_name("store-away").exists():
            self.directory.with_name("store-away").rename(self.directory)

    def cut_now(self) -> None:
        raise sqlite3.OperationalError("disk I/O error")  # what SQLite says when its disk goes mid-write

    def kill_connections(self) -> None:
        for raw in self.raw:
            raw.close()  # as if the file's handle was lost: "Cannot operate on a closed database"

    def kill_connection_now(self, connection: Any) -> None:
        connection.connection.dbapi_connection.close()

    @property
    def connections_opened(self) -> int:
        return len(self.raw)


@pytest.fixture
async def outage(database_url: str, _template: tuple[str, dict[str, Any]]) -> AsyncIterator[Outage]:
    _, kwargs = _template
    if PG_URL:
        url = make_url(PG_URL)
        proxy = await TcpProxy(url.host or "127.0.0.1", url.port or 5432).start()
        through = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        engine = make_engine(through, **kwargs)
        yield PostgresOutage(proxy, engine)
        await proxy.close()
    else:
        engine = make_engine(database_url)
        yield SqliteOutage(engine)
    engine.dispose()


@dataclass
class Running:
    """The web app on the outage's engine, and what talks to it as Slack and as Teams."""

    client: TestClient[Any, Any]
    slack: Server
    teams: Teams


@pytest.fixture
async def running(
    outage: Outage, database_url: str, fake: FakeSlack, connector: FakeConnector, clock: FixedClock,  # noqa: F811
    council: Council, plan: PlanFactory,  # noqa: F811
) -> AsyncIterator[Running]:
    plan.person("Kevin on Teams", Role.ADMIN, teams=KEVIN.aad)
    settings = Settings(
        database_url=database_url, slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.api_url, teams_allow_anonymous=True, _env_file=None,  # type: ignore[call-arg]
    )
    app = App(settings, outage.engine, Core(outage.engine, settings, clock))
    client: TestClient[Any, Any] = TestClient(TestServer(build_web_app(app), host="127.0.0.1"))
    await client.start_server()
    slack = Server(client, fake)
    yield Running(client, slack, Teams(client, connector))
    await slack.settle()
    await client.close()


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_the_database_goes_away_and_comes_back_without_a_restart(
    running: Running, outage: Outage, engine: Engine, plan: PlanFactory, caplog: pytest.LogCaptureFixture
) -> None:
    slack, teams, client = running.slack, running.teams, running.client
    listing = Message((await slack.command("mine", user="U0KEVIN")).blocks)
    assert listing.has_button(2, "done")
    assert (await client.get("/readyz")).status == 200
    before = snapshot(engine)

    await outage.cut()
    started = time.monotonic()
    answer = await slack.command("done 2 finished", user="U0KEVIN")
    assert time.monotonic() - started < 3.0, "within Slack's 3 seconds"
    assert answer.status == 200 and answer.json["response_type"] == "ephemeral"
    assert AWAY.search(shown(answer.blocks)), shown(answer.blocks)

    await slack.press(listing, 2, "done", user="U0KEVIN")
    await slack.settle()
    [said] = slack.fake.of("response_url")[-1:]
    assert AWAY.search(shown(said.params["blocks"]))

    form = {"type": "modal", "callback_id": "actionbot_update", "private_metadata": '{"a":2}', "blocks": []}
    submitted = await slack.submit(form, {}, user="U0KEVIN")
    assert submitted.json["response_action"] == "update" and AWAY.search(shown(submitted.json["view"]["blocks"]))

    message = payloads.message(teams.service_url, KEVIN, "done 2 finished", payloads.personal_chat(KEVIN))
    assert await teams.post(message) == 503
    press = payloads.card_submit(teams.service_url, KEVIN, payloads.personal_chat(KEVIN),
                                 {"intent": "done", "action_id": 2}, card_id="1:0001")
    assert await teams.post(press) == 503
    assert teams.connector.calls == [], "Teams is told nothing: the Bot Framework will deliver it again"

    ready = await client.get("/readyz")
    assert ready.status == 503
    assert (await ready.json())["checks"]["database"]["ok"] is False
    assert (await client.get("/healthz")).status == 200, "the process is alive: do not restart it"

    assert tracebacks(caplog) == [], "an outage is not a bug"
    assert [r for r in caplog.records if r.levelno == logging.WARNING and "database unavailable (ref" in r.getMessage()]

    await outage.restore()
    answer = await slack.command("done 2 finished", user="U0KEVIN")
    assert "Recorded: #2 is now Done · 100%." in shown(answer.blocks)
    assert await teams.post(payloads.message(teams.service_url, KEVIN, "show 2", payloads.personal_chat(KEVIN))) == 200
    assert (await client.get("/readyz")).status == 200
    assert [r.new_status for r in update_rows(plan, 2)] == [Status.DONE], "only the command after the outage"
    after = snapshot(engine)
    assert after[1] == before[1] + 1


async def test_a_write_whose_connection_dies_half_way_leaves_nothing_half_written(
    running: Running, outage: Outage, engine: Engine, plan: PlanFactory, caplog: pytest.LogCaptureFixture
) -> None:
    before = snapshot(engine)
    cuts: list[str] = []

    @event.listens_for(outage.engine, "after_cursor_execute")
    def cut_after_the_actions_row(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "UPDATE ACTION SET" in statement.upper() and not cuts:
            cuts.append(statement)
            # The action's row is written in the open transaction (on SQLite its audit row is yet to be sent; on
            # PostgreSQL it went in the same statement); the commit never will be.
            outage.cut_now()

    answer = await running.slack.command("update 2 at-risk 40% waiting for legal", user="U0KEVIN")
    assert cuts, "the write was cut half-way"
    assert AWAY.search(shown(answer.blocks)), shown(answer.blocks)
    event.remove(outage.engine, "after_cursor_execute", cut_after_the_actions_row)
    await outage.restore()
    assert snapshot(engine) == before, "the action was not changed without its audit row"
    assert plan.get(2).status is Status.NOT_STARTED and update_rows(plan, 2) == []
    assert tracebacks(caplog) == []

    answer = await running.slack.command("update 2 at-risk 40% waiting for legal", user="U0KEVIN")
    assert "Recorded: #2 is now At risk · 40%." in shown(answer.blocks)


async def test_connections_that_died_in_the_pool_are_replaced_unnoticed(
    running: Running, outage: Outage, caplog: pytest.LogCaptureFixture
) -> None:
    assert "Your actions" in shown((await running.slack.command("mine", user="U0KEVIN")).blocks)
    opened = outage.connections_opened
    outage.kill_connections()  # a server restart or an idle timeout: every pooled connection is dead
    answer = await running.slack.command("mine", user="U0KEVIN")
    assert "Your actions" in shown(answer.blocks), "the pool's pre-ping replaced the dead connections"
    assert outage.connections_opened > opened
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


async def test_a_read_whose_connection_dies_is_read_again_on_a_new_one(
    running: Running, outage: Outage, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="actionbot.work")
    dropped: list[str] = []

    @event.listens_for(outage.engine, "before_cursor_execute")
    def drop_under_the_listing(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "FROM action" in statement and not dropped:
            dropped.append(statement)
            outage.kill_connection_now(conn)

    answer = await running.slack.command("mine", user="U0KEVIN")
    event.remove(outage.engine, "before_cursor_execute", drop_under_the_listing)
    assert dropped
    assert "Your actions" in shown(answer.blocks), shown(answer.blocks)
    assert [r for r in caplog.records if "reading again on a new one" in r.getMessage()]
    assert tracebacks(caplog) == [] and not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_the_outage_message_is_what_the_issue_asks_for() -> None:
    from bot.errors import DatabaseUnavailable

    assert AWAY.fullmatch(str(DatabaseUnavailable("0123abcd")))



class _Captured(Exception):
    pass


@pytest.mark.parametrize(
    ("url", "timeout"),
    [("postgresql+psycopg://actionbot@db.council.internal/actionbot", 2),
     ("postgresql+psycopg://actionbot@db.council.internal/actionbot?connect_timeout=10", "10")],
)
def test_postgresql_connections_give_up_quickly_and_notice_a_vanished_server(url: str, timeout: int | str) -> None:
    engine = make_engine(url)
    captured: dict[str, Any] = {}

    @event.listens_for(engine, "do_connect")
    def capture(dialect: Any, record: Any, cargs: Any, cparams: dict[str, Any]) -> None:
        captured.update(cparams)
        raise _Captured  # no network: only what would be asked of libpq

    with pytest.raises(_Captured):
        engine.connect()
    assert captured.get("connect_timeout") == timeout, "the URL's own setting wins"
    assert (captured["keepalives"], captured["keepalives_idle"], captured["tcp_user_timeout"]) == (1, 30, 10_000)
    assert engine.pool._pre_ping  # type: ignore[attr-defined]

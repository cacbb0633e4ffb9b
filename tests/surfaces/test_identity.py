"""Who is asking, the same on every surface: the core looks the person up once per request and remembers
nothing, so a link or an unlink counts from the very next message; someone the plan does not know is
welcomed and told who the admins are."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, event, update

from adapters.console import ConsoleChat
from bot.core import Core
from store.models import Person
from store.session import transaction
from tests.surfaces.conftest import Staff
from tests.surfaces.surface import Surface
from tests.teams.harness import DEB, JAYNE, KEVIN, STRANGER

ASK_THE_ADMINS = "Ask an admin (Kevin Dicks or Sarah Collins) to link you to your name in the plan"


async def test_someone_the_plan_does_not_know_is_welcomed_and_told_who_the_admins_are(
    surface: Surface, staff: Staff, engine: Engine
) -> None:
    screen = await surface.say(STRANGER, "mine")
    assert "Welcome to actionbot" in screen.text
    assert "You are not linked to anyone in the action plan yet" in screen.text
    assert ASK_THE_ADMINS in screen.text
    assert "link @you Your Name" in screen.text


async def test_help_tells_someone_the_plan_does_not_know_who_the_admins_are(surface: Surface, staff: Staff) -> None:
    screen = await surface.say(STRANGER, "help")
    assert "actionbot commands" in screen.text and ASK_THE_ADMINS in screen.text


def test_the_console_welcomes_someone_the_plan_does_not_know_the_same_way(core: Core, staff: Staff) -> None:
    out = io.StringIO()
    ConsoleChat(core, 999_999, "Sam Stranger", out=out).run(["mine"], interactive=False)
    assert "Welcome to actionbot" in out.getvalue()
    assert ASK_THE_ADMINS in out.getvalue()


async def test_the_welcome_says_whom_to_ask_when_nobody_is_an_admin_yet(
    surface: Surface, staff: Staff, engine: Engine
) -> None:
    with transaction(engine) as session:
        session.execute(update(Person).values(roles=[]))
    screen = await surface.say(STRANGER, "mine")
    assert "Nobody has the admin role yet: ask whoever runs actionbot to link you" in screen.text


async def test_a_link_counts_from_the_next_message(surface: Surface, staff: Staff) -> None:
    assert "Welcome to actionbot" in (await surface.say(STRANGER, "mine")).text
    linked = await surface.link(DEB, STRANGER, "Jayne Pickering")
    assert "Only admins" in linked.text or "may not" in linked.text  # a manager may not link people
    assert "Welcome to actionbot" in (await surface.say(STRANGER, "mine")).text

    await surface.link(KEVIN, STRANGER, "Jayne Pickering")
    assert "Agree the member development plan" in (await surface.say(STRANGER, "mine")).text


async def test_an_unlink_counts_from_the_next_message(surface: Surface, staff: Staff, engine: Engine) -> None:
    assert "Refresh the Corporate Plan" in (await surface.say(DEB, "mine")).text
    with transaction(engine) as session:  # an admin unlinks Deb on the server
        session.execute(update(Person).where(Person.id == staff.deb.id).values(slack_user_id=None, teams_user_id=None))
    screen = await surface.say(DEB, "mine")
    assert "Welcome to actionbot" in screen.text and "Refresh the Corporate Plan" not in screen.text


async def test_a_moved_link_counts_from_the_next_message(surface: Surface, staff: Staff) -> None:
    assert "Refresh the Corporate Plan" in (await surface.say(DEB, "mine")).text
    await surface.link(KEVIN, DEB, "Jayne Pickering")
    screen = await surface.say(DEB, "mine")
    assert "Agree the member development plan" in screen.text and "Refresh the Corporate Plan" not in screen.text


@pytest.fixture
def person_lookups(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements that read the ``person`` table by a chat user id, as they run."""
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        where = statement.split("WHERE", 1)[1] if "WHERE" in statement else ""
        if "FROM person" in statement and "_user_id" in where:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


async def test_a_linked_user_costs_one_lookup_per_request(
    surface: Surface, staff: Staff, person_lookups: list[str]
) -> None:
    await surface.say(DEB, "help")
    await surface.say(JAYNE, "help")  # on neither platform is Jayne linked: still one lookup of her by id
    assert len(person_lookups) == 2

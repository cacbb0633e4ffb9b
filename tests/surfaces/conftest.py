"""Both chat surfaces at once: the real Slack and Teams servers, each against its fake platform over HTTP.

The fixtures are the ones ``tests/slack`` and ``tests/teams`` use (imported, not copied); :class:`Staff`
is a small plan whose people are linked on both platforms, and :class:`Surface` lets one test say the
same thing on Slack and on Teams and read what each showed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import Engine

from adapters.teams.sender import TeamsSender
from bot.core import Core
from bot.domain import Role, Status
from bot.notices import letters
from bot.replies import Reply
from bot.settings import Settings
from store.actions import rows_by_ids
from store.models import Action, Person
from store.session import transaction
from tests.conftest import NOW
from tests.factories import PlanFactory
from tests.slack.conftest import Server, fake, slack, slack_app, slack_settings  # noqa: F401 (fixtures)
from tests.surfaces.surface import SLACK_IDS, Surface, on_slack, on_teams
from tests.teams.conftest import connector, teams, teams_settings  # noqa: F401 (fixtures)
from tests.teams.harness import DEB, KEVIN, Teams


@dataclass
class Staff:
    """Kevin (an admin) and Deb, linked on Slack and Teams; Sarah, an admin with no chat account yet;
    Jayne, in the plan but linked nowhere. Deb owns three open actions, Jayne one."""

    kevin: Person
    deb: Person
    sarah: Person
    jayne: Person
    debs: list[Action]
    jaynes: Action


@pytest.fixture
def staff(plan: PlanFactory) -> Staff:
    kevin = plan.person("Kevin Dicks", Role.ADMIN, Role.SMT, slack=SLACK_IDS[KEVIN], teams=KEVIN.aad)
    deb = plan.person("Deb Poole", Role.MANAGER, slack=SLACK_IDS[DEB], teams=DEB.aad)
    sarah = plan.person("Sarah Collins", Role.ADMIN)
    jayne = plan.person("Jayne Pickering")
    review = plan.review("Corporate Peer Challenge 2018", deb)
    debs = [
        plan.action(
            deb, review=review, due_in=-12, status=Status.ON_TRACK, percent=30, text="Refresh the Corporate Plan"
        ),
        plan.action(deb, review=review, due_in=-3, text="Publish the communications strategy"),
        plan.action(deb, review=review, due_in=5, text="Publish the workforce strategy"),
    ]
    jaynes = plan.action(jayne, review=review, due_in=9, text="Agree the member development plan")
    return Staff(kevin, deb, sarah, jayne, debs, jaynes)


@pytest.fixture
def debs_morning(staff: Staff, engine: Engine) -> Reply:
    """The clock's morning message to Deb, about her three actions."""
    with transaction(engine, write=False) as session:
        return letters.daily(rows_by_ids(session, [a.id or 0 for a in staff.debs]), [], NOW.date(), page_size=10)


@pytest.fixture(params=["slack", "teams"])
def surface(request: pytest.FixtureRequest, staff: Staff) -> Surface:
    """The same conversation on each chat surface in turn."""
    if request.param == "slack":
        server: Server = request.getfixturevalue("slack")
        return on_slack(server)
    teams_client: Teams = request.getfixturevalue("teams")
    settings: Settings = request.getfixturevalue("teams_settings")
    core = Core(request.getfixturevalue("engine"), settings, request.getfixturevalue("clock"))
    return on_teams(teams_client, TeamsSender.from_settings(settings, core.uow))

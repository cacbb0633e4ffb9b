"""The demo's sample plan: three reviews written from the real documents in ``shared/seeds/``.

The recommendation and action texts follow the 2017 Corporate Peer Challenge recommendations,
the 2014 Cabinet report's action plan and the 2017 peer review programme paper. The council
and its people are fictional, so no real officer is shown with an overdue action. Deadlines
are set relative to the day the demo runs, so it always has overdue and upcoming actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session

from bot import plan
from bot.domain import Role, Status, Surface, TimescaleKind, UpdateKind
from bot.plan import Owner, Timescale
from store.models import Action, ActionUpdate, Group, Person

ORGANISATION = "Eastbridge Borough Council (sample)"

PEOPLE = [
    # name, job title, roles, email
    ("Alex Morgan", "Chief Executive", [Role.SMT], "alex.morgan@eastbridge.example"),
    ("Priya Shah", "Director of Resources", [Role.SMT, Role.MANAGER], "priya.shah@eastbridge.example"),
    ("Tom Hughes", "Head of Democratic Services", [Role.MANAGER], "tom.hughes@eastbridge.example"),
    ("Gareth Evans", "Head of People", [Role.MANAGER], "gareth.evans@eastbridge.example"),
    ("Sarah Collins", "Policy and Performance Officer", [Role.ADMIN], "sarah.collins@eastbridge.example"),
    ("Nadia Rahman", "Head of Communications", [], "nadia.rahman@eastbridge.example"),
    ("Mike Taylor", "Director of Place", [Role.SMT], "mike.taylor@eastbridge.example"),
    ("Lucy Bennett", "Head of Finance", [], "lucy.bennett@eastbridge.example"),
    ("Owen Price", "UNISON Branch Secretary", [Role.UNION_REP], "owen.price@eastbridge.example"),
    ("Cllr Helen Ward", "Chair of Overview and Scrutiny", [Role.MEMBER], "helen.ward@eastbridge.example"),
]

GROUPS = {
    "CMT": ["Alex Morgan", "Priya Shah", "Mike Taylor"],
    "Communications Team": ["Nadia Rahman"],
    "Group Leaders": [],
}

DEMO_PERSON = "Alex Morgan"


@dataclass(frozen=True)
class SampleAction:
    """One action of the sample: ``due`` is days from today (``None`` for no deadline)."""

    text: str
    owners: list[str]
    due: int | None
    timescale: str = ""
    kind: TimescaleKind = TimescaleKind.DATE
    status: Status = Status.NOT_STARTED
    percent: int = 0
    note: str | None = None


S = SampleAction
ON, RISK, OFF, DONE = Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.DONE


@dataclass(frozen=True)
class SampleReview:
    """A review of the sample: dates are days from today."""

    title: str
    kind: str
    leads: list[str]
    received: int
    follow_up: int
    recommendations: list[tuple[str, str, str, list[SampleAction]]]


REVIEWS: list[SampleReview] = [
    SampleReview(
        title="Corporate Peer Challenge 2017",
        kind="Corporate Peer Challenge",
        leads=["Priya Shah"],
        received=-420,
        follow_up=60,
        recommendations=[
            (
                "1",
                "Recommendations for structural and constitutional governance",
                "Undertake a full Constitutional review, led at the most senior officer level "
                "and supported by members.",
                [
                    S(
                        "Commission the Constitutional review and agree its terms of reference with Group Leaders.",
                        ["Alex Morgan", "Group Leaders"],
                        -45,
                        status=OFF,
                        percent=30,
                        note="Terms of reference went back to Group Leaders for a second round.",
                    ),
                    S(
                        "Update member and officer protocols, including separate social media protocols.",
                        ["Tom Hughes"],
                        6,
                        status=ON,
                        percent=60,
                    ),
                ],
            ),
            (
                "2",
                "Recommendations for Accountability",
                "Introduce a process map to clarify lines of accountability for all commissioned and "
                "contracted-out services.",
                [
                    S(
                        "Draft the accountability process map with members and officers.",
                        ["Priya Shah"],
                        -21,
                        status=RISK,
                        percent=40,
                        note="Waiting for the commissioning register from Legal.",
                    ),
                    S(
                        "Publish the measures of success and how progress will be communicated.",
                        ["Nadia Rahman", "Communications Team"],
                        13,
                    ),
                ],
            ),
            (
                "3",
                "Recommendations for Scrutiny",
                "Introduce regular all-member briefings on key issues and strengthen scrutiny.",
                [
                    S(
                        "Start a monthly all-member briefing on key issues.",
                        ["Tom Hughes"],
                        None,
                        timescale="Ongoing",
                        kind=TimescaleKind.ONGOING,
                        status=ON,
                        percent=50,
                    ),
                    S(
                        "Set clear timeframes so scrutiny members can digest papers before decisions.",
                        ["Tom Hughes"],
                        -8,
                        status=RISK,
                        percent=70,
                    ),
                    S("Evaluate officer capacity to support a thriving scrutiny function.", ["Gareth Evans"], 1),
                ],
            ),
            (
                "4",
                "Recommendations for understanding of local place and priority setting",
                "Invest more time in understanding what your residents value.",
                [
                    S(
                        "Run a residents' survey and publish the results.",
                        ["Nadia Rahman"],
                        -3,
                        status=RISK,
                        percent=80,
                    ),
                    S("Agree a clear policy for inward investment.", ["Mike Taylor"], 45),
                ],
            ),
            (
                "5",
                "Recommendations for Leadership of Place",
                "Enhance and deepen relationships with businesses and partners.",
                [
                    S(
                        "Make interaction with the safeguarding boards regular and consistent.",
                        ["Priya Shah"],
                        -60,
                        status=DONE,
                        percent=100,
                        note="Quarterly slot agreed with both boards.",
                    ),
                    S(
                        "Describe what an integrated health and social care system will look like for residents.",
                        ["Mike Taylor", "CMT"],
                        0,
                        status=ON,
                        percent=90,
                    ),
                ],
            ),
            (
                "6",
                "Recommendations for financial planning viability",
                "Link the medium term financial strategy to the single council vision.",
                [
                    S(
                        "Refresh the medium term financial strategy against the council vision.",
                        ["Lucy Bennett"],
                        -15,
                        status=OFF,
                        percent=20,
                    ),
                    S(
                        "Give budget holders ownership of planned savings and a way to report against them.",
                        ["Lucy Bennett"],
                        3,
                        status=ON,
                        percent=55,
                    ),
                ],
            ),
            (
                "8",
                "Recommendations for capacity to deliver",
                "Develop a one-team approach to leadership, bringing SLT and Cabinet together regularly.",
                [
                    S(
                        "Hold joint SLT and Cabinet sessions on key strategic issues.",
                        ["Alex Morgan", "CMT"],
                        10,
                        status=ON,
                        percent=40,
                    ),
                    S("Continue to progress the People Strategy.", ["Gareth Evans"], 90, status=ON, percent=25),
                ],
            ),
        ],
    ),
    SampleReview(
        title="LGA Peer Review 2013 action plan",
        kind="Corporate Peer Challenge",
        leads=["Tom Hughes"],
        received=-800,
        follow_up=-30,
        recommendations=[
            (
                "K1",
                "Key Recommendations",
                "Look again at the scale of ambition to reconfirm the priorities of the organisation within the "
                "financial resources available to it.",
                [
                    S(
                        "Reconfirm the council's priorities through the Business Plan process, reviewed each year.",
                        ["Alex Morgan", "CMT"],
                        None,
                        timescale="In place",
                        kind=TimescaleKind.IN_PLACE,
                        status=DONE,
                        percent=100,
                    )
                ],
            ),
            (
                "K2",
                "Key Recommendations",
                "Ensure there is a robust analysis of the scale of requirements for corporate capacity and "
                "capability to deliver the Council's business plan.",
                [
                    S(
                        "Develop a workforce strategy covering skills, succession planning and knowledge transfer.",
                        ["Gareth Evans"],
                        -30,
                        status=RISK,
                        percent=60,
                    ),
                    S("Each Director to confirm resources to deliver their part of the Business Plan.", ["CMT"], 21),
                ],
            ),
            (
                "K3",
                "Key Recommendations",
                "Consider a formal engagement process with all staff to develop ideas around efficiencies "
                "and innovation.",
                [
                    S(
                        "Launch a staff ideas scheme linked to a recognition award.",
                        ["Gareth Evans", "Nadia Rahman"],
                        -10,
                        status=OFF,
                        percent=10,
                        note="Paused while the recognition budget is agreed.",
                    )
                ],
            ),
            (
                "K4",
                "Key Recommendations",
                "Ensure that the formal arrangements with the shared service are focused on delivering value.",
                [
                    S(
                        "Implement Service Level Agreements with the shared service.",
                        ["Priya Shah"],
                        -90,
                        status=DONE,
                        percent=100,
                    ),
                    S(
                        "Review the Service Level Agreements against the savings achieved.",
                        ["Lucy Bennett"],
                        30,
                        timescale="TBC",
                        kind=TimescaleKind.UNKNOWN,
                    ),
                ],
            ),
        ],
    ),
    SampleReview(
        title="Peer Review Programme 2017",
        kind="Service review programme",
        leads=["Gareth Evans"],
        received=-200,
        follow_up=120,
        recommendations=[
            (
                "1",
                "Making peer reviews normal business",
                "Develop criteria for prioritising reviews: member views, budget scale, performance data and "
                "staff views.",
                [
                    S(
                        "Draft prioritisation criteria and take them to the Redesign Board.",
                        ["Sarah Collins"],
                        -5,
                        status=RISK,
                        percent=50,
                    ),
                    S("Publish the forward programme of reviews.", ["Sarah Collins"], 14),
                ],
            ),
            (
                "2",
                "Sustain Members' engagement in a review programme",
                "Members identify priority areas, challenge findings and scrutinise implementation.",
                [
                    S(
                        "Offer briefings, workshops and site visits to members attached to each review.",
                        ["Tom Hughes"],
                        7,
                        status=ON,
                        percent=30,
                    ),
                    S(
                        "Agree a shadowing framework for members.",
                        ["Tom Hughes", "Gareth Evans"],
                        -25,
                        status=DONE,
                        percent=100,
                    ),
                ],
            ),
            (
                "3",
                "Sustain engagement of Trade Unions in a review programme",
                "Support the partnership approach with trade union representatives in every review.",
                [
                    S(
                        "Invite a staff side representative onto every review team.",
                        ["Gareth Evans"],
                        -12,
                        status=ON,
                        percent=75,
                    ),
                    S(
                        "Report trade union involvement to the Board each quarter.",
                        ["Gareth Evans"],
                        None,
                        timescale="Quarterly and ongoing",
                        kind=TimescaleKind.ONGOING,
                        status=ON,
                        percent=0,
                    ),
                ],
            ),
        ],
    ),
]


def load(session: Session, *, today: date, now: datetime) -> dict[str, Person]:
    """Write the sample plan into an empty database; return the people by name."""
    people = {
        name: Person(name=name, job_title=title, roles=sorted(r.value for r in roles), email=email)
        for name, title, roles, email in PEOPLE
    }
    session.add_all(people.values())
    session.flush()
    groups: dict[str, Group] = {
        name: plan.add_group(session, name, [people[m] for m in members]) for name, members in GROUPS.items()
    }
    owners: dict[str, Owner] = {**people, **groups}
    for spec in REVIEWS:
        _load_review(session, spec, owners, people, today, now)
    return people


def _load_review(
    session: Session,
    spec: SampleReview,
    owners: dict[str, Owner],
    people: dict[str, Person],
    today: date,
    now: datetime,
) -> None:
    review = plan.add_review(
        session,
        spec.title,
        organisation=ORGANISATION,
        kind=spec.kind,
        received_on=today + timedelta(days=spec.received),
        follow_up_on=today + timedelta(days=spec.follow_up),
        leads=[people[name] for name in spec.leads],
    )
    created = now + timedelta(days=spec.received + 30)  # the plan was approved a month after the review
    for position, (ref, section, text, actions) in enumerate(spec.recommendations):
        rec = plan.add_recommendation(session, review, ref, text, section=section, position=position)
        for index, sample in enumerate(actions):
            due = today + timedelta(days=sample.due) if sample.due is not None else None
            timescale = Timescale(
                text=sample.timescale or (due.strftime("%d %B %Y") if due else ""),
                kind=sample.kind,
                due=due if sample.kind is not TimescaleKind.UNKNOWN else None,
                flag="TBC: no date given" if sample.kind is TimescaleKind.UNKNOWN else None,
            )
            action = plan.add_action(
                session,
                rec,
                sample.text,
                timescale=timescale,
                owners=[owners[name] for name in sample.owners],
                at=created,
                position=index,
            )
            if sample.status is not Status.NOT_STARTED and sample.kind is not TimescaleKind.IN_PLACE:
                _progress(session, action, sample, owners, now)


def _progress(session: Session, action: Action, sample: SampleAction, owners: dict[str, Owner], now: datetime) -> None:
    """Record the sample's progress as an update by the lead owner a few days ago."""
    lead = owners[sample.owners[0]]
    person_id = lead.id if isinstance(lead, Person) else None
    at = now - timedelta(days=3 + (action.id or 0) % 9, hours=(action.id or 0) % 7)
    session.add(
        ActionUpdate(
            action_id=action.id or 0,
            at=at,
            person_id=person_id,
            surface=Surface.SLACK,
            kind=UpdateKind.STATUS,
            old_status=action.status,
            new_status=sample.status,
            old_percent=action.percent_complete,
            new_percent=sample.percent,
            old_due_date=action.due_date,
            new_due_date=action.due_date,
            note=sample.note,
        )
    )
    action.status = sample.status
    action.percent_complete = sample.percent
    action.latest_note = sample.note
    action.updated_at = at
    session.add(action)

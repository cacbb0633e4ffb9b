"""Creating the parts of an action plan: reviews, recommendations, actions, people and groups.

Used by the demo's sample plan and by the importer. Creating an action writes its first audit
row ("created"), so the history of every action starts at the beginning.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, select

from bot.domain import Nation, Status, Surface, Timescale, TimescaleKind, UpdateKind
from store.models import (
    Action,
    ActionOwner,
    ActionUpdate,
    Group,
    GroupMember,
    Person,
    Recommendation,
    Review,
    ReviewLead,
)

Owner = Person | Group


def add_review(
    session: Session,
    title: str,
    *,
    organisation: str = "",
    kind: str = "Corporate Peer Challenge",
    received_on: date | None = None,
    follow_up_on: date | None = None,
    nation: Nation = Nation.ENGLAND,
    leads: list[Person] | None = None,
) -> Review:
    review = Review(
        title=title,
        organisation=organisation,
        kind=kind,
        received_on=received_on,
        follow_up_on=follow_up_on,
        nation=nation,
    )
    session.add(review)
    session.flush()
    for lead in leads or []:
        session.add(ReviewLead(review_id=review.id or 0, person_id=lead.id or 0))
    return review


def add_recommendation(
    session: Session, review: Review, ref: str, text: str, *, section: str = "", position: int = 0, flush: bool = True
) -> Recommendation:
    """A recommendation of ``review``; ``flush=False`` leaves the INSERT to be batched with others."""
    recommendation = Recommendation(review_id=review.id or 0, ref=ref, text=text, section=section, position=position)
    session.add(recommendation)
    if flush:
        session.flush()
    return recommendation


def add_action(
    session: Session,
    recommendation: Recommendation,
    text: str,
    *,
    timescale: Timescale,
    owners: list[Owner],
    at: datetime,
    status: Status = Status.NOT_STARTED,
    percent: int = 0,
    position: int = 0,
    surface: Surface = Surface.IMPORT,
) -> Action:
    """Create an action with its owners (lead first) and its "created" audit row."""
    action = new_action(
        recommendation,
        text,
        timescale=timescale,
        owners=owners,
        at=at,
        status=status,
        percent=percent,
        position=position,
    )
    session.add(action)
    session.flush()
    record_creation(session, [(action, owners)], at=at, surface=surface)
    return action


def new_action(
    recommendation: Recommendation,
    text: str,
    *,
    timescale: Timescale,
    owners: list[Owner],
    at: datetime,
    status: Status = Status.NOT_STARTED,
    percent: int = 0,
    position: int = 0,
) -> Action:
    """An action not yet stored: add it, flush, then :func:`record_creation` with the same ``owners``
    (many at once is fastest). The lead owner's name is kept on the action, for ordering lists by owner."""
    return Action(**action_row(recommendation, text, timescale=timescale, owners=owners, at=at, status=status,
                               percent=percent, position=position))  # fmt: skip


def action_row(
    recommendation: Recommendation,
    text: str,
    *,
    timescale: Timescale,
    owners: list[Owner],
    at: datetime,
    status: Status = Status.NOT_STARTED,
    percent: int = 0,
    position: int = 0,
) -> dict[str, Any]:
    """The column values of a new action, for :func:`new_action` or a bulk ``INSERT … RETURNING``.
    A timescale that says the action is already in place makes it done (and done is 100%)."""
    if timescale.kind is TimescaleKind.IN_PLACE and status is Status.NOT_STARTED:
        status, percent = Status.DONE, 100
    return {
        "review_id": recommendation.review_id,
        "recommendation_id": recommendation.id or 0,
        "position": position,
        "text": text,
        "timescale": timescale.text,
        "timescale_kind": timescale.kind,
        "timescale_flag": timescale.flag,
        "due_date": timescale.due,
        "status": status,
        "percent_complete": percent,
        "lead_owner": owners[0].name if owners else "",
        "created_at": at,
        "updated_at": at,
    }


def record_creation(
    session: Session, created: list[tuple[Action, list[Owner]]], *, at: datetime, surface: Surface
) -> None:
    """Owners and the "created" audit row of actions just flushed, written in two statements whatever their number."""
    owner_rows = [
        {
            "action_id": action.id,
            "position": position,
            "person_id": owner.id if isinstance(owner, Person) else None,
            "group_id": owner.id if isinstance(owner, Group) else None,
        }
        for action, owners in created
        for position, owner in enumerate(owners)
    ]
    # Core inserts of the tables (not the ORM's bulk path, which splits rows by which values are NULL):
    # one executemany each, batched by the driver.
    if owner_rows:
        session.execute(insert(ActionOwner.__table__), owner_rows)  # type: ignore[attr-defined]
    update_rows = [
        {
            "action_id": action.id,
            "at": at,
            "surface": surface,
            "kind": UpdateKind.CREATED,
            "new_status": action.status,
            "new_percent": action.percent_complete,
            "new_due_date": action.due_date,
        }
        for action, _ in created
    ]
    if update_rows:
        session.execute(insert(ActionUpdate.__table__), update_rows)  # type: ignore[attr-defined]


def set_owners(session: Session, action: Action, owners: list[Owner]) -> None:
    """Replace an action's owners; the first is the lead owner (whose name the action keeps, for ordering)."""
    for existing in session.exec(select(ActionOwner).where(ActionOwner.action_id == action.id)):
        session.delete(existing)
    session.flush()
    for position, owner in enumerate(owners):
        if isinstance(owner, Person):
            session.add(ActionOwner(action_id=action.id or 0, position=position, person_id=owner.id))
        else:
            session.add(ActionOwner(action_id=action.id or 0, position=position, group_id=owner.id))
    lead_owner = owners[0].name if owners else ""
    if action.lead_owner != lead_owner:
        action.lead_owner = lead_owner
        session.add(action)


def add_group(session: Session, name: str, members: list[Person] | None = None) -> Group:
    group = Group(name=name)
    session.add(group)
    session.flush()
    for member in members or []:
        session.add(GroupMember(group_id=group.id or 0, person_id=member.id or 0))
    return group

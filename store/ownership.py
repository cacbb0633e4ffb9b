"""Who owns which actions (directly or through a group) and who leads which reviews.

These are the facts :mod:`bot.permissions` decides from; each is one query. The two a button press asks
(does this person lead the action's review, own the action) are statements built once: building a query
costs several times what SQLite takes to answer it.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, Integer, and_, bindparam, or_
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from store.models import Action, ActionOwner, GroupMember, Person, ReviewLead

_ACTION, _OWNER, _MEMBER, _LEAD = (
    Action.__table__,  # type: ignore[attr-defined]
    ActionOwner.__table__,  # type: ignore[attr-defined]
    GroupMember.__table__,  # type: ignore[attr-defined]
    ReviewLead.__table__,  # type: ignore[attr-defined]
)
_PERSON = bindparam("person", type_=Integer)


def names_the_person(action: ColumnElement[int]) -> ColumnElement[bool]:
    """An ``action_owner`` row of ``action`` that names the person (bound as ``person``) directly or through one
    of their groups: what "owns the action" means everywhere it is asked."""
    return and_(
        _OWNER.c.action_id == action,
        or_(
            _OWNER.c.person_id == _PERSON,
            _OWNER.c.group_id.in_(core_select(_MEMBER.c.group_id).where(_MEMBER.c.person_id == _PERSON)),
        ),
    )


# Asked for every page with buttons: one statement, built once (SQLAlchemy Core). Ownership is asked of each
# action of the page (an EXISTS on action_owner's action_id): as "among everything the person owns" (an IN over an
# OR), PostgreSQL scanned every owner row, ~9 ms an answer at 100,000 actions, now ~0.3 ms.
def owns_or_leads(action: ColumnElement[int], review: ColumnElement[int]) -> ColumnElement[bool]:
    """The person (bound as ``person``) owns the action or leads its review: whom its buttons are for (besides
    admins); a list can read it as a column of its page (store.action_lists)."""
    return or_(
        review.in_(core_select(_LEAD.c.review_id).where(_LEAD.c.person_id == _PERSON)),
        core_select(_OWNER.c.action_id).where(names_the_person(action)).exists(),
    )


_EDITABLE_AMONG = core_select(_ACTION.c.id).where(
    _ACTION.c.id.in_(bindparam("ids", expanding=True)), owns_or_leads(_ACTION.c.id, _ACTION.c.review_id)
)

# Asked by a press (does this person lead the action's review, own the action): built once too.
_IS_LEAD = (
    core_select(_LEAD.c.review_id)
    .where(_LEAD.c.person_id == _PERSON, _LEAD.c.review_id == bindparam("review"))
    .limit(1)
)
_OWNS = core_select(_OWNER.c.action_id).where(names_the_person(bindparam("action"))).limit(1)


def group_ids_of(session: Session, person_id: int) -> list[int]:
    return list(session.exec(select(GroupMember.group_id).where(GroupMember.person_id == person_id)))


def is_review_lead(session: Session, person_id: int, review_id: int) -> bool:
    return session.execute(_IS_LEAD, {"person": person_id, "review": review_id}).first() is not None


def leads_any_review(session: Session, person_id: int) -> bool:
    return session.exec(select(ReviewLead).where(ReviewLead.person_id == person_id)).first() is not None


def review_leads(session: Session, review_id: int) -> list[Person]:
    query = (
        select(Person)
        .join(ReviewLead, col(ReviewLead.person_id) == Person.id)
        .where(ReviewLead.review_id == review_id)
        .order_by(Person.name)
    )
    return list(session.exec(query))


def owns_action(session: Session, person_id: int, action_id: int) -> bool:
    """Whether the person owns the action, directly or through a group."""
    return session.execute(_OWNS, {"action": action_id, "person": person_id}).first() is not None


def owned_among(session: Session, person_id: int, action_ids: Iterable[int]) -> set[int]:
    """The actions among ``action_ids`` that the person owns, directly or through a group."""
    ids = list(action_ids)
    if not ids:
        return set()
    groups = select(GroupMember.group_id).where(GroupMember.person_id == person_id)
    query = select(ActionOwner.action_id).where(
        col(ActionOwner.action_id).in_(ids),
        or_(col(ActionOwner.person_id) == person_id, col(ActionOwner.group_id).in_(groups)),
    )
    return set(session.exec(query))


def owns_any_action(session: Session, person_id: int) -> bool:
    groups = select(GroupMember.group_id).where(GroupMember.person_id == person_id)
    query = select(ActionOwner).where(
        or_(col(ActionOwner.person_id) == person_id, col(ActionOwner.group_id).in_(groups))
    )
    return session.exec(query).first() is not None


def owned_or_led_among(session: Session, person_id: int, action_ids: Iterable[int]) -> set[int]:
    """The actions among ``action_ids`` the person owns (directly or through a group) or whose review they lead."""
    ids = list(action_ids)
    if not ids:
        return set()
    if session.autoflush:
        session.flush()  # as the ORM would before a query of its own
    return set(session.connection().execute(_EDITABLE_AMONG, {"ids": ids, "person": person_id}).scalars())

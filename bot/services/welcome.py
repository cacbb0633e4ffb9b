"""The welcome for someone the plan does not know yet: what actionbot is, who the admins are, what to ask them.

Every surface (console, Slack, Teams) gets this same answer, marked ``not_linked`` on the reply so an
adapter can add what only it knows (Teams adds the user's Teams id, which an admin needs to link them).
"""

from __future__ import annotations

from sqlmodel import Session

from bot.domain import Role
from bot.replies import Reply
from store.people import people_with_role

TITLE = "Welcome to actionbot"
NOT_LINKED = "You are not linked to anyone in the action plan yet, so I can't tell which actions are yours."
MAX_NAMED = 5


def not_linked(session: Session) -> Reply:
    """The welcome, naming the people with the admin role (the first few, when there are many)."""
    lines = [
        "I follow the council's action plans through to done, and remind owners of what is due.",
        NOT_LINKED,
        ask_the_admins(session),
        "Until then, `help` shows what you can ask.",
    ]
    return Reply.text(*lines, title=TITLE).model_copy(update={"not_linked": True})


def ask_the_admins(session: Session) -> str:
    """Whom to ask to be linked, and what they type: the people with the admin role, by name."""
    admins = [person.name for person in people_with_role(session, Role.ADMIN.value)]
    if not admins:
        return (
            "Nobody has the admin role yet: ask whoever runs actionbot to link you "
            '(`actionbot people link "Your Name"` on the server).'
        )
    named = admins[:MAX_NAMED] + ([f"{len(admins) - MAX_NAMED} more"] if len(admins) > MAX_NAMED else [])
    who = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} or {named[-1]}"
    role = "the admin" if len(admins) == 1 else "an admin"
    return f"Ask {role} ({who}) to link you to your name in the plan: they type `link @you Your Name`."

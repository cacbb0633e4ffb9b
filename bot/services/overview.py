"""``digest`` (a preview of the weekly digest, to the asker only) and ``help``."""

from __future__ import annotations

from datetime import timedelta

from bot import permissions
from bot.commands import DESCRIPTIONS, EXAMPLES, USAGE, Command, CommandName
from bot.digest import build_digest
from bot.notices.routes import reach_of
from bot.replies import Reply, Section, Visibility
from bot.services import welcome
from bot.services.turn import Turn


def digest(command: Command, turn: Turn) -> Reply:
    if command.review:
        review = turn.review(command.review)
        review_ids: list[int] | None = [review.id or 0]
        label, scope_command = review.title, f" {review.title}"
    else:
        review_ids, label, scope_command = None, "All reviews", ""
    return build_digest(
        turn.session,
        today=turn.today,
        since=turn.now - timedelta(days=7),
        zone=turn.settings.zone,
        review_ids=review_ids,
        scope_label=label,
        scope_command=scope_command,
        visibility=Visibility.PRIVATE,
        reach=reach_of(turn.settings) or None,  # as the clock would send it (no platform set up: linked anywhere)
    )


SEND_A_PLAN = (
    "To load a plan, send me the file (.docx, .xlsx, .csv or .pdf, up to 10 MB) in a direct message on Slack or "
    "our 1:1 chat on Teams, with the review's title as its message if you like: I show the dry run first, "
    "then Import or Cancel."
)
_OWN_OVERDUE = "your own overdue actions (the council-wide list is for SMT, managers and admins)"


def help_(command: Command, turn: Turn) -> Reply:
    if command.topic is not None:
        lines = [f"`{USAGE[command.topic]}`: {DESCRIPTIONS[command.topic]}."]
        if examples := EXAMPLES.get(command.topic):
            lines.append("Also understood: " + ", ".join(f"`{example}`" for example in examples) + ".")
        return Reply(title=f"help {command.topic}", sections=[Section(lines=lines)])
    allowed = permissions.allowed_commands(turn.session, turn.person)
    oversight = turn.person is not None and permissions.has_oversight(turn.session, turn.person)
    lines = [
        f"`overdue`: {_OWN_OVERDUE}"
        if name is CommandName.OVERDUE and not oversight
        else f"`{USAGE[name]}`: {DESCRIPTIONS[name]}"
        for name in allowed
    ]
    sections = [Section(lines=lines)]
    if turn.person is None:
        sections.append(
            Section(
                lines=[
                    "You are not linked to anyone in the action plan yet, so there is little you can do. "
                    + welcome.ask_the_admins(turn.session)
                ]
            )
        )
    else:
        sections.append(
            Section(
                lines=[
                    "Action numbers can be written 42 or #42. Buttons do the same as the commands. "
                    "Plain words work too: `mark 42 done`, `42 at risk 40%`, `what's overdue?`, `my actions`, "
                    "`move 42 next Friday <reason>`. Done means 100% complete. `help move` shows more."
                ]
            )
        )
    if turn.person is not None and permissions.is_admin(turn.person):
        sections.append(Section(lines=[SEND_A_PLAN]))
    return Reply(title="actionbot commands", sections=sections)

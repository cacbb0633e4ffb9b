"""The commands: their names, usage lines, descriptions, and the parsed :class:`Command`.

``bot.grammar.parse`` turns a line of text into a :class:`Command`; this module holds the
vocabulary it reads (command words and aliases, status words, mentions) and the types it returns.

Mentions reach the core as ``<@USERID>`` or ``<@USERID|name>`` (Slack's own form; the Teams
adapter rewrites its ``<at>`` mentions to it), or as ``slack:U123`` / ``teams:<id>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.domain import Status, SubscriptionKind


class CommandName(StrEnum):
    """Every command of the grammar, by the word that starts it."""

    HELP = "help"
    MINE = "mine"
    OVERDUE = "overdue"
    DUE = "due"
    SHOW = "show"
    UPDATE = "update"
    NOTE = "note"
    SNOOZE = "snooze"
    DROP = "drop"
    MOVE = "move"
    REVIEWS = "reviews"
    DIGEST = "digest"
    SUBSCRIBE = "subscribe"
    UNSUBSCRIBE = "unsubscribe"
    LINK = "link"
    PEOPLE = "people"
    LEAD = "lead"
    EXPORT = "export"


USAGE: dict[CommandName, str] = {
    CommandName.HELP: "help [command]",
    CommandName.MINE: "mine",
    CommandName.OVERDUE: "overdue [review] [@owner]",
    CommandName.DUE: "due [7d|30d|this week|this month]",
    CommandName.SHOW: "show 42",
    CommandName.UPDATE: "update 42 at-risk 40% waiting for the legal review",
    CommandName.NOTE: "note 42 met the contractor on Tuesday",
    CommandName.SNOOZE: "snooze 42 [7d]",
    CommandName.DROP: "drop 42 superseded by the new operating model",
    CommandName.MOVE: "move 42 2019-03-31 waiting for Cabinet in March",
    CommandName.REVIEWS: "reviews",
    CommandName.DIGEST: "digest [review]",
    CommandName.SUBSCRIBE: "subscribe <review|all> [digest|updates|overdue]",
    CommandName.UNSUBSCRIBE: "unsubscribe <review|all> [digest|updates|overdue]",
    CommandName.LINK: "link @user Person Name",
    CommandName.PEOPLE: "people [add|role|merge|alias|rename …] [page 2]",
    CommandName.LEAD: "lead <review> @person",
    CommandName.EXPORT: "export [review] [xlsx|csv|json]",
}

DESCRIPTIONS: dict[CommandName, str] = {
    CommandName.HELP: "the commands you can use",
    CommandName.MINE: "your open actions, due soonest first",
    CommandName.OVERDUE: "overdue actions grouped by owner (`overdue mine`: just yours)",
    CommandName.DUE: "actions due in the next 7 days (or 30d, this week, by Friday…; `due mine`: just yours)",
    CommandName.SHOW: "an action, its recommendation, owners and history",
    CommandName.UPDATE: "record status, % complete and a note (`update 42` alone opens the form)",
    CommandName.NOTE: "add commentary to an action",
    CommandName.SNOOZE: "no reminders for that action for a while (a week unless you say)",
    CommandName.DROP: "mark an action dropped, with the reason",
    CommandName.MOVE: "change a deadline, with the reason",
    CommandName.REVIEWS: "every review with its progress",
    CommandName.DIGEST: "the weekly digest, now, just for you",
    CommandName.SUBSCRIBE: "this channel receives a review's digest (Mondays 09:00, or say when: "
    "`digest friday 16:00`), updates or overdue alerts",
    CommandName.UNSUBSCRIBE: "stop this channel receiving them",
    CommandName.LINK: "link a chat user to a person in the plan",
    CommandName.PEOPLE: "everyone in the plan, with roles, linked accounts and open actions; "
    '`people add "Ann Lee" ann.lee@council.gov.uk manager`, `people role "Ann Lee" +admin -member`, '
    '`people merge "A Lee" into "Ann Lee"`, `people alias "Ann Lee" "A. Lee"`, `people rename "Ann Lee" "Ann Dee"`',
    CommandName.LEAD: "make someone a lead of a review (told of escalations; may update its actions)",
    CommandName.EXPORT: "the progress report as a file, as `actionbot export` writes it (xlsx unless you say)",
}

EXAMPLES: dict[CommandName, tuple[str, ...]] = {
    CommandName.MINE: ("my actions", "show me my actions", "what are my actions?"),
    CommandName.OVERDUE: ("what's overdue?", "overdue?", "my overdue actions", "overdue for Deb Poole"),
    CommandName.DUE: ("what's due this week?", "due by Friday", "due in the next 2 weeks", "my actions due this week"),
    CommandName.SHOW: ("42", "#42", "show me 42", "is 42 done?"),
    CommandName.UPDATE: ("mark 42 done", "42 done", "#42 at risk 40%", "set 42 to on track", "42 is 50% done"),
    CommandName.NOTE: ("42 note met the contractor", "add a note to 42: met the contractor"),
    CommandName.SNOOZE: ("snooze 42 for 2 weeks", "snooze 42 until Friday", "mute 42"),
    CommandName.MOVE: ("move 42 next Friday waiting for legal", "move 42 to end of March Cabinet moved",
                       "change the deadline of 42 to 31 March budget delayed"),
    CommandName.SUBSCRIBE: ("subscribe all digest friday 16:00", "subscribe Peer Challenge 2018 updates"),
    CommandName.PEOPLE: ("show people", "list people", "people page 2"),
    CommandName.EXPORT: ("export csv", "export Peer Challenge 2018 as json", "export the progress report"),
}

STATUS_WORDS: dict[str, Status] = {
    "notstarted": Status.NOT_STARTED,
    "ontrack": Status.ON_TRACK,
    "green": Status.ON_TRACK,
    "atrisk": Status.AT_RISK,
    "amber": Status.AT_RISK,
    "offtrack": Status.OFF_TRACK,
    "red": Status.OFF_TRACK,
    "done": Status.DONE,
    "complete": Status.DONE,
    "completed": Status.DONE,
}
STATUS_CHOICES = "not-started, on-track, at-risk, off-track or done"

ALIASES: dict[str, CommandName] = {
    "my": CommandName.MINE,
    "me": CommandName.MINE,
    "list": CommandName.MINE,
    "late": CommandName.OVERDUE,
    "view": CommandName.SHOW,
    "info": CommandName.SHOW,
    "comment": CommandName.NOTE,
    "reschedule": CommandName.MOVE,
    "sub": CommandName.SUBSCRIBE,
    "unsub": CommandName.UNSUBSCRIBE,
    "?": CommandName.HELP,
}

_QUOTES = {"“": '"', "”": '"', "‘": "'", "’": "'", "«": '"', "»": '"'}
_MENTION = re.compile(r"^<@([A-Za-z0-9_:.\-]+)(?:\|[^>]*)?>$")
_PLATFORM_USER = re.compile(r"^(slack|teams):(\S+)$", re.IGNORECASE)


class ParseError(ValueError):
    """The text is not a command we understand; ``str()`` says what was wrong and what would work."""

    def __init__(self, problem: str, usage: str | None = None) -> None:
        self.problem = problem
        self.usage = usage
        super().__init__(f"{problem} Try: {usage}" if usage else problem)


@dataclass(frozen=True)
class UserRef:
    """A chat user named in a command: ``platform`` is ``None`` for "the platform I'm on"."""

    user_id: str
    platform: str | None = None


@dataclass(frozen=True)
class Command:
    """A parsed command. Only the fields its ``name`` uses are set."""

    name: CommandName
    action_id: int | None = None
    status: Status | None = None
    percent: int | None = None
    note: str | None = None
    new_date: date | None = None
    days: int | None = None
    window: str | None = None
    review: str | None = None
    owner: str | None = None
    all_reviews: bool = False
    kinds: tuple[SubscriptionKind, ...] = ()
    user: UserRef | None = None
    person: str | None = None
    topic: CommandName | None = None
    page: int = 1
    mine: bool = False  # overdue / due: only the asker's own actions
    weekday: int | None = None  # subscribe … digest: Monday = 0
    hour: int | None = None  # subscribe … digest: 0-23
    subcommand: str | None = None  # people: add, role, merge, alias or rename (None: the list)
    names: tuple[str, ...] = ()  # people …: the names it is about, in order
    email: str | None = None  # people add
    roles_added: tuple[str, ...] = ()  # people add / people role: +manager
    roles_removed: tuple[str, ...] = ()  # people role: -member
    file_format: str | None = None  # export: xlsx, csv or json

    @property
    def changes_action(self) -> bool:
        return self.name in CHANGING_COMMANDS


CHANGING_COMMANDS = frozenset(
    {CommandName.UPDATE, CommandName.NOTE, CommandName.SNOOZE, CommandName.DROP, CommandName.MOVE}
)


def status_from_word(word: str) -> Status | None:
    """``On-Track``, ``on_track``, ``ontrack`` → ``Status.ON_TRACK``; ``None`` if not a status."""
    return STATUS_WORDS.get(re.sub(r"[\s_\-–—]", "", word.lower().rstrip(".,;:!?")))


def normalise(text: str) -> str:
    """Curly quotes to straight ones, non-breaking spaces to spaces, outer whitespace trimmed (as phones send them)."""
    for curly, straight in _QUOTES.items():
        text = text.replace(curly, straight)
    return text.replace("\u00a0", " ").strip()


def unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1].strip()
    return text


def parse_user(word: str) -> UserRef | None:
    """``<@U123>``, ``<@U123|kevin>``, ``slack:U123`` or ``teams:<id>``."""
    if match := _MENTION.match(word):
        return UserRef(user_id=match[1])
    if match := _PLATFORM_USER.match(word):
        return UserRef(user_id=match[2], platform=match[1].lower())
    return None

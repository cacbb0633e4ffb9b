"""The neutral reply model: what the bot says, before any platform renders it.

A :class:`Reply` is a title, sections (text, facts and action items with buttons), an
optional form and a "more" hint when a list was paged. All text in it is plain user-visible
text, never markup: each renderer escapes it for its platform, so nothing a user typed can
become a mention or a link.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.domain import Rag, Status


class Visibility(StrEnum):
    """Who sees a reply."""

    PRIVATE = "private"  # only the person who asked sees it (Slack ephemeral, Teams 1:1 reply)
    CHANNEL = "channel"  # everyone in the conversation sees it


class Tone(StrEnum):
    """How a reply should read: information, a change done, or an error."""

    INFO = "info"
    SUCCESS = "success"
    ERROR = "error"


class ButtonIntent(StrEnum):
    """What a button does; every intent but ``update`` is the same as typing its command."""

    DONE = "done"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    SNOOZE = "snooze"
    UPDATE = "update"  # opens the Update… form
    IMPORT_FILE = "import_file"  # imports a plan sent in chat (its button's id is the pending file's)
    CANCEL_FILE = "cancel_file"  # discards it


_BUTTON_COMMANDS = {
    ButtonIntent.DONE: "done {id}",
    ButtonIntent.ON_TRACK: "on-track {id}",
    ButtonIntent.AT_RISK: "at-risk {id}",
    ButtonIntent.SNOOZE: "snooze {id} 7d",
    ButtonIntent.UPDATE: "update {id}",
    ButtonIntent.IMPORT_FILE: "import-file {id}",
    ButtonIntent.CANCEL_FILE: "cancel-file {id}",
}
FILE_INTENTS = frozenset({ButtonIntent.IMPORT_FILE, ButtonIntent.CANCEL_FILE})

BUTTON_LABELS = {
    ButtonIntent.DONE: "Done",
    ButtonIntent.ON_TRACK: "On track",
    ButtonIntent.AT_RISK: "At risk",
    ButtonIntent.SNOOZE: "Snooze a week",
    ButtonIntent.UPDATE: "Update…",
    ButtonIntent.IMPORT_FILE: "Import",
    ButtonIntent.CANCEL_FILE: "Cancel",
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Fact(_Frozen):
    """A label and a value: "Owner: Priya Shah"."""

    label: str
    value: str


class Button(_Frozen):
    """A button on an action item (``action_id`` is the action's number), or on the reply itself: **Import** and
    **Cancel** under a plan's dry run (``action_id`` is then the pending file's id)."""

    intent: ButtonIntent
    action_id: int
    label: str
    style: Literal["primary", "danger"] | None = None

    @property
    def command(self) -> str:
        """The command text that pressing this button runs (``update 42`` alone opens the form)."""
        return _BUTTON_COMMANDS[self.intent].format(id=self.action_id)

    @property
    def opens_form(self) -> bool:
        return self.intent is ButtonIntent.UPDATE


class ActionItem(_Frozen):
    """One action in a list or on its own: its number, text, RAG, facts and buttons."""

    action_id: int
    text: str
    rag: Rag
    status: Status
    facts: list[Fact] = Field(default_factory=list)
    buttons: list[Button] = Field(default_factory=list)
    snoozed: bool = False


class Section(_Frozen):
    """A block of the reply: an optional heading, text lines, facts and action items."""

    heading: str | None = None
    lines: list[str] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    items: list[ActionItem] = Field(default_factory=list)


class Choice(_Frozen):
    """One option of a choice field."""

    value: str
    label: str


class FormField(_Frozen):
    """One input of a form; ``error`` is set when a submission was refused because of it."""

    name: str
    label: str
    kind: Literal["choice", "number", "text", "date"]
    value: str | None = None
    required: bool = False
    choices: list[Choice] = Field(default_factory=list)
    placeholder: str | None = None
    max_length: int | None = None
    multiline: bool = False
    error: str | None = None


class Form(_Frozen):
    """The Update… form for one action; submitted values come back as a FormSubmission. Opened from a list,
    it carries that list's ``view`` (see :class:`View`), handed back with the submission so that saving it
    draws the list again like a press of a button on it."""

    action_id: int
    title: str
    submit_label: str = "Save"
    fields: list[FormField]
    view: View | None = None

    @property
    def has_errors(self) -> bool:
        return any(field.error for field in self.fields)


class More(_Frozen):
    """A paged list's tail: how many more there are, and the command that shows the next page.

    Each surface says how to type it there (``/actions overdue page 2`` on Slack)."""

    remaining: int
    command: str  # "overdue page 2"

    def text(self, prefix: str = "") -> str:
        """``12 more: type `overdue page 2```, the command written after ``prefix``."""
        return f"{self.remaining} more: type `{prefix}{self.command}`"


class View(_Frozen):
    """What a list showed, so that it can be drawn again after a press on one of its buttons.

    Either a read-only ``command`` (``overdue page 2``) run again, or, for the clock's morning message,
    the ``nudge`` actions (``check_ins`` among them) as they are now; ``ids`` are the actions the list
    showed, in order, so the pressed one keeps its place even when the list would no longer include it.
    :meth:`encode` makes it a short string a button can carry (Slack's ``value``, a card's ``data``).
    """

    command: str | None = None
    nudge: tuple[int, ...] = ()
    check_ins: tuple[int, ...] = ()
    ids: tuple[int, ...] = ()

    def encode(self) -> str:
        """``c:overdue page 2|12,15`` or ``n:12,15,18|18`` (the check-ins after the bar)."""
        if self.command is not None:
            return f"c:{_numbers(self.ids)}|{self.command}"
        return f"n:{_numbers(self.nudge)}|{_numbers(self.check_ins)}"

    @property
    def fits(self) -> bool:
        """Whether a button can carry it (:data:`MAX_VIEW` characters at most)."""
        return len(self.encode()) <= MAX_VIEW

    @classmethod
    def decode(cls, text: str) -> View:
        """The view a button carried; :class:`ValueError` if it is not one :meth:`encode` wrote."""
        kind, _, rest = text.partition(":")
        head, bar, tail = rest.partition("|")
        if not bar or kind not in ("c", "n") or len(text) > MAX_VIEW:
            raise ValueError("not a view")
        if kind == "c":
            if not tail.strip():
                raise ValueError("a view with no command")
            return cls(command=tail, ids=_parse_numbers(head))
        return cls(nudge=_parse_numbers(head), check_ins=_parse_numbers(tail))


MAX_VIEW = 300  # the longest view a button carries; a longer list simply is not drawn again
_MAX_ID = 2_147_483_647


def _numbers(ids: tuple[int, ...]) -> str:
    return ",".join(str(number) for number in ids)


def _parse_numbers(text: str) -> tuple[int, ...]:
    if not text:
        return ()
    parts = text.split(",")
    if not all(part.isascii() and part.isdigit() and len(part) <= 10 and 0 < int(part) <= _MAX_ID for part in parts):
        raise ValueError("not a list of action numbers")
    return tuple(int(part) for part in parts)


class FileRequest(BaseModel):
    """What made a reply's file, so that the core can make it again: a surface that sends a file only once the
    user allows it (Teams' file consent) carries this, not the bytes, and hands it back to ``Core.remake``,
    which checks the permission of whoever answers. Read strictly: it comes back from the platform."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    kind: Literal["export"] = "export"
    review_id: int | None = Field(None, ge=1, le=_MAX_ID)  # None: every review
    review: str | None = Field(None, max_length=500)  # its title, to say what to type again
    file_format: str = Field("xlsx", pattern="^(xlsx|csv|json)$")

    @property
    def command(self) -> str:
        """What to type to ask for the file again: ``export csv``, ``export Peer Challenge 2018 json``."""
        return " ".join(part for part in ("export", self.review, self.file_format) if part)


class Attachment(_Frozen):
    """A file sent with a reply (the progress report): each surface uploads it its own way."""

    name: str  # "progress-report-2019-03-31.xlsx"
    data: bytes
    media_type: str
    remake: FileRequest | None = None  # how the core makes it again, for a surface that sends it later


class Reply(_Frozen):
    """Everything the bot says in answer to one request."""

    title: str | None = None
    sections: list[Section] = Field(default_factory=list)
    more: More | None = None
    visibility: Visibility = Visibility.PRIVATE
    tone: Tone = Tone.INFO
    form: Form | None = None
    buttons: list[Button] = Field(default_factory=list)  # under the whole reply (Import / Cancel of a sent plan)
    outage: bool = False  # the database could not be reached: nothing was done, the same request can be retried
    not_linked: bool = False  # the chat user is nobody in the plan yet: the answer is the welcome saying whom to ask
    view: View | None = None  # a list with buttons: how to draw it again after a press
    attachment: Attachment | None = None

    @classmethod
    def error(cls, message: str) -> Reply:
        """A short private answer saying what was wrong and what would work."""
        return cls(sections=[Section(lines=[message])], tone=Tone.ERROR)

    @classmethod
    def unavailable(cls, message: str) -> Reply:
        """The answer while the database cannot be reached: Slack says it, Teams answers 503 so it is retried."""
        return cls(sections=[Section(lines=[message])], tone=Tone.ERROR, outage=True)

    @classmethod
    def text(
        cls, *lines: str, title: str | None = None, tone: Tone = Tone.INFO, visibility: Visibility = Visibility.PRIVATE
    ) -> Reply:
        return cls(title=title, sections=[Section(lines=list(lines))], tone=tone, visibility=visibility)

    @property
    def items(self) -> list[ActionItem]:
        return [item for section in self.sections for item in section.items]

    @property
    def plain_lines(self) -> list[str]:
        """Every text line of the reply, for logs and tests."""
        return [line for section in self.sections for line in section.lines]

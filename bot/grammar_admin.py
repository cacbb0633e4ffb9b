"""The grammar of the admin's commands in chat: ``people`` (and its ``add``, ``role``, ``merge``, ``alias``
and ``rename``), ``lead <review> @person`` and ``export [review] [xlsx|csv|json]``.

Names are written in double quotes when there is more than one (``people merge "A Lee" into "Ann Lee"``);
one name alone needs none (``people role Ann Lee +admin``). A word in single quotes counts as quoted only
when the quotes stand apart from the word, so ``O'Brien`` stays a name.
"""

from __future__ import annotations

import re

from bot.commands import USAGE, Command, CommandName, ParseError, parse_user, unquote
from bot.domain import Role
from bot.grammar_words import Words

FORMATS = ("xlsx", "csv", "json")
ROLES = {role.value for role in Role}
ROLE_CHOICES = ", ".join(role.value for role in Role)
_TOKEN = re.compile(r'"([^"]*)"|(?<!\S)\'([^\']*)\'(?!\S)|(\S+)')
_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")
_SUBCOMMANDS = ("add", "role", "merge", "alias", "rename")
_ALL_OF_IT = {"", "all", "everything", "report", "the report", "progress report", "the progress report"}

Token = tuple[str, bool]  # the text, and whether it was quoted


def tokens(text: str) -> list[Token]:
    """The words of ``text``, a quoted name as one word."""
    found: list[Token] = []
    for match in _TOKEN.finditer(text):
        quoted = match[1] if match[1] is not None else match[2]
        found.append((" ".join(quoted.split()), True) if quoted is not None else (match[3], False))
    return found


def _role(word: str, usage: str) -> str:
    value = word.strip(",").lower().replace("-", "_")
    if value not in ROLES:
        raise ParseError(f"'{word.strip(',')}' is not a role: use {ROLE_CHOICES}.", usage)
    return value


def _name(parts: list[Token], usage: str, what: str = "Whose name?") -> str:
    name = " ".join(text for text, _ in parts).strip()
    if not name:
        raise ParseError(what, usage)
    return name


def _two_names(parts: list[Token], separators: tuple[str, ...], usage: str) -> tuple[str, str]:
    """``"A" into "B"``, ``A into B`` or ``"A" "B"``: the two names."""
    for at, (text, quoted) in enumerate(parts):
        if not quoted and text.lower() in separators:
            return _name(parts[:at], usage), _name(parts[at + 1 :], usage)
    if len(parts) == 2:
        return parts[0][0], parts[1][0]
    raise ParseError("Which two names? Put each in quotes.", usage)


def parse_people(words: Words, name: CommandName) -> Command:
    usage = USAGE[name]
    page = words.drop_trailing_page()
    first = (words.peek() or "").lower()
    if first in ("", "list"):
        words.take()
        if words.remaining_words():
            raise ParseError("`people` alone lists everyone; to change someone, say how.", usage)
        return Command(name, page=page)
    if first not in _SUBCOMMANDS:
        choices = ", ".join(f"`people {sub}`" for sub in _SUBCOMMANDS)
        raise ParseError(f"'{words.peek()}' is not something `people` does: use {choices}.", usage)
    words.take()
    parts = tokens(words.rest())
    if first == "add":
        return _people_add(parts)
    if first == "role":
        return _people_role(parts)
    form = {
        "merge": ('people merge "A Lee" into "Ann Lee"', ("into",)),
        "alias": ('people alias "Ann Lee" "A. Lee"', ("as",)),
        "rename": ('people rename "Ann Lee" "Ann Dee"', ("to", "as")),
    }[first]
    return Command(name, subcommand=first, names=_two_names(parts, form[1], form[0]))


def _people_add(parts: list[Token]) -> Command:
    usage = 'people add "Ann Lee" ann.lee@council.gov.uk manager'
    at = next((i for i, (text, quoted) in enumerate(parts) if not quoted and "@" in text), None)
    if at is not None:
        email = parts[at][0].strip(",").lower()
        if not _EMAIL.match(email):
            raise ParseError(f"'{parts[at][0]}' is not an email address.", usage)
        names, roles = parts[:at], parts[at + 1 :]
    else:
        email, names, roles = None, parts, []
        while len(names) > 1 and not names[-1][1] and names[-1][0].strip(",").lower().replace("-", "_") in ROLES:
            names, roles = names[:-1], [names[-1], *roles]
        if names and names[0][1]:  # a quoted name: what follows it is roles
            names, roles = names[:1], [*names[1:], *roles]
    found = [_role(text, usage) for text, _ in roles if text.lower() not in ("and", ",")]
    name = _name(names, usage, "Who? Give their name.")
    return Command(CommandName.PEOPLE, subcommand="add", names=(name,), email=email, roles_added=tuple(found))


def _people_role(parts: list[Token]) -> Command:
    usage = 'people role "Ann Lee" +manager -member'
    at = next((i for i, (text, quoted) in enumerate(parts) if not quoted and text[:1] in "+-"), len(parts))
    name = _name(parts[:at], usage, "Whose roles? Give their name.")
    added: list[str] = []
    removed: list[str] = []
    for text, quoted in parts[at:]:
        if quoted or text[:1] not in "+-" or len(text) < 2:
            raise ParseError(f"'{text}': write +role to give one and -role to take one away.", usage)
        (added if text[0] == "+" else removed).append(_role(text[1:], usage))
    if not added and not removed:
        raise ParseError("Which roles? +role gives one, -role takes one away.", usage)
    return Command(CommandName.PEOPLE, subcommand="role", names=(name,), roles_added=tuple(added),
                   roles_removed=tuple(removed))  # fmt: skip


def parse_lead(words: Words, name: CommandName) -> Command:
    usage = USAGE[name]
    rest = words.rest()
    starts = [at for at in (rest.rfind("<@"), rest.find("@")) if at != -1]
    last = words.remaining_words()[-1:] or [""]
    if not starts and parse_user(last[0]) is None:
        raise ParseError("Who? Mention them with @ after the review.", usage)
    start = min(starts) if starts else len(rest) - len(last[0])
    review, who = unquote(rest[:start]), rest[start:].strip()
    if not review:
        raise ParseError("Which review? Give its title before the person.", usage)
    user = parse_user(who)
    if user is not None:
        return Command(name, review=review, user=user)
    person = unquote(who.removeprefix("@"))
    if not person:
        raise ParseError("Who? Put their name after @.", usage)
    return Command(name, review=review, person=person)


def parse_export(words: Words, name: CommandName) -> Command:
    usage = USAGE[name]
    remaining = words.remaining_words()
    file_format = None
    if remaining and remaining[-1].lower().lstrip(".").rstrip(".!") in FORMATS:
        file_format = remaining.pop().lower().lstrip(".").rstrip(".!")
        if remaining and remaining[-1].lower() in ("as", "in", "to"):
            remaining.pop()
    elif len(remaining) >= 2 and remaining[-2].lower() == "as":
        raise ParseError(f"'{remaining[-1]}' is not a format: use xlsx, csv or json.", usage)
    review = unquote(" ".join(remaining))
    return Command(name, review=None if review.lower() in _ALL_OF_IT else review, file_format=file_format or "xlsx")

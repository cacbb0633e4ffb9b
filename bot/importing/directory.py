"""Owners found or made: names from lead-officer cells matched to the plan's people and groups.

A name matches a person or group whose key (:func:`bot.importing.owners.owner_key`) is the same, so
case, spacing, punctuation and look-alike characters do not matter, or one of their aliases (kept by
``actionbot people merge``, ``rename`` and ``alias``). Before any cell is resolved, the names the plan
writes on their own are learnt (:meth:`OwnerDirectory.learn`), so a cell that runs known names
together (``CMT Deb Poole``) is cut into them wherever it comes in the file.

A name that matches nobody becomes a new person (or group, when it reads as one), unlinked, for an
admin to link later, unless it is a near miss of a name already known ("ayne Pickering" for
"Jayne Pickering"): then it is flagged with the command that fixes it, and left off the action.
New people that need a look are flagged with the cell: what was left over beside known names,
initials (``LT``), and a name that holds another owner's name.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, select

from bot import plan
from bot.importing.model import Flag
from bot.importing.owners import OwnerCell, OwnerName, both, near_misses, owner_key, plan_names, read_owners
from bot.importing.tables import Where
from bot.plan import Owner
from store import aliases
from store.models import Group, Person


class OwnerDirectory:
    """The plan's people and groups by key, and what this import matched, made and flagged."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.people: dict[str, Person] = {owner_key(p.name): p for p in session.exec(select(Person))}
        self.groups: dict[str, Group] = {owner_key(g.name): g for g in session.exec(select(Group))}
        people_by_id = {p.id: p for p in self.people.values()}
        groups_by_id = {g.id: g for g in self.groups.values()}
        self.aliases: dict[str, Owner] = {}
        for alias in aliases.all_aliases(session):
            owner = people_by_id.get(alias.person_id) if alias.person_id else groups_by_id.get(alias.group_id)
            if owner is not None:
                self.aliases[alias.key] = owner
        self.known_before = set(self.people) | set(self.groups) | set(self.aliases)
        self.names: dict[str, str] = {k: p.name for k, p in self.people.items()}
        self.names.update({k: g.name for k, g in self.groups.items()})
        self.alias_names: dict[str, str] = {}
        for alias in aliases.all_aliases(session):
            self.alias_names[alias.key] = alias.alias
        self.learnt: dict[str, str] = {}
        self.matched: set[str] = set()
        self.created: set[str] = set()
        self.flagged: set[str] = set()
        self.flags: list[Flag] = []
        self._flagged_at: set[tuple[str, str]] = set()
        self._read_again: dict[str, OwnerCell] = {}  # a cell written again reads the same (the plan's names are learnt)

    def learn(self, cells: Iterable[OwnerCell]) -> None:
        """Learn the names the plan writes on their own, to cut cells that run names together."""
        texts = [cell.text for cell in cells if cell.text and cell.same_as is None and cell.unreadable is None]
        self.learnt = plan_names(texts, both(self.names, self.alias_names))

    def resolve(self, cell: OwnerCell, where: Where) -> list[Owner]:
        """The owners a cell names, lead first, each once; new names are created as they are met.

        The cell is read again knowing the plan's names, so a name with a comma or an "and" in it that is
        already in the plan ("Law, Property and Governance Team") stays whole, and known names run
        together ("CMT Deb Poole") are told apart.
        """
        names = cell.names
        if cell.text and cell.unreadable is None and cell.same_as is None:
            if cell.text not in self._read_again:
                known = both(both(self.names, self.alias_names), self.learnt)
                self._read_again[cell.text] = read_owners(cell.text, known)
            again = self._read_again[cell.text]
            if again.same_as is None and again.unreadable is None:
                names = again.names
        owners: list[Owner] = []
        for name in names:
            owner = self._owner(name, where, cell.written)
            if owner is not None and not any(owner is other for other in owners):
                owners.append(owner)
        return owners

    def _owner(self, name: OwnerName, where: Where, cell: str) -> Owner | None:
        key = name.key
        if name.lookalikes:
            why = f"written with look-alike letters from another alphabet: read as '{name.name}'"
            self._flag(where, name.written, why)
        existing: Owner | None = self.groups.get(key) or self.people.get(key) or self.aliases.get(key)
        if existing is not None:
            if key in self.known_before:
                self.matched.add(key)
            return existing
        suggestions = near_misses(key, self.names)
        if suggestions:
            options = " or ".join(f"'{s}'" for s in suggestions)
            self._flag(
                where,
                name.written,
                f"looks like {options}, already in the plan: not added as an owner. If it is them, run "
                f"`actionbot people alias \"{suggestions[0]}\" \"{name.name}\"` (or correct the cell); if it is "
                f"someone else, run `actionbot people add \"{name.name}\"`; then import again",
            )
            self.flagged.add(key)
            return None
        self.created.add(key)
        if name.looks_like_group:
            group = plan.add_group(self.session, name.name)
            self.groups[key], self.names[key] = group, group.name
            return group
        person = Person(name=name.name[:200], roles=[])
        self.session.add(person)
        self.session.flush()
        self.people[key], self.names[key] = person, person.name
        self._check_new_person(name, where, cell)
        return person

    def _check_new_person(self, name: OwnerName, where: Where, cell: str) -> None:
        """Flag a new person who may not be a real name, with the command that puts it right."""
        quoted = f'"{name.name}"'
        if name.initials:
            same = _initials_of(name.name, [n for k, n in self.names.items() if k in self.people and k != name.key])
            fix = (f'`actionbot people merge {quoted} "{same[0]}"` if they are {same[0]}' if same else
                   f'`actionbot people rename {quoted} "Full Name"`')  # fmt: skip
            self._flag(where, cell, f"'{name.name}' reads as initials: added as a person to link to a full name: {fix}")
        elif name.leftover_of is not None:
            self._flag(
                where,
                cell,
                f"'{name.name}' was left over beside names already known: added as a new person; check it is a real "
                f"name (if it is someone already in the plan: `actionbot people merge {quoted} \"Their Name\"`)",
            )
        elif inside := self._names_inside(name):
            self._flag(
                where,
                cell,
                f"'{name.name}' holds the name of '{inside}', already in the plan: added as a new person. If the cell "
                f"names several owners, put each on its own line and import again, then `actionbot people merge "
                f'{quoted} "{inside}"`',
            )

    def _names_inside(self, name: OwnerName) -> str | None:
        padded = f" {name.key} "
        for key, known in self.names.items():
            if key != name.key and len(key) >= 3 and f" {key} " in padded:
                return known
        return None

    def _flag(self, where: Where, written: str, message: str) -> None:
        seen = (owner_key(written), message)
        if seen in self._flagged_at:
            return
        self._flagged_at.add(seen)
        self.flagged.add(owner_key(written))
        self.flags.append(Flag(where, written, message, "owner"))


def _initials_of(initials: str, names: list[str]) -> list[str]:
    """Known people whose initials these are: ``LT`` → ``Lucy Taylor``."""
    letters = initials.replace(".", "").upper()
    return [name for name in names if "".join(w[0] for w in name.split() if w[:1].isalpha()).upper() == letters]

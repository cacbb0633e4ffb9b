"""Owners found or made: names from lead-officer cells matched to the plan's people and groups.

A name matches a person or group whose key (:func:`bot.importing.owners.owner_key`) is the same, so case,
spacing, punctuation and look-alike characters do not matter. A name that matches nobody becomes
a new person (or group, when it reads as one), unlinked, for an admin to link later, unless it is
a near miss of a name already known ("ayne Pickering" for "Jayne Pickering"): then it is flagged
with the suggestion and left off the action, never merged and never made a person.
"""

from __future__ import annotations

from sqlmodel import Session, select

from bot import plan
from bot.importing.model import Flag
from bot.importing.owners import OwnerCell, OwnerName, near_misses, owner_key, read_owners
from bot.importing.tables import Where
from bot.plan import Owner
from store.models import Group, Person


class OwnerDirectory:
    """The plan's people and groups by key, and what this import matched, made and flagged."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.people: dict[str, Person] = {owner_key(p.name): p for p in session.exec(select(Person))}
        self.groups: dict[str, Group] = {owner_key(g.name): g for g in session.exec(select(Group))}
        self.known_before = set(self.people) | set(self.groups)
        self.names: dict[str, str] = {k: p.name for k, p in self.people.items()}
        self.names.update({k: g.name for k, g in self.groups.items()})
        self.matched: set[str] = set()
        self.created: set[str] = set()
        self.flagged: set[str] = set()
        self.flags: list[Flag] = []
        self._flagged_at: set[tuple[str, str]] = set()

    def resolve(self, cell: OwnerCell, where: Where) -> list[Owner]:
        """The owners a cell names, lead first, each once; new names are created as they are met.

        The cell is read again knowing the plan's names, so a name with a comma or an "and" in it that is
        already in the plan ("Law, Property and Governance Team") stays whole.
        """
        names = cell.names
        if cell.written and cell.unreadable is None:
            again = read_owners(cell.written, self.names)
            if again.same_as is None and again.unreadable is None:
                names = again.names
        owners: list[Owner] = []
        for name in names:
            owner = self._owner(name, where)
            if owner is not None and not any(owner is other for other in owners):
                owners.append(owner)
        return owners

    def _owner(self, name: OwnerName, where: Where) -> Owner | None:
        key = name.key
        if name.lookalikes:
            why = f"written with look-alike letters from another alphabet: read as '{name.name}'"
            self._flag(where, name.written, why)
        existing: Owner | None = self.groups.get(key) or self.people.get(key)
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
                f"looks like {options}, already in the plan: not added as an owner. If it is them, correct the "
                f"cell and import again; if it is someone else, add them (`actionbot people add \"{name.name}\"`) "
                "and import again",
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
        return person

    def _flag(self, where: Where, written: str, message: str) -> None:
        seen = (owner_key(written), message)
        if seen in self._flagged_at:
            return
        self._flagged_at.add(seen)
        self.flagged.add(owner_key(written))
        self.flags.append(Flag(where, written, message, "owner"))

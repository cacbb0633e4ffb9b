"""Lead-officer cells, case by case: how they split, which parts are groups, and what matches what."""

from __future__ import annotations

import pytest

from bot.importing.normalise import clean_cell, match_key
from bot.importing.owners import known_names, near_misses, owner_key, read_owners
from bot.importing.timescales import ABOVE

KNOWN = known_names(["Jayne Pickering", "Kevin Dicks", "Constitution and Ethics Committee", "Deb Poole"])

SPLITS = [
    # the cells in SPEC.md
    ("Kevin Dicks / Communications Team", [("Kevin Dicks", False), ("Communications Team", True)]),
    ("Leaders / Kevin Dicks", [("Leaders", True), ("Kevin Dicks", False)]),
    ("Deb Poole / CMT", [("Deb Poole", False), ("CMT", True)]),
    ("Jayne Pickering / HOS", [("Jayne Pickering", False), ("Heads of Service", True)]),
    ("Jayne Pickering / HoS", [("Jayne Pickering", False), ("Heads of Service", True)]),
    ("Chief Executive, Group Leaders", [("Chief Executive", False), ("Group Leaders", True)]),
    # every separator
    ("Deb Poole; Kevin Dicks", [("Deb Poole", False), ("Kevin Dicks", False)]),
    ("Deb Poole and Kevin Dicks", [("Deb Poole", False), ("Kevin Dicks", False)]),
    ("Deb Poole & Kevin Dicks", [("Deb Poole", False), ("Kevin Dicks", False)]),
    ("Deb Poole\nKevin Dicks", [("Deb Poole", False), ("Kevin Dicks", False)]),
    ("Deb Poole + Portfolio Holders", [("Deb Poole", False), ("Portfolio Holders", True)]),
    # one owner written twice, in one piece or two
    ("Deb Poole Deb Poole", [("Deb Poole", False)]),
    ("Deb Poole / deb poole", [("Deb Poole", False)]),
    # bullets, numbering and notes in brackets
    ("• Deb Poole\n• Cabinet", [("Deb Poole", False), ("Cabinet", True)]),
    ("1. Deb Poole\n2. SMT", [("Deb Poole", False), ("SMT", True)]),
    ("Kevin Dicks (Chief Executive)", [("Kevin Dicks", False)]),
    # job titles and team names with separators inside them, from the 2014 Cabinet report
    (
        "Chief Executive, Director of Law, Property and Governance.",
        [("Chief Executive", False), ("Director of Law, Property and Governance", False)],
    ),
    ("Chief Executive, Executive Director, CFA", [("Chief Executive", False), ("Executive Director, CFA", False)]),
    ("Chief Executive, SMT, elected members", [("Chief Executive", False), ("SMT", True), ("Members", True)]),
    (
        "Director, Customer Service & Transformation, Head of People",
        [("Director, Customer Service & Transformation", False), ("Head of People", False)],
    ),
    ("Health & Wellbeing Board", [("Health & Wellbeing Board", True)]),
    ("Constitution and Ethics Committee / Kevin Dicks", [("Constitution and Ethics Committee", True),
                                                         ("Kevin Dicks", False)]),
    ("Corporate Management Team", [("CMT", True)]),
]


@pytest.mark.parametrize(("cell", "owners"), SPLITS)
def test_lead_officer_cells_split_into_people_and_groups(cell: str, owners: list[tuple[str, bool]]) -> None:
    read = read_owners(cell, KNOWN)
    assert [(name.name, name.looks_like_group) for name in read.names] == owners
    assert read.unreadable is None and read.same_as is None


@pytest.mark.parametrize(("cell", "ref"), [("As 19 above", "19"), ("as 3.2 above", "3.2"), ("As above", ABOVE)])
def test_as_n_above_in_a_lead_officer_cell_is_a_same_as(cell: str, ref: str) -> None:
    read = read_owners(cell)
    assert (read.same_as, read.names) == (ref, ())


def test_a_sentence_is_reported_not_turned_into_people() -> None:
    read = read_owners("CCC Client role will be carried out by the Director, Customer Service & Transformation")
    assert read.names == ()
    assert read.unreadable is not None and "does not read as a name" in read.unreadable


def test_a_blank_cell_has_no_owners() -> None:
    assert read_owners("  \n ").names == ()


def test_look_alike_letters_from_another_alphabet_are_folded() -> None:
    cyrillic = read_owners("СМТ")  # Cyrillic Es, Em, Te
    assert [(n.name, n.key, n.lookalikes) for n in cyrillic.names] == [("CMT", "cmt", True)]
    mixed = read_owners("Jаyne Pickering", KNOWN)  # a Cyrillic a
    assert [(n.name, n.lookalikes) for n in mixed.names] == [("Jayne Pickering", True)]
    assert owner_key("ＣＭＴ") == owner_key("C.M.T.") == owner_key(" cmt ") == "cmt"


def test_accents_are_kept_in_names_but_not_in_keys() -> None:
    read = read_owners("Zoë Brontë")
    assert read.names[0].name == "Zoë Brontë"
    assert match_key("Zoë Brontë") == "zoe bronte"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("ayne Pickering", "Jayne Pickering"), ("Jane Pickering", "Jayne Pickering"), ("Kevin Dickss", "Kevin Dicks"),
     ("Deb Pool", "Deb Poole")],
)
def test_near_misses_of_names_already_known_are_found(typed: str, meant: str) -> None:
    assert near_misses(owner_key(typed), KNOWN) == [meant]


def test_different_names_are_not_near_misses() -> None:
    assert near_misses(owner_key("Lucy Bennett"), KNOWN) == []
    assert near_misses(owner_key("Kevin Dicks"), KNOWN) == []  # itself is a match, not a near miss


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("• Commission the review", "Commission the review"),
        ("\uf0b7\tCommission the review", "Commission the review"),
        ("- Commission the review", "Commission the review"),
        ("12. Commission the review", "Commission the review"),
        ("3: Commission the review", "Commission the review"),
        ("(a) Commission\n(b) Publish", "Commission\nPublish"),
        ("Commission\u00a0the\u200b review\n\n", "Commission the review"),
        ("1.3.2019 review", "1.3.2019 review"),
        ("J. Smith", "J. Smith"),
    ],
)
def test_stray_bullets_and_numbering_are_removed_from_cells(written: str, stored: str) -> None:
    assert clean_cell(written) == stored

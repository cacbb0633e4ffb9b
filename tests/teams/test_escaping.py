"""User text in Teams cards displays as written: no bold, links, headings, lists, quotes or @mentions.

The end-to-end tests read the card JSON that reached the fake connector.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from adapters.teams.markdown import md
from tests.factories import PlanFactory
from tests.teams.card_reading import raw_texts, shown, text_of
from tests.teams.harness import DEB, Plan, Teams

NASTY = (
    "**Urgent** _now_ ~~never~~ `rm -rf` [click here](https://evil.example/login) ![x](https://evil.example/p.png)\n"
    "# Heading\n> quoted\n- bullet\n+ plus\n1. first\n2) second\n---\n"
    "<at>Everyone</at> <at id=\"0\">General</at> &lt;at&gt;Team&lt;/at&gt; | a | b | \\*"
)
MARKDOWN = re.compile(r"[\\`*_~\[\]()#<>&|!]")


def unescaped_markup(text: str) -> list[str]:
    """Markdown characters in ``text`` that are not backslash-escaped, and unescaped line-start markers."""
    found = []
    index = 0
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if MARKDOWN.match(text[index]):
            found.append(text[index])
        index += 1
    for line in text.split("\n"):
        if re.match(r"^\s*([-+=]|\d+[.)])", line):
            found.append(line[:4])
    return found


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("**bold**", r"\*\*bold\*\*"),
        ("[a](http://x)", r"\[a\]\(http://x\)"),
        ("<at>Everyone</at>", r"\<at\>Everyone\</at\>"),
        ("# not a heading", r"\# not a heading"),
        ("> not a quote", r"\> not a quote"),
        ("- not a list\n  + nor this", "\\- not a list\n  \\+ nor this"),
        ("1. not a list\n2) nor this", "1\\. not a list\n2\\) nor this"),
        ("===", r"\==="),
        ("a & b", r"a \& b"),
        ("back\\slash", r"back\\slash"),
        ("bell\x07 and \x1b[31mred", "bell and [31mred".replace("[", "\\[")),
        ("plain text, 40% done. Fine!", r"plain text, 40% done. Fine\!"),
    ],
)
def test_markdown_characters_are_escaped(text: str, escaped: str) -> None:
    assert md(text) == escaped


@pytest.mark.parametrize("text", [NASTY, "a\\b", "\\\\**", "x" * 50 + "_" * 50])
def test_escaped_text_displays_exactly_as_written(text: str) -> None:
    assert shown(md(text)) == text.replace("\r", "")
    assert unescaped_markup(md(text)) == []


async def test_markdown_and_mentions_in_a_note_are_rendered_harmless(
    teams: Teams, people: Plan, plan: PlanFactory
) -> None:
    action = plan.action(people.deb, due_in=5, text="Publish the *communications* strategy <at>Everyone</at>")
    await teams.say(DEB, f"note {action.id} {NASTY}")
    card = await teams.say(DEB, f"show {action.id}")

    _assert_inert(card)
    assert f"Latest note: {NASTY}" in text_of(card)
    assert "Publish the *communications* strategy <at>Everyone</at>" in text_of(card)
    assert "msteams" not in json.dumps(card["body"])  # no mention entities: nobody can be pinged


async def test_names_and_titles_are_escaped_too(teams: Teams, plan: PlanFactory, people: Plan) -> None:
    owner = plan.person("[Kim](https://evil.example) **Boss**")
    review = plan.review("# Review <at>All</at>", people.deb)
    plan.action(owner, review=review, due_in=-2)
    card = await teams.say(DEB, "overdue")
    _assert_inert(card)
    shown_text = text_of(card)
    assert "[Kim](https://evil.example) **Boss**" in shown_text
    assert "Review: # Review <at>All</at> · rec 1" in shown_text


def _assert_inert(card: dict[str, Any]) -> None:
    for text in raw_texts(card):
        assert unescaped_markup(text) == [], text
        assert "<at>" not in text and "</at>" not in text  # a tag Teams could read is never sent

"""The phrasing corpus on the grammar and through the console chat: each line people write becomes the
command it means, or gets exactly the answer that asks or refuses (``tests/phrasing_corpus.py``)."""

from __future__ import annotations

import pytest

from adapters.console import ConsoleChat
from bot.commands import ParseError
from bot.core import Core
from bot.domain import Role
from bot.grammar import parse
from bot.render_text import render
from tests.factories import PlanFactory
from tests.phrasing_corpus import CORPUS, TODAY, Outcome, ParseRecorder, Refused, mismatch


def test_the_corpus_is_at_least_150_phrasings_none_twice() -> None:
    texts = [text for text, _ in CORPUS]
    assert len(texts) >= 150
    assert len(set(texts)) == len(texts)


@pytest.mark.parametrize(("text", "expected"), CORPUS, ids=[text for text, _ in CORPUS])
def test_each_phrasing_becomes_its_command_or_its_answer(text: str, expected: Outcome) -> None:
    try:
        outcome: Outcome = parse(text, TODAY)
    except ParseError as refused:
        outcome = Refused(str(refused))
    assert outcome == expected


def test_the_corpus_through_the_console_chat(
    core: Core, plan: PlanFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    kevin = plan.person("Kevin Dicks", Role.SMT)
    plan.action(kevin, due_in=-3, text="Refresh the Corporate Plan")
    recorder = ParseRecorder()
    monkeypatch.setattr("bot.core.read", recorder)
    console = ConsoleChat(core, kevin.id or 0, kevin.name)
    wrong = []
    for text, expected in CORPUS:
        recorder.clear()
        shown = render(console.ask(text)).text
        if (problem := mismatch(text, expected, recorder.last(), shown)) is not None:
            wrong.append(problem)
    assert wrong == []

"""The phrasing corpus typed as ``/actions <text>`` in Slack: every line reaches the core as the
command it means, or its refusal is shown to the user (``tests/phrasing_corpus.py``)."""

from __future__ import annotations

import html

import pytest

from bot.domain import Status
from tests.factories import PlanFactory
from tests.issue_table import run_the_table
from tests.phrasing_corpus import CORPUS, ParseRecorder, mismatch
from tests.slack.conftest import Council, Server
from tests.slack.driver import Message
from tests.slack.helpers import buttons_in, shown


def slack_escaped(text: str) -> str:
    """What Slack posts for typed text: ``&``, ``<`` and ``>`` as entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


async def test_the_corpus_as_slack_slash_commands(
    slack: Server, council: Council, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = ParseRecorder()
    monkeypatch.setattr("bot.core.read", recorder)
    wrong = []
    for text, expected in CORPUS:
        recorder.clear()
        answer = await slack.command(slack_escaped(text), user="U0KEVIN")
        assert answer.status == 200, text
        await slack.settle()
        seen = html.unescape(shown(answer.blocks)) + "".join(
            html.unescape(shown(call.params.get("blocks", []))) for call in slack.fake.of("response_url")
        )
        if (problem := mismatch(text, expected, recorder.last(), seen)) is not None:
            wrong.append(problem)
    assert wrong == []


async def test_the_demo_table_in_slack(slack: Server, council: Council, plan: PlanFactory) -> None:
    async def say(user: str, text: str) -> str:
        before = len(slack.fake.of("response_url"))
        answer = await slack.command(slack_escaped(text), user=user)
        assert answer.status == 200
        await slack.settle()
        later = slack.fake.of("response_url")[before:]
        return html.unescape("\n".join([shown(answer.blocks), *(shown(c.params.get("blocks", [])) for c in later)]))

    async def kevin(text: str) -> str:
        return await say("U0KEVIN", text)

    async def alex(text: str) -> str:
        return await say("U0ALEX", text)

    await run_the_table(kevin, alex, plan, council.overdue.id or 0, council.soon.id or 0)


async def test_a_list_asked_for_in_words_can_be_shown_again_after_a_press(slack: Server, council: Council) -> None:
    answer = await slack.command("what's due by the end of January?", user="U0KEVIN")
    text = shown(answer.blocks)
    assert "Due by Thu 31 Jan 2019" in text and f"#{council.soon.id}" in text
    sources = {value.get("src") for _, _, value in buttons_in(answer.blocks)}
    assert sources == {f"c:{council.soon.id}|what's due by the end of January?"}


async def test_the_update_modal_refuses_done_below_100_percent_on_the_percent_field(
    slack: Server, council: Council, plan: PlanFactory
) -> None:
    answer = await slack.command("mine", user="U0DEB")
    await slack.press(Message(answer.blocks), 3, "update", user="U0DEB")
    await slack.settle()
    view = dict(slack.fake.of("views.open")[-1].params["view"])
    refused = await slack.submit(view, {"status": "done", "percent": "50"}, user="U0DEB")
    assert refused.json == {"response_action": "errors", "errors": {
        "percent": "Done means 100% complete: make this 100, or choose a status other than Done for 50%."}}
    assert (plan.get(3).status, plan.get(3).percent_complete) == (Status.AT_RISK, 40)
    done = await slack.submit(view, {"status": "done"}, user="U0DEB")  # the % left as it was: done is 100%
    assert (done.status, done.text) == (200, "")
    assert (plan.get(3).status, plan.get(3).percent_complete) == (Status.DONE, 100)

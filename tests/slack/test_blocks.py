"""The Block Kit renderer over replies of any size and content: always within Slack's limits,
never live markup, and honest about what did not fit."""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.slack.blocks import render
from adapters.slack.modal import Origin, form_view, submitted_values
from adapters.slack.models import ViewState
from bot.domain import Rag, Status
from bot.fitting import MESSAGE_ITEMS
from bot.replies import (
    ActionItem,
    Button,
    ButtonIntent,
    Choice,
    Fact,
    Form,
    FormField,
    More,
    Reply,
    Section,
    Tone,
    View,
    Visibility,
)
from tests.slack.block_rules import has_live_markup, mrkdwn_texts, violations
from tests.slack.helpers import shown

HOSTILE = st.sampled_from(["<!channel>", "<@U123>", "<https://x|click>", "&", "&amp;", "<", ">", "*", "_", "`"])
WORDS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
TEXT = st.lists(st.one_of(WORDS, HOSTILE), max_size=80).map(" ".join)
LONG_TEXT = st.one_of(TEXT, st.integers(2000, 7000).map(lambda n: "<&>" * (n // 3)))


def items(max_size: int) -> st.SearchStrategy[list[ActionItem]]:
    item = st.builds(
        ActionItem,
        action_id=st.integers(1, 10**7),
        text=LONG_TEXT,
        rag=st.sampled_from(list(Rag)),
        status=st.sampled_from(list(Status)),
        facts=st.lists(st.builds(Fact, label=TEXT, value=LONG_TEXT), max_size=6),
        buttons=st.integers(1, 10**7).flatmap(lambda n: st.lists(
            st.sampled_from(list(ButtonIntent)).map(lambda i: Button(intent=i, action_id=n, label=i.value)),
            max_size=5, unique_by=lambda b: b.intent)),
    )
    return st.lists(item, max_size=max_size)


SECTIONS = st.lists(
    st.builds(
        Section,
        heading=st.one_of(st.none(), LONG_TEXT),
        lines=st.lists(LONG_TEXT, max_size=12),
        facts=st.lists(st.builds(Fact, label=TEXT, value=LONG_TEXT), max_size=25),
        items=items(30),
    ),
    max_size=5,
)
REPLIES = st.builds(
    Reply,
    title=st.one_of(st.none(), LONG_TEXT),
    sections=SECTIONS,
    more=st.one_of(st.none(), st.builds(More, remaining=st.integers(1, 10**6), command=TEXT)),
    tone=st.sampled_from(list(Tone)),
    visibility=st.sampled_from(list(Visibility)),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(reply=REPLIES, source=st.one_of(st.none(), st.just("mine"), st.text(min_size=301, max_size=400)))
def test_any_reply_renders_within_slacks_limits_with_no_live_markup(reply: Reply, source: str | None) -> None:
    message = render(reply.model_copy(update={"view": View(command=source)}) if source else reply)
    assert violations(message.blocks) == []
    assert [t for t in mrkdwn_texts(message.blocks) + [message.text] if has_live_markup(t)] == []
    sections_shown = [b for b in message.blocks if b.get("block_id", "").startswith("item:")]
    total = len(reply.items)
    hidden = sum(int(n) for n in re.findall(r"(\d+) more actions? not shown", shown(message.blocks)))
    assert len(sections_shown) + hidden == total, "every item is shown or counted"
    for block in message.blocks:
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            value = json.loads(element["value"])
            assert value.get("src") in (None, "c:|mine"), "a long view is left out, never cut"


def item(number: int, text: str = "An action") -> ActionItem:
    buttons = [Button(intent=i, action_id=number, label=i.value) for i in ButtonIntent]
    return ActionItem(action_id=number, text=text, rag=Rag.RED, status=Status.ON_TRACK, buttons=buttons)


def test_a_page_too_long_for_one_message_shows_what_fits_and_says_how_many_more() -> None:
    reply = Reply(title="Overdue actions", sections=[Section(lines=["60 overdue"], items=[item(n) for n in range(60)])],
                  more=More(remaining=10, command="overdue page 2"))
    message = render(reply)
    assert len([b for b in message.blocks if b.get("block_id", "").startswith("item:")]) == MESSAGE_ITEMS
    assert message.blocks[1]["text"]["text"] == "45 more actions not shown: too long for one message."
    assert message.blocks[-1]["elements"][0]["text"] == "10 more: type `/actions overdue page 2`"


def test_long_text_is_cut_at_slacks_limits_with_an_ellipsis() -> None:
    reply = Reply(title="T" * 400, sections=[Section(lines=["x" * 5000], items=[item(1, "y" * 5000)])])
    header, line, item_section, _ = render(reply).blocks
    assert len(header["text"]["text"]) == 150 and header["text"]["text"].endswith("…")
    assert len(line["text"]["text"]) <= 3000 and line["text"]["text"].endswith("…")
    assert len(item_section["text"]["text"]) <= 3000 and "y…\n" in item_section["text"]["text"]


def test_an_error_is_marked_and_never_shown_in_the_channel() -> None:
    message = render(Reply(sections=[Section(lines=["No such action."])], tone=Tone.ERROR,
                           visibility=Visibility.CHANNEL))
    assert message.in_channel is False and message.text == "Sorry: No such action."
    assert message.blocks[0]["text"]["text"] == ":warning: No such action."


def test_the_form_becomes_a_modal_within_its_limits_and_its_values_come_back_by_field() -> None:
    form = Form(action_id=1234567, title="Update #1234567", fields=[
        FormField(name="status", label="Status", kind="choice", value="at_risk", required=True,
                  choices=[Choice(value="on_track", label="On track"), Choice(value="at_risk", label="At risk")]),
        FormField(name="percent", label="% complete", kind="number", value="40"),
        FormField(name="note", label="Note", kind="text", multiline=True, max_length=2000, value="n" * 2500),
        FormField(name="new_date", label="New due date", kind="date", value="31/03/2019"),
    ])
    origin = Origin(1234567, "C0PLAN", None, "https://hooks.slack.com/actions/T/1/x", "x" * 5000, replace=True)
    view = form_view(form, origin)
    assert len(view["title"]["text"]) <= 24 and violations(view["blocks"], max_blocks=100) == []
    assert len(view["private_metadata"]) <= 3000 and Origin.decode(view["private_metadata"]).source is None
    elements = {b["block_id"]: b["element"] for b in view["blocks"]}
    assert len(elements["note"]["initial_value"]) == 2000
    assert "initial_date" not in elements["new_date"], "only an ISO date can pre-fill a datepicker"
    state = {"values": {
        "status": {"status": {"type": "static_select", "selected_option": {"value": "on_track"}}},
        "percent": {"percent": {"type": "number_input", "value": "55"}},
        "note": {"note": {"type": "plain_text_input", "value": None}},
        "new_date": {"new_date": {"type": "datepicker", "selected_date": "2019-04-30"}},
    }}
    assert submitted_values(ViewState.model_validate(state)) == {"status": "on_track", "percent": "55", "note": "",
                                                  "new_date": "2019-04-30"}


def test_a_buttons_value_is_its_action_and_its_list_as_compact_json_whatever_the_list_says() -> None:
    """Written by hand rather than by json.dumps (once per message): the same bytes, for any command text."""
    for command in ("mine", 'overdue @"Zoë" \\ page 2', "due 7d ☃\u2028"):
        view = View(command=command, ids=(7, 9))
        message = render(Reply(sections=[Section(items=[item(7), item(9)])], view=view))
        values = [e["value"] for b in message.blocks if b["type"] == "actions" for e in b["elements"]]
        assert len(values) == 2 * len(ButtonIntent)
        for number, value in zip((7, 9), (values[0], values[-1]), strict=True):
            assert value == json.dumps({"id": number, "src": view.encode()}, separators=(",", ":"))
            assert json.loads(value) == {"id": number, "src": view.encode()}
    bare = render(Reply(sections=[Section(items=[item(3)])]))
    assert {e["value"] for b in bare.blocks if b["type"] == "actions" for e in b["elements"]} == {'{"id":3}'}

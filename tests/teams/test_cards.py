"""Replies as Adaptive Cards: the pure renderer, case by case."""

from __future__ import annotations

import pytest

from adapters.teams.cards import fitted_card, render_card
from bot.domain import Rag, Status
from bot.replies import ActionItem, Form, FormField, Reply, Section
from tests.teams.card_reading import containers, inputs, texts


@pytest.mark.parametrize(
    ("rag", "style", "colour"),
    [(Rag.RED, "attention", "Attention"), (Rag.AMBER, "warning", "Warning"), (Rag.GREEN, "good", "Good"),
     (Rag.GREY, "emphasis", "Default")],
)
def test_each_action_is_a_container_coloured_by_its_rag(rag: Rag, style: str, colour: str) -> None:
    item = ActionItem(action_id=7, text="Refresh the plan", rag=rag, status=Status.ON_TRACK, snoozed=True)
    [container] = containers(render_card(Reply(sections=[Section(items=[item])])))
    assert container["style"] == style
    assert container["items"][0]["color"] == colour
    assert texts(container)[0] == f"#7 · {rag.label} · On track · snoozed"


def test_an_error_reads_as_one_in_the_card() -> None:
    card = render_card(Reply.error("There is no action #99."))
    assert card["body"] == [{"type": "TextBlock", "text": "There is no action \\#99.", "wrap": True,
                             "color": "Attention"}]
    assert card["version"] == "1.4" and card["type"] == "AdaptiveCard"


@pytest.mark.parametrize(
    ("kind", "value", "shown"),
    [("number", "40", 40), ("number", "12.5", 12.5), ("number", "nan", None), ("number", "1e999", None),
     ("number", "forty", None), ("date", "2019-03-31", "2019-03-31"), ("date", "31/03/2019", None),
     ("text", "a *note*", "a *note*")],
)
def test_form_inputs_only_carry_values_their_type_accepts(kind: str, value: str, shown: object) -> None:
    form = Form(action_id=1, title="Update #1", fields=[FormField(name="x", label="X", kind=kind, value=value)])
    field = inputs(render_card(Reply(form=form)))["x"]
    assert field.get("value") == shown


def test_an_empty_reply_still_makes_a_valid_card() -> None:
    assert texts(fitted_card(Reply())) == ["Done."]

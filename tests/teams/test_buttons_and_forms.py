"""Card buttons and the Update… form: each press reaches the core once, and the card shows the new state.

A press is the ``message`` activity Teams posts for an ``Action.Submit``: the button's data (with the
card's input values) as ``value``, and ``replyToId`` = the card's message. The pressed card is then
updated in place (``PUT /v3/conversations/{id}/activities/{replyToId}``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.domain import Status, UpdateKind
from store.models import Action
from tests.factories import PlanFactory
from tests.teams.card_reading import button, buttons, elements, inputs, text_of, texts
from tests.teams.harness import DEB, OWEN, Plan, Teams
from tests.teams.payloads import CHANNEL, Chat, card_submit, personal_chat


@pytest.fixture
def action(plan: PlanFactory, people: Plan) -> Action:
    plan.review("Corporate Peer Challenge 2018", people.deb)
    return plan.action(people.deb, due_in=-3, text="Publish the communications strategy")


async def _mine(teams: Teams) -> tuple[dict[str, Any], str]:
    card = await teams.say(DEB, "mine")
    return card, teams.last_message_id()


@pytest.mark.parametrize(
    ("title", "status", "percent"),
    [("Done", Status.DONE, 100), ("On track", Status.ON_TRACK, 0), ("At risk", Status.AT_RISK, 0)],
)
async def test_owner_sets_status_from_a_button_and_the_card_updates_in_place(
    teams: Teams, action: Action, plan: PlanFactory, title: str, status: Status, percent: int
) -> None:
    card, card_id = await _mine(teams)
    assert await teams.press(DEB, card_id, button(card, title, action.id or 0)) == 200

    stored = plan.get(action.id or 0)
    assert (stored.status, stored.percent_complete) == (status, percent)
    [update] = teams.connector.updates()
    assert update.activity_id == card_id and update.conversation_id == f"a:1{DEB.aad.replace('-', '')}"
    assert f"Recorded: #{action.id} is now {status.label} · {percent}%." in text_of(update.card)
    assert len(teams.connector.sent()) == 1  # only the original card: the press answered in place


async def test_snooze_a_week_button(teams: Teams, action: Action, plan: PlanFactory) -> None:
    card, card_id = await _mine(teams)
    await teams.press(DEB, card_id, button(card, "Snooze a week", action.id or 0))
    assert plan.get(action.id or 0).snoozed_until == date(2019, 1, 21)
    assert "No reminders for #1 until Mon 21 Jan 2019." in texts(teams.connector.last_card())[1]
    assert "· snoozed" in texts(teams.connector.last_card())[3]


async def test_the_same_button_pressed_twice_records_one_update(
    teams: Teams, action: Action, plan: PlanFactory
) -> None:
    card, card_id = await _mine(teams)
    done = button(card, "Done", action.id or 0)
    await teams.press(DEB, card_id, done)
    await teams.press(DEB, card_id, done)
    assert [u.kind for u in plan.updates(action.id or 0)] == [UpdateKind.CREATED, UpdateKind.STATUS]
    assert f"#{action.id} is already Done · 100%: nothing to record." in text_of(teams.connector.last_card())


async def test_a_redelivered_press_is_applied_once(teams: Teams, action: Action, plan: PlanFactory) -> None:
    """The Bot Framework redelivers an activity (same id) when the bot was slow to answer."""
    card, card_id = await _mine(teams)
    at_risk = button(card, "At risk", action.id or 0)
    press = card_submit(teams.service_url, DEB, personal_chat(DEB), at_risk, card_id=card_id)
    await teams.post(press)
    await teams.post(dict(press))
    assert [u.kind for u in plan.updates(action.id or 0)] == [UpdateKind.CREATED, UpdateKind.STATUS]
    assert "Already recorded; nothing more to do." in text_of(teams.connector.last_card())


async def test_update_button_opens_the_form_as_a_new_card(teams: Teams, action: Action) -> None:
    card, card_id = await _mine(teams)
    await teams.press(DEB, card_id, button(card, "Update…", action.id or 0))
    assert teams.connector.updates() == []  # the list stays as it was
    form = teams.connector.sent()[-1].card
    fields = inputs(form)
    assert [(name, field["type"]) for name, field in fields.items()] == [
        ("status", "Input.ChoiceSet"),
        ("percent", "Input.Number"),
        ("note", "Input.Text"),
        ("new_date", "Input.Date"),
        ("reason", "Input.Text"),
    ]
    assert fields["status"]["value"] == "not_started" and fields["percent"]["value"] == 0
    assert fields["note"]["isMultiline"] is True and fields["note"]["maxLength"] == 2000
    choices = [c["value"] for c in fields["status"]["choices"]]
    assert choices == ["not_started", "on_track", "at_risk", "off_track", "done"]
    assert buttons(form) == [  # the list it was opened from, to draw it again in its card once saved
        ("Save", {"intent": "form", "action_id": action.id, "view": f"c:{action.id}|mine", "card": card_id})]


async def test_the_form_saves_status_percent_note_and_a_new_date(
    teams: Teams, action: Action, plan: PlanFactory
) -> None:
    form_id = await _open_form(teams, action)
    await teams.press(DEB, form_id, _save(action), status="at_risk", percent="40", note="Waiting for legal",
                      new_date="2019-03-31", reason="Cabinet meets in March")
    stored = plan.get(action.id or 0)
    assert (stored.status, stored.percent_complete, stored.due_date) == (Status.AT_RISK, 40, date(2019, 3, 31))
    assert [(u.kind, u.note) for u in plan.updates(action.id or 0)][1:] == [
        (UpdateKind.STATUS, "Waiting for legal"), (UpdateKind.MOVE, "Cabinet meets in March")]
    [update] = teams.connector.updates()
    assert update.activity_id == form_id
    assert f"Recorded: #{action.id} is now At risk · 40%, due Sun 31 Mar 2019 (in 76 days)." in text_of(update.card)
    assert inputs(update.card) == {}  # the form became the action's new state


async def test_saving_the_same_form_twice_records_it_once(teams: Teams, action: Action, plan: PlanFactory) -> None:
    form_id = await _open_form(teams, action)
    values = {"status": "on_track", "percent": "60", "note": "Contractor appointed"}
    await teams.press(DEB, form_id, _save(action), **values)
    await teams.press(DEB, form_id, _save(action), **values)
    assert [u.note for u in plan.updates(action.id or 0)] == [None, "Contractor appointed"]


@pytest.mark.parametrize(
    ("values", "field", "error"),
    [
        ({"percent": "150"}, "percent", "Give a whole number from 0 to 100."),
        ({"percent": "forty"}, "percent", "Give a whole number from 0 to 100."),
        ({"status": "finished"}, "status", "Choose not started, on track, at risk, off track or done."),
        ({"note": "x" * 2001}, "note", "2,001 characters; the limit is 2,000."),
        ({"new_date": "2019-01-01", "reason": "late"}, "new_date",
         "That date is in the past; a new deadline is today or later."),
        ({"new_date": "2019-02-30", "reason": "late"}, "new_date",
         "2019-02-30 is not a date: February 2019 has 28 days."),
        ({"new_date": "2019-03-31"}, "reason", "Say why the deadline is changing."),
    ],
)
async def test_a_refused_form_comes_back_with_the_error_next_to_its_field_and_nothing_saved(
    teams: Teams, action: Action, plan: PlanFactory, values: dict[str, str], field: str, error: str
) -> None:
    form_id = await _open_form(teams, action)
    before = plan.get(action.id or 0)
    await teams.press(DEB, form_id, _save(action), **{"status": "at_risk", "percent": "50", **values})

    after = plan.get(action.id or 0)
    assert (after.status, after.percent_complete, after.due_date, after.version) == (
        before.status, before.percent_complete, before.due_date, before.version)
    assert [u.kind for u in plan.updates(action.id or 0)] == [UpdateKind.CREATED]
    [update] = teams.connector.updates()  # the same form card, now with the error
    assert update.activity_id == form_id
    body = list(elements(update.card))
    position = next(i for i, e in enumerate(body) if e.get("id") == field)
    shown_error = body[position + 1]
    assert shown_error["type"] == "TextBlock" and shown_error["color"] == "Attention"
    assert error in texts({"body": [shown_error]})[0]
    assert "Nothing was saved: put right the fields marked below." in text_of(update.card)


async def test_a_refused_form_keeps_what_was_typed(teams: Teams, action: Action) -> None:
    form_id = await _open_form(teams, action)
    await teams.press(DEB, form_id, _save(action), status="off_track", percent="140", note="Keep this note")
    fields = inputs(teams.connector.updates()[-1].card)
    assert (fields["status"]["value"], fields["note"]["value"], fields["percent"]["value"]) == (
        "off_track", "Keep this note", 140)


async def test_a_corrected_form_is_saved_from_the_same_card(teams: Teams, action: Action, plan: PlanFactory) -> None:
    form_id = await _open_form(teams, action)
    await teams.press(DEB, form_id, _save(action), status="at_risk", percent="400")
    await teams.press(DEB, form_id, _save(action), status="at_risk", percent="40")
    assert plan.get(action.id or 0).percent_complete == 40
    assert [u.activity_id for u in teams.connector.updates()] == [form_id, form_id]
    assert f"Recorded: #{action.id} is now At risk · 40%" in text_of(teams.connector.last_card())


async def _open_form_on_the_list(
    teams: Teams, action: Action, chat: Chat | None = None
) -> tuple[str, str, dict[str, Any]]:
    """Deb lists her actions and presses Update… on ``action``: the list's id, the form's id, and its Save."""
    card = await teams.say(DEB, "mine", chat)
    list_id = teams.last_message_id()
    await teams.press(DEB, list_id, button(card, "Update…", action.id or 0), chat)
    [(_, save)] = buttons(teams.connector.last_card())
    return list_id, teams.last_message_id(), save


async def test_a_form_saved_from_a_list_draws_the_list_again_in_its_card(
    teams: Teams, action: Action, plan: PlanFactory
) -> None:
    list_id, form_id, save = await _open_form_on_the_list(teams, action)
    await teams.press(DEB, form_id, save, status="on_track", percent="70", note="Draft with comms team")

    assert plan.get(action.id or 0).percent_complete == 70
    listed, recorded = teams.connector.updates()
    assert listed.activity_id == list_id, "the list's own card, as after a press"
    assert texts(listed.card)[:2] == ["Your actions", f"Recorded: #{action.id} is now On track · 70%, due Fri 11 Jan "
                                                       "2019 (3 days overdue)."]
    assert "Status: On track · 70%" in texts(listed.card)
    assert button(listed.card, "Done", action.id or 0)["view"] == f"c:{action.id}|mine", "pressing on through it"
    assert recorded.activity_id == form_id and inputs(recorded.card) == {}, "the form shows what it recorded"
    assert f"Recorded: #{action.id} is now On track · 70%" in text_of(recorded.card)


async def test_a_form_from_a_list_refused_for_its_errors_then_corrected_still_draws_the_list_again(
    teams: Teams, action: Action, plan: PlanFactory
) -> None:
    list_id, form_id, save = await _open_form_on_the_list(teams, action)
    await teams.press(DEB, form_id, save, status="on_track", percent="170")
    [refused] = teams.connector.updates()
    assert refused.activity_id == form_id and "Give a whole number from 0 to 100." in text_of(refused.card)
    [(_, save_again)] = buttons(refused.card)
    assert save_again == save, "the form with its errors still knows its list"

    await teams.press(DEB, form_id, save_again, status="on_track", percent="70")
    assert [u.activity_id for u in teams.connector.updates()] == [form_id, list_id, form_id]
    assert f"Recorded: #{action.id} is now On track · 70%" in text_of(teams.connector.updates()[1].card)


async def test_a_form_from_a_list_someone_may_not_save_leaves_the_list(
    teams: Teams, action: Action, plan: PlanFactory
) -> None:
    """In a channel everyone sees the form; the core refuses Owen's Save, and neither card changes."""
    _, form_id, save = await _open_form_on_the_list(teams, action, CHANNEL)
    await teams.press(OWEN, form_id, save, CHANNEL, status="done")
    assert plan.get(action.id or 0).status is Status.NOT_STARTED
    assert teams.connector.updates() == []
    assert f"You can't update #{action.id}" in text_of(teams.connector.sent()[-1].card)


async def test_when_the_lists_card_cannot_be_edited_the_forms_card_shows_the_list(
    teams: Teams, action: Action, plan: PlanFactory
) -> None:
    list_id, form_id, save = await _open_form_on_the_list(teams, action)
    teams.connector.fail_next(404, code="ActivityNotFound", kinds=("update",))
    await teams.press(DEB, form_id, save, status="at_risk")
    assert plan.get(action.id or 0).status is Status.AT_RISK
    tried, shown = teams.connector.updates()  # the list's card refused the edit (404): the form's took it
    assert (tried.activity_id, shown.activity_id) == (list_id, form_id)
    assert "Your actions" in text_of(shown.card) and f"Recorded: #{action.id} is now At risk" in text_of(shown.card)


async def test_a_union_rep_cannot_press_an_owners_button(teams: Teams, action: Action, plan: PlanFactory) -> None:
    """In a channel everyone sees the card; the core decides who may press it. The card is left as it was."""
    card = await teams.say(DEB, "mine", CHANNEL)
    card_id = teams.last_message_id()
    await teams.press(OWEN, card_id, button(card, "Done", action.id or 0), CHANNEL)
    assert plan.get(action.id or 0).status is Status.NOT_STARTED
    assert teams.connector.updates() == []
    answer = teams.connector.sent()[-1]
    assert answer.kind == "reply"  # in the thread, as a new message
    assert text_of(answer.card) == (
        f"You can't update #{action.id}: only the action's owners, the review's leads and admins can. Ask Deb Poole.")


async def test_a_card_the_bot_cannot_read_gets_a_short_answer(teams: Teams, action: Action, plan: PlanFactory) -> None:
    stale = [
        {"intent": "delete_everything", "action_id": action.id},
        {"intent": "done", "action_id": "1; drop"},
        {"intent": "done", "action_id": "\u00b9"},  # a superscript one: a digit to str.isdigit, not an id
        {"intent": "done", "action_id": True},
        {"intent": "done"},
    ]
    for value in stale:
        assert await teams.press(DEB, "1:0001", value) == 200
        assert "I can't read that card" in text_of(teams.connector.last_card())
    assert plan.get(action.id or 0).status is Status.NOT_STARTED


async def test_when_the_card_cannot_be_edited_the_new_state_is_sent_as_a_reply(
    teams: Teams, action: Action, plan: PlanFactory
) -> None:
    card, card_id = await _mine(teams)
    teams.connector.fail_next(404, code="ActivityNotFound", kinds=("update",))
    await teams.press(DEB, card_id, button(card, "Done", action.id or 0))
    assert plan.get(action.id or 0).status is Status.DONE
    assert f"Recorded: #{action.id} is now Done · 100%." in text_of(teams.connector.sent()[-1].card)


async def _open_form(teams: Teams, action: Action) -> str:
    await teams.say(DEB, f"update {action.id}")
    return teams.last_message_id()


def _save(action: Action) -> dict[str, Any]:
    return {"intent": "form", "action_id": action.id}



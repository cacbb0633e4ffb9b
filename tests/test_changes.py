"""Changing an action: every change is audited, buttons are idempotent, and the form validates."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

from sqlalchemy import Engine, text
from sqlmodel import select

from bot.domain import Role, Status, Surface, UpdateKind
from bot.notices.messages import from_payload
from bot.replies import ButtonIntent, Tone
from bot.requests import Actor
from store.models import OutboxNotification
from store.session import transaction
from tests.factories import Chat, PlanFactory


def test_owner_records_status_percent_and_note_with_an_audit_row(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb)
    reply = chat.ask(deb, f"update {action.id} at-risk 40% waiting for the legal review")
    assert reply.tone is Tone.SUCCESS
    assert reply.plain_lines == [f"Recorded: #{action.id} is now At risk · 40%."]
    stored = plan.get(action.id)
    assert (stored.status, stored.percent_complete, stored.latest_note) == (
        Status.AT_RISK, 40, "waiting for the legal review")
    audit = plan.updates(action.id)[-1]
    assert (audit.kind, audit.old_status, audit.new_status, audit.old_percent, audit.new_percent) == (
        UpdateKind.STATUS, Status.NOT_STARTED, Status.AT_RISK, 0, 40)
    assert audit.person_id == deb.id and audit.note == "waiting for the legal review"
    assert audit.surface is Surface.SLACK


def test_done_sets_one_hundred_percent(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb, status=Status.ON_TRACK, percent=60)
    chat.ask(deb, f"done {action.id}")
    assert plan.get(action.id).percent_complete == 100


def test_owner_marks_action_done_from_button_and_pressing_twice_records_one_update(
    plan: PlanFactory, chat: Chat
) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb)
    done_button = next(b for b in chat.ask(deb, "mine").items[0].buttons if b.intent is ButtonIntent.DONE)
    first = chat.ask(deb, done_button.command)
    second = chat.ask(deb, done_button.command)
    assert first.tone is Tone.SUCCESS
    assert "already Done" in second.plain_lines[0]
    assert [u.kind for u in plan.updates(action.id)] == [UpdateKind.CREATED, UpdateKind.STATUS]


def test_a_retried_delivery_applies_a_note_once(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb)
    chat.ask(deb, f"note {action.id} met the contractor", request_key="slack:trigger-1")
    again = chat.ask(deb, f"note {action.id} met the contractor", request_key="slack:trigger-1")
    assert again.plain_lines == ["Already recorded; nothing more to do."]
    assert [u.kind for u in plan.updates(action.id)].count(UpdateKind.NOTE) == 1


def test_the_same_note_typed_twice_is_two_notes(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb)
    chat.ask(deb, f"note {action.id} chased Legal")
    chat.ask(deb, f"note {action.id} chased Legal")
    assert [u.kind for u in plan.updates(action.id)].count(UpdateKind.NOTE) == 2


def test_move_keeps_the_original_due_date_and_shows_it(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb, due_in=10)  # 24 January 2019
    reply = chat.ask(deb, f"move {action.id} 31/03/2019 Cabinet moved to March")
    assert reply.plain_lines == [f"#{action.id} moved to Sun 31 Mar 2019 (was Thu 24 Jan 2019)."]
    chat.ask(deb, f"move {action.id} 2019-04-30 and again")
    stored = plan.get(action.id)
    assert (stored.due_date, stored.original_due_date) == (date(2019, 4, 30), date(2019, 1, 24))
    moves = [u for u in plan.updates(action.id) if u.kind is UpdateKind.MOVE]
    assert [(m.old_due_date, m.new_due_date, m.note) for m in moves] == [
        (date(2019, 1, 24), date(2019, 3, 31), "Cabinet moved to March"),
        (date(2019, 3, 31), date(2019, 4, 30), "and again"),
    ]
    shown = chat.text(deb, f"show {action.id}")
    assert "Original due date: Thu 24 Jan 2019" in shown
    assert "due Sun 31 Mar 2019 → Tue 30 Apr 2019" in shown


def test_snooze_defaults_to_a_week_and_shows_as_snoozed(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb, due_in=3)
    reply = chat.ask(deb, f"snooze {action.id}")
    assert reply.plain_lines == [f"No reminders for #{action.id} until Mon 21 Jan 2019."]
    assert plan.get(action.id).snoozed_until == date(2019, 1, 21)
    item = chat.ask(deb, "mine").items[0]
    assert item.snoozed and "snoozed until Mon 21 Jan 2019" in item.facts[2].value
    chat.ask(deb, f"snooze {action.id}")  # the same snooze again records nothing more
    assert [u.kind for u in plan.updates(action.id)].count(UpdateKind.SNOOZE) == 1


def test_manager_drops_an_action_with_a_reason(plan: PlanFactory, chat: Chat) -> None:
    lead = plan.person("Sue Hanley", Role.MANAGER)
    deb = plan.person("Deb Poole")
    review = plan.review("Corporate Peer Challenge 2018", lead)
    action = plan.action(deb, review=review)
    chat.ask(lead, f"drop {action.id} superseded by the new operating model")
    stored = plan.get(action.id)
    assert (stored.status, stored.dropped_reason) == (Status.DROPPED, "superseded by the new operating model")
    assert plan.updates(action.id)[-1].kind is UpdateKind.DROP
    assert "Dropped because: superseded by the new operating model" in chat.text(lead, f"show {action.id}")


def test_an_owner_cannot_change_a_dropped_action_but_its_lead_can_reopen_it(plan: PlanFactory, chat: Chat) -> None:
    lead = plan.person("Sue Hanley", Role.MANAGER)
    deb = plan.person("Deb Poole")
    action = plan.action(deb, review=plan.review("Corporate Peer Challenge 2018", lead))
    chat.ask(lead, f"drop {action.id} superseded")
    refused = chat.ask(deb, f"on-track {action.id}")
    assert refused.tone is Tone.ERROR and "was dropped (superseded)" in refused.plain_lines[0]
    chat.ask(lead, f"on-track {action.id}")
    stored = plan.get(action.id)
    assert stored.status is Status.ON_TRACK and stored.dropped_reason is None


def test_show_gives_recommendation_owners_status_and_history(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    comms = plan.group("Communications Team")
    action = plan.action(deb, comms, rec_ref="12", text="Publish the measures of success")
    chat.ask(deb, f"update {action.id} on track 25% draft with CMT")
    reply = chat.ask(deb, f"show #{action.id}")
    assert reply.title == f"Action #{action.id}"
    item = reply.sections[0].items[0]
    assert item.text == "Publish the measures of success"
    assert item.facts[0].value == "Deb Poole, Communications Team"
    assert reply.sections[1].heading == "Recommendation 12"
    history = reply.sections[3].lines
    assert history[0].endswith("· Deb Poole (slack) · Not started → On track, 0% → 25%: “draft with CMT”")
    assert history[1].endswith("· actionbot (import) · created")


def test_update_alone_opens_the_form_prefilled(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb, status=Status.AT_RISK, percent=40)
    reply = chat.ask(deb, f"update {action.id}")
    assert reply.form is not None
    values = {field.name: field.value for field in reply.form.fields}
    assert values["status"] == "at_risk" and values["percent"] == "40"
    assert plan.updates(action.id)[-1].kind is UpdateKind.CREATED


def test_form_submission_records_status_and_new_date_together(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb, due_in=5)
    reply = chat.submit(deb, action.id, status="on_track", percent="50", note="half way",
                        new_date="2019-02-28", reason="waiting for Cabinet")
    assert reply.tone is Tone.SUCCESS and reply.form is None
    stored = plan.get(action.id)
    assert (stored.status, stored.percent_complete, stored.due_date) == (Status.ON_TRACK, 50, date(2019, 2, 28))
    kinds = [u.kind for u in plan.updates(action.id)]
    assert kinds == [UpdateKind.CREATED, UpdateKind.STATUS, UpdateKind.MOVE]
    assert stored.latest_note == "half way", "the move's reason must not overwrite the note given with it"
    assert [u.note for u in plan.updates(action.id)][1:] == ["half way", "waiting for Cabinet"]


def test_form_errors_are_shown_on_each_field_and_nothing_is_written(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb, due_in=5)
    reply = chat.submit(deb, action.id, status="finished", percent="140", note="x" * 2001,
                        new_date="31/02/2019", reason="")
    assert reply.tone is Tone.ERROR and reply.form is not None
    errors = {field.name: field.error for field in reply.form.fields if field.error}
    assert errors == {
        "status": "Choose not started, on track, at risk, off track or done.",
        "percent": "Give a whole number from 0 to 100.",
        "note": "2,001 characters; the limit is 2,000.",
        "new_date": "31/02/2019 is not a date: February 2019 has 28 days.",
    }
    assert {f.name: f.value for f in reply.form.fields}["percent"] == "140", "what was typed is kept"
    assert len(plan.updates(action.id)) == 1


def test_form_needs_a_reason_for_a_new_date(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb, due_in=5)
    reply = chat.submit(deb, action.id, status="on_track", new_date="2019-02-28", reason=" ")
    assert reply.form is not None
    assert {f.name: f.error for f in reply.form.fields if f.error} == {"reason": "Say why the deadline is changing."}
    assert plan.get(action.id).status is Status.NOT_STARTED


def test_changes_are_queued_once_for_channels_subscribed_to_updates(
    plan: PlanFactory, chat: Chat, engine: Engine
) -> None:
    union_rep = plan.person("Owen Price", Role.UNION_REP)
    deb = plan.person("Deb Poole")
    review = plan.review("Peer Review Programme 2017")
    action = plan.action(deb, review=review)
    chat.ask(union_rep, "subscribe Peer Review Programme updates", channel="C-UNISON")
    chat.ask(union_rep, "subscribe all updates", channel="C-UNISON")  # the same channel is told once
    chat.ask(union_rep, "subscribe all digest", channel="C-SMT")  # digests only: no broadcast
    chat.ask(deb, f"at-risk {action.id} <!channel> waiting on HR")
    with transaction(engine, write=False) as session:
        queued = list(session.exec(select(OutboxNotification)))
    assert [(n.kind, n.target_key) for n in queued] == [("update", "C-UNISON")]
    assert queued[0].dedupe_key.startswith("update:") and queued[0].action_id == action.id
    message = from_payload(queued[0].payload)
    assert "At risk" in message.reply.sections[0].lines[0] and message.action_ids == (action.id,)


def test_a_change_is_broadcast_to_channels_subscribed_to_its_own_review_and_no_other(
    plan: PlanFactory, chat: Chat, engine: Engine
) -> None:
    union_rep = plan.person("Owen Price", Role.UNION_REP)
    deb = plan.person("Deb Poole")
    peer = plan.action(deb, review=plan.review("Peer Review Programme 2017"))
    challenge = plan.action(deb, review=plan.review("Corporate Peer Challenge 2018"))
    chat.ask(union_rep, "subscribe Peer Review Programme updates", channel="C-UNISON")
    chat.ask(deb, f"at-risk {challenge.id}")  # another review's change: nobody hears of it
    chat.ask(deb, f"on-track {peer.id}")
    with transaction(engine, write=False) as session:
        queued = list(session.exec(select(OutboxNotification)))
    assert [(n.target_key, n.action_id) for n in queued] == [("C-UNISON", peer.id)]


def test_owners_through_a_group_and_the_reviews_leads_may_press_an_actions_buttons_and_nobody_else(
    plan: PlanFactory, chat: Chat
) -> None:
    deb = plan.person("Deb Poole")
    lead = plan.person("Sue Hanley", Role.MANAGER)
    stranger = plan.person("Kevin Dicks")
    action = plan.action(plan.group("Housing team", deb), review=plan.review("Corporate Peer Challenge 2018", lead))
    buttons = {b.intent: b.command for b in chat.ask(deb, "mine").items[0].buttons}
    refused = chat.ask(stranger, buttons[ButtonIntent.AT_RISK])
    assert refused.tone is Tone.ERROR and refused.plain_lines[0].startswith(f"You can't update #{action.id}")
    assert chat.ask(deb, buttons[ButtonIntent.AT_RISK]).plain_lines == [f"Recorded: #{action.id} is now At risk · 0%."]
    assert chat.ask(lead, buttons[ButtonIntent.ON_TRACK]).plain_lines == [
        f"Recorded: #{action.id} is now On track · 0%."]
    assert [u.person_id for u in plan.updates(action.id)][1:] == [deb.id, lead.id]


def test_a_write_based_on_a_stale_read_is_retried_from_a_fresh_read(plan: PlanFactory, chat: Chat) -> None:
    """Another writer bumps the version between our read and our write: ours is redone, never blindly applied."""
    deb = plan.person("Deb Poole")
    action = plan.action(deb)
    uow = chat.core.uow
    original_context = uow._context  # noqa: SLF001
    interfered = []

    def interfering_context(session, writes):  # type: ignore[no-untyped-def]
        context = original_context(session, writes)
        if not interfered:
            interfered.append(True)
            context.action(action.id)  # our read: version 1
            session.connection().execute(text("UPDATE action SET version = version + 1 WHERE id = :id"),
                                         {"id": action.id})
        return context

    uow._context = interfering_context  # type: ignore[method-assign]  # noqa: SLF001
    try:
        reply = chat.ask(deb, f"at-risk {action.id} 30%")
    finally:
        uow._context = original_context  # type: ignore[method-assign]  # noqa: SLF001
    assert reply.tone is Tone.SUCCESS
    assert plan.get(action.id).status is Status.AT_RISK
    assert [u.kind for u in plan.updates(action.id)] == [UpdateKind.CREATED, UpdateKind.STATUS]


def test_two_people_updating_one_action_at_once_lose_nothing(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole")
    lead = plan.person("Sue Hanley", Role.MANAGER)
    action = plan.action(deb, review=plan.review("Corporate Peer Challenge 2018", lead))
    rounds = 12

    def notes(who: object, label: str) -> list[Tone]:
        return [chat.ask(who, f"note {action.id} {label} {n}").tone for n in range(rounds)]  # type: ignore[arg-type]

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(notes, [deb, lead], ["owner", "lead"]))
    assert all(tone is Tone.SUCCESS for tones in results for tone in tones)
    stored = plan.get(action.id)
    assert [u.kind for u in plan.updates(action.id)].count(UpdateKind.NOTE) == 2 * rounds
    assert stored.version == 1 + 2 * rounds


def test_a_mention_in_a_note_is_kept_as_the_name_of_who_it_names(plan: PlanFactory, chat: Chat) -> None:
    deb = plan.person("Deb Poole", slack="U0DEB")
    plan.person("Kevin Dicks", slack="U0KEVIN")
    action = plan.action(deb)
    slack_deb = Actor(platform="slack", user_id="U0DEB")
    chat.ask(slack_deb, f"note {action.id} asked <@U0KEVIN|kevin> and <@U0NEW|nina.p> and <@U0GONE> for figures")
    assert plan.get(action.id).latest_note == "asked @Kevin Dicks and @nina.p and @U0GONE for figures"
    assert plan.updates(action.id)[-1].note == "asked @Kevin Dicks and @nina.p and @U0GONE for figures"

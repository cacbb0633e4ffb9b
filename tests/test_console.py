"""The console chat: commands in, readable text out, buttons pressed by number, scriptable from a pipe."""

from __future__ import annotations

import io

from adapters.console import ConsoleChat
from bot.core import Core
from bot.domain import Status
from store.models import Person
from tests.factories import PlanFactory


def console(core: Core, person: Person) -> tuple[ConsoleChat, io.StringIO]:
    out = io.StringIO()
    return ConsoleChat(core, person.id or 0, person.name, out=out), out


def test_a_scripted_session_echoes_each_command_and_its_reply(plan: PlanFactory, core: Core) -> None:
    deb = plan.person("Deb Poole")
    plan.action(deb, text="Publish the process map", due_in=3)
    chat, out = console(core, deb)
    chat.run(["mine\n", "\n", "reviews\n"], interactive=False)
    text = out.getvalue()
    assert text.startswith("> mine\n== Your actions ==")
    assert "Publish the process map" in text and "Due: Thu 17 Jan 2019 (in 3 days)" in text
    assert "> reviews\n== Reviews ==" in text


def test_buttons_show_as_numbers_and_typing_one_presses_it(plan: PlanFactory, core: Core) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb, text="Publish the process map")
    chat, out = console(core, deb)
    chat.run(["mine", "1"], interactive=False)
    assert "[1] Done  [2] On track  [3] At risk  [4] Update…  [5] Snooze a week" in out.getvalue()
    assert f"Recorded: #{action.id} is now Done · 100%." in out.getvalue()
    assert plan.get(action.id).status is Status.DONE


def test_an_update_through_the_console_shows_in_show_with_its_history_row(plan: PlanFactory, core: Core) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb)
    chat, out = console(core, deb)
    chat.run([f"update {action.id} at risk 40% legal review pending", f"show {action.id}"], interactive=False)
    shown = out.getvalue().split(f"> show {action.id}")[1]
    assert "Status: At risk · 40%" in shown
    assert "Deb Poole (console) · Not started → At risk, 0% → 40%: “legal review pending”" in shown


def test_the_update_button_shows_the_form_and_how_to_fill_it_in(plan: PlanFactory, core: Core) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb)
    chat, out = console(core, deb)
    chat.run(["mine", "4"], interactive=False)
    text = out.getvalue()
    assert f"Update #{action.id}: the form's fields, as they stand" in text
    assert f"type `update {action.id} <status> <percent>% <note>`" in text


def test_terminal_control_characters_in_notes_are_not_printed(plan: PlanFactory, core: Core) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb)
    chat, out = console(core, deb)
    chat.run([f"note {action.id} \x1b[2Jcleared your screen", f"show {action.id}"], interactive=False)
    assert "\x1b" not in out.getvalue()
    assert "[2Jcleared your screen" in out.getvalue()


def test_a_multi_line_action_text_stays_indented_under_its_number(plan: PlanFactory, core: Core) -> None:
    deb = plan.person("Deb Poole")
    action = plan.action(deb, text="Hold member workshops\nAgree the vision at Council")
    chat, out = console(core, deb)
    chat.run([f"show {action.id}"], interactive=False)
    assert f"  #{action.id} [GREY] Hold member workshops\n      Agree the vision at Council\n" in out.getvalue()


def test_errors_read_as_a_short_apology(plan: PlanFactory, core: Core) -> None:
    deb = plan.person("Deb Poole")
    chat, out = console(core, deb)
    chat.run(["show 999"], interactive=False)
    assert "Sorry: There is no action #999." in out.getvalue()


def test_quit_ends_a_script_early(plan: PlanFactory, core: Core) -> None:
    deb = plan.person("Deb Poole")
    chat, out = console(core, deb)
    chat.run(["help", "quit", "mine"], interactive=False)
    assert "> mine" not in out.getvalue()

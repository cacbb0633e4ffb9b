"""Whatever is typed, the grammar answers with a command or a clear refusal: never another exception."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.commands import Command, ParseError
from bot.grammar import parse

WORDS = st.sampled_from([
    "12", "#12", "done", "on", "track", "at", "risk", "40%", "100%", "mark", "set", "to", "as", "move", "snooze",
    "next", "friday", "end", "of", "march", "in", "2", "weeks", "03/04", "31/02/2019", "9999", "years", "my",
    "overdue", "due", "this", "week", "?", "please", "show", "me", "what's", "close", "subscribe", "all", "digest",
    "16:30", "4pm", "4", "mine", "page", "note", "the", "deadline", "for", "until", "tomorrow", "is", "", "“", "’",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(WORDS, max_size=8), st.dates(min_value=date(2000, 1, 1), max_value=date(2150, 12, 31)))
def test_any_line_of_command_words_is_a_command_or_a_refusal(words: list[str], today: date) -> None:
    try:
        parse(" ".join(words), today)
    except ParseError as refused:
        assert str(refused) and "\n" not in str(refused)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_text_at_all_is_a_command_or_a_refusal(text: str) -> None:
    try:
        command = parse(text, date(2019, 1, 14))
    except ParseError as refused:
        assert str(refused).strip()
    else:
        assert isinstance(command, Command)

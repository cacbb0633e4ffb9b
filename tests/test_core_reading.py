"""The core reads each line once a day: the same command on another day is read on that day, a mistake is
refused every time, and what it reads is what the grammar reads."""

from __future__ import annotations

from datetime import date

import pytest

from bot.commands import CommandName, ParseError
from bot.core import MEMO_LENGTH, read
from bot.grammar import parse

MONDAY, SATURDAY = date(2019, 1, 14), date(2019, 1, 19)


def test_a_date_in_words_is_read_on_the_day_the_line_comes_however_often_it_came_before() -> None:
    line = "move 2 to friday waiting for Cabinet"
    assert read(line, MONDAY).new_date == date(2019, 1, 18)
    assert read(line, MONDAY).new_date == date(2019, 1, 18)
    assert read(line, SATURDAY).new_date == date(2019, 1, 25)
    assert read(line, MONDAY) == parse(line, MONDAY)


def test_a_line_that_cannot_be_read_is_refused_every_time() -> None:
    for _ in range(2):
        with pytest.raises(ParseError, match="A reason for the new date is required"):
            read("move 2 to friday", MONDAY)


def test_long_lines_and_short_ones_are_read_alike() -> None:
    note = "note 2 " + "the committee asked for the figures again " * 4
    assert len(note) > MEMO_LENGTH
    assert read(note, MONDAY) == parse(note, MONDAY)
    assert read(note, MONDAY).name is CommandName.NOTE and read("mine", MONDAY).name is CommandName.MINE

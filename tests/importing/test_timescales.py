"""Timescales as councils write them, case by case: what is read, what date it means, what is flagged."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain import TimescaleKind as Kind
from bot.importing.timescales import ABOVE, read_timescale

D, R, G, P, S, U = Kind.DATE, Kind.RECURRING, Kind.ONGOING, Kind.IN_PLACE, Kind.SAME_AS, Kind.UNKNOWN

READ_CLEANLY = [
    # the forms in SPEC.md and the issue
    ("September 2018", D, date(2018, 9, 30)),
    ("September 2018 and ongoing", R, date(2018, 9, 30)),
    ("Ongoing", G, None),
    ("In place", P, None),
    ("Q3 2019", D, date(2019, 9, 30)),
    ("by end of March 2019", D, date(2019, 3, 31)),
    ("31/03/2019", D, date(2019, 3, 31)),
    ("2019/20", D, date(2020, 3, 31)),
    ("Spring 2019", D, date(2019, 5, 31)),
    # what real plans also write
    ("End of 2018", D, date(2018, 12, 31)),
    ("Summer 2019", D, date(2019, 8, 31)),
    ("Autumn 2018", D, date(2018, 11, 30)),
    ("Winter 2019/20", D, date(2020, 2, 29)),
    ("March 2019 onwards", R, date(2019, 3, 31)),
    ("from April 2019", R, date(2019, 4, 30)),
    ("Monthly from April 2019", R, date(2019, 4, 30)),
    ("Complete", P, None),
    ("Completed", P, None),
    ("Already in place", P, None),
    ("Completed March 2019", P, date(2019, 3, 31)),
    ("Jan-19", D, date(2019, 1, 31)),
    ("Sept 2018", D, date(2018, 9, 30)),
    ("Mar '19", D, date(2019, 3, 31)),
    ("31st March 2019", D, date(2019, 3, 31)),
    ("6th January 2019", D, date(2019, 1, 6)),
    ("March 31, 2019", D, date(2019, 3, 31)),
    ("31 Mar 19", D, date(2019, 3, 31)),
    ("31.03.2019", D, date(2019, 3, 31)),
    ("15/01/19", D, date(2019, 1, 15)),
    ("2019-03-31", D, date(2019, 3, 31)),
    ("By 4 January 2019", D, date(2019, 1, 4)),
    ("End March 2019", D, date(2019, 3, 31)),
    ("no later than June 2019", D, date(2019, 6, 30)),
    ("FY 2019-20", D, date(2020, 3, 31)),
    ("Q3 2019/20", D, date(2019, 12, 31)),
    ("Q4 2019/20", D, date(2020, 3, 31)),
    ("Quarter 1 2019", D, date(2019, 3, 31)),
    ("2nd quarter 2019", D, date(2019, 6, 30)),
    ("H1 2019", D, date(2019, 6, 30)),
    ("first half of 2019", D, date(2019, 6, 30)),
    ("2019", D, date(2019, 12, 31)),
    ("During 2019", D, date(2019, 12, 31)),
    ("Quarterly and ongoing", G, None),
    ("Annually", G, None),
    ("On-going", G, None),
    ("Ongoing - reviewed annually", G, None),
    ("• September 2018", D, date(2018, 9, 30)),
    ("1. September 2018", D, date(2018, 9, 30)),
    ("Ѕeptember 2018", D, date(2018, 9, 30)),  # a Cyrillic Ѕ
    ("ＳＥＰＴＥＭＢＥＲ 2018", D, date(2018, 9, 30)),  # full-width letters
]


@pytest.mark.parametrize(("written", "kind", "due"), READ_CLEANLY)
def test_timescales_that_real_plans_write_are_read_without_a_flag(written: str, kind: Kind, due: date | None) -> None:
    timescale = read_timescale(written)
    assert (timescale.kind, timescale.due, timescale.flag) == (kind, due, None)


def test_the_text_as_written_is_kept_tidied_on_one_line() -> None:
    assert read_timescale("  November 2018\n  and ongoing ").text == "November 2018 and ongoing"
    assert read_timescale("\uf0b7 Spring\u00a02019").text == "Spring 2019"


@pytest.mark.parametrize(
    ("written", "ref"),
    [("As 19 above", "19"), ("as 3.2 above", "3.2"), ("As per K3", "K3"), ("See rec 4", "4"), ("As above", ABOVE)],
)
def test_as_n_above_is_read_as_the_same_as_that_recommendation(written: str, ref: str) -> None:
    timescale = read_timescale(written)
    assert (timescale.kind, timescale.same_as, timescale.due, timescale.flag) == (S, ref, None, None)


FLAGGED = [
    # (written, kind, due, words the flag must contain)
    ("November 2018 November 2018", D, date(2018, 11, 30), "2 dates in one cell"),
    ("Dec 2018 / Jan 2019", D, date(2018, 12, 31), "the first is the due date; split the action"),
    ("April 2019 to March 2020", D, date(2020, 3, 31), "a range: read as due at its end"),
    ("TBC", U, None, "no date given yet"),
    ("To be agreed", U, None, "no date given yet"),
    ("", U, None, "no timescale given"),
    ("n/a", U, None, "no timescale given"),
    ("Immediate", U, None, "names no date"),
    ("ASAP", U, None, "names no date"),
    ("31/02/2019", U, None, "February 2019 has 28 days"),
    ("03/31/2019", U, None, "there is no month 31 (dates are read day first)"),
    ("2019/21", U, None, "not a financial year"),
    ("March", U, None, "'March' has no year"),
    ("Sept 18", U, None, "is 18 a day or the year"),
    ("When resources allow", U, None, "could not read this timescale"),
    ("mid-March 2019", D, date(2019, 3, 31), "did not understand 'mid'"),
    ("Subject to funding, March 2019", D, date(2019, 3, 31), "did not understand 'subject funding'"),
    ("Winter 2019", D, date(2020, 2, 29), "read as the winter of 2019/20"),
]


@pytest.mark.parametrize(("written", "kind", "due", "flag"), FLAGGED)
def test_what_cannot_be_read_for_sure_is_kept_and_flagged_never_guessed(
    written: str, kind: Kind, due: date | None, flag: str
) -> None:
    timescale = read_timescale(written)
    assert (timescale.kind, timescale.due) == (kind, due)
    assert timescale.flag is not None and flag in timescale.flag
    assert timescale.text == written.strip()

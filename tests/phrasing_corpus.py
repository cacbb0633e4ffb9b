"""What people type, and the command each must become or the exact refusal it must get.

The corpus is run on the grammar, on the console, on Slack (``/actions …``) and on Teams (a 1:1
message): see ``tests/test_phrasings.py``, ``tests/slack/test_phrasings.py`` and
``tests/teams/test_phrasings.py``. "Today" is the suite's fixed clock: Monday 14 January 2019.
Action 12 does not exist in the surface tests' plans, so the writes here are parsed, never applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot import grammar
from bot.commands import Command, CommandName, ParseError, UserRef
from bot.domain import Status, SubscriptionKind

TODAY = date(2019, 1, 14)
FRIDAY = date(2019, 1, 18)
END_OF_MARCH = date(2019, 3, 31)
MOVE_USAGE = "Try: move 42 2019-03-31 waiting for Cabinet in March"
UPDATE_USAGE = "Try: update 42 at-risk 40% waiting for the legal review"
DIGEST_USAGE = "Try: subscribe <review|all> digest friday 16:00"


@dataclass(frozen=True)
class Refused:
    """The exact answer a phrasing must get instead of a command."""

    message: str


def update(action_id: int = 12, status: Status | None = None, percent: int | None = None, note: str | None = None
           ) -> Command:
    return Command(CommandName.UPDATE, action_id=action_id, status=status, percent=percent, note=note)


def show(action_id: int = 12) -> Command:
    return Command(CommandName.SHOW, action_id=action_id)


def move(new_date: date, note: str, action_id: int = 12) -> Command:
    return Command(CommandName.MOVE, action_id=action_id, new_date=new_date, note=note)


def snooze(days: int | None = None, until: date | None = None) -> Command:
    return Command(CommandName.SNOOZE, action_id=12, days=days, new_date=until)


def note(text: str) -> Command:
    return Command(CommandName.NOTE, action_id=12, note=text)


def command(name: CommandName, **fields: object) -> Command:
    return Command(name, **fields)  # type: ignore[arg-type]


MINE = command(CommandName.MINE)
OVERDUE = command(CommandName.OVERDUE)
MY_OVERDUE = command(CommandName.OVERDUE, mine=True)
DUE_7 = command(CommandName.DUE, days=7, window="next 7 days")
THIS_WEEK = command(CommandName.DUE, window="this week")
HELP = command(CommandName.HELP)
REVIEWS = command(CommandName.REVIEWS)
REVIEW = "Corporate Peer Challenge 2018"
WAITING = "waiting for legal"
CABINET = "Cabinet moved"
RECORD_OR_SEE = "Did you mean to record #12 as done (`update 12 done`), or to see it (`show 12`)?"

CORPUS: list[tuple[str, Command | Refused]] = [
    # my actions
    ("mine", MINE),
    ("my actions", MINE),
    ("My actions", MINE),
    ("my actions?", MINE),
    ("show me my actions", MINE),
    ("show my actions", MINE),
    ("list my actions", MINE),
    ("what are my actions?", MINE),
    ("please show me my actions", MINE),
    ("my open actions", MINE),
    ("my tasks", MINE),
    ("mine please", MINE),
    ("what do I have?", MINE),
    ("what have I got", MINE),
    ("my actions page 2", command(CommandName.MINE, page=2)),
    ("MINE", MINE),
    # overdue
    ("overdue", OVERDUE),
    ("overdue?", OVERDUE),
    ("what is overdue?", OVERDUE),
    ("what's overdue?", OVERDUE),
    ("What’s overdue?", OVERDUE),
    ("whats overdue", OVERDUE),
    ("what's late?", OVERDUE),
    ("anything overdue?", OVERDUE),
    ("is anything overdue?", OVERDUE),
    ("are there any overdue actions?", OVERDUE),
    ("show me overdue actions", OVERDUE),
    ("list overdue", OVERDUE),
    ("overdue actions", OVERDUE),
    ("the overdue list", OVERDUE),
    ("OVERDUE", OVERDUE),
    ("overdue please", OVERDUE),
    ("late actions", OVERDUE),
    ("overdue page 2", command(CommandName.OVERDUE, page=2)),
    ("my overdue actions", MY_OVERDUE),
    ("my overdue", MY_OVERDUE),
    ("overdue mine", MY_OVERDUE),
    ("what's overdue for me?", MY_OVERDUE),
    ("do I have anything overdue?", MY_OVERDUE),
    (f"overdue in {REVIEW}", command(CommandName.OVERDUE, review=REVIEW)),
    (f"overdue {REVIEW}", command(CommandName.OVERDUE, review=REVIEW)),
    (f"what's overdue in {REVIEW}?", command(CommandName.OVERDUE, review=REVIEW)),
    ("overdue for Deb Poole", command(CommandName.OVERDUE, owner="Deb Poole")),
    ("overdue @Deb Poole", command(CommandName.OVERDUE, owner="Deb Poole")),
    # due
    ("due", DUE_7),
    ("due?", DUE_7),
    ("what's due?", DUE_7),
    ("due soon", DUE_7),
    ("coming up", DUE_7),
    ("what's coming up?", DUE_7),
    ("what's due this week?", THIS_WEEK),
    ("what is due this week", THIS_WEEK),
    ("due this week", THIS_WEEK),
    ("anything due this week?", THIS_WEEK),
    ("actions due this week", THIS_WEEK),
    ("due next week", command(CommandName.DUE, window="next week")),
    ("due this month", command(CommandName.DUE, window="this month")),
    ("what's due today?", command(CommandName.DUE, window="today")),
    ("due 30d", command(CommandName.DUE, days=30, window="next 30 days")),
    ("due 2w", command(CommandName.DUE, days=14, window="next 14 days")),
    ("due in the next 2 weeks", command(CommandName.DUE, days=14, window="next 14 days")),
    ("due within 30 days", command(CommandName.DUE, days=30, window="next 30 days")),
    ("due by friday", command(CommandName.DUE, new_date=FRIDAY)),
    ("what's due by next Friday?", command(CommandName.DUE, new_date=FRIDAY)),
    ("due before end of March", command(CommandName.DUE, new_date=END_OF_MARCH)),
    ("due tomorrow", command(CommandName.DUE, new_date=date(2019, 1, 15))),
    ("what's due by the end of January?", command(CommandName.DUE, new_date=date(2019, 1, 31))),
    ("my actions due this week", command(CommandName.DUE, window="this week", mine=True)),
    ("what have I got due this week?", command(CommandName.DUE, window="this week", mine=True)),
    ("due mine", command(CommandName.DUE, days=7, window="next 7 days", mine=True)),
    # one action
    ("12", show()),
    ("#12", show()),
    ("#12?", show()),
    ("show 12", show()),
    ("show #12", show()),
    ("Show 12.", show()),
    ("show me 12", show()),
    ("show me #12 please", show()),
    ("can you show me 12?", show()),
    ("tell me about 12", show()),
    ("what about #12?", show()),
    ("what is 12?", show()),
    ("is 12 done?", show()),
    ("how's 12 going?", show()),
    ("action 12", show()),
    ("view 12", show()),
    ("12 details", show()),
    ("show me the history of 12", show()),
    ("see the due date of 12", show()),
    ("history 12", show()),
    # status, the verb before or after the number
    ("mark 12 done", update(status=Status.DONE)),
    ("12 done", update(status=Status.DONE)),
    ("#12 done", update(status=Status.DONE)),
    ("Mark #12 as Done", update(status=Status.DONE)),
    ("mark 12 as complete", update(status=Status.DONE)),
    ("mark 12 completed", update(status=Status.DONE)),
    ("12 is done", update(status=Status.DONE)),
    ("12 complete", update(status=Status.DONE)),
    ("done 12", update(status=Status.DONE)),
    ("Done #12", update(status=Status.DONE)),
    ("please mark 12 done", update(status=Status.DONE)),
    ("can you mark 12 as done please", update(status=Status.DONE)),
    ("12 done thanks", update(status=Status.DONE)),
    ("#12 at risk", update(status=Status.AT_RISK)),
    ("12 at risk", update(status=Status.AT_RISK)),
    ("#12 at-risk", update(status=Status.AT_RISK)),
    ("12 AT RISK", update(status=Status.AT_RISK)),
    ("at risk 12", update(status=Status.AT_RISK)),
    ("set 12 to on track", update(status=Status.ON_TRACK)),
    ("set 12 on-track", update(status=Status.ON_TRACK)),
    ("set #12 to on track", update(status=Status.ON_TRACK)),
    ("12 on track", update(status=Status.ON_TRACK)),
    ("12 on–track", update(status=Status.ON_TRACK)),
    ("12 is on track", update(status=Status.ON_TRACK)),
    ("on track 12", update(status=Status.ON_TRACK)),
    ("change 12 to at risk", update(status=Status.AT_RISK)),
    ("flag 12 as at risk", update(status=Status.AT_RISK)),
    ("put 12 at risk", update(status=Status.AT_RISK)),
    ("12 off track", update(status=Status.OFF_TRACK)),
    ("12 red", update(status=Status.OFF_TRACK)),
    ("12 amber", update(status=Status.AT_RISK)),
    ("12 green", update(status=Status.ON_TRACK)),
    ("12 not started", update(status=Status.NOT_STARTED)),
    ("update 12 to done", update(status=Status.DONE)),
    ("update #12 status done", update(status=Status.DONE)),
    ("update 12 as complete", update(status=Status.DONE)),
    ("update 12 done.", update(status=Status.DONE)),
    ("UPDATE 12 ON TRACK", update(status=Status.ON_TRACK)),
    ("update the status of 12 to at risk", update(status=Status.AT_RISK)),
    ("update 12", update()),
    ("mark 12", update()),
    # percentages
    ("12 50%", update(percent=50)),
    ("12 is 50%", update(percent=50)),
    ("12 50% done", update(percent=50)),
    ("12 40% complete", update(percent=40)),
    ("set 12 to 60%", update(percent=60)),
    ("update 12 50%", update(percent=50)),
    ("update 12 done 40%", update(status=Status.DONE, percent=40)),
    ("12 done 100%", update(status=Status.DONE, percent=100)),
    ("#12 at risk 40% waiting for the legal review",
     update(status=Status.AT_RISK, percent=40, note="waiting for the legal review")),
    ("12 on track 60% contractor appointed", update(status=Status.ON_TRACK, percent=60, note="contractor appointed")),
    ("mark 12 done finished ahead of Cabinet", update(status=Status.DONE, note="finished ahead of Cabinet")),
    ("update 12 40% at risk waiting for the legal review",
     update(status=Status.AT_RISK, percent=40, note="waiting for the legal review")),
    # notes
    ("note 12 met the contractor", note("met the contractor")),
    ("12 note met the contractor", note("met the contractor")),
    ("#12 note: met the contractor", note("met the contractor")),
    ("add a note to 12: met the contractor", note("met the contractor")),
    ("comment 12 met the contractor", note("met the contractor")),
    ("note #12 “met the contractor”", note("met the contractor")),
    ("note 12 can legal help?", note("can legal help?")),
    # new deadlines, in words
    ("move 12 next friday waiting for legal", move(FRIDAY, WAITING)),
    ("move 12 to next Friday waiting for legal", move(FRIDAY, WAITING)),
    ("move 12 friday waiting for legal", move(FRIDAY, WAITING)),
    ("move 12 Friday, waiting for legal", move(FRIDAY, WAITING)),
    ("move 12 fri 18 jan waiting for legal", move(FRIDAY, WAITING)),
    ("move 12 end of March Cabinet moved", move(END_OF_MARCH, CABINET)),
    ("move 12 to the end of March Cabinet moved", move(END_OF_MARCH, CABINET)),
    ("move 12 march Cabinet moved", move(END_OF_MARCH, CABINET)),
    ("move 12 in 2 weeks budget slipped", move(date(2019, 1, 28), "budget slipped")),
    ("move 12 31st March Cabinet moved", move(END_OF_MARCH, CABINET)),
    ("move 12 31/03/2019 Cabinet moved", move(END_OF_MARCH, CABINET)),
    ("move 12 2019-03-31 Cabinet moved", move(END_OF_MARCH, CABINET)),
    ("move 12 31/03 Cabinet moved", move(END_OF_MARCH, CABINET)),
    ("move 12 tomorrow waiting for sign-off", move(date(2019, 1, 15), "waiting for sign-off")),
    ("move 12 end of next month budget slipped", move(date(2019, 2, 28), "budget slipped")),
    ("reschedule 12 to 31 March Cabinet moved", move(END_OF_MARCH, CABINET)),
    ("extend 12 to end of March Cabinet moved", move(END_OF_MARCH, CABINET)),
    ("push 12 back to next friday waiting for legal", move(FRIDAY, WAITING)),
    ("change the deadline for 12 to next friday waiting for legal", move(FRIDAY, WAITING)),
    ("12 move friday waiting for legal", move(FRIDAY, WAITING)),
    # snoozing
    ("snooze 12", snooze(days=7)),
    ("snooze 12 for 2 weeks", snooze(days=14)),
    ("snooze 12 2w", snooze(days=14)),
    ("snooze #12 for a week", snooze(days=7)),
    ("snooze 12 until friday", snooze(until=FRIDAY)),
    ("snooze 12 till next month", snooze(until=date(2019, 2, 14))),
    ("snooze 12 until the end of March", snooze(until=END_OF_MARCH)),
    ("mute 12", snooze(days=7)),
    ("12 snooze", snooze(days=7)),
    # dropping
    ("drop 12 superseded by the new operating model",
     command(CommandName.DROP, action_id=12, note="superseded by the new operating model")),
    ("12 drop superseded by the new operating model",
     command(CommandName.DROP, action_id=12, note="superseded by the new operating model")),
    # reviews, help, digest, subscriptions
    ("reviews", REVIEWS),
    ("list reviews", REVIEWS),
    ("show me the reviews", REVIEWS),
    ("help", HELP),
    ("?", HELP),
    ("what can you do?", HELP),
    ("hi", HELP),
    ("help move", command(CommandName.HELP, topic=CommandName.MOVE)),
    ("digest", command(CommandName.DIGEST)),
    (f"digest {REVIEW}", command(CommandName.DIGEST, review=REVIEW)),
    ("subscribe all", command(CommandName.SUBSCRIBE, all_reviews=True)),
    ("subscribe all updates", command(CommandName.SUBSCRIBE, all_reviews=True, kinds=(SubscriptionKind.UPDATES,))),
    ("subscribe all digest friday 16:00",
     command(CommandName.SUBSCRIBE, all_reviews=True, kinds=(SubscriptionKind.DIGEST,), weekday=4, hour=16)),
    (f"subscribe {REVIEW} digest friday 16:00",
     command(CommandName.SUBSCRIBE, review=REVIEW, kinds=(SubscriptionKind.DIGEST,), weekday=4, hour=16)),
    ("subscribe all digest on Fridays at 4pm",
     command(CommandName.SUBSCRIBE, all_reviews=True, kinds=(SubscriptionKind.DIGEST,), weekday=4, hour=16)),
    ("subscribe all tuesday 09:00",
     command(CommandName.SUBSCRIBE, all_reviews=True, kinds=(SubscriptionKind.DIGEST,), weekday=1, hour=9)),
    ("link slack:U0NEW Deb Poole", command(CommandName.LINK, user=UserRef("U0NEW", "slack"), person="Deb Poole")),
    # asked, never guessed
    ("close 12", Refused("'close' could mean two things: did you mean `done 12` or `drop 12 <reason>`?")),
    ("postpone 12 friday", Refused(
        "'postpone' could mean two things: did you mean `move 12 <new date> <reason>` or `snooze 12 <until when>`?")),
    ("stop 12", Refused("'stop' could mean two things: did you mean `snooze 12` or `unsubscribe <review>`?")),
    ("12 done?", Refused(RECORD_OR_SEE)),
    ("done 12?", Refused(RECORD_OR_SEE)),
    ("move 12 03/04 waiting for legal", Refused(
        f"'03/04' could be Wed 3 Apr 2019 or Mon 4 Mar 2019: which? Write it as 3 April or 4 March. {MOVE_USAGE}")),
    ("move 12 03/04/2019 waiting for legal", Refused(
        "'03/04/2019' could be Wed 3 Apr 2019 or Mon 4 Mar 2019: which? Write it as 3 April or 4 March. "
        f"{MOVE_USAGE}")),
    ("d 12", Refused("I don't know the command 'd'. Did you mean `due`, `drop`, `digest` or `done`? Try: help")),
    ("subscribe all friday 4", Refused(f"'4' could be 04:00 or 16:00: which? Write 4am or 4pm. {DIGEST_USAGE}")),
    # refused, saying what would work
    ("move 12 soon waiting", Refused(
        f"'soon' is not a date: write 31 March, next Friday, in 2 weeks, end of March or 31/03/2019. {MOVE_USAGE}")),
    ("move 12 next friday", Refused(f"A reason for the new date is required. {MOVE_USAGE}")),
    ("move 12 fri 4 december waiting", Refused(f"Wed 4 Dec 2019 is a Wednesday, not a Friday. {MOVE_USAGE}")),
    ("move 12 31/02/2019 waiting", Refused(f"31/02/2019 is not a date: February 2019 has 28 days. {MOVE_USAGE}")),
    ("frobnicate", Refused("I don't know the command 'frobnicate'. Try: help")),
    ("shwo 12", Refused("I don't know the command 'shwo'. Did you mean `show`? Try: help")),
    ("update 12 finished", Refused(
        "'finished' is not a status: use not-started, on-track, at-risk, off-track or done. "
        f"To add a comment alone, use `note 12 …`. {UPDATE_USAGE}")),
    ("update 12 140%", Refused("140% is not a percentage: % complete is between 0% and 100%. Try: update 42 40%")),
    ("mine everything", Refused("`mine` takes nothing more than a page number. Try: mine")),
    ("subscribe all digest friday 16:30", Refused(
        f"Digests go out on the hour: say 16:00 or 17:00, not 16:30. {DIGEST_USAGE}")),
    ("subscribe all updates friday 16:00", Refused(
        "A day and hour are for the weekly digest. Try: subscribe all digest friday 16:00")),
    ("due fortnight", Refused(
        "'fortnight' is not a window: use 7d, 30d, 2w, this week, this month or a date (by Friday). "
        "Try: due [7d|30d|this week|this month]")),
    ("due last friday", Refused("Fri 11 Jan 2019 is in the past: `overdue` lists what is past its deadline. Try: due")),
]


Outcome = Command | Refused


class ParseRecorder:
    """Stands in for ``bot.core.read`` and records what the core made of each line an adapter handed it."""

    def __init__(self) -> None:
        self.seen: list[Outcome] = []

    def __call__(self, text: str, today: date | None = None) -> Command:
        try:
            parsed = grammar.parse(text, today)
        except ParseError as refused:
            self.seen.append(Refused(str(refused)))
            raise
        self.seen.append(parsed)
        return parsed

    def last(self) -> Outcome | None:
        """What the one request since :meth:`clear` became (``None`` when it never reached the grammar)."""
        return self.seen[-1] if len(self.seen) == 1 else None

    def clear(self) -> None:
        self.seen.clear()


def mismatch(text: str, expected: Outcome, got: Outcome | None, shown: str) -> str | None:
    """Why a phrasing went wrong on a surface, or ``None``: it became the expected command, or was refused
    with exactly the expected words, shown to the user."""
    if got != expected:
        return f"{text!r}: expected {expected}, got {got}"
    if isinstance(expected, Refused) and expected.message not in shown:
        return f"{text!r}: the refusal {expected.message!r} was not shown; the user saw {shown!r}"
    return None

"""``actionbot demo`` shows the bot speaking first: ``tick`` moves the demo's clock on and prints every message the
real jobs and the real drain send, labelled by its real route; a newcomer sees a nudge, an escalation and a
digest at once. Run as a process, as a newcomer would run it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ACTIONBOT = [sys.executable, "-c", "from adapters.cli import app; app(prog_name='actionbot')"]


def demo(tmp_path: Path, *lines: str) -> str:
    settings = ("DATABASE_URL", "SLACK_", "MICROSOFT_", "ACTIONBOT_")
    env = {name: value for name, value in os.environ.items() if not name.startswith(settings)}
    done = subprocess.run(
        [*ACTIONBOT, "demo", "--database", str(tmp_path / "demo.db")],
        input="\n".join(lines) + "\n", capture_output=True, text=True, timeout=300, cwd=tmp_path, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


def answer(out: str, command: str) -> str:
    """What the demo printed for one command."""
    return out.split(f"> {command}\n", 1)[1].split("\n> ", 1)[0]


def test_tick_shows_a_nudge_an_escalation_and_a_digest_each_sent_to_its_real_route(tmp_path: Path) -> None:
    out = demo(tmp_path, "tick", "tick", "tick")
    assert re.search(r"It is Monday \d\d \w+ \d{4}, 08:30 \(the demo's clock\)\. Type `tick`", out)
    first = answer(out, "tick")
    assert re.match(r"⏰ Monday \d\d \w+ \d{4}, 09:00\n", first)
    ticks = out.split("> tick\n")[1:]
    shown = "\n".join(ticks)
    to = r"→ DM to [A-Z][a-z]+ [A-Z][a-z]+ \(slack\)\n    == "
    assert re.search(to + r"\d of your actions needs? you today ==", shown)  # a nudge
    assert re.search(to + r"Escalation: \d actions? now 14 days overdue", shown)
    assert "→ #peer-challenge (slack)\n    == Weekly digest: Corporate Peer Challenge 2017 ==" in shown
    assert "→ DM to Lucy Bennett (teams)" in shown  # linked on Teams: reached there
    assert all(re.search(r"It is \w+day \d\d \w+ \d{4}, \d\d:00 \(the demo's clock\)\.", tick) for tick in ticks)


def test_tick_for_a_while_and_to_a_weekday_and_a_change_broadcast_at_once(tmp_path: Path) -> None:
    change_14 = "update 14 at risk 50% waiting on cabinet dates"
    out = demo(tmp_path, "help", change_14, "tick 2d", "tick monday", "tick soon")
    assert "In the demo: tick: advance the demo's clock to the next moment the bot sends" in answer(out, "help")
    change = answer(out, change_14)
    assert "→ #peer-challenge (slack)" in change and "waiting on cabinet dates" in change
    two_days = answer(out, "tick 2d")
    assert len(re.findall(r"^⏰ (Monday|Tuesday|Wednesday) ", two_days, re.M)) >= 2
    assert re.search(r"It is Wednesday \d\d \w+ \d{4}, 08:30 \(the demo's clock\)\.\n*$", two_days)
    assert re.search(r"It is Monday \d\d \w+ \d{4}, 09:00 \(the demo's clock\)\.\n*$", answer(out, "tick monday"))
    assert answer(out, "tick soon").startswith("Sorry: `tick soon` is not something I can do. tick: advance")

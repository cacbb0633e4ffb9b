"""Floor 2, "the same answer": the bare bolt app of :mod:`bare_bolt`, answering ``/actions overdue`` (SMT)
and ``/actions mine`` with the same first page and totals as actionbot, read with hand-written SQL through
the database driver (sqlite3 or psycopg, no SQLAlchemy) and rendered to the same Block Kit.

Rendering reuses actionbot's neutral reply model and its Block Kit renderer (``adapters.slack.blocks``), so
the answer is byte for byte actionbot's (``bench/serve_load.py`` checks that before it measures); what is
left out is everything between the payload and the rows: the ORM, the unit of work, the grammar,
permissions in general. A button press updates the status and writes its audit row by hand, then posts the
``mine`` page again to the ``response_url``.

    python bench/floors/same_answer.py --port 3102 --database-url sqlite:////tmp/plan.db
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import sys
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import groupby
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from zoneinfo import ZoneInfo  # noqa: E402

from bare_bolt import main  # noqa: E402

from adapters.slack.blocks import render  # noqa: E402
from bot import domain  # noqa: E402
from bot.clock import SystemClock, today  # noqa: E402
from bot.dates import format_date  # noqa: E402
from bot.domain import Status, TimescaleKind  # noqa: E402
from bot.replies import ActionItem, Fact, More, Reply, Section, View  # noqa: E402
from bot.views import buttons_for, due_text, shorten, status_text  # noqa: E402

PAGE = 10
OPEN = tuple(s.value for s in Status if not s.is_closed)
OPEN_SQL = ", ".join(f"'{s}'" for s in OPEN)
ROWS = """
SELECT a.id, a.text, a.status, a.due_date, a.timescale, a.timescale_kind, a.percent_complete, a.snoozed_until,
       r.ref, v.title
FROM action a JOIN recommendation r ON r.id = a.recommendation_id JOIN review v ON v.id = a.review_id
WHERE a.id IN ({ids})"""
OWNERS = """
SELECT o.action_id, COALESCE(p.name, g.name, '?') FROM action_owner o
LEFT JOIN person p ON p.id = o.person_id LEFT JOIN person_group g ON g.id = o.group_id
WHERE o.action_id IN ({ids}) ORDER BY o.action_id, o.position"""
OWNED = """a.id IN (SELECT action_id FROM action_owner WHERE person_id = %s UNION SELECT o.action_id
           FROM action_owner o JOIN group_member m ON m.group_id = o.group_id WHERE m.person_id = %s)"""


@dataclass
class Row:
    """The columns of an action a list item shows (the attributes bot.views reads)."""

    id: int
    text: str
    status: Status
    due_date: date | None
    timescale: str
    timescale_kind: TimescaleKind
    percent_complete: int
    snoozed_until: date | None
    ref: str
    review: str
    owners: list[str]


class Database:
    """One connection per worker thread, through the driver itself."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sqlite = url.startswith("sqlite")
        self.local = threading.local()

    def connection(self) -> Any:
        if not hasattr(self.local, "connection"):
            if self.sqlite:
                path = self.url.split("///", 1)[1]
                connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA busy_timeout=5000")
            else:
                import psycopg

                connection = psycopg.connect(self.url.replace("+psycopg", ""), autocommit=True)
            self.local.connection = connection
        return self.local.connection

    def all(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        if self.sqlite:
            sql = sql.replace("%s", "?")
        return list(self.connection().execute(sql, params).fetchall())

    def run(self, statements: list[tuple[str, tuple[Any, ...]]]) -> None:
        connection = self.connection()
        if self.sqlite:
            connection.execute("BEGIN IMMEDIATE")
            for sql, params in statements:
                connection.execute(sql.replace("%s", "?"), params)
            connection.execute("COMMIT")
        else:
            with connection.transaction():
                for sql, params in statements:
                    connection.execute(sql, params)


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def rows(db: Database, ids: list[int]) -> list[Row]:
    if not ids:
        return []
    marks = ", ".join(str(int(i)) for i in ids)
    found = {r[0]: r for r in db.all(ROWS.format(ids=marks))}
    owners: dict[int, list[str]] = {}
    for action_id, name in db.all(OWNERS.format(ids=marks)):
        owners.setdefault(action_id, []).append(name)
    return [
        Row(r[0], r[1], Status(r[2]), _date(r[3]), r[4], TimescaleKind(r[5]), r[6], _date(r[7]), r[8], r[9],
            owners.get(r[0], []))
        for r in (found[i] for i in ids if i in found)
    ]


def item(row: Row, day: date, editable: bool) -> ActionItem:
    facts = [
        Fact(label="Owner", value=", ".join(row.owners) or "No owner"),
        Fact(label="Due", value=due_text(row, day)),  # type: ignore[arg-type]
        Fact(label="Status", value=status_text(row, day)),  # type: ignore[arg-type]
        Fact(label="Review", value=f"{row.review} · rec {row.ref}"),
    ]
    return ActionItem(
        action_id=row.id, text=shorten(row.text), rag=domain.rag(row.status, row.due_date, day), status=row.status,
        facts=facts, buttons=buttons_for(row) if editable else [],  # type: ignore[arg-type]
        snoozed=bool(row.snoozed_until and row.snoozed_until >= day),
    )


def more(total: int, shown: int, words: str) -> More | None:
    return More(remaining=total - shown, command=f"{words} page 2") if total > shown else None


def person(db: Database, user_id: str) -> tuple[int, list[str]] | None:
    found = db.all("SELECT id, roles FROM person WHERE slack_user_id = %s", user_id)
    if not found:
        return None
    roles = found[0][1]
    return found[0][0], json.loads(roles) if isinstance(roles, str) else roles


def overdue(db: Database, me: int, day: date) -> Reply:
    where = f"a.status IN ({OPEN_SQL}) AND a.due_date < %s"
    iso = day.isoformat() if db.sqlite else day
    if db.sqlite:
        total = db.all(f"SELECT count(*) FROM action a WHERE {where}", iso)[0][0]
        owners = db.all(f"SELECT count(*) FROM (SELECT DISTINCT a.lead_owner FROM action a WHERE {where})", iso)[0][0]
    else:
        owners, total = db.all(
            f"SELECT count(*), COALESCE(sum(n), 0) FROM (SELECT a.lead_owner, count(*) AS n FROM action a "
            f"WHERE {where} GROUP BY a.lead_owner) t", iso)[0]
    ids = [r[0] for r in db.all(f"SELECT a.id FROM action a WHERE {where} ORDER BY a.lead_owner, a.due_date, a.id "
                                f"LIMIT {PAGE}", iso)]
    page = rows(db, ids)
    led = {r[0] for r in db.all("SELECT review_id FROM review_lead WHERE person_id = %s", me)}
    marks = ", ".join(str(i) for i in ids) or "0"
    owned = {r[0] for r in db.all(f"SELECT a.id FROM action a WHERE a.id IN ({marks}) AND {OWNED}", me, me)}
    reviews = {r[0]: r[1] for r in db.all(f"SELECT id, review_id FROM action WHERE id IN ({marks})")}
    sections = [Section(lines=[f"{total} overdue action{'s' if total != 1 else ''}, "
                               f"{owners} owner{'s' if owners != 1 else ''}, as of {format_date(day)}."])]
    for name, group in groupby(page, key=lambda row: row.owners[0] if row.owners else "No owner"):
        sections.append(Section(heading=name, items=[
            item(row, day, row.id in owned or reviews.get(row.id) in led) for row in group]))
    return Reply(title="Overdue actions", sections=sections, more=more(int(total), len(page), "overdue"))


def mine(db: Database, me: int, day: date) -> Reply:
    where = f"a.status IN ({OPEN_SQL}) AND {OWNED}"
    total = db.all(f"SELECT count(*) FROM action a WHERE {where}", me, me)[0][0]
    if total == 0:
        return Reply.text("You have no open actions. 🎉", title="Your actions")
    ids = [r[0] for r in db.all(
        f"SELECT a.id FROM action a WHERE {where} ORDER BY a.due_date IS NULL, a.due_date, a.id LIMIT {PAGE}", me, me)]
    items = [item(row, day, True) for row in rows(db, ids)]
    late = sum(1 for i in items if "overdue" in i.facts[1].value)
    summary = f"{total} open action{'s' if total != 1 else ''}, due soonest first." + (
        f" {late} on this page overdue." if late else "")
    return Reply(title="Your actions", sections=[Section(lines=[summary], items=items)],
                 more=more(int(total), len(items), "mine"))


def press(db: Database, me: int, value: dict[str, Any], intent: str, request_key: str) -> None:
    status = {"actionbot_on_track": "on_track", "actionbot_at_risk": "at_risk", "actionbot_done": "done"}[intent]
    old = db.all("SELECT status FROM action WHERE id = %s", value["id"])[0][0]
    now = datetime.now(UTC)
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f") if db.sqlite else now
    db.run([
        ("UPDATE action SET status = %s, version = version + 1, updated_at = %s WHERE id = %s",
         (status, stamp, value["id"])),
        ("INSERT INTO action_update (action_id, at, person_id, surface, kind, old_status, new_status, request_key) "
         "VALUES (%s, %s, %s, 'slack', 'status', %s, %s, %s)", (value["id"], stamp, me, old, status, request_key)),
    ])


def listed(reply: Reply, words: str) -> Reply:
    """The reply with its list's view, as actionbot's buttons carry it (``c:1,2|mine``)."""
    return reply.model_copy(update={"view": View(command=words, ids=tuple(item.action_id for item in reply.items))})


def serve() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    args, _ = parser.parse_known_args()
    db = Database(args.database_url)
    zone = ZoneInfo(os.environ.get("ACTIONBOT_TIMEZONE", "Europe/London"))
    clock = SystemClock()

    def answer(body: dict[str, Any]) -> dict[str, Any]:
        found = person(db, body["user_id"])
        if found is None:
            return {"response_type": "ephemeral", "text": "You are not linked to anyone in the action plan yet."}
        words = " ".join(body.get("text", "").split())
        day = today(clock, zone)
        reply = overdue(db, found[0], day) if words == "overdue" else mine(db, found[0], day)
        return render(listed(reply, words)).response()

    def pressed(body: dict[str, Any]) -> dict[str, Any]:
        found = person(db, body["user"]["id"])
        assert found is not None
        element = body["actions"][0]
        press(db, found[0], json.loads(element["value"]), element["action_id"],
              f"{body['trigger_id']}:{element['action_ts']}")
        return render(listed(mine(db, found[0], today(clock, zone)), "mine")).response(replace_original=True)

    async def command(body: dict[str, Any]) -> dict[str, Any]:
        return await asyncio.to_thread(answer, body)

    async def button(body: dict[str, Any]) -> dict[str, Any]:
        return await asyncio.to_thread(pressed, body)

    main(command, button)


if __name__ == "__main__":
    serve()

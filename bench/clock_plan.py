"""A big plan for the clock's benchmarks, written with bulk inserts (seconds, not minutes).

``build`` writes ``base`` actions the way a council's plans look a year or two in: deadlines from two
years back to a year ahead; of those already past, most done or dropped (a plan being followed up), the
rest open and overdue; 5% ongoing. ``extra`` more actions are the same day's work on a bigger table:
finished actions of older plans (deadlines up to ten years back) and open actions due one to five years
ahead, none of which has a nudge point near today. People are linked on Slack; a fifth of actions are
owned by a group (CMT-like, three members); a third have a second owner.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, insert, text

from bot.domain import Status, TimescaleKind
from store.models import Action, ActionOwner, Group, GroupMember, Person, Recommendation, Review

BATCH = 5_000
OPEN = [Status.NOT_STARTED, Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK]
PAST_OPEN_SHARE = 0.12  # of the actions past their deadline, how many are still open


def build(engine: Engine, *, base: int, extra: int, today: date, reviews: int = 20, seed: int = 7) -> dict[str, int]:
    """Write the plan; return counts (open, overdue)."""
    rng = random.Random(seed)
    now = datetime.combine(today, datetime.min.time(), tzinfo=UTC) - timedelta(days=1)
    people = max(50, base // 100)
    groups = max(5, people // 20)
    counts = {"open": 0, "overdue": 0}
    with engine.begin() as connection:
        connection.execute(insert(Person), [
            {"id": n, "name": f"Officer {n:05d}", "email": f"officer{n}@council.gov.uk", "roles": [],
             "created_at": now, "slack_user_id": f"U{n:08d}"} for n in range(1, people + 1)])
        connection.execute(insert(Group), [{"id": n, "name": f"Team {n:03d}"} for n in range(1, groups + 1)])
        connection.execute(insert(GroupMember), [
            {"group_id": g, "person_id": p}
            for g in range(1, groups + 1) for p in sorted(set(rng.sample(range(1, people + 1), 3)))])
        connection.execute(insert(Review), [
            {"id": n, "title": f"Peer Challenge {2000 + n}", "organisation": "Bench Council", "kind": "peer review",
             "state": "active", "nation": "england", "created_at": now} for n in range(1, reviews + 1)])
        total = base + extra
        for start in range(1, total + 1, BATCH):
            ids = range(start, min(start + BATCH, total + 1))
            connection.execute(insert(Recommendation), [
                {"id": n, "review_id": 1 + n % reviews, "ref": str(n), "section": "Recommendations",
                 "text": f"Recommendation {n}", "position": n} for n in ids])
            rows, owners = [], []
            for n in ids:
                due, status = _base(rng, today) if n <= base else _extra(rng, today)
                counts["open"] += not status.is_closed
                counts["overdue"] += due is not None and due < today and not status.is_closed
                lead = {"person_id": rng.randint(1, people)} if rng.random() < 0.8 else {
                    "group_id": rng.randint(1, groups)}
                rows.append({
                    "id": n, "review_id": 1 + n % reviews, "recommendation_id": n, "position": 0,
                    "text": f"Action {n}: deliver the improvement the peer team asked for",
                    "timescale": due.strftime("%B %Y") if due else "Ongoing",
                    "timescale_kind": TimescaleKind.DATE if due else TimescaleKind.ONGOING,
                    "due_date": due, "status": status, "percent_complete": 100 if status is Status.DONE else 0,
                    "lead_owner": "", "version": 1, "created_at": now - timedelta(days=400),
                    "updated_at": now - timedelta(days=rng.randint(0, 27), hours=rng.randint(0, 23))})
                owners.append({"action_id": n, "position": 0, "person_id": None, "group_id": None} | lead)
                if rng.random() < 0.3:
                    owners.append({"action_id": n, "position": 1, "person_id": rng.randint(1, people),
                                   "group_id": None})
            connection.execute(insert(Action), rows)
            connection.execute(insert(ActionOwner), owners)
    analyse(engine)
    return counts


def _base(rng: random.Random, today: date) -> tuple[date | None, Status]:
    if rng.random() < 0.05:
        return None, rng.choice(OPEN)
    due = today + timedelta(days=rng.randint(-730, 365))
    if due < today and rng.random() > PAST_OPEN_SHARE:
        return due, rng.choice([Status.DONE] * 9 + [Status.DROPPED])
    return due, rng.choice(OPEN + [Status.DONE])


def _extra(rng: random.Random, today: date) -> tuple[date | None, Status]:
    if rng.random() < 0.7:
        return today - timedelta(days=rng.randint(1, 3650)), rng.choice([Status.DONE] * 9 + [Status.DROPPED])
    return today + timedelta(days=rng.randint(366, 1825)), rng.choice(OPEN)


def analyse(engine: Engine) -> None:
    """What a live database has after autovacuum: statistics, and (PostgreSQL) the visibility map."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
        with engine.begin() as connection:
            for table in ("person", "person_group", "review", "recommendation", "action"):
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    else:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))

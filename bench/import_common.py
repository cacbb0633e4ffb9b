"""What the import benchmarks share: a plan's rows, fresh databases, the timed steps, and the floors.

Each benchmark times, in the same run, side by side:

* the **read floor**: the file library alone reading every cell (openpyxl, pdfplumber), nothing else;
* **read and plan**: ``bot.importing.importer.read`` (the reader, header recognition, rows, owners, timescales);
* the **write floor**: the same 1,000 actions (with their recommendations, owners and "created" audit rows)
  inserted with hand-written SQL, ``executemany`` in one transaction, into a fresh migrated database;
* the **first import** (everything created) and the **import again** (nothing changes), with ``import_file``.

The machine is shared and noisy, so the ratios to the floors matter more than the seconds.
"""

from __future__ import annotations

import random
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from bot.clock import FixedClock
from bot.importing.importer import ImportOptions, import_file, read
from bot.settings import Settings
from bot.unit_of_work import UnitOfWork
from store.db import make_engine, upgrade

TIMESCALES = ["September 2018", "31/03/2019", "Q3 2019", "2019/20", "Spring 2019", "Ongoing", "In place",
              "by end of March 2019", "September 2018 and ongoing", "TBC", "Jan-19", "End of 2018"]  # fmt: skip
FIRST = ["Deb", "Kevin", "Jayne", "Priya", "Tom", "Gareth", "Nadia", "Mike", "Lucy", "Sarah"]
LAST = ["Poole", "Dicks", "Pickering", "Shah"]
GROUPS = ["CMT", "Communications Team", "Leaders", "HoS", "Portfolio Holders"]
NOW = datetime(2019, 1, 14, 10, 30, tzinfo=UTC)
HEADER = ["Ref", "Recommendation", "Response / Action", "Lead Officer", "Timescale", "Status"]


def plan_rows(recommendations: int = 200, per: int = 5) -> list[list[str]]:
    """A council's plan as rows: 200 recommendations of 5 actions, owners as "Name / Group", every timescale form."""
    rng = random.Random(2019)
    rows = []
    for number in range(1, recommendations + 1):
        for index in range(per):
            owner = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if rng.random() < 0.5:
                owner += f" / {rng.choice(GROUPS)}"
            rows.append([
                str(number) if index == 0 else "",
                f"Recommendation {number}: strengthen scrutiny and accountability across the council."
                if index == 0 else "",
                f"• Action {number}.{index + 1}: agree terms of reference, consult members and report to Cabinet.",
                owner,
                rng.choice(TIMESCALES),
                rng.choice(["", "On track", "At risk", ""]),
            ])  # fmt: skip
    return rows


def timed(step: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = step()
    return time.perf_counter() - started, result


def fresh_database(postgres: str | None, parent: Path) -> tuple[Engine, Callable[[], None]]:
    if postgres is None:
        directory = parent / uuid.uuid4().hex
        directory.mkdir()
        engine = make_engine(f"sqlite:///{directory / 'bench.db'}")
        upgrade(engine)
        return engine, engine.dispose
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(postgres)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(postgres, connect_args={"options": f"-csearch_path={schema}"})
    upgrade(engine)

    def drop() -> None:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return engine, drop


def uow(engine: Engine) -> UnitOfWork:
    return UnitOfWork(engine, FixedClock(NOW), Settings(_env_file=None))  # type: ignore[call-arg]


def sql_floor(engine: Engine, rows: list[list[str]]) -> float:
    """Insert the plan's recommendations, actions, owners and audit rows with hand-written SQL; the seconds taken."""
    owners = sorted({row[3].split(" / ")[0] for row in rows})
    started = time.perf_counter()
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO review (title, organisation, kind, state, nation, morning_hour, "
                                "created_at) VALUES ('Floor', '', 'x', 'active', 'england', 9, :now)"), {"now": NOW})
        review_id = connection.execute(text("SELECT id FROM review WHERE title = 'Floor'")).scalar_one()
        connection.execute(text("INSERT INTO person (name, roles, created_at) VALUES (:name, '[]', :now)"),
                           [{"name": name, "now": NOW} for name in owners])  # fmt: skip
        people = dict(connection.execute(text("SELECT name, id FROM person")).all())
        refs = [row[0] for row in rows if row[0]]
        connection.execute(text("INSERT INTO recommendation (review_id, ref, section, text, position) "
                                "VALUES (:review, :ref, '', :text, :position)"),
                           [{"review": review_id, "ref": ref, "text": f"Recommendation {ref}", "position": i}
                            for i, ref in enumerate(refs)])  # fmt: skip
        recs = dict(connection.execute(text("SELECT ref, id FROM recommendation")).all())
        actions, ref = [], ""
        for position, row in enumerate(rows):
            ref = row[0] or ref
            actions.append({"review": review_id, "rec": recs[ref], "position": position, "text": row[2],
                            "timescale": row[4], "lead": row[3].split(" / ")[0], "now": NOW})  # fmt: skip
        connection.execute(text(
            "INSERT INTO action (review_id, recommendation_id, position, text, timescale, timescale_kind, status, "
            "percent_complete, lead_owner, member, version, created_at, updated_at) VALUES (:review, :rec, :position, "
            ":text, :timescale, 'date', 'not_started', 0, :lead, '', 1, :now, :now)"), actions)  # fmt: skip
        ids = [row[0] for row in connection.execute(text("SELECT id FROM action ORDER BY position")).all()]
        connection.execute(text("INSERT INTO action_owner (action_id, position, person_id) VALUES (:a, 0, :p)"),
                           [{"a": a, "p": people[row[3].split(" / ")[0]]} for a, row in zip(ids, rows, strict=True)])
        connection.execute(text("INSERT INTO action_update (action_id, at, surface, kind, new_status, new_percent) "
                                "VALUES (:a, :now, 'import', 'created', 'not_started', 0)"),
                           [{"a": a, "now": NOW} for a in ids])  # fmt: skip
    return time.perf_counter() - started


def run(plan: Path, rows: list[list[str]], read_floor: Callable[[], Any], postgres: str | None, repeats: int,
        directory: Path) -> None:  # fmt: skip
    """Time every step ``repeats`` times and print the medians, and the ratios to the floors."""
    where = "PostgreSQL" if postgres else "SQLite"
    floor_reads = [timed(read_floor)[0] for _ in range(repeats)]
    reads = [timed(lambda: read(plan, "Bench"))[0] for _ in range(repeats)]
    floors, firsts, agains = [], [], []
    options = ImportOptions(review="Bench")
    for _ in range(repeats):
        engine, cleanup = fresh_database(postgres, directory)
        try:
            floors.append(sql_floor(engine, rows))
        finally:
            cleanup()
        engine, cleanup = fresh_database(postgres, directory)
        try:
            seconds, report = timed(lambda e=engine: import_file(uow(e), plan, options))  # type: ignore[misc]
            assert report.action_tally.created == len(rows), report.lines()
            firsts.append(seconds)
            seconds, report = timed(lambda e=engine: import_file(uow(e), plan, options))  # type: ignore[misc]
            assert report.action_tally.unchanged == len(rows) and not report.changed_anything, report.lines()
            agains.append(seconds)
        finally:
            cleanup()
    median = statistics.median
    print(f"{where}, medians over {repeats} runs:")
    print(f"  read floor (the library alone)         {median(floor_reads):6.2f} s")
    ratio = median(reads) / median(floor_reads)
    print(f"  read and plan (no database)            {median(reads):6.2f} s   x{ratio:.1f} the read floor")
    print(f"  write floor (hand-written SQL)         {median(floors):6.2f} s")
    print(f"  first import (all {len(rows)} created)      {median(firsts):6.2f} s   max {max(firsts):.2f} s;"
          f" x{median(firsts) / (median(floor_reads) + median(floors)):.1f} the two floors")  # fmt: skip
    print(f"  import again (nothing changes)         {median(agains):6.2f} s   max {max(agains):.2f} s")

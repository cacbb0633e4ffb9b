"""Upgrading a database with a plan in it to the clock's schema keeps every row (SQLite rebuilds tables)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from store.db import alembic_config, make_engine, upgrade


def test_upgrading_a_plan_keeps_its_actions_and_leaves_review_hours_to_the_setting(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'before.db'}")
    config = alembic_config(str(engine.url))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
        connection.execute(text(
            "INSERT INTO review (id, title, organisation, kind, state, nation, morning_hour, created_at) "
            "VALUES (1, 'Peer Challenge', 'Council', 'peer', 'active', 'wales', 9, '2019-01-01')"))
        connection.execute(text(
            "INSERT INTO recommendation (id, review_id, ref, section, text, position) VALUES (1, 1, '1', '', 'r', 0)"))
        for action_id in (1, 2):
            connection.execute(text(
                "INSERT INTO action (id, review_id, recommendation_id, position, text, timescale, timescale_kind, "
                "status, percent_complete, version, lead_owner, created_at, updated_at) VALUES "
                f"({action_id}, 1, 1, 0, 'a', '', 'unknown', 'not_started', 0, 1, '', '2019-01-01', '2019-01-01')"))
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM action")).scalar() == 2
        assert connection.execute(text("SELECT count(*) FROM recommendation")).scalar() == 1
        review = connection.execute(text("SELECT nation, morning_hour, escalation_days FROM review")).one()
        assert tuple(review) == ("wales", None, None)
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1, "enforced again afterwards"
    engine.dispose()

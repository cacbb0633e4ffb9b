"""PostgreSQL: the action counter moves once per transaction, not once per row (store.change_counter).

The deferred trigger of 0006 updated the counter's row for every action row a transaction wrote; within one
transaction each update of that row adds a version the next must step over, so a bulk import of n actions
cost O(n²) at commit (10,000 rows: 6.2 s against 1.8 s without the trigger). The trigger now bumps the counter
on its first run in a transaction and remembers that in a transaction-local setting. SQLite is unchanged (its
updates are in place).

Revision ID: 0008_action_changes_once
Revises: 0007_pending_file
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008_action_changes_once"
down_revision: str | None = "0007_pending_file"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BUMP = "INSERT INTO action_changes (id, n) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET n = action_changes.n + 1"
ONCE = """
CREATE OR REPLACE FUNCTION action_changed() RETURNS trigger AS $$
BEGIN
    IF current_setting('actionbot.action_changes_bumped', true) IS DISTINCT FROM 'yes' THEN
        PERFORM set_config('actionbot.action_changes_bumped', 'yes', true);
        {bump};
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql"""
EVERY_ROW = "CREATE OR REPLACE FUNCTION action_changed() RETURNS trigger AS $$ BEGIN {bump}; RETURN NULL; END $$ " \
    "LANGUAGE plpgsql"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(ONCE.format(bump=BUMP))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(EVERY_ROW.format(bump=BUMP))

"""A counter of changes to actions, kept by a trigger, so the overdue totals can be remembered until an
action changes (store.change_counter).

Revision ID: 0006_action_changes
Revises: 0005_clock_lease
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_action_changes"
down_revision: str | None = "0005_clock_lease"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BUMP = "INSERT INTO action_changes (id, n) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET n = action_changes.n + 1"


def upgrade() -> None:
    op.create_table(
        "action_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO action_changes (id, n) VALUES (1, 0)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE FUNCTION action_changed() RETURNS trigger AS $$ BEGIN {BUMP}; RETURN NULL; END $$ "
                   "LANGUAGE plpgsql")
        # Deferred to commit: the counter's row is locked only while the writer commits.
        op.execute("CREATE CONSTRAINT TRIGGER action_changed AFTER INSERT OR UPDATE OR DELETE ON action "
                   "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION action_changed()")
    else:
        for event in ("INSERT", "UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER action_changed_{event.lower()} AFTER {event} ON action BEGIN {BUMP}; END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER action_changed ON action")
        op.execute("DROP FUNCTION action_changed()")
    else:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER action_changed_{event}")
    op.drop_table("action_changes")

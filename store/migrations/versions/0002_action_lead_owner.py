"""The lead owner's name on each action, indexed with the due date and status, so that "what is
overdue" is read in owner order, and its owners counted, from indexes instead of joining every
overdue action to its owners.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lead_owner", sa.String(length=200), nullable=False, server_default=""))
    op.execute(
        """
        UPDATE action SET lead_owner = COALESCE((
            SELECT COALESCE(person.name, person_group.name, '')
            FROM action_owner
            LEFT JOIN person ON person.id = action_owner.person_id
            LEFT JOIN person_group ON person_group.id = action_owner.group_id
            WHERE action_owner.action_id = action.id AND action_owner.position = 0
        ), '')
        """
    )
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.create_index("ix_action_lead_owner_due", ["lead_owner", "due_date", "status"], unique=False)
        batch_op.create_index(
            "ix_action_status_due_lead_owner", ["status", "due_date", "lead_owner"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_index("ix_action_status_due_lead_owner")
        batch_op.drop_index("ix_action_lead_owner_due")
        batch_op.drop_column("lead_owner")

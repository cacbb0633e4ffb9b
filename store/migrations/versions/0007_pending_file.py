"""Plans sent to the bot in chat, kept from their dry run until the admin presses Import or Cancel (24 h at most).

Revision ID: 0007_pending_file
Revises: 0006_action_changes
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_pending_file"
down_revision: str | None = "0006_action_changes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pending_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("surface", sa.String(length=20), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("reviews", sa.JSON(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("pending_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pending_file_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pending_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_file_expires_at"))
    op.drop_table("pending_file")

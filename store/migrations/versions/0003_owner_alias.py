"""Owners' other names (``owner_alias``: kept by ``people merge``, ``rename`` and ``alias`` so that the
next import finds them), and the elected member a plan names beside an action's officer (``action.member``).

Revision ID: 0003_owner_alias
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_owner_alias"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "owner_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("(person_id IS NULL) <> (group_id IS NULL)", name="ck_owner_alias_person_xor_group"),
        sa.ForeignKeyConstraint(["group_id"], ["person_group.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("owner_alias", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_owner_alias_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_owner_alias_person_id"), ["person_id"], unique=False)
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.add_column(sa.Column("member", sa.String(length=300), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_column("member")
    with op.batch_alter_table("owner_alias", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_owner_alias_person_id"))
        batch_op.drop_index(batch_op.f("ix_owner_alias_group_id"))
    op.drop_table("owner_alias")

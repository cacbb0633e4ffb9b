"""What the clock decides (bot.notices): per-action nudge / check-in / escalation state, per-job marks,
per-subscription digest and alert state; a review's own escalation days; a review's morning hour becomes
optional (unset: ACTIONBOT_NUDGE_HOUR); an index for finding ongoing actions due a check-in; the deadline
added to the (review, status) index.

Revision ID: 0004_notices
Revises: 0003_owner_alias
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_notices"
down_revision: str | None = "0003_owner_alias"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.add_column(sa.Column("escalation_days", sa.Integer(), nullable=True))
        batch_op.alter_column("morning_hour", existing_type=sa.Integer(), nullable=True)
    # Nothing could set a review's morning hour before this revision: the 9 everywhere is the old default.
    op.execute("UPDATE review SET morning_hour = NULL")
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.create_index("ix_action_kind_updated", ["timescale_kind", "updated_at"], unique=False)
        # (review, status) gains the deadline: a review's RAG and overdue counts come from the index alone.
        batch_op.create_index("ix_action_review_status_due", ["review_id", "status", "due_date"], unique=False)
        batch_op.drop_index("ix_action_review_status")

    op.create_table(
        "action_notice",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("nudged_on", sa.Date(), nullable=True),
        sa.Column("nudge_owed_on", sa.Date(), nullable=True),
        sa.Column("checked_in_on", sa.Date(), nullable=True),
        sa.Column("escalated_due", sa.Date(), nullable=True),
        sa.Column("escalation_owed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["action_id"], ["action.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("action_id"),
    )
    with op.batch_alter_table("action_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_notice_nudge_owed_on"), ["nudge_owed_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_notice_escalation_owed_on"), ["escalation_owed_on"], unique=False)
    op.create_table(
        "notice_mark",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "subscription_notice",
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("digest_slot", sa.Date(), nullable=True),
        sa.Column("digest_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("alert_day", sa.Date(), nullable=True),
        sa.Column("alert_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["subscription_id"], ["subscription.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("subscription_id"),
    )


def downgrade() -> None:
    op.drop_table("subscription_notice")
    op.drop_table("notice_mark")
    with op.batch_alter_table("action_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_notice_escalation_owed_on"))
        batch_op.drop_index(batch_op.f("ix_action_notice_nudge_owed_on"))
    op.drop_table("action_notice")
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.create_index("ix_action_review_status", ["review_id", "status"], unique=False)
        batch_op.drop_index("ix_action_review_status_due")
        batch_op.drop_index("ix_action_kind_updated")
    op.execute("UPDATE review SET morning_hour = 9 WHERE morning_hour IS NULL")
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.alter_column("morning_hour", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("escalation_days")

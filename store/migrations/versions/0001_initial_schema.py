"""Initial schema: every table of the domain.

Revision ID: 0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "conversation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=256), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("reference", sa.JSON(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "key", name="uq_conversation_platform_key"),
    )
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("slack_user_id", sa.String(length=64), nullable=True),
        sa.Column("teams_user_id", sa.String(length=128), nullable=True),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("job_title", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
        sa.UniqueConstraint("name"),
        sa.UniqueConstraint("slack_user_id"),
        sa.UniqueConstraint("teams_user_id"),
    )
    op.create_table(
        "person_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("channel_platform", sa.String(length=16), nullable=True),
        sa.Column("channel_key", sa.String(length=256), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("organisation", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=100), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column(
            "state", sa.Enum("active", "closed", name="reviewstate", native_enum=False, length=32), nullable=False
        ),
        sa.Column(
            "nation",
            sa.Enum("england", "wales", "scotland", "northern_ireland", name="nation", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("morning_hour", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("title"),
    )
    op.create_table(
        "group_member",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["person_group.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("group_id", "person_id"),
    )
    with op.batch_alter_table("group_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_member_person_id"), ["person_id"], unique=False)

    op.create_table(
        "recommendation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=32), nullable=False),
        sa.Column("section", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["review_id"], ["review.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("review_id", "ref", name="uq_recommendation_review_ref"),
    )
    with op.batch_alter_table("recommendation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recommendation_review_id"), ["review_id"], unique=False)

    op.create_table(
        "review_lead",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["review_id"], ["review.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("review_id", "person_id"),
    )
    with op.batch_alter_table("review_lead", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_lead_person_id"), ["person_id"], unique=False)

    op.create_table(
        "subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("channel_key", sa.String(length=256), nullable=False),
        sa.Column("scope", sa.String(length=32), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum("digest", "updates", "overdue", name="subscriptionkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["person.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["review_id"], ["review.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "channel_key", "scope", "kind", name="uq_subscription"),
    )
    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.create_index("ix_subscription_scope_kind", ["scope", "kind"], unique=False)

    op.create_table(
        "action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("timescale", sa.String(length=500), nullable=False),
        sa.Column(
            "timescale_kind",
            sa.Enum(
                "date",
                "recurring",
                "ongoing",
                "in_place",
                "same_as",
                "unknown",
                name="timescalekind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("timescale_flag", sa.String(length=500), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("original_due_date", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "not_started",
                "on_track",
                "at_risk",
                "off_track",
                "done",
                "dropped",
                name="status",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("percent_complete", sa.Integer(), nullable=False),
        sa.Column("latest_note", sa.Text(), nullable=True),
        sa.Column("dropped_reason", sa.Text(), nullable=True),
        sa.Column("same_as_action_id", sa.Integer(), nullable=True),
        sa.Column("snoozed_until", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("percent_complete BETWEEN 0 AND 100", name="ck_action_percent"),
        sa.ForeignKeyConstraint(["recommendation_id"], ["recommendation.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["review_id"], ["review.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["same_as_action_id"], ["action.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_due_date"), ["due_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_recommendation_id"), ["recommendation_id"], unique=False)
        batch_op.create_index("ix_action_review_status", ["review_id", "status"], unique=False)
        batch_op.create_index("ix_action_status_due", ["status", "due_date"], unique=False)

    op.create_table(
        "action_owner",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("(person_id IS NULL) <> (group_id IS NULL)", name="ck_action_owner_person_xor_group"),
        sa.ForeignKeyConstraint(["action_id"], ["action.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["group_id"], ["person_group.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("action_id", "position"),
    )
    with op.batch_alter_table("action_owner", schema=None) as batch_op:
        batch_op.create_index("ix_action_owner_group", ["group_id", "action_id"], unique=False)
        batch_op.create_index("ix_action_owner_person", ["person_id", "action_id"], unique=False)

    op.create_table(
        "action_update",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column(
            "surface",
            sa.Enum(
                "slack", "teams", "console", "cli", "import", "system", name="surface", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column(
            "kind",
            sa.Enum(
                "created",
                "status",
                "note",
                "move",
                "drop",
                "snooze",
                "import",
                name="updatekind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "old_status",
            sa.Enum(
                "not_started",
                "on_track",
                "at_risk",
                "off_track",
                "done",
                "dropped",
                name="status",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "new_status",
            sa.Enum(
                "not_started",
                "on_track",
                "at_risk",
                "off_track",
                "done",
                "dropped",
                name="status",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("old_percent", sa.Integer(), nullable=True),
        sa.Column("new_percent", sa.Integer(), nullable=True),
        sa.Column("old_due_date", sa.Date(), nullable=True),
        sa.Column("new_due_date", sa.Date(), nullable=True),
        sa.Column("snoozed_until", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("request_key", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["action_id"], ["action.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("request_key"),
    )
    with op.batch_alter_table("action_update", schema=None) as batch_op:
        batch_op.create_index("ix_action_update_action_at", ["action_id", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_update_at"), ["at"], unique=False)

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("target_key", sa.String(length=256), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["action_id"], ["action.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedupe_key"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_pending", ["state", "not_before"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_pending")

    op.drop_table("outbox")
    with op.batch_alter_table("action_update", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_update_at"))
        batch_op.drop_index("ix_action_update_action_at")

    op.drop_table("action_update")
    with op.batch_alter_table("action_owner", schema=None) as batch_op:
        batch_op.drop_index("ix_action_owner_person")
        batch_op.drop_index("ix_action_owner_group")

    op.drop_table("action_owner")
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_index("ix_action_status_due")
        batch_op.drop_index("ix_action_review_status")
        batch_op.drop_index(batch_op.f("ix_action_recommendation_id"))
        batch_op.drop_index(batch_op.f("ix_action_due_date"))

    op.drop_table("action")
    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.drop_index("ix_subscription_scope_kind")

    op.drop_table("subscription")
    with op.batch_alter_table("review_lead", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_lead_person_id"))

    op.drop_table("review_lead")
    with op.batch_alter_table("recommendation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recommendation_review_id"))

    op.drop_table("recommendation")
    with op.batch_alter_table("group_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_member_person_id"))

    op.drop_table("group_member")
    op.drop_table("review")
    op.drop_table("person_group")
    op.drop_table("person")
    op.drop_table("conversation")

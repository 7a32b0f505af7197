"""follow-ups, events, rain days, the register

Revision ID: 0003_followups
Revises: 0002_audit
Create Date: 2026-11-27 07:19:18.893699
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003_followups"
down_revision = "0002_audit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rain_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("voided_at", sa.DateTime(), nullable=True),
        sa.Column("void_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.PrimaryKeyConstraint("day"),
    )
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("on_day", sa.Date(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("voided_at", sa.DateTime(), nullable=True),
        sa.Column("void_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["party.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index("ix_event_party_at", ["party_id", "at"], unique=False)

    op.create_table(
        "complaint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=True),
        sa.Column("caller_name", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("caller_phone", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("summary", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("severity", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("clock_from", sa.DateTime(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("dept", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("handler_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("last_step_at", sa.DateTime(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("archive_summary", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("escalated", sa.Boolean(), nullable=False),
        sa.Column("reopened", sa.Integer(), nullable=False),
        sa.Column("verdict", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("source_visit_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("voided_at", sa.DateTime(), nullable=True),
        sa.Column("void_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["handler_id"],
            ["staff.id"],
        ),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["party.id"],
        ),
        sa.ForeignKeyConstraint(
            ["source_visit_id"],
            ["visit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.create_index("ix_complaint_party", ["party_id"], unique=False)
        batch_op.create_index("ix_complaint_state", ["state", "answered_at"], unique=False)

    op.create_table(
        "visit_staff",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visit.id"],
        ),
        sa.PrimaryKeyConstraint("visit_id", "staff_id"),
    )
    with op.batch_alter_table("visit_staff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_staff_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "complaint_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("actor_staff_id", sa.Integer(), nullable=True),
        sa.Column("dept", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_staff_id"],
            ["staff.id"],
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("complaint_step", schema=None) as batch_op:
        batch_op.create_index("ix_complaint_step_complaint", ["complaint_id", "at"], unique=False)

    op.create_table(
        "obligation_need",
        sa.Column("obligation_id", sa.Integer(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("dept", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["obligation_id"],
            ["obligation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
        ),
        sa.PrimaryKeyConstraint("obligation_id", "role"),
    )
    with op.batch_alter_table("obligation_need", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_obligation_need_staff_id"), ["staff_id"], unique=False)

    with op.batch_alter_table("obligation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("all_day", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("opens_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("waiting_for", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
        batch_op.add_column(sa.Column("after_day", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("channels", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("strength", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
        batch_op.add_column(sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("event_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("complaint_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("done_note", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
        batch_op.add_column(sa.Column("cancelled_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("verdict", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.alter_column("party_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.alter_column("due_at", existing_type=sa.DATETIME(), nullable=True)
        batch_op.create_index("ix_obligation_complaint", ["complaint_id"], unique=False)
        batch_op.create_index("ix_obligation_event", ["event_id"], unique=False)
        batch_op.create_index("ix_obligation_owner_state", ["owner_id", "state"], unique=False)
        batch_op.create_foreign_key(
            "fk_obligation_complaint_id", "complaint", ["complaint_id"], ["id"]
        )
        batch_op.create_foreign_key("fk_obligation_event_id", "event", ["event_id"], ["id"])

    with op.batch_alter_table("zone", schema=None) as batch_op:
        batch_op.add_column(sa.Column("health_butler_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_zone_health_butler_id", "staff", ["health_butler_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("zone", schema=None) as batch_op:
        batch_op.drop_constraint("fk_zone_health_butler_id", type_="foreignkey")
        batch_op.drop_column("health_butler_id")

    with op.batch_alter_table("obligation", schema=None) as batch_op:
        batch_op.drop_constraint("fk_obligation_event_id", type_="foreignkey")
        batch_op.drop_constraint("fk_obligation_complaint_id", type_="foreignkey")
        batch_op.drop_index("ix_obligation_event")
        batch_op.drop_index("ix_obligation_owner_state")
        batch_op.drop_index("ix_obligation_complaint")
        batch_op.alter_column("due_at", existing_type=sa.DATETIME(), nullable=False)
        batch_op.alter_column("party_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column("verdict")
        batch_op.drop_column("cancelled_at")
        batch_op.drop_column("done_note")
        batch_op.drop_column("complaint_id")
        batch_op.drop_column("event_id")
        batch_op.drop_column("title")
        batch_op.drop_column("strength")
        batch_op.drop_column("channels")
        batch_op.drop_column("after_day")
        batch_op.drop_column("waiting_for")
        batch_op.drop_column("expires_at")
        batch_op.drop_column("opens_at")
        batch_op.drop_column("all_day")

    with op.batch_alter_table("obligation_need", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_obligation_need_staff_id"))

    op.drop_table("obligation_need")
    with op.batch_alter_table("complaint_step", schema=None) as batch_op:
        batch_op.drop_index("ix_complaint_step_complaint")

    op.drop_table("complaint_step")
    with op.batch_alter_table("visit_staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_staff_staff_id"))

    op.drop_table("visit_staff")
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.drop_index("ix_complaint_state")
        batch_op.drop_index("ix_complaint_party")

    op.drop_table("complaint")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index("ix_event_party_at")

    op.drop_table("event")
    op.drop_table("rain_day")

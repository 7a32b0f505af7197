"""foundation: staff, zones, parties, visits, obligations

Revision ID: 0001_foundation
Revises: (none: the first revision)
Create Date: 2026-11-27 04:18:38.022939
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0001_foundation"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("dept", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("reports_to_id", sa.Integer(), nullable=True),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["reports_to_id"],
            ["staff.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_staff_role"), ["role"], unique=False)

    op.create_table(
        "zone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("butler_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["butler_id"],
            ["staff.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    with op.batch_alter_table("zone", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_zone_butler_id"), ["butler_id"], unique=False)

    op.create_table(
        "party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("zone_id", sa.Integer(), nullable=True),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("contact_kind", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("moved_in", sa.Date(), nullable=True),
        sa.Column("status_since", sa.Date(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("voided_at", sa.DateTime(), nullable=True),
        sa.Column("void_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["zone.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("party", schema=None) as batch_op:
        batch_op.create_index("ix_party_kind_status", ["kind", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_party_name"), ["name"], unique=False)
        batch_op.create_index(
            "ix_party_zone_kind_status", ["zone_id", "kind", "status"], unique=False
        )
        batch_op.create_index(
            "uq_party_household_unit",
            ["unit"],
            unique=True,
            sqlite_where=sa.text("kind = 'household' AND voided_at IS NULL"),
            postgresql_where=sa.text("kind = 'household' AND voided_at IS NULL"),
        )

    op.create_table(
        "party_tag",
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("tag", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["party.id"],
        ),
        sa.PrimaryKeyConstraint("party_id", "tag"),
    )
    with op.batch_alter_table("party_tag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_party_tag_tag"), ["tag"], unique=False)

    op.create_table(
        "visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("callback_at", sa.DateTime(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("voided_at", sa.DateTime(), nullable=True),
        sa.Column("void_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["party.id"],
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index("ix_visit_party_at", ["party_id", "at"], unique=False)
        batch_op.create_index("ix_visit_staff_at", ["staff_id", "at"], unique=False)

    op.create_table(
        "obligation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("rule", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("clause", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("source_visit_id", sa.Integer(), nullable=True),
        sa.Column("done_visit_id", sa.Integer(), nullable=True),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["done_visit_id"],
            ["visit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
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
    )
    with op.batch_alter_table("obligation", schema=None) as batch_op:
        batch_op.create_index("ix_obligation_party_state", ["party_id", "state"], unique=False)
        batch_op.create_index("ix_obligation_state_owner", ["state", "owner_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("obligation", schema=None) as batch_op:
        batch_op.drop_index("ix_obligation_state_owner")
        batch_op.drop_index("ix_obligation_party_state")

    op.drop_table("obligation")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index("ix_visit_staff_at")
        batch_op.drop_index("ix_visit_party_at")

    op.drop_table("visit")
    with op.batch_alter_table("party_tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_party_tag_tag"))

    op.drop_table("party_tag")
    with op.batch_alter_table("party", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_party_household_unit",
            sqlite_where=sa.text("kind = 'household' AND voided_at IS NULL"),
            postgresql_where=sa.text("kind = 'household' AND voided_at IS NULL"),
        )
        batch_op.drop_index("ix_party_zone_kind_status")
        batch_op.drop_index(batch_op.f("ix_party_name"))
        batch_op.drop_index("ix_party_kind_status")

    op.drop_table("party")
    with op.batch_alter_table("zone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_zone_butler_id"))

    op.drop_table("zone")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_role"))
        batch_op.drop_index(batch_op.f("ix_staff_name"))

    op.drop_table("staff")

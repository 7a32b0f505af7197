"""every contract end recorded, so a renewal keeps the end it replaced (E1.1, the monthly report; issue 17)

Revision ID: 0009_contract_terms
Revises: 0008_opened_at
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_contract_terms"
down_revision = "0008_opened_at"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contract_term",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("ends", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name="fk_contract_term_staff"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contract_term", schema=None) as batch_op:
        batch_op.create_index("ix_contract_term_staff", ["staff_id", "recorded_at"], unique=False)
    _backfill()


def _backfill() -> None:
    """The contract end each staff member has on file, as recorded when they were: one INSERT … SELECT (the
    ends it replaced were not kept)."""
    staff = sa.table(
        "staff",
        sa.column("id", sa.Integer()),
        sa.column("contract_ends", sa.Date()),
        sa.column("created_at", sa.DateTime()),
    )
    term = sa.table(
        "contract_term",
        sa.column("staff_id", sa.Integer()),
        sa.column("ends", sa.Date()),
        sa.column("recorded_at", sa.DateTime()),
    )
    op.get_bind().execute(
        term.insert().from_select(
            ["staff_id", "ends", "recorded_at"],
            sa.select(staff.c.id, staff.c.contract_ends, staff.c.created_at).where(
                staff.c.contract_ends.is_not(None)
            ),
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("contract_term", schema=None) as batch_op:
        batch_op.drop_index("ix_contract_term_staff")
    op.drop_table("contract_term")

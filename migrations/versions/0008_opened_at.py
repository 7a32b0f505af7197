"""when an obligation opened: a fact before it does not settle it (issue 17)

Revision ID: 0008_opened_at
Revises: 0007_name_pinyin
Create Date: 2026-12-07
"""

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision = "0008_opened_at"
down_revision = "0007_name_pinyin"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("obligation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("opened_at", sa.DateTime(), nullable=True))
    _backfill()


def _backfill() -> None:
    """The moment each existing obligation opened, as the code that writes one now sets it: its window's
    opening (`opens_at`), else what triggered it (the busy call of a callback, the event, the complaint's
    resolution), else when it was written. One UPDATE, portable SQL."""
    obligation = sa.table(
        "obligation",
        sa.column("id", sa.Integer()),
        sa.column("opens_at", sa.DateTime()),
        sa.column("opened_at", sa.DateTime()),
        sa.column("event_id", sa.Integer()),
        sa.column("complaint_id", sa.Integer()),
        sa.column("source_visit_id", sa.Integer()),
        sa.column("created_at", sa.DateTime()),
    )
    event = sa.table("event", sa.column("id", sa.Integer()), sa.column("at", sa.DateTime()))
    complaint = sa.table(
        "complaint", sa.column("id", sa.Integer()), sa.column("resolved_at", sa.DateTime())
    )
    visit = sa.table("visit", sa.column("id", sa.Integer()), sa.column("at", sa.DateTime()))
    op.get_bind().execute(
        obligation.update().values(
            opened_at=sa.func.coalesce(
                obligation.c.opens_at,
                sa.select(visit.c.at)
                .where(visit.c.id == obligation.c.source_visit_id)
                .scalar_subquery(),
                sa.select(event.c.at).where(event.c.id == obligation.c.event_id).scalar_subquery(),
                sa.select(complaint.c.resolved_at)
                .where(complaint.c.id == obligation.c.complaint_id)
                .scalar_subquery(),
                obligation.c.created_at,
            )
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("obligation", schema=None) as batch_op:
        batch_op.drop_column("opened_at")

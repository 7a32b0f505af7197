"""names in pinyin and initials (issue 8)

Revision ID: 0007_name_pinyin
Revises: 0006_plans
Create Date: 2026-11-27
"""

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op

from careops.names import name_columns

revision = "0007_name_pinyin"
down_revision = "0006_plans"
branch_labels = None
depends_on = None

TABLES = ("party", "staff")
BATCH = 5_000


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("name_pinyin", sa.String(), server_default="", nullable=False)
            )
            batch_op.add_column(
                sa.Column("name_initials", sa.String(), server_default="", nullable=False)
            )
        _backfill(table)
        with op.batch_alter_table(
            table, schema=None
        ) as batch_op:  # after the backfill: one index build
            batch_op.create_index(f"ix_{table}_name_pinyin", ["name_pinyin"], unique=False)
            batch_op.create_index(f"ix_{table}_name_initials", ["name_initials"], unique=False)


def _backfill(name: str) -> None:
    """Pinyin cannot be computed in SQL: the existing names are read and written back in batches, by id."""
    table = sa.table(
        name,
        sa.column("id", sa.Integer()),
        sa.column("name", sa.String()),
        sa.column("name_pinyin", sa.String()),
        sa.column("name_initials", sa.String()),
    )
    kind = (
        sa.column("kind", sa.String()) if name == "party" else sa.literal("person")
    )  # a contact: no surname
    update = (
        table.update()
        .where(table.c.id == sa.bindparam("row_id"))
        .values(name_pinyin=sa.bindparam("pinyin"), name_initials=sa.bindparam("initials"))
    )
    conn = op.get_bind()
    last = 0
    while True:
        rows = conn.execute(
            sa.select(table.c.id, table.c.name, kind.label("kind"))
            .select_from(table)
            .where(table.c.id > last)
            .order_by(table.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        values = [name_columns(row.name, person=row.kind != "contact") for row in rows]
        conn.execute(
            update,
            [
                {"row_id": row.id, "pinyin": v["name_pinyin"], "initials": v["name_initials"]}
                for row, v in zip(rows, values, strict=False)
            ],
        )
        last = rows[-1].id


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{table}_name_initials")
            batch_op.drop_index(f"ix_{table}_name_pinyin")
            batch_op.drop_column("name_initials")
            batch_op.drop_column("name_pinyin")

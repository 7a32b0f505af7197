"""`db copy`: a whole database into an empty one (SQLite -> PostgreSQL or back), checked table by table."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, Engine, Table, func, insert, select, text
from sqlmodel import SQLModel

import careops.models  # noqa: F401  (registers the tables)
from careops.db.migrate import ensure_current
from careops.errors import Conflict, SchemaError
from careops.i18n import _

BATCH = 5_000

# What this module says to people (one place, ready for translation).
SAME_DATABASE = _("the target is the database being copied: give another --to.")
NOT_EMPTY = _("the target already holds records ({tables}): copy only into an empty database.")
COUNTS_DIFFER = _("table {table}: {source} rows read but {target} written; nothing was kept.")


def copy_database(source: Engine, target: Engine, target_url: str) -> list[tuple[str, int, int]]:
    """Copies every table in foreign-key order in one target transaction; returns (table, source rows,
    target rows)."""
    if source.url == target.url:
        raise Conflict(SAME_DATABASE)
    ensure_current(target, target_url)
    tables = SQLModel.metadata.sorted_tables
    with source.connect() as src, target.begin() as dst:
        busy = [t.name for t in tables if dst.execute(select(func.count()).select_from(t)).scalar()]
        if busy:
            raise Conflict(NOT_EMPTY.format(tables=", ".join(busy)))
        counts = []
        for table in tables:
            result = src.execution_options(stream_results=True).execute(
                select(table).order_by(*table.primary_key.columns)
            )
            while rows := result.mappings().fetchmany(BATCH):
                dst.execute(insert(table), [dict(r) for r in rows])
            read = src.execute(select(func.count()).select_from(table)).scalar_one()
            written = dst.execute(select(func.count()).select_from(table)).scalar_one()
            if read != written:
                raise SchemaError(
                    COUNTS_DIFFER.format(table=table.name, source=read, target=written)
                )
            counts.append((table.name, read, written))
        if dst.dialect.name == "postgresql":
            _advance_sequences(dst, tables)
    return counts


def _advance_sequences(conn: Connection, tables: Sequence[Table]) -> None:
    """Rows came with their ids: move each id sequence past them so new rows do not collide."""
    for table in tables:
        if "id" in table.c and table.c.id.primary_key:
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT max(id) FROM {table.name}), 0) + 1, false)"
                )
            )

"""Alembic environment: careops passes its own connection in `config.attributes`."""

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import careops.models  # noqa: F401  (registers the tables)

target_metadata = SQLModel.metadata


def run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    with create_engine(context.config.get_main_option("sqlalchemy.url")).connect() as conn:
        run(conn)
        conn.commit()

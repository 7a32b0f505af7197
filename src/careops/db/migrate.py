"""Bring a database to the newest Alembic revision (migrations/ ships in the wheel).

Finding the head reads the revision files as text, so commands whose database is
already current never import alembic.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

from careops.db.engine import sqlite_path
from careops.errors import SchemaError
from careops.i18n import _

# What this module says to people (one place, ready for translation).
FOREIGN_DATABASE = _(
    "this database was not made by careops (it has tables but no schema revision)."
)
UNKNOWN_REVISION = _(
    "the database is at schema revision {current}, which this careops does not know: upgrade careops."
)
BROKEN_REFERENCES = _(
    "the upgrade would leave records pointing at missing ones; nothing was changed."
)
UPGRADED = _("upgraded from {current}")
UPGRADED_WITH_COPY = _("upgraded from {current} (copy kept at {backup})")

_REV = re.compile(r'^(down_)?revision\s*(?::[^=]*)?=\s*["\']?([\w-]+|None)["\']?', re.M)


def migrations_dir() -> Path:
    packaged = Path(__file__).resolve().parent.parent / "migrations"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "migrations"


def revision_chain() -> list[str]:
    """Every revision id, oldest first."""
    parents: dict[str, str | None] = {}
    for path in (migrations_dir() / "versions").glob("*.py"):
        found = {bool(down): rev for down, rev in _REV.findall(path.read_text("utf-8"))}
        if False in found:
            down = found.get(True)
            parents[found[False]] = None if down in (None, "None") else down
    chain: list[str] = []
    current = next((r for r in parents if r not in parents.values()), None)
    while current:
        chain.append(current)
        current = parents[current]
    return list(reversed(chain))


def head() -> str:
    return revision_chain()[-1]


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            if inspect(conn).get_table_names():
                raise SchemaError(FOREIGN_DATABASE)
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def ensure_current(engine: Engine, url: str) -> str | None:
    """Create or upgrade the schema. Returns a note for the user, or None."""
    current = current_revision(engine)
    chain = revision_chain()
    if current == chain[-1]:
        return None
    if current is None:
        upgrade(engine)
        return "created"
    if current not in chain:
        raise SchemaError(UNKNOWN_REVISION.format(current=current))
    path = sqlite_path(url)
    if path is not None:
        backup = path.with_name(f"{path.name}.bak-{current}")
        _sqlite_copy(path, backup)
    upgrade(engine)
    return (
        UPGRADED_WITH_COPY.format(current=current, backup=backup)
        if path is not None
        else UPGRADED.format(current=current)
    )


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:  # a batch migration rebuilds tables: foreign keys are checked once, at the end
            _pragma(conn, "PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
                if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise SchemaError(BROKEN_REFERENCES)
        finally:
            if sqlite:
                _pragma(conn, "PRAGMA foreign_keys=ON")


def _pragma(conn: Connection, statement: str) -> None:
    """Outside any transaction (SQLite ignores foreign_keys inside one)."""
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None  # an open connection
    cursor = dbapi.cursor()
    try:
        cursor.execute(statement)
    finally:
        cursor.close()


def _sqlite_copy(src: Path, dst: Path) -> None:
    source = sqlite3.connect(src)
    target = sqlite3.connect(dst)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()

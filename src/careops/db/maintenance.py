"""Backups, restores and health checks of the database file (the SQLite backup API does the copying)."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import cast

from sqlalchemy import Engine, text

from careops.db.migrate import current_revision, revision_chain
from careops.errors import Conflict, InvalidInput
from careops.i18n import _

OWNER_ONLY = 0o600

# What this module says to people (one place, ready for translation).
NOT_SQLITE = _("{what} works on a SQLite file; for PostgreSQL use pg_dump and pg_restore.")
TARGET_EXISTS = _("{path} exists already: choose a new file name (backups never overwrite).")
NO_BACKUP_FILE = _("{path} does not exist.")
NOT_A_DATABASE = _("{path} is not a SQLite database ({error}).")
DAMAGED = _("{path} is damaged: integrity check says {result}.")
NOT_CAREOPS = _("{path} is not a careops database (it has no schema revision).")
UNKNOWN_REVISION = _(
    "{path} is at schema revision {revision}, which this careops does not know: upgrade careops first."
)
WOULD_OVERWRITE = _(
    "{path} holds a database already: add --force to replace it (the replaced file is kept as {keep})."
)


def backup(source: Path | None, dest: Path) -> None:
    """A consistent online copy, even while another process writes."""
    if source is None:
        raise InvalidInput(NOT_SQLITE.format(what="db backup"))
    if dest.exists():
        raise Conflict(TARGET_EXISTS.format(path=dest))
    _copy(source, dest)


def validate(path: Path) -> str:
    """The schema revision of a backup file, after checking it is a sound careops database."""
    if not path.is_file():
        raise InvalidInput(NO_BACKUP_FILE.format(path=path))
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            has_version = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()[0]
            revision = (
                conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
                if has_version
                else None
            )
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(NOT_A_DATABASE.format(path=path, error=exc)) from None
    if result != "ok":
        raise InvalidInput(DAMAGED.format(path=path, result=result))
    if revision is None:
        raise InvalidInput(NOT_CAREOPS.format(path=path))
    if revision not in revision_chain():
        raise InvalidInput(UNKNOWN_REVISION.format(path=path, revision=revision))
    return revision


def restore(
    backup_file: Path, target: Path | None, *, force: bool, now: datetime
) -> tuple[str, Path | None]:
    """Copies a validated backup over the database; returns its revision and where the replaced file went."""
    if target is None:
        raise InvalidInput(NOT_SQLITE.format(what="db restore"))
    revision = validate(backup_file)
    keep = None
    if target.exists():
        keep = target.with_name(f"{target.name}.replaced-{now:%Y%m%d-%H%M%S}")
        if not force:
            raise Conflict(WOULD_OVERWRITE.format(path=target, keep=keep))
        _copy(target, keep)
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        target.unlink()
    _copy(backup_file, target)
    return revision, keep


def check(engine: Engine, sqlite_file: Path | None) -> list[tuple[str, bool, str]]:
    """(check, passed, detail) for integrity, foreign keys and the schema revision."""
    found: list[tuple[str, bool, str]] = []
    with engine.connect() as conn:
        if sqlite_file is not None:
            # Always at least one row: "ok", or the problems found.
            integrity = cast(str, conn.execute(text("PRAGMA integrity_check")).scalar())
            found.append(("integrity", integrity == "ok", integrity))
            broken = conn.execute(text("PRAGMA foreign_key_check")).all()
            found.append(("foreign keys", not broken, f"{len(broken)} broken" if broken else "ok"))
        else:
            found.append(("integrity", True, "kept by the PostgreSQL server"))
            found.append(("foreign keys", True, "enforced by the PostgreSQL server"))
    revision, head = current_revision(engine), revision_chain()[-1]
    found.append(("schema revision", revision == head, f"{revision} (newest {head})"))
    return found


def _copy(source: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.touch(mode=OWNER_ONLY, exist_ok=True)
    os.chmod(dest, OWNER_ONLY)
    src, out = sqlite3.connect(source), sqlite3.connect(dest)
    try:
        src.backup(out)
    finally:
        out.close()
        src.close()

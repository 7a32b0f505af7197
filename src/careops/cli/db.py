"""`careops init` and `careops db`: create, upgrade, back up, restore and check the database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from careops.cli.context import clock_of, connect, open_env, owner_only, state
from careops.i18n import _

app = typer.Typer(help="The database itself: backup, restore, check.", no_args_is_help=True)

# What this module says to people (one place, ready for translation).
READY = _("Database ready at schema revision {revision}: {url}")
BACKED_UP = _("Backed up {source} to {dest} (readable by you only).")
RESTORED = _("Restored {backup} (schema revision {revision}) to {target}.")
KEPT = _("The replaced database is kept as {keep}.")
CHECK_LINE = _("{mark} {name}: {detail}")
COPIED = _("Copied {rows} rows in {tables} tables to {url}; every table's count checked.")
COUNT_COLUMNS = [("table", _("Table")), ("source", _("Rows here")), ("target", _("Rows there"))]
PROBLEMS = _("the database check found problems (listed above).")


def init(ctx: typer.Context) -> None:
    """Create the database at the newest schema revision (or upgrade an older one)."""
    from careops.db.engine import shown
    from careops.db.migrate import head

    engine, url = connect(ctx)
    engine.dispose()
    typer.echo(READY.format(revision=head(), url=shown(url)))


@app.command(name="backup")
def db_backup(
    ctx: typer.Context,
    dest: Annotated[Path, typer.Argument(metavar="FILE", help="The new backup file.")],
) -> None:
    """Take a consistent copy of the database while others keep working. Example: careops db backup monday.db"""
    from careops.db.engine import resolve_url, sqlite_path
    from careops.db.maintenance import backup

    engine, url = connect(ctx)  # creates or upgrades first, so the copy is of a current database
    engine.dispose()
    backup(sqlite_path(url), dest)
    typer.echo(BACKED_UP.format(source=sqlite_path(resolve_url(state(ctx).db)), dest=dest))


@app.command(name="restore")
def db_restore(
    ctx: typer.Context,
    backup_file: Annotated[
        Path, typer.Argument(metavar="FILE", help="A backup made by `careops db backup`.")
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing database (it is kept aside).")
    ] = False,
) -> None:
    """Check a backup (integrity, schema revision) and put it in place of the database."""
    from careops.db.engine import resolve_url, sqlite_path
    from careops.db.maintenance import restore

    target = sqlite_path(resolve_url(state(ctx).db))
    revision, keep = restore(backup_file, target, force=force, now=clock_of(ctx).now)
    typer.echo(RESTORED.format(backup=backup_file, revision=revision, target=target))
    if keep is not None:
        typer.echo(KEPT.format(keep=keep))


@app.command(name="check")
def db_check(ctx: typer.Context) -> None:
    """Report integrity, foreign keys, the schema revision and callbacks left open on voided records."""
    from careops.db.engine import sqlite_path
    from careops.db.maintenance import check
    from careops.errors import CareopsError
    from careops.services.health import orphaned_obligations

    engine, url = connect(ctx, write=False)
    try:
        found = check(engine, sqlite_path(url))
    finally:
        engine.dispose()
    with open_env(ctx, write=False) as env:
        found.append(("orphaned obligations", *orphaned_obligations(session=env.session)))
    for name, passed, detail in found:
        typer.echo(CHECK_LINE.format(mark="ok  " if passed else "FAIL", name=name, detail=detail))
    if not all(passed for _, passed, _ in found):
        raise CareopsError(PROBLEMS)


@app.command(name="copy")
def db_copy(
    ctx: typer.Context,
    to: Annotated[
        str,
        typer.Option(
            "--to", metavar="PATH|URL", help="An empty database: a SQLite file or a PostgreSQL URL."
        ),
    ],
) -> None:
    """Copy the whole database into an empty one (SQLite to PostgreSQL, or back), checking row counts table by table.

    Example: careops db copy --to "postgresql+psycopg://careops@/careops?host=/var/run/postgresql"
    """
    from careops.db.copy import copy_database
    from careops.db.engine import make_engine, resolve_url, shown, sqlite_path
    from careops.render.output import emit

    source, _url = connect(ctx, write=False)
    target_url = resolve_url(to)
    if sqlite_path(target_url) is not None:
        owner_only(sqlite_path(target_url))
    target = make_engine(target_url)
    try:
        counts = copy_database(source, target, target_url)
    finally:
        source.dispose()
        target.dispose()
    emit([{"table": t, "source": a, "target": b} for t, a, b in counts], COUNT_COLUMNS, "table")
    typer.echo(
        COPIED.format(rows=sum(a for _, a, _ in counts), tables=len(counts), url=shown(target_url))
    )

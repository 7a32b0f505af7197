"""`careops init`: create (or upgrade) the database."""

from __future__ import annotations

import typer

from careops.cli.context import connect

# What this module says to people (one place, ready for translation).
READY = "Database ready at schema revision {revision}: {url}"


def init(ctx: typer.Context) -> None:
    """Create the database at the newest schema revision (or upgrade an older one)."""
    from careops.db.engine import resolve_url
    from careops.db.migrate import head

    engine, url = connect(ctx)
    engine.dispose()
    typer.echo(READY.format(revision=head(), url=resolve_url(ctx.find_root().obj.db)))

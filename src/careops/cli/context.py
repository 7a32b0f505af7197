"""Per-command state: the global options, and one transaction on the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

import typer

from careops.i18n import _
from careops.shell import arg

# What this module says to people (one place, ready for translation).
NO_FOLDER = _("the folder {folder} does not exist: create it, or give another --db.")
CREATED = _("Created a new careops database at {where}.")
DATABASE_NOTE = _("Database {note}.")
NEW_DEPT = _(
    "Note: department {name!r} is new and is now recorded (not clinical, no head); "
    "`careops dept edit {quoted} --clinical --head STAFF` if it is a ward."
)


@dataclass
class AppState:
    db: str | None = None
    now: datetime | None = None
    actor: str | None = None  # --as STAFF


class Env:
    """What a command works with: a session inside one transaction, the clock, the policy."""

    def __init__(self, session, clock) -> None:
        self.session = session
        self.clock = clock

    @cached_property
    def policy(self):
        from careops.policy.loader import load_policy

        return load_policy()


def state(ctx: typer.Context) -> AppState:
    return ctx.find_root().obj or AppState()


def clock_of(ctx: typer.Context):
    from careops import i18n
    from careops.clock import Clock

    clock = Clock.at(state(ctx).now)
    i18n.set_today(clock.today)
    return clock


@contextmanager
def open_env(ctx: typer.Context, *, write: bool = True) -> Iterator[Env]:
    """One command, one transaction: it commits when the block ends, and writes nothing on error."""
    from sqlmodel import Session

    engine, _url = connect(ctx, write=write)
    try:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            if write:
                from careops.services.audit import set_actor

                set_actor(session, state(ctx).actor)
            yield Env(session, clock_of(ctx))
    finally:
        engine.dispose()


def connect(ctx: typer.Context, *, write: bool = True):
    from careops.db.engine import default_path, make_engine, resolve_url, shown, sqlite_path
    from careops.db.migrate import ensure_current
    from careops.errors import SchemaError

    url = resolve_url(state(ctx).db)
    path = sqlite_path(url)
    if path is not None and not path.parent.exists():
        if path == default_path():
            path.parent.mkdir(parents=True, exist_ok=True)
        else:
            raise SchemaError(NO_FOLDER.format(folder=path.parent))
    if path is not None:
        owner_only(path)
    engine = make_engine(url, write=write)
    note = ensure_current(engine, url)
    if note == "created":
        typer.echo(CREATED.format(where=path or shown(url)), err=True)
    elif note:
        typer.echo(DATABASE_NOTE.format(note=note), err=True)
    return engine, url


def owner_only(path) -> None:
    """People's homes and phone numbers: the database (and so its WAL) is readable by its owner only."""
    import os
    import stat

    try:
        if not path.exists():
            path.touch(mode=0o600)
        elif stat.S_IMODE(path.stat().st_mode) & 0o077:
            os.chmod(path, 0o600)
    except OSError:
        pass  # not ours to change (a shared, read-only or special file): SQLite will say what is wrong


def say_new_depts(names: list[str]) -> None:
    """On stderr: the departments a command recorded because it named them first (`staff add --dept`)."""
    for name in names:
        typer.echo(NEW_DEPT.format(name=name, quoted=arg(name)), err=True)

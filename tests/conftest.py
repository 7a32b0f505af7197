"""Every test runs on its own throwaway database, never the user's, and at a fixed time.

By default that database is a SQLite file in the test's tmp_path: a copy of a template that was
migrated once per test run (per xdist worker), so no test pays for the Alembic migrations. With
CAREOPS_TEST_PG set to the URL of a PostgreSQL server that the tests may create databases on
(`make test-pg` starts one, see scripts/with-postgres.sh), each test gets its own PostgreSQL
database instead, made with `CREATE DATABASE … TEMPLATE` from a migrated template, and dropped after
the test. Tests that only make sense on a SQLite file are marked `@pytest.mark.sqlite_only` and
skipped there; tests of creating a database are marked `@pytest.mark.new_database` and start with
none.

The clock: every test acts as of NOW (CAREOPS_NOW is set), so no test depends on the day it runs.
A test about the real clock is marked `@pytest.mark.real_clock`.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import shutil
from datetime import datetime
from pathlib import Path

import pytest
import typer.main
import typer.testing
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, inspect, make_url, text
from sqlalchemy.pool import NullPool
from sqlmodel import Session
from typer.testing import CliRunner

from careops import i18n
from careops.cli.app import app
from careops.clock import Clock
from careops.db import migrate
from careops.db.engine import make_engine, resolve_url, sqlite_path
from careops.db.migrate import ensure_current
from careops.policy.loader import load_policy

PG = os.environ.get("CAREOPS_TEST_PG")  # the throwaway PostgreSQL server's URL, or None for SQLite
BACKEND = "postgresql" if PG else "sqlite"
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")  # gw0, gw1… under pytest-xdist

NOW = "2026-11-27 08:30"  # a Friday: every test's clock, unless it says otherwise

# Fuzzing: `ci` runs every fuzz test's full count (what CI and `make test` run); `dev` a tenth of it,
# for a quick look while working (HYPOTHESIS_PROFILE=dev). Both are derandomised: a run is repeatable.
_FUZZ = {
    "deadline": None,
    "derandomize": True,
    "print_blob": True,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
settings.register_profile("ci", **_FUZZ)
settings.register_profile("dev", **_FUZZ)
_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
if _PROFILE in ("ci", "dev"):
    settings.load_profile(_PROFILE)


def pytest_configure(config):
    if _PROFILE not in ("ci", "dev"):
        raise pytest.UsageError(
            f"HYPOTHESIS_PROFILE={_PROFILE!r} is not a profile: use ci (the default) or dev."
        )


def pytest_report_header(config):
    where = f" ({PG})" if PG else " (a copy of a migrated template per test)"
    return [
        f"careops test database: {BACKEND}{where}",
        f"careops test clock: {NOW} (CAREOPS_NOW); hypothesis profile: "
        f"{settings.get_current_profile_name()}",
    ]


def pytest_collection_modifyitems(config, items):
    if not PG:
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker:
            why = marker.args[0] if marker.args else "checks the SQLite file itself"
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {why}"))


# Typer's CliRunner builds the whole click command tree from the functions' signatures on every
# invoke: about 0.2 s, most of an in-process command's time. A process running careops builds it
# once, and so do the tests (help texts are translated per command, the English kept aside).
typer.testing._get_command = functools.cache(typer.main.get_command)

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server():
    """A connection pool to the PostgreSQL server's maintenance database, for CREATE/DROP DATABASE."""
    admin = create_engine(PG, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    yield admin
    admin.dispose()


def _migrated(url: str) -> None:
    engine = make_engine(url)
    try:
        ensure_current(engine, url)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def template(request, tmp_path_factory) -> str:
    """A database at the newest schema revision, made once per test run (per xdist worker): a SQLite
    file to copy, or the name of a PostgreSQL template database."""
    if not PG:
        path = tmp_path_factory.mktemp("template") / "careops.db"
        _migrated(f"sqlite:///{path}")
        return str(path)
    admin = request.getfixturevalue("pg_server")
    name = f"careops_template_{WORKER}_{os.getpid()}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    _migrated(make_url(PG).set(database=name).render_as_string(hide_password=False))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    request.addfinalizer(drop)
    return name


def _pg_database(request, template: str | None) -> tuple[str, str]:
    """A new database on the test server, a copy of `template` or empty: (its name, its URL)."""
    admin = request.getfixturevalue("pg_server")
    name = f"careops_test_{WORKER}_{os.getpid()}_{next(_numbers)}"
    copy = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"{copy}'))

    def drop() -> None:
        with admin.connect() as conn:  # FORCE: ends connections a test left open
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    request.addfinalizer(drop)
    return name, make_url(PG).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(autouse=True)
def db_path(tmp_path, monkeypatch, request) -> Path | None:
    """The test's SQLite file, or None on PostgreSQL. CAREOPS_DB points at the test's database, which
    is a copy of the migrated template, or nothing yet for a test marked `new_database`."""
    new = request.node.get_closest_marker("new_database") is not None
    template = None if new else request.getfixturevalue("template")
    if PG:
        _name, url = _pg_database(request, template)
        monkeypatch.setenv("CAREOPS_DB", url)
        path = None
    else:
        path = tmp_path / "careops.db"
        if template:
            shutil.copyfile(template, path)
            path.chmod(0o600)  # as careops makes it
        monkeypatch.setenv("CAREOPS_DB", str(path))
    if request.node.get_closest_marker("real_clock"):
        monkeypatch.delenv("CAREOPS_NOW", raising=False)
    else:
        monkeypatch.setenv("CAREOPS_NOW", NOW)
    monkeypatch.delenv("CAREOPS_POLICY", raising=False)
    monkeypatch.delenv("CAREOPS_TZ", raising=False)
    monkeypatch.setenv("CAREOPS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv(
        "CAREOPS_LANG", "en"
    )  # whatever the machine's locale: tests that speak Chinese say so
    i18n.reset()
    return path


class Db:
    """The test's database, whichever the backend: looked at from outside careops, as a person
    with a SQL client would."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.path = sqlite_path(url)  # None on PostgreSQL

    @property
    def where(self) -> str:
        """How careops names it in "Created a new careops database at …": the file, or the URL."""
        return str(self.path) if self.path is not None else self.url

    def created(self) -> bool:
        """Whether careops has made anything there (a SQLite file is not even created before)."""
        if self.path is not None and not self.path.exists():
            return False
        return bool(self.tables())

    def _engine(self):
        return create_engine(self.url, poolclass=NullPool)

    def execute(self, sql: str, **params) -> None:
        engine = self._engine()
        try:
            with engine.begin() as conn:
                conn.execute(text(sql), params)
        finally:
            engine.dispose()

    def rows(self, sql: str, **params) -> list[tuple]:
        engine = self._engine()
        try:
            with engine.connect() as conn:
                return [tuple(row) for row in conn.execute(text(sql), params)]
        finally:
            engine.dispose()

    def scalar(self, sql: str, **params):
        (row,) = self.rows(sql, **params)
        return row[0]

    def count(self, table: str) -> int:
        return self.scalar(f"SELECT count(*) FROM {table}")

    def version(self) -> str:
        return self.scalar("SELECT version_num FROM alembic_version")

    def tables(self) -> list[str]:
        engine = self._engine()
        try:
            with engine.connect() as conn:
                return sorted(inspect(conn).get_table_names())
        finally:
            engine.dispose()


@pytest.fixture
def db_url(db_path) -> str:
    """The SQLAlchemy URL of the test's database (SQLite file or PostgreSQL)."""
    return resolve_url(os.environ["CAREOPS_DB"])


@pytest.fixture
def db(db_url) -> Db:
    return Db(db_url)


@pytest.fixture
def engine(db_url):
    eng = make_engine(db_url)
    ensure_current(eng, db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine):
    with Session(engine, expire_on_commit=False) as s, s.begin():
        yield s


@pytest.fixture
def policy():
    return load_policy()


def ok(cli, *args: str, now: str | None = NOW):
    """Runs a command that must succeed."""
    result = cli(*args, now=now)
    assert result.exit_code == 0, result.output
    return result


def refused(cli, *args: str, now: str | None = NOW, code: int = 1, prefix: str = "Error: ") -> str:
    """Runs a command that must fail with one `Error:` line (`错误：` in Chinese) and nothing on
    stdout; returns that line."""
    result = cli(*args, now=now)
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(prefix), result.stderr
    return lines[0]


def clock(text: str) -> Clock:
    """A fixed clock at local time "YYYY-MM-DD HH:MM" (Asia/Shanghai)."""
    return Clock.at(datetime.strptime(text, "%Y-%m-%d %H:%M"))


class Cli:
    """Runs careops in-process, like a user at a terminal, with an optional fixed --now."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, now: str | None = None, input: str | None = None):
        argv = (["--now", now] if now else []) + list(args)
        return self.runner.invoke(app, argv, input=input)

    def json(self, *args: str, now: str | None = None):
        result = self(*args, "--format", "json", now=now)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


@pytest.fixture
def cli():
    return Cli()


LATER_REVISION = "0999_test_later"
LATER = '''"""test only: a later revision adding a column"""
from alembic import op
import sqlalchemy as sa

revision = "0999_test_later"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("zone") as batch:
        batch.add_column(sa.Column("colour", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("zone") as batch:
        batch.drop_column("colour")
'''


@pytest.fixture
def later_migrations(tmp_path, monkeypatch):
    """The shipped migrations plus one newer revision (zone.colour), as a later careops would ship them."""
    folder = tmp_path / "later-migrations"
    shutil.copytree(migrate.migrations_dir(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / f"{LATER_REVISION}.py").write_text(
        LATER.format(head=migrate.head()), "utf-8"
    )
    monkeypatch.setattr(migrate, "migrations_dir", lambda: folder)
    return folder

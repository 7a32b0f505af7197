"""The database: where it is, how connections are set up, its schema, and migrations shipped in the wheel."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from careops.db import migrate
from careops.db.engine import make_engine, resolve_url
from careops.errors import SchemaError

ROOT = Path(__file__).resolve().parents[1]


def version_in(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def zone_names(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [name for (name,) in conn.execute("SELECT name FROM zone ORDER BY id")]


def zones_in(db) -> list[str]:
    return [name for (name,) in db.rows("SELECT name FROM zone ORDER BY id")]


# --- init, --db, CAREOPS_DB -----------------------------------------------------------------------


@pytest.mark.new_database
def test_init_creates_the_database_at_the_newest_revision(cli, db):
    result = cli("init")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Database ready at schema revision {migrate.head()}: {db.url}\n"
    assert result.stderr == f"Created a new careops database at {db.where}.\n"
    assert db.version() == migrate.head() == migrate.revision_chain()[-1]
    again = cli("init")
    assert (again.exit_code, again.stdout, again.stderr) == (0, result.stdout, "")


@pytest.mark.new_database
def test_any_command_creates_a_missing_database(cli, db):
    assert not db.created()
    result = cli("zone", "list")
    assert (result.exit_code, result.stderr) == (
        0,
        f"Created a new careops database at {db.where}.\n",
    )
    assert db.version() == migrate.head()


def test_careops_db_env_picks_the_file(cli, tmp_path, monkeypatch):
    chosen = tmp_path / "site" / "butlers.db"
    chosen.parent.mkdir()
    monkeypatch.setenv("CAREOPS_DB", str(chosen))
    assert cli("zone", "add", "A").exit_code == 0
    assert zone_names(chosen) == ["A"]


@pytest.mark.new_database
def test_db_option_overrides_careops_db(cli, tmp_path, db):
    other = tmp_path / "other.db"
    assert cli("--db", str(other), "zone", "add", "A").exit_code == 0
    assert zone_names(other) == ["A"]
    assert not db.created()
    assert cli.json("zone", "list") == []
    assert [
        z["name"]
        for z in json.loads(cli("--db", str(other), "zone", "list", "--format", "json").stdout)
    ] == ["A"]


@pytest.mark.new_database
def test_db_value_with_a_scheme_is_a_sqlalchemy_url(cli, tmp_path, db):
    path = tmp_path / "by-url.db"
    result = cli("--db", f"sqlite:///{path}", "init")
    assert result.exit_code == 0, result.output
    assert (
        result.stdout == f"Database ready at schema revision {migrate.head()}: sqlite:///{path}\n"
    )
    assert version_in(path) == migrate.head()
    assert not db.created()


def test_resolve_url():
    assert resolve_url("/data/careops.db") == "sqlite:////data/careops.db"
    assert (
        resolve_url("postgresql+psycopg://u@localhost/careops")
        == "postgresql+psycopg://u@localhost/careops"
    )
    assert resolve_url("rel.db") == f"sqlite:///{Path('rel.db').absolute()}"


# --- SQLite connection set-up ---------------------------------------------------------------------


@pytest.mark.sqlite_only("SQLite connection pragmas")
def test_sqlite_pragmas_on_every_connection(db_path):
    engine = make_engine(resolve_url(str(db_path)))
    try:
        for _ in range(2):  # a fresh connection each time, not just the first
            with engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
            engine.dispose()
    finally:
        engine.dispose()


@pytest.mark.sqlite_only("the SQLite file's journal mode (WAL)")
def test_a_database_made_by_the_cli_stays_in_wal_mode(cli, db_path):
    assert cli("init").exit_code == 0
    with sqlite3.connect(db_path) as conn:  # a plain connection, none of careops' set-up
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_foreign_keys_are_enforced(engine):
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO visit (party_id, staff_id, channel, at, outcome, created_at) "
                "VALUES (999, 999, 'door', '2026-11-01 00:00:00', 'reached', '2026-11-01 00:00:00')"
            )
        )


# --- schema and migrations ------------------------------------------------------------------------


def test_revision_chain_is_alembics_own_walk():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(migrate.migrations_dir()))
    scripts = ScriptDirectory.from_config(cfg)
    walked = [s.revision for s in scripts.walk_revisions("base", "heads")]
    assert migrate.revision_chain() == list(reversed(walked))
    assert migrate.head() == scripts.get_current_head()
    assert migrate.migrations_dir() == ROOT / "migrations"


def test_blank_database_upgraded_to_head_matches_the_models(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import careops.models  # noqa: F401  (registers the tables)

    engine = make_engine(db_url)
    try:
        migrate.upgrade(engine)
        with engine.connect() as conn:
            found = inspect(conn)
            assert set(SQLModel.metadata.tables) <= set(found.get_table_names())
            for name, table in SQLModel.metadata.tables.items():
                assert {c["name"] for c in found.get_columns(name)} == {
                    c.name for c in table.columns
                }, name
            assert (
                compare_metadata(
                    MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata
                )
                == []
            )
        assert migrate.current_revision(engine) == migrate.head()
        assert migrate.ensure_current(engine, db_url) is None
    finally:
        engine.dispose()


def test_unknown_revision_raises_schema_error(engine, db, db_url):
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'zzzz_unknown'"))
    with pytest.raises(SchemaError, match="zzzz_unknown, which this careops does not know"):
        migrate.ensure_current(engine, db_url)
    assert db.version() == "zzzz_unknown"


@pytest.mark.new_database
def test_a_database_not_made_by_careops_raises_schema_error(db, db_url):
    db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    engine = make_engine(db_url)
    try:
        with pytest.raises(SchemaError, match="not made by careops"):
            migrate.ensure_current(engine, db_url)
    finally:
        engine.dispose()
    assert db.tables() == ["notes"]


def test_cli_upgrades_an_older_database(cli, db, request):
    """A SQLite file is copied aside first; a PostgreSQL database is upgraded in place (its server has backups)."""
    assert cli("zone", "add", "A").exit_code == 0
    first = migrate.head()
    request.getfixturevalue("later_migrations")  # from here on, careops ships a newer revision

    result = cli("zone", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    if db.path is not None:
        backup = db.path.with_name(f"{db.path.name}.bak-{first}")
        assert result.stderr == f"Database upgraded from {first} (copy kept at {backup}).\n"
        assert (version_in(backup), zone_names(backup)) == (first, ["A"])
    else:
        assert result.stderr == f"Database upgraded from {first}.\n"
    assert [z["name"] for z in json.loads(result.stdout)] == ["A"]
    assert db.version() == "0999_test_later"
    assert db.rows("SELECT name, colour FROM zone") == [("A", None)]
    assert cli("zone", "list").stderr == ""


# --- the wheel: migrations ship inside it ---------------------------------------------------------


@pytest.mark.outside
def test_wheel_ships_migrations_and_inits_a_database(tmp_path, db):
    """A non-editable install of the wheel finds its migrations inside the package and creates a database."""
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    dist, target = tmp_path / "dist", tmp_path / "installed"
    subprocess.run(
        [*pip, "wheel", "--no-deps", "-w", str(dist), str(ROOT)],
        check=True,
        timeout=600,
        cwd=tmp_path,
    )
    (wheel,) = dist.glob("careops-*.whl")
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True, timeout=600
    )

    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREOPS_")} | {
        "PYTHONPATH": str(target)
    }

    def python(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, *argv],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )

    probe = python(
        "-c",
        "import careops, careops.db.migrate as m; print(careops.__file__); print(m.migrations_dir()); "
        "print(m.head())",
    )
    assert probe.returncode == 0, probe.stderr
    module, migrations, head = probe.stdout.splitlines()
    assert Path(module).is_relative_to(target), (
        "careops was imported from the source tree, not the wheel"
    )
    assert Path(migrations) == target / "careops" / "migrations"
    assert head == migrate.head()

    init = python(
        "-m", "careops", "--db", db.where, "init"
    )  # the test's database: a new SQLite file, or PostgreSQL
    assert init.returncode == 0, init.stderr
    assert init.stdout == f"Database ready at schema revision {head}: {db.url}\n"
    assert db.version() == head
    rules = python(
        "-m", "careops", "--db", db.where, "policy", "show", "--format", "json"
    )  # built-in policy ships too
    assert rules.returncode == 0, rules.stderr
    assert "p1-monthly-visit" in [r["id"] for r in json.loads(rules.stdout)]

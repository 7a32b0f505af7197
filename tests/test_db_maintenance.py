"""`careops db backup / restore / check`: copies that are consistent, restores that never lose a file."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys

import pytest

from careops.db import migrate

from conftest import NOW, ok, refused


@pytest.fixture
def site(cli):
    ok(cli, "staff", "add", "Wang Fang", "--role", "butler")
    ok(cli, "zone", "add", "A", "--butler", "Wang Fang")
    ok(cli, "resident", "add", "Zhang San", "--unit", "1-101", "--zone", "A")
    ok(cli, "log-visit", "1-101", "--by", "Wang Fang", "--channel", "door")
    return cli


def visits_in(path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM visit").fetchone()[0]


# Backup and restore copy a SQLite file (its backup API); on PostgreSQL they refuse and point to pg_dump.
sqlite_file = pytest.mark.sqlite_only("db backup/restore copy a SQLite file")


@sqlite_file
def test_backup_is_owner_only_and_restores_into_a_new_place(site, tmp_path, monkeypatch):
    copy = tmp_path / "monday.db"
    assert ok(site, "db", "backup", str(copy)).stdout.startswith("Backed up ")
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    elsewhere = tmp_path / "new-machine" / "careops.db"
    elsewhere.parent.mkdir()
    monkeypatch.setenv("CAREOPS_DB", str(elsewhere))

    result = ok(site, "db", "restore", str(copy))

    assert result.stdout == f"Restored {copy} (schema revision {migrate.head()}) to {elsewhere}.\n"
    assert [v["party"] for v in site.json("visit", "list", now=NOW)] == ["Zhang San"]


@sqlite_file
def test_backup_never_overwrites(site, tmp_path):
    copy = tmp_path / "monday.db"
    ok(site, "db", "backup", str(copy))
    assert (
        refused(site, "db", "backup", str(copy))
        == f"Error: {copy} exists already: choose a new file name (backups never overwrite)."
    )


@sqlite_file
def test_restore_over_a_database_needs_force_and_keeps_the_replaced_file(site, tmp_path, db_path):
    copy = tmp_path / "monday.db"
    ok(site, "db", "backup", str(copy))
    ok(
        site, "log-visit", "1-101", "--by", "Wang Fang", "--channel", "phone"
    )  # a second visit, not in the copy
    keep = db_path.with_name("careops.db.replaced-20261127-083000")
    assert refused(site, "db", "restore", str(copy)) == (
        f"Error: {db_path} holds a database already: add --force to replace it (the replaced file is kept as {keep})."
    )
    assert visits_in(db_path) == 2

    ok(site, "db", "restore", str(copy), "--force")

    assert (visits_in(db_path), visits_in(keep)) == (1, 2)


@sqlite_file
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"shopping list\n", "is not a SQLite database (file is not a database)."),
        (None, "is not a careops database (it has no schema revision)."),
    ],
)
def test_restore_refuses_a_file_that_is_not_a_careops_backup(
    site, tmp_path, db_path, content, message
):
    bad = tmp_path / "bad.db"
    if content is None:
        sqlite3.connect(bad).execute("CREATE TABLE notes (body TEXT)").connection.commit()
    else:
        bad.write_bytes(content)
    before = visits_in(db_path)
    assert refused(site, "db", "restore", str(bad), "--force") == f"Error: {bad} {message}"
    assert visits_in(db_path) == before


@sqlite_file
def test_restore_refuses_a_backup_from_a_newer_careops(site, tmp_path):
    copy = tmp_path / "monday.db"
    ok(site, "db", "backup", str(copy))
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0999_future'")
    assert refused(site, "db", "restore", str(copy), "--force") == (
        f"Error: {copy} is at schema revision 0999_future, which this careops does not know: upgrade careops first."
    )


def test_check_reports_every_part_and_fails_on_an_orphaned_callback(site, db):
    if db.path is not None:
        kept = "ok   integrity: ok\nok   foreign keys: ok\n"
    else:
        kept = "ok   integrity: kept by the PostgreSQL server\nok   foreign keys: enforced by the PostgreSQL server\n"
    assert ok(site, "db", "check").stdout == (
        kept
        + f"ok   schema revision: {migrate.head()} (newest {migrate.head()})\nok   orphaned obligations: none\n"
    )
    ok(
        site,
        "log-visit",
        "1-101",
        "--by",
        "Wang Fang",
        "--channel",
        "phone",
        "--outcome",
        "busy",
        "--callback",
        "2026-11-28 10:00",
    )
    # a void made behind careops' back leaves its callback open
    db.execute("UPDATE party SET voided_at = '2026-11-27 00:00:00', void_reason = 'test'")

    result = site("db", "check", now=NOW)

    assert result.exit_code == 1
    assert (
        "FAIL orphaned obligations: 1 open callback(s) on a voided household or call\n"
        in result.stdout
    )
    assert result.stderr == "Error: The database check found problems (listed above).\n"


WRITER = """
import sys
import functools, typer.main, typer.testing
from typer.testing import CliRunner
from careops.cli.app import app
typer.testing._get_command = functools.cache(typer.main.get_command)  # built once, as in careops
runner = CliRunner()
for k in range(40):
    result = runner.invoke(app, ["log-visit", "1-101", "--by", "Wang Fang", "--channel", "door"])
    assert result.exit_code == 0, result.output
"""


@sqlite_file
def test_backup_while_another_process_writes_is_consistent(site, tmp_path, db_path):
    writer = subprocess.Popen([sys.executable, "-c", WRITER], env=os.environ.copy())
    copies = []
    try:
        for k in range(5):
            copy = tmp_path / f"copy-{k}.db"
            ok(site, "db", "backup", str(copy))
            copies.append(copy)
    finally:
        assert writer.wait(timeout=300) == 0
    for copy in copies:
        with sqlite3.connect(copy) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            visits = conn.execute("SELECT count(*) FROM visit").fetchone()[0]
            audits = conn.execute("SELECT count(*) FROM audit WHERE kind = 'visit'").fetchone()[0]
        assert 1 <= visits <= 41 and audits == visits  # each copy holds whole transactions only
    assert visits_in(db_path) == 41

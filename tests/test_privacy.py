"""Privacy: the database and its WAL are readable by their owner only."""

from __future__ import annotations

import sqlite3
import stat

import pytest

from conftest import ok

# File modes of the SQLite file and its WAL; a PostgreSQL server keeps its own files.
pytestmark = pytest.mark.sqlite_only("file modes of the SQLite file and its WAL")


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_and_its_wal_are_owner_only(cli, db_path):
    ok(cli, "zone", "add", "A")
    assert mode(db_path) == 0o600
    reader = sqlite3.connect(db_path)  # holds the WAL open while careops writes
    try:
        reader.execute("SELECT count(*) FROM zone").fetchone()
        ok(cli, "zone", "add", "B")
        wal = db_path.with_name(db_path.name + "-wal")
        assert wal.exists() and mode(wal) == 0o600
    finally:
        reader.close()


def test_an_existing_database_readable_by_others_is_tightened(cli, db_path):
    ok(cli, "zone", "add", "A")
    db_path.chmod(0o644)
    ok(cli, "zone", "list")
    assert mode(db_path) == 0o600


def test_phone_numbers_are_masked_in_listings_unless_asked(cli):
    ok(cli, "zone", "add", "A")
    ok(
        cli,
        "resident",
        "add",
        "Zhang San",
        "--unit",
        "1-101",
        "--zone",
        "A",
        "--phone",
        "13812345678",
    )
    ok(cli, "contact", "add", "Chair Qian", "--kind", "committee-chair", "--phone", "021-5550123")
    assert [r["phone"] for r in cli.json("resident", "list")] == ["138****5678"]
    assert [r["phone"] for r in cli.json("resident", "list", "--show-phone")] == ["13812345678"]
    assert cli.json("resident", "show", "1-101")["phone"] == "138****5678"
    assert [r["phone"] for r in cli.json("contact", "list")] == ["021****0123"]
    assert "13812345678" not in ok(cli, "resident", "list", "--format", "csv").stdout

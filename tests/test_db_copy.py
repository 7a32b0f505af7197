"""`careops db copy --to`: the whole database into an empty one, counts checked, a non-empty target refused."""

from __future__ import annotations

import pytest

from conftest import NOW, ok, refused


@pytest.fixture
def site(cli):
    ok(cli, "staff", "add", "Wang Fang", "--role", "butler")
    ok(cli, "zone", "add", "A", "--butler", "Wang Fang")
    ok(cli, "resident", "add", "Zhang San", "--unit", "1-101", "--zone", "A", "--tag", "key")
    ok(
        cli,
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
    return cli


def test_copy_holds_the_same_site_and_keeps_working(site, tmp_path, monkeypatch):
    target = tmp_path / "copy.db"
    result = ok(site, "db", "copy", "--to", str(target))
    assert result.stdout.splitlines()[-1] == (
        f"Copied 10 rows in 31 tables to sqlite:///{target}; every table's count checked."
    )
    before = {
        cmd: site.json(*cmd.split(), now=NOW)
        for cmd in ("resident list", "visit list", "due --all")
    }

    monkeypatch.setenv("CAREOPS_DB", str(target))

    assert {cmd: site.json(*cmd.split(), now=NOW) for cmd in before} == before
    ok(
        site, "resident", "add", "Li Si", "--unit", "1-102", "--zone", "A"
    )  # ids carry on past the copied rows
    assert [r["id"] for r in site.json("resident", "list", now=NOW)] == [1, 2]


def test_copy_refuses_a_target_that_holds_records(site, tmp_path):
    target = tmp_path / "copy.db"
    ok(site, "db", "copy", "--to", str(target))
    assert refused(site, "db", "copy", "--to", str(target)) == (
        "Error: The target already holds records (staff, zone, party, audit, party_tag, visit, obligation): "
        "copy only into an empty database."
    )


def test_copy_refuses_the_database_it_copies(site, db_url):
    before = site.json("resident", "list", now=NOW)

    assert refused(site, "db", "copy", "--to", db_url) == (
        "Error: The target is the database being copied: give another --to."
    )
    assert site.json("resident", "list", now=NOW) == before

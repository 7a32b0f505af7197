"""Void and audit: a wrong record is voided with its reason and counts for nothing; every write says who."""

from __future__ import annotations

import pytest

from conftest import NOW, ok, refused


@pytest.fixture
def site(cli, monkeypatch):
    monkeypatch.setenv("CAREOPS_USER", "Office Clerk")
    ok(cli, "staff", "add", "Wang Fang", "--role", "butler", now="2026-10-01 09:00")
    ok(cli, "zone", "add", "A", "--butler", "Wang Fang", now="2026-10-01 09:00")
    ok(
        cli,
        "resident",
        "add",
        "Zhang San",
        "--unit",
        "1-101",
        "--zone",
        "A",
        now="2026-10-01 09:00",
    )
    return cli


def monthly_status(cli, now=NOW) -> list[tuple]:
    return [(i["rule"], i["subject"]["id"], i["status"]) for i in cli.json("due", "--all", now=now)]


def test_voided_visit_no_longer_satisfies_the_monthly_visit(site):
    ok(site, "log-visit", "1-101", "--by", "Wang Fang", "--channel", "door", now="2026-11-20 10:00")
    assert monthly_status(site) == []

    result = ok(site, "void", "visit", "1", "--reason", "logged against the wrong unit")

    assert result.stdout == "Voided visit #1: logged against the wrong unit\n"
    assert monthly_status(site) == [("p1-monthly-visit", 1, "overdue")]
    assert site.json("visit", "list", now=NOW) == []


def test_voiding_a_busy_call_cancels_its_callback_and_voiding_a_contact_reopens_one(site):
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
        "2026-11-26 10:00",
        now="2026-11-25 10:00",
    )
    ok(
        site,
        "log-visit",
        "1-101",
        "--by",
        "Wang Fang",
        "--channel",
        "phone",
        now="2026-11-26 10:00",
    )
    assert [i["kind"] for i in site.json("due", "--all", now=NOW)] == []

    reopened = ok(site, "void", "visit", "2", "--reason", "the call never happened")
    assert reopened.stdout == (
        "Voided visit #2: the call never happened\n"
        "Callback #1 is open again (the contact that settled it was voided).\n"
    )
    assert [(i["kind"], i["ref"], i["status"]) for i in site.json("due", "--all", now=NOW)] == [
        ("callback", 1, "overdue"),
        ("cadence", None, "overdue"),
    ]

    cancelled = ok(site, "void", "visit", "1", "--reason", "wrong household")
    assert cancelled.stdout == "Voided visit #1: wrong household\nCallback #1 cancelled.\n"
    assert [i["kind"] for i in site.json("due", "--all", now=NOW)] == ["cadence"]


def test_voided_household_frees_its_unit_and_leaves_every_list(site):
    ok(site, "void", "household", "1", "--reason", "entered twice")
    assert site.json("resident", "list", now=NOW) == []
    assert site.json("due", "--all", now=NOW) == []
    ok(site, "resident", "add", "Zhang San", "--unit", "1-101", "--zone", "A")
    assert [r["id"] for r in site.json("resident", "list", now=NOW)] == [2]


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (
            ("void", "visit", "9", "--reason", "x"),
            1,
            "Error: There is no visit #9. See `careops visit list` or `careops resident list`.",
        ),
        (
            ("void", "visit", "1", "--reason", "  "),
            1,
            "Error: Say why with --reason: a void keeps the record and its reason for the audit.",
        ),
        (
            ("void", "planet", "1", "--reason", "x"),
            2,
            "Error: Invalid value for 'kind': 'planet' is not one of 'visit', 'household', "
            "'resident', 'contact', 'event', 'activity', 'complaint', 'rain', 'interview', "
            "'leave', 'transfer', 'appeal', 'meeting', 'action', 'check', 'survey', 'plan'. "
            "(see `careops void --help`)",
        ),
        (
            ("void", "visit", "one", "--reason", "x"),
            2,
            "Error: Invalid value for 'ID': 'one' is not a number: give the visit's id. "
            "(see `careops void --help`)",
        ),
    ],
)
def test_void_refuses_bad_input_and_writes_nothing(site, argv, code, message):
    ok(site, "log-visit", "1-101", "--by", "Wang Fang", "--channel", "door", now="2026-11-20 10:00")
    before = site.json("history", "1-101", now=NOW)
    assert refused(site, *argv, code=code) == message
    assert site.json("history", "1-101", now=NOW) == before


def test_void_twice_is_refused_with_the_first_reason(site):
    ok(site, "log-visit", "1-101", "--by", "Wang Fang", "--channel", "door", now="2026-11-20 10:00")
    ok(site, "void", "visit", "1", "--reason", "wrong unit")
    assert (
        refused(site, "void", "visit", "1", "--reason", "again")
        == "Error: Visit #1 is void already (wrong unit)."
    )


def test_history_shows_who_did_what_with_void_reasons(site):
    ok(
        site,
        "--as",
        "Wang Fang",
        "log-visit",
        "1-101",
        "--by",
        "Wang Fang",
        "--channel",
        "door",
        now="2026-11-20 10:00",
    )
    ok(site, "resident", "edit", "1-101", "--phone", "13800000000", now="2026-11-21 09:00")
    ok(site, "void", "visit", "1", "--reason", "wrong unit", now="2026-11-22 09:00")

    rows = site.json("history", "1-101", now=NOW)

    assert [
        (r["at"], r["actor"], r["action"], r["kind"], r["record_id"], r["detail"], r["reason"])
        for r in rows
    ] == [
        (
            "2026-10-01T09:00:00+08:00",
            "Office Clerk",
            "add",
            "household",
            1,
            "Zhang San, 1-101 added (occupied; tags -)",
            None,
        ),
        (
            "2026-11-20T10:00:00+08:00",
            "Wang Fang",
            "log",
            "visit",
            1,
            "door visit, reached, 2026-11-20 10:00, by Wang Fang",
            None,
        ),
        (
            "2026-11-21T09:00:00+08:00",
            "Office Clerk",
            "edit",
            "household",
            1,
            "phone: - → 13800000000",
            None,
        ),
        (
            "2026-11-22T09:00:00+08:00",
            "Office Clerk",
            "void",
            "visit",
            1,
            "visit #1 voided",
            "wrong unit",
        ),
    ]


def test_history_of_a_staff_member_and_of_a_voided_household(site):
    ok(site, "void", "household", "1", "--reason", "entered twice", now="2026-11-22 09:00")
    assert [r["action"] for r in site.json("history", "1-101", now=NOW)] == ["add", "void"]
    assert [(r["action"], r["kind"]) for r in site.json("history", "Wang Fang", now=NOW)] == [
        ("add", "staff"),
        ("add", "zone"),
    ]
    assert refused(site, "history", "Nobody") == (
        "Error: No household, contact or staff member matches 'Nobody'. "
        "See `careops resident list` or `careops staff list`."
    )


def test_as_names_a_staff_member_or_is_refused(site):
    assert refused(site, "--as", "Ghost", "zone", "add", "B") == (
        "Error: No staff member matches 'Ghost'. See `careops staff list`, or add them with `careops staff add`."
    )
    assert [z["name"] for z in site.json("zone", "list", now=NOW)] == ["A"]


def test_import_audits_every_household(site, tmp_path):
    path = tmp_path / "more.csv"
    path.write_text("name,unit,zone\nLi Si,1-102,A\nWang Wu,1-103,A\n", "utf-8")
    ok(site, "resident", "import", str(path))
    assert [(r["action"], r["detail"]) for r in site.json("history", "1-103", now=NOW)] == [
        ("import", "Wang Wu, 1-103 imported from more.csv")
    ]

"""CLI: bad input gets one clear `Error:` line on stderr, the right exit code, no traceback, and writes nothing.

Exit 2 for a malformed option value (as Click does), 1 for input that is
well-formed but refused. `CAREOPS_DEBUG=1` shows the traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import NOW, ok

TABLES = ("staff", "zone", "party", "party_tag", "visit", "obligation")


def error_line(result, code: int) -> str:
    """The command failed with `code`, wrote one `Error:` line to stderr and nothing else anywhere."""
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # reported, not crashed
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ") and len(lines[0]) > len("Error: ") + 10
    return lines[0]


@pytest.fixture
def site(cli):
    """Butler Wang Fang (#1), manager Li Hua (#2), zone A; two households, a contact, a visit and a callback."""
    ok(cli, "init")
    ok(cli, "staff", "add", "Wang Fang", "--role", "butler")
    ok(cli, "staff", "add", "Li Hua", "--role", "manager")
    ok(cli, "zone", "add", "A", "--butler", "Wang Fang")
    ok(
        cli,
        "resident",
        "add",
        "Zhang San",
        "--unit",
        "1-1-101",
        "--zone",
        "A",
        "--phone",
        "139",
        now="2026-11-01 09:00",
    )
    ok(
        cli,
        "resident",
        "add",
        "Li Si",
        "--unit",
        "1-1-102",
        "--zone",
        "A",
        "--tag",
        "key",
        now="2026-11-01 09:00",
    )
    ok(cli, "contact", "add", "Chair Qian", "--kind", "committee-chair", now="2026-11-01 09:00")
    ok(
        cli,
        "log-visit",
        "1-1-101",
        "--by",
        "Wang Fang",
        "--channel",
        "door",
        now="2026-11-20 10:00",
    )
    ok(
        cli,
        "log-visit",
        "1-1-102",
        "--by",
        "Wang Fang",
        "--channel",
        "phone",
        "--outcome",
        "busy",
        "--callback",
        "2026-11-28 10:00",
        now="2026-11-26 10:00",
    )
    return cli


def snapshot(cli, db) -> dict:
    """Everything a user can list, plus the raw row count of every table."""
    lists = {
        " ".join(cmd): cli.json(*cmd, now=NOW)
        for cmd in (
            ("zone", "list"),
            ("staff", "list"),
            ("resident", "list"),
            ("contact", "list"),
            ("visit", "list"),
            ("due", "--all"),
            ("resident", "show", "1-1-101"),
            ("resident", "show", "1-1-102"),
        )
    }
    counts = {t: db.count(t) for t in TABLES}
    return {"lists": lists, "counts": counts}


# --- malformed values: exit 2 ---------------------------------------------------------------------

MALFORMED = [
    (
        ["resident", "add", "X", "--unit", "9", "--zone", "A", "--moved-in", "2026/11/01"],
        "'--moved-in'",
    ),
    (
        ["resident", "add", "X", "--unit", "9", "--zone", "A", "--moved-in", "2026-02-30"],
        "'--moved-in'",
    ),
    (["resident", "edit", "1-1-101", "--moved-in", "March"], "'--moved-in'"),
    (
        [
            "log-visit",
            "1-1-101",
            "--by",
            "Wang Fang",
            "--channel",
            "door",
            "--at",
            "2026-11-27 25:00",
        ],
        "'--at'",
    ),
    (
        [
            "log-visit",
            "1-1-101",
            "--by",
            "Wang Fang",
            "--channel",
            "door",
            "--at",
            "27/11/2026 08:00",
        ],
        "'--at'",
    ),
    (
        [
            "log-visit",
            "1-1-101",
            "--by",
            "Wang Fang",
            "--channel",
            "phone",
            "--outcome",
            "busy",
            "--callback",
            "tomorrow",
        ],
        "'--callback'",
    ),
    (
        ["log-visit", "1-1-101", "--by", "Wang Fang", "--channel", "door", "--minutes", "ten"],
        "'--minutes'",
    ),
    (["visit", "list", "--since", "11/01/2026"], "'--since'"),
    (["--now", "yesterday", "due"], "'--now'"),
    (["--now", "2026-13-01 08:00", "zone", "list"], "'--now'"),
    (["staff", "add", "Bob", "--role", "janitor"], "'--role'"),
    (["log-visit", "1-1-101", "--by", "Wang Fang", "--channel", "fax"], "'--channel'"),
    (
        ["log-visit", "1-1-101", "--by", "Wang Fang", "--channel", "door", "--outcome", "maybe"],
        "'--outcome'",
    ),
    (["resident", "add", "X", "--unit", "9", "--zone", "A", "--status", "gone"], "'--status'"),
    (["contact", "add", "Mayor", "--kind", "mayor"], "'--kind'"),
    (["due", "--format", "xml"], "'--format'"),
    (["resident", "add", "X", "--zone", "A"], "'--unit'"),
    (["log-visit", "1-1-101", "--by", "Wang Fang"], "'--channel'"),
    (["due", "--bogus"], "--bogus"),
    (["frobnicate"], "frobnicate"),
]


@pytest.mark.parametrize(
    ("argv", "names"), MALFORMED, ids=[" ".join(argv) for argv, _ in MALFORMED]
)
def test_malformed_value_exits_2_with_one_error_line_and_writes_nothing(site, db, argv, names):
    before = snapshot(site, db)
    line = error_line(site(*argv, now=None if "--now" in argv else NOW), 2)
    assert names in line
    assert line.endswith("--help`)")  # says where to look
    assert snapshot(site, db) == before


def test_malformed_date_says_what_a_good_one_looks_like(site):
    line = error_line(
        site(
            "resident",
            "add",
            "X",
            "--unit",
            "9",
            "--zone",
            "A",
            "--moved-in",
            "2026/11/01",
            now=NOW,
        ),
        2,
    )
    assert line == (
        "Error: Invalid value for '--moved-in': '2026/11/01' is not a date like \"2026-11-27\" "
        "(see `careops resident add --help`)"
    )
    line = error_line(
        site(
            "log-visit",
            "1-1-101",
            "--by",
            "Wang Fang",
            "--channel",
            "door",
            "--at",
            "2026-11-27 25:00",
            now=NOW,
        ),
        2,
    )
    assert line == (
        "Error: Invalid value for '--at': '2026-11-27 25:00' is not a date and time like \"2026-11-27 08:30\" "
        "(see `careops log-visit --help`)"
    )


def test_unknown_role_and_channel_list_the_choices(site):
    line = error_line(site("staff", "add", "Bob", "--role", "janitor"), 2)
    for role in ("butler", "chief-butler", "supervisor", "manager", "health-butler", "dept-head"):
        assert f"'{role}'" in line
    line = error_line(site("log-visit", "1-1-101", "--by", "Wang Fang", "--channel", "fax"), 2)
    assert "'door'" in line and "'phone'" in line


def test_malformed_careops_now_env_exits_2(site, monkeypatch):
    monkeypatch.setenv("CAREOPS_NOW", "2026-11-27 8h30")
    line = error_line(site("due", now=None), 2)
    assert line.startswith(
        "Error: Invalid value for '--now' (env var: 'CAREOPS_NOW'): '2026-11-27 8h30'"
    )


def test_bare_group_shows_help_without_an_empty_error_line(site):
    result = site("resident", now=None)
    assert "Usage: careops resident" in result.output
    assert "Error:" not in result.stderr, "showing help is not an error: no empty `Error:` line"


# --- refused input: exit 1 ------------------------------------------------------------------------

REFUSED = [
    (
        ["resident", "add", "Dup", "--unit", "1-1-101", "--zone", "A", "--tag", "key"],
        "Error: Unit 1-1-101 is already recorded for #1 Zhang San. To change that household: "
        "`careops resident edit #1 …`.",
    ),
    (
        ["resident", "add", "X", "--unit", "9-9-909", "--zone", "Nowhere"],
        "Error: No zone named 'Nowhere'. See `careops zone list`, or add it with `careops zone add Nowhere`.",
    ),
    (
        ["resident", "list", "--zone", "Nowhere"],
        "Error: No zone named 'Nowhere'. See `careops zone list`, or add it with `careops zone add Nowhere`.",
    ),
    (
        ["due", "--zone", "Nowhere"],
        "Error: No zone named 'Nowhere'. See `careops zone list`, or add it with `careops zone add Nowhere`.",
    ),
    (
        ["zone", "edit", "Q", "--butler", "Wang Fang"],
        "Error: No zone named 'Q'. See `careops zone list`, or add it with `careops zone add Q`.",
    ),
    (
        ["resident", "edit", "1-1-101", "--name", "New Name", "--phone", "1", "--zone", "Nowhere"],
        "Error: No zone named 'Nowhere'. See `careops zone list`, or add it with `careops zone add Nowhere`.",
    ),
    (
        ["log-visit", "1-1-101", "--by", "Nobody", "--channel", "door"],
        "Error: No staff member matches 'Nobody'. See `careops staff list`, or add them with `careops staff add`.",
    ),
    (
        ["due", "--staff", "Nobody"],
        "Error: No staff member matches 'Nobody'. See `careops staff list`, or add them with `careops staff add`.",
    ),
    (
        ["visit", "list", "--staff", "Nobody"],
        "Error: No staff member matches 'Nobody'. See `careops staff list`, or add them with `careops staff add`.",
    ),
    (
        ["zone", "edit", "A", "--butler", "Nobody"],
        "Error: No staff member matches 'Nobody'. See `careops staff list`, or add them with `careops staff add`.",
    ),
    (
        ["zone", "add", "B", "--butler", "Nobody"],
        "Error: No staff member matches 'Nobody'. See `careops staff list`, or add them with `careops staff add`.",
    ),
    (
        ["staff", "add", "Chen Jing", "--role", "supervisor", "--reports-to", "Nobody"],
        "Error: No staff member matches 'Nobody'. See `careops staff list`, or add them with `careops staff add`.",
    ),
    (
        ["log-visit", "9-9-909", "--by", "Wang Fang", "--channel", "door"],
        "Error: No resident or contact matches '9-9-909'. See `careops resident list`.",
    ),
    (
        ["resident", "show", "#99"],
        "Error: No resident or contact matches '#99'. See `careops resident list`.",
    ),
    (
        ["resident", "edit", "Nobody", "--phone", "1"],
        "Error: No resident matches 'Nobody'. See `careops resident list`.",
    ),
    (
        ["visit", "list", "--ref", "Nobody"],
        "Error: No resident or contact matches 'Nobody'. See `careops resident list`.",
    ),
    (
        [
            "resident",
            "edit",
            "1-1-101",
            "--name",
            "New Name",
            "--status",
            "not-moved-in",
            "--moved-in",
            "2026-01-01",
        ],
        "Error: A household that has not moved in has no move-in date: drop --moved-in or use --status occupied.",
    ),
    (
        ["resident", "add", "X", "--unit", "9-9-909", "--zone", "A", "--moved-in", "2026-12-01"],
        "Error: The move-in date 2026-12-01 is after today (2026-11-27); record the household as not-moved-in for now.",
    ),
    (
        [
            "log-visit",
            "1-1-101",
            "--by",
            "Wang Fang",
            "--channel",
            "phone",
            "--callback",
            "2026-11-28 10:00",
        ],
        "Error: --callback goes with --outcome busy (or no-answer): a reached party needs no callback.",
    ),
    (
        [
            "log-visit",
            "1-1-102",
            "--by",
            "Wang Fang",
            "--channel",
            "door",
            "--at",
            "2026-11-28 10:00",
        ],
        "Error: --at 2026-11-28 10:00 is later than now (2026-11-27 08:30); log a visit once it has happened.",
    ),
    (
        ["zone", "add", "a"],
        "Error: Zone 'a' exists already. To hand it to another butler: `careops zone edit a --butler NAME`.",
    ),
    (["contact", "add", "  ", "--kind", "committee-chair"], "Error: The name must not be empty."),
    (
        ["demo", "--households", "5"],
        "Error: This database already holds records; build the demo in a new one (--db demo.db).",
    ),
]


@pytest.mark.parametrize(("argv", "expected"), REFUSED, ids=[" ".join(argv) for argv, _ in REFUSED])
def test_refused_input_exits_1_with_one_error_line_and_writes_nothing(site, db, argv, expected):
    before = snapshot(site, db)
    assert error_line(site(*argv, now=NOW), 1) == expected
    assert site(*argv, now=NOW).stdout == ""
    assert snapshot(site, db) == before


def test_duplicate_unit_is_refused_even_with_other_spacing(site):
    assert error_line(
        site("resident", "add", "Dup", "--unit", " 1-1-101 ", "--zone", "A", now=NOW), 1
    ).startswith("Error: Unit 1-1-101 is already recorded for #1 Zhang San.")


def test_a_database_folder_that_does_not_exist(cli, tmp_path):
    missing = tmp_path / "no" / "such" / "careops.db"
    line = error_line(cli("--db", str(missing), "zone", "list"), 1)
    assert (
        line
        == f"Error: The folder {missing.parent} does not exist: create it, or give another --db."
    )
    assert not missing.parent.exists()


def test_a_file_that_is_not_a_database(cli, tmp_path):
    junk = tmp_path / "notes.db"
    junk.write_text("shopping list\n", "utf-8")
    line = error_line(cli("--db", str(junk), "zone", "list"), 1)
    assert (
        line
        == "Error: This file is not a database careops can open (not SQLite): check --db or CAREOPS_DB."
    )
    assert junk.read_text("utf-8") == "shopping list\n"


def test_a_database_of_an_unknown_newer_revision_is_refused(site, db):
    db.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    line = error_line(site("zone", "list", now=NOW), 1)
    assert line == (
        "Error: The database is at schema revision 9999_from_the_future, which this careops does not know: "
        "upgrade careops."
    )


# --- CAREOPS_DEBUG --------------------------------------------------------------------------------


def test_careops_debug_shows_the_traceback(site, monkeypatch):
    monkeypatch.setenv("CAREOPS_DEBUG", "1")
    result = site("resident", "add", "X", "--unit", "9-9-909", "--zone", "Nowhere", now=NOW)
    assert result.exit_code == 1
    assert result.stderr.startswith("Traceback (most recent call last):\n")
    assert "careops.errors.NotFound: no zone named 'Nowhere'." in result.stderr
    assert (
        result.stderr.splitlines()[-1]
        == "Error: No zone named 'Nowhere'. See `careops zone list`, or add it with `careops zone add Nowhere`."
    )


def test_careops_debug_off_by_default(site, monkeypatch):
    monkeypatch.setenv("CAREOPS_DEBUG", "0")
    result = site("resident", "add", "X", "--unit", "9-9-909", "--zone", "Nowhere", now=NOW)
    assert error_line(result, 1).startswith("Error: No zone named")


def test_installed_command_prints_no_traceback(db):
    """The real entry point in a child process, where a traceback would reach the terminal."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREOPS_")} | {
        "CAREOPS_DB": db.where
    }

    def run(*argv: str, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "careops", "--now", NOW, *argv],
            env=env | extra,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert run("init").returncode == 0
    failed = run("resident", "add", "X", "--unit", "1", "--zone", "Nowhere")
    assert (failed.returncode, failed.stdout) == (1, "")
    assert (
        failed.stderr
        == "Error: No zone named 'Nowhere'. See `careops zone list`, or add it with `careops zone add Nowhere`.\n"
    )
    malformed = run("staff", "add", "Bob", "--role", "janitor")
    assert malformed.returncode == 2 and malformed.stderr.startswith(
        "Error: Invalid value for '--role'"
    )
    assert len(malformed.stderr.splitlines()) == 1
    debug = run("resident", "add", "X", "--unit", "1", "--zone", "Nowhere", CAREOPS_DEBUG="1")
    assert debug.returncode == 1 and debug.stderr.startswith("Traceback (most recent call last):")

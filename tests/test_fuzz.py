"""Bad input never hurts: every command, driven with generated arguments, succeeds or says one `Error:` line.

Dates like 2026-02-30 and 24:61, empty and 10,000-character strings, Chinese and emoji, SQL
metacharacters, negative minutes, unknown ids. After every run the database must pass
`careops db check` (integrity, foreign keys, schema revision, no orphaned callbacks).
Four tests of 550 examples each: 2,200 generated cases per run.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import NOW, ok
from fuzzing import fuzz_settings

EXAMPLES = 550
FUZZ = fuzz_settings(EXAMPLES)

weird_text = st.one_of(
    st.just(""),
    st.just(" "),
    st.just("x" * 10_000),
    st.just("张三"),
    st.just("王五 🏠"),
    st.just("'; DROP TABLE party; --"),
    st.just("%_\\"),
    st.just("#999999"),
    st.just("-1"),
    st.just("--help"),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        max_size=40,
    ),
)
dates = st.one_of(
    st.sampled_from(
        [
            "2026-11-20",
            "2026-02-30",
            "2026-13-01",
            "0000-00-00",
            "2026-11-27",
            "9999-12-31",
            "yesterday",
            "",
            "2026/11/20",
        ]
    ),
    weird_text,
)
times = st.one_of(
    st.sampled_from(
        [
            "2026-11-20 10:00",
            "2026-11-20 24:61",
            "2026-11-27 08:30",
            "2026-11-28 10:00",
            "2026-02-30 09:00",
            "1970-01-01 00:00",
            "2026-11-20",
            "",
        ]
    ),
    weird_text,
)
names = st.one_of(st.sampled_from(["Wang Fang", "Zhang San", "1-101", "#1", "1", "A"]), weird_text)
ints = st.one_of(st.integers(-5, 5), st.sampled_from([-1, 0, 99999, 2**40])).map(str)


def opt(flag: str, values) -> st.SearchStrategy:
    return st.one_of(st.just([]), values.map(lambda v: [flag, v]))


def command(*parts) -> st.SearchStrategy:
    return st.tuples(*parts).map(
        lambda pieces: [
            p for piece in pieces for p in (piece if isinstance(piece, list) else [piece])
        ]
    )


writes = st.one_of(
    command(
        st.just("resident"),
        st.just("add"),
        names,
        opt("--unit", names),
        opt("--zone", names),
        opt("--phone", weird_text),
        opt("--status", st.sampled_from(["occupied", "not-moved-in", "gone"])),
        opt("--moved-in", dates),
        opt("--tag", weird_text),
    ),
    command(
        st.just("resident"),
        st.just("edit"),
        names,
        opt("--name", weird_text),
        opt("--unit", names),
        opt("--phone", weird_text),
        opt("--status", st.sampled_from(["occupied", "not-moved-in", "x"])),
        opt("--moved-in", dates),
        opt("--untag", weird_text),
    ),
    command(
        st.just("staff"),
        st.just("add"),
        weird_text,
        opt("--role", st.sampled_from(["butler", "manager", "janitor"])),
        opt("--reports-to", names),
    ),
    command(st.just("zone"), st.sampled_from(["add", "edit"]), names, opt("--butler", names)),
    command(
        st.just("contact"),
        st.just("add"),
        weird_text,
        opt("--kind", st.sampled_from(["committee-chair", "housing-bureau", "x"])),
    ),
)
visits = command(
    st.just("log-visit"),
    names,
    opt("--by", names),
    opt("--channel", st.sampled_from(["door", "phone", "fax"])),
    opt("--at", times),
    opt("--minutes", ints),
    opt("--outcome", st.sampled_from(["reached", "busy", "no-answer", "?"])),
    opt("--callback", times),
    opt("--note", weird_text),
)
voids = command(
    st.just("void"),
    st.sampled_from(["visit", "household", "contact", "planet"]),
    ints,
    opt("--reason", weird_text),
)
reads = st.one_of(
    command(
        st.just("due"),
        opt("--staff", names),
        opt("--zone", names),
        st.sampled_from([[], ["--all"]]),
        opt("--format", st.sampled_from(["table", "json", "csv", "xml"])),
    ),
    command(
        st.just("visit"),
        st.just("list"),
        opt("--ref", names),
        opt("--staff", names),
        opt("--since", dates),
    ),
    command(st.just("resident"), st.just("show"), names),
    command(st.just("history"), names),
    command(st.just("policy"), st.just("explain"), weird_text),
    command(st.just("resident"), st.just("import"), weird_text),
)


@pytest.fixture
def site(cli):
    ok(cli, "staff", "add", "Wang Fang", "--role", "butler")
    ok(cli, "zone", "add", "A", "--butler", "Wang Fang")
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


def survives(cli, argv: list[str]) -> None:
    result = cli(*argv, now=NOW)
    assert "Traceback" not in result.output, (argv, result.output)
    if result.exit_code != 0:
        lines = result.stderr.splitlines()
        assert len(lines) >= 1 and lines[-1].startswith("Error: "), (argv, result.stderr)
        # Only `resident import` lists its bad rows (indented) above the one Error line.
        assert all(line.startswith("  line ") for line in lines[:-1]), (argv, result.stderr)
    check = cli("db", "check", now=NOW)
    assert check.exit_code == 0, (argv, check.output)


@FUZZ
@given(argv=writes)
def test_fuzz_record_commands(site, argv):
    survives(site, argv)


@FUZZ
@given(argv=visits)
def test_fuzz_log_visit(site, argv):
    survives(site, argv)


@FUZZ
@given(argv=st.one_of(voids, reads))
def test_fuzz_void_and_reads(site, argv):
    survives(site, argv)


@FUZZ
@given(argv=st.lists(st.one_of(writes, visits, voids), min_size=1, max_size=3))
def test_fuzz_sequences(site, argv):
    for one in argv:
        survives(site, one)

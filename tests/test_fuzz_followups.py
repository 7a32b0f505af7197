"""Bad input never hurts the follow-ups and the register: generated arguments for `event`, `activity add`, `rain`,
`followup`, `complaint`, `log-visit --for/--purpose/--feedback/--satisfied` and `void event|activity|complaint|rain`
either succeed or say one `Error:` line — never a traceback — and leave a database that passes `careops db check`.

Dates like 2026-02-30 and 24:61, empty and 10,000-character strings, Chinese and emoji, SQL metacharacters,
register numbers of every shape (C-2026-00001, c-2026-1, X-1, #1), unknown and negative ids, steps out of order.
Two tests of 300 (`ci` profile) examples each; the state left by one example is the next one's
starting point, so steps meet matters in every state.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import NOW, ok
from fuzzing import command, flag, fuzz_settings, opt, rarely, repeated, usually

EXAMPLES = 300
FUZZ = fuzz_settings(EXAMPLES)

weird_text = st.one_of(
    st.just(""),
    st.just(" "),
    st.just("x" * 10_000),
    st.just("张三"),
    st.just("王五 🏠"),
    st.just("'; DROP TABLE complaint; --"),
    st.just("%_\\"),
    st.just("#999999"),
    st.just("-1"),
    st.just("--help"),
    st.just("C-2026-00001"),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        max_size=40,
    ),
)
dates = st.one_of(
    st.sampled_from(
        [
            "2026-11-26",
            "2026-11-27",
            "2026-11-28",
            "2026-12-05",
            "2026-02-30",
            "2026-13-01",
            "0000-00-00",
            "9999-12-31",
            "2026-11-20",
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
            "2026-11-26 23:00",
            "2026-11-27 08:00",
            "2026-11-27 08:30",
            "2026-11-27 09:00",
            "2026-11-20 24:61",
            "2026-02-30 09:00",
            "1970-01-01 00:00",
            "2026-11-20",
            "",
        ]
    ),
    weird_text,
)


def mostly(good, *bad) -> st.SearchStrategy:
    """`good` three times in four (a plain one_of would not keep to that): enough commands get far enough to write."""
    worse = st.one_of(*bad)
    return st.tuples(st.sampled_from([True, True, True, False]), good, worse).map(
        lambda t: t[1] if t[0] else t[2]
    )


refs = mostly(
    st.sampled_from(["1-101", "1-102", "Zhang San", "Li Si", "#1", "1", "2", "Chair Qian"]),
    st.one_of(st.just("Nobody"), weird_text),
)
staff = mostly(
    st.sampled_from(["Wang Fang", "Xu Mei", "Ma Gang", "Li Hua", "Dr Sun", "#1", "3"]),
    st.one_of(st.just("Nobody"), weird_text),
)
ids = mostly(st.integers(1, 12), st.sampled_from([0, -1, 99999, 2**40])).map(str)
numbers = mostly(
    st.sampled_from(
        ["C-2026-00001", "C-2026-00002", "c-2026-00003", "1", "2", "3", "#1", "C-2026-1"]
    ),
    st.sampled_from(["X-1", "", "C-2026-99999", "0", "-1", "C-2025-00001"]),
    weird_text,
)
kinds = mostly(
    st.sampled_from(
        [
            "move-in",
            "commission-done",
            "emergency-repair",
            "leak-repair",
            "wedding",
            "bereavement",
            "pregnancy",
            "birth",
            "fee-arrears",
            "new-service",
            "MOVE-IN",
        ]
    ),
    st.sampled_from(["activity", "complaint-resolved", "party", ""]),
    weird_text,
)
rules = mostly(
    st.sampled_from(
        ["P4.4", "p4.6", "leak-repair", "wedding", "complaint-revisit", "P4.8", "P5.1", "P4.5"]
    ),
    st.sampled_from(["p1-monthly-visit", "nope"]),
    weird_text,
)
depts = mostly(st.sampled_from(["engineering", "Engineering", "security"]), st.just(""), weird_text)
texts = mostly(st.sampled_from(["done", "技术员已到", "called back, all fine"]), weird_text)
past = mostly(
    st.sampled_from(
        ["2026-11-26 23:00", "2026-11-27 08:00", "2026-11-27 08:30", "2026-11-20 09:00"]
    ),
    times,
)
days = mostly(st.sampled_from(["2026-11-26", "2026-11-27", "2026-12-05", "2026-11-20"]), dates)
formats = st.sampled_from(
    [[], ["--format", "json"], ["--format", "csv"], ["--format", "table"], ["--format", "xml"]]
)


happenings = (
    command(st.just("event"), refs, kinds, opt("--at", past), opt("--note", weird_text)),
    command(st.just("resident"), st.just("move-in"), refs, opt("--date", days)),
    command(st.just("activity"), st.just("add"), texts, usually("--date", days)),
    command(st.just("rain"), st.one_of(st.just([]), days.map(lambda d: [d]))),
)
followups = (
    command(
        st.just("followup"),
        st.just("list"),
        flag("--open"),
        opt("--rule", rules),
        opt("--staff", staff),
        opt("--ref", refs),
        formats,
    ),
    command(st.just("followup"), st.just("show"), ids, formats),
    command(st.just("followup"), st.just("cancel"), ids, usually("--reason", texts)),
    command(st.just("followup"), st.just("done"), ids, usually("--note", texts)),
)
register = (
    command(
        st.just("complaint"),
        st.just("open"),
        st.one_of(st.just([]), refs.map(lambda r: [r])),
        opt(
            "--from",
            mostly(
                st.sampled_from(["Li Na 13800001111", "Mr Gao", "王五 139-0000-1234"]), weird_text
            ),
        ),
        usually("--summary", texts),
        usually(
            "--channel",
            mostly(
                st.sampled_from(["hotline", "letter", "box", "visit", "walk-in"]), st.just("fax")
            ),
        ),
        opt(
            "--kind",
            mostly(
                st.sampled_from(["complaint", "suggestion", "inquiry", "praise", "feedback"]),
                st.just("rumour"),
            ),
        ),
        opt("--severity", mostly(st.sampled_from(["urgent", "general", "major"]), st.just("mild"))),
        opt("--at", past),
    ),
    command(
        st.just("complaint"),
        st.just("route"),
        numbers,
        usually("--dept", depts),
        opt("--handler", staff),
    ),
    command(
        st.just("complaint"),
        st.sampled_from(["answer", "resolve"]),
        numbers,
        usually("--note", texts),
    ),
    command(
        st.just("complaint"), st.just("close"), numbers, flag("--archive"), opt("--summary", texts)
    ),
    command(st.just("complaint"), st.just("reopen"), numbers, usually("--reason", texts)),
    command(
        st.just("complaint"),
        st.just("escalate"),
        numbers,
        usually("--to", staff),
        usually("--note", texts),
    ),
    command(st.just("complaint"), st.just("cohandle"), numbers, usually("--dept", depts)),
    command(st.just("complaint"), st.just("chase"), numbers, opt("--note", texts)),
    command(
        st.just("complaint"),
        st.just("list"),
        flag("--open"),
        flag("--overdue"),
        opt("--dept", depts),
        formats,
    ),
    command(st.just("complaint"), st.just("show"), numbers, flag("--show-phone"), formats),
)
visits = command(
    st.just("log-visit"),
    refs,
    repeated("--by", staff, 1, 3),
    usually("--channel", mostly(st.sampled_from(["door", "phone"]), st.just("fax"))),
    opt("--at", past),
    rarely("--outcome", st.sampled_from(["reached", "busy", "no-answer"])),
    rarely("--callback", times),
    repeated("--for", ids, 0, 2),
    repeated("--purpose", rules, 0, 1),
    rarely("--feedback", texts),
    flag("--urgent"),
    flag("--answered"),
    rarely("--satisfied", st.sampled_from(["yes", "no", "maybe"])),
)
voids = command(
    st.just("void"),
    st.sampled_from(["event", "activity", "complaint", "rain"]),
    st.one_of(ids, numbers, days),
    usually("--reason", texts),
)
# Each command shape equally likely (a plain one_of favours some branches over others).
anything = st.sampled_from(
    [*happenings, *followups, *register, visits, visits, visits, voids, voids]
).flatmap(lambda s: s)


@pytest.fixture
def site(cli):
    """Something of everything at NOW: an open wedding follow-up (#1), a leak repair waiting for rain (#2), an
    activity's invitation (#3), a resolved complaint's revisit (#4, C-2026-00001) and an unrouted call
    (C-2026-00002, from a caller with a phone)."""
    then = "2026-10-01 09:00"
    ok(cli, "staff", "add", "Wang Fang", "--role", "butler", now=then)
    ok(cli, "staff", "add", "Xu Mei", "--role", "office", now=then)
    ok(cli, "staff", "add", "Ma Gang", "--role", "dept-head", "--dept", "engineering", now=then)
    ok(cli, "staff", "add", "Li Hua", "--role", "manager", now=then)
    ok(cli, "staff", "add", "Dr Sun", "--role", "health-butler", now=then)
    ok(cli, "zone", "add", "A", "--butler", "Wang Fang", now=then)
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
        now=then,
    )
    ok(
        cli,
        "resident",
        "add",
        "Li Si",
        "--unit",
        "1-102",
        "--zone",
        "A",
        "--status",
        "not-moved-in",
        now=then,
    )
    ok(cli, "contact", "add", "Chair Qian", "--kind", "committee-chair", now=then)
    ok(cli, "event", "1-101", "wedding", "--at", "2026-11-26 10:00", now="2026-11-26 10:00")
    ok(cli, "event", "1-101", "leak-repair", "--at", "2026-11-26 11:00", now="2026-11-26 11:00")
    ok(cli, "activity", "add", "Lantern evening", "--date", "2026-12-05", now="2026-11-26 12:00")
    ok(
        cli,
        "complaint",
        "open",
        "1-101",
        "--channel",
        "hotline",
        "--summary",
        "water stain",
        now="2026-11-26 13:00",
    )
    ok(cli, "complaint", "route", "1", "--dept", "engineering", now="2026-11-26 13:10")
    ok(cli, "complaint", "resolve", "1", "--note", "sealed", now="2026-11-26 16:00")
    ok(
        cli,
        "complaint",
        "open",
        "--from",
        "Li Na 13800001111",
        "--channel",
        "hotline",
        "--summary",
        "lift stuck",
        "--severity",
        "urgent",
        now="2026-11-27 08:00",
    )
    return cli


def survives(cli, argv: list[str]) -> None:
    result = cli(*argv, now=NOW)
    assert "Traceback" not in result.output, (argv, result.output)
    assert result.exit_code in (0, 1, 2), (argv, result.exit_code, result.output)
    if result.exit_code != 0:
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), (argv, result.stderr)
    check = cli("db", "check", now=NOW)
    assert check.exit_code == 0, (argv, check.output)


@FUZZ
@given(argv=anything)
def test_fuzz_followup_and_register_commands(site, argv):
    survives(site, argv)


@FUZZ
@given(argv=st.lists(anything, min_size=1, max_size=4))
def test_fuzz_followup_and_register_sequences(site, argv):
    for one in argv:
        survives(site, one)

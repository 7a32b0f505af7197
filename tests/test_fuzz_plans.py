"""Bad and odd input never hurts the visit plans (P1): generated `plan month|show|approve|year`, `void plan` and
`due` command lines — months, years, staff and supervisors as text of every shape, Chinese included — either
succeed (exit 0, anything on stderr a `Note:`) or are refused with one `Error:` line, exit 1 or 2, nothing on
stdout and nothing written, never a traceback; and leave plans that keep their rules: one live plan per butler
and month, approved only by the supervisor, every item on a working day of its month, no phone call on a Monday.

Two tests of 60 (`ci` profile) examples; the state one example leaves is the next one's
start, so commands meet months not drafted, drafted, approved and voided.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from careops.calendar.workdays import WorkCalendar

from conftest import NOW, ok
from fuzzing import command, fuzz_settings, opt, survived, usually

EXAMPLES = 60
FUZZ = fuzz_settings(EXAMPLES)
SEQUENCES = fuzz_settings(EXAMPLES // 2)

TABLES = ("staff", "party", "zone", "visit", "visit_plan", "visit_plan_item", "audit")
THEN = "2026-10-12 09:00"

weird_text = st.one_of(
    st.just(""),
    st.just(" "),
    st.just(" \t\n "),
    st.just("x" * 10_000),
    st.just("王芳 🏠"),
    st.just("管家部主管"),
    st.just("'; DROP TABLE visit_plan; --"),
    st.just("%_\\"),
    st.just("#999999"),
    st.just("#0"),
    st.just("-1"),
    st.just("--help"),
    st.just("\u200b"),
    st.just("ｗａｎｇ　ｆａｎｇ"),
    st.just("二〇二六"),
    st.just("99999999999999999999"),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        max_size=40,
    ),
)


def mostly(good, *bad) -> st.SearchStrategy:
    """`good` three times in four: enough commands get far enough to write."""
    worse = st.one_of(*bad)
    return st.tuples(st.sampled_from([True, True, True, False]), good, worse).map(
        lambda t: t[1] if t[0] else t[2]
    )


staff = mostly(
    st.sampled_from(["王芳", "赵磊", "陈静", "李华", "Wang Li", "#1", "2", "#3", "王芳 "]),
    st.one_of(st.just("Nobody"), weird_text),
)
supervisors = mostly(
    st.sampled_from(["陈静", "#3", "3", "王芳", "李华"]), st.one_of(st.just("Nobody"), weird_text)
)
# A month or year beyond 2199 is a known bug
# (test_cli_office: test_a_month_beyond_the_years_careops_takes_is_a_usage_error).
months = mostly(
    st.sampled_from(
        [
            "2026-11",
            "2026-12",
            "2026-12",
            "2027-01",
            "2027-02",
            "2026-10",
            "2025-12",
            "2199-12",
            "1900-01",
        ]
    ),
    st.sampled_from(
        [
            "2026-13",
            "2026-1",
            "2026-00",
            "11",
            "",
            "2026-11-01",
            "2026/11",
            "二〇二六-十一",
            "２０２６-１１",
            " 2026-12 ",
        ]
    ),
    weird_text,
)
years = mostly(
    st.sampled_from(["2026", "2027", "2025", "1900", "2199"]),
    st.sampled_from(
        [
            "abc",
            "",
            "0",
            "-2026",
            "2026.0",
            "2200",
            "1899",
            "二〇二六",
            "２０２６",
            "99999999999999999999",
            " 2026 ",
        ]
    ),
    weird_text,
)
# The plan to approve: a month three times in six, a year, both, or neither.
periods = st.sampled_from(["month", "month", "month", "year", "both", "none"]).flatmap(
    lambda how: {
        "month": months.map(lambda m: ["--month", m]),
        "year": years.map(lambda y: ["--year", y]),
        "both": st.tuples(months, years).map(lambda t: ["--month", t[0], "--year", t[1]]),
        "none": st.just([]),
    }[how]
)
ids = mostly(
    st.integers(1, 6).map(str),
    st.sampled_from(
        ["0", "-1", "99999", "2147483648", "99999999999999999999", "#1", "one", "", "1.5", "²"]
    ),
)
texts = mostly(st.sampled_from(["wrong month", "重新安排", "drafted twice 👍"]), weird_text)
formats = st.sampled_from(
    [
        [],
        ["--format", "json"],
        ["--format", "csv"],
        ["--format", "table"],
        ["--format", "ics"],
        ["--format", "xml"],
    ]
)
plain_formats = st.sampled_from(
    [[], ["--format", "json"], ["--format", "csv"], ["--format", "ics"]]
)
nows = st.sampled_from([NOW, NOW, NOW, "2026-12-01 09:00", "2027-01-05 09:00", "2026-10-31 10:00"])

plan_commands = (
    command(st.just("plan"), st.just("month"), opt("--staff", staff), opt("--month", months)),
    command(
        st.just("plan"), st.just("show"), opt("--staff", staff), opt("--month", months), formats
    ),
    command(
        st.just("plan"),
        st.just("approve"),
        usually("--staff", staff),
        usually("--by", supervisors),
        periods,
    ),
    command(
        st.just("plan"),
        st.just("year"),
        usually("--staff", staff),
        opt("--year", years),
        plain_formats,
    ),
    command(st.just("void"), st.just("plan"), ids, usually("--reason", texts)),
    command(st.just("due"), opt("--staff", staff), plain_formats),
)
# Each command shape equally likely (a plain one_of favours some branches over others).
anything = st.tuples(st.sampled_from(plan_commands).flatmap(lambda s: s), nows)


def counts(db) -> tuple:
    (row,) = db.rows("SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in TABLES))
    return row


@pytest.fixture
def estate(cli):
    """A Chinese estate: butlers 王芳 (#1, zone 东区: 张三, 李四, 孙丽, and 吴军 not moved in) and 赵磊 (#2, zone 西区:
    周敏), supervisor 陈静 (#3), manager 李华 (#4, no zone), butler Wang Li (#5, no zone). 王芳's November plan (#1)
    is approved; 赵磊's is a draft (#2)."""
    c = cli
    ok(c, "staff", "add", "王芳", "--role", "butler", now=THEN)
    ok(c, "staff", "add", "赵磊", "--role", "butler", now=THEN)
    ok(c, "staff", "add", "陈静", "--role", "supervisor", now=THEN)
    ok(c, "staff", "add", "李华", "--role", "manager", now=THEN)
    ok(c, "staff", "add", "Wang Li", "--role", "butler", now=THEN)
    ok(c, "zone", "add", "东区", "--butler", "王芳", now=THEN)
    ok(c, "zone", "add", "西区", "--butler", "赵磊", now=THEN)
    for name, unit in (("张三", "1-1-101"), ("李四", "1-1-102"), ("孙丽", "1-1-103")):
        ok(c, "resident", "add", name, "--unit", unit, "--zone", "东区", now=THEN)
    ok(
        c,
        "resident",
        "add",
        "吴军",
        "--unit",
        "1-1-104",
        "--zone",
        "东区",
        "--status",
        "not-moved-in",
        now=THEN,
    )
    ok(c, "resident", "add", "周敏", "--unit", "2-1-101", "--zone", "西区", now=THEN)
    ok(
        c,
        "log-visit",
        "1-1-101",
        "--by",
        "王芳",
        "--at",
        "2026-10-20 10:00",
        "--channel",
        "door",
        now="2026-10-20 10:00",
    )
    ok(c, "plan", "month", "--month", "2026-11", now="2026-10-28 09:00")
    ok(
        c,
        "plan",
        "approve",
        "--staff",
        "王芳",
        "--month",
        "2026-11",
        "--by",
        "陈静",
        now="2026-10-29 09:00",
    )
    return c


def survives(cli, db, argv: list[str], now: str) -> None:
    before = counts(db)
    result = cli(*argv, now=now)
    survived(result, argv, before=before, after=lambda: counts(db), notes=("Note: ",))


def checked(cli, db) -> None:
    check = cli("db", "check", now=NOW)
    assert check.exit_code == 0, check.output
    # One live plan per butler and period.
    assert (
        db.rows(
            "SELECT staff_id, period, first_day FROM visit_plan WHERE voided_at IS NULL "
            "GROUP BY staff_id, period, first_day HAVING count(*) > 1"
        )
        == []
    )
    # Approved only by the supervisor; a plan belongs to a butler who owns a zone.
    assert (
        db.rows(
            "SELECT p.id FROM visit_plan p JOIN staff s ON s.id = p.approved_by_id "
            "WHERE s.role != 'supervisor'"
        )
        == []
    )
    assert (
        db.rows("SELECT id FROM visit_plan WHERE (approved_at IS NULL) != (approved_by_id IS NULL)")
        == []
    )
    assert (
        db.rows("SELECT id FROM visit_plan WHERE staff_id NOT IN (SELECT butler_id FROM zone)")
        == []
    )
    # Every item on a working day of its plan's month, phone calls never on a Monday (P3).
    calendar = WorkCalendar()
    for first, day, channel in db.rows(
        "SELECT p.first_day, i.day, i.channel FROM visit_plan_item i "
        "JOIN visit_plan p ON p.id = i.plan_id"
    ):
        first, day = _day(first), _day(day)
        assert (day.year, day.month) == (first.year, first.month), (first, day)
        assert calendar.is_working_day(day), day
        assert not (channel == "phone" and day.weekday() == 0), day


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


@FUZZ
@given(example=anything)
def test_fuzz_plan_commands(estate, db, example):
    argv, now = example
    survives(estate, db, argv, now)
    checked(estate, db)


@SEQUENCES
@given(examples=st.lists(anything, min_size=1, max_size=4))
def test_fuzz_plan_sequences(estate, db, examples):
    for argv, now in examples:
        survives(estate, db, argv, now)
    checked(estate, db)


# --- odd but well-formed input, every time ---------------------------------------------------------------


def test_a_chinese_estate_end_to_end(estate):
    assert ok(estate, "plan", "month", "--staff", "赵磊", "--month", "2026-12").stdout == (
        "Drafted plan #3 for 赵磊, 2026-12: 1 household over 23 working days (longest-uncontacted first). "
        "Approve: `careops plan approve --staff 赵磊 --month 2026-12 --by SUPERVISOR`.\n"
    )
    assert ok(
        estate, "plan", "approve", "--staff", "赵磊", "--month", "2026-12", "--by", "陈静"
    ).stdout == ("Approved 赵磊's visit plan for 2026-12 (#3), by 陈静.\n")
    shown = estate.json("plan", "show", "--staff", "王芳", "--month", "2026-11", now=NOW)
    assert [(d["name"], d["day"], d["channel"], d["status"]) for d in shown["days"]] == [
        # 21 working days, 4 households: days 0, 5, 10, 15 (2, 9, 16, 23 November, all Mondays). 吴军's call is
        # never on a Monday: the least-loaded day from the 16th on, the 17th; 张三 (contacted in October) last.
        ("李四", "2026-11-02", "door", "missed"),
        ("孙丽", "2026-11-09", "door", "missed"),
        ("张三", "2026-11-16", "door", "missed"),
        ("吴军", "2026-11-17", "phone", "missed"),
    ]


@pytest.mark.parametrize(
    "argv",
    [
        ("plan", "month", "--staff", "x" * 10_000),
        ("plan", "month", "--staff", "'; DROP TABLE visit_plan; --", "--month", "2026-12"),
        ("plan", "month", "--month", "1900-01"),
        ("plan", "month", "--month", "2199-12", "--staff", "王芳"),
        ("plan", "show", "--staff", "王芳", "--month", "2199-12", "--format", "ics"),
        ("plan", "show", "--month", "2026-11", "--format", "ics"),
        ("plan", "show", "--month", "2026-11", "--format", "csv"),
        ("plan", "approve", "--staff", "王芳", "--year", "2199", "--by", "陈静"),
        ("plan", "approve", "--staff", "王芳", "--year", "1900", "--by", "陈静"),
        ("plan", "approve", "--staff", "王芳", "--year", "2200", "--by", "陈静"),
        (
            "plan",
            "approve",
            "--staff",
            "赵磊",
            "--month",
            "2026-11",
            "--by",
            "#99999999999999999999",
        ),
        ("plan", "approve", "--staff", "#2147483648", "--month", "2026-11", "--by", "陈静"),
        ("plan", "year", "--staff", "王芳", "--year", "1900"),
        ("plan", "year", "--staff", "Wang Li"),
        ("plan", "year", "--staff", "王芳", "--year", "99999999999999999999"),
        ("void", "plan", "99999999999999999999", "--reason", "x"),
        ("void", "plan", "1", "--reason", "x" * 10_000),
        ("due", "--staff", "陈静", "--format", "ics"),
    ],
)
def test_odd_input_is_refused_plainly_or_done(estate, db, argv):
    survives(estate, db, list(argv), NOW)
    checked(estate, db)

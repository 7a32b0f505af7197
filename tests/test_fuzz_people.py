"""Bad and odd input never hurts employee relations: generated arguments for `staff`, `interview`, E2.2 `event`s,
`leave`, `transfer`, `appeal`, `void interview|leave|transfer|appeal` and `due --staff` either succeed (exit 0,
anything on stderr a `Warning:`) or are refused with one `Error:` line, exit 1 or 2, nothing on stdout and nothing
written — never a traceback — and leave a database that passes `careops db check`.

Dates like 2026-02-30 and 24:61, minutes of 0, -1, 1441 and 2**40, empty and 10,000-character strings, Chinese
and emoji, SQL metacharacters, ids of every shape (#1, 0, -1, 2**40, twenty digits), unknown staff, a reporting
line bent into a loop, steps out of order. Two tests of 80 (`ci` profile) examples; the
state left by one example is the next one's starting point, so steps meet cases and appeals in every state.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import NOW, ok
from fuzzing import command, flag, fuzz_settings, opt, repeated, usually

EXAMPLES = 80
FUZZ = fuzz_settings(EXAMPLES)
SEQUENCES = fuzz_settings(EXAMPLES // 2)

TABLES = (
    "staff",
    "interview",
    "event",
    "leave_case",
    "leave_step",
    "appeal",
    "appeal_step",
    "appeal_person",
    "audit",
)
THEN = "2026-01-05 09:00"

weird_text = st.one_of(
    st.just(""),
    st.just(" "),
    st.just("x" * 10_000),
    st.just("张伟"),
    st.just("王芳 🏢"),
    st.just("'; DROP TABLE staff; --"),
    st.just("%_\\"),
    st.just("#999999"),
    st.just("-1"),
    st.just("--help"),
    st.just("Robert'); DELETE FROM appeal;--"),
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
    st.sampled_from(
        ["张伟", "王芳", "李娜", "刘洋", "陈静", "HR Sun", "GM Qian", "Ma Lan", "#1", "2", "#4"]
    ),
    st.one_of(st.just("Nobody"), weird_text),
)
ids = mostly(
    st.integers(1, 6).map(str),
    st.sampled_from(
        ["0", "-1", "99999", str(2**40), "99999999999999999999", "#1", "one", "", "1.5"]
    ),
)
minutes = mostly(
    st.sampled_from(["120", "119", "30", "1", "1440", "150"]),
    st.sampled_from(["0", "-1", "1441", str(2**40), "abc", "", "２"]),
)
days = mostly(
    st.sampled_from(["2026-11-20", "2026-11-27", "2026-12-31", "2027-01-15", "2026-01-04"]),
    st.sampled_from(
        ["2026-02-30", "2026-13-01", "0000-00-00", "9999-12-31", "yesterday", "", "2026/12/31"]
    ),
    weird_text,
)
times = mostly(
    st.sampled_from(
        ["2026-11-26 23:00", "2026-11-27 08:00", "2026-11-27 08:30", "2026-03-02 10:00"]
    ),
    st.sampled_from(
        [
            "2026-11-27 09:00",
            "2026-11-20 24:61",
            "2026-02-30 09:00",
            "1970-01-01 00:00",
            "2026-11-20",
            "",
            "2099-01-01 00:00",
        ]
    ),
    weird_text,
)
texts = mostly(
    st.sampled_from(["done", "工作交接完毕", "shift plan changed", "薪资调整"]), weird_text
)
depts = mostly(st.sampled_from(["sales", "市场部", "Marketing"]), st.just(""), weird_text)
roles = mostly(
    st.sampled_from(["employee", "hr", "gm", "union", "chairman", "dept-head", "manager"]),
    st.sampled_from(["boss", "", "HR"]),
)
interview_kinds = mostly(
    st.sampled_from(
        [
            "one-to-one",
            "probation",
            "pay-change",
            "transfer",
            "appraisal",
            "career",
            "resignation",
            "exit",
        ]
    ),
    st.sampled_from(["chat", "", "ONE-TO-ONE"]),
)
event_kinds = mostly(
    st.sampled_from(["pay-change", "transfer", "appraisal", "career", "resignation", "Pay-Change"]),
    st.sampled_from(["wedding", "promotion", ""]),
)
steps = mostly(
    st.sampled_from(["handover", "audit", "final-pay", "exit-interview"]),
    st.sampled_from(["retire", ""]),
)
formats = st.sampled_from(
    [[], ["--format", "json"], ["--format", "csv"], ["--format", "table"], ["--format", "xml"]]
)
viewers = st.one_of(st.just([]), st.just([]), staff.map(lambda s: ["--as", s]))


people = (
    command(
        st.just("staff"),
        st.just("add"),
        texts,
        opt("--role", roles),
        opt("--dept", depts),
        opt("--reports-to", staff),
        opt("--hired", days),
        opt("--probation-ends", days),
        opt("--contract-ends", days),
        flag("--key-position"),
        opt("--email", mostly(st.just("a@example.com"), weird_text)),
    ),
    command(
        st.just("staff"),
        st.just("edit"),
        staff,
        opt("--role", roles),
        opt("--dept", depts),
        opt("--reports-to", staff),
        opt("--contract-ends", days),
        opt("--probation-ends", days),
        st.sampled_from([[], [], ["--key-position"], ["--no-key-position"]]),
        opt("--email", mostly(st.just("b@example.com"), weird_text)),
    ),
    command(st.just("staff"), st.just("show"), staff, formats),
    command(
        st.just("interview"),
        st.just("log"),
        staff,
        usually("--by", staff),
        usually("--kind", interview_kinds),
        usually("--minutes", minutes),
        opt("--at", times),
        opt("--note", texts),
    ),
    command(
        st.just("interview"),
        st.just("list"),
        opt("--employee", staff),
        opt("--by", staff),
        opt("--kind", interview_kinds),
        opt("--year", st.sampled_from(["2026", "1800", "abc"])),
        formats,
    ),
    command(st.just("event"), staff, event_kinds, opt("--at", times), opt("--note", texts)),
)
leaving = (
    command(
        st.just("leave"),
        st.just("start"),
        staff,
        usually("--last-day", days),
        opt("--reason", texts),
        opt("--exit-interview-by", mostly(st.sampled_from(["hr", "manager"]), st.just("union"))),
    ),
    command(st.just("leave"), st.just("step"), ids, steps, opt("--note", texts)),
    command(
        st.just("leave"),
        st.sampled_from(["list", "show"]),
        st.one_of(st.just([]), ids.map(lambda i: [i])),
        flag("--open"),
        formats,
    ),
    command(
        st.just("transfer"),
        st.just("start"),
        staff,
        usually("--to-dept", depts),
        opt("--on", days),
        opt("--reason", texts),
    ),
)
appeals = (
    command(
        viewers,
        st.just("appeal"),
        st.just("file"),
        staff,
        usually("--to", staff),
        usually("--channel", mostly(st.sampled_from(["in-person", "written"]), st.just("fax"))),
        flag("--signed"),
        flag("--signed"),
        usually("--summary", texts),
        opt(
            "--grounds",
            mostly(st.sampled_from(["interests", "measure", "breach"]), st.just("rumour")),
        ),
        opt("--at", times),
    ),
    command(
        viewers,
        st.just("appeal"),
        st.just("investigate"),
        ids,
        usually("--note", texts),
        repeated("--with", staff, 0, 2),
    ),
    command(viewers, st.just("appeal"), st.just("decide"), ids, usually("--decision", texts)),
    command(
        viewers,
        st.just("appeal"),
        st.just("notify"),
        ids,
        usually("--to", mostly(st.sampled_from(["appellant", "gm", "hr"]), st.just("union"))),
        usually("--via", mostly(st.sampled_from(["written", "email"]), st.just("fax"))),
        opt("--at", times),
    ),
    command(viewers, st.just("appeal"), st.just("escalate"), ids, opt("--note", texts)),
    command(
        viewers,
        st.just("appeal"),
        st.sampled_from(["list", "show"]),
        st.one_of(st.just([]), ids.map(lambda i: [i])),
        flag("--open"),
        formats,
    ),
)
voids = command(
    st.just("void"),
    st.sampled_from(["interview", "leave", "transfer", "appeal"]),
    ids,
    usually("--reason", texts),
)
due = command(viewers, st.just("due"), opt("--staff", staff), flag("--all"), formats)
# Each command shape equally likely (a plain one_of favours some branches over others).
anything = st.sampled_from([*people, *leaving, *appeals, voids, voids, due]).flatmap(lambda s: s)


def counts(db) -> tuple:
    (row,) = db.rows("SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in TABLES))
    return row


@pytest.fixture
def company(cli, monkeypatch):
    """A Chinese company at NOW: 张伟 (#1, chairman) ← GM Qian (#2, gm) ← HR Sun (#3, hr) and 王芳 (#4, dept-head,
    销售) ← 李娜 (#5: probation, contract ending) and 刘洋 (#6, key position); 陈静 (#7) reports to 李娜; union rep
    Ma Lan (#8). Open: 刘洋's leaving case #1, a transfer of 陈静 (#2), 李娜's appeal #1 to 王芳 (decided, the
    appellant told), 陈静's appeal #2 to HR Sun, a one-to-one and an exit interview."""
    monkeypatch.setenv("CAREOPS_USER", "Office Clerk")
    ok(cli, "staff", "add", "张伟", "--role", "chairman", now=THEN)
    ok(cli, "staff", "add", "GM Qian", "--role", "gm", "--reports-to", "张伟", now=THEN)
    ok(cli, "staff", "add", "HR Sun", "--role", "hr", "--reports-to", "GM Qian", now=THEN)
    ok(
        cli,
        "staff",
        "add",
        "王芳",
        "--role",
        "dept-head",
        "--dept",
        "销售",
        "--reports-to",
        "GM Qian",
        now=THEN,
    )
    ok(
        cli,
        "staff",
        "add",
        "李娜",
        "--dept",
        "销售",
        "--reports-to",
        "王芳",
        "--hired",
        "2026-06-01",
        "--probation-ends",
        "2026-12-04",
        "--contract-ends",
        "2026-12-20",
        now=THEN,
    )
    ok(
        cli,
        "staff",
        "add",
        "刘洋",
        "--dept",
        "销售",
        "--reports-to",
        "王芳",
        "--key-position",
        now=THEN,
    )
    ok(cli, "staff", "add", "陈静", "--dept", "销售", "--reports-to", "李娜", now=THEN)
    ok(cli, "staff", "add", "Ma Lan", "--role", "union", now=THEN)
    ok(
        cli,
        "interview",
        "log",
        "李娜",
        "--by",
        "王芳",
        "--kind",
        "one-to-one",
        "--minutes",
        "120",
        now="2026-11-20 10:00",
    )
    ok(cli, "leave", "start", "刘洋", "--last-day", "2026-12-31", now="2026-11-20 11:00")
    ok(
        cli,
        "interview",
        "log",
        "刘洋",
        "--by",
        "HR Sun",
        "--kind",
        "exit",
        "--minutes",
        "40",
        now="2026-11-21 10:00",
    )
    ok(cli, "transfer", "start", "陈静", "--to-dept", "市场部", now="2026-11-23 10:00")
    ok(cli, "event", "李娜", "pay-change", now="2026-11-24 10:00")
    ok(
        cli,
        "appeal",
        "file",
        "李娜",
        "--to",
        "王芳",
        "--channel",
        "written",
        "--signed",
        "--grounds",
        "measure",
        "--summary",
        "排班不公",
        now="2026-11-24 11:00",
    )
    ok(cli, "appeal", "decide", "1", "--decision", "排班已调整", now="2026-11-25 10:00")
    ok(
        cli,
        "appeal",
        "notify",
        "1",
        "--to",
        "appellant",
        "--via",
        "written",
        now="2026-11-25 11:00",
    )
    ok(
        cli,
        "appeal",
        "file",
        "陈静",
        "--to",
        "HR Sun",
        "--channel",
        "in-person",
        "--grounds",
        "interests",
        "--summary",
        "加班费",
        now="2026-11-26 10:00",
    )
    return cli


def survives(cli, db, argv: list[str]) -> None:
    before = counts(db)
    result = cli(*argv, now=NOW)
    assert "Traceback" not in result.output, (argv, result.output)
    assert result.exit_code in (0, 1, 2), (argv, result.exit_code, result.output)
    lines = result.stderr.splitlines()
    if result.exit_code == 0:
        assert all(line.startswith("Warning: ") for line in lines), (argv, result.stderr)
    else:
        assert result.stdout == "", (argv, result.stdout)
        assert len(lines) == 1 and lines[0].startswith("Error: "), (argv, result.stderr)
        assert "Unexpected" not in lines[0] and "database refused" not in lines[0], (argv, lines[0])
        assert counts(db) == before, (argv, lines[0])


def checked(cli) -> None:
    check = cli("db", "check", now=NOW)
    assert check.exit_code == 0, check.output


@FUZZ
@given(argv=anything)
def test_fuzz_people_commands(company, db, argv):
    survives(company, db, argv)
    checked(company)


@SEQUENCES
@given(argv=st.lists(anything, min_size=1, max_size=4))
def test_fuzz_people_sequences(company, db, argv):
    for one in argv:
        survives(company, db, one)
    checked(company)


# --- odd but well-formed input, every time ---------------------------------------------------------------


def test_a_chinese_company_end_to_end(company):
    assert (
        ok(company, "staff", "add", "赵敏", "--dept", "市场部", "--reports-to", "王芳").stdout
        == "Added employee 赵敏 (#9).\n"
    )
    assert company.json("staff", "show", "赵敏", now=NOW)["reporting_line"] == [
        {"id": 9, "name": "赵敏", "role": "employee"},
        {"id": 4, "name": "王芳", "role": "dept-head"},
        {"id": 2, "name": "GM Qian", "role": "gm"},
        {"id": 1, "name": "张伟", "role": "chairman"},
    ]
    assert ok(
        company,
        "interview",
        "log",
        "赵敏",
        "--by",
        "王芳",
        "--kind",
        "one-to-one",
        "--minutes",
        "120",
        "--note",
        "职业规划",
    ).stdout == (
        "Logged interview #3: one-to-one with 赵敏 by 王芳, 120 min, 2026-11-27 08:30.\n"
        "It counts for the yearly one-to-one (E2.1).\n"
    )
    assert ok(
        company, "leave", "start", "赵敏", "--last-day", "2026-12-31", "--reason", "回老家"
    ).stdout.splitlines()[1] == (
        "Exit interview by HR (E1.3; 赵敏 may prefer their manager: --exit-interview-by manager): "
        "`careops interview log 赵敏 --kind exit --by STAFF --minutes N`."
    )
    assert ok(company, "leave", "step", "3", "handover", "--note", "交接完毕").stdout == (
        "Case #3: handover done.\nStill open: exit-interview, final-pay.\n"
    )
    assert ok(
        company,
        "appeal",
        "file",
        "赵敏",
        "--to",
        "王芳",
        "--channel",
        "written",
        "--signed",
        "--grounds",
        "interests",
        "--summary",
        "年终奖 🧧",
    ).stdout == ("Filed appeal #3: round 1 with 王芳; a decision is due by 2026-12-11 (E2.6.5).\n")
    assert company.json("--as", "赵敏", "appeal", "show", "3", now=NOW)["summary"] == "年终奖 🧧"
    assert company.json("appeal", "show", "3", now=NOW)["summary"] == "(confidential)"
    assert "赵敏" in ok(company, "--as", "HR Sun", "appeal", "list").stdout
    assert "赵敏" not in ok(company, "appeal", "list").stdout
    assert "赵敏" in ok(company, "leave", "list", "--format", "csv").stdout


@pytest.mark.parametrize(
    "argv",
    [
        ("staff", "edit", "张伟", "--reports-to", "陈静"),  # a loop through four levels
        ("staff", "edit", "#1", "--reports-to", "#1"),
        (
            "interview",
            "log",
            "李娜",
            "--by",
            "王芳",
            "--kind",
            "one-to-one",
            "--minutes",
            str(2**40),
        ),
        (
            "interview",
            "log",
            "李娜",
            "--by",
            "王芳",
            "--kind",
            "one-to-one",
            "--minutes",
            "99999999999999999999",
        ),
        (
            "interview",
            "log",
            "李娜",
            "--by",
            "王芳",
            "--kind",
            "one-to-one",
            "--minutes",
            "120",
            "--at",
            "0001-01-01 00:00",
        ),
        (
            "interview",
            "log",
            "李娜",
            "--by",
            "王芳",
            "--kind",
            "one-to-one",
            "--minutes",
            "120",
            "--at",
            "9999-12-31 23:59",
        ),
        ("leave", "start", "Ma Lan", "--last-day", "0001-01-01"),
        ("leave", "step", "99999999999999999999", "handover"),
        ("leave", "show", "-1"),
        ("transfer", "start", "Ma Lan", "--to-dept", "x" * 10_000, "--on", "9999-12-31"),
        (
            "appeal",
            "file",
            "李娜",
            "--to",
            "王芳",
            "--channel",
            "in-person",
            "--summary",
            "x",
            "--at",
            "0001-01-01 00:00",
        ),
        ("appeal", "notify", "1", "--to", "gm", "--via", "email", "--at", "0001-01-01 00:00"),
        ("appeal", "show", "99999999999999999999"),
        ("void", "appeal", "99999999999999999999", "--reason", "x"),
        ("void", "leave", "²", "--reason", "x"),
        ("event", "李娜", "pay-change", "--at", "0001-01-01 00:00"),
        ("--as", "x" * 10_000, "appeal", "list"),
        ("due", "--staff", "'; DROP TABLE staff; --"),
    ],
)
def test_odd_input_is_refused_plainly_or_done(company, db, argv):
    survives(company, db, list(argv))
    checked(company)


def test_odd_input_that_makes_sense_is_done(company, db):
    """A 10,000-character note, a name that is an SQL fragment, emoji: stored as given."""
    note = "备注" * 5_000
    ok(
        company,
        "interview",
        "log",
        "陈静",
        "--by",
        "李娜",
        "--kind",
        "career",
        "--minutes",
        "1440",
        "--note",
        note,
    )
    assert company.json("interview", "list", "--employee", "陈静", now=NOW)[0]["note"] == note
    ok(company, "staff", "add", "'; DROP TABLE staff; --", "--reports-to", "王芳")
    assert db.count("staff") == 9
    assert company.json("staff", "show", "'; drop table staff; --", now=NOW)["id"] == 9
    checked(company)

"""Bad and odd input never hurts the hospital office: generated arguments for `dept`, `staff add --dept`, `meeting`,
`action`, `survey`, `check`, `contact add`, `void meeting|action|check|survey` and `due` either succeed (exit 0,
anything on stderr a `Warning:` or a `Note:`) or are refused with one `Error:` line, exit 1 or 2, nothing on stdout
and nothing written — never a traceback — and leave a database that passes `careops db check`, where an anonymous
answer is linked to nobody and audited nowhere, and every meeting held has its minutes and its attendees.

Names and texts in Chinese, with emoji, blank or 10,000 characters long; scores of 0, 6, -1, 4.5 and twenty
digits; question specs without a key, without a text, with a Chinese key or twice the same key; dates like
2026-02-30 and 9999-12-31; minutes files that are empty, GBK, binary or NUL bytes; ids of every shape. Two tests
of 60 (`ci` profile) examples; the state one example leaves is the next one's start, so
commands meet meetings, items and surveys in every state.
"""

from __future__ import annotations

from datetime import date
from itertools import count

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import NOW, ok
from fuzzing import command, flag, fuzz_settings, opt, repeated, survived, usually

EXAMPLES = 60
FUZZ = fuzz_settings(EXAMPLES)
SEQUENCES = fuzz_settings(EXAMPLES // 2)

TABLES = (
    "staff",
    "party",
    "dept",
    "meeting",
    "meeting_attendee",
    "action_item",
    "disclosure_check",
    "survey",
    "survey_question",
    "survey_answer",
    "survey_score",
    "obligation",
    "event",
    "audit",
)
THEN = "2026-11-02 09:00"
TODAY = date(2026, 11, 27)

weird_text = st.one_of(
    st.just(""),
    st.just(" "),
    st.just(" \t\n "),
    st.just("x" * 10_000),
    st.just("工休座谈会 🏥"),
    st.just("病房太吵"),
    st.just("'; DROP TABLE meeting; --"),
    st.just("%_\\"),
    st.just("#999999"),
    st.just("-1"),
    st.just("--help"),
    st.just("\u200b"),
    st.just("ｆｕｌｌ　ｗｉｄｔｈ"),
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


def nearly(good, *bad) -> st.SearchStrategy:
    """`good` seven times in eight: for commands with many arguments, each of which may spoil it."""
    worse = st.one_of(*bad)
    return st.tuples(st.sampled_from([True] * 7 + [False]), good, worse).map(
        lambda t: t[1] if t[0] else t[2]
    )


staff = mostly(
    st.sampled_from(["许国梁", "周文静", "宋丽华", "马玉琴", "Wang Li", "#1", "2", "wang li"]),
    st.one_of(st.just("Nobody"), weird_text),
)
depts = mostly(
    st.sampled_from(["外科", "内科", "药剂科", "儿科", "Surgery", "外科 ", "#1", "2"]), weird_text
)
ids = mostly(
    st.integers(1, 7).map(str),
    st.sampled_from(
        ["0", "-1", "99999", "2147483648", "99999999999999999999", "#1", "one", "", "1.5", "²"]
    ),
)
days = mostly(
    st.sampled_from(
        [
            "2026-11-20",
            "2026-11-26",
            "2026-11-27",
            "2026-12-02",
            "2026-12-31",
            "2026-11-01",
            "2026-10-15",
        ]
    ),
    st.sampled_from(
        [
            "2026-02-30",
            "2026-13-01",
            "0000-00-00",
            "9999-12-31",
            "1899-12-31",
            "yesterday",
            "",
            "2026/12/31",
            "2026-11-28",
        ]
    ),
    weird_text,
)
# A month beyond 2199 is a known bug (test_cli_office: test_a_month_beyond_the_years_careops_takes_is_a_usage_error).
months = mostly(
    st.sampled_from(["2026-11", "2026-10", "2025-12", "2199-12"]),
    st.sampled_from(["2026-13", "2026-1", "1899-12", "11", "", "2026-00", "二〇二六-十一"]),
    weird_text,
)
texts = mostly(
    st.sampled_from(["病房夜间噪音", "food is cold", "免费义诊", "价格表缺失", "done 👍"]),
    weird_text,
)
keys = st.sampled_from(
    ["care", "attitude", "overall", "care", "overall", "CARE", "food", "service"]
)
scores = nearly(
    st.tuples(keys, st.integers(1, 5)).map(lambda t: f"{t[0]}={t[1]}"),
    st.tuples(
        keys, st.sampled_from(["0", "6", "-1", "4.5", "", "99999999999999999999", "五", "３"])
    ).map(lambda t: f"{t[0]}={t[1]}"),
    st.sampled_from(["care", "=3", "care==3", " = "]),
    weird_text,
)
questions = nearly(
    st.tuples(st.from_regex(r"[a-z0-9][a-z0-9_-]{0,12}", fullmatch=True), texts).map(":".join),
    st.sampled_from(["care", "care:", ":x", "护理:好吗", "a b:x", "x" * 41 + ":y", "care:x"]),
    weird_text,
)
meeting_kinds = mostly(
    st.sampled_from(
        ["ward-forum", "hospital-ward-forum", "volunteer-supervisors", "community-reps"]
    ),
    st.sampled_from(["tea-party", "", "Ward-Forum"]),
)
audiences = mostly(
    st.sampled_from(["patients", "employees", "residents"]), st.sampled_from(["aliens", ""])
)
items = mostly(
    st.sampled_from(["H3.7.1", "3.7.2", "3", "prices", "BILL", "open-letter", "h3.7.6"]),
    st.sampled_from(["H3.7.8", "0", "8", "H3", ""]),
    weird_text,
)
formats = st.sampled_from(
    [[], ["--format", "json"], ["--format", "csv"], ["--format", "table"], ["--format", "xml"]]
)
viewers = st.one_of(st.just([]), st.just([]), staff.map(lambda s: ["--as", s]))
# Minutes files by their bytes (written by the test): UTF-8, with a BOM, GBK, binary, NUL bytes, blank, empty.
minutes_files = st.one_of(
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from(
        [
            b"",
            b"   \n",
            b"\x00\x00",
            "纪要".encode("gbk"),
            "\ufeff纪要".encode("utf-8"),
            b"\xff\xfe\xfa",
            "病房安静\n".encode(),
        ]
    ),
    st.binary(max_size=100),
)


def seldom(flag_: str, values) -> st.SearchStrategy:
    """Given one time in four."""
    return st.tuples(st.sampled_from([True, False, False, False]), values).map(
        lambda t: [flag_, t[1]] if t[0] else []
    )


# The minutes: given as text, as a file (its bytes, written by the test), both, or neither.
minutes = st.sampled_from(["text", "text", "text", "file", "file", "both", "none", "odd"]).flatmap(
    lambda how: {
        "text": texts.map(lambda t: ["--minutes", t]),
        "file": minutes_files.map(lambda b: ["--minutes-file", b]),
        "both": st.tuples(texts, minutes_files).map(
            lambda t: ["--minutes", t[0], "--minutes-file", t[1]]
        ),
        "none": st.just([]),
        "odd": st.sampled_from(
            [["--minutes-file", "/nonexistent/纪要.txt"], ["--minutes-file", "/"]]
        ),
    }[how]
)
good_days = nearly(
    st.sampled_from(["2026-11-20", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-01"]), days
)

office = (
    command(st.just("dept"), st.just("add"), depts, flag("--clinical"), opt("--head", staff)),
    command(
        st.just("dept"),
        st.just("edit"),
        depts,
        st.sampled_from([[], ["--clinical"], ["--not-clinical"]]),
        opt("--head", staff),
        flag("--no-head"),
    ),
    command(st.just("dept"), st.just("list"), formats),
    command(st.just("staff"), st.just("add"), texts, opt("--dept", depts)),
    command(
        st.just("meeting"),
        st.just("schedule"),
        meeting_kinds,
        usually("--date", days),
        opt("--dept", depts),
        opt("--chair", staff),
    ),
    command(st.just("meeting"), st.just("reschedule"), ids, usually("--date", days)),
    command(
        viewers,
        st.just("meeting"),
        st.just("hold"),
        ids,
        repeated("--attendee", texts, 1, 3),
        minutes,
        seldom("--on", good_days),
    ),
    command(
        st.just("meeting"),
        st.just("opinion"),
        ids,
        texts,
        usually("--owner", staff),
        opt("--due", days),
        opt(
            "--kind",
            mostly(st.sampled_from(["opinion", "cooperation"]), st.sampled_from(["check", "wish"])),
        ),
    ),
    command(
        st.just("meeting"),
        st.just("list"),
        opt("--kind", meeting_kinds),
        opt("--dept", depts),
        formats,
    ),
    command(st.just("meeting"), st.just("show"), ids, formats),
    command(
        viewers,
        st.just("action"),
        st.sampled_from(["done", "explain"]),
        ids,
        usually("--note", texts),
    ),
    command(st.just("action"), st.just("list"), flag("--open"), opt("--staff", staff), formats),
)
surveys = (
    command(
        st.just("survey"),
        st.just("create"),
        nearly(st.sampled_from(["冬季调查", "Staff 2026"]), weird_text),
        usually("--audience", audiences),
        usually("--opens", nearly(st.just("2026-11-01"), days)),
        usually("--closes", good_days),
        flag("--anonymous"),
        repeated("--question", questions, 0, 2),
    ),
    command(
        viewers,
        st.just("survey"),
        st.just("respond"),
        st.sampled_from(["1", "1", "2", "3"]) | ids,
        repeated("--score", scores, 1, 2),
        opt("--comment", texts),
        seldom("--respondent", mostly(st.sampled_from(["Bed 12", "1-101", "张三"]), weird_text)),
        opt("--dept", nearly(st.sampled_from(["外科", "内科"]), depts)),
        seldom("--zone", mostly(st.just("A"), weird_text)),
        seldom("--on", good_days),
    ),
    command(
        st.just("survey"),
        st.just("results"),
        ids,
        opt("--by", mostly(st.sampled_from(["dept", "zone"]), st.just("ward"))),
        formats,
    ),
    command(st.just("survey"), st.just("list"), formats),
)
checks = (
    command(
        viewers,
        st.just("check"),
        st.just("record"),
        items,
        st.sampled_from([["--ok"], ["--ok"], ["--fail"], ["--fail"], [], ["--ok", "--fail"]]),
        opt("--note", texts),
        opt("--dept", depts),
        opt("--on", days),
        opt("--due", days),
    ),
    command(st.just("check"), st.just("list"), opt("--month", months), formats),
    command(
        st.just("contact"),
        st.just("add"),
        texts,
        usually(
            "--kind", mostly(st.sampled_from(["government", "health-authority"]), st.just("mafia"))
        ),
    ),
)
voids = command(
    st.just("void"),
    st.sampled_from(["meeting", "action", "check", "survey"]),
    ids,
    usually("--reason", texts),
)
due = command(viewers, st.just("due"), opt("--staff", staff), flag("--all"), formats)
# Each command shape equally likely (a plain one_of favours some branches over others).
anything = st.sampled_from([*office, *surveys, *checks, voids, due]).flatmap(lambda s: s)


def counts(db) -> tuple:
    (row,) = db.rows("SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in TABLES))
    return row


@pytest.fixture
def hospital(cli, monkeypatch):
    """A Chinese hospital at NOW: 许国梁 (#1, leadership), 周文静 (#2, office), 宋丽华 (#3, head of 外科), 马玉琴 (#4,
    head of 内科), Wang Li (#5, office). 外科 and 内科 clinical, 药剂科 not. 外科's forum #1 held on 2026-11-20
    with opinion #1; the community reps' forum #2 held with cooperation #2; the hospital forum #3 scheduled for
    2026-12-02, 内科's forum #4 (2026-11-25) and the supervisors' meeting #5 (2026-11-24) not held yet.
    Anonymous patient survey #1 (care, attitude) with six cards, named patient survey #2, employee
    survey #3; a failed price check (#1) with its action item #3; a government contact."""
    monkeypatch.setenv("CAREOPS_USER", "Office Clerk")
    c = cli
    ok(c, "staff", "add", "许国梁", "--role", "leadership", now=THEN)
    ok(c, "staff", "add", "周文静", "--role", "office", now=THEN)
    ok(c, "staff", "add", "宋丽华", "--role", "dept-head", "--dept", "外科", now=THEN)
    ok(c, "staff", "add", "马玉琴", "--role", "dept-head", now=THEN)
    ok(c, "staff", "add", "Wang Li", "--role", "office", "--dept", "外科", now=THEN)
    ok(c, "dept", "edit", "外科", "--clinical", "--head", "宋丽华", now=THEN)
    ok(c, "dept", "add", "内科", "--clinical", "--head", "马玉琴", now=THEN)
    ok(c, "dept", "add", "药剂科", now=THEN)
    ok(c, "meeting", "schedule", "ward-forum", "--date", "2026-11-20", "--dept", "外科", now=THEN)
    ok(c, "meeting", "schedule", "community-reps", "--date", "2026-11-26", now=THEN)
    ok(c, "meeting", "schedule", "hospital-ward-forum", "--date", "2026-12-02", now=THEN)
    ok(c, "meeting", "schedule", "ward-forum", "--date", "2026-11-25", "--dept", "内科", now=THEN)
    ok(c, "meeting", "schedule", "volunteer-supervisors", "--date", "2026-11-24", now=THEN)
    ok(
        c,
        "meeting",
        "hold",
        "1",
        "--attendee",
        "12床家属",
        "--attendee",
        "Wang Li",
        "--minutes",
        "病房夜间噪音",
        now="2026-11-20 16:00",
    )
    ok(c, "meeting", "opinion", "1", "夜间噪音", "--owner", "宋丽华", now="2026-11-20 16:05")
    ok(
        c,
        "meeting",
        "hold",
        "2",
        "--attendee",
        "社区代表",
        "--minutes",
        "义诊合作",
        now="2026-11-26 16:00",
    )
    ok(
        c,
        "meeting",
        "opinion",
        "2",
        "社区义诊日",
        "--owner",
        "许国梁",
        "--kind",
        "cooperation",
        now="2026-11-26 16:05",
    )
    ok(
        c,
        "survey",
        "create",
        "秋季病人满意度",
        "--audience",
        "patients",
        "--opens",
        "2026-11-01",
        "--closes",
        "2026-11-30",
        "--anonymous",
        "--question",
        "care:护理质量",
        "--question",
        "attitude:服务态度",
        now=THEN,
    )
    for k in range(6):
        ok(
            c,
            "survey",
            "respond",
            "1",
            "--score",
            f"care={k % 5 + 1}",
            "--dept",
            "外科" if k < 4 else "内科",
            now="2026-11-20 10:00",
        )
    ok(
        c,
        "survey",
        "create",
        "实名卡",
        "--audience",
        "patients",
        "--opens",
        "2026-11-01",
        "--closes",
        "2026-11-30",
        now=THEN,
    )
    ok(
        c,
        "survey",
        "create",
        "员工满意度",
        "--audience",
        "employees",
        "--opens",
        "2026-11-01",
        "--closes",
        "2026-12-15",
        now=THEN,
    )
    ok(c, "check", "record", "prices", "--fail", "--dept", "外科")
    ok(c, "contact", "add", "区政府", "--kind", "government")
    return c


_files = count()


def materialised(argv: list, folder) -> list[str]:
    """The command with each minutes file (given by its bytes) written to a file of its own."""
    out = []
    for arg in argv:
        if isinstance(arg, bytes):
            path = folder / f"minutes-{next(_files)}.txt"
            path.write_bytes(arg)
            arg = str(path)
        out.append(arg)
    return out


def survives(cli, db, argv: list[str]) -> None:
    before = counts(db)
    result = cli(*argv, now=NOW)
    survived(result, argv, before=before, after=lambda: counts(db))


def checked(cli, db) -> None:
    check = cli("db", "check", now=NOW)
    assert check.exit_code == 0, check.output
    # An anonymous answer is linked to nobody and audited nowhere.
    assert (
        db.scalar(
            "SELECT count(*) FROM survey_answer a JOIN survey s ON s.id = a.survey_id "
            "WHERE s.anonymous = :yes AND (a.party_id IS NOT NULL OR a.respondent IS NOT NULL)",
            yes=True,
        )
        == 0
    )
    assert (
        db.scalar(
            "SELECT count(*) FROM audit WHERE kind = 'survey' AND action = 'answer' AND record_id IN "
            "(SELECT id FROM survey WHERE anonymous = :yes)",
            yes=True,
        )
        == 0
    )
    # A meeting held has its minutes and who attended, and was held by today.
    assert (
        db.scalar(
            "SELECT count(*) FROM meeting m WHERE m.held_day IS NOT NULL AND (m.minutes IS NULL OR "
            "trim(m.minutes) = '' OR m.held_day > :today OR NOT EXISTS "
            "(SELECT 1 FROM meeting_attendee a WHERE a.meeting_id = m.id))",
            today=TODAY,
        )
        == 0
    )
    assert (
        db.scalar(
            "SELECT count(*) FROM meeting WHERE held_day IS NULL AND (minutes IS NOT NULL OR EXISTS "
            "(SELECT 1 FROM meeting_attendee a WHERE a.meeting_id = meeting.id))"
        )
        == 0
    )
    # An action item closed says how; every score is 1 to 5.
    assert (
        db.scalar(
            "SELECT count(*) FROM action_item WHERE state != 'open' AND (closed_note IS NULL OR "
            "closed_at IS NULL)"
        )
        == 0
    )
    assert db.scalar("SELECT count(*) FROM survey_score WHERE score < 1 OR score > 5") == 0


@FUZZ
@given(argv=anything)
def test_fuzz_office_commands(hospital, db, tmp_path, argv):
    survives(hospital, db, materialised(argv, tmp_path))
    checked(hospital, db)


@SEQUENCES
@given(argv=st.lists(anything, min_size=1, max_size=4))
def test_fuzz_office_sequences(hospital, db, tmp_path, argv):
    for one in argv:
        survives(hospital, db, materialised(one, tmp_path))
    checked(hospital, db)


# --- odd but well-formed input, every time ---------------------------------------------------------------


def test_a_chinese_hospital_end_to_end(hospital, tmp_path):
    minutes = tmp_path / "纪要.txt"
    minutes.write_text("\ufeff内科工休座谈会纪要\n一、病房规章\n二、健康教育 🏥\n", "utf-8")
    assert ok(
        hospital,
        "meeting",
        "hold",
        "4",
        "--attendee",
        "3床患者",
        "--attendee",
        "家属 王芳",
        "--minutes-file",
        str(minutes),
    ).stdout.startswith("Meeting #4 held on 2026-11-25: attendees 2,")
    assert (
        hospital.json("meeting", "show", "4", now=NOW)["minutes"]
        == "内科工休座谈会纪要\n一、病房规章\n二、健康教育 🏥"
    )
    assert ok(
        hospital, "meeting", "opinion", "4", "开水供应不足 🚰", "--owner", "马玉琴"
    ).stdout == ("Action item #4 (opinion) for 马玉琴, due 2026-12-11.\n")
    assert ok(
        hospital, "action", "explain", "4", "--note", "锅炉改造需等到明年，已向病友说明"
    ).stdout == ("Action item #4 closed: explained to those who raised it.\n")
    assert ok(
        hospital,
        "survey",
        "respond",
        "1",
        "--score",
        "care=5",
        "--score",
        "attitude=5",
        "--dept",
        "外科",
        "--comment",
        "护士很耐心 😊",
    ).stdout == (
        "Recorded an answer to survey #1 (anonymous: nothing links it to anyone): care=5, attitude=5.\n"
    )
    results = hospital.json("survey", "results", "1", "--by", "dept", now=NOW)
    assert (results["answers"], results["comments"]) == (7, ["护士很耐心 😊"])
    # 内科's two cards are hidden, and 外科 with them: otherwise the total minus 外科 would be 内科.
    assert [(g["group"], g["answers"]) for g in results["groups"]] == [
        ("内科", None),
        ("外科", None),
    ]
    assert ok(
        hospital, "survey", "respond", "2", "--score", "overall=4", "--respondent", "张三"
    ).stdout == ("Recorded an answer to survey #2: overall=4.\n")
    assert ok(
        hospital, "check", "record", "prices", "--ok", "--dept", "外科", "--note", "已张贴"
    ).stdout == ("Recorded H3.7.3 ok on 2026-11-27 in 外科.\n")
    assert [d["name"] for d in hospital.json("dept", "list", now=NOW)] == ["内科", "外科", "药剂科"]


@pytest.mark.parametrize(
    "argv",
    [
        ("dept", "add", "x" * 10_000),
        ("dept", "add", "外科\n内科"),
        ("dept", "edit", "99999999999999999999", "--clinical"),
        ("dept", "edit", "#2147483648", "--head", "#2147483648"),
        ("staff", "add", "赵敏", "--dept", "x" * 10_000),
        ("meeting", "schedule", "ward-forum", "--date", "2199-12-31", "--dept", "外科"),
        ("meeting", "schedule", "ward-forum", "--date", "1900-01-01", "--dept", "外科"),
        (
            "meeting",
            "hold",
            "3",
            "--attendee",
            "x" * 10_000,
            "--minutes",
            "纪要" * 50_000,
            "--on",
            "2026-11-27",
        ),
        (
            "meeting",
            "hold",
            "3",
            "--attendee",
            "x",
            "--minutes",
            "纪要" * 50_001,
            "--on",
            "2026-11-27",
        ),
        ("meeting", "hold", "3", "--attendee", "x", "--minutes", "\x00\x00", "--on", "2026-11-27"),
        ("meeting", "hold", "3", "--attendee", "\u200b", "--minutes", "x", "--on", "2026-11-27"),
        ("meeting", "hold", "99999999999999999999", "--attendee", "x", "--minutes", "x"),
        ("meeting", "opinion", "1", "x" * 10_000, "--owner", "宋丽华", "--due", "2199-12-31"),
        ("meeting", "opinion", "2147483648", "x", "--owner", "宋丽华"),
        ("meeting", "list", "--dept", "'; DROP TABLE meeting; --"),
        ("action", "done", "1", "--note", "x" * 10_000),
        ("action", "explain", "-1", "--note", "x"),
        ("action", "list", "--staff", "#99999999999999999999"),
        (
            "survey",
            "create",
            "x" * 10_000,
            "--audience",
            "patients",
            "--opens",
            "1900-01-01",
            "--closes",
            "2199-12-31",
        ),
        (
            "survey",
            "create",
            "s",
            "--audience",
            "residents",
            "--opens",
            "2026-11-01",
            "--closes",
            "2199-12-31",
        ),
        (
            "survey",
            "create",
            "s",
            "--audience",
            "patients",
            "--opens",
            "2026-11-01",
            "--closes",
            "2026-11-30",
            *[p for k in range(50) for p in ("--question", f"q{k}:{'问' * 200}")],
        ),
        ("survey", "respond", "1", "--score", "care=" + "9" * 400),
        ("survey", "respond", "1", "--score", "care=٣"),
        ("survey", "respond", "1", "--score", "care=3", "--comment", "评" * 2000),
        ("survey", "respond", "1", "--score", "care=3", "--comment", "评" * 2001),
        ("survey", "respond", "2", "--score", "overall=3", "--respondent", "x" * 10_000),
        ("survey", "results", "99999999999999999999", "--by", "zone"),
        (
            "check",
            "record",
            "prices",
            "--fail",
            "--dept",
            "外科",
            "--due",
            "2199-12-31",
            "--note",
            "x" * 10_000,
        ),
        ("check", "list", "--month", "1900-01"),
        ("check", "list", "--month", "2199-12"),
        ("contact", "add", "x" * 10_000, "--kind", "health-authority"),
        ("void", "survey", "²", "--reason", "x"),
        ("void", "meeting", "1", "--reason", "x" * 10_000),
        ("--as", "x" * 10_000, "survey", "respond", "1", "--score", "care=3"),
        ("due", "--staff", "'; DROP TABLE action_item; --"),
    ],
)
def test_odd_input_is_refused_plainly_or_done(hospital, db, argv):
    survives(hospital, db, list(argv))
    checked(hospital, db)

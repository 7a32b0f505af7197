"""CLI: the hospital office (H3.2–H3.7) and the surveys (H3.3, E3, P4.10) — departments, meetings with minutes
and the action items their opinions become, disclosure checks, surveys and their anonymity, contacts of
leadership, voids and the due items they make, with a fixed clock and a fixed actor.

The rules themselves are tested against the services elsewhere; here a small known hospital proves what the
office sees: the exact lines printed, the exact JSON, notes on stderr, the audit row of every write (and none
for an anonymous answer), and that a refused command writes nothing at all.
"""

from __future__ import annotations

import pytest

from conftest import NOW, ok, refused

THEN = "2026-11-02 09:00"  # a Monday: the hospital is recorded
TABLES = (
    "staff",
    "party",
    "visit",
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

XU, ZHOU, SONG, MA, WANG = "Xu Guoliang", "Zhou Wenjing", "Song Lihua", "Ma Yuqin", "Wang Li"
HUGE = ("99999999999999999999", "2147483648")


def counts(db) -> dict[str, int]:
    return {table: db.count(table) for table in TABLES}


def audit(db, *kinds: str) -> list[tuple]:
    marks = ", ".join(f"'{k}'" for k in kinds)
    return db.rows(
        f"SELECT actor, action, kind, record_id, staff_id, detail, reason FROM audit WHERE kind IN ({marks}) "
        "ORDER BY id"
    )


@pytest.fixture
def hospital(cli, monkeypatch):
    """Leadership Xu Guoliang (#1), office Zhou Wenjing (#2), Surgery's head Song Lihua (#3, dept-head), Internal
    Medicine's head Ma Yuqin (#4, dept-head), Wang Li (#5, office, Surgery). Departments: Surgery (#1,
    clinical, first named by `staff add --dept`), Internal Medicine (#2, clinical), Pharmacy (#3, not
    clinical, no head). All recorded on 2026-11-02 by Office Clerk (not a staff member)."""
    monkeypatch.setenv("CAREOPS_USER", "Office Clerk")
    ok(cli, "staff", "add", XU, "--role", "leadership", now=THEN)
    ok(cli, "staff", "add", ZHOU, "--role", "office", now=THEN)
    ok(cli, "staff", "add", SONG, "--role", "dept-head", "--dept", "Surgery", now=THEN)
    ok(cli, "staff", "add", MA, "--role", "dept-head", now=THEN)
    ok(cli, "staff", "add", WANG, "--role", "office", "--dept", "surgery", now=THEN)
    ok(cli, "dept", "edit", "Surgery", "--clinical", "--head", SONG, now=THEN)
    ok(cli, "dept", "add", "Internal Medicine", "--clinical", "--head", MA, now=THEN)
    ok(cli, "dept", "add", "Pharmacy", now=THEN)
    return cli


@pytest.fixture
def forums(hospital):
    """Surgery's ward forum #1 (2026-11-20) held with minutes, its opinion #1 for Song Lihua (due 2026-12-04); the
    community reps' forum #2 (2026-11-26) held, cooperation #2 for Xu Guoliang (due 2026-12-31); the hospital ward
    forum #3 scheduled for 2026-12-02. All scheduled on 2026-11-02."""
    c = hospital
    ok(
        c,
        "meeting",
        "schedule",
        "ward-forum",
        "--date",
        "2026-11-20",
        "--dept",
        "Surgery",
        now=THEN,
    )
    ok(c, "meeting", "schedule", "community-reps", "--date", "2026-11-26", now=THEN)
    ok(c, "meeting", "schedule", "hospital-ward-forum", "--date", "2026-12-02", now=THEN)
    ok(
        c,
        "meeting",
        "hold",
        "1",
        "--attendee",
        "Bed 12's daughter",
        "--attendee",
        WANG,
        "--minutes",
        "病房安静; food cold",
        now="2026-11-20 16:00",
    )
    ok(
        c,
        "meeting",
        "opinion",
        "1",
        "night-time noise in ward 5",
        "--owner",
        SONG,
        now="2026-11-20 16:05",
    )
    ok(
        c,
        "meeting",
        "hold",
        "2",
        "--attendee",
        "Rep Zhang",
        "--minutes",
        "free clinic",
        now="2026-11-26 16:00",
    )
    ok(
        c,
        "meeting",
        "opinion",
        "2",
        "free clinic day",
        "--owner",
        XU,
        "--kind",
        "cooperation",
        "--due",
        "2026-12-31",
        now="2026-11-26 16:05",
    )
    return c


# --- departments -------------------------------------------------------------------------------------------


def test_dept_add_edit_and_list(cli, db, monkeypatch):
    monkeypatch.setenv("CAREOPS_USER", "Office Clerk")
    ok(cli, "staff", "add", SONG, "--role", "dept-head")
    assert ok(
        cli, "dept", "add", " Internal   Medicine ", "--clinical", "--head", "song lihua"
    ).stdout == (
        "Added department Internal Medicine (#1), clinical: a ward forum every month (H3.6), head Song Lihua.\n"
    )
    assert ok(cli, "dept", "add", "药剂科").stdout == "Added department 药剂科 (#2).\n"
    assert ok(cli, "dept", "edit", "internal medicine", "--not-clinical", "--no-head").stdout == (
        "Changed Internal Medicine: clinical yes → no; head Song Lihua → -.\n"
    )
    assert ok(cli, "dept", "edit", "#2", "--clinical", "--head", "#1").stdout == (
        "Changed 药剂科: clinical no → yes; head - → Song Lihua.\n"
    )
    assert ok(cli, "dept", "edit", "药剂科", "--clinical", "--head", SONG).stdout == (
        "Nothing changed for 药剂科: the values given are the ones on record.\n"
    )
    assert cli.json("dept", "list", now=NOW) == [
        {"id": 1, "name": "Internal Medicine", "clinical": False, "head": None, "staff": 0},
        {"id": 2, "name": "药剂科", "clinical": True, "head": SONG, "staff": 0},
    ]
    assert ok(cli, "dept", "list", "--format", "csv").stdout == (
        "id,name,clinical,head,staff\n1,Internal Medicine,no,,0\n2,药剂科,yes,Song Lihua,0\n"
    )
    assert audit(db, "dept") == [
        (
            "Office Clerk",
            "add",
            "dept",
            1,
            1,
            "department Internal Medicine added (clinical), head Song Lihua",
            None,
        ),
        ("Office Clerk", "add", "dept", 2, None, "department 药剂科 added", None),
        (
            "Office Clerk",
            "edit",
            "dept",
            1,
            None,
            "department Internal Medicine: clinical yes → no; head Song Lihua → -",
            None,
        ),
        (
            "Office Clerk",
            "edit",
            "dept",
            2,
            1,
            "department 药剂科: clinical no → yes; head - → Song Lihua",
            None,
        ),
    ]


def test_dept_list_of_the_hospital_counts_its_staff(hospital):
    assert hospital.json("dept", "list", now=NOW) == [
        {"id": 2, "name": "Internal Medicine", "clinical": True, "head": MA, "staff": 0},
        {"id": 3, "name": "Pharmacy", "clinical": False, "head": None, "staff": 0},
        {"id": 1, "name": "Surgery", "clinical": True, "head": SONG, "staff": 2},
    ]


def test_an_empty_dept_list_says_how_to_add_one(cli):
    assert (
        ok(cli, "dept", "list").stdout
        == "No departments yet: `careops dept add NAME [--clinical] [--head STAFF]`.\n"
    )
    assert cli.json("dept", "list", now=NOW) == []


def test_naming_a_new_department_records_it_with_a_note_and_an_existing_one_in_any_case_without(
    cli, db, monkeypatch
):
    monkeypatch.setenv("CAREOPS_USER", "Office Clerk")
    ok(cli, "init")  # the database's own note comes first, not in this test
    first = ok(cli, "staff", "add", "A", "--dept", " Internal  Medicine ")
    assert first.stdout == "Added employee A (#1).\n"
    assert first.stderr == (
        "Note: department 'Internal Medicine' is new and is now recorded (not clinical, no head); "
        '`careops dept edit "Internal Medicine" --clinical --head STAFF` if it is a ward.\n'
    )
    again = ok(cli, "staff", "add", "B", "--dept", "INTERNAL MEDICINE")
    assert (again.stdout, again.stderr) == ("Added employee B (#2).\n", "")
    moved = ok(cli, "staff", "edit", "B", "--dept", "Radiology")
    assert moved.stdout == "Changed B: dept Internal Medicine → Radiology.\n"
    assert moved.stderr == (
        "Note: department 'Radiology' is new and is now recorded (not clinical, no head); "
        "`careops dept edit Radiology --clinical --head STAFF` if it is a ward.\n"
    )
    transfer = ok(cli, "transfer", "start", "A", "--to-dept", "急诊科")
    assert transfer.stderr == (
        "Note: department '急诊科' is new and is now recorded (not clinical, no head); "
        "`careops dept edit 急诊科 --clinical --head STAFF` if it is a ward.\n"
    )
    assert ok(cli, "transfer", "start", "B", "--to-dept", "急诊科").stderr == ""
    assert [
        (d["name"], d["clinical"], d["head"]) for d in cli.json("dept", "list", now=NOW)
    ] == [  # by pinyin: jizhenke
        ("Internal Medicine", False, None),
        ("急诊科", False, None),
        ("Radiology", False, None),
    ]
    # The staff member names the department as it is recorded.
    assert db.rows("SELECT name, dept FROM staff ORDER BY id") == [
        ("A", "Internal Medicine"),
        ("B", "Radiology"),
    ]
    assert [r[5] for r in audit(db, "dept")] == [
        "department Internal Medicine added",
        "department Radiology added",
        "department 急诊科 added",
    ]


def test_a_department_recorded_by_staff_add_is_audited_with_its_id(cli, db):
    ok(cli, "staff", "add", "A", "--dept", "Radiology")
    assert db.rows("SELECT action, kind, record_id FROM audit WHERE kind = 'dept'") == [
        ("add", "dept", 1)
    ]


NO_SUCH_STAFF = (
    "Error: No staff member matches 'Nobody'. See `careops staff list`, or add them with "
    "`careops staff add`."
)
NO_DEPT = (
    "Error: There is no department '{ref}'. Recorded: Internal Medicine, Pharmacy, Surgery. Add it with "
    "`careops dept add NAME`."
)


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (
            ("dept", "add", "surgery"),
            1,
            "Error: Department 'Surgery' is recorded already: change it with "
            "`careops dept edit Surgery`.",
        ),
        (
            ("dept", "add", " INTERNAL  medicine"),
            1,
            "Error: Department 'Internal Medicine' is recorded already: change it "
            'with `careops dept edit "Internal Medicine"`.',
        ),
        (("dept", "add", " "), 1, 'Error: Give the department a name, e.g. "Internal Medicine".'),
        (("dept", "add", "Radiology", "--head", "Nobody"), 1, NO_SUCH_STAFF),
        (
            ("dept", "edit", "Surgery"),
            1,
            "Error: Say what changes: --clinical/--not-clinical, --head STAFF or --no-head.",
        ),
        (
            ("dept", "edit", "Surgery", "--head", MA, "--no-head"),
            1,
            "Error: Give --head STAFF or --no-head, not both.",
        ),
        (("dept", "edit", "Radiology", "--clinical"), 1, NO_DEPT.format(ref="Radiology")),
        (("dept", "edit", "#99", "--clinical"), 1, NO_DEPT.format(ref="#99")),
        (("dept", "edit", HUGE[0], "--clinical"), 1, NO_DEPT.format(ref=HUGE[0])),
        (("dept", "edit", HUGE[1], "--clinical"), 1, NO_DEPT.format(ref=HUGE[1])),
        (("dept", "edit", "Surgery", "--head", "Nobody"), 1, NO_SUCH_STAFF),
        (
            ("dept", "list", "--format", "xml"),
            2,
            "Error: Invalid value for '--format' / '-f': 'xml' is not one of 'table', 'json', 'csv'. "
            "(see `careops dept list --help`)",
        ),
    ],
)
def test_dept_refusals_write_nothing(hospital, db, argv, code, message):
    before = counts(db)
    assert refused(hospital, *argv, code=code) == message
    assert counts(db) == before


# --- meetings: schedule, hold, show, list ---------------------------------------------------------------------


def test_meeting_schedule_names_the_chair_it_defaults_to(hospital, db):
    assert ok(
        hospital, "meeting", "schedule", "ward-forum", "--date", "2026-12-03", "--dept", "surgery"
    ).stdout == ("Scheduled ward-forum #1 for 2026-12-03 (Surgery), chaired by Song Lihua.\n")
    assert (
        ok(
            hospital,
            "meeting",
            "schedule",
            "ward-forum",
            "--date",
            "2026-12-04",
            "--dept",
            "Internal Medicine",
            "--chair",
            WANG,
        ).stdout
        == "Scheduled ward-forum #2 for 2026-12-04 (Internal Medicine), chaired by Wang Li.\n"
    )
    assert ok(
        hospital, "meeting", "schedule", "hospital-ward-forum", "--date", "2026-12-10"
    ).stdout == ("Scheduled hospital-ward-forum #3 for 2026-12-10, chaired by Xu Guoliang.\n")
    assert ok(
        hospital, "meeting", "schedule", "volunteer-supervisors", "--date", "2026-12-11"
    ).stdout == ("Scheduled volunteer-supervisors #4 for 2026-12-11, chaired by Xu Guoliang.\n")
    assert audit(db, "meeting") == [
        (
            "Office Clerk",
            "schedule",
            "meeting",
            1,
            3,
            "ward-forum #1 scheduled for 2026-12-03 (Surgery)",
            None,
        ),
        (
            "Office Clerk",
            "schedule",
            "meeting",
            2,
            5,
            "ward-forum #2 scheduled for 2026-12-04 (Internal Medicine)",
            None,
        ),
        (
            "Office Clerk",
            "schedule",
            "meeting",
            3,
            1,
            "hospital-ward-forum #3 scheduled for 2026-12-10",
            None,
        ),
        (
            "Office Clerk",
            "schedule",
            "meeting",
            4,
            1,
            "volunteer-supervisors #4 scheduled for 2026-12-11",
            None,
        ),
    ]


def test_a_meeting_with_nobody_to_chair_it_says_so(cli):
    assert ok(cli, "meeting", "schedule", "community-reps", "--date", "2026-12-03").stdout == (
        "Scheduled community-reps #1 for 2026-12-03; no chair recorded yet (--chair STAFF).\n"
    )


def test_meeting_hold_from_a_file_then_show_and_list_exactly(hospital, db, tmp_path):
    ok(
        hospital,
        "meeting",
        "schedule",
        "ward-forum",
        "--date",
        "2026-11-25",
        "--dept",
        "Surgery",
        now=THEN,
    )
    minutes = tmp_path / "forum.txt"
    minutes.write_text(
        "\ufeff工休座谈会纪要\n病房夜间噪音 🌙\n", "utf-8"
    )  # a BOM, as Notepad saves it
    result = ok(
        hospital,
        "meeting",
        "hold",
        "1",
        "--attendee",
        " Bed 12's  daughter ",
        "--attendee",
        WANG,
        "--attendee",
        " ",
        "--minutes-file",
        str(minutes),
    )
    assert result.stdout == (
        "Meeting #1 held on 2026-11-25: attendees 2, minutes recorded. Opinions raised: "
        "`careops meeting opinion 1 TEXT --owner STAFF`.\n"
    )
    assert result.stderr == ""
    shown = {
        "id": 1,
        "kind": "ward-forum",
        "day": "2026-11-25",
        "dept": "Surgery",
        "chair": SONG,
        "state": "held",
        "held_on": "2026-11-25",
        "attendees": ["Bed 12's daughter", WANG],
        "minutes": "工休座谈会纪要\n病房夜间噪音 🌙",
        "void": None,
        "actions": [],
    }
    assert hospital.json("meeting", "show", "1", now=NOW) == shown
    assert hospital.json("meeting", "list", now=NOW) == [
        {
            "id": 1,
            "kind": "ward-forum",
            "day": "2026-11-25",
            "dept": "Surgery",
            "chair": SONG,
            "state": "held",
            "held_on": "2026-11-25",
            "attendees": 2,
            "actions": 0,
            "open_actions": 0,
        }
    ]
    assert ok(hospital, "meeting", "show", "1", "--format", "csv").stdout == (
        "field,value\nMeeting,1\nKind,ward-forum\nDay,2026-11-25\nDept,Surgery\nChair,Song Lihua\nState,held\n"
        'Held on,2026-11-25\nAttendees,"Bed 12\'s daughter, Wang Li"\nMinutes,"工休座谈会纪要\n病房夜间噪音 🌙"\n'
    )
    assert db.rows("SELECT meeting_id, position, name FROM meeting_attendee ORDER BY position") == [
        (1, 1, "Bed 12's daughter"),
        (1, 2, WANG),
    ]
    assert audit(db, "meeting")[-1] == (
        "Office Clerk",
        "hold",
        "meeting",
        1,
        None,
        "ward-forum #1 held on 2026-11-25: 2 attendees, minutes 16 characters",
        None,
    )
    assert hospital.json("meeting", "list", now="2026-11-01 09:00") == []  # not scheduled yet


def test_meeting_hold_on_an_earlier_day(hospital):
    ok(hospital, "meeting", "schedule", "ward-forum", "--date", "2026-12-03", "--dept", "Surgery")
    assert ok(
        hospital,
        "meeting",
        "hold",
        "1",
        "--attendee",
        "A",
        "--minutes",
        "brought forward",
        "--on",
        "2026-11-26",
    ).stdout.startswith("Meeting #1 held on 2026-11-26: attendees 1, minutes recorded.")
    assert hospital.json("meeting", "show", "1", now=NOW)["held_on"] == "2026-11-26"


def test_meeting_list_filters_and_show_json_with_actions(forums):
    forum = {
        "id": 1,
        "kind": "ward-forum",
        "day": "2026-11-20",
        "dept": "Surgery",
        "chair": SONG,
        "state": "held",
        "held_on": "2026-11-20",
        "attendees": 2,
        "actions": 1,
        "open_actions": 1,
    }
    reps = {
        "id": 2,
        "kind": "community-reps",
        "day": "2026-11-26",
        "dept": None,
        "chair": XU,
        "state": "held",
        "held_on": "2026-11-26",
        "attendees": 1,
        "actions": 1,
        "open_actions": 1,
    }
    quarterly = {
        "id": 3,
        "kind": "hospital-ward-forum",
        "day": "2026-12-02",
        "dept": None,
        "chair": XU,
        "state": "scheduled",
        "held_on": None,
        "attendees": 0,
        "actions": 0,
        "open_actions": 0,
    }
    assert forums.json("meeting", "list", now=NOW) == [quarterly, reps, forum]
    assert forums.json("meeting", "list", "--dept", "SURGERY", now=NOW) == [forum]
    assert forums.json("meeting", "list", "--dept", "Internal Medicine", now=NOW) == []
    assert forums.json("meeting", "list", "--kind", "community-reps", now=NOW) == [reps]
    assert ok(forums, "meeting", "list", "--kind", "volunteer-supervisors").stdout == (
        "No meetings yet: `careops meeting schedule KIND --date D`.\n"
    )
    assert ok(forums, "meeting", "list", "--format", "csv", "--kind", "ward-forum").stdout == (
        "id,kind,day,dept,chair,state,attendees,actions,open_actions\n"
        "1,ward-forum,2026-11-20,Surgery,Song Lihua,held,2,1,1\n"
    )
    assert forums.json("meeting", "show", "1", now=NOW) == {
        "id": 1,
        "kind": "ward-forum",
        "day": "2026-11-20",
        "dept": "Surgery",
        "chair": SONG,
        "state": "held",
        "held_on": "2026-11-20",
        "attendees": ["Bed 12's daughter", WANG],
        "minutes": "病房安静; food cold",
        "void": None,
        "actions": [
            {
                "id": 1,
                "kind": "opinion",
                "text": "night-time noise in ward 5",
                "owner": SONG,
                "due": "2026-12-04",
                "state": "open",
                "overdue": False,
                "meeting": 1,
                "check": None,
                "closed_at": None,
                "note": None,
            }
        ],
    }
    assert forums.json("meeting", "show", "3", now=NOW) == {
        "id": 3,
        "kind": "hospital-ward-forum",
        "day": "2026-12-02",
        "dept": None,
        "chair": XU,
        "state": "scheduled",
        "held_on": None,
        "attendees": [],
        "minutes": None,
        "void": None,
        "actions": [],
    }


def test_a_meeting_scheduled_for_a_day_passed_says_to_record_its_minutes(hospital):
    result = ok(
        hospital, "meeting", "schedule", "ward-forum", "--date", "2026-11-20", "--dept", "Surgery"
    )
    assert (
        result.stdout
        == "Scheduled ward-forum #1 for 2026-11-20 (Surgery), chaired by Song Lihua.\n"
    )
    assert result.stderr == (
        "Note: 2026-11-20 has passed: once it was held, record its minutes with "
        "`careops meeting hold 1 …`.\n"
    )


def test_meeting_reschedule_moves_a_meeting_not_held(forums, db):
    assert ok(forums, "meeting", "reschedule", "3", "--date", "2026-12-09").stdout == (
        "Meeting #3 moved from 2026-12-02 to 2026-12-09.\n"
    )
    assert forums.json("meeting", "show", "3", now=NOW)["day"] == "2026-12-09"
    assert audit(db, "meeting")[-1] == (
        "Office Clerk",
        "reschedule",
        "meeting",
        3,
        None,
        "hospital-ward-forum #3 moved from 2026-12-02 to 2026-12-09",
        None,
    )
    ok(forums, "void", "meeting", "2", "--reason", "wrong forum")
    before = counts(db)
    assert refused(forums, "meeting", "reschedule", "3", "--date", "2026-12-09") == (
        "Error: Meeting #3 is scheduled for 2026-12-09 already."
    )
    assert refused(forums, "meeting", "reschedule", "1", "--date", "2026-12-09") == (
        "Error: Meeting #1 was held on 2026-11-20: a held meeting is not moved (void it if it was recorded wrongly)."
    )
    assert (
        refused(forums, "meeting", "reschedule", "2", "--date", "2026-12-09")
        == "Error: Meeting #2 is void (wrong forum)."
    )
    for number in ("9", *HUGE):
        assert refused(forums, "meeting", "reschedule", number, "--date", "2026-12-09") == (
            f"Error: There is no meeting #{number}. See `careops meeting list`."
        )
    assert refused(forums, "meeting", "reschedule", "3", "--date", "2026-12-32", code=2) == (
        "Error: Invalid value for '--date': '2026-12-32' is not a date like \"2026-11-27\" "
        "(see `careops meeting reschedule --help`)"
    )
    assert counts(db) == before


def test_a_meeting_is_held_once(forums, db):
    before = counts(db)
    assert refused(forums, "meeting", "hold", "1", "--attendee", "A", "--minutes", "again") == (
        "Error: Meeting #1 was held on 2026-11-20 and its minutes are recorded."
    )
    assert counts(db) == before


NEED_MINUTES = (
    "Error: A meeting without minutes is not held (H3.6): give --minutes TEXT or --minutes-file FILE. "
    "Nothing was recorded."
)
EMPTY_MINUTES = "Error: The minutes are empty: a meeting without minutes is not held (H3.6). Nothing was recorded."


@pytest.fixture
def files(tmp_path):
    """Minutes files: empty, blank, not UTF-8 (GBK), too long, and a good one."""
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text(" \n\t\n", "utf-8")
    (tmp_path / "gbk.txt").write_bytes("工休座谈会纪要".encode("gbk"))
    (tmp_path / "nul.txt").write_bytes(b"\x00\x00")
    (tmp_path / "huge.txt").write_text("x" * 400_001, "utf-8")
    (tmp_path / "long.txt").write_text("纪" * 100_001, "utf-8")
    (tmp_path / "good.txt").write_text("minutes", "utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (("1", "--attendee", "A"), 1, NEED_MINUTES),
        (
            ("1", "--attendee", "A", "--minutes", "x", "--minutes-file", "{dir}/good.txt"),
            1,
            "Error: Give --minutes TEXT or --minutes-file FILE, not both.",
        ),
        (("1", "--attendee", "A", "--minutes", " \n "), 1, EMPTY_MINUTES),
        (("1", "--attendee", "A", "--minutes", ""), 1, EMPTY_MINUTES),
        (("1", "--attendee", "A", "--minutes-file", "{dir}/empty.txt"), 1, EMPTY_MINUTES),
        (("1", "--attendee", "A", "--minutes-file", "{dir}/blank.txt"), 1, EMPTY_MINUTES),
        (("1", "--attendee", "A", "--minutes-file", "{dir}/nul.txt"), 1, EMPTY_MINUTES),
        (
            ("1", "--attendee", "A", "--minutes-file", "{dir}/gbk.txt"),
            1,
            "Error: {dir}/gbk.txt is not a UTF-8 text file: save the minutes as plain text (UTF-8).",
        ),
        (
            ("1", "--attendee", "A", "--minutes-file", "{dir}/missing.txt"),
            1,
            "Error: Cannot read {dir}/missing.txt: No such file or directory.",
        ),
        (
            ("1", "--attendee", "A", "--minutes-file", "{dir}"),
            1,
            "Error: Cannot read {dir}: Is a directory.",
        ),
        (
            ("1", "--attendee", "A", "--minutes-file", "{dir}/huge.txt"),
            1,
            "Error: The minutes are longer than 100,000 characters: is this the right file?",
        ),
        (
            ("1", "--attendee", "A", "--minutes-file", "{dir}/long.txt"),
            1,
            "Error: The minutes are longer than 100,000 characters: is this the right file?",
        ),
        (("1", "--minutes", "x"), 1, "Error: Say who attended: --attendee NAME (once per person)."),
        (
            ("1", "--attendee", " ", "--minutes", "x"),
            1,
            "Error: Say who attended: --attendee NAME (once per person).",
        ),
        (
            ("1", "--attendee", "A", "--minutes", "x", "--on", "2026-11-28"),
            1,
            "Error: --on 2026-11-28 is after today (2026-11-27): record a meeting once it has been held.",
        ),
        (
            ("3", "--attendee", "A", "--minutes", "x"),
            1,
            "Error: Meeting #3 is scheduled for 2026-12-02, after today (2026-11-27): record "
            "it once it has been held, or give --on DAY.",
        ),
        (
            ("99", "--attendee", "A", "--minutes", "x"),
            1,
            "Error: There is no meeting #99. See `careops meeting list`.",
        ),
        (
            ("0", "--attendee", "A", "--minutes", "x"),
            1,
            "Error: There is no meeting #0. See `careops meeting list`.",
        ),
        (
            ("1", "--attendee", "A", "--minutes", "x", "--on", "2026-11-31"),
            2,
            "Error: Invalid value for '--on': '2026-11-31' is not a date like \"2026-11-27\" "
            "(see `careops meeting hold --help`)",
        ),
        (
            ("first", "--attendee", "A", "--minutes", "x"),
            2,
            "Error: Invalid value for 'ID': Input should be a valid integer, unable to parse string as an integer "
            "(see `careops meeting hold --help`)",
        ),
    ],
)
def test_meeting_hold_refusals_write_nothing(hospital, db, files, argv, code, message):
    ok(hospital, "meeting", "schedule", "ward-forum", "--date", "2026-11-26", "--dept", "Surgery")
    ok(hospital, "meeting", "schedule", "community-reps", "--date", "2026-11-26")
    ok(hospital, "meeting", "schedule", "hospital-ward-forum", "--date", "2026-12-02")
    before = counts(db)
    line = refused(hospital, "meeting", "hold", *(a.format(dir=files) for a in argv), code=code)
    assert line == message.format(dir=files)
    assert counts(db) == before
    assert hospital.json("meeting", "show", "1", now=NOW)["state"] == "scheduled"


def test_more_than_500_attendees_are_refused(hospital, db):
    ok(hospital, "meeting", "schedule", "community-reps", "--date", "2026-11-26")
    before = counts(db)
    many = [p for k in range(501) for p in ("--attendee", f"P{k}")]
    assert refused(hospital, "meeting", "hold", "1", *many, "--minutes", "x") == (
        "Error: More than 500 attendees: give the names of those present, once each."
    )
    assert counts(db) == before


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (
            ("ward-forum", "--date", "2026-12-03"),
            1,
            "Error: A ward forum is held by one clinical department: give --dept DEPT (H3.6).",
        ),
        (
            ("ward-forum", "--date", "2026-12-03", "--dept", "Pharmacy"),
            1,
            "Error: The department Pharmacy is not clinical, so it holds no ward forum: `careops dept edit Pharmacy "
            "--clinical` if it is a ward.",
        ),
        (
            ("ward-forum", "--date", "2026-12-03", "--dept", "Radiology"),
            1,
            NO_DEPT.format(ref="Radiology"),
        ),
        (
            ("volunteer-supervisors", "--date", "2026-12-03", "--dept", "Surgery"),
            1,
            "Error: --dept is for ward forums; a volunteer-supervisors meeting is the hospital's.",
        ),
        (
            ("hospital-ward-forum", "--date", "2026-12-03", "--dept", "Surgery"),
            1,
            "Error: --dept is for ward forums; a hospital-ward-forum meeting is the hospital's.",
        ),
        (("community-reps", "--date", "2026-12-03", "--chair", "Nobody"), 1, NO_SUCH_STAFF),
        (
            ("tea-party", "--date", "2026-12-03"),
            2,
            "Error: Invalid value for 'KIND': 'tea-party' is not one of 'ward-forum', 'hospital-ward-forum', "
            "'volunteer-supervisors', 'community-reps'. (see `careops meeting schedule --help`)",
        ),
        (
            ("community-reps", "--date", "2026-02-30"),
            2,
            "Error: Invalid value for '--date': '2026-02-30' is not a date like \"2026-11-27\" "
            "(see `careops meeting schedule --help`)",
        ),
        (
            ("community-reps", "--date", "9999-12-31"),
            2,
            "Error: Invalid value for '--date': '9999-12-31' is not a plausible date: careops takes years 1900 to 2199 "
            "(see `careops meeting schedule --help`)",
        ),
        (
            ("community-reps",),
            2,
            "Error: Missing option '--date'. (see `careops meeting schedule --help`)",
        ),
    ],
)
def test_meeting_schedule_refusals_write_nothing(hospital, db, argv, code, message):
    before = counts(db)
    assert refused(hospital, "meeting", "schedule", *argv, code=code) == message
    assert counts(db) == before


# --- opinions and action items ---------------------------------------------------------------------------------


def action(
    id_,
    kind,
    text,
    owner,
    due,
    *,
    state="open",
    overdue=False,
    meeting=None,
    check=None,
    closed_at=None,
    note=None,
) -> dict:
    return {
        "id": id_,
        "kind": kind,
        "text": text,
        "owner": owner,
        "due": due,
        "state": state,
        "overdue": overdue,
        "meeting": meeting,
        "check": check,
        "closed_at": closed_at,
        "note": note,
    }


NOISE = action(1, "opinion", "night-time noise in ward 5", SONG, "2026-12-04", meeting=1)
CLINIC = action(2, "cooperation", "free clinic day", XU, "2026-12-31", meeting=2)


def test_opinions_become_action_items_and_are_closed_done_or_explained(forums, db):
    assert ok(
        forums,
        "meeting",
        "opinion",
        "1",
        "  food   is cold ",
        "--owner",
        "wang li",
        "--due",
        "2026-11-25",
    ).stdout == ("Action item #3 (opinion) for Wang Li, due 2026-11-25.\n")
    assert ok(forums, "meeting", "opinion", "2", "car park", "--owner", XU).stdout == (
        "Action item #4 (opinion) for Xu Guoliang, due 2026-12-11.\n"
    )
    food = action(3, "opinion", "food is cold", WANG, "2026-11-25", overdue=True, meeting=1)
    park = action(4, "opinion", "car park", XU, "2026-12-11", meeting=2)
    assert forums.json("action", "list", now=NOW) == [food, NOISE, park, CLINIC]
    assert forums.json("action", "list", "--staff", XU, now=NOW) == [park, CLINIC]
    assert ok(forums, "action", "list", "--open", "--staff", WANG).stdout.splitlines()[2:] == [
        "3  │ opinion │ food is cold │ Wang Li │ 2026-11-25 │ overdue │ 1       │       │     "
    ]

    assert ok(forums, "action", "done", "3", "--note", " hot  trolleys ordered ").stdout == (
        "Action item #3 done (after its due day, 2026-11-25).\n"
    )
    assert ok(forums, "action", "explain", "4", "--note", "the city owns the car park").stdout == (
        "Action item #4 closed: explained to those who raised it.\n"
    )
    assert (
        ok(forums, "action", "done", "1", "--note", "quiet hours posted").stdout
        == "Action item #1 done.\n"
    )
    closed = "2026-11-27T08:30:00+08:00"
    assert forums.json("action", "list", now=NOW) == [
        {
            **food,
            "state": "done",
            "overdue": False,
            "closed_at": closed,
            "note": "hot trolleys ordered",
        },
        {**NOISE, "state": "done", "closed_at": closed, "note": "quiet hours posted"},
        {**park, "state": "explained", "closed_at": closed, "note": "the city owns the car park"},
        CLINIC,
    ]
    assert forums.json("action", "list", "--open", now=NOW) == [CLINIC]
    assert ok(forums, "action", "list", "--open", "--staff", SONG).stdout == "No action items.\n"
    assert ok(forums, "action", "list", "--format", "csv", "--open").stdout == (
        "id,kind,text,owner,due,state,meeting,check,note\n"
        "2,cooperation,free clinic day,Xu Guoliang,2026-12-31,open,2,,\n"
    )
    assert audit(db, "action") == [
        (
            "Office Clerk",
            "add",
            "action",
            1,
            3,
            "opinion #1 from meeting #1: owner Song Lihua, due 2026-12-04",
            None,
        ),
        (
            "Office Clerk",
            "add",
            "action",
            2,
            1,
            "cooperation #2 from meeting #2: owner Xu Guoliang, due 2026-12-31",
            None,
        ),
        (
            "Office Clerk",
            "add",
            "action",
            3,
            5,
            "opinion #3 from meeting #1: owner Wang Li, due 2026-11-25",
            None,
        ),
        (
            "Office Clerk",
            "add",
            "action",
            4,
            1,
            "opinion #4 from meeting #2: owner Xu Guoliang, due 2026-12-11",
            None,
        ),
        ("Office Clerk", "done", "action", 3, 5, "action item #3 done", None),
        ("Office Clerk", "explained", "action", 4, 1, "action item #4 explained", None),
        ("Office Clerk", "done", "action", 1, 3, "action item #1 done", None),
    ]
    assert db.rows("SELECT id, state, closed_note FROM action_item ORDER BY id") == [
        (1, "done", "quiet hours posted"),
        (2, "open", None),
        (3, "done", "hot trolleys ordered"),
        (4, "explained", "the city owns the car park"),
    ]


def test_an_owner_sees_the_meeting_and_the_closing_in_their_history(forums):
    rows = forums.json("history", SONG, now=NOW)
    assert [(r["action"], r["kind"], r["record_id"]) for r in rows] == [
        ("add", "staff", 3),
        ("edit", "dept", 1),
        ("schedule", "meeting", 1),
        ("add", "action", 1),
    ]
    ok(forums, "--as", SONG, "action", "done", "1", "--note", "quiet hours posted")
    last = forums.json("history", SONG, now=NOW)[-1]
    assert (last["actor"], last["action"], last["kind"], last["record_id"]) == (
        SONG,
        "done",
        "action",
        1,
    )


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (
            ("meeting", "opinion", "3", "x", "--owner", WANG),
            1,
            "Error: Meeting #3 has not been held: opinions are raised at a meeting, so record its minutes first "
            "(`careops meeting hold 3 …`).",
        ),
        (
            ("meeting", "opinion", "1", " ", "--owner", WANG),
            1,
            'Error: Say what the opinion is, e.g. "the ward is too noisy at night".',
        ),
        (
            ("meeting", "opinion", "1", "x", "--owner", WANG, "--due", "2026-11-19"),
            1,
            "Error: --due 2026-11-19 is before the meeting (2026-11-20).",
        ),
        (
            ("meeting", "opinion", "1", "x", "--owner", WANG, "--kind", "cooperation"),
            1,
            "Error: Cooperation is agreed with community units: use --kind cooperation on a "
            "community-reps meeting (H3.5).",
        ),
        (("meeting", "opinion", "1", "x", "--owner", "Nobody"), 1, NO_SUCH_STAFF),
        (
            ("meeting", "opinion", "9", "x", "--owner", WANG),
            1,
            "Error: There is no meeting #9. See `careops meeting list`.",
        ),
        (
            ("meeting", "opinion", "1", "x", "--owner", WANG, "--kind", "wish"),
            2,
            "Error: Invalid value for '--kind': 'wish' is not one of 'opinion', 'cooperation'. "
            "(see `careops meeting opinion --help`)",
        ),
        (
            ("meeting", "opinion", "1", "x"),
            2,
            "Error: Missing option '--owner'. (see `careops meeting opinion --help`)",
        ),
        (("action", "done", "1", "--note", " "), 1, "Error: Say what was done (--note TEXT)."),
        (
            ("action", "explain", "1", "--note", ""),
            1,
            "Error: Say what was explained to those who raised it, and why it cannot be done (--note TEXT).",
        ),
        (
            ("action", "done", "9", "--note", "x"),
            1,
            "Error: There is no action item #9. See `careops action list`.",
        ),
        (
            ("action", "done", "0", "--note", "x"),
            1,
            "Error: There is no action item #0. See `careops action list`.",
        ),
        (
            ("action", "done", "1"),
            2,
            "Error: Missing option '--note'. (see `careops action done --help`)",
        ),
        (("action", "list", "--staff", "Nobody"), 1, NO_SUCH_STAFF),
    ],
)
def test_opinion_and_action_refusals_write_nothing(forums, db, argv, code, message):
    before = counts(db)
    assert refused(forums, *argv, code=code) == message
    assert counts(db) == before


def test_an_opinion_of_kind_check_is_a_usage_error(forums, db):
    """Action items of kind check come from failed disclosure checks only."""
    before = counts(db)
    line = refused(
        forums, "meeting", "opinion", "1", "x", "--owner", WANG, "--kind", "check", code=2
    )
    assert line == (
        "Error: Invalid value for '--kind': 'check' is not one of 'opinion', 'cooperation'. "
        "(see `careops meeting opinion --help`)"
    )
    assert counts(db) == before


def test_an_action_item_is_closed_once(forums, db):
    ok(forums, "action", "done", "1", "--note", "quiet hours posted")
    before = counts(db)
    assert refused(forums, "action", "done", "1", "--note", "again") == (
        "Error: Action item #1 is closed already (done on 2026-11-27)."
    )
    assert refused(forums, "action", "explain", "1", "--note", "again") == (
        "Error: Action item #1 is closed already (done on 2026-11-27)."
    )
    assert counts(db) == before


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("meeting", "show", "{n}"),
            "Error: There is no meeting #{n}. See `careops meeting list`.",
        ),
        (
            ("meeting", "hold", "{n}", "--attendee", "A", "--minutes", "x"),
            "Error: There is no meeting #{n}. See `careops meeting list`.",
        ),
        (
            ("meeting", "opinion", "{n}", "x", "--owner", WANG),
            "Error: There is no meeting #{n}. See `careops meeting list`.",
        ),
        (
            ("action", "done", "{n}", "--note", "x"),
            "Error: There is no action item #{n}. See `careops action list`.",
        ),
        (
            ("action", "explain", "{n}", "--note", "x"),
            "Error: There is no action item #{n}. See `careops action list`.",
        ),
        (
            ("survey", "respond", "{n}", "--score", "overall=3"),
            "Error: There is no survey #{n}. See `careops survey list`.",
        ),
        (
            ("survey", "results", "{n}"),
            "Error: There is no survey #{n}. See `careops survey list`.",
        ),
        (
            ("void", "meeting", "{n}", "--reason", "x"),
            "Error: There is no meeting #{n}. See `careops meeting list`.",
        ),
        (
            ("void", "action", "{n}", "--reason", "x"),
            "Error: There is no action #{n}. See `careops action list`.",
        ),
        (
            ("void", "check", "{n}", "--reason", "x"),
            "Error: There is no check #{n}. See `careops check list`.",
        ),
        (
            ("void", "survey", "{n}", "--reason", "x"),
            "Error: There is no survey #{n}. See `careops survey list`.",
        ),
        (
            ("action", "list", "--staff", "#{n}"),
            "Error: No staff member matches '#{n}'. See `careops staff list`, or add them with `careops staff add`.",
        ),
    ],
)
def test_an_id_beyond_any_record_is_simply_not_there_on_every_database(
    forums, db, argv, message, number
):
    """PostgreSQL's integer ids end at 2**31 - 1: a larger one is still "no such record", not a database error."""
    before = counts(db)
    assert refused(forums, *(a.format(n=number) for a in argv)) == message.format(n=number)
    assert counts(db) == before


# --- surveys ------------------------------------------------------------------------------------------------


def test_survey_create_says_what_it_made(hospital, db):
    assert ok(
        hospital,
        "survey",
        "create",
        " Autumn  patients ",
        "--audience",
        "patients",
        "--opens",
        "2026-11-01",
        "--closes",
        "2026-11-30",
        "--anonymous",
        "--question",
        "Care: Quality of  care",
        "--question",
        "attitude:态度",
    ).stdout == (
        "Created survey #1 'Autumn patients' for patients, 2026-11-01 to 2026-11-30, anonymous. Questions: care, "
        "attitude.\n"
    )
    staff = ok(
        hospital,
        "survey",
        "create",
        "员工满意度",
        "--audience",
        "employees",
        "--opens",
        "2026-12-01",
        "--closes",
        "2026-12-15",
    )
    assert staff.stdout == (
        "Created survey #2 '员工满意度' for employees, 2026-12-01 to 2026-12-15, anonymous. "
        "Questions: overall.\n"
    )
    assert staff.stderr == (
        "Note: an employee survey is always anonymous (E3), so people answer freely without "
        "concern.\n"
    )
    assert ok(
        hospital,
        "survey",
        "create",
        "Named cards",
        "--audience",
        "patients",
        "--opens",
        "2026-11-20",
        "--closes",
        "2026-11-20",
    ).stdout == (
        "Created survey #3 'Named cards' for patients, 2026-11-20 to 2026-11-20. Questions: overall.\n"
    )
    assert db.rows(
        "SELECT survey_id, key, position, text FROM survey_question ORDER BY survey_id, position"
    ) == [
        (1, "care", 1, "Quality of care"),
        (1, "attitude", 2, "态度"),
        (2, "overall", 1, "Overall, how satisfied are you?"),
        (3, "overall", 1, "Overall, how satisfied are you?"),
    ]
    assert hospital.json("survey", "list", now=NOW) == [
        {
            "id": 2,
            "name": "员工满意度",
            "audience": "employees",
            "opens": "2026-12-01",
            "closes": "2026-12-15",
            "anonymous": True,
            "state": "upcoming",
            "answers": 0,
        },
        {
            "id": 3,
            "name": "Named cards",
            "audience": "patients",
            "opens": "2026-11-20",
            "closes": "2026-11-20",
            "anonymous": False,
            "state": "closed",
            "answers": 0,
        },
        {
            "id": 1,
            "name": "Autumn patients",
            "audience": "patients",
            "opens": "2026-11-01",
            "closes": "2026-11-30",
            "anonymous": True,
            "state": "open",
            "answers": 0,
        },
    ]
    assert audit(db, "survey") == [
        (
            "Office Clerk",
            "add",
            "survey",
            1,
            None,
            "patients survey #1 'Autumn patients', 2026-11-01 to 2026-11-30, anonymous",
            None,
        ),
        (
            "Office Clerk",
            "add",
            "survey",
            2,
            None,
            "employees survey #2 '员工满意度', 2026-12-01 to 2026-12-15, anonymous",
            None,
        ),
        (
            "Office Clerk",
            "add",
            "survey",
            3,
            None,
            "patients survey #3 'Named cards', 2026-11-20 to 2026-11-20",
            None,
        ),
    ]


def test_an_empty_survey_list_says_how_to_create_one(cli):
    assert ok(cli, "survey", "list").stdout == (
        "No surveys yet: `careops survey create NAME --audience patients --opens D --closes D`.\n"
    )


@pytest.fixture
def cards(hospital):
    """Anonymous patient survey #1 (care, attitude; 2026-11-01 to 2026-11-30): five cards from Surgery, two from
    Internal Medicine, one naming no department — typed in by Office Clerk, one of them as Zhou Wenjing."""
    c = hospital
    ok(
        c,
        "survey",
        "create",
        "Autumn patients",
        "--audience",
        "patients",
        "--opens",
        "2026-11-01",
        "--closes",
        "2026-11-30",
        "--anonymous",
        "--question",
        "care:Quality of care",
        "--question",
        "attitude:Staff attitude",
    )
    for score, comment in (
        ("5", "很好"),
        ("4", None),
        ("4", "kind nurses 😊"),
        ("3", None),
        ("5", None),
    ):
        ok(
            c,
            "survey",
            "respond",
            "1",
            "--score",
            f"care={score}",
            "--score",
            "attitude=4",
            "--dept",
            "surgery",
            *(["--comment", comment] if comment else []),
            now="2026-11-20 10:00",
        )
    ok(
        c,
        "survey",
        "respond",
        "1",
        "--score",
        "care=2",
        "--dept",
        "Internal Medicine",
        "--comment",
        "noisy",
        "--on",
        "2026-11-21",
    )
    ok(
        c,
        "--as",
        ZHOU,
        "survey",
        "respond",
        "1",
        "--score",
        "care=1",
        "--score",
        "attitude=2",
        "--dept",
        "internal medicine",
    )
    ok(c, "survey", "respond", "1", "--score", "CARE=3")
    return c


SUPPRESSED = "fewer than 5 answers, not shown"
WITH_SMALL = "not shown, so that a small group cannot be worked out from the total"
AUTUMN = {
    "id": 1,
    "name": "Autumn patients",
    "audience": "patients",
    "opens": "2026-11-01",
    "closes": "2026-11-30",
    "anonymous": True,
    "state": "open",
    "answers": 8,
}


def test_survey_results_by_dept_leave_out_groups_under_five_exactly(cards):
    """Internal Medicine (2) and no department (1) are hidden; hidden together they hold 3 answers, which the total
    minus Surgery would give away: Surgery (5) is hidden with them."""
    assert cards.json("survey", "results", "1", "--by", "dept", now=NOW) == {
        "survey": AUTUMN,
        "answers": 8,
        "questions": [
            {"key": "care", "text": "Quality of care", "answers": 8, "mean": 3.38},
            {"key": "attitude", "text": "Staff attitude", "answers": 6, "mean": 3.67},
        ],
        "min_group": 5,
        "by": "dept",
        "groups": [
            {"group": "Internal Medicine", "answers": None, "scores": None, "note": SUPPRESSED},
            {"group": "Surgery", "answers": None, "scores": None, "note": WITH_SMALL},
            {"group": "(not given)", "answers": None, "scores": None, "note": SUPPRESSED},
        ],
        "comments": ["kind nurses 😊", "noisy", "很好"],
        "overall_note": None,
    }
    assert cards.json("survey", "results", "1", now=NOW) == {
        "survey": AUTUMN,
        "answers": 8,
        "questions": [
            {"key": "care", "text": "Quality of care", "answers": 8, "mean": 3.38},
            {"key": "attitude", "text": "Staff attitude", "answers": 6, "mean": 3.67},
        ],
        "min_group": 5,
        "overall_note": None,
        "comments": ["kind nurses 😊", "noisy", "很好"],
    }


def test_survey_results_as_a_table_and_csv(cards):
    table = ok(cards, "survey", "results", "1", "--by", "dept").stdout.splitlines()
    assert (
        table[0]
        == "Survey #1 'Autumn patients' (patients, anonymous, 2026-11-01 to 2026-11-30, open): answers 8."
    )
    assert "By dept (groups of fewer than 5 answers are not shown):" in table
    assert table[-4:] == [
        "Comments (in alphabetical order):",
        "  - kind nurses 😊",
        "  - noisy",
        "  - 很好",
    ]
    assert ok(cards, "survey", "results", "1", "--by", "dept", "--format", "csv").stdout == (
        "key,text,answers,mean\ncare,Quality of care,8,3.38\nattitude,Staff attitude,6,3.67\n"
        "group,answers,care,attitude,note\n"
        'Internal Medicine,,,,"fewer than 5 answers, not shown"\n'
        'Surgery,,,,"not shown, so that a small group cannot be worked out from the total"\n'
        '(not given),,,,"fewer than 5 answers, not shown"\n'
    )


def test_an_anonymous_survey_with_few_answers_hides_its_comments(hospital):
    ok(
        hospital,
        "survey",
        "create",
        "Staff",
        "--audience",
        "employees",
        "--opens",
        "2026-11-01",
        "--closes",
        "2026-11-30",
    )
    ok(hospital, "survey", "respond", "1", "--score", "overall=2", "--comment", "my manager shouts")
    data = hospital.json("survey", "results", "1", now=NOW)
    assert (data["answers"], data["comments"], data["comments_note"], data["overall_note"]) == (
        1,
        [],
        SUPPRESSED,
        SUPPRESSED,
    )
    assert data["questions"] == [
        {"key": "overall", "text": "Overall, how satisfied are you?", "answers": None, "mean": None}
    ]
    assert ok(hospital, "survey", "results", "1").stdout.splitlines()[1:] == [
        f"Overall scores: {SUPPRESSED} (an anonymous survey shows none until then).",
        f"Comments: {SUPPRESSED}.",
    ]


def test_one_hidden_group_hides_the_smallest_shown_group_with_it(hospital):
    """Otherwise the total minus the groups shown would be the small group's answers."""
    ok(
        hospital,
        "survey",
        "create",
        "Autumn",
        "--audience",
        "patients",
        "--opens",
        "2026-11-01",
        "--closes",
        "2026-11-30",
        "--anonymous",
    )
    for dept, n in (("Surgery", 5), ("Internal Medicine", 6), (None, 1)):
        for _ in range(n):
            ok(
                hospital,
                "survey",
                "respond",
                "1",
                "--score",
                "overall=4",
                *(["--dept", dept] if dept else []),
            )
    assert hospital.json("survey", "results", "1", "--by", "dept", now=NOW)["groups"] == [
        {"group": "Internal Medicine", "answers": 6, "scores": {"overall": 4.0}, "note": None},
        {"group": "Surgery", "answers": None, "scores": None, "note": WITH_SMALL},
        {"group": "(not given)", "answers": None, "scores": None, "note": SUPPRESSED},
    ]


def test_an_anonymous_answer_writes_no_audit_row_and_keeps_no_person(cards, db):
    assert ok(
        cards, "--as", WANG, "survey", "respond", "1", "--score", "care=4", "--dept", "Surgery"
    ).stdout == (
        "Recorded an answer to survey #1 (anonymous: nothing links it to anyone): care=4.\n"
    )
    assert [r[1] for r in audit(db, "survey")] == ["add"]  # the survey's creation, and no answer
    assert db.scalar("SELECT count(*) FROM audit WHERE action = 'answer'") == 0
    assert db.count("survey_answer") == 9
    assert db.rows("SELECT DISTINCT party_id, respondent, zone_id FROM survey_answer") == [
        (None, None, None)
    ]
    # Only the day: nothing of the time or the order of arrival.
    assert sorted(
        r[0] for r in db.rows("SELECT DISTINCT CAST(day AS VARCHAR(10)) FROM survey_answer")
    ) == ["2026-11-20", "2026-11-21", "2026-11-27"]
    assert db.scalar("SELECT count(*) FROM survey_answer WHERE length(id) = 32") == 9


def test_a_named_answer_is_audited_with_who_gave_it(hospital, db):
    ok(
        hospital,
        "survey",
        "create",
        "Named cards",
        "--audience",
        "patients",
        "--opens",
        "2026-11-01",
        "--closes",
        "2026-11-30",
    )
    assert ok(
        hospital, "survey", "respond", "1", "--score", "overall=4", "--respondent", " Bed  12 "
    ).stdout == ("Recorded an answer to survey #1: overall=4.\n")
    ok(hospital, "survey", "respond", "1", "--score", "overall=2")
    assert [r for r in audit(db, "survey") if r[1] == "answer"] == [
        ("Office Clerk", "answer", "survey", 1, None, "answer to survey #1 from Bed 12", None),
        ("Office Clerk", "answer", "survey", 1, None, "answer to survey #1 from -", None),
    ]
    assert sorted(db.rows("SELECT respondent FROM survey_answer"), key=str) == [
        ("Bed 12",),
        (None,),
    ]


ANON_RESPONDENT = (
    "Error: Survey #1 is anonymous: an answer is never linked to anyone, so --respondent is refused. "
    "Nothing was recorded."
)


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (("respond", "1", "--score", "care=3", "--respondent", "Bed 12"), 1, ANON_RESPONDENT),
        (("respond", "1", "--score", "care=6"), 1, "Error: Score care=6: scores run from 1 to 5."),
        (("respond", "1", "--score", "care=0"), 1, "Error: Score care=0: scores run from 1 to 5."),
        (
            ("respond", "1", "--score", "care=-1"),
            1,
            "Error: Score care=-1: scores run from 1 to 5.",
        ),
        (
            ("respond", "1", "--score", "care=4.5"),
            1,
            "Error: 'care=4.5' is not a score like KEY=1..5 (the questions: care, attitude).",
        ),
        (
            ("respond", "1", "--score", "care=99999999999999999999"),
            1,
            "Error: 'care=99999999999999999999' is not a score like KEY=1..5 (the questions: care, attitude).",
        ),
        (
            ("respond", "1", "--score", "care"),
            1,
            "Error: 'care' is not a score like KEY=1..5 (the questions: care, attitude).",
        ),
        (
            ("respond", "1", "--score", "food=3"),
            1,
            "Error: Survey #1 has no question 'food'; its questions: care, attitude.",
        ),
        (
            ("respond", "1", "--score", "care=3", "--score", "Care=4"),
            1,
            "Error: Question care is scored twice.",
        ),
        (
            ("respond", "1"),
            1,
            "Error: Give at least one score: --score KEY=1..5 (the questions: care, attitude).",
        ),
        (
            ("respond", "1", "--score", "care=3", "--zone", "A"),
            1,
            "Error: --zone is for residents' surveys; group patients and employees by --dept.",
        ),
        (
            ("respond", "1", "--score", "care=3", "--dept", "Radiology"),
            1,
            NO_DEPT.format(ref="Radiology"),
        ),
        (
            ("respond", "1", "--score", "care=3", "--on", "2026-11-28"),
            1,
            "Error: --on 2026-11-28 is after today (2026-11-27).",
        ),
        (
            ("respond", "1", "--score", "care=3", "--on", "2026-10-31"),
            1,
            "Error: --on 2026-10-31 is outside the survey's days (2026-11-01 to 2026-11-30).",
        ),
        (
            ("respond", "1", "--score", "care=3", "--comment", "x" * 2001),
            1,
            "Error: The comment is longer than 2,000 characters.",
        ),
        (
            ("respond", "2", "--score", "overall=3"),
            1,
            "Error: Survey #2 opens on 2026-12-01: answers are taken from then.",
        ),
        (
            ("respond", "3", "--score", "overall=3"),
            1,
            "Error: Survey #3 closed on 2026-11-20: give the day the answer was given (--on "
            "YYYY-MM-DD, between 2026-11-20 and 2026-11-20).",
        ),
        (
            ("respond", "9", "--score", "overall=3"),
            1,
            "Error: There is no survey #9. See `careops survey list`.",
        ),
        (
            ("respond", "1", "--score", "care=3", "--on", "2026-11-31"),
            2,
            "Error: Invalid value for '--on': '2026-11-31' is not a date like \"2026-11-27\" "
            "(see `careops survey respond --help`)",
        ),
        (
            ("results", "1", "--by", "ward"),
            2,
            "Error: Invalid value for '--by': 'ward' is not one of 'dept', 'zone'. (see "
            "`careops survey results --help`)",
        ),
        (("results", "0"), 1, "Error: There is no survey #0. See `careops survey list`."),
        (
            (
                "create",
                "x",
                "--audience",
                "patients",
                "--opens",
                "2026-11-02",
                "--closes",
                "2026-11-01",
            ),
            1,
            "Error: --closes 2026-11-01 is before --opens 2026-11-02.",
        ),
        (
            (
                "create",
                " ",
                "--audience",
                "patients",
                "--opens",
                "2026-11-01",
                "--closes",
                "2026-11-02",
            ),
            1,
            'Error: Give the survey a name, e.g. "Spring patient survey".',
        ),
        (
            (
                "create",
                "x",
                "--audience",
                "patients",
                "--opens",
                "2026-11-01",
                "--closes",
                "2026-11-02",
                "--question",
                "care",
            ),
            1,
            "Error: 'care' is not a question like KEY:TEXT, e.g. --question \"food:How was the food?\".",
        ),
        (
            (
                "create",
                "x",
                "--audience",
                "patients",
                "--opens",
                "2026-11-01",
                "--closes",
                "2026-11-02",
                "--question",
                "care: ",
            ),
            1,
            "Error: 'care: ' is not a question like KEY:TEXT, e.g. --question \"food:How was the food?\".",
        ),
        (
            (
                "create",
                "x",
                "--audience",
                "patients",
                "--opens",
                "2026-11-01",
                "--closes",
                "2026-11-02",
                "--question",
                "护理:好吗",
            ),
            1,
            "Error: Question key '护理': use letters, digits, - or _ (like food, night-noise).",
        ),
        (
            (
                "create",
                "x",
                "--audience",
                "patients",
                "--opens",
                "2026-11-01",
                "--closes",
                "2026-11-02",
                "--question",
                "a:x",
                "--question",
                "A:y",
            ),
            1,
            "Error: Question key 'a' is given twice.",
        ),
        (
            (
                "create",
                "x",
                "--audience",
                "patients",
                "--opens",
                "2026-11-01",
                "--closes",
                "2026-11-02",
                *[p for k in range(51) for p in ("--question", f"q{k}:x")],
            ),
            1,
            "Error: More than 50 questions.",
        ),
        (
            (
                "create",
                "x",
                "--audience",
                "aliens",
                "--opens",
                "2026-11-01",
                "--closes",
                "2026-11-02",
            ),
            2,
            "Error: Invalid value for '--audience': 'aliens' is not one of 'patients', 'residents', 'employees'. "
            "(see `careops survey create --help`)",
        ),
        (
            ("create", "x", "--audience", "patients", "--opens", "2026-11-01"),
            2,
            "Error: Missing option '--closes'. (see `careops survey create --help`)",
        ),
    ],
)
def test_survey_refusals_write_nothing(cards, db, argv, code, message):
    ok(
        cards,
        "survey",
        "create",
        "Staff",
        "--audience",
        "employees",
        "--opens",
        "2026-12-01",
        "--closes",
        "2026-12-15",
    )
    ok(
        cards,
        "survey",
        "create",
        "One day",
        "--audience",
        "patients",
        "--opens",
        "2026-11-20",
        "--closes",
        "2026-11-20",
    )
    before = counts(db)
    assert refused(cards, "survey", *argv, code=code) == message
    assert counts(db) == before


def test_an_answer_to_a_closed_survey_needs_its_day(cards, db):
    ok(
        cards,
        "survey",
        "create",
        "One day",
        "--audience",
        "patients",
        "--opens",
        "2026-11-20",
        "--closes",
        "2026-11-20",
    )
    assert ok(
        cards, "survey", "respond", "2", "--score", "overall=5", "--on", "2026-11-20"
    ).stdout == ("Recorded an answer to survey #2: overall=5.\n")
    assert cards.json("survey", "results", "2", now=NOW)["answers"] == 1
    # As of the day before, that answer was not given yet.
    assert cards.json("survey", "results", "2", now="2026-11-19 12:00")["answers"] == 0


# --- the residents' survey (P4.10) --------------------------------------------------------------------------


@pytest.fixture
def estate(cli, monkeypatch):
    """Butlers Wang Fang (#1, zone A) and Zhao Lei (#2, zone B); Zhang San (1-101, A), Li Si (1-102, A, not moved
    in), Zhou Min (2-101, B). Recorded on 2026-10-01."""
    monkeypatch.setenv("CAREOPS_USER", "Office Clerk")
    then = "2026-10-01 09:00"
    ok(cli, "staff", "add", "Wang Fang", "--role", "butler", now=then)
    ok(cli, "staff", "add", "Zhao Lei", "--role", "butler", now=then)
    ok(cli, "zone", "add", "A", "--butler", "Wang Fang", now=then)
    ok(cli, "zone", "add", "B", "--butler", "Zhao Lei", now=then)
    ok(cli, "resident", "add", "Zhang San", "--unit", "1-101", "--zone", "A", now=then)
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
    ok(cli, "resident", "add", "Zhou Min", "--unit", "2-101", "--zone", "B", now=then)
    return cli


def test_a_residents_survey_asks_for_a_door_visit_to_every_occupied_household(estate, db):
    result = ok(
        estate,
        "survey",
        "create",
        "Residents 2026",
        "--audience",
        "residents",
        "--opens",
        "2026-11-20",
        "--closes",
        "2026-12-10",
        "--question",
        "service:Butler service",
    )
    assert result.stdout == (
        "Created survey #1 'Residents 2026' for residents, 2026-11-20 to 2026-12-10. Questions: service.\n"
        "2 door visits (P4.10) for the butlers, due by 2026-12-10: `careops log-visit REF --channel door --purpose "
        "survey`.\n"
    )
    survey_items = [
        i for i in estate.json("due", "--all", now=NOW) if i["rule"] == "residents-survey"
    ]
    assert [
        (i["subject"]["unit"], i["owner"]["name"], i["due"], i["status"], i["why"])
        for i in survey_items
    ] == [
        (
            unit,
            butler,
            "2026-12-10",
            "due",
            "door visit for the satisfaction survey: Residents 2026: the survey closes on 2026-12-10",
        )
        for unit, butler in (("1-101", "Wang Fang"), ("2-101", "Zhao Lei"))
    ]
    assert audit(db, "survey") == [
        (
            "Office Clerk",
            "add",
            "survey",
            1,
            None,
            "residents survey #1 'Residents 2026', 2026-11-20 to 2026-12-10, 2 door visits (P4.10)",
            None,
        )
    ]

    visit = ok(
        estate,
        "log-visit",
        "1-101",
        "--channel",
        "door",
        "--by",
        "Wang Fang",
        "--purpose",
        "survey",
    )
    assert visit.stdout.splitlines()[-1] == (
        "Satisfied: follow-up #1 (P4.10 door visit for the satisfaction survey: Residents 2026)."
    )
    assert [
        i["subject"]["unit"]
        for i in estate.json("due", "--all", now=NOW)
        if i["rule"] == "residents-survey"
    ] == ["2-101"]
    # Answers: a household's answer is named (and audited), a zone's is not.
    ok(estate, "survey", "respond", "1", "--score", "service=4", "--respondent", "1-101")
    ok(estate, "survey", "respond", "1", "--score", "service=2", "--zone", "b")
    assert db.rows("SELECT party_id, zone_id FROM survey_answer ORDER BY zone_id") == [
        (1, 1),
        (None, 2),
    ]
    # Not anonymous: each answer is audited, the household's by its unit.
    assert [r[5] for r in audit(db, "survey") if r[1] == "answer"] == [
        "answer to survey #1 from 1-101",
        "answer to survey #1 from -",
    ]
    assert estate.json("survey", "results", "1", "--by", "zone", now=NOW)["groups"] == [
        {"group": "A", "answers": None, "scores": None, "note": SUPPRESSED},
        {"group": "B", "answers": None, "scores": None, "note": SUPPRESSED},
    ]

    voided = ok(estate, "void", "survey", "1", "--reason", "wrong dates")
    assert voided.stdout == "Voided survey #1: wrong dates\n1 door visits (P4.10) cancelled.\n"
    assert [
        i for i in estate.json("due", "--all", now=NOW) if i["rule"] == "residents-survey"
    ] == []
    assert db.rows(
        "SELECT id, state FROM obligation WHERE rule = 'residents-survey' ORDER BY id"
    ) == [(1, "done"), (2, "cancelled")]
    assert estate.json("survey", "list", now=NOW) == []
    assert audit(db, "survey")[-1] == (
        "Office Clerk",
        "void",
        "survey",
        1,
        None,
        "survey #1 voided",
        "wrong dates",
    )


def test_a_residents_survey_that_closed_before_today_asks_for_no_visits(estate, db):
    result = ok(
        estate,
        "survey",
        "create",
        "Last month",
        "--audience",
        "residents",
        "--opens",
        "2026-10-01",
        "--closes",
        "2026-10-31",
    )
    assert (
        result.stdout
        == "Created survey #1 'Last month' for residents, 2026-10-01 to 2026-10-31. Questions: overall.\n"
    )
    assert (
        result.stderr
        == "Note: the survey closed before today, so no door visits were asked for (P4.10).\n"
    )
    assert db.count("obligation") == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("respond", "1", "--score", "service=3", "--dept", "Surgery"),
            "Error: --dept is for patients' and employees' surveys; group residents by --zone.",
        ),
        (("respond", "1", "--score", "service=3", "--zone", "Z"), None),
        (("respond", "1", "--score", "service=3", "--respondent", "9-999"), None),
    ],
)
def test_residents_survey_refusals_write_nothing(estate, db, argv, message):
    ok(
        estate,
        "survey",
        "create",
        "R",
        "--audience",
        "residents",
        "--opens",
        "2026-11-20",
        "--closes",
        "2026-12-10",
        "--question",
        "service:Butler service",
    )
    before = counts(db)
    line = refused(estate, "survey", *argv)
    assert message is None or line == message
    assert counts(db) == before


# --- disclosure checks (H3.7) ---------------------------------------------------------------------------------


def item_row(n: int, key: str, title: str, checked=0, last=None, last_day=None) -> dict:
    return {
        "item": f"H3.7.{n}",
        "key": key,
        "title": title,
        "checked": checked,
        "failed": checked if last == "failed" else 0,
        "last": last,
        "last_day": last_day,
    }


ITEMS = [
    (1, "badge", "staff on duty wear a badge (photo, name, number, department, title)"),
    (2, "ethics", "the code of medical ethics is posted"),
    (3, "prices", "prices of main tests, treatments, operations, stays and drugs are posted"),
    (4, "bill", "discharged patients get an itemised bill"),
    (5, "clinics", "specialist clinics are posted (name, title, specialty, hours, fee)"),
    (6, "schedule", "the schedule of major tests and operations is posted"),
    (7, "open-letter", "an open letter to patients and families is posted"),
]


def test_check_record_ok_and_fail_and_the_month_listed_exactly(hospital, db):
    assert (
        ok(hospital, "--as", ZHOU, "check", "record", "H3.7.1", "--ok").stdout
        == "Recorded H3.7.1 ok on 2026-11-27.\n"
    )
    failed = ok(
        hospital,
        "--as",
        ZHOU,
        "check",
        "record",
        "prices",
        "--fail",
        "--dept",
        "surgery",
        "--note",
        " price  list missing ",
        "--on",
        "2026-11-26",
    )
    assert failed.stdout == (
        "Recorded H3.7.3 failed on 2026-11-26 in Surgery.\n"
        "Action item #1 for Song Lihua (head of Surgery), due 2026-12-11: `careops action done 1 --note TEXT`.\n"
    )
    assert ok(
        hospital, "check", "record", "3.7.7", "--ok", "--dept", "Internal Medicine"
    ).stdout == ("Recorded H3.7.7 ok on 2026-11-27 in Internal Medicine.\n")
    assert ok(
        hospital,
        "check",
        "record",
        "2",
        "--fail",
        "--dept",
        "Internal Medicine",
        "--due",
        "2026-12-01",
    ).stdout == (
        "Recorded H3.7.2 failed on 2026-11-27 in Internal Medicine.\n"
        "Action item #2 for Ma Yuqin (head of Internal Medicine), due 2026-12-01: "
        "`careops action done 2 --note TEXT`.\n"
    )
    ok(hospital, "check", "record", "BADGE", "--ok", "--on", "2026-10-30")
    titles = {n: (key, title) for n, key, title in ITEMS}
    assert hospital.json("check", "list", now=NOW) == {
        "month": "2026-11",
        "owner": ZHOU,
        "items": [
            item_row(1, *titles[1], 1, "ok", "2026-11-27"),
            item_row(2, *titles[2], 1, "failed", "2026-11-27"),
            item_row(3, *titles[3], 1, "failed", "2026-11-26"),
            item_row(4, *titles[4]),
            item_row(5, *titles[5]),
            item_row(6, *titles[6]),
            item_row(7, *titles[7], 1, "ok", "2026-11-27"),
        ],
        "checks": [
            {
                "id": 1,
                "item": "H3.7.1",
                "result": "ok",
                "day": "2026-11-27",
                "dept": None,
                "by": ZHOU,
                "note": None,
                "action": None,
                "action_state": None,
            },
            {
                "id": 4,
                "item": "H3.7.2",
                "result": "failed",
                "day": "2026-11-27",
                "dept": "Internal Medicine",
                "by": None,
                "note": None,
                "action": 2,
                "action_state": "open",
            },
            {
                "id": 2,
                "item": "H3.7.3",
                "result": "failed",
                "day": "2026-11-26",
                "dept": "Surgery",
                "by": ZHOU,
                "note": "price list missing",
                "action": 1,
                "action_state": "open",
            },
            {
                "id": 3,
                "item": "H3.7.7",
                "result": "ok",
                "day": "2026-11-27",
                "dept": "Internal Medicine",
                "by": None,
                "note": None,
                "action": None,
                "action_state": None,
            },
        ],
    }
    october = hospital.json("check", "list", "--month", "2026-10", now=NOW)
    assert (october["month"], october["items"][0], october["checks"]) == (
        "2026-10",
        item_row(1, *titles[1], 1, "ok", "2026-10-30"),
        [
            {
                "id": 5,
                "item": "H3.7.1",
                "result": "ok",
                "day": "2026-10-30",
                "dept": None,
                "by": None,
                "note": None,
                "action": None,
                "action_state": None,
            }
        ],
    )
    assert hospital.json("action", "list", now=NOW) == [
        action(
            2,
            "check",
            "the code of medical ethics is posted: found not kept",
            MA,
            "2026-12-01",
            check="H3.7.2",
        ),
        action(1, "check", "price list missing", SONG, "2026-12-11", check="H3.7.3"),
    ]
    assert db.rows(
        "SELECT actor, action, kind, record_id, staff_id, detail FROM audit WHERE kind IN ('check', 'action') "
        "ORDER BY id"
    ) == [
        (ZHOU, "check", "check", 1, None, "H3.7.1 ok"),
        (ZHOU, "check", "check", 2, None, "H3.7.3 failed in Surgery"),
        (ZHOU, "add", "action", 1, 3, "H3.7.3 failed in Surgery"),
        ("Office Clerk", "check", "check", 3, None, "H3.7.7 ok in Internal Medicine"),
        ("Office Clerk", "check", "check", 4, None, "H3.7.2 failed in Internal Medicine"),
        ("Office Clerk", "add", "action", 2, 4, "H3.7.2 failed in Internal Medicine"),
        ("Office Clerk", "check", "check", 5, None, "H3.7.1 ok"),
    ]
    table = ok(hospital, "check", "list", "--month", "2026-12").stdout.splitlines()
    assert table[0] == "Disclosure checks for 2026-12 (owner: Zhou Wenjing):"


def test_check_list_counts_the_failures_of_an_item_put_right(hospital):
    ok(hospital, "check", "record", "prices", "--fail", "--dept", "Surgery", "--on", "2026-11-03")
    ok(hospital, "action", "done", "1", "--note", "price list posted")
    ok(hospital, "check", "record", "prices", "--ok", "--dept", "Surgery")
    prices = hospital.json("check", "list", now=NOW)["items"][2]
    assert prices == {
        "item": "H3.7.3",
        "key": "prices",
        "title": ITEMS[2][2],
        "checked": 2,
        "failed": 1,
        "last": "ok",
        "last_day": "2026-11-27",
    }
    assert [
        (c["result"], c["action"], c["action_state"])
        for c in hospital.json("check", "list", now=NOW)["checks"]
    ] == [("failed", 1, "done"), ("ok", None, None)]


def test_check_list_with_nobody_in_the_office(cli):
    assert (
        ok(cli, "check", "list").stdout.splitlines()[0]
        == "Disclosure checks for 2026-11 (owner: nobody with role office):"
    )
    assert cli.json("check", "list", now=NOW)["owner"] is None


def test_a_failed_check_in_a_department_without_a_head_is_recorded_and_falls_to_the_office(
    hospital, db
):
    result = ok(
        hospital,
        "check",
        "record",
        "prices",
        "--fail",
        "--dept",
        "Pharmacy",
        "--note",
        "no price list",
    )
    assert result.stdout == (
        "Recorded H3.7.3 failed on 2026-11-27 in Pharmacy.\n"
        "Action item #1 for Zhou Wenjing (office, for Pharmacy), due 2026-12-11: "
        "`careops action done 1 --note TEXT`.\n"
    )
    assert result.stderr == (
        "Warning: action item #1 falls to Zhou Wenjing (office): Pharmacy has no head; name a head with "
        "`careops dept edit Pharmacy --head STAFF`.\n"
    )
    assert hospital.json("action", "list", now=NOW) == [
        action(1, "check", "no price list", ZHOU, "2026-12-11", check="H3.7.3"),
    ]
    assert db.rows(
        "SELECT actor, action, kind, record_id, staff_id, detail FROM audit WHERE kind IN ('check', 'action') "
        "ORDER BY id"
    ) == [
        ("Office Clerk", "check", "check", 1, None, "H3.7.3 failed in Pharmacy"),
        ("Office Clerk", "add", "action", 1, 2, "H3.7.3 failed in Pharmacy"),
    ]


def test_a_failed_check_with_nobody_to_own_it_is_still_recorded(cli, db):
    ok(cli, "dept", "add", "Pharmacy")
    result = ok(cli, "check", "record", "prices", "--fail", "--dept", "Pharmacy")
    assert result.stdout == "Recorded H3.7.3 failed on 2026-11-27 in Pharmacy.\n"
    assert result.stderr == (
        "Warning: nobody owns the action item: Pharmacy has no head and nobody holds office, leadership; "
        "no action item was written. Name a head with `careops dept edit Pharmacy --head STAFF`.\n"
    )
    assert db.count("disclosure_check") == 1
    assert db.count("action_item") == 0


ITEMS_KNOWN = (
    "H3.7.1 (badge), H3.7.2 (ethics), H3.7.3 (prices), H3.7.4 (bill), H3.7.5 (clinics), H3.7.6 (schedule), "
    "H3.7.7 (open-letter)"
)


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (("record", "prices"), 1, "Error: Say how it was found: --ok or --fail."),
        (("record", "prices", "--ok", "--fail"), 1, "Error: Give --ok or --fail, not both."),
        (
            ("record", "prices", "--fail"),
            1,
            "Error: Say which department must put it right: --fail --dept DEPT (its head owns the action item, H3.7). "
            "Nothing was recorded.",
        ),
        (("record", "prices", "--ok", "--dept", "Radiology"), 1, NO_DEPT.format(ref="Radiology")),
        (
            ("record", "H3.7.8", "--ok"),
            1,
            f"Error: 'H3.7.8' is not a disclosure item. The items: {ITEMS_KNOWN}.",
        ),
        (
            ("record", "0", "--ok"),
            1,
            f"Error: '0' is not a disclosure item. The items: {ITEMS_KNOWN}.",
        ),
        (
            ("record", " ", "--ok"),
            1,
            f"Error: ' ' is not a disclosure item. The items: {ITEMS_KNOWN}.",
        ),
        (
            ("record", "bill", "--ok", "--on", "2026-11-28"),
            1,
            "Error: --on 2026-11-28 is after today (2026-11-27).",
        ),
        (
            ("record", "bill", "--ok", "--on", "2026-13-01"),
            2,
            "Error: Invalid value for '--on': '2026-13-01' is not a date like \"2026-11-27\" "
            "(see `careops check record --help`)",
        ),
        (
            ("list", "--month", "2026-13"),
            2,
            "Error: Invalid value for '--month': --month '2026-13' is not a month like "
            "2026-11. (see `careops check list --help`)",
        ),
        (
            ("list", "--month", "2026-1"),
            2,
            "Error: Invalid value for '--month': --month '2026-1' is not a month like 2026-11. "
            "(see `careops check list --help`)",
        ),
        (
            ("list", "--month", "1899-12"),
            2,
            "Error: Invalid value for '--month': --month '1899-12' is not a month like "
            "2026-11. (see `careops check list --help`)",
        ),
        (
            ("list", "--month", "十一月"),
            2,
            "Error: Invalid value for '--month': --month '十一月' is not a month like 2026-11. "
            "(see `careops check list --help`)",
        ),
    ],
)
def test_check_refusals_write_nothing(hospital, db, argv, code, message):
    before = counts(db)
    assert refused(hospital, "check", *argv, code=code) == message
    assert counts(db) == before


@pytest.mark.parametrize("month", ["9999-12", "2200-01"])
def test_a_month_beyond_the_years_careops_takes_is_a_usage_error(hospital, db, month):
    line = refused(hospital, "check", "list", "--month", month, code=2)
    assert line.startswith(f"Error: Invalid value for '--month': --month '{month}'"), line


def test_a_failed_checks_action_is_not_due_before_the_check(hospital, db):
    before = counts(db)
    line = refused(
        hospital, "check", "record", "prices", "--fail", "--dept", "Surgery", "--due", "2026-11-20"
    )
    assert "2026-11-20" in line, line
    assert counts(db) == before


# --- contacts of leadership (H3.2) -------------------------------------------------------------------------


def test_leadership_keeps_a_quarterly_contact_with_government_and_health_authority(hospital, db):
    assert ok(hospital, "contact", "add", "District Government", "--kind", "government").stdout == (
        "Added government District Government (#1).\n"
    )
    assert ok(hospital, "contact", "add", "卫健委", "--kind", "health-authority").stdout == (
        "Added health-authority 卫健委 (#2).\n"
    )
    liaison = [i for i in hospital.json("due", "--staff", XU, now=NOW) if i["clause"] == "H3.2"]
    assert [
        (i["rule"], i["subject"], i["due"], i["status"], i["period"], i["why"]) for i in liaison
    ] == [
        (
            "h3.2-government",
            {"type": "contact", "id": 1, "name": "District Government", "unit": None},
            "2026-12-31",
            "due",
            "2026-Q4",
            "local government, quarterly (leadership): no contact yet in 2026-Q4",
        ),
        (
            "h3.2-health-authority",
            {"type": "contact", "id": 2, "name": "卫健委", "unit": None},
            "2026-12-31",
            "due",
            "2026-Q4",
            "health authority, quarterly (leadership): no contact yet in 2026-Q4",
        ),
    ]
    visit = ok(hospital, "log-visit", "District Government", "--channel", "door", "--by", XU)
    assert (
        visit.stdout.splitlines()[-1]
        == "Satisfied: H3.2 local government, quarterly (leadership) for 2026-Q4."
    )
    assert [
        i["rule"] for i in hospital.json("due", "--staff", XU, now=NOW) if i["clause"] == "H3.2"
    ] == ["h3.2-health-authority"]
    assert audit(db, "contact") == [
        ("Office Clerk", "add", "contact", 1, None, "government District Government added", None),
        ("Office Clerk", "add", "contact", 2, None, "health-authority 卫健委 added", None),
    ]


def test_contact_add_refusals_write_nothing(hospital, db):
    before = counts(db)
    assert refused(hospital, "contact", "add", "X", "--kind", "mafia", code=2) == (
        "Error: Invalid value for '--kind': 'mafia' is not one of 'committee-chair', 'community-office', "
        "'housing-bureau', 'government', 'health-authority'. (see `careops contact add --help`)"
    )
    assert (
        refused(hospital, "contact", "add", " ", "--kind", "government")
        == "Error: The name must not be empty."
    )
    assert counts(db) == before


# --- void ------------------------------------------------------------------------------------------------------


def test_voiding_a_meeting_voids_its_open_action_items_only(forums, db):
    ok(forums, "meeting", "opinion", "1", "food is cold", "--owner", WANG)
    ok(forums, "meeting", "opinion", "1", "too few chairs", "--owner", WANG)
    ok(forums, "action", "done", "4", "--note", "chairs bought")
    result = ok(forums, "void", "meeting", "1", "--reason", "recorded for the wrong ward")
    assert result.stdout == (
        "Voided meeting #1: recorded for the wrong ward\n"
        "Action item #1 cancelled.\nAction item #3 cancelled.\n"
    )
    shown = forums.json("meeting", "show", "1", now=NOW)
    assert shown["void"] == {
        "at": "2026-11-27T08:30:00+08:00",
        "reason": "recorded for the wrong ward",
    }
    assert shown["actions"] == [
        action(
            4,
            "opinion",
            "too few chairs",
            WANG,
            "2026-12-11",
            state="done",
            meeting=1,
            closed_at="2026-11-27T08:30:00+08:00",
            note="chairs bought",
        )
    ]
    assert (
        ok(forums, "meeting", "show", "1").stdout.splitlines()[7]
        == "State     │ void (recorded for the wrong ward)"
    )
    assert [m["id"] for m in forums.json("meeting", "list", now=NOW)] == [3, 2]
    assert db.rows("SELECT id, state, void_reason FROM action_item ORDER BY id") == [
        (1, "open", "recorded for the wrong ward"),
        (2, "open", None),
        (3, "open", "recorded for the wrong ward"),
        (4, "done", None),
    ]
    assert [a["id"] for a in forums.json("action", "list", now=NOW)] == [4, 2]
    due = forums.json("due", "--all", now=NOW)
    assert [i["ref"] for i in due if i["kind"] == "action"] == [2]
    # Surgery's forum no longer counts as held this month.
    assert ("meeting-ward-forum", "Surgery") in [(i["rule"], i["subject"]["name"]) for i in due]
    assert audit(db, "meeting")[-1] == (
        "Office Clerk",
        "void",
        "meeting",
        1,
        None,
        "meeting #1 voided",
        "recorded for the wrong ward",
    )
    before = counts(db)
    assert refused(forums, "meeting", "hold", "1", "--attendee", "A", "--minutes", "x") == (
        "Error: Meeting #1 is void (recorded for the wrong ward)."
    )
    assert refused(forums, "meeting", "opinion", "1", "x", "--owner", WANG) == (
        "Error: Meeting #1 is void (recorded for the wrong ward)."
    )
    assert refused(forums, "action", "done", "1", "--note", "x") == (
        "Error: Action item #1 is void (recorded for the wrong ward)."
    )
    assert refused(forums, "void", "meeting", "1", "--reason", "again") == (
        "Error: Meeting #1 is void already (recorded for the wrong ward)."
    )
    assert counts(db) == before


def test_voiding_an_action_item_and_a_check_with_its_action(hospital, db):
    ok(hospital, "check", "record", "prices", "--fail", "--dept", "Surgery")
    ok(hospital, "check", "record", "bill", "--fail", "--dept", "Surgery")
    assert ok(hospital, "void", "action", "1", "--reason", "put right the same day").stdout == (
        "Voided action #1: put right the same day\n"
    )
    assert ok(hospital, "void", "check", "2", "--reason", "wrong department").stdout == (
        "Voided check #2: wrong department\nAction item #2 cancelled.\n"
    )
    assert hospital.json("action", "list", now=NOW) == []
    listed = hospital.json("check", "list", now=NOW)
    assert [c["id"] for c in listed["checks"]] == [1]
    assert [(i["item"], i["checked"]) for i in listed["items"]][2:4] == [
        ("H3.7.3", 1),
        ("H3.7.4", 0),
    ]
    assert [
        i["rule"]
        for i in hospital.json("due", "--all", now=NOW)
        if i["kind"] in ("action", "check")
    ] == [f"check-H3.7.{n}" for n in (1, 2, 4, 5, 6, 7)]
    assert [r for r in audit(db, "action", "check") if r[1] == "void"] == [
        ("Office Clerk", "void", "action", 1, 3, "action #1 voided", "put right the same day"),
        ("Office Clerk", "void", "check", 2, None, "check #2 voided", "wrong department"),
    ]
    before = counts(db)
    assert (
        refused(hospital, "void", "check", "2", "--reason", "x")
        == "Error: Check #2 is void already (wrong department)."
    )
    assert refused(hospital, "void", "action", "1", "--reason", "x") == (
        "Error: Action #1 is void already (put right the same day)."
    )
    assert (
        refused(hospital, "action", "explain", "2", "--note", "x")
        == "Error: Action item #2 is void (wrong department)."
    )
    assert counts(db) == before


def test_voiding_a_patient_survey_takes_it_out_of_lists_results_and_the_count(cards, db):
    ok(
        cards,
        "survey",
        "create",
        "Spring",
        "--audience",
        "patients",
        "--opens",
        "2026-05-01",
        "--closes",
        "2026-05-31",
    )
    survey_due = [i for i in cards.json("due", "--all", now=NOW) if i["kind"] == "survey"]
    assert [i["why"] for i in survey_due] == [  # nobody answered Spring: it does not count
        "H3.3: at least 2 a year; 1 opened in 2026 so far (`careops survey create … --audience patients`)"
    ]
    ok(cards, "survey", "respond", "2", "--score", "overall=4", "--on", "2026-05-02")
    survey_due = [i for i in cards.json("due", "--all", now=NOW) if i["kind"] == "survey"]
    assert survey_due == []  # two this year, both answered
    assert (
        ok(cards, "void", "survey", "1", "--reason", "cards lost").stdout
        == "Voided survey #1: cards lost\n"
    )
    assert [s["id"] for s in cards.json("survey", "list", now=NOW)] == [2]
    survey_due = [i for i in cards.json("due", "--all", now=NOW) if i["kind"] == "survey"]
    assert [(i["rule"], i["owner"]["name"], i["due"], i["why"]) for i in survey_due] == [
        (
            "survey-patients",
            ZHOU,
            "2026-12-31",
            "H3.3: at least 2 a year; 1 opened in 2026 so far (`careops survey create … --audience patients`)",
        )
    ]
    before = counts(db)
    assert refused(cards, "survey", "results", "1") == "Error: Survey #1 is void (cards lost)."
    assert (
        refused(cards, "survey", "respond", "1", "--score", "care=3")
        == "Error: Survey #1 is void (cards lost)."
    )
    assert (
        refused(cards, "void", "survey", "1", "--reason", "x")
        == "Error: Survey #1 is void already (cards lost)."
    )
    assert counts(db) == before
    assert db.count("survey_answer") == 9  # kept, unread (8 for #1, 1 for Spring)


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (
            ("void", "meeting", "9", "--reason", "x"),
            1,
            "Error: There is no meeting #9. See `careops meeting list`.",
        ),
        (
            ("void", "action", "9", "--reason", "x"),
            1,
            "Error: There is no action #9. See `careops action list`.",
        ),
        (
            ("void", "check", "1", "--reason", "x"),
            1,
            "Error: There is no check #1. See `careops check list`.",
        ),
        (
            ("void", "survey", "1", "--reason", "x"),
            1,
            "Error: There is no survey #1. See `careops survey list`.",
        ),
        (
            ("void", "meeting", "0", "--reason", "x"),
            1,
            "Error: There is no meeting #0. See `careops meeting list`.",
        ),
        (
            ("void", "meeting", "1", "--reason", "  "),
            1,
            "Error: Say why with --reason: a void keeps the record and its reason for the audit.",
        ),
        (
            ("void", "meeting", "one", "--reason", "x"),
            2,
            "Error: Invalid value for 'ID': 'one' is not a number: give the meeting's id. (see `careops void --help`)",
        ),
        (
            ("void", "action", "-1", "--reason", "x"),
            2,
            "Error: No such option: -1 (see `careops void --help`)",
        ),
        (
            ("void", "action", "1.5", "--reason", "x"),
            2,
            "Error: Invalid value for 'ID': '1.5' is not a number: give the action's id. (see `careops void --help`)",
        ),
        (
            ("void", "meeting", "1"),
            2,
            "Error: Missing option '--reason'. (see `careops void --help`)",
        ),
    ],
)
def test_void_refusals_write_nothing(forums, db, argv, code, message):
    before = counts(db)
    assert refused(forums, *argv, code=code) == message
    assert counts(db) == before


# --- due: the small hospital at a fixed clock -----------------------------------------------------------------


def due_item(
    rule,
    clause,
    kind,
    subject,
    owner,
    due,
    why,
    *,
    status="due",
    ref=None,
    period=None,
    missed=None,
) -> dict:
    return {
        "rule": rule,
        "clause": clause,
        "strength": "must",
        "kind": kind,
        "subject": subject,
        "owner": owner,
        "due": due,
        "status": status,
        "last_contact": None,
        "ref": ref,
        "zone": None,
        "period": period,
        "missed_period": missed,
        "why": why,
        "together": [],
        "planned": None,
    }


def subject(type_, id_, name) -> dict:
    return {"type": type_, "id": id_, "name": name, "unit": None}


HOSPITAL = subject("hospital", None, "the hospital")
XU_ID, ZHOU_ID, SONG_ID, MA_ID = (
    {"id": n, "name": name} for n, name in ((1, XU), (2, ZHOU), (3, SONG), (4, MA))
)


def check_item(n: int, title: str) -> dict:
    return due_item(
        f"check-H3.7.{n}",
        f"H3.7.{n}",
        "check",
        subject("hospital", f"H3.7.{n}", "the hospital"),
        ZHOU_ID,
        "2026-11-30",
        f"{title}: not checked in 2026-11 (`careops check record H3.7.{n} --ok|--fail`)",
        period="2026-11",
    )


def test_due_json_of_the_small_hospital_exact(forums):
    ok(forums, "check", "record", "badge", "--ok")
    ok(forums, "check", "record", "ethics", "--ok")
    ok(
        forums,
        "check",
        "record",
        "prices",
        "--fail",
        "--dept",
        "Internal Medicine",
        "--note",
        "no price list",
        "--on",
        "2026-11-25",
    )
    ok(
        forums,
        "survey",
        "create",
        "Spring",
        "--audience",
        "patients",
        "--opens",
        "2026-11-10",
        "--closes",
        "2026-11-30",
    )
    ok(forums, "survey", "respond", "1", "--score", "overall=4")  # answered: it counts
    expected = [
        due_item(
            "meeting-ward-forum",
            "H3.6",
            "meeting",
            subject("dept", 2, "Internal Medicine"),
            MA_ID,
            "2026-11-30",
            "ward forum (H3.6): none held with minutes in 2026-11",
            period="2026-11",
        ),
        *(check_item(n, title) for n, _key, title in ITEMS[3:]),
        due_item(
            "meeting-scheduled",
            "H3.6",
            "meeting",
            HOSPITAL,
            XU_ID,
            "2026-12-02",
            "scheduled for 2026-12-02, chaired by Xu Guoliang: hold it and record the minutes "
            "(`careops meeting hold 3`)",
            ref=3,
        ),
        due_item(
            "action-opinion",
            "H3.6",
            "action",
            subject("dept", 1, "Surgery"),
            SONG_ID,
            "2026-12-04",
            "night-time noise in ward 5 — from ward forum #1 on 2026-11-20: do it (`careops action done 1`) or "
            "explain why not (`action explain 1`)",
            ref=1,
        ),
        due_item(
            "action-check",
            "H3.7.3",
            "action",
            subject("dept", 2, "Internal Medicine"),
            MA_ID,
            "2026-12-11",
            "no price list — from H3.7.3 checked on 2026-11-25: do it (`careops action done 3`) or explain why "
            "not (`action explain 3`)",
            ref=3,
        ),
        due_item(
            "action-cooperation",
            "H3.5",
            "action",
            HOSPITAL,
            XU_ID,
            "2026-12-31",
            "free clinic day — from community unit representatives' forum #2 on 2026-11-26: do it (`careops "
            "action done 2`) or explain why not (`action explain 2`)",
            ref=2,
        ),
        due_item(
            "survey-patients",
            "H3.3",
            "survey",
            subject("survey", None, "patients"),
            ZHOU_ID,
            "2026-12-31",
            "H3.3: at least 2 a year; 1 opened in 2026 so far (`careops survey create … --audience patients`)",
            period="2026",
        ),
        due_item(
            "meeting-volunteer-supervisors",
            "H3.4",
            "meeting",
            HOSPITAL,
            ZHOU_ID,
            "2026-12-31",
            "volunteer social supervisors' meeting (H3.4): none held with minutes in 2026",
            period="2026",
        ),
    ]
    assert forums.json("due", now=NOW) == expected
    assert forums.json("due", "--all", now=NOW) == expected
    assert {i["kind"] for i in expected} == {"meeting", "action", "check", "survey"}
    assert forums.json("due", "--staff", MA, now=NOW) == [expected[0], expected[7]]
    assert forums.json("due", "--staff", SONG, now=NOW) == [expected[6]]
    csv = ok(forums, "due", "--staff", MA, "--format", "csv").stdout.splitlines()
    assert csv[1:] == [
        "meeting-ward-forum,H3.6,must,meeting,dept,2,Internal Medicine,,4,Ma Yuqin,2026-11-30,due,,",
        "action-check,H3.7.3,must,action,dept,2,Internal Medicine,,4,Ma Yuqin,2026-12-11,due,,3",
    ]


def test_due_a_week_later_moves_open_items_to_overdue_and_lists_the_forum_missed(forums):
    later = "2026-12-07 09:00"
    items = {
        (i["rule"], i["subject"]["name"]): (i["status"], i["due"], i["missed_period"])
        for i in forums.json("due", "--all", now=later)
    }
    assert items[("action-opinion", "Surgery")] == ("overdue", "2026-12-04", None)
    assert items[("meeting-scheduled", "the hospital")] == ("overdue", "2026-12-02", None)
    # Internal Medicine held none in November, but it became a ward on 2 November: November is not missed whole.
    assert items[("meeting-ward-forum", "Internal Medicine")] == ("due", "2026-12-31", None)
    assert items[("meeting-ward-forum", "Surgery")] == ("due", "2026-12-31", None)


def test_holding_the_scheduled_forum_and_closing_the_items_empties_the_meeting_and_action_kinds(
    forums,
):
    ok(
        forums,
        "meeting",
        "hold",
        "3",
        "--attendee",
        "A",
        "--minutes",
        "quarterly",
        now="2026-12-02 16:00",
    )
    ok(
        forums,
        "meeting",
        "schedule",
        "ward-forum",
        "--date",
        "2026-12-02",
        "--dept",
        "Internal Medicine",
        now="2026-12-01 09:00",
    )
    ok(
        forums,
        "meeting",
        "hold",
        "4",
        "--attendee",
        "B",
        "--minutes",
        "monthly",
        now="2026-12-02 17:00",
    )
    ok(
        forums,
        "meeting",
        "schedule",
        "ward-forum",
        "--date",
        "2026-12-03",
        "--dept",
        "Surgery",
        now="2026-12-01 09:00",
    )
    ok(
        forums,
        "meeting",
        "hold",
        "5",
        "--attendee",
        "C",
        "--minutes",
        "monthly",
        now="2026-12-03 17:00",
    )
    ok(
        forums,
        "meeting",
        "schedule",
        "volunteer-supervisors",
        "--date",
        "2026-12-20",
        now="2026-12-01 09:00",
    )
    ok(forums, "action", "done", "1", "--note", "quiet hours", now="2026-12-03 18:00")
    ok(forums, "action", "explain", "2", "--note", "no budget this year", now="2026-12-03 18:00")
    kinds = [
        (i["kind"], i["rule"], i["status"])
        for i in forums.json("due", "--all", now="2026-12-03 18:00")
        if i["kind"] in ("meeting", "action")
    ]
    assert kinds == [("meeting", "meeting-scheduled", "upcoming")]
    assert [
        i for i in forums.json("due", now="2026-12-03 18:00") if i["kind"] in ("meeting", "action")
    ] == []


# --- the hospital demo ------------------------------------------------------------------------------------------


def test_demo_site_hospital_prints_one_line_and_builds_the_office(cli, db):
    result = ok(cli, "demo", "--site", "hospital")
    assert result.stdout.count("\n") == 1
    assert result.stdout.startswith("Hospital demo (H3): ")
    assert (
        "meetings held with minutes" in result.stdout
        and 'Try: careops due --staff "' in result.stdout
    )
    assert all(
        db.count(t) > 0
        for t in (
            "dept",
            "meeting",
            "meeting_attendee",
            "action_item",
            "disclosure_check",
            "survey",
            "survey_answer",
        )
    ), counts(db)
    clerk = result.stdout.rsplit('--staff "', 1)[1].rstrip('"\n')
    assert ok(cli, "due", "--staff", clerk).stdout
    kinds = {i["kind"] for i in cli.json("due", "--all", now=NOW)}
    assert {"meeting", "check", "survey"} <= kinds, kinds
    before = counts(db)
    assert refused(cli, "demo", "--site", "hospital") == (
        "Error: This database already holds records; build the demo in a new one (--db hospital.db)."
    )
    assert counts(db) == before


def test_the_property_demo_is_unchanged(cli, db):
    result = ok(cli, "demo", "--households", "12")
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("Demo site: 12 households in ")
    assert lines[1] == (
        'The company\'s side (E1, E2): careops leave list; careops --as "唐亚萍" appeal list; '
        "careops due --staff '邓国强'."
    )
    assert db.count("meeting") == 0 and db.count("survey") == 0


def test_demo_site_refuses_an_unknown_site(cli, db):
    assert refused(cli, "demo", "--site", "zoo", code=2) == (
        "Error: Invalid value for '--site': 'zoo' is not one of 'property', 'hospital'. (see `careops demo --help`)"
    )
    assert not db.created() or db.count("staff") == 0

"""CLI: employee relations (E1, E2) — staff and their reporting line, interviews, E2.2 events, leaving and
transfers, appeals, voids and the due items they make, with a fixed clock and a fixed actor.

The rules themselves are tested against the services in test_rules_e.py; here a small known company proves
what HR, a manager and an employee see: the exact lines printed, the exact JSON, warnings on stderr, and that a
refused command writes nothing at all (every table, the audit included).
"""

from __future__ import annotations

import pytest

from conftest import NOW, ok, refused

THEN = "2026-01-05 09:00"  # a Monday: the company is recorded
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

CHAIR, GM, HR, HEAD, LEAD, ZHOU, WU, UNION = (
    "Chair Zhao",
    "GM Qian",
    "HR Sun",
    "Li Hua",
    "Sun Li",
    "Zhou Min",
    "Wu Gang",
    "Ma Lan",
)


def counts(db) -> dict[str, int]:
    return {table: db.count(table) for table in TABLES}


def as_(cli, who: str, *args: str, now: str = NOW):
    """A step taken by `who` (the global --as option)."""
    return ok(cli, "--as", who, *args, now=now)


ON_FILE = ("--contract-ends", "2030-12-31")  # a contract end on file, far ahead (E1.1 asks for it)


@pytest.fixture
def company(cli, monkeypatch):
    """Chairman Chair Zhao (#1) ← general manager GM Qian (#2) ← HR officer HR Sun (#3) and sales head Li Hua (#4,
    dept-head) ← team lead Sun Li (#5) ← Zhou Min (#6: hired 2026-06-01, probation to 2026-12-04, contract to
    2026-12-20) and Wu Gang (#7: key position, hired 2026-01-05). Union rep Ma Lan (#8) reports to nobody.
    Every contract end is on file (2030-12-31 unless said).
    All recorded on 2026-01-05 by Office Clerk (not a staff member)."""
    monkeypatch.setenv("CAREOPS_USER", "Office Clerk")
    ok(cli, "staff", "add", CHAIR, "--role", "chairman", now=THEN)
    ok(cli, "staff", "add", GM, "--role", "gm", "--reports-to", CHAIR, *ON_FILE, now=THEN)
    ok(cli, "staff", "add", HR, "--role", "hr", "--reports-to", GM, *ON_FILE, now=THEN)
    ok(
        cli,
        "staff",
        "add",
        HEAD,
        "--role",
        "dept-head",
        "--dept",
        "sales",
        "--reports-to",
        GM,
        now=THEN,
    )
    ok(cli, "staff", "add", LEAD, "--dept", "sales", "--reports-to", HEAD, *ON_FILE, now=THEN)
    ok(
        cli,
        "staff",
        "add",
        ZHOU,
        "--dept",
        "sales",
        "--reports-to",
        LEAD,
        "--hired",
        "2026-06-01",
        "--probation-ends",
        "2026-12-04",
        "--contract-ends",
        "2026-12-20",
        "--email",
        "zhou.min@example.com",
        now=THEN,
    )
    ok(
        cli,
        "staff",
        "add",
        WU,
        "--dept",
        "sales",
        "--reports-to",
        LEAD,
        "--hired",
        "2026-01-05",
        "--key-position",
        *ON_FILE,
        now=THEN,
    )
    ok(cli, "staff", "add", UNION, "--role", "union", *ON_FILE, now=THEN)
    return cli


def person(id_: int, name: str, role: str = "employee") -> dict:
    return {"id": id_, "name": name, "role": role}


def staff_subject(id_: int | None, name: str) -> dict:
    return {"type": "staff", "id": id_, "name": name, "unit": None}


def item(
    rule: str,
    clause: str,
    kind: str,
    subject: dict,
    owner: dict,
    due: str,
    why: str,
    *,
    status: str = "due",
    strength: str = "must",
    ref=None,
    period=None,
) -> dict:
    """One `due --format json` item about a staff member."""
    return {
        "rule": rule,
        "clause": clause,
        "strength": strength,
        "kind": kind,
        "subject": subject,
        "owner": owner,
        "due": due,
        "status": status,
        "last_contact": None,
        "ref": ref,
        "zone": None,
        "period": period,
        "missed_period": None,
        "why": why,
        "together": [],
        "planned": None,
    }


def one_to_one(id_: int, name: str, owner: dict) -> dict:
    return item(
        "one-to-one",
        "E2.1",
        "cadence",
        staff_subject(id_, name),
        owner,
        "2026-12-31",
        f"one-to-one with {owner['name']}: none of 120 min or more yet in 2026",
        period="2026",
    )


CHAIR_ID, GM_ID, HR_ID, HEAD_ID, LEAD_ID, ZHOU_ID, WU_ID = (
    {"id": n, "name": name} for n, name in enumerate((CHAIR, GM, HR, HEAD, LEAD, ZHOU, WU), start=1)
)
ZHOU_S, WU_S = staff_subject(6, ZHOU), staff_subject(7, WU)
PROBATION = item(
    "probation-interview",
    "E2.2",
    "interview",
    ZHOU_S,
    LEAD_ID,
    "2026-12-04",
    "probation ends on 2026-12-04: the manager interviews Zhou Min by 2026-12-04",
)
CONTRACT = item(
    "contract-ending",
    "E1.1",
    "contract",
    ZHOU_S,
    HR_ID,
    "2026-12-20",
    "Zhou Min's contract ends on 2026-12-20: renew it (`staff edit --contract-ends`) or record the leaving "
    "(`leave start`)",
    strength="should",
)
# E3: the yearly anonymous employee survey, owed by HR once the company's employees are recorded.
E3_SURVEY = item(
    "survey-employees",
    "E3",
    "survey",
    {"type": "survey", "id": None, "name": "employees", "unit": None},
    HR_ID,
    "2026-12-31",
    "E3: at least 1 a year; 0 opened in 2026 so far (`careops survey create … "
    "--audience employees`)",
    period="2026",
)


# --- staff: details and the reporting line -----------------------------------------------------------------


def test_staff_add_defaults_to_employee_and_prints_one_line(cli, db):
    first = ok(cli, "staff", "add", "Zhou Min", now=THEN)
    assert first.stdout == "Added employee Zhou Min (#1).\n"
    assert (
        ok(cli, "staff", "add", "Sun Li", "--role", "gm", now=THEN).stdout
        == "Added gm Sun Li (#2).\n"
    )
    assert ok(
        cli, "staff", "add", "王小明", "--reports-to", "Sun Li", "--dept", "销售", now=THEN
    ).stdout == ("Added employee 王小明 (#3).\n")
    assert db.rows(
        "SELECT id, name, role, dept, reports_to_id, key_position FROM staff ORDER BY id"
    ) == [
        (1, "Zhou Min", "employee", None, None, False),
        (2, "Sun Li", "gm", None, None, False),
        (3, "王小明", "employee", "销售", 2, False),
    ]
    assert cli.json("staff", "show", "王小明", now=NOW)["reporting_line"] == [
        person(3, "王小明"),
        person(2, "Sun Li", "gm"),
    ]


def test_staff_show_json_has_the_line_up_to_the_top_reports_and_cases(company):
    assert company.json("staff", "show", ZHOU, now=NOW) == {
        "id": 6,
        "name": ZHOU,
        "role": "employee",
        "dept": "sales",
        "phone": None,
        "email": "zhou.min@example.com",
        "hired": "2026-06-01",
        "probation_ends": "2026-12-04",
        "contract_ends": "2026-12-20",
        "key_position": False,
        "reports_since": "2026-06-01",
        "status": "active",
        "left_on": None,
        "reporting_line": [
            person(6, ZHOU),
            person(5, LEAD),
            person(4, HEAD, "dept-head"),
            person(2, GM, "gm"),
            person(1, CHAIR, "chairman"),
        ],
        "reports": [],
        "cases": [],
    }
    lead = company.json("staff", "show", "#5", now=NOW)
    assert (lead["name"], lead["reports_since"], lead["reports"]) == (
        LEAD,
        "2026-01-05",
        [person(7, WU), person(6, ZHOU)],
    )
    assert company.json("staff", "show", "chair zhao", now=NOW)["reporting_line"] == [
        person(1, CHAIR, "chairman")
    ]


def test_staff_show_csv_reads_like_a_card(company):
    assert ok(company, "staff", "show", ZHOU, "--format", "csv").stdout == (
        "field,value\n"
        "ID,6\n"
        "Name,Zhou Min\n"
        "Role,employee\n"
        "Dept,sales\n"
        "E-mail,zhou.min@example.com\n"
        "Hired,2026-06-01\n"
        "Probation ends,2026-12-04\n"
        "Contract ends,2026-12-20\n"
        "Key position,no\n"
        "Manager since,2026-06-01\n"
        "Status,active\n"
        "Reporting line,Zhou Min (employee) → Sun Li (employee) → Li Hua (dept-head) → GM Qian "
        "(gm) → Chair Zhao (chairman)\n"
    )
    assert ok(company, "staff", "show", CHAIR, "--format", "csv").stdout.splitlines()[-2:] == [
        "Reporting line,Chair Zhao (chairman) (top)",
        "Reports,GM Qian (gm)",
    ]


def test_staff_edit_prints_each_change_and_a_new_manager_owes_the_one_to_one(company, db):
    result = ok(company, "staff", "edit", ZHOU, "--contract-ends", "2029-12-31", "--key-position")
    assert (
        result.stdout
        == "Changed Zhou Min: contract ends 2026-12-20 → 2029-12-31; key position no → yes.\n"
    )
    assert (
        ok(company, "staff", "edit", ZHOU, "--no-key-position").stdout
        == "Changed Zhou Min: key position yes → no.\n"
    )
    moved = ok(company, "staff", "edit", ZHOU, "--reports-to", HEAD, "--dept", "Marketing")
    assert moved.stderr.endswith(
        "Note: department 'Marketing' is new and is now recorded (not clinical, no head); "
        "`careops dept edit Marketing --clinical --head STAFF` if it is a ward.\n"
    )
    assert moved.stdout == (
        "Changed Zhou Min: dept sales → Marketing; reports to Sun Li → Li Hua.\n"
        "Zhou Min's one-to-one (E2.1) is now owed by Li Hua for 2026.\n"
    )
    shown = company.json("staff", "show", ZHOU, now=NOW)
    assert (shown["contract_ends"], shown["key_position"], shown["reports_since"]) == (
        "2029-12-31",
        False,
        "2026-11-27",
    )
    # The new pair is owed by the new manager; the old manager owes nothing for Zhou Min any more.
    assert [
        i["subject"]["name"]
        for i in company.json("due", "--all", "--staff", HEAD, now=NOW)
        if i["rule"] == "one-to-one"
    ] == [LEAD, ZHOU]
    assert [
        i["subject"]["name"] for i in company.json("due", "--all", "--staff", LEAD, now=NOW)
    ] == [WU]
    edits = db.rows(
        "SELECT actor, action, kind, record_id, detail FROM audit WHERE action = 'edit' ORDER BY id"
    )
    assert edits == [
        (
            "Office Clerk",
            "edit",
            "staff",
            6,
            "Zhou Min: contract ends 2026-12-20 → 2029-12-31; key position no → yes",
        ),
        ("Office Clerk", "edit", "staff", 6, "Zhou Min: key position yes → no"),
        (
            "Office Clerk",
            "edit",
            "staff",
            6,
            "Zhou Min: dept sales → Marketing; reports to Sun Li → Li Hua",
        ),
    ]


def test_staff_edit_with_the_values_on_record_changes_nothing_and_writes_nothing(company, db):
    before = counts(db)
    result = ok(
        company,
        "staff",
        "edit",
        ZHOU,
        "--reports-to",
        LEAD,
        "--contract-ends",
        "2026-12-20",
        "--dept",
        "sales",
    )
    assert (
        result.stdout == "Nothing changed for Zhou Min: the values given are the ones on record.\n"
    )
    assert counts(db) == before
    assert company.json("staff", "show", ZHOU, now=NOW)["reports_since"] == "2026-06-01"


NOTHING_TO_EDIT = (
    "Error: Say what changes: --role, --dept, --reports-to, --phone, --email, --hired, --probation-ends, "
    "--contract-ends or --key-position/--no-key-position."
)
NO_SUCH_STAFF = (
    "Error: No staff member matches 'Nobody'. See `careops staff list`, or add them with "
    "`careops staff add`."
)


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (
            ("staff", "edit", CHAIR, "--reports-to", ZHOU),
            1,
            "Error: Chair Zhao cannot report to Zhou Min: Zhou Min already reports to Chair "
            "Zhao (through Zhou Min → Sun Li → Li Hua → GM Qian → Chair Zhao).",
        ),
        (
            ("staff", "edit", LEAD, "--reports-to", WU),
            1,
            "Error: Sun Li cannot report to Wu Gang: Wu Gang already reports to Sun Li (through Wu Gang → Sun Li).",
        ),
        (
            ("staff", "edit", LEAD, "--reports-to", LEAD),
            1,
            "Error: Sun Li cannot report to themselves.",
        ),
        (("staff", "edit", LEAD), 1, NOTHING_TO_EDIT),
        (("staff", "edit", "Nobody", "--dept", "x"), 1, NO_SUCH_STAFF),
        (("staff", "edit", ZHOU, "--reports-to", "Nobody"), 1, NO_SUCH_STAFF),
        (
            ("staff", "edit", ZHOU, "--email", "not-an-address"),
            1,
            "Error: 'not-an-address' is not an e-mail address (like name@example.com).",
        ),
        (
            ("staff", "edit", ZHOU, "--probation-ends", "2026-05-31"),
            1,
            "Error: --probation-ends 2026-05-31 is before the hire date (2026-06-01).",
        ),
        (
            ("staff", "edit", ZHOU, "--hired", "2027-01-01"),
            1,
            "Error: --probation-ends 2026-12-04 is before the hire date (2027-01-01).",
        ),
        (("staff", "add", " "), 1, "Error: The name must not be empty."),
        (("staff", "add", "X", "--reports-to", "Nobody"), 1, NO_SUCH_STAFF),
        (
            ("staff", "add", "X", "--hired", "2026-02-01", "--contract-ends", "2026-01-31"),
            1,
            "Error: --contract-ends 2026-01-31 is before the hire date (2026-02-01).",
        ),
        (
            ("staff", "add", "X", "--role", "boss"),
            2,
            "Error: Invalid value for '--role': 'boss' is not one of 'butler', 'chief-butler', "
            "'supervisor', 'manager', 'health-butler', 'dept-head', 'office', 'leadership', "
            "'employee', 'hr', 'gm', 'union', 'chairman'. (see `careops staff add --help`)",
        ),
        (
            ("staff", "add", "X", "--hired", "2026-02-30"),
            2,
            "Error: Invalid value for '--hired': '2026-02-30' is not a date like "
            '"2026-11-27" (see `careops staff add --help`)',
        ),
        (
            (
                "staff",
                "edit",
                ZHOU,
                "--key-position",
                "--no-key-position",
                "--dept",
                "x",
                "--email",
                "a@b",
            ),
            1,
            "Error: 'a@b' is not an e-mail address (like name@example.com).",
        ),
    ],
)
def test_staff_refusals_write_nothing(company, db, argv, code, message):
    before = counts(db)
    assert refused(company, *argv, code=code) == message
    assert counts(db) == before


# --- interviews (E2.1, E2.2) -------------------------------------------------------------------------------


def test_a_119_minute_one_to_one_is_recorded_with_a_warning_and_does_not_count(company, db):
    result = company(
        "interview", "log", ZHOU, "--by", LEAD, "--kind", "one-to-one", "--minutes", "119", now=NOW
    )
    assert result.exit_code == 0, result.output
    assert (
        result.stdout
        == "Logged interview #1: one-to-one with Zhou Min by Sun Li, 119 min, 2026-11-27 08:30.\n"
    )
    assert result.stderr == (
        "Warning: recorded, but it does not count for E2.1: 119 min, a one-to-one needs 120 min or "
        "more in one sitting.\n"
    )
    assert db.count("interview") == 1
    assert one_to_one(6, ZHOU, LEAD_ID) in company.json("due", "--all", "--staff", LEAD, now=NOW)


def test_a_120_minute_one_to_one_with_the_manager_counts_for_the_year(company):
    result = ok(
        company,
        "interview",
        "log",
        "Zhou Min",
        "--by",
        "sun li",
        "--kind",
        "one-to-one",
        "--minutes",
        "120",
        "--at",
        "2026-11-27 08:00",
        "--note",
        " 职业规划 ",
    )
    assert result.stdout == (
        "Logged interview #1: one-to-one with Zhou Min by Sun Li, 120 min, 2026-11-27 08:00.\n"
        "It counts for the yearly one-to-one (E2.1).\n"
    )
    assert result.stderr == ""
    assert [
        i["subject"]["name"]
        for i in company.json("due", "--all", "--staff", LEAD, now=NOW)
        if i["kind"] == "cadence"
    ] == [WU]
    assert company.json("interview", "list", now=NOW) == [
        {
            "id": 1,
            "at": "2026-11-27T08:00:00+08:00",
            "kind": "one-to-one",
            "minutes": 120,
            "employee": ZHOU,
            "by": LEAD,
            "note": "职业规划",
        }
    ]


def test_a_one_to_one_by_someone_else_or_without_a_manager_says_why_it_does_not_count(company):
    other = company(
        "interview", "log", ZHOU, "--by", HEAD, "--kind", "one-to-one", "--minutes", "150", now=NOW
    )
    assert other.exit_code == 0
    assert (
        other.stderr
        == "Warning: recorded, but it does not count for E2.1: Li Hua is not Zhou Min's manager (Sun Li).\n"
    )
    top = company(
        "interview", "log", CHAIR, "--by", GM, "--kind", "one-to-one", "--minutes", "120", now=NOW
    )
    assert top.exit_code == 0
    # The hint is a command to paste: a name with a space is quoted, as everywhere else.
    assert top.stderr == (
        "Warning: recorded, but it does not count for E2.1: Chair Zhao has no manager recorded "
        '(`careops staff edit "Chair Zhao" --reports-to STAFF`).\n'
    )


def test_interview_list_newest_first_with_filters(company):
    ok(
        company,
        "interview",
        "log",
        WU,
        "--by",
        LEAD,
        "--kind",
        "one-to-one",
        "--minutes",
        "120",
        "--at",
        "2026-03-02 10:00",
        now="2026-03-02 12:00",
    )
    ok(
        company,
        "interview",
        "log",
        WU,
        "--by",
        LEAD,
        "--kind",
        "appraisal",
        "--minutes",
        "30",
        "--at",
        "2026-11-20 10:00",
        now="2026-11-20 12:00",
    )
    ok(
        company,
        "interview",
        "log",
        ZHOU,
        "--by",
        HR,
        "--kind",
        "career",
        "--minutes",
        "45",
        "--note",
        "wants sales lead",
    )
    career = {
        "id": 3,
        "at": "2026-11-27T08:30:00+08:00",
        "kind": "career",
        "minutes": 45,
        "employee": ZHOU,
        "by": HR,
        "note": "wants sales lead",
    }
    appraisal = {
        "id": 2,
        "at": "2026-11-20T10:00:00+08:00",
        "kind": "appraisal",
        "minutes": 30,
        "employee": WU,
        "by": LEAD,
        "note": None,
    }
    first = {
        "id": 1,
        "at": "2026-03-02T10:00:00+08:00",
        "kind": "one-to-one",
        "minutes": 120,
        "employee": WU,
        "by": LEAD,
        "note": None,
    }
    assert company.json("interview", "list", now=NOW) == [career, appraisal, first]
    assert company.json("interview", "list", "--employee", WU, now=NOW) == [appraisal, first]
    assert company.json("interview", "list", "--by", LEAD, "--kind", "appraisal", now=NOW) == [
        appraisal
    ]
    assert company.json("interview", "list", "--year", "2025", now=NOW) == []
    assert ok(company, "interview", "list", "--year", "2025").stdout == "No interviews match.\n"
    assert ok(company, "interview", "list", "--format", "csv", "--kind", "career").stdout == (
        "id,at,kind,minutes,employee,by,note\n3,2026-11-27 08:30,career,45,Zhou Min,HR Sun,wants sales lead\n"
    )


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (
            (ZHOU, "--by", ZHOU, "--kind", "one-to-one", "--minutes", "120"),
            1,
            "Error: Zhou Min cannot interview themselves: --by names the manager or the HR officer.",
        ),
        (
            (ZHOU, "--by", LEAD, "--kind", "one-to-one", "--minutes", "0"),
            1,
            "Error: --minutes must be between 1 and 1440 (it was 0).",
        ),
        (
            (ZHOU, "--by", LEAD, "--kind", "one-to-one", "--minutes", "1441"),
            1,
            "Error: --minutes must be between 1 and 1440 (it was 1441).",
        ),
        (
            (ZHOU, "--by", LEAD, "--kind", "one-to-one", "--minutes", "-5"),
            1,
            "Error: --minutes must be between 1 and 1440 (it was -5).",
        ),
        (
            (
                ZHOU,
                "--by",
                LEAD,
                "--kind",
                "one-to-one",
                "--minutes",
                "120",
                "--at",
                "2026-11-27 09:00",
            ),
            1,
            "Error: 2026-11-27 09:00 is later than now (2026-11-27 08:30); record the interview once it has happened.",
        ),
        (
            (
                ZHOU,
                "--by",
                LEAD,
                "--kind",
                "probation",
                "--minutes",
                "60",
                "--at",
                "2026-05-31 10:00",
            ),
            1,
            "Error: 2026-05-31 is before Zhou Min was hired (2026-06-01).",
        ),
        (("Nobody", "--by", LEAD, "--kind", "one-to-one", "--minutes", "120"), 1, NO_SUCH_STAFF),
        ((ZHOU, "--by", "Nobody", "--kind", "one-to-one", "--minutes", "120"), 1, NO_SUCH_STAFF),
        (
            (ZHOU, "--by", LEAD, "--kind", "chat", "--minutes", "5"),
            2,
            "Error: Invalid value for '--kind': 'chat' is not one of 'one-to-one', "
            "'probation', 'pay-change', 'transfer', 'appraisal', 'career', 'resignation', "
            "'exit'. (see `careops interview log --help`)",
        ),
        (
            (ZHOU, "--kind", "one-to-one", "--minutes", "120"),
            2,
            "Error: Missing option '--by'. (see `careops interview log --help`)",
        ),
    ],
)
def test_interview_refusals_write_nothing(company, db, argv, code, message):
    before = counts(db)
    assert refused(company, "interview", "log", *argv, code=code) == message
    assert counts(db) == before


def test_minutes_that_are_not_a_number_are_a_usage_error(company, db):
    before = counts(db)
    line = refused(
        company,
        "interview",
        "log",
        ZHOU,
        "--by",
        LEAD,
        "--kind",
        "one-to-one",
        "--minutes",
        "two hours",
        code=2,
    )
    assert line.startswith("Error: Invalid value for '--minutes'"), line
    assert counts(db) == before


# --- E2.2 events: the manager owes a work interview ------------------------------------------------------


def test_pay_change_event_makes_a_work_interview_for_the_manager_and_an_interview_of_its_kind_closes_it(
    company,
):
    result = ok(company, "event", ZHOU, "pay-change", "--note", "raise to grade 5")
    assert result.stdout == (
        "Recorded pay-change #1 for Zhou Min at 2026-11-27 08:30.\n"
        "Work interview (E2.2 must): pay-change interview with Zhou Min — Sun Li, within 7 days, by 2026-12-04. "
        "Record it with `careops interview log ... --kind pay-change`.\n"
    )
    work = item(
        "work-interview",
        "E2.2",
        "interview",
        ZHOU_S,
        LEAD_ID,
        "2026-12-04",
        "pay-change recorded on 2026-11-27: the manager interviews Zhou Min within 7 days",
        ref=1,
    )
    assert company.json("due", "--staff", LEAD, now=NOW) == [
        PROBATION,
        work,
        one_to_one(7, WU, LEAD_ID),
    ]
    # A week and a day later it is overdue.
    assert [
        (i["rule"], i["status"])
        for i in company.json("due", "--staff", LEAD, now="2026-12-05 09:00")
        if i["kind"] == "interview"
    ] == [("probation-interview", "overdue"), ("work-interview", "overdue")]
    closed = ok(
        company,
        "interview",
        "log",
        ZHOU,
        "--by",
        LEAD,
        "--kind",
        "pay-change",
        "--minutes",
        "30",
        now="2026-11-30 10:00",
    )
    assert closed.stdout == (
        "Logged interview #1: pay-change with Zhou Min by Sun Li, 30 min, 2026-11-30 10:00.\n"
        "Closes: pay-change of 2026-11-27.\n"
    )
    assert [
        i["rule"] for i in company.json("due", "--all", "--staff", LEAD, now="2026-11-30 10:00")
    ] == ["probation-interview", "one-to-one", "one-to-one"]


@pytest.mark.parametrize(
    "kind", ["pay-change", "transfer", "appraisal", "career", "resignation", "Appraisal"]
)
def test_every_e22_event_calls_for_a_work_interview(company, kind):
    ok(company, "event", WU, kind, "--at", "2026-11-26 15:00")
    [work] = [
        i for i in company.json("due", "--staff", LEAD, now=NOW) if i["rule"] == "work-interview"
    ]
    assert work == item(
        "work-interview",
        "E2.2",
        "interview",
        WU_S,
        LEAD_ID,
        "2026-12-03",
        f"{kind.lower()} recorded on 2026-11-26: the manager interviews Wu Gang within 7 days",
        ref=1,
    )


def test_an_event_for_someone_without_a_manager_goes_to_hr(company):
    assert ok(company, "event", UNION, "career").stdout.splitlines()[1] == (
        "Work interview (E2.2 must): career interview with Ma Lan — nobody (no manager recorded: HR holds it), "
        "within 7 days, by 2026-12-04. Record it with `careops interview log ... --kind career`."
    )
    assert company.json("due", "--staff", HR, now=NOW) == [
        item(
            "work-interview",
            "E2.2",
            "interview",
            staff_subject(8, UNION),
            HR_ID,
            "2026-12-04",
            "career recorded on 2026-11-27: the manager interviews Ma Lan within 7 days — no manager "
            "today (none on file, or they have left): falls to HR Sun",
            ref=1,
        ),
        CONTRACT,
        E3_SURVEY,
    ]


def test_an_event_in_the_future_is_refused_as_an_event(company, db):
    before = counts(db)
    assert refused(company, "event", ZHOU, "pay-change", "--at", "2026-11-28 09:00") == (
        "Error: 2026-11-28 09:00 is later than now (2026-11-27 08:30); record the event once it has happened."
    )
    assert counts(db) == before


def test_an_event_for_an_unknown_employee_is_refused(company, db):
    before = counts(db)
    assert refused(company, "event", "Nobody", "pay-change") == NO_SUCH_STAFF
    assert counts(db) == before


# --- leaving (E1.2, E1.3) --------------------------------------------------------------------------------


def step(name: str, done: bool = False, at=None, by=None, interview=None, note=None) -> dict:
    return {"step": name, "done": done, "at": at, "by": by, "interview": interview, "note": note}


def case(
    id_=1,
    employee=WU,
    last_day="2026-12-31",
    *,
    kind="leave",
    reason=None,
    exit_by="hr",
    key=True,
    manager=LEAD,
    from_dept="sales",
    to_dept=None,
    state="open",
    opened="2026-11-27T08:30:00+08:00",
    closed=None,
    void=None,
    flag=None,
    steps=(),
) -> dict:
    return {
        "id": id_,
        "kind": kind,
        "employee": employee,
        "last_day": last_day,
        "reason": reason,
        "exit_interview_by": exit_by,
        "key_position": key,
        "manager": manager,
        "from_dept": from_dept,
        "to_dept": to_dept,
        "state": state,
        "opened_at": opened,
        "closed_at": closed,
        "void": void,
        "flag": flag,
        "steps": list(steps),
    }


def test_leave_start_prints_the_checklist_and_who_holds_the_exit_interview(company, db):
    result = ok(
        company, "leave", "start", WU, "--last-day", "2026-12-31", "--reason", " moving city "
    )
    assert result.stdout == (
        "Opened leaving case #1 for Wu Gang: last day 2026-12-31. Steps: handover, exit-interview, audit, final-pay.\n"
        "Exit interview by HR (E1.3; Wu Gang may prefer their manager: --exit-interview-by manager): "
        '`careops interview log "Wu Gang" --kind exit --by STAFF '
        "--minutes N`.\n"
    )
    assert company.json("leave", "show", "1", now=NOW) == case(
        reason="moving city",
        steps=[step("handover"), step("exit-interview"), step("audit"), step("final-pay")],
    )
    by_manager = ok(
        company,
        "leave",
        "start",
        ZHOU,
        "--last-day",
        "2026-12-15",
        "--exit-interview-by",
        "manager",
    )
    assert by_manager.stdout == (
        "Opened leaving case #2 for Zhou Min: last day 2026-12-15. Steps: handover, exit-interview, final-pay.\n"
        'Exit interview by Sun Li (E1.3), as Zhou Min chose: `careops interview log "Zhou Min" --kind exit --by STAFF '
        "--minutes N`.\n"
    )
    assert db.rows(
        "SELECT actor, action, kind, record_id, detail FROM audit WHERE action = 'start' ORDER BY id"
    ) == [
        (
            "Office Clerk",
            "start",
            "leave",
            1,
            "leave case #1 for Wu Gang: last day 2026-12-31; steps handover, exit-interview, audit, final-pay",
        ),
        (
            "Office Clerk",
            "start",
            "leave",
            2,
            "leave case #2 for Zhou Min: last day 2026-12-15; steps handover, "
            "exit-interview, final-pay",
        ),
    ]


def test_leaving_step_by_step_to_the_final_pay(company, db):
    ok(company, "leave", "start", WU, "--last-day", "2026-12-31")
    before = counts(db)
    assert refused(company, "leave", "step", "1", "final-pay") == (
        "Error: Final pay is released only once every earlier step is done (E1.2); still open: "
        "handover, exit-interview, audit."
    )
    assert refused(company, "leave", "step", "1", "exit-interview") == (
        'Error: The exit interview is recorded with its notes: `careops interview log "Wu Gang" --kind exit --by STAFF '
        "--minutes N --note TEXT` (it ticks this step)."
    )
    assert counts(db) == before

    assert as_(
        company,
        LEAD,
        "leave",
        "step",
        "1",
        "handover",
        "--note",
        "clients to Zhou Min",
        now="2026-11-30 10:00",
    ).stdout == ("Case #1: handover done.\nStill open: exit-interview, audit, final-pay.\n")
    before = counts(db)
    assert refused(company, "leave", "step", "1", "handover", now="2026-11-30 11:00") == (
        "Error: Step handover of case #1 is done already (2026-11-30 10:00, Sun Li)."
    )
    assert counts(db) == before
    exit_ = as_(
        company,
        HR,
        "interview",
        "log",
        WU,
        "--by",
        HR,
        "--kind",
        "exit",
        "--minutes",
        "45",
        "--note",
        "fine",
        now="2026-12-01 10:00",
    )
    assert exit_.stdout == (
        "Logged interview #1: exit with Wu Gang by HR Sun, 45 min, 2026-12-01 10:00.\n"
        "Closes: leaving case #1.\n"
    )
    assert exit_.stderr == ""
    assert as_(company, HR, "leave", "step", "1", "audit", now="2026-12-02 10:00").stdout == (
        "Case #1: audit done.\nStill open: final-pay.\n"
    )
    assert as_(company, HR, "leave", "step", "1", "final-pay", now="2026-12-03 10:00").stdout == (
        "Case #1: final-pay done.\nCase #1 is complete.\n"
    )
    assert company.json("leave", "show", "1", now="2026-12-03 10:00") == case(
        opened="2026-11-27T08:30:00+08:00",
        state="done",
        closed="2026-12-03T10:00:00+08:00",
        steps=[
            step("handover", True, "2026-11-30T10:00:00+08:00", LEAD, note="clients to Zhou Min"),
            step("exit-interview", True, "2026-12-01T10:00:00+08:00", HR, interview=1),
            step("audit", True, "2026-12-02T10:00:00+08:00", HR),
            step("final-pay", True, "2026-12-03T10:00:00+08:00", HR),
        ],
    )
    # As of an earlier clock the later steps are not done yet.
    assert [
        s["done"] for s in company.json("leave", "show", "1", now="2026-11-30 12:00")["steps"]
    ] == [True, False, False, False]
    before = counts(db)
    assert (
        refused(company, "leave", "step", "1", "final-pay", now="2026-12-03 11:00")
        == "Error: Case #1 is complete already."
    )
    assert counts(db) == before


def test_an_exit_interview_by_someone_else_than_chosen_is_recorded_with_a_warning(company):
    ok(
        company,
        "leave",
        "start",
        ZHOU,
        "--last-day",
        "2026-12-31",
        "--exit-interview-by",
        "manager",
    )
    result = company(
        "interview", "log", ZHOU, "--by", HR, "--kind", "exit", "--minutes", "30", now=NOW
    )
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1] == "Closes: leaving case #1."
    assert result.stderr == (
        "Warning: Zhou Min chose an exit interview with their manager (Sun Li); HR Sun held it — "
        "recorded all the same.\n"
    )
    none = company("interview", "log", WU, "--by", HR, "--kind", "exit", "--minutes", "30", now=NOW)
    assert none.exit_code == 0
    assert none.stderr == (
        "Warning: no leaving case is open for Wu Gang: the exit interview is kept in the file "
        "(`careops leave start` opens one).\n"
    )


def test_leave_due_items_go_to_the_manager_and_hr(company):
    ok(company, "leave", "start", WU, "--last-day", "2026-12-31", now="2026-11-20 09:00")
    why = "Wu Gang leaves on 2026-12-31; open: handover, exit-interview, audit, final-pay"
    handover = item("leave-handover", "E1.2", "leave", WU_S, LEAD_ID, "2026-12-31", why, ref=1)
    exit_ = item("leave-exit-interview", "E1.3", "leave", WU_S, HR_ID, "2026-12-31", why, ref=1)
    audit = item("leave-audit", "E1.2", "leave", WU_S, HR_ID, "2026-12-31", why, ref=1)
    final = item(
        "leave-final-pay",
        "E1.2",
        "leave",
        WU_S,
        HR_ID,
        "2026-12-31",
        "Wu Gang leaves on 2026-12-31; final pay waits for: handover, exit-interview, audit",
        status="waiting",
        ref=1,
    )
    assert [
        i for i in company.json("due", "--all", "--staff", LEAD, now=NOW) if i["kind"] == "leave"
    ] == [handover]
    assert company.json("due", "--all", "--staff", HR, now=NOW) == [
        CONTRACT,
        audit,
        exit_,
        E3_SURVEY,
        final,
    ]


def test_a_last_day_passed_with_steps_open_is_flagged_and_the_person_has_left(company, db):
    ok(company, "leave", "start", ZHOU, "--last-day", "2026-11-20")
    assert company.json("leave", "list", now=NOW) == [
        {
            "id": 1,
            "kind": "leave",
            "employee": ZHOU,
            "last_day": "2026-11-20",
            "to_dept": None,
            "state": "open",
            "open_steps": ["handover", "exit-interview", "final-pay"],
            "flag": "left without completing the procedure",
        }
    ]
    shown = company.json("staff", "show", ZHOU, now=NOW)
    assert (shown["status"], shown["left_on"], shown["cases"]) == (
        "left",
        "2026-11-20",
        [{"id": 1, "kind": "leave", "last_day": "2026-11-20", "state": "open", "to_dept": None}],
    )
    why = (
        "Zhou Min: left without completing the procedure (E1.2), last day 2026-11-20; open: "
        "handover, exit-interview, final-pay"
    )
    # Gone: no more one-to-one, probation interview or contract reminder; the open steps are overdue.
    assert company.json("due", "--all", "--staff", LEAD, now=NOW) == [
        item(
            "leave-handover",
            "E1.2",
            "leave",
            ZHOU_S,
            LEAD_ID,
            "2026-11-20",
            why,
            status="overdue",
            ref=1,
        ),
        one_to_one(7, WU, LEAD_ID),
    ]
    before = counts(db)
    assert refused(company, "leave", "start", ZHOU, "--last-day", "2026-12-31") == (
        "Error: Zhou Min already has an open leave case (#1, last day 2026-11-20): see `careops leave show 1`."
    )
    assert counts(db) == before


def test_leave_list_open_and_by_employee(company):
    ok(company, "leave", "start", WU, "--last-day", "2026-12-31")
    ok(company, "transfer", "start", ZHOU, "--to-dept", "marketing", "--on", "2026-12-07")
    ok(company, "leave", "step", "2", "handover")
    wu = {
        "id": 1,
        "kind": "leave",
        "employee": WU,
        "last_day": "2026-12-31",
        "to_dept": None,
        "state": "open",
        "open_steps": ["handover", "exit-interview", "audit", "final-pay"],
        "flag": None,
    }
    zhou = {
        "id": 2,
        "kind": "transfer",
        "employee": ZHOU,
        "last_day": "2026-12-07",
        "to_dept": "marketing",
        "state": "done",
        "open_steps": [],
        "flag": None,
    }
    assert company.json("leave", "list", now=NOW) == [zhou, wu]
    assert company.json("leave", "list", "--open", now=NOW) == [wu]
    assert company.json("leave", "list", "--employee", ZHOU, now=NOW) == [zhou]
    assert (
        ok(company, "leave", "list", "--open", "--employee", ZHOU).stdout
        == "No leaving or transfer cases.\n"
    )


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (
            ("leave", "step", "1", "audit"),
            1,
            "Error: Case #1 has no audit step (Zhou Min holds no key position, so no departure "
            "audit). Its steps: handover, exit-interview, final-pay.",
        ),
        (
            ("leave", "step", "99", "handover"),
            1,
            "Error: There is no leaving or transfer case #99. See `careops leave list`.",
        ),
        (
            ("leave", "step", "0", "handover"),
            1,
            "Error: There is no leaving or transfer case #0. See `careops leave list`.",
        ),
        (
            ("leave", "show", "99"),
            1,
            "Error: There is no leaving or transfer case #99. See `careops leave list`.",
        ),
        (
            ("leave", "step", "1", "retire"),
            2,
            "Error: Invalid value for 'STEP': 'retire' is not one of 'handover', "
            "'exit-interview', 'audit', 'final-pay'. (see `careops leave step --help`)",
        ),
        (
            ("leave", "start", ZHOU, "--last-day", "2027-01-31"),
            1,
            "Error: Zhou Min already has an open leave case (#1, last day 2026-12-31): see `careops leave show 1`.",
        ),
        (
            ("transfer", "start", ZHOU, "--to-dept", "marketing"),
            1,
            "Error: Zhou Min already has an open leave case (#1, last day 2026-12-31): see `careops leave show 1`.",
        ),
        (
            ("leave", "start", WU, "--last-day", "2025-12-31"),
            1,
            "Error: --last-day 2025-12-31 is before Wu Gang was hired (2026-01-05).",
        ),
        (("leave", "start", "Nobody", "--last-day", "2026-12-31"), 1, NO_SUCH_STAFF),
        (
            ("leave", "start", WU, "--last-day", "2026-12-31", "--exit-interview-by", "union"),
            2,
            "Error: Invalid value for '--exit-interview-by': 'union' is not one of 'hr', 'manager'. "
            "(see `careops leave start --help`)",
        ),
        (
            ("leave", "start", WU),
            2,
            "Error: Missing option '--last-day'. (see `careops leave start --help`)",
        ),
        (("transfer", "start", WU, "--to-dept", "SALES"), 1, "Error: Wu Gang is in sales already."),
        (
            ("transfer", "start", WU, "--to-dept", " "),
            1,
            "Error: Say which department with --to-dept.",
        ),
    ],
)
def test_leaving_refusals_write_nothing(company, db, argv, code, message):
    ok(company, "leave", "start", ZHOU, "--last-day", "2026-12-31")
    before = counts(db)
    assert refused(company, *argv, code=code) == message
    assert counts(db) == before


def test_transfer_hands_over_then_moves_the_department_and_calls_for_a_transfer_interview(company):
    result = ok(
        company, "transfer", "start", ZHOU, "--to-dept", " Marketing ", "--reason", "new team"
    )
    assert result.stdout == (
        "Opened transfer case #1: Zhou Min moves to Marketing on 2026-11-27. Step: handover.\n"
        "Recorded transfer #1: Sun Li owes a transfer interview (E2.2).\n"
    )
    transfer = item(
        "work-interview",
        "E2.2",
        "interview",
        ZHOU_S,
        LEAD_ID,
        "2026-12-04",
        "transfer recorded on 2026-11-27: the manager interviews Zhou Min within 7 days",
        ref=1,
    )
    handover = item(
        "leave-handover",
        "E1.2",
        "leave",
        ZHOU_S,
        LEAD_ID,
        "2026-11-27",
        "Zhou Min moves to Marketing on 2026-11-27; open: handover",
        ref=1,
    )
    assert handover in company.json("due", "--staff", LEAD, now=NOW)
    assert transfer in company.json("due", "--staff", LEAD, now=NOW)
    assert as_(company, LEAD, "leave", "step", "1", "handover").stdout == (
        "Case #1: handover done.\nCase #1 is complete.\nZhou Min is now in Marketing.\n"
    )
    assert company.json("staff", "show", ZHOU, now=NOW)["dept"] == "Marketing"
    assert company.json("leave", "show", "1", now=NOW) == case(
        kind="transfer",
        employee=ZHOU,
        last_day="2026-11-27",
        reason="new team",
        exit_by=None,
        key=False,
        to_dept="Marketing",
        state="done",
        closed="2026-11-27T08:30:00+08:00",
        steps=[step("handover", True, "2026-11-27T08:30:00+08:00", LEAD)],
    )
    assert refused(company, "leave", "step", "1", "audit") == "Error: Case #1 is complete already."


def test_transfer_has_no_exit_interview_option(company, db):
    before = counts(db)
    line = refused(
        company,
        "transfer",
        "start",
        ZHOU,
        "--to-dept",
        "marketing",
        "--exit-interview-by",
        "hr",
        code=2,
    )
    assert line.startswith("Error: No such option: --exit-interview-by"), line
    assert counts(db) == before


# --- appeals (E2.6) ---------------------------------------------------------------------------------------


def appeal_step(round_, action, at, by, with_=None, notified=None, via=None, note=None) -> dict:
    return {
        "round": round_,
        "action": action,
        "at": at,
        "by": by,
        "with": with_,
        "notified": notified,
        "via": via,
        "note": note,
    }


@pytest.fixture
def appealed(company):
    """Zhou Min's signed, written appeal #1 about a management measure, filed with her manager Sun Li at NOW."""
    ok(
        company,
        "appeal",
        "file",
        ZHOU,
        "--to",
        LEAD,
        "--channel",
        "written",
        "--signed",
        "--grounds",
        "measure",
        "--summary",
        "unfair shift plan",
    )
    return company


def test_appeal_file_prints_the_round_and_the_decision_deadline(company, db):
    result = ok(
        company,
        "appeal",
        "file",
        ZHOU,
        "--to",
        LEAD,
        "--channel",
        "written",
        "--signed",
        "--grounds",
        "measure",
        "--summary",
        " unfair shift plan ",
    )
    assert (
        result.stdout
        == "Filed appeal #1: round 1 with Sun Li; a decision is due by 2026-12-11 (E2.6.5).\n"
    )
    assert result.stderr == ""
    assert (db.count("appeal"), db.count("appeal_step"), db.count("appeal_person")) == (1, 1, 2)
    # The audit names no appellant.
    assert db.rows(
        "SELECT actor, action, kind, record_id, staff_id, detail FROM audit WHERE kind = 'appeal'"
    ) == [
        ("Office Clerk", "file", "appeal", 1, None, "appeal #1 filed (written), round 1 to Sun Li")
    ]


def test_a_written_unsigned_appeal_is_refused_and_nothing_is_stored(company, db):
    before = counts(db)
    assert refused(
        company,
        "appeal",
        "file",
        ZHOU,
        "--to",
        LEAD,
        "--channel",
        "written",
        "--grounds",
        "measure",
        "--summary",
        "unfair shift plan",
    ) == (
        "Error: A written appeal must be signed, or it is not accepted (E2.6.4): have Zhou Min sign it, then file it "
        "again with --signed. Nothing was recorded."
    )
    assert counts(db) == before


def test_an_in_person_appeal_needs_no_signature(company):
    assert ok(
        company,
        "appeal",
        "file",
        ZHOU,
        "--to",
        HR,
        "--channel",
        "in-person",
        "--grounds",
        "interests",
        "--summary",
        "overtime unpaid",
    ).stdout == (
        "Filed appeal #1: round 1 with HR Sun; a decision is due by 2026-12-11 (E2.6.5).\n"
    )


def test_grounds_are_optional(company, db):
    result = company(
        "appeal",
        "file",
        ZHOU,
        "--to",
        LEAD,
        "--channel",
        "in-person",
        "--summary",
        "unfair shift plan",
        now=NOW,
    )
    assert result.exit_code == 0, result.output
    assert (
        result.stdout
        == "Filed appeal #1: round 1 with Sun Li; a decision is due by 2026-12-11 (E2.6.5).\n"
    )
    assert company.json("appeal", "list", now=NOW)[0]["grounds"] is None


def test_skipping_levels_is_accepted_with_a_warning(company, db):
    skipped = company(
        "appeal",
        "file",
        ZHOU,
        "--to",
        CHAIR,
        "--channel",
        "in-person",
        "--grounds",
        "breach",
        "--summary",
        "x",
        now=NOW,
    )
    assert skipped.exit_code == 0
    assert (
        skipped.stdout
        == "Filed appeal #1: round 1 with Chair Zhao; a decision is due by 2026-12-11 (E2.6.5).\n"
    )
    assert skipped.stderr == (
        "Warning: Chair Zhao is above Zhou Min's direct manager (Sun Li): appeals go level by "
        "level, or straight to the department head or the general manager; skipping levels is "
        "discouraged (E2.6.3). Recorded all the same.\n"
    )
    assert db.count("appeal") == 1
    # Straight to the department head or the general manager is fine.
    for to in (HEAD, GM):
        fine = company(
            "appeal",
            "file",
            ZHOU,
            "--to",
            to,
            "--channel",
            "in-person",
            "--grounds",
            "breach",
            "--summary",
            "x",
            now=NOW,
        )
        assert (fine.exit_code, fine.stderr) == (0, "")


def test_an_appeal_from_filing_to_the_last_notification(appealed, db):
    assert (
        as_(
            appealed,
            LEAD,
            "appeal",
            "investigate",
            "1",
            "--note",
            "talked to the team",
            "--with",
            HEAD,
            "--with",
            WU,
            now="2026-11-30 10:00",
        ).stdout
        == "Appeal #1, round 1: investigation noted.\n"
    )
    assert as_(
        appealed,
        LEAD,
        "appeal",
        "decide",
        "1",
        "--decision",
        "shift plan changed",
        now="2026-12-01 10:00",
    ).stdout == (
        "Appeal #1, round 1 decided. Notify the appellant, their general manager and HR in writing or by e-mail by "
        "2026-12-03 (E2.6.5).\n"
    )
    assert (
        as_(
            appealed,
            LEAD,
            "appeal",
            "notify",
            "1",
            "--to",
            "appellant",
            "--via",
            "written",
            now="2026-12-01 11:00",
        ).stdout
        == "Appeal #1: appellant (Zhou Min) notified.\nStill to notify: gm, hr.\n"
    )
    assert (
        as_(
            appealed,
            LEAD,
            "appeal",
            "notify",
            "1",
            "--to",
            "gm",
            "--via",
            "email",
            "--at",
            "2026-12-01 11:30",
            now="2026-12-02 09:00",
        ).stdout
        == "Appeal #1: gm (GM Qian) notified.\nStill to notify: hr.\n"
    )
    assert as_(
        appealed,
        LEAD,
        "appeal",
        "notify",
        "1",
        "--to",
        "hr",
        "--via",
        "email",
        now="2026-12-02 09:10",
    ).stdout == (
        "Appeal #1: hr (HR Sun) notified.\n"
        "Appeal #1 is closed: the appellant, the general manager and HR have each been notified (E2.6.5).\n"
    )
    steps = [
        appeal_step(1, "file", "2026-11-27T08:30:00+08:00", "Office Clerk", LEAD),
        appeal_step(
            1, "investigate", "2026-11-30T10:00:00+08:00", LEAD, HEAD, note="talked to the team"
        ),
        appeal_step(
            1, "investigate", "2026-11-30T10:00:00+08:00", LEAD, WU, note="talked to the team"
        ),
        appeal_step(1, "decide", "2026-12-01T10:00:00+08:00", LEAD, note="shift plan changed"),
        appeal_step(
            1, "notify", "2026-12-01T11:00:00+08:00", LEAD, notified="appellant", via="written"
        ),
        appeal_step(1, "notify", "2026-12-01T11:30:00+08:00", LEAD, notified="gm", via="email"),
        appeal_step(1, "notify", "2026-12-02T09:10:00+08:00", LEAD, notified="hr", via="email"),
    ]
    shown = {
        "id": 1,
        "appellant": ZHOU,
        "grounds": "measure",
        "channel": "written",
        "signed": True,
        "summary": "unfair shift plan",
        "filed": "2026-11-27T08:30:00+08:00",
        "round": 1,
        "receiver": LEAD,
        "state": "closed",
        "decision": "shift plan changed",
        "decided": "2026-12-01T10:00:00+08:00",
        "closed": "2026-12-02T09:10:00+08:00",
        "due": None,
        "void": None,
        "steps": steps,
    }
    assert appealed.json("--as", HR, "appeal", "show", "1", now="2026-12-02 09:10") == shown
    # Anyone else sees the course of the appeal, not who appealed nor what about.
    secret = "(confidential)"
    assert appealed.json("appeal", "show", "1", now="2026-12-02 09:10") == {
        **shown,
        "appellant": secret,
        "summary": secret,
        "decision": secret,
        "steps": [
            steps[0],
            {**steps[1], "with": secret, "note": secret},
            {**steps[2], "with": secret, "note": secret},
            {**steps[3], "note": secret},
            *steps[4:],
        ],
    }
    assert appealed.json("appeal", "list", "--open", now="2026-12-02 09:10") == []
    before = counts(db)
    assert refused(
        appealed, "appeal", "notify", "1", "--to", "hr", "--via", "email", now="2026-12-02 09:20"
    ) == (
        "Error: Appeal #1 is closed (everyone was notified on 2026-12-02); if the appellant is not satisfied: "
        "`careops appeal escalate 1`."
    )
    assert counts(db) == before


def test_due_for_the_receiver_decide_then_notify(appealed):
    decide = item(
        "appeal-decision",
        "E2.6.5",
        "appeal",
        staff_subject(6, ZHOU),
        LEAD_ID,
        "2026-12-11",
        "appeal #1 from Zhou Min, round 1 received 2026-11-27: investigate and decide within 10 working days",
        ref=1,
    )
    assert appealed.json("--as", LEAD, "due", "--staff", LEAD, now=NOW) == [
        PROBATION,
        decide,
        one_to_one(7, WU, LEAD_ID),
    ]
    # Without saying who is looking, the manager's list keeps the appellant confidential.
    hidden = {
        **decide,
        "subject": staff_subject(None, "(confidential)"),
        "why": "appeal #1 from (confidential), round 1 received 2026-11-27: investigate and decide within 10 "
        "working days",
    }
    assert appealed.json("due", "--staff", LEAD, now=NOW) == [
        PROBATION,
        hidden,
        one_to_one(7, WU, LEAD_ID),
    ]
    as_(
        appealed,
        LEAD,
        "appeal",
        "decide",
        "1",
        "--decision",
        "shift plan changed",
        now="2026-11-30 10:00",
    )
    as_(
        appealed,
        LEAD,
        "appeal",
        "notify",
        "1",
        "--to",
        "appellant",
        "--via",
        "written",
        now="2026-11-30 11:00",
    )
    notify = item(
        "appeal-notify",
        "E2.6.5",
        "appeal",
        staff_subject(6, ZHOU),
        LEAD_ID,
        "2026-12-02",
        "decided on 2026-11-30: notify in writing or by e-mail within 2 working days; still to notify: gm, hr",
        ref=1,
    )
    assert [
        i
        for i in appealed.json("--as", LEAD, "due", "--staff", LEAD, now="2026-11-30 11:00")
        if i["kind"] == "appeal"
    ] == [notify]
    assert [
        i["status"]
        for i in appealed.json("due", "--staff", LEAD, now="2026-12-03 09:00")
        if i["kind"] == "appeal"
    ] == ["overdue"]


def test_escalation_goes_up_the_receivers_line_to_the_chairman(appealed, db):
    before = counts(db)
    assert refused(appealed, "appeal", "escalate", "1") == (
        "Error: Round 1 of appeal #1 is not decided yet: `careops appeal decide 1 --decision TEXT` first."
    )
    assert counts(db) == before
    ok(appealed, "appeal", "decide", "1", "--decision", "no change")
    before = counts(db)
    assert refused(appealed, "appeal", "escalate", "1") == (
        "Error: The appellant has not been notified of round 1's decision yet: notify them first "
        "(`careops appeal notify 1 --to appellant --via written`); an appellant not satisfied with it then escalates."
    )
    assert counts(db) == before
    ok(appealed, "appeal", "notify", "1", "--to", "appellant", "--via", "written")
    assert ok(
        appealed, "appeal", "escalate", "1", "--note", "still unfair", now="2026-11-30 09:00"
    ).stdout == ("Appeal #1 goes to round 2 with Li Hua; a decision is due by 2026-12-14.\n")
    for receiver in (GM, CHAIR):
        ok(appealed, "appeal", "decide", "1", "--decision", "no change", now="2026-11-30 09:00")
        ok(
            appealed,
            "appeal",
            "notify",
            "1",
            "--to",
            "appellant",
            "--via",
            "email",
            now="2026-11-30 09:00",
        )
        assert ok(appealed, "appeal", "escalate", "1", now="2026-11-30 09:00").stdout.startswith(
            f"Appeal #1 goes to round {3 if receiver == GM else 4} with {receiver};"
        )
    ok(appealed, "appeal", "decide", "1", "--decision", "final", now="2026-11-30 09:00")
    ok(
        appealed,
        "appeal",
        "notify",
        "1",
        "--to",
        "appellant",
        "--via",
        "email",
        now="2026-11-30 09:00",
    )
    before = counts(db)
    assert refused(appealed, "appeal", "escalate", "1", now="2026-11-30 09:00") == (
        "Error: Chair Zhao is at the top (chairman): there is no level above to escalate to."
    )
    assert counts(db) == before
    shown = appealed.json("--as", HR, "appeal", "show", "1", now="2026-11-30 09:00")
    assert (shown["round"], shown["receiver"], shown["state"]) == (4, CHAIR, "decided")
    assert [
        (s["round"], s["action"], s["with"]) for s in shown["steps"] if s["action"] == "escalate"
    ] == [(2, "escalate", HEAD), (3, "escalate", GM), (4, "escalate", CHAIR)]


def test_an_appeal_to_someone_with_no_manager_escalates_to_the_chairman(company):
    ok(
        company,
        "appeal",
        "file",
        ZHOU,
        "--to",
        UNION,
        "--channel",
        "in-person",
        "--grounds",
        "interests",
        "--summary",
        "x",
    )
    ok(company, "appeal", "decide", "1", "--decision", "no")
    ok(company, "appeal", "notify", "1", "--to", "appellant", "--via", "written")
    assert ok(company, "appeal", "escalate", "1").stdout == (
        "Appeal #1 goes to round 2 with Chair Zhao; a decision is due by 2026-12-11.\n"
    )


def test_appeal_list_json_with_round_receiver_and_next_deadline(appealed):
    ok(
        appealed,
        "appeal",
        "file",
        WU,
        "--to",
        HEAD,
        "--channel",
        "in-person",
        "--grounds",
        "interests",
        "--summary",
        "bonus",
        now="2026-11-02 10:00",
    )
    ok(appealed, "appeal", "decide", "2", "--decision", "bonus paid", now="2026-11-25 10:00")
    first = {
        "id": 1,
        "filed": "2026-11-27T08:30:00+08:00",
        "appellant": "(confidential)",
        "grounds": "measure",
        "channel": "written",
        "round": 1,
        "receiver": LEAD,
        "state": "open",
        "due": "2026-12-11",
    }
    second = {
        "id": 2,
        "filed": "2026-11-02T10:00:00+08:00",
        "appellant": "(confidential)",
        "grounds": "interests",
        "channel": "in-person",
        "round": 1,
        "receiver": HEAD,
        "state": "decided",
        "due": "2026-11-27",
    }
    assert appealed.json("appeal", "list", now=NOW) == [first, second]
    assert appealed.json("--as", HR, "appeal", "list", "--open", now=NOW) == [
        {**first, "appellant": ZHOU},
        {**second, "appellant": WU},
    ]
    assert ok(appealed, "appeal", "list", now="2026-11-01 09:00").stdout == "No appeals.\n"


@pytest.mark.parametrize(
    ("viewer", "seen"),
    [
        (None, False),
        (WU, False),
        (GM, False),
        (CHAIR, False),
        (ZHOU, True),
        (LEAD, True),
        (HR, True),
        ("zhou min", True),
        ("#6", True),
    ],
)
def test_only_those_involved_and_hr_see_who_appealed(appealed, viewer, seen):
    as_viewer = ("--as", viewer) if viewer else ()
    [row] = appealed.json(*as_viewer, "appeal", "list", now=NOW)
    assert row["appellant"] == (ZHOU if seen else "(confidential)")
    shown = appealed.json(*as_viewer, "appeal", "show", "1", now=NOW)
    assert (shown["appellant"], shown["summary"]) == (
        (ZHOU, "unfair shift plan") if seen else ("(confidential)",) * 2
    )
    table = ok(appealed, *as_viewer, "appeal", "list").stdout
    assert (ZHOU in table) == seen and ("(confidential)" in table) != seen


@pytest.mark.parametrize(
    ("user", "seen"),
    [("Zhou Min", True), ("HR Sun", True), ("Wu Gang", False), ("Office Clerk", False)],
)
def test_careops_user_says_who_is_looking_like_as(appealed, monkeypatch, user, seen):
    monkeypatch.setenv("CAREOPS_USER", user)
    assert appealed.json("appeal", "list", now=NOW)[0]["appellant"] == (
        ZHOU if seen else "(confidential)"
    )
    assert appealed.json("appeal", "show", "1", now=NOW)["appellant"] == (
        ZHOU if seen else "(confidential)"
    )


def test_those_consulted_or_notified_become_involved(appealed):
    assert (
        appealed.json("--as", WU, "appeal", "show", "1", now=NOW)["appellant"] == "(confidential)"
    )
    as_(appealed, LEAD, "appeal", "investigate", "1", "--note", "asked the team", "--with", WU)
    assert appealed.json("--as", WU, "appeal", "show", "1", now=NOW)["appellant"] == ZHOU
    as_(appealed, LEAD, "appeal", "decide", "1", "--decision", "changed")
    assert appealed.json("--as", GM, "appeal", "list", now=NOW)[0]["appellant"] == "(confidential)"
    as_(appealed, LEAD, "appeal", "notify", "1", "--to", "gm", "--via", "email")
    assert appealed.json("--as", GM, "appeal", "list", now=NOW)[0]["appellant"] == ZHOU


def test_an_unknown_viewer_is_refused(appealed, db):
    before = counts(db)
    assert refused(appealed, "--as", "Nobody", "appeal", "list") == NO_SUCH_STAFF
    assert counts(db) == before


def test_the_history_of_the_appellant_does_not_mention_the_appeal(appealed):
    assert [r["kind"] for r in appealed.json("history", ZHOU, now=NOW)] == ["staff"]


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (
            (
                "appeal",
                "file",
                ZHOU,
                "--to",
                ZHOU,
                "--channel",
                "in-person",
                "--grounds",
                "measure",
                "--summary",
                "x",
            ),
            1,
            "Error: Zhou Min cannot receive their own appeal: --to names a manager, HR, the "
            "union, the general manager or chairman.",
        ),
        (
            (
                "appeal",
                "file",
                ZHOU,
                "--to",
                LEAD,
                "--channel",
                "in-person",
                "--grounds",
                "measure",
                "--summary",
                " ",
            ),
            1,
            "Error: Say what the appeal is about with --summary.",
        ),
        (
            (
                "appeal",
                "file",
                ZHOU,
                "--to",
                "Nobody",
                "--channel",
                "in-person",
                "--grounds",
                "measure",
                "--summary",
                "x",
            ),
            1,
            NO_SUCH_STAFF,
        ),
        (
            (
                "appeal",
                "file",
                ZHOU,
                "--to",
                LEAD,
                "--channel",
                "fax",
                "--grounds",
                "measure",
                "--summary",
                "x",
            ),
            2,
            "Error: Invalid value for '--channel': 'fax' is not one of 'in-person', 'written'. "
            "(see `careops appeal file --help`)",
        ),
        (
            (
                "appeal",
                "file",
                ZHOU,
                "--to",
                LEAD,
                "--channel",
                "in-person",
                "--grounds",
                "rumour",
                "--summary",
                "x",
            ),
            2,
            "Error: Invalid value for '--grounds': 'rumour' is not one of 'interests', 'measure', 'breach'. "
            "(see `careops appeal file --help`)",
        ),
        (
            ("appeal", "investigate", "1", "--note", " "),
            1,
            "Error: Say what was found with --note.",
        ),
        (("appeal", "investigate", "1", "--note", "x", "--with", "Nobody"), 1, NO_SUCH_STAFF),
        (
            ("appeal", "decide", "1", "--decision", ""),
            1,
            "Error: Write the decision with --decision.",
        ),
        (
            ("appeal", "notify", "1", "--to", "appellant", "--via", "email"),
            1,
            "Error: Round 1 of appeal #1 is not decided yet: `careops appeal decide 1 --decision TEXT` first.",
        ),
        (
            ("appeal", "notify", "1", "--to", "union", "--via", "email"),
            2,
            "Error: Invalid value for '--to': 'union' is not one of 'appellant', 'gm', 'hr'. "
            "(see `careops appeal notify --help`)",
        ),
        (
            ("appeal", "decide", "99", "--decision", "x"),
            1,
            "Error: There is no appeal #99. See `careops appeal list`.",
        ),
        (("appeal", "show", "0"), 1, "Error: There is no appeal #0. See `careops appeal list`."),
        (
            ("appeal", "show", "99999999999999999999"),
            1,
            "Error: There is no appeal #99999999999999999999. See `careops appeal list`.",
        ),
        (
            ("appeal", "investigate", "x", "--note", "y"),
            2,
            "Error: Invalid value for 'ID': Input should be a valid integer, unable to parse string as an integer "
            "(see `careops appeal investigate --help`)",
        ),
    ],
)
def test_appeal_refusals_write_nothing(appealed, db, argv, code, message):
    before = counts(db)
    assert refused(appealed, *argv, code=code) == message
    assert counts(db) == before


def test_notification_refusals_after_the_decision(appealed, db):
    ok(appealed, "appeal", "decide", "1", "--decision", "changed", now="2026-11-30 07:30")
    ok(
        appealed,
        "appeal",
        "notify",
        "1",
        "--to",
        "appellant",
        "--via",
        "written",
        now="2026-11-30 09:00",
    )
    before = counts(db)
    later = "2026-11-30 10:00"
    assert refused(
        appealed, "appeal", "notify", "1", "--to", "appellant", "--via", "email", now=later
    ) == ("Error: The appellant was notified already for round 1 (2026-11-30 09:00, written).")
    assert (
        refused(
            appealed,
            "appeal",
            "notify",
            "1",
            "--to",
            "gm",
            "--via",
            "email",
            "--at",
            "2026-11-30 07:00",
            now=later,
        )
        == "Error: 2026-11-30 07:00 is before the decision (2026-11-30 07:30)."
    )
    assert refused(
        appealed,
        "appeal",
        "notify",
        "1",
        "--to",
        "gm",
        "--via",
        "email",
        "--at",
        "2026-11-30 11:00",
        now=later,
    ) == (
        "Error: 2026-11-30 11:00 is later than now (2026-11-30 10:00); record the notification once it is sent."
    )
    # The decision was taken at 07:30 local on 30 November (23:30 UTC the day before): the date said is the local one.
    assert refused(appealed, "appeal", "decide", "1", "--decision", "again", now=later) == (
        "Error: Round 1 of appeal #1 is decided already (2026-11-30); an appellant who is not satisfied escalates it: "
        "`careops appeal escalate 1`."
    )
    assert refused(appealed, "appeal", "investigate", "1", "--note", "more", now=later) == (
        "Error: Round 1 of appeal #1 is decided already (2026-11-30); an appellant who is not satisfied escalates it: "
        "`careops appeal escalate 1`."
    )
    assert counts(db) == before


def test_a_closed_appeal_names_the_local_day_it_closed(appealed, db):
    ok(appealed, "appeal", "decide", "1", "--decision", "changed", now="2026-11-30 07:00")
    for to in ("appellant", "gm", "hr"):
        ok(appealed, "appeal", "notify", "1", "--to", to, "--via", "email", now="2026-12-01 07:40")
    before = counts(db)
    message = (
        "Error: Appeal #1 is closed (everyone was notified on 2026-12-01); if the appellant is not satisfied: "
        "`careops appeal escalate 1`."
    )
    assert (
        refused(
            appealed,
            "appeal",
            "notify",
            "1",
            "--to",
            "hr",
            "--via",
            "email",
            now="2026-12-01 07:50",
        )
        == message
    )
    assert (
        refused(appealed, "appeal", "decide", "1", "--decision", "x", now="2026-12-01 07:50")
        == message
    )
    assert counts(db) == before


def test_an_appeal_filed_in_the_future_is_refused_as_an_appeal(company, db):
    before = counts(db)
    line = refused(
        company,
        "appeal",
        "file",
        ZHOU,
        "--to",
        LEAD,
        "--channel",
        "in-person",
        "--grounds",
        "measure",
        "--summary",
        "x",
        "--at",
        "2026-11-28 09:00",
    )
    assert (
        line
        == "Error: 2026-11-28 09:00 is later than now (2026-11-27 08:30); file the appeal once it is received."
    ), line
    assert "notification" not in line, line
    assert counts(db) == before


def test_notify_needs_a_gm_and_an_hr_officer_on_record(cli, db, monkeypatch):
    monkeypatch.setenv("CAREOPS_USER", "Office Clerk")
    ok(cli, "staff", "add", "Boss", "--role", "dept-head", now=THEN)
    ok(cli, "staff", "add", "Worker", "--reports-to", "Boss", now=THEN)
    ok(
        cli,
        "appeal",
        "file",
        "Worker",
        "--to",
        "Boss",
        "--channel",
        "in-person",
        "--grounds",
        "measure",
        "--summary",
        "x",
    )
    ok(cli, "appeal", "decide", "1", "--decision", "no")
    before = counts(db)
    assert refused(cli, "appeal", "notify", "1", "--to", "gm", "--via", "email") == (
        "Error: Nobody with role gm is above Worker or on record: add the general manager (`careops staff add NAME "
        "--role gm`) so the decision can be notified to them."
    )
    assert refused(cli, "appeal", "notify", "1", "--to", "hr", "--via", "email") == (
        "Error: Nobody has role hr: add the HR officer (`careops staff add NAME --role hr`) so the decision can be "
        "notified to HR."
    )
    assert counts(db) == before
    ok(cli, "appeal", "notify", "1", "--to", "appellant", "--via", "written")
    before = counts(db)
    assert refused(cli, "appeal", "escalate", "1") == (
        "Error: Boss has no manager and nobody has role chairman: record the line (`careops staff edit Boss "
        "--reports-to STAFF`)."
    )
    assert counts(db) == before


# --- void ---------------------------------------------------------------------------------------------------


def test_voiding_a_one_to_one_makes_it_owed_again(company):
    ok(company, "interview", "log", ZHOU, "--by", LEAD, "--kind", "one-to-one", "--minutes", "120")
    assert one_to_one(6, ZHOU, LEAD_ID) not in company.json(
        "due", "--all", "--staff", LEAD, now=NOW
    )
    assert ok(company, "void", "interview", "1", "--reason", " wrong employee ").stdout == (
        "Voided interview #1: wrong employee\n"
    )
    assert one_to_one(6, ZHOU, LEAD_ID) in company.json("due", "--all", "--staff", LEAD, now=NOW)
    assert company.json("interview", "list", now=NOW) == []


def test_voiding_the_exit_interview_reopens_its_step(company):
    ok(company, "leave", "start", WU, "--last-day", "2026-12-31")
    ok(company, "interview", "log", WU, "--by", HR, "--kind", "exit", "--minutes", "30")
    assert ok(
        company, "void", "interview", "#1", "--reason", "logged for the wrong case"
    ).stdout == (
        "Voided interview #1: logged for the wrong case\n"
        "Exit interview of leaving case #1 is open again (the contact that settled it was voided).\n"
    )
    assert company.json("leave", "show", "1", now=NOW)["steps"][1] == step("exit-interview")


def test_voiding_one_of_two_exit_interviews_leaves_the_step_done_by_the_other(company):
    ok(company, "leave", "start", WU, "--last-day", "2026-12-31")
    ok(
        company,
        "interview",
        "log",
        WU,
        "--by",
        LEAD,
        "--kind",
        "exit",
        "--minutes",
        "30",
        now="2026-11-27 08:00",
    )
    ok(
        company,
        "interview",
        "log",
        WU,
        "--by",
        HR,
        "--kind",
        "exit",
        "--minutes",
        "30",
        now="2026-11-27 08:10",
    )
    ok(company, "void", "interview", "1", "--reason", "Sun Li was not the one chosen")
    # Interview #2 still stands: the case's exit interview is held, by HR Sun.
    done = company.json("leave", "show", "1", now=NOW)["steps"][1]
    assert (done["done"], done["by"], done["interview"]) == (True, HR, 2)


def test_voiding_a_leaving_case_removes_its_items_and_allows_a_new_one(company, db):
    ok(company, "leave", "start", WU, "--last-day", "2026-12-31")
    assert (
        ok(company, "void", "leave", "1", "--reason", "stays after all").stdout
        == "Voided leave #1: stays after all\n"
    )
    assert company.json("leave", "list", now=NOW) == []
    assert [i for i in company.json("due", "--all", now=NOW) if i["kind"] == "leave"] == []
    assert company.json("leave", "show", "1", now=NOW)["void"] == {
        "at": "2026-11-27T08:30:00+08:00",
        "reason": "stays after all",
    }
    before = counts(db)
    assert (
        refused(company, "leave", "step", "1", "handover")
        == "Error: Case #1 is void (stays after all)."
    )
    assert refused(company, "void", "transfer", "1", "--reason", "again") == (
        "Error: Leave #1 is void already (stays after all)."
    )
    assert counts(db) == before
    assert ok(company, "leave", "start", WU, "--last-day", "2027-01-31").stdout.startswith(
        "Opened leaving case #2 "
    )


def test_voiding_an_appeal_removes_it_from_lists_and_due(appealed, db):
    assert (
        ok(appealed, "void", "appeal", "1", "--reason", "filed twice").stdout
        == "Voided appeal #1: filed twice\n"
    )
    assert appealed.json("appeal", "list", now=NOW) == []
    assert [i for i in appealed.json("due", "--all", now=NOW) if i["kind"] == "appeal"] == []
    shown = appealed.json("--as", HR, "appeal", "show", "1", now=NOW)
    assert shown["void"] == {"at": "2026-11-27T08:30:00+08:00", "reason": "filed twice"}
    assert shown["steps"][-1] == appeal_step(
        1, "void", "2026-11-27T08:30:00+08:00", "Office Clerk", note="filed twice"
    )
    before = counts(db)
    assert (
        refused(appealed, "appeal", "decide", "1", "--decision", "x")
        == "Error: Appeal #1 is void (filed twice)."
    )
    assert (
        refused(appealed, "void", "appeal", "1", "--reason", "x")
        == "Error: Appeal #1 is void already (filed twice)."
    )
    assert counts(db) == before


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (
            ("void", "interview", "1", "--reason", "x"),
            1,
            "Error: There is no interview #1. See `careops interview list`.",
        ),
        (
            ("void", "leave", "7", "--reason", "x"),
            1,
            "Error: There is no leave #7. See `careops leave list`.",
        ),
        (
            ("void", "appeal", "2", "--reason", "x"),
            1,
            "Error: There is no appeal #2. See `careops appeal list`.",
        ),
        (
            ("void", "appeal", "1", "--reason", " "),
            1,
            "Error: Say why with --reason: a void keeps the record and its reason for the audit.",
        ),
        (
            ("void", "appeal", "one", "--reason", "x"),
            2,
            "Error: Invalid value for 'ID': 'one' is not a number: give the appeal's id. (see `careops void --help`)",
        ),
        (("void", "interviews", "1", "--reason", "x"), 2, None),
    ],
)
def test_void_refusals_write_nothing(appealed, db, argv, code, message):
    before = counts(db)
    line = refused(appealed, *argv, code=code)
    assert message is None or line == message
    assert counts(db) == before


def test_void_of_a_huge_id_names_the_id_given(appealed, db):
    before = counts(db)
    line = refused(appealed, "void", "appeal", "99999999999999999999", "--reason", "x")
    assert line == "Error: There is no appeal #99999999999999999999. See `careops appeal list`.", (
        line
    )
    assert counts(db) == before


# --- due: the whole small company at a fixed clock -------------------------------------------------------------


@pytest.fixture
def busy(company):
    """At NOW: Wu Gang's one-to-one of March counts for 2026; Zhou Min's pay change of 25 November waits for its
    interview; Wu Gang leaves on 31 December (case #1, opened 20 November); Zhou Min's appeal #1 (26 November) waits
    for Sun Li's decision; Wu Gang's appeal #2 to Li Hua was decided on 25 November and only he has been told."""
    c = company
    ok(
        c,
        "interview",
        "log",
        WU,
        "--by",
        LEAD,
        "--kind",
        "one-to-one",
        "--minutes",
        "120",
        "--at",
        "2026-03-10 10:00",
        now="2026-03-10 12:00",
    )
    ok(c, "event", ZHOU, "pay-change", "--at", "2026-11-25 10:00", now="2026-11-25 10:05")
    ok(c, "leave", "start", WU, "--last-day", "2026-12-31", now="2026-11-20 09:00")
    ok(
        c,
        "appeal",
        "file",
        ZHOU,
        "--to",
        LEAD,
        "--channel",
        "in-person",
        "--summary",
        "shift plan",
        "--grounds",
        "measure",
        "--at",
        "2026-11-26 10:00",
        now="2026-11-26 10:00",
    )
    ok(
        c,
        "appeal",
        "file",
        WU,
        "--to",
        HEAD,
        "--channel",
        "written",
        "--signed",
        "--summary",
        "bonus",
        "--grounds",
        "interests",
        now="2026-11-02 10:00",
    )
    ok(c, "appeal", "decide", "2", "--decision", "bonus paid", now="2026-11-25 10:00")
    ok(c, "appeal", "notify", "2", "--to", "appellant", "--via", "email", now="2026-11-25 11:00")
    return c


def test_due_json_of_a_manager_exact(busy):
    why_leave = "Wu Gang leaves on 2026-12-31; open: handover, exit-interview, audit, final-pay"
    expected = [
        item(
            "work-interview",
            "E2.2",
            "interview",
            ZHOU_S,
            LEAD_ID,
            "2026-12-02",
            "pay-change recorded on 2026-11-25: the manager interviews Zhou Min within 7 days",
            ref=1,
        ),
        PROBATION,
        item(
            "appeal-decision",
            "E2.6.5",
            "appeal",
            ZHOU_S,
            LEAD_ID,
            "2026-12-10",
            "appeal #1 from Zhou Min, round 1 received 2026-11-26: investigate and decide within 10 working days",
            ref=1,
        ),
        item("leave-handover", "E1.2", "leave", WU_S, LEAD_ID, "2026-12-31", why_leave, ref=1),
        one_to_one(6, ZHOU, LEAD_ID),
    ]
    assert busy.json("--as", LEAD, "due", "--staff", LEAD, now=NOW) == expected
    assert busy.json("--as", LEAD, "due", "--all", "--staff", LEAD, now=NOW) == expected
    csv = ok(busy, "--as", LEAD, "due", "--staff", LEAD, "--format", "csv").stdout.splitlines()
    assert csv[0] == (
        "rule,clause,strength,kind,subject_type,subject_id,subject_name,subject_unit,owner_id,owner_name,"
        "due,status,last_contact,ref"
    )
    assert csv[1:] == [
        "work-interview,E2.2,must,interview,staff,6,Zhou Min,,5,Sun Li,2026-12-02,due,,1",
        "probation-interview,E2.2,must,interview,staff,6,Zhou Min,,5,Sun Li,2026-12-04,due,,",
        "appeal-decision,E2.6.5,must,appeal,staff,6,Zhou Min,,5,Sun Li,2026-12-10,due,,1",
        "leave-handover,E1.2,must,leave,staff,7,Wu Gang,,5,Sun Li,2026-12-31,due,,1",
        "one-to-one,E2.1,must,cadence,staff,6,Zhou Min,,5,Sun Li,2026-12-31,due,,",
    ]


def test_due_json_of_the_whole_company(busy):
    def brief(items):
        return [
            (i["kind"], i["rule"], i["subject"]["name"], i["owner"]["name"], i["due"], i["status"])
            for i in items
        ]

    today = [
        ("appeal", "appeal-notify", "(confidential)", HEAD, "2026-11-27", "due"),
        ("interview", "work-interview", ZHOU, LEAD, "2026-12-02", "due"),
        ("interview", "probation-interview", ZHOU, LEAD, "2026-12-04", "due"),
        ("appeal", "appeal-decision", "(confidential)", LEAD, "2026-12-10", "due"),
        ("contract", "contract-ending", ZHOU, HR, "2026-12-20", "due"),
        ("cadence", "one-to-one", GM, CHAIR, "2026-12-31", "due"),
        ("cadence", "one-to-one", HR, GM, "2026-12-31", "due"),
        ("leave", "leave-audit", WU, HR, "2026-12-31", "due"),
        ("leave", "leave-exit-interview", WU, HR, "2026-12-31", "due"),
        ("survey", "survey-employees", "employees", HR, "2026-12-31", "due"),
        ("cadence", "one-to-one", LEAD, HEAD, "2026-12-31", "due"),
        ("leave", "leave-handover", WU, LEAD, "2026-12-31", "due"),
        ("cadence", "one-to-one", ZHOU, LEAD, "2026-12-31", "due"),
    ]
    assert brief(busy.json("due", now=NOW)) == today
    assert brief(busy.json("due", "--all", now=NOW)) == [
        *today[:7],
        ("cadence", "one-to-one", HEAD, GM, "2026-12-31", "due"),
        *today[7:],
        ("leave", "leave-final-pay", WU, HR, "2026-12-31", "waiting"),
    ]
    notify = busy.json("--as", HR, "due", now=NOW)[0]
    assert notify == item(
        "appeal-notify",
        "E2.6.5",
        "appeal",
        WU_S,
        HEAD_ID,
        "2026-11-27",
        "decided on 2026-11-25: notify in writing or by e-mail within 2 working days; still to "
        "notify: gm, hr",
        ref=2,
    )
    assert {i["kind"] for i in busy.json("due", now=NOW)} == {
        "cadence",
        "interview",
        "contract",
        "leave",
        "appeal",
        "survey",
    }


def test_due_as_of_a_later_day_moves_items_to_overdue(busy):
    statuses = {
        (i["rule"], i["subject"]["name"]): i["status"]
        for i in busy.json("--as", HR, "due", now="2026-12-07 09:00")
    }
    assert statuses[("appeal-notify", WU)] == "overdue"
    assert statuses[("work-interview", ZHOU)] == "overdue"
    assert statuses[("probation-interview", ZHOU)] == "overdue"
    assert statuses[("appeal-decision", ZHOU)] == "due"


# --- policy -------------------------------------------------------------------------------------------------


def test_policy_explain_e26(cli):
    lines = ok(cli, "policy", "explain", "E2.6").stdout.splitlines()
    assert lines[0] == "E2.6.5 · MUST · appeal-decision — decide an appeal"
    assert "A written appeal must be signed, or it is not accepted." in lines[1]
    assert "only those involved and HR see the appellant's name." in lines[1]
    assert lines[3:5] == [
        "E2.6.5 · MUST · appeal-notify — notify the decision on an appeal",
        "  As appeal-decision.",
    ]
    assert ok(cli, "policy", "explain", "e2.1").stdout.splitlines()[0] == (
        "E2.1 · MUST · one-to-one — one-to-one of 120 min or more"
    )
    assert ok(cli, "policy", "explain", "contract-ending").stdout.splitlines()[0] == (
        "E1.1 · SHOULD · contract-ending — labour contract ending"
    )


def test_policy_show_lists_the_e_rules(cli):
    """Every obligation of E is a rule of the policy: its id is the `rule` of its due items."""
    rules = [r for r in cli.json("policy", "show") if r["clause"].startswith("E")]
    assert [(r["id"], r["clause"], r["strength"], r["shape"], r["owner"]) for r in rules] == [
        ("one-to-one", "E2.1", "must", "one-to-one", "manager"),
        ("probation-interview", "E2.2", "must", "probation", "manager"),
        ("work-interview", "E2.2", "must", "interview", "manager"),
        ("contract-ending", "E1.1", "should", "contract", "role:hr"),
        ("leave-handover", "E1.2", "must", "leave-step", "manager"),
        ("leave-exit-interview", "E1.3", "must", "leave-step", "role:hr"),
        ("leave-audit", "E1.2", "must", "leave-step", "role:hr"),
        ("leave-final-pay", "E1.2", "must", "leave-step", "role:hr"),
        ("appeal-decision", "E2.6.5", "must", "appeal-decision", "receiver"),
        ("appeal-notify", "E2.6.5", "must", "appeal-notify", "receiver"),
        ("survey-employees", "E3", "must", "survey-quota", "role:hr"),
    ]
    work = rules[2]
    assert {k: v for k, v in work.items() if k != "explain"} == {
        "id": "work-interview",
        "clause": "E2.2",
        "strength": "must",
        "shape": "interview",
        "period": "within 7 days",
        "subject": "on pay-change, transfer, appraisal, career, resignation",
        "owner": "manager",
        "title": "work interview",
        "settled_by": [],
        "fallback": ["role:hr", "role:gm", "role:manager", "role:leadership"],
        "deadline": "within 7 days",
    }
    assert work["explain"].startswith("The manager interviews the employee when probation ends")


def test_voiding_a_done_transfer_puts_the_department_back_and_cancels_its_interview(company, db):
    ok(company, "transfer", "start", ZHOU, "--to-dept", "marketing")
    ok(company, "leave", "step", "1", "handover")
    assert company.json("staff", "show", ZHOU, now=NOW)["dept"] == "marketing"
    assert ok(company, "void", "transfer", "1", "--reason", "the move was called off").stdout == (
        "Voided transfer #1: the move was called off\n"
        "The transfer interview (E2.2) of case #1 cancelled.\n"
    )
    assert company.json("staff", "show", ZHOU, now=NOW)["dept"] == "sales"
    assert [
        i["rule"]
        for i in company.json("due", "--all", "--staff", LEAD, now=NOW)
        if i["kind"] == "interview"
    ] == ["probation-interview"]
    assert db.rows(
        "SELECT action, detail, reason FROM audit WHERE staff_id = 6 AND action IN ('edit', 'void') "
        "ORDER BY id"
    ) == [
        ("edit", "Zhou Min: dept sales → marketing (transfer case #1)", None),
        ("edit", "dept back to sales (transfer case #1 voided)", "the move was called off"),
        ("void", "transfer #1 voided", "the move was called off"),
    ]


def test_a_probation_interview_closes_the_probation_item(company):
    assert PROBATION in company.json("due", "--staff", LEAD, now=NOW)
    assert ok(
        company, "interview", "log", ZHOU, "--by", LEAD, "--kind", "probation", "--minutes", "30"
    ).stdout == (
        "Logged interview #1: probation with Zhou Min by Sun Li, 30 min, 2026-11-27 08:30.\n"
        "Closes: probation-end interview (probation ends 2026-12-04).\n"
    )
    assert PROBATION not in company.json("due", "--all", "--staff", LEAD, now=NOW)


def test_an_appellant_who_files_their_own_appeal_stays_confidential_in_its_steps(company):
    """Filed by the appellant themselves (`--as`): the step's "by" would name them to anyone."""
    as_(
        company,
        ZHOU,
        "appeal",
        "file",
        ZHOU,
        "--to",
        LEAD,
        "--channel",
        "in-person",
        "--grounds",
        "measure",
        "--summary",
        "unfair shift plan",
    )
    for viewer in ((), ("--as", WU)):
        shown = company.json(*viewer, "appeal", "show", "1", now=NOW)
        assert shown["appellant"] == "(confidential)"
        assert ZHOU not in {s["by"] for s in shown["steps"]}, shown["steps"]
        assert ZHOU not in ok(company, *viewer, "appeal", "show", "1", "--format", "csv").stdout
    assert company.json("--as", HR, "appeal", "show", "1", now=NOW)["steps"][0]["by"] == ZHOU


def test_an_appellants_history_does_not_say_they_appealed(company):
    """`history` is open to anyone: an appeal the employee filed themselves must not show there."""
    as_(
        company,
        ZHOU,
        "appeal",
        "file",
        ZHOU,
        "--to",
        LEAD,
        "--channel",
        "in-person",
        "--grounds",
        "measure",
        "--summary",
        "unfair shift plan",
    )
    rows = company.json("history", ZHOU, now=NOW)
    assert [r for r in rows if r["kind"] == "appeal"] == [], rows
    assert "appeal" not in ok(company, "history", ZHOU).stdout


@pytest.mark.parametrize("number", [str(2**31), str(2**40)])
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("leave", "show", "{n}"),
            "Error: There is no leaving or transfer case #{n}. See `careops leave list`.",
        ),
        (
            ("leave", "step", "{n}", "handover"),
            "Error: There is no leaving or transfer case #{n}. See `careops leave list`.",
        ),
        (("appeal", "show", "{n}"), "Error: There is no appeal #{n}. See `careops appeal list`."),
        (
            ("appeal", "decide", "{n}", "--decision", "x"),
            "Error: There is no appeal #{n}. See `careops appeal list`.",
        ),
        (
            ("void", "interview", "{n}", "--reason", "x"),
            "Error: There is no interview #{n}. See `careops interview list`.",
        ),
        (
            ("void", "appeal", "{n}", "--reason", "x"),
            "Error: There is no appeal #{n}. See `careops appeal list`.",
        ),
    ],
)
def test_an_id_beyond_any_record_is_simply_not_there_on_every_database(
    appealed, db, argv, message, number
):
    """PostgreSQL's integer ids end at 2**31 - 1: a larger one is still "no such record", not a database error."""
    before = counts(db)
    assert refused(appealed, *(a.format(n=number) for a in argv)) == message.format(n=number)
    assert counts(db) == before

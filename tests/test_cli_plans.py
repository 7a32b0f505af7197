"""CLI: `plan month|show|approve|year`, an approved plan in `due`, and `void plan` (P1, P3), with a fixed clock.

The drafting rules are tested against the scheduler in test_rules_p1_plans.py; here a small known site proves
what a butler and the supervisor see: the exact lines, `--format json` and csv, the plan as an iCalendar file,
and bad input refused with one `Error:` line, the right exit code and nothing written.
"""

from __future__ import annotations

from datetime import date

import pytest
from icalendar import Calendar

from conftest import ok, refused

THEN = "2026-09-15 10:00"
DRAFT = "2026-09-28 09:00"  # a Monday: October's plan is drafted before the National Day holidays
APPROVE = "2026-09-29 10:00"
TABLES = ("visit_plan", "visit_plan_item", "audit")
APPROVE_HINT = 'Approve: `careops plan approve --staff "{staff}" --month {month} --by SUPERVISOR`.'


def visit(cli, ref: str, by: str, at: str, *extra: str):
    return ok(cli, "log-visit", ref, "--by", by, "--at", at, *extra, now=at)


@pytest.fixture
def site(cli):
    """Butlers Wang Fang (#1, zone A) and Zhao Lei (#3, zone B), manager Li Hua (#2), supervisor Chen Jing (#4).

    Zone A: Zhang San #1 (reached 09-20), Li Si #2 (never), Sun Li #3 (reached by phone 09-16), Wu Jun #4 (not
    moved in, never called). Zone B: Zhou Min #5 (never)."""
    ok(cli, "init", now=THEN)
    ok(cli, "staff", "add", "Wang Fang", "--role", "butler", now=THEN)
    ok(cli, "staff", "add", "Li Hua", "--role", "manager", now=THEN)
    ok(cli, "staff", "add", "Zhao Lei", "--role", "butler", now=THEN)
    ok(cli, "staff", "add", "Chen Jing", "--role", "supervisor", now=THEN)
    ok(cli, "zone", "add", "A", "--butler", "Wang Fang", now=THEN)
    ok(cli, "zone", "add", "B", "--butler", "Zhao Lei", now=THEN)
    ok(cli, "resident", "add", "Zhang San", "--unit", "1-1-101", "--zone", "A", now=THEN)
    ok(cli, "resident", "add", "Li Si", "--unit", "1-1-102", "--zone", "A", now=THEN)
    ok(cli, "resident", "add", "Sun Li", "--unit", "1-1-103", "--zone", "A", now=THEN)
    ok(
        cli,
        "resident",
        "add",
        "Wu Jun",
        "--unit",
        "1-1-104",
        "--zone",
        "A",
        "--status",
        "not-moved-in",
        now=THEN,
    )
    ok(cli, "resident", "add", "Zhou Min", "--unit", "2-1-101", "--zone", "B", now=THEN)
    visit(cli, "1-1-103", "Wang Fang", "2026-09-16 10:00", "--channel", "phone")
    visit(cli, "1-1-101", "Wang Fang", "2026-09-20 10:00", "--channel", "door")
    return cli


@pytest.fixture
def drafted(site):
    """Wang Fang's October plan #1, drafted on 09-28: never-contacted Li Si and Wu Jun first, then Sun Li, then
    Zhang San, spaced over October's 18 working days (8–30 October; the 10th is a make-up working Saturday): the
    k-th of 4 on day index ⌊k·18/4⌋ = 0, 4, 9, 13 — Thursday the 8th, Tuesday the 13th (Wu Jun's call, not a
    Monday), Tuesday the 20th and Monday the 26th (a door visit)."""
    ok(site, "plan", "month", "--staff", "Wang Fang", "--month", "2026-10", now=DRAFT)
    return site


@pytest.fixture
def approved(drafted):
    ok(
        drafted,
        "plan",
        "approve",
        "--staff",
        "Wang Fang",
        "--month",
        "2026-10",
        "--by",
        "Chen Jing",
        now=APPROVE,
    )
    return drafted


def day(
    day_,
    weekday,
    party,
    name,
    unit,
    rule,
    title,
    channel,
    status,
    zone="A",
    staff="Wang Fang",
    plan=1,
):
    return {
        "day": day_,
        "weekday": weekday,
        "party_id": party,
        "name": name,
        "unit": unit,
        "zone": zone,
        "rule": rule,
        "clause": "P1",
        "title": title,
        "channel": channel,
        "status": status,
        "plan_id": plan,
        "staff": staff,
    }


MONTHLY, QUARTERLY = (
    ("p1-monthly-visit", "monthly visit"),
    ("p1-quarterly-call", "quarterly call, not moved in"),
)
LI_SI_DAY = day("2026-10-08", "Thu", 2, "Li Si", "1-1-102", *MONTHLY, "door", "planned")
WU_JUN_DAY = day("2026-10-13", "Tue", 4, "Wu Jun", "1-1-104", *QUARTERLY, "phone", "planned")
SUN_LI_DAY = day("2026-10-20", "Tue", 3, "Sun Li", "1-1-103", *MONTHLY, "door", "planned")
ZHANG_SAN_DAY = day("2026-10-26", "Mon", 1, "Zhang San", "1-1-101", *MONTHLY, "door", "planned")


def counts(db) -> tuple:
    (row,) = db.rows("SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in TABLES))
    return row


# --- plan month --------------------------------------------------------------------------------------------


def test_plan_month_drafts_one_butlers_month(site):
    result = ok(site, "plan", "month", "--staff", "Wang Fang", "--month", "2026-10", now=DRAFT)

    assert result.stdout == (
        "Drafted plan #1 for Wang Fang, 2026-10: 4 households over 18 working days (longest-uncontacted first). "
        + APPROVE_HINT.format(staff="Wang Fang", month="2026-10")
        + "\n"
    )
    assert result.stderr == ""


def test_plan_month_without_staff_drafts_every_butler_and_redrafts_replace(site):
    ok(site, "resident", "add", "Qian Qi", "--unit", "2-1-102", "--zone", "B", now=THEN)

    first = ok(site, "plan", "month", "--month", "2026-10", now=DRAFT)
    again = ok(site, "plan", "month", "--staff", "#3", "--month", "2026-10", now=DRAFT)

    assert first.stdout == (
        "Drafted plan #1 for Wang Fang, 2026-10: 4 households over 18 working days (longest-uncontacted first). "
        + APPROVE_HINT.format(staff="Wang Fang", month="2026-10")
        + "\n"
        "Drafted plan #2 for Zhao Lei, 2026-10: 2 households over 18 working days (longest-uncontacted first). "
        + APPROVE_HINT.format(staff="Zhao Lei", month="2026-10")
        + "\n"
    )
    assert again.stdout == (
        "Drafted plan #3 for Zhao Lei, 2026-10: 2 households over 18 working days (longest-uncontacted first; "
        "replaces draft #2). " + APPROVE_HINT.format(staff="Zhao Lei", month="2026-10") + "\n"
    )


def test_plan_month_defaults_to_this_month_from_today(site):
    result = ok(site, "plan", "month", "--staff", "wang fang", now="2026-10-20 16:00")

    assert result.stdout.startswith(
        "Drafted plan #1 for Wang Fang, 2026-10: 4 households over 9 working days "
    )
    # 20–23 and 26–30 October: day indexes ⌊k·9/4⌋ = 0, 2, 4, 6.
    assert [
        d["day"]
        for d in site.json("plan", "show", "--staff", "Wang Fang", now="2026-10-20 16:00")["days"]
    ] == ["2026-10-20", "2026-10-22", "2026-10-26", "2026-10-28"]


def test_plan_month_in_a_year_without_a_published_schedule_says_so(site):
    result = ok(site, "plan", "month", "--staff", "Wang Fang", "--month", "2027-01", now=DRAFT)

    assert result.stdout.startswith("Drafted plan #1 for Wang Fang, 2027-01: 4 households over ")
    assert result.stderr == (
        "Note: China's official holiday schedule for 2027 is not published in the calendar data yet; working days "
        "for 2027 count weekends and the holidays that can be computed, without make-up working days.\n"
    )


# --- plan show ---------------------------------------------------------------------------------------------


def test_plan_show_json(drafted):
    assert drafted.json(
        "plan", "show", "--staff", "Wang Fang", "--month", "2026-10", now=DRAFT
    ) == {
        "id": 1,
        "staff": "Wang Fang",
        "month": "2026-10",
        "state": "draft",
        "approved_by": None,
        "approved_on": None,
        "households": 4,
        "working_days": 4,
        "done": 0,
        "missed": 0,
        "days": [LI_SI_DAY, WU_JUN_DAY, SUN_LI_DAY, ZHANG_SAN_DAY],
    }


def test_plan_show_json_approved_with_what_is_done_and_missed(approved):
    visit(approved, "1-1-104", "Li Hua", "2026-10-09 10:00", "--channel", "phone")  # before its day
    visit(
        approved, "1-1-101", "Wang Fang", "2026-10-09 11:00", "--channel", "door"
    )  # before its day

    shown = approved.json(
        "plan", "show", "--staff", "Wang Fang", "--month", "2026-10", now="2026-10-20 09:00"
    )

    assert shown == {
        "id": 1,
        "staff": "Wang Fang",
        "month": "2026-10",
        "state": "approved",
        "approved_by": "Chen Jing",
        "approved_on": "2026-09-29",
        "households": 4,
        "working_days": 4,
        "done": 2,
        "missed": 1,
        "days": [
            {**LI_SI_DAY, "status": "missed"},
            {**WU_JUN_DAY, "status": "done"},
            {**SUN_LI_DAY, "status": "today"},
            {**ZHANG_SAN_DAY, "status": "done"},
        ],
    }


def test_plan_show_table(approved):
    result = ok(
        approved,
        "plan",
        "show",
        "--staff",
        "Wang Fang",
        "--month",
        "2026-10",
        now="2026-10-13 09:00",
    )

    lines = result.stdout.splitlines()
    assert lines[0] == (
        "Plan #1 for Wang Fang, 2026-10: approved by Chen Jing on 2026-09-29 — 4 households on 4 "
        "days; done 0, missed 1."
    )
    assert [c.strip() for c in lines[1].split("┃")] == [
        "Day",
        "Wd",
        "Clause",
        "What",
        "Who",
        "Unit",
        "Zone",
        "How",
        "Status",
    ]
    assert [[c.strip() for c in line.split("│")] for line in lines[3:]] == [
        ["2026-10-08", "Thu", "P1", "monthly visit", "Li Si", "1-1-102", "A", "door", "missed"],
        [
            "2026-10-13",
            "Tue",
            "P1",
            "quarterly call, not moved in",
            "Wu Jun",
            "1-1-104",
            "A",
            "phone",
            "today",
        ],
        ["2026-10-20", "Tue", "P1", "monthly visit", "Sun Li", "1-1-103", "A", "door", "planned"],
        [
            "2026-10-26",
            "Mon",
            "P1",
            "monthly visit",
            "Zhang San",
            "1-1-101",
            "A",
            "door",
            "planned",
        ],
    ]
    assert result.stderr == ""


def test_plan_show_csv(drafted):
    assert ok(
        drafted,
        "plan",
        "show",
        "--staff",
        "Wang Fang",
        "--month",
        "2026-10",
        "--format",
        "csv",
        now=DRAFT,
    ).stdout == (
        "day,weekday,clause,title,name,unit,zone,channel,status\n"
        "2026-10-08,Thu,P1,monthly visit,Li Si,1-1-102,A,door,planned\n"
        '2026-10-13,Tue,P1,"quarterly call, not moved in",Wu Jun,1-1-104,A,phone,planned\n'
        "2026-10-20,Tue,P1,monthly visit,Sun Li,1-1-103,A,door,planned\n"
        "2026-10-26,Mon,P1,monthly visit,Zhang San,1-1-101,A,door,planned\n"
    )


def test_plan_show_without_staff_lists_every_butlers_plan(approved):
    ok(approved, "plan", "month", "--staff", "Zhao Lei", "--month", "2026-10", now=DRAFT)

    assert approved.json("plan", "show", "--month", "2026-10", now="2026-10-09 09:00") == {
        "month": "2026-10",
        "plans": [
            {
                "id": 1,
                "staff": "Wang Fang",
                "month": "2026-10",
                "state": "approved",
                "approved_by": "Chen Jing",
                "approved_on": "2026-09-29",
                "households": 4,
                "days": 4,
                "done": 0,
                "missed": 1,
            },
            {
                "id": 2,
                "staff": "Zhao Lei",
                "month": "2026-10",
                "state": "draft",
                "approved_by": None,
                "approved_on": None,
                "households": 1,
                "days": 1,
                "done": 0,
                "missed": 1,
            },
        ],
    }


def test_plan_show_ics_reads_back_as_a_calendar(drafted):
    result = drafted(
        "plan", "show", "--staff", "Wang Fang", "--month", "2026-10", "--format", "ics", now=DRAFT
    )

    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\n")
    cal = Calendar.from_ical(result.stdout_bytes)
    assert str(cal["X-WR-CALNAME"]) == "careops plan — Wang Fang 2026-10"
    found = sorted(
        (e.decoded("DTSTART"), e.decoded("DTEND"), str(e["SUMMARY"]), str(e.get("LOCATION", "")))
        for e in cal.walk("VEVENT")
    )
    assert found == [
        (
            date(2026, 10, 8),
            date(2026, 10, 9),
            "P1 monthly visit — Li Si 1-1-102, at the door",
            "1-1-102, zone A",
        ),
        (
            date(2026, 10, 13),
            date(2026, 10, 14),
            "P1 quarterly call, not moved in — Wu Jun 1-1-104, by phone",
            "",
        ),
        (
            date(2026, 10, 20),
            date(2026, 10, 21),
            "P1 monthly visit — Sun Li 1-1-103, at the door",
            "1-1-103, zone A",
        ),
        (
            date(2026, 10, 26),
            date(2026, 10, 27),
            "P1 monthly visit — Zhang San 1-1-101, at the door",
            "1-1-101, zone A",
        ),
    ]
    assert len({str(e["UID"]) for e in cal.walk("VEVENT")}) == 4
    # The same plan gives the same file: a calendar app updates the events instead of adding copies.
    again = drafted(
        "plan", "show", "--staff", "Wang Fang", "--month", "2026-10", "--format", "ics", now=DRAFT
    )
    assert again.stdout_bytes == result.stdout_bytes


# --- plan approve ------------------------------------------------------------------------------------------


def test_plan_approve_without_a_period_approves_this_months(drafted):
    result = ok(
        drafted,
        "plan",
        "approve",
        "--staff",
        "Wang Fang",
        "--by",
        "Chen Jing",
        now="2026-10-08 09:00",
    )

    assert result.stdout == "Approved Wang Fang's visit plan for 2026-10 (#1), by Chen Jing.\n"


def test_plan_approve_month_then_year(drafted, db):
    month = ok(
        drafted,
        "plan",
        "approve",
        "--staff",
        "Wang Fang",
        "--month",
        "2026-10",
        "--by",
        "Chen Jing",
        now=APPROVE,
    )
    year = ok(
        drafted,
        "plan",
        "approve",
        "--staff",
        "#1",
        "--year",
        "2026",
        "--by",
        "chen jing",
        now=APPROVE,
    )

    assert month.stdout == "Approved Wang Fang's visit plan for 2026-10 (#1), by Chen Jing.\n"
    assert year.stdout == "Approved Wang Fang's visit plan for 2026 (#2), by Chen Jing.\n"
    assert db.rows("SELECT id, period, approved_by_id FROM visit_plan ORDER BY id") == [
        (1, "month", 4),
        (2, "year", 4),
    ]
    assert db.rows(
        "SELECT action, kind, record_id, detail FROM audit WHERE action = 'approve' ORDER BY id"
    ) == [
        ("approve", "plan", 1, "approved the plan for 2026-10"),
        ("approve", "plan", 2, "approved the plan for 2026"),
    ]


# --- plan year ---------------------------------------------------------------------------------------------


def test_plan_year_json_and_table(approved):
    visit(approved, "1-1-102", "Wang Fang", "2026-10-08 10:00", "--channel", "door")
    now = "2026-10-09 09:00"

    data = approved.json("plan", "year", "--staff", "Wang Fang", now=now)

    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    assert (data["staff"], data["year"], data["approved_on"], data["months"]) == (
        "Wang Fang",
        2026,
        None,
        months,
    )
    rows = {r["name"]: [r[m] for m in months[9:]] for r in data["households"]}
    assert [r["name"] for r in data["households"]] == ["Zhang San", "Li Si", "Sun Li", "Wu Jun"]
    assert rows == {
        "Zhang San": ["10-26", "·", "·"],
        "Li Si": ["✓", "·", "·"],
        "Sun Li": ["10-20", "·", "·"],
        "Wu Jun": ["10-13", "", "·"],
    }
    table = ok(
        approved, "plan", "year", "--staff", "Wang Fang", "--year", "2026", now=now
    ).stdout.splitlines()
    assert table[0] == (
        "Wang Fang's visit plan for 2026 (not approved yet): ✓ contacted, ✗ the period ended without "
        "contact, MM-DD planned day (✗MM-DD: the day passed without contact), · still to do."
    )
    assert [c.strip() for c in table[1].split("┃")] == [
        "Household",
        "Unit",
        "Zone",
        "What",
        *months,
    ]
    assert [
        [c.strip() for c in line.split("│")][:4] + [c.strip() for c in line.split("│")][13:]
        for line in table[3:]
    ] == [
        ["Zhang San", "1-1-101", "A", "monthly visit", "10-26", "·", "·"],
        ["Li Si", "1-1-102", "A", "monthly visit", "✓", "·", "·"],
        ["Sun Li", "1-1-103", "A", "monthly visit", "10-20", "·", "·"],
        ["Wu Jun", "1-1-104", "A", "quarterly call, not moved in", "10-13", "", "·"],
    ]


# --- due with an approved plan -----------------------------------------------------------------------------


WANG = {"id": 1, "name": "Wang Fang"}
LI_SI_OVERDUE = {
    "rule": "p1-monthly-visit",
    "clause": "P1",
    "strength": "must",
    "kind": "cadence",
    "subject": {"type": "household", "id": 2, "name": "Li Si", "unit": "1-1-102"},
    "owner": WANG,
    "due": "2026-10-08",
    "status": "overdue",
    "last_contact": None,
    "ref": None,
    "zone": "A",
    "period": "2026-10",
    "missed_period": None,
    "why": "monthly visit: planned for 2026-10-08 in the approved plan, no contact yet",
    "together": [],
    "planned": "2026-10-08",
}
WU_JUN_TODAY = {
    "rule": "p1-quarterly-call",
    "clause": "P1",
    "strength": "must",
    "kind": "cadence",
    "subject": {"type": "household", "id": 4, "name": "Wu Jun", "unit": "1-1-104"},
    "owner": WANG,
    "due": "2026-10-13",
    "status": "due",
    "last_contact": None,
    "ref": None,
    "zone": "A",
    "period": "2026-Q4",
    "missed_period": None,
    "why": "quarterly call, not moved in: no contact yet in 2026-Q4",
    "together": [],
    "planned": "2026-10-13",
}


def test_due_json_with_an_approved_plan_lists_todays_planned_households(approved):
    # On the 9th no planned day is today: only Li Si, whose day (the 8th) passed. On the 13th, Wu Jun's day.
    assert approved.json("due", "--staff", "Wang Fang", now="2026-10-09 09:00") == [LI_SI_OVERDUE]
    assert approved.json("due", "--staff", "Wang Fang", now="2026-10-13 09:00") == [
        LI_SI_OVERDUE,
        WU_JUN_TODAY,
    ]


def test_due_all_with_an_approved_plan_gives_each_household_its_planned_day(approved):
    shown = approved.json("due", "--staff", "Wang Fang", "--all", now="2026-10-09 09:00")

    assert [(i["subject"]["name"], i["status"], i["due"], i["planned"]) for i in shown] == [
        ("Li Si", "overdue", "2026-10-08", "2026-10-08"),
        ("Wu Jun", "due", "2026-10-13", "2026-10-13"),
        ("Sun Li", "due", "2026-10-20", "2026-10-20"),
        ("Zhang San", "due", "2026-10-26", "2026-10-26"),
    ]


def test_due_table_with_an_approved_plan(approved):
    result = ok(
        approved, "due", "--staff", "Wang Fang", now="2026-10-13 09:00"
    )  # Wu Jun's planned day

    lines = result.stdout.splitlines()
    assert (
        lines[0]
        == "Tue 2026-10-13 09:00 — call windows today (P3): 09:00–12:00, 14:00–17:30, 19:00–21:00"
    )
    assert [[c.strip() for c in line.split("│")][:5] for line in lines[3:5]] == [
        ["overdue", "2026-10-08", "P1", "monthly visit (planned day missed)", "Li Si"],
        ["due", "2026-10-13", "P1", "quarterly call, not moved in", "Wu Jun"],
    ]
    assert lines[5:] == [
        "Also open, not in today's share: monthly visit, planned for later days ×2. "
        "`careops due --all` lists every item."
    ]


def test_due_with_a_draft_is_the_daily_share(drafted):
    # Not approved: the daily share as before, ⌈4 open ÷ 17 working days⌉ = 1 a day: Li Si (never contacted).
    shown = drafted.json("due", "--staff", "Wang Fang", now="2026-10-09 09:00")

    assert [(i["subject"]["name"], i["status"], i["due"], i["planned"]) for i in shown] == [
        ("Li Si", "due", "2026-10-31", None),
        ("Wu Jun", "due", "2026-12-31", None),
    ]


def test_due_for_the_supervisor_lists_the_plans_to_approve(drafted):
    shown = drafted.json("due", "--staff", "Chen Jing", now="2026-10-12 09:00")

    assert shown == [
        {
            "rule": "p1-plan-month",
            "clause": "P1",
            "strength": "must",
            "kind": "plan",
            "subject": {"type": "staff", "id": 1, "name": "Wang Fang", "unit": None},
            "owner": {"id": 4, "name": "Chen Jing"},
            "due": "2026-10-10",
            "status": "overdue",
            "last_contact": None,
            "ref": 1,
            "zone": None,
            "period": "2026-10",
            "missed_period": None,
            "why": "Wang Fang's plan for 2026-10 (#1) waits for approval: "
            '`careops plan approve --staff "Wang Fang" --month 2026-10 --by SUPERVISOR`',
            "together": [],
            "planned": None,
        },
        {
            "rule": "p1-plan-month",
            "clause": "P1",
            "strength": "must",
            "kind": "plan",
            "subject": {"type": "staff", "id": 3, "name": "Zhao Lei", "unit": None},
            "owner": {"id": 4, "name": "Chen Jing"},
            "due": "2026-10-10",
            "status": "overdue",
            "last_contact": None,
            "ref": None,
            "zone": None,
            "period": "2026-10",
            "missed_period": None,
            "why": "Zhao Lei's plan for 2026-10 is not drafted yet: "
            '`careops plan month --staff "Zhao Lei" --month 2026-10`',
            "together": [],
            "planned": None,
        },
    ]
    assert [
        i["kind"] for i in drafted.json("due", "--staff", "Wang Fang", now="2026-10-12 09:00")
    ] == ["cadence"] * 2


def test_void_plan_sends_due_back_to_the_daily_share(approved, db):
    result = ok(approved, "void", "plan", "1", "--reason", "wrong month", now="2026-10-09 08:00")

    assert result.stdout == "Voided plan #1: wrong month\n"
    assert db.rows("SELECT void_reason FROM visit_plan") == [("wrong month",)]
    shown = approved.json("due", "--staff", "Wang Fang", now="2026-10-09 09:00")
    assert [(i["subject"]["name"], i["planned"]) for i in shown] == [
        ("Li Si", None),
        ("Wu Jun", None),
    ]
    again = ok(approved, "plan", "month", "--staff", "Wang Fang", now="2026-10-09 09:30")
    assert again.stdout.startswith(
        "Drafted plan #2 for Wang Fang, 2026-10: 4 households over 17 working days "
    )


# --- bad input: one `Error:` line, the right exit code, nothing written -----------------------------------


BAD = [
    (
        ("plan", "month", "--staff", "Nobody"),
        1,
        "Error: No staff member matches 'Nobody'. See `careops staff list`, or add them with `careops staff add`.",
    ),
    (
        ("plan", "month", "--staff", "Li Hua"),
        1,
        "Error: Li Hua owns no zone, so has no households to plan. Give them one first: "
        '`careops zone edit ZONE --butler "Li Hua"`.',
    ),
    (
        ("plan", "month", "--month", "2026-13"),
        2,
        "Error: Invalid value for '--month': --month '2026-13' is not a month like 2026-11. "
        "(see `careops plan month --help`)",
    ),
    (
        ("plan", "month", "--month", "2026-08"),
        1,
        "Error: 2026-08 is over: a plan is for this month or a later one.",
    ),
    (
        ("plan", "month", "--staff", "Wang Fang", "--month", "2026-10"),
        1,
        "Error: Wang Fang's plan for 2026-10 was approved by Chen Jing on 2026-09-29. To redraft it, void it first: "
        "`careops void plan 1 --reason TEXT`.",
    ),
    (
        ("plan", "month"),
        1,
        "Error: Wang Fang's plan for 2026-10 was approved by Chen Jing on 2026-09-29. To redraft it, void it first: "
        "`careops void plan 1 --reason TEXT`.",
    ),
    (
        ("plan", "year", "--staff", "Wang Fang", "--year", "abc"),
        2,
        "Error: Invalid value for '--year': --year 'abc' is not a year like 2027. (see `careops plan year --help`)",
    ),
    (
        ("plan", "year", "--staff", "Li Hua"),
        1,
        "Error: Li Hua owns no zone, so has no households to plan. Give them one first: "
        '`careops zone edit ZONE --butler "Li Hua"`.',
    ),
    (
        ("plan", "approve", "--staff", "Wang Fang", "--by", "Chen Jing"),
        1,  # this month's, approved already
        "Error: Wang Fang's plan for 2026-10 is already approved (by Chen Jing on 2026-09-29).",
    ),
    (
        ("plan", "approve", "--staff", "Zhao Lei", "--by", "Chen Jing"),
        1,
        'Error: Zhao Lei has no plan for 2026-10 yet: `careops plan month --staff "Zhao Lei" --month 2026-10` '
        "drafts it.",
    ),
    (
        (
            "plan",
            "approve",
            "--staff",
            "Wang Fang",
            "--month",
            "2026-10",
            "--year",
            "2026",
            "--by",
            "Chen Jing",
        ),
        1,
        "Error: Give the plan's --month YYYY-MM or its --year YYYY.",
    ),
    (
        ("plan", "approve", "--staff", "Zhao Lei", "--month", "2026-10", "--by", "Wang Fang"),
        1,
        "Error: Only the butler department's supervisor approves visit plans (P1); Wang Fang has role butler.",
    ),
    (
        ("plan", "approve", "--staff", "Wang Fang", "--month", "2026-10", "--by", "Chen Jing"),
        1,
        "Error: Wang Fang's plan for 2026-10 is already approved (by Chen Jing on 2026-09-29).",
    ),
    (
        ("plan", "approve", "--staff", "Zhao Lei", "--month", "2026-11", "--by", "Chen Jing"),
        1,
        'Error: Zhao Lei has no plan for 2026-11 yet: `careops plan month --staff "Zhao Lei" --month 2026-11` '
        "drafts it.",
    ),
    (
        ("plan", "approve", "--staff", "Zhao Lei", "--month", "2026-10", "--by", "Nobody"),
        1,
        "Error: No staff member matches 'Nobody'. See `careops staff list`, or add them with `careops staff add`.",
    ),
    (
        ("plan", "approve", "--staff", "Wang Fang", "--month", "2026-10"),
        2,
        "Error: Missing option '--by'. (see `careops plan approve --help`)",
    ),
    (
        ("plan", "show", "--month", "2026-12"),
        1,
        "Error: No visit plan for 2026-12 yet: `careops plan month --month 2026-12` drafts every butler's.",
    ),
    (
        ("plan", "show", "--staff", "Zhao Lei", "--month", "2026-10"),
        1,
        'Error: Zhao Lei has no plan for 2026-10 yet: `careops plan month --staff "Zhao Lei" --month 2026-10` '
        "drafts it.",
    ),
    (
        ("plan", "show", "--month", "2026-12", "--format", "ics"),
        1,
        "Error: No visit plan for 2026-12 yet: `careops plan month --month 2026-12` drafts every butler's.",
    ),
]


@pytest.mark.parametrize(("argv", "code", "line"), BAD, ids=[" ".join(a) for a, _c, _l in BAD])
def test_plan_bad_input_is_refused_and_writes_nothing(approved, db, argv, code, line):
    before = counts(db)

    assert refused(approved, *argv, now="2026-10-09 09:00", code=code) == line
    assert counts(db) == before


def test_void_plan_that_does_not_exist_is_refused_and_writes_nothing(approved, db):
    before = counts(db)

    assert refused(approved, "void", "plan", "999", "--reason", "x") == (
        "Error: There is no plan #999. See `careops plan show`."
    )
    assert counts(db) == before


def test_plan_month_with_no_working_day_left_writes_nothing(site, db):
    before = counts(db)

    assert (
        refused(site, "plan", "month", now="2026-10-31 10:00")
        == "Error: No working day is left in 2026-10 to plan."
    )
    assert counts(db) == before

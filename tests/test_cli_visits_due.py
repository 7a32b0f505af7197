"""CLI: `log-visit`, `visit list` and `due` wired end to end (P1–P3), with a fixed clock.

The rules themselves are tested against the scheduler in test_rules_*.py; here a
small known site proves what a butler sees: which obligations a visit
satisfied, the P3 warnings, callbacks, and the exact `due --format json`.
"""

from __future__ import annotations

import pytest

from conftest import NOW, ok, refused

WINDOWS = "P3: Tue/Wed/Thu/Fri/Sat/Sun 09:00-12:00, 14:00-17:30, 19:00-21:00"


def visit(cli, ref: str, by: str, at: str, *extra: str):
    """A visit logged at the moment it happened."""
    return ok(cli, "log-visit", ref, "--by", by, "--at", at, *extra, now=at)


@pytest.fixture
def staffed(cli):
    """Butlers Wang Fang (#1, zone A) and Zhao Lei (#3, zone B), manager Li Hua (#2); recorded 2026-09-15."""
    then = "2026-09-15 10:00"
    ok(cli, "init", now=then)
    ok(cli, "staff", "add", "Wang Fang", "--role", "butler", now=then)
    ok(cli, "staff", "add", "Li Hua", "--role", "manager", now=then)
    ok(cli, "staff", "add", "Zhao Lei", "--role", "butler", now=then)
    ok(cli, "zone", "add", "A", "--butler", "Wang Fang", now=then)
    ok(cli, "zone", "add", "B", "--butler", "Zhao Lei", now=then)
    return cli


@pytest.fixture
def site(staffed):
    """Five households, two contacts and their history up to NOW.

    Zhang San #1 (A): reached 10-10, a busy call 11-24 with a callback (#1) agreed for 11-27 10:00.
    Li Si #2 (A, key-attention): never reached — overdue for P1, and the P2 key group is overdue.
    Sun Li #3 (A): reached 10-20.   Zhou Min #4 (B): reached 11-05.   Wu Jun #5 (B): not moved in, never called.
    Chair Qian #6: met by the manager 11-04.   District housing bureau #7: met 09-20 (last quarter).
    """
    cli, then = staffed, "2026-09-15 10:00"
    ok(cli, "resident", "add", "Zhang San", "--unit", "1-1-101", "--zone", "A", now=then)
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
        now=then,
    )
    ok(cli, "resident", "add", "Sun Li", "--unit", "1-1-103", "--zone", "A", now=then)
    ok(cli, "resident", "add", "Zhou Min", "--unit", "2-1-101", "--zone", "B", now=then)
    ok(
        cli,
        "resident",
        "add",
        "Wu Jun",
        "--unit",
        "2-1-102",
        "--zone",
        "B",
        "--status",
        "not-moved-in",
        now=then,
    )
    ok(cli, "contact", "add", "Chair Qian", "--kind", "committee-chair", now=then)
    ok(cli, "contact", "add", "District housing bureau", "--kind", "housing-bureau", now=then)
    visit(cli, "District housing bureau", "Li Hua", "2026-09-20 10:00", "--channel", "door")
    visit(cli, "1-1-101", "Wang Fang", "2026-10-10 10:00", "--channel", "door")
    visit(cli, "1-1-103", "Wang Fang", "2026-10-20 10:00", "--channel", "door")
    visit(cli, "Chair Qian", "Li Hua", "2026-11-04 15:00", "--channel", "door")
    visit(cli, "2-1-101", "Zhao Lei", "2026-11-05 10:00", "--channel", "phone")
    visit(
        cli,
        "1-1-101",
        "Wang Fang",
        "2026-11-24 10:00",
        "--channel",
        "phone",
        "--outcome",
        "busy",
        "--callback",
        "2026-11-27 10:00",
    )
    return cli


WANG = {"id": 1, "name": "Wang Fang"}
LI_HUA = {"id": 2, "name": "Li Hua"}
ZHAO = {"id": 3, "name": "Zhao Lei"}


def household(id_, name, unit):
    return {"type": "household", "id": id_, "name": name, "unit": unit}


KEY_GROUP = {
    "rule": "p2-key-household",
    "clause": "P2",
    "strength": "must",
    "kind": "cadence",
    "subject": {
        "type": "group",
        "id": "tag:key",
        "name": "key-attention households (1)",
        "unit": None,
    },
    "owner": LI_HUA,
    "due": "2026-11-30",
    "status": "overdue",
    "last_contact": None,
    "ref": None,
    "zone": None,
    "period": "2026-11",
    "missed_period": "2026-10",
    "why": "one key-attention household, monthly: no contact yet in 2026-11, none in 2026-10 either",
    "together": [],
    "planned": None,
}
LI_SI = {
    "rule": "p1-monthly-visit",
    "clause": "P1",
    "strength": "must",
    "kind": "cadence",
    "subject": household(2, "Li Si", "1-1-102"),
    "owner": WANG,
    "due": "2026-11-30",
    "status": "overdue",
    "last_contact": None,
    "ref": None,
    "zone": "A",
    "period": "2026-11",
    "missed_period": "2026-10",
    "why": "monthly visit: no contact yet in 2026-11, none in 2026-10 either",
    "together": [],
    "planned": None,
}
CALLBACK = {
    "rule": "p3-callback",
    "clause": "P3",
    "strength": "should",
    "kind": "callback",
    "subject": household(1, "Zhang San", "1-1-101"),
    "owner": WANG,
    "due": "2026-11-27T10:00:00+08:00",
    "status": "due",
    "last_contact": "2026-10-10T10:00:00+08:00",
    "ref": 1,
    "zone": "A",
    "period": None,
    "missed_period": None,
    "why": "call back agreed for 2026-11-27 10:00",
    "together": [],
    "planned": None,
}
ZHANG_SAN = {
    "rule": "p1-monthly-visit",
    "clause": "P1",
    "strength": "must",
    "kind": "cadence",
    "subject": household(1, "Zhang San", "1-1-101"),
    "owner": WANG,
    "due": "2026-11-30",
    "status": "due",
    "last_contact": "2026-10-10T10:00:00+08:00",
    "ref": None,
    "zone": "A",
    "period": "2026-11",
    "missed_period": None,
    "why": "monthly visit: no contact yet in 2026-11",
    "together": [],
    "planned": None,
}
SUN_LI = {
    **ZHANG_SAN,
    "subject": household(3, "Sun Li", "1-1-103"),
    "last_contact": "2026-10-20T10:00:00+08:00",
}
BUREAU = {
    "rule": "p2-housing-bureau",
    "clause": "P2",
    "strength": "must",
    "kind": "cadence",
    "subject": {"type": "contact", "id": 7, "name": "District housing bureau", "unit": None},
    "owner": LI_HUA,
    "due": "2026-12-31",
    "status": "due",
    "last_contact": "2026-09-20T10:00:00+08:00",
    "ref": None,
    "zone": None,
    "period": "2026-Q4",
    "missed_period": None,
    "why": "housing bureau, quarterly: no contact yet in 2026-Q4",
    "together": [],
    "planned": None,
}
WU_JUN = {
    "rule": "p1-quarterly-call",
    "clause": "P1",
    "strength": "must",
    "kind": "cadence",
    "subject": household(5, "Wu Jun", "2-1-102"),
    "owner": ZHAO,
    "due": "2026-12-31",
    "status": "due",
    "last_contact": None,
    "ref": None,
    "zone": "B",
    "period": "2026-Q4",
    "missed_period": None,
    "why": "quarterly call, not moved in: no contact yet in 2026-Q4",
    "together": [],
    "planned": None,
}


# --- due -----------------------------------------------------------------------------------------


def test_due_json_is_todays_share_plus_everything_overdue_and_callbacks(site):
    # Friday 27 Nov: two working days left in November (27th, 30th), so one of Wang Fang's two open monthly
    # visits is today's share — the longest-uncontacted, Zhang San (10-10) before Sun Li (10-20).
    assert site.json("due", now=NOW) == [KEY_GROUP, LI_SI, CALLBACK, ZHANG_SAN, BUREAU, WU_JUN]


def test_due_all_lists_every_open_item(site):
    assert site.json("due", "--all", now=NOW) == [
        KEY_GROUP,
        LI_SI,
        CALLBACK,
        ZHANG_SAN,
        SUN_LI,
        BUREAU,
        WU_JUN,
    ]


def test_due_staff_shows_only_what_they_own(site):
    assert site.json("due", "--staff", "Wang Fang", now=NOW) == [LI_SI, CALLBACK, ZHANG_SAN]
    assert site.json("due", "--staff", "li hua", now=NOW) == [KEY_GROUP, BUREAU]
    assert site.json("due", "--staff", "#3", "--all", now=NOW) == [WU_JUN]


def test_due_zone_shows_only_its_households(site):
    assert site.json("due", "--zone", "A", "--all", now=NOW) == [LI_SI, CALLBACK, ZHANG_SAN, SUN_LI]
    assert site.json("due", "--zone", "b", now=NOW) == [WU_JUN]
    assert site.json("due", "--zone", "B", "--staff", "Wang Fang", now=NOW) == []


def test_due_csv(site):
    assert ok(site, "due", "--staff", "Wang Fang", "--format", "csv").stdout == (
        "rule,clause,strength,kind,subject_type,subject_id,subject_name,subject_unit,owner_id,owner_name,due,status,last_contact,ref\n"
        "p1-monthly-visit,P1,must,cadence,household,2,Li Si,1-1-102,1,Wang Fang,2026-11-30,overdue,,\n"
        "p3-callback,P3,should,callback,household,1,Zhang San,1-1-101,1,Wang Fang,"
        "2026-11-27 10:00,due,2026-10-10 10:00,1\n"
        "p1-monthly-visit,P1,must,cadence,household,1,Zhang San,1-1-101,1,Wang Fang,2026-11-30,due,2026-10-10 10:00,\n"
    )


def test_due_table_starts_with_todays_call_windows_and_ends_with_what_remains(site):
    result = ok(site, "due", "--staff", "Wang Fang")
    lines = result.stdout.splitlines()
    assert (
        lines[0]
        == "Fri 2026-11-27 08:30 — call windows today (P3): 09:00–12:00, 14:00–17:30, 19:00–21:00"
    )
    # The strength last (must / should / may): a `may` is never overdue.
    assert lines[1:6] == [
        "Status  ┃ Due              ┃ Clause ┃ What                           ┃ Who       ┃ Unit    "
        "┃ Owner     ┃ Last contact     ┃ Strength",
        "━━━━━━━━╇━━━━━━━━━━━━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━"
        "╇━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━╇━━━━━━━━━",
        "overdue │ 2026-11-30       │ P1     │ monthly visit (missed 2026-10) │ Li Si     │ 1-1-102 "
        "│ Wang Fang │                  │ must    ",
        "due     │ 2026-11-27 10:00 │ P3     │ call back                      │ Zhang San │ 1-1-101 "
        "│ Wang Fang │ 2026-10-10 10:00 │ should  ",
        "due     │ 2026-11-30       │ P1     │ monthly visit                  │ Zhang San │ 1-1-101 "
        "│ Wang Fang │ 2026-10-10 10:00 │ must    ",
    ]
    assert lines[6:] == [
        "Also open, not in today's share: monthly visit ×1. `careops due --all` lists every item."
    ]
    assert result.stderr == ""


def test_due_table_on_a_monday_says_it_is_not_a_day_for_phone_visits(site):
    lines = ok(site, "due", "--staff", "Wang Fang", now="2026-11-30 09:00").stdout.splitlines()
    assert (
        lines[0]
        == "Mon 2026-11-30 09:00 — today is not a day for phone visits (P3); visit at the door."
    )


def test_due_table_with_nothing_due(staffed):
    assert ok(staffed, "due", now="2026-11-29 19:00").stdout == (
        "Sun 2026-11-29 19:00 — call windows today (P3): 09:00–12:00, 14:00–17:30, 19:00–21:00\nNothing due today.\n"
    )
    assert staffed.json("due", now="2026-11-29 19:00") == []


def test_an_item_nobody_owns_has_owner_null(cli):
    ok(cli, "zone", "add", "A", now="2026-11-01 09:00")
    ok(
        cli,
        "resident",
        "add",
        "Zhang San",
        "--unit",
        "1-1-101",
        "--zone",
        "A",
        now="2026-11-01 09:00",
    )
    ok(cli, "staff", "add", "Wang Fang", "--role", "butler")
    assert cli.json("due", now=NOW) == [
        {
            "rule": "p1-monthly-visit",
            "clause": "P1",
            "strength": "must",
            "kind": "cadence",
            "subject": household(1, "Zhang San", "1-1-101"),
            "owner": None,
            "due": "2026-11-30",
            "status": "due",
            "last_contact": None,
            "ref": None,
            "zone": "A",
            "period": "2026-11",
            "missed_period": None,
            "why": "monthly visit: no contact yet in 2026-11",
            "together": [],
            "planned": None,
        }
    ]
    assert cli.json("due", "--staff", "Wang Fang", now=NOW) == []


def test_careops_now_env_acts_like_now(site, monkeypatch):
    monkeypatch.setenv("CAREOPS_NOW", NOW)
    result = ok(site, "due", "--format", "json", now=None)
    assert result.stdout == ok(site, "due", "--format", "json", now=NOW).stdout
    assert (
        ok(site, "due", "--staff", "Wang Fang", now=None)
        .stdout.splitlines()[0]
        .startswith("Fri 2026-11-27 08:30 — ")
    )
    logged = ok(site, "log-visit", "Sun Li", "--by", "Wang Fang", "--channel", "door", now=None)
    assert (
        logged.stdout.splitlines()[0]
        == "Logged visit #7: door, reached, Sun Li (1-1-103), by Wang Fang, 2026-11-27 08:30."
    )
    monkeypatch.setenv("CAREOPS_NOW", "2026-11-30 09:00")
    assert ok(site, "due", "--staff", "Wang Fang", now=NOW).stdout.startswith(
        "Fri 2026-11-27 08:30 — "
    ), "--now wins over CAREOPS_NOW"


def test_due_in_a_year_without_a_published_holiday_schedule_says_so_once(staffed):
    # Recorded this month, so their visits are `due` (not overdue) and today's share needs working days.
    ok(
        staffed,
        "resident",
        "add",
        "Zhang San",
        "--unit",
        "1-1-101",
        "--zone",
        "A",
        now="2027-03-01 09:00",
    )
    ok(
        staffed,
        "resident",
        "add",
        "Li Si",
        "--unit",
        "1-1-102",
        "--zone",
        "A",
        now="2027-03-01 09:00",
    )
    result = ok(staffed, "due", now="2027-03-10 09:00")
    assert result.stderr == (
        "Note: China's official holiday schedule for 2027 is not published in the calendar data yet; "
        "working days for 2027 count weekends and the holidays that can be computed, without make-up working days.\n"
    )
    assert (
        result.stdout.splitlines()[0]
        == "Wed 2027-03-10 09:00 — call windows today (P3): 09:00–12:00, 14:00–17:30, 19:00–21:00"
    )


# --- log-visit -----------------------------------------------------------------------------------


def test_log_visit_names_what_it_satisfied_and_closes_the_callback(site):
    result = ok(
        site,
        "log-visit",
        "1-1-101",
        "--by",
        "Wang Fang",
        "--channel",
        "door",
        "--minutes",
        "15",
        "--note",
        "all well",
        now="2026-11-27 10:30",
    )
    assert result.stdout == (
        "Logged visit #7: door, reached, Zhang San (1-1-101), by Wang Fang, 2026-11-27 10:30.\n"
        "Satisfied: P1 monthly visit for 2026-11.\n"
        "Satisfied: callback #1.\n"
    )
    assert result.stderr == ""
    assert site.json("due", "--all", "--staff", "Wang Fang", now="2026-11-27 10:30") == [
        LI_SI,
        SUN_LI,
    ]
    # Today's share of monthly visits (one) is done, so Sun Li waits for another day.
    assert site.json("due", "--staff", "Wang Fang", now="2026-11-27 10:30") == [LI_SI]


def test_log_visit_by_the_manager_to_a_key_household_satisfies_p1_and_p2(site):
    result = visit(site, "Li Si", "Li Hua", "2026-11-27 09:30", "--channel", "door")
    assert result.stdout == (
        "Logged visit #7: door, reached, Li Si (1-1-102), by Li Hua, 2026-11-27 09:30.\n"
        "Satisfied: P1 monthly visit for 2026-11.\n"
        "Satisfied: P2 one key-attention household, monthly for 2026-11.\n"
    )
    assert site.json("due", "--all", now="2026-11-27 09:30") == [
        CALLBACK,
        ZHANG_SAN,
        SUN_LI,
        BUREAU,
        WU_JUN,
    ]


def test_log_visit_by_the_butler_to_a_key_household_is_no_p2_contact(site):
    assert visit(site, "Li Si", "Wang Fang", "2026-11-27 09:30", "--channel", "door").stdout == (
        "Logged visit #7: door, reached, Li Si (1-1-102), by Wang Fang, 2026-11-27 09:30.\n"
        "Satisfied: P1 monthly visit for 2026-11.\n"
        "Not counted for P2: only a contact by role manager counts (the first --by is who made it).\n"
    )
    assert site.json("due", "--staff", "Li Hua", now="2026-11-27 09:30") == [KEY_GROUP, BUREAU]


def test_log_visit_to_contacts_and_households_not_moved_in(site):
    assert visit(
        site, "District housing bureau", "Li Hua", "2026-11-27 09:30", "--channel", "door"
    ).stdout == (
        "Logged visit #7: door, reached, District housing bureau, by Li Hua, 2026-11-27 09:30.\n"
        "Satisfied: P2 housing bureau, quarterly for 2026-Q4.\n"
    )
    assert visit(site, "Wu Jun", "Zhao Lei", "2026-11-27 09:40", "--channel", "phone").stdout == (
        "Logged visit #8: phone, reached, Wu Jun (2-1-102), by Zhao Lei, 2026-11-27 09:40.\n"
        "Satisfied: P1 quarterly call, not moved in for 2026-Q4.\n"
    )
    assert visit(site, "Chair Qian", "Li Hua", "2026-11-27 09:50", "--channel", "phone").stdout == (
        "Logged visit #9: phone, reached, Chair Qian, by Li Hua, 2026-11-27 09:50.\n"
        "Satisfied: nothing new (this period was already covered).\n"
    )


def test_log_visit_late_counts_for_the_period_it_happened_in(site):
    result = ok(
        site,
        "log-visit",
        "Sun Li",
        "--by",
        "Wang Fang",
        "--channel",
        "door",
        "--at",
        "2026-11-30 16:00",
        now="2026-12-01 09:00",
    )
    assert result.stdout == (
        "Logged visit #7: door, reached, Sun Li (1-1-103), by Wang Fang, 2026-11-30 16:00.\n"
        "Satisfied: P1 monthly visit for 2026-11.\n"
    )
    december = site.json("due", "--all", "--staff", "Wang Fang", now="2026-12-01 09:00")
    assert [(i["subject"]["name"], i["status"]) for i in december if i["kind"] == "cadence"] == [
        ("Li Si", "overdue"),
        ("Zhang San", "overdue"),
        ("Sun Li", "due"),
    ]


def test_at_is_local_time_so_2330_on_the_last_day_counts_for_that_month(site):
    late = ok(
        site,
        "log-visit",
        "Sun Li",
        "--by",
        "Wang Fang",
        "--channel",
        "door",
        "--at",
        "2026-11-30 23:30",
        now="2026-12-01 08:00",
    )
    assert late.stdout.splitlines() == [
        "Logged visit #7: door, reached, Sun Li (1-1-103), by Wang Fang, 2026-11-30 23:30.",
        "Satisfied: P1 monthly visit for 2026-11.",
    ]
    early = ok(
        site,
        "log-visit",
        "Sun Li",
        "--by",
        "Wang Fang",
        "--channel",
        "door",
        "--at",
        "2026-12-01 00:30",
        now="2026-12-01 08:00",
    )
    assert early.stdout.splitlines() == [
        "Logged visit #8: door, reached, Sun Li (1-1-103), by Wang Fang, 2026-12-01 00:30.",
        "Satisfied: P1 monthly visit for 2026-12.",
    ]
    assert [
        v["at"] for v in site.json("visit", "list", "--ref", "Sun Li", now="2026-12-01 08:00")
    ] == ["2026-12-01T00:30:00+08:00", "2026-11-30T23:30:00+08:00", "2026-10-20T10:00:00+08:00"]


@pytest.mark.parametrize("outcome", ["busy", "no-answer"])
def test_attempts_that_reach_nobody_satisfy_no_cadence(site, outcome):
    result = visit(
        site, "Sun Li", "Wang Fang", "2026-11-27 09:30", "--channel", "phone", "--outcome", outcome
    )
    assert result.stdout == (
        f"Logged visit #7: phone, {outcome}, Sun Li (1-1-103), by Wang Fang, 2026-11-27 09:30.\n"
        f"Not counted: a {outcome} attempt does not satisfy a visit; the household stays due.\n"
    )
    assert SUN_LI in site.json("due", "--all", now="2026-11-27 09:30")


def test_an_attempt_on_a_contact_does_not_call_it_a_household(site):
    result = visit(
        site,
        "District housing bureau",
        "Li Hua",
        "2026-11-27 09:30",
        "--channel",
        "phone",
        "--outcome",
        "busy",
    )
    assert (
        result.stdout.splitlines()[0]
        == "Logged visit #7: phone, busy, District housing bureau, by Li Hua, 2026-11-27 09:30."
    )
    assert result.stdout.splitlines()[1].startswith(
        "Not counted: a busy attempt does not satisfy a visit"
    )
    assert "household" not in result.stdout
    assert BUREAU in site.json("due", "--all", now="2026-11-27 09:30")


def test_log_visit_to_an_unknown_staff_member_or_party_is_refused(site):
    assert (
        refused(site, "log-visit", "Sun Li", "--by", "Nobody", "--channel", "door")
        == "Error: No staff member matches 'Nobody'. See `careops staff list`, or add them with `careops staff add`."
    )
    assert (
        refused(site, "log-visit", "9-9-909", "--by", "Wang Fang", "--channel", "door")
        == "Error: No resident or contact matches '9-9-909'. See `careops resident list`."
    )
    assert len(site.json("visit", "list", now=NOW)) == 6


# --- P3: call windows and callbacks ---------------------------------------------------------------


def test_phone_call_on_a_monday_is_recorded_with_a_warning(site):
    result = visit(site, "Sun Li", "Wang Fang", "2026-11-30 10:00", "--channel", "phone")
    assert (
        result.stderr
        == f"Warning: this call at Mon 10:00 is outside the call windows ({WINDOWS}); it is recorded all the same.\n"
    )
    assert result.stdout == (
        "Logged visit #7: phone, reached, Sun Li (1-1-103), by Wang Fang, 2026-11-30 10:00.\n"
        "Satisfied: P1 monthly visit for 2026-11.\n"
    )
    assert (
        site.json("visit", "list", "--ref", "Sun Li", now="2026-11-30 10:00")[0]["at"]
        == "2026-11-30T10:00:00+08:00"
    )


def test_door_visit_on_a_monday_needs_no_warning(site):
    assert visit(site, "Sun Li", "Wang Fang", "2026-11-30 10:00", "--channel", "door").stderr == ""


@pytest.mark.parametrize(
    ("time", "inside"),
    [
        ("08:59", False),
        ("09:00", True),
        ("11:59", True),
        ("12:00", False),
        ("13:59", False),
        ("14:00", True),
        ("17:29", True),
        ("17:30", False),
        ("18:59", False),
        ("19:00", True),
        ("20:59", True),
        ("21:00", False),
    ],
)
def test_phone_call_windows_on_a_tuesday(site, time, inside):
    result = visit(site, "Sun Li", "Wang Fang", f"2026-11-24 {time}", "--channel", "phone")
    expected = (
        ""
        if inside
        else f"Warning: this call at Tue {time} is outside the call windows ({WINDOWS}); it is recorded all the same.\n"
    )
    assert result.stderr == expected


def test_busy_call_with_a_callback_outside_the_windows_warns(site):
    result = visit(
        site,
        "Sun Li",
        "Wang Fang",
        "2026-11-27 09:30",
        "--channel",
        "phone",
        "--outcome",
        "busy",
        "--callback",
        "2026-11-30 10:00",
    )
    assert result.stdout == (
        "Logged visit #7: phone, busy, Sun Li (1-1-103), by Wang Fang, 2026-11-27 09:30.\n"
        "Callback #2 set for 2026-11-30 10:00, owned by Wang Fang.\n"
        "Not counted: a busy attempt does not satisfy a visit; the household stays due.\n"
    )
    assert (
        result.stderr
        == f"Warning: the callback at Mon 2026-11-30 10:00 is outside the call windows ({WINDOWS}).\n"
    )


def test_callback_is_upcoming_then_due_then_overdue(staffed):
    ok(
        staffed,
        "resident",
        "add",
        "Sun Li",
        "--unit",
        "1-1-103",
        "--zone",
        "A",
        now="2026-11-01 09:00",
    )
    result = visit(
        staffed,
        "Sun Li",
        "Zhao Lei",
        "2026-11-24 10:00",
        "--channel",
        "phone",
        "--outcome",
        "busy",
        "--callback",
        "2026-11-26 15:00",
    )
    assert (
        result.stdout.splitlines()[1] == "Callback #1 set for 2026-11-26 15:00, owned by Zhao Lei."
    )
    assert result.stderr == ""
    callback = {
        "rule": "p3-callback",
        "clause": "P3",
        "strength": "should",
        "kind": "callback",
        "subject": household(1, "Sun Li", "1-1-103"),
        "owner": ZHAO,
        "due": "2026-11-26T15:00:00+08:00",
        "status": "upcoming",
        "last_contact": None,
        "ref": 1,
        "zone": "A",
        "period": None,
        "missed_period": None,
        "why": "call back agreed for 2026-11-26 15:00",
        "together": [],
        "planned": None,
    }
    assert staffed.json("due", "--all", "--staff", "Zhao Lei", now="2026-11-25 23:59") == [callback]
    assert staffed.json("due", "--staff", "Zhao Lei", now="2026-11-25 23:59") == []
    assert (
        ok(staffed, "due", "--staff", "Zhao Lei", now="2026-11-25 23:59").stdout.splitlines()[-1]
        == "Also open, not in today's share: call back ×1. `careops due --all` lists every item."
    )
    assert staffed.json("due", "--staff", "Zhao Lei", now="2026-11-26 00:00") == [
        callback | {"status": "due"}
    ]
    assert staffed.json("due", "--staff", "Zhao Lei", now="2026-11-27 00:00") == [
        callback | {"status": "overdue"}
    ]
    # The next reached contact with that party, by anyone, settles it.
    assert visit(
        staffed, "Sun Li", "Wang Fang", "2026-11-27 09:00", "--channel", "door"
    ).stdout == (
        "Logged visit #2: door, reached, Sun Li (1-1-103), by Wang Fang, 2026-11-27 09:00.\n"
        "Satisfied: P1 monthly visit for 2026-11.\n"
        "Satisfied: callback #1.\n"
    )
    assert staffed.json("due", "--all", "--staff", "Zhao Lei", now="2026-11-27 09:00") == []


def test_a_contact_logged_late_from_before_the_busy_call_does_not_settle_the_callback(staffed):
    ok(
        staffed,
        "resident",
        "add",
        "Sun Li",
        "--unit",
        "1-1-103",
        "--zone",
        "A",
        now="2026-11-01 09:00",
    )
    visit(
        staffed,
        "Sun Li",
        "Zhao Lei",
        "2026-11-24 10:00",
        "--channel",
        "phone",
        "--outcome",
        "busy",
        "--callback",
        "2026-11-26 15:00",
    )
    result = ok(
        staffed,
        "log-visit",
        "Sun Li",
        "--by",
        "Wang Fang",
        "--channel",
        "door",
        "--at",
        "2026-11-20 10:00",
        now="2026-11-25 09:00",
    )
    assert result.stdout == (
        "Logged visit #2: door, reached, Sun Li (1-1-103), by Wang Fang, 2026-11-20 10:00.\n"
        "Satisfied: P1 monthly visit for 2026-11.\n"
    )
    assert [i["ref"] for i in staffed.json("due", "--all", now="2026-11-25 09:00")] == [1]


def test_callback_needs_a_busy_or_unanswered_call_after_which_it_falls(site):
    assert (
        refused(
            site,
            "log-visit",
            "Sun Li",
            "--by",
            "Wang Fang",
            "--channel",
            "phone",
            "--callback",
            "2026-11-28 10:00",
        )
        == "Error: --callback goes with --outcome busy (or no-answer): a reached party needs no callback."
    )
    assert (
        refused(
            site,
            "log-visit",
            "Sun Li",
            "--by",
            "Wang Fang",
            "--channel",
            "phone",
            "--outcome",
            "busy",
            "--callback",
            "2026-11-27 08:00",
        )
        == "Error: The callback time 2026-11-27 08:00 is not after the call itself."
    )
    assert len(site.json("visit", "list", now=NOW)) == 6
    assert [i["ref"] for i in site.json("due", "--all", now=NOW) if i["kind"] == "callback"] == [1]


def test_a_visit_cannot_be_logged_in_the_future(site):
    assert (
        refused(
            site,
            "log-visit",
            "Sun Li",
            "--by",
            "Wang Fang",
            "--channel",
            "door",
            "--at",
            "2026-11-27 09:00",
        )
        == "Error: --at 2026-11-27 09:00 is later than now (2026-11-27 08:30); log a visit once it has happened."
    )
    assert len(site.json("visit", "list", now=NOW)) == 6


# --- visit list ----------------------------------------------------------------------------------


def row(
    id_, at, party, unit, by, channel, outcome="reached", minutes=None, callback_at=None, note=None
):
    return {
        "id": id_,
        "at": at,
        "party": party,
        "unit": unit,
        "by": by,
        "channel": channel,
        "outcome": outcome,
        "minutes": minutes,
        "callback_at": callback_at,
        "note": note,
    }


def test_visit_list_json_newest_first_with_filters(site):
    ok(
        site,
        "log-visit",
        "Sun Li",
        "--by",
        "Wang Fang",
        "--channel",
        "door",
        "--minutes",
        "20",
        "--note",
        "新年好",
        now="2026-11-27 10:00",
    )
    v7 = row(
        7,
        "2026-11-27T10:00:00+08:00",
        "Sun Li",
        "1-1-103",
        "Wang Fang",
        "door",
        minutes=20,
        note="新年好",
    )
    v6 = row(
        6,
        "2026-11-24T10:00:00+08:00",
        "Zhang San",
        "1-1-101",
        "Wang Fang",
        "phone",
        outcome="busy",
        callback_at="2026-11-27T10:00:00+08:00",
    )
    v5 = row(5, "2026-11-05T10:00:00+08:00", "Zhou Min", "2-1-101", "Zhao Lei", "phone")
    v4 = row(4, "2026-11-04T15:00:00+08:00", "Chair Qian", None, "Li Hua", "door")
    v3 = row(3, "2026-10-20T10:00:00+08:00", "Sun Li", "1-1-103", "Wang Fang", "door")
    v2 = row(2, "2026-10-10T10:00:00+08:00", "Zhang San", "1-1-101", "Wang Fang", "door")
    v1 = row(1, "2026-09-20T10:00:00+08:00", "District housing bureau", None, "Li Hua", "door")
    later = "2026-11-27 10:00"
    assert site.json("visit", "list", now=later) == [v7, v6, v5, v4, v3, v2, v1]
    assert site.json("visit", "list", "--ref", "1-1-103", now=later) == [v7, v3]
    assert site.json("visit", "list", "--staff", "Li Hua", now=later) == [v4, v1]
    assert site.json("visit", "list", "--since", "2026-11-05", now=later) == [v7, v6, v5]
    assert site.json(
        "visit",
        "list",
        "--ref",
        "Zhang San",
        "--staff",
        "Wang Fang",
        "--since",
        "2026-11-01",
        now=later,
    ) == [v6]
    # As of an earlier --now, later visits are not history yet.
    assert site.json("visit", "list", now="2026-10-15 00:00") == [v2, v1]


def test_visit_list_table_and_empty(site):
    assert ok(site, "visit", "list", "--ref", "Wu Jun").stdout == "No visits recorded for that.\n"
    lines = ok(site, "visit", "list", "--staff", "Zhao Lei").stdout.splitlines()
    assert [c.strip() for c in lines[2].split("│")] == [
        "5",
        "2026-11-05 10:00",
        "2-1-101",
        "Zhou Min",
        "Zhao Lei",
        "phone",
        "reached",
        "",
        "",
    ]

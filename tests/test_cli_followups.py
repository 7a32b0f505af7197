"""CLI: events and the follow-ups they write (P4, P5.4), move-in, activities, rain, `followup`, and
`log-visit --for/--purpose` with joint visits — wired end to end with a fixed clock.

The deadlines themselves are tested against the services in test_rules_p4.py; here a small known
site proves what a clerk and a butler see: the exact lines printed, the exact JSON, and that a
refused command writes nothing at all.
"""

from __future__ import annotations

import pytest

from conftest import NOW, ok, refused

THEN = "2026-10-01 09:00"
REPAIRED = "2026-11-26 23:00"  # the night before NOW
TABLES = (
    "visit",
    "visit_staff",
    "obligation",
    "obligation_need",
    "event",
    "rain_day",
    "complaint",
    "complaint_step",
    "audit",
    "party",
)


def counts(db) -> dict[str, int]:
    return {table: db.count(table) for table in TABLES}


@pytest.fixture
def site(cli, monkeypatch):
    """Butler Wang Fang (#1, zone A), manager Li Hua (#2), chief butler Chen Jing (#3), health butler Dr Sun (#4,
    zone A's), butler Zhao Lei (#5, zone B; B has no health butler of its own). Recorded 2026-10-01 by Office Clerk.

    Zhang San #1 (1-101, A), Li Si #2 (1-102, A, not moved in), Zhou Min #3 (2-101, B), Wu Jun #4 (2-102, B,
    not moved in), contact Chair Qian #5.
    """
    monkeypatch.setenv("CAREOPS_USER", "Office Clerk")
    ok(cli, "staff", "add", "Wang Fang", "--role", "butler", now=THEN)
    ok(cli, "staff", "add", "Li Hua", "--role", "manager", now=THEN)
    ok(cli, "staff", "add", "Chen Jing", "--role", "chief-butler", now=THEN)
    ok(cli, "staff", "add", "Dr Sun", "--role", "health-butler", now=THEN)
    ok(cli, "staff", "add", "Zhao Lei", "--role", "butler", now=THEN)
    ok(cli, "zone", "add", "A", "--butler", "Wang Fang", "--health-butler", "Dr Sun", now=THEN)
    ok(cli, "zone", "add", "B", "--butler", "Zhao Lei", now=THEN)
    ok(cli, "resident", "add", "Zhang San", "--unit", "1-101", "--zone", "A", now=THEN)
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
        now=THEN,
    )
    ok(cli, "resident", "add", "Zhou Min", "--unit", "2-101", "--zone", "B", now=THEN)
    ok(
        cli,
        "resident",
        "add",
        "Wu Jun",
        "--unit",
        "2-102",
        "--zone",
        "B",
        "--status",
        "not-moved-in",
        now=THEN,
    )
    ok(cli, "contact", "add", "Chair Qian", "--kind", "committee-chair", now=THEN)
    return cli


@pytest.fixture
def busy(site):
    """The site with events recorded at NOW: Zhang San's pregnancy (follow-up #1, joint with the health butler) and
    new service (joint visit #2 with the manager and chief butler, task #3); Zhou Min's bereavement (#4)."""
    ok(site, "event", "1-101", "pregnancy", "--at", REPAIRED)
    ok(site, "event", "1-101", "new-service", "--at", REPAIRED)
    ok(site, "event", "2-101", "bereavement", "--at", REPAIRED)
    return site


WANG = {"id": 1, "name": "Wang Fang"}
LI_HUA = {"id": 2, "name": "Li Hua"}
ZHAO = {"id": 5, "name": "Zhao Lei"}
DR_SUN = {"id": 4, "name": "Dr Sun"}


def household(id_, name, unit):
    return {"type": "household", "id": id_, "name": name, "unit": unit}


ZHANG_SAN = household(1, "Zhang San", "1-101")


# --- event: the follow-ups it writes ----------------------------------------------------------------

EVENTS = {
    "emergency-repair": [
        "Follow-up #1 (P4.4 must): follow-up after the emergency repair — Wang Fang, phone or "
        "door, by 2026-11-27 23:00."
    ],
    "leak-repair": [
        "Follow-up #1 (P4.4 must): follow-up after the leak repair, once it has rained — Wang Fang, phone or door, "
        "waiting for the first rainy day after the repair, then due the day after."
    ],
    "commission-done": [
        "Follow-up #1 (P4.3 must): phone back: the commissioned matter is done — Wang Fang, "
        "phone or door, by 2026-11-28."
    ],
    "wedding": [
        "Follow-up #1 (P4.6 may): offer the wedding butler service — Wang Fang, door or phone, by 2026-12-03."
    ],
    "bereavement": ["Follow-up #1 (P4.7 must): condolence visit — Wang Fang, door, by 2026-11-29."],
    "pregnancy": [
        "Follow-up #1 (P4.11 may): visit with the health butler (pregnancy or birth) — Wang Fang, door, by 2026-12-03.",
        "  together: butler Wang Fang, health-butler Dr Sun",
    ],
    "birth": [
        "Follow-up #1 (P4.11 may): visit with the health butler (pregnancy or birth) — Wang Fang, door, by 2026-12-03.",
        "  together: butler Wang Fang, health-butler Dr Sun",
    ],
    "fee-arrears": [
        "Follow-up #1 (P4.9 must): door visit about the overdue service fees — Wang Fang, door, by 2026-12-03."
    ],
    "new-service": [
        "Follow-up #1 (P5.4 must): visit after the new service: how did it feel? — Li Hua, door, by 2026-12-03.",
        "  together: manager Li Hua, chief-butler Chen Jing",
        "Task #2 (P5.4 must): write the operating procedure into the service manual — Chen Jing, by 2026-12-10.",
    ],
}


@pytest.mark.parametrize("kind", sorted(EVENTS))
def test_event_prints_each_follow_up_with_its_owner_channels_and_deadline(site, db, kind):
    result = ok(site, "event", "1-101", kind, "--at", REPAIRED, "--note", "noted by the night desk")

    assert result.stdout.splitlines() == [
        f"Recorded {kind} #1 for Zhang San (1-101) at 2026-11-26 23:00.",
        *EVENTS[kind],
    ]
    assert result.stderr == ""
    assert db.count("event") == 1
    assert db.count("obligation") == sum(
        line.startswith(("Follow-up", "Task")) for line in EVENTS[kind]
    )
    assert db.rows("SELECT kind, note FROM event") == [(kind, "noted by the night desk")]


def test_event_is_audited_with_the_follow_ups_it_wrote(site):
    ok(site, "event", "1-101", "new-service", "--at", REPAIRED)
    last = site.json("history", "1-101", now=NOW)[-1]
    assert {
        k: last[k] for k in ("at", "actor", "action", "kind", "record_id", "detail", "reason")
    } == {
        "at": "2026-11-27T08:30:00+08:00",
        "actor": "Office Clerk",
        "action": "log",
        "kind": "event",
        "record_id": 1,
        "detail": "new-service at 2026-11-26 23:00; follow-ups #1, #2",
        "reason": None,
    }


def test_event_defaults_to_now_and_takes_the_kind_in_any_case(site):
    assert ok(site, "event", "Zhang San", " Wedding ").stdout == (
        "Recorded wedding #1 for Zhang San (1-101) at 2026-11-27 08:30.\n"
        "Follow-up #1 (P4.6 may): offer the wedding butler service — Wang Fang, door or phone, by 2026-12-04.\n"
    )


def test_event_in_zone_b_goes_to_its_butler(site):
    assert ok(site, "event", "2-101", "fee-arrears", "--at", REPAIRED).stdout == (
        "Recorded fee-arrears #1 for Zhou Min (2-101) at 2026-11-26 23:00.\n"
        "Follow-up #1 (P4.9 must): door visit about the overdue service fees — Zhao Lei, door, by 2026-12-03.\n"
    )


def test_a_follow_up_in_a_zone_without_a_butler_falls_to_the_chief_butler_with_a_warning(site):
    ok(site, "zone", "add", "C", now=THEN)
    ok(site, "resident", "add", "Sun Li", "--unit", "3-101", "--zone", "C", now=THEN)
    result = ok(site, "event", "3-101", "bereavement", "--at", REPAIRED)
    assert result.stdout == (
        "Recorded bereavement #1 for Sun Li (3-101) at 2026-11-26 23:00.\n"
        "Follow-up #1 (P4.7 must): condolence visit — Chen Jing, door, by 2026-11-29.\n"
    )
    assert result.stderr == (
        "Warning: condolence visit (#1) falls to Chen Jing (chief-butler): zone C has no butler; "
        "give it one with `careops zone edit C --butler STAFF`.\n"
    )


def test_a_follow_up_nobody_can_own_is_written_with_a_warning(cli):
    ok(cli, "zone", "add", "C", now=THEN)
    ok(cli, "resident", "add", "Sun Li", "--unit", "3-101", "--zone", "C", now=THEN)
    result = ok(cli, "event", "3-101", "bereavement", "--at", REPAIRED)
    assert result.stdout == (
        "Recorded bereavement #1 for Sun Li (3-101) at 2026-11-26 23:00.\n"
        "Follow-up #1 (P4.7 must): condolence visit — nobody yet, door, by 2026-11-29.\n"
    )
    assert result.stderr == (
        "Warning: nobody owns condolence visit (#1): zone C has no butler; give it one with "
        "`careops zone edit C --butler STAFF`.\n"
    )


# --- move-in ----------------------------------------------------------------------------------------


def test_move_in_on_a_past_day_is_recorded_at_noon_and_writes_p41_and_p42(site):
    result = ok(site, "resident", "move-in", "1-102", "--date", "2026-11-25")

    assert result.stdout.splitlines() == [
        "Recorded move-in #1 for Li Si (1-102) at 2026-11-25 12:00.",
        "Li Si (1-102) is occupied from 2026-11-25: the monthly visit (P1) applies from that day.",
        "Follow-up #1 (P4.1 must): move-in welcome with the housewarming gift — Wang Fang, door, by 2026-11-25.",
        "Follow-up #2 (P4.1 must): health butler's first visit with the family medicine kit — "
        "Dr Sun, door, by 2026-11-25.",
        "Follow-up #3 (P4.2 must): three months after move-in — Wang Fang, phone or door, by 2027-02-25 "
        "(listed from 2027-02-18).",
    ]
    assert result.stderr == ""
    li_si = [r for r in site.json("resident", "list", now=NOW) if r["unit"] == "1-102"]
    assert [(r["status"], r["moved_in"]) for r in li_si] == [("occupied", "2026-11-25")]
    mine = [
        (i["rule"], i["ref"], i["status"], i["due"])
        for i in site.json("due", "--all", now=NOW)
        if i["subject"]["unit"] == "1-102"
    ]
    assert mine == [
        ("move-in-health-kit", 2, "overdue", "2026-11-25"),
        ("move-in-welcome", 1, "overdue", "2026-11-25"),
        ("p1-monthly-visit", None, "due", "2026-11-30"),
        ("move-in-3-months", 3, "upcoming", "2027-02-25"),
    ]


def test_move_in_today_is_the_same_as_the_event_and_the_only_health_butler_serves_zone_b(site):
    assert ok(site, "event", "2-102", "move-in").stdout.splitlines() == [
        "Recorded move-in #1 for Wu Jun (2-102) at 2026-11-27 08:30.",
        "Wu Jun (2-102) is occupied from 2026-11-27: the monthly visit (P1) applies from that day.",
        "Follow-up #1 (P4.1 must): move-in welcome with the housewarming gift — Zhao Lei, door, by 2026-11-27.",
        "Follow-up #2 (P4.1 must): health butler's first visit with the family medicine kit — "
        "Dr Sun, door, by 2026-11-27.",
        "Follow-up #3 (P4.2 must): three months after move-in — Zhao Lei, phone or door, by 2027-02-27 "
        "(listed from 2027-02-20).",
    ]
    assert site.json("due", "--staff", "Dr Sun", now=NOW) == [
        {
            "rule": "move-in-health-kit",
            "clause": "P4.1",
            "strength": "must",
            "kind": "followup",
            "subject": household(4, "Wu Jun", "2-102"),
            "owner": DR_SUN,
            "due": "2026-11-27",
            "status": "due",
            "last_contact": None,
            "ref": 2,
            "zone": "B",
            "period": None,
            "missed_period": None,
            "why": "health butler's first visit with the family medicine kit: move-in on 2026-11-27 08:30",
            "together": [],
            "planned": None,
        }
    ]


def test_zone_health_butler_can_be_named_later(site):
    ok(site, "staff", "add", "Dr Qin", "--role", "health-butler", now=THEN)
    assert (
        ok(site, "zone", "edit", "B", "--health-butler", "Dr Qin").stdout
        == "Zone B: health butler (none) → Dr Qin.\n"
    )
    assert "— Dr Qin, door, by 2026-11-27." in ok(site, "resident", "move-in", "2-102").stdout


# --- activities -------------------------------------------------------------------------------------


def test_activity_invites_every_occupied_household_and_lapses_on_its_day(site, db):
    result = ok(site, "activity", "add", "Mid-Autumn lantern evening", "--date", "2026-12-05")

    assert result.stdout == (
        "Added activity #1 'Mid-Autumn lantern evening' on 2026-12-05: 2 occupied households to "
        "invite (P4.5 may), by 2026-12-04.\n"
    )
    assert db.count("obligation") == 2
    invite = {
        "rule": "activity-invite",
        "clause": "P4.5",
        "strength": "may",
        "kind": "followup",
        "subject": ZHANG_SAN,
        "owner": WANG,
        "due": "2026-12-04",
        "status": "due",
        "last_contact": None,
        "ref": 1,
        "zone": "A",
        "period": None,
        "missed_period": None,
        "why": "invitation to the community event: Mid-Autumn lantern evening, before 2026-12-05",
        "together": [],
        "planned": None,
    }
    assert [
        i
        for i in site.json("due", "--staff", "Wang Fang", "--all", now=NOW)
        if i["kind"] == "followup"
    ] == [invite]
    assert [
        (i["rule"], i["subject"]["unit"], i["owner"])
        for i in site.json("due", "--staff", "Zhao Lei", "--all", now=NOW)
        if i["kind"] == "followup"
    ] == [("activity-invite", "2-101", ZHAO)]
    assert [
        (r["id"], r["title"], r["state"])
        for r in site.json("followup", "list", "--rule", "P4.5", now=NOW)
    ] == [
        (1, "invitation to the community event: Mid-Autumn lantern evening", "open"),
        (2, "invitation to the community event: Mid-Autumn lantern evening", "open"),
    ]
    # From the day itself, nobody is invited any more: a `may` is never overdue, it has lapsed. The
    # day's list leaves it out; `due --all` shows it during December, the month it lapsed in.
    day = "2026-12-05 08:00"
    assert [i for i in site.json("due", now=day) if i["kind"] == "followup"] == []
    lapsed = {**invite, "status": "lapsed"}
    assert [
        i
        for i in site.json("due", "--staff", "Wang Fang", "--all", now=day)
        if i["kind"] == "followup"
    ] == [lapsed]
    assert [
        i["ref"]
        for i in site.json("due", "--all", now="2027-01-01 08:00")
        if i["kind"] == "followup"
    ] == []
    assert [
        (r["id"], r["state"]) for r in site.json("followup", "list", "--rule", "P4.5", now=day)
    ] == [(1, "lapsed"), (2, "lapsed")]
    assert site.json("followup", "list", "--open", "--rule", "P4.5", now=day) == []
    # In a phone calendar it stays on its own day (the eve), not moved to today as a to-do.
    ics = ok(site, "due", "--staff", "Wang Fang", "--all", "--format", "ics", now=day).stdout
    assert "DTSTART;VALUE=DATE:20261204" in ics and "Status: lapsed" in ics


@pytest.mark.parametrize("day", ["2026-11-27", "2026-11-20"])
def test_activity_today_or_in_the_past_is_refused(site, db, day):
    before = counts(db)
    assert refused(site, "activity", "add", "Lantern", "--date", day) == (
        f"Error: The activity on {day} is not after today (2026-11-27): invitations go out before it."
    )
    assert counts(db) == before


def test_activity_without_a_name_is_refused_with_a_sensible_message(site, db):
    before = counts(db)
    message = refused(site, "activity", "add", "   ", "--date", "2026-12-05")
    assert counts(db) == before
    assert "name" in message and "what was done" not in message, message


# --- rain -------------------------------------------------------------------------------------------


def test_rain_is_idempotent(site, db):
    assert ok(site, "rain").stdout == "Recorded rain on 2026-11-27.\n"
    audited = db.count("audit")
    assert ok(site, "rain", "2026-11-27").stdout == "Rain on 2026-11-27 was recorded already.\n"
    assert db.count("rain_day") == 1
    assert db.count("audit") == audited


def test_leak_repair_waits_for_the_first_rain_after_the_repair_then_is_due_the_day_after(site):
    ok(site, "event", "1-101", "leak-repair", "--at", "2026-11-25 10:00", now="2026-11-25 11:00")
    waiting = {
        "rule": "leak-repair",
        "clause": "P4.4",
        "strength": "must",
        "kind": "followup",
        "subject": ZHANG_SAN,
        "owner": WANG,
        "due": None,
        "status": "waiting",
        "last_contact": None,
        "ref": 1,
        "zone": "A",
        "period": None,
        "missed_period": None,
        "why": "follow-up after the leak repair, once it has rained: waiting for the first rainy day after "
        "2026-11-25 (`careops rain`)",
        "together": [],
        "planned": None,
    }
    assert [i for i in site.json("due", "--all", now=NOW) if i["kind"] == "followup"] == [waiting]
    assert [i for i in site.json("due", now=NOW) if i["kind"] == "followup"] == [], (
        "waiting is only listed with --all"
    )
    assert [r["state"] for r in site.json("followup", "list", now=NOW)] == ["waiting"]

    # Rain on the repair day itself does not count; the next day's does.
    assert ok(site, "rain", "2026-11-25").stdout == "Recorded rain on 2026-11-25.\n"
    assert ok(site, "rain", "2026-11-26").stdout == (
        "Recorded rain on 2026-11-26.\n1 leak-repair follow-up(s) (P4.4) now due on 2026-11-27.\n"
    )
    due = {
        **waiting,
        "due": "2026-11-27",
        "status": "due",
        "why": (
            "follow-up after the leak repair, once it has rained: it rained on 2026-11-26 "
            "after the repair of 2026-11-25"
        ),
    }
    assert [i for i in site.json("due", now=NOW) if i["kind"] == "followup"] == [due]
    assert [(r["state"], r["due"]) for r in site.json("followup", "list", now=NOW)] == [
        ("open", "2026-11-27")
    ]

    # A voided rainy day puts it back to waiting (the 25th still does not count).
    assert ok(
        site, "void", "rain", "2026-11-26", "--reason", "it was the neighbour's hose"
    ).stdout == ("Voided rain 2026-11-26: it was the neighbour's hose\n")
    assert [i for i in site.json("due", "--all", now=NOW) if i["kind"] == "followup"] == [waiting]


def test_rain_in_the_future_is_refused(site, db):
    before = counts(db)
    assert (
        refused(site, "rain", "2026-11-28")
        == "Error: 2026-11-28 is after today (2026-11-27); record rain on the day it falls."
    )
    assert refused(site, "rain", "2026-02-30", code=2) == (
        "Error: Invalid value for '[DATE]': '2026-02-30' is not a date like \"2026-11-27\" (see `careops rain --help`)"
    )
    assert counts(db) == before


# --- followup list / show / cancel / done ------------------------------------------------------------


def listed(
    id_,
    clause,
    rule,
    title,
    strength,
    due,
    party_id,
    who,
    unit,
    owner,
    state="open",
    done_at=None,
    note=None,
):
    return {
        "id": id_,
        "clause": clause,
        "rule": rule,
        "title": title,
        "strength": strength,
        "state": state,
        "due": due,
        "party_id": party_id,
        "who": who,
        "unit": unit,
        "owner": owner,
        "done_at": done_at,
        "note": note,
    }


PREGNANCY = listed(
    1,
    "P4.11",
    "pregnancy-birth",
    "visit with the health butler (pregnancy or birth)",
    "may",
    "2026-12-03",
    1,
    "Zhang San",
    "1-101",
    "Wang Fang",
)
NEW_SERVICE = listed(
    2,
    "P5.4",
    "new-service-visit",
    "visit after the new service: how did it feel?",
    "must",
    "2026-12-03",
    1,
    "Zhang San",
    "1-101",
    "Li Hua",
)
MANUAL = listed(
    3,
    "P5.4",
    "service-manual",
    "write the operating procedure into the service manual",
    "must",
    "2026-12-10",
    1,
    "Zhang San",
    "1-101",
    "Chen Jing",
)
CONDOLENCE = listed(
    4,
    "P4.7",
    "bereavement",
    "condolence visit",
    "must",
    "2026-11-29",
    3,
    "Zhou Min",
    "2-101",
    "Zhao Lei",
)


def test_followup_list_json_open_first_soonest_first_with_filters(busy):
    assert busy.json("followup", "list", now=NOW) == [CONDOLENCE, PREGNANCY, NEW_SERVICE, MANUAL]
    assert busy.json("followup", "list", "--ref", "2-101", now=NOW) == [CONDOLENCE]
    assert busy.json("followup", "list", "--rule", "p5.4", now=NOW) == [NEW_SERVICE, MANUAL]
    assert busy.json("followup", "list", "--rule", "service-manual", now=NOW) == [MANUAL]
    # A staff member sees what they own and the joint visits they must be on.
    assert busy.json("followup", "list", "--staff", "Dr Sun", now=NOW) == [PREGNANCY]
    assert busy.json("followup", "list", "--staff", "Chen Jing", now=NOW) == [NEW_SERVICE, MANUAL]
    assert ok(busy, "followup", "list", "--rule", "P4.1").stdout == "No follow-ups match.\n"


def test_followup_list_csv(busy):
    assert ok(busy, "followup", "list", "--staff", "Zhao Lei", "--format", "csv").stdout == (
        "id,state,due,clause,title,who,unit,owner\n"
        "4,open,2026-11-29,P4.7,condolence visit,Zhou Min,2-101,Zhao Lei\n"
    )


def test_followup_show_json_has_the_trigger_and_who_must_go_together(busy):
    assert busy.json("followup", "show", "2", now=NOW) == {
        **NEW_SERVICE,
        "kind": "followup",
        "channels": "door",
        "created_at": "2026-11-27T08:30:00+08:00",
        "opens": None,
        "trigger": "new-service",
        "trigger_at": "2026-11-26T23:00:00+08:00",
        "activity": None,
        "complaint_id": None,
        "complaint": None,
        "done_visit_id": None,
        "cancelled_at": None,
        "verdict": None,
        "needs": [
            {"role": "chief-butler", "staff": "Chen Jing"},
            {"role": "manager", "staff": "Li Hua"},
        ],
    }


def test_followup_show_table(busy):
    lines = ok(busy, "followup", "show", "1").stdout.splitlines()
    assert [tuple(c.strip() for c in line.split("│")) for line in lines[2:]] == [
        ("ID", "1"),
        ("Clause", "P4.11"),
        ("Rule", "pregnancy-birth"),
        ("What", "visit with the health butler (pregnancy or birth)"),
        ("Strength", "may"),
        ("State", "open"),
        ("Due", "2026-12-03"),
        ("Who", "Zhang San"),
        ("Unit", "1-101"),
        ("Owner", "Wang Fang"),
        ("Kind", "followup"),
        ("Channels", "door"),
        ("Written", "2026-11-27 08:30"),
        ("Triggered by", "pregnancy"),
        ("Triggered at", "2026-11-26 23:00"),
        ("Together", "butler Wang Fang, health-butler Dr Sun"),
    ]


def test_followup_cancel_keeps_it_with_its_reason(busy):
    result = ok(
        busy,
        "followup",
        "cancel",
        "4",
        "--reason",
        " the family asked for privacy ",
        now="2026-11-27 09:00",
    )
    assert (
        result.stdout
        == "Cancelled follow-up #4 (P4.7 condolence visit): the family asked for privacy\n"
    )
    assert busy.json("followup", "list", "--ref", "2-101", now="2026-11-27 09:00") == [
        {**CONDOLENCE, "state": "cancelled", "note": "the family asked for privacy"}
    ]
    assert (
        busy.json("followup", "show", "4", now="2026-11-27 09:00")["cancelled_at"]
        == "2026-11-27T09:00:00+08:00"
    )
    assert [
        i
        for i in busy.json("due", "--all", "--staff", "Zhao Lei", now="2026-11-27 09:00")
        if i["kind"] != "cadence"
    ] == []
    history = busy.json("history", "2-101", now="2026-11-27 09:00")[-1]
    assert (
        history["action"],
        history["kind"],
        history["record_id"],
        history["detail"],
        history["reason"],
    ) == (
        "cancel",
        "followup",
        4,
        "follow-up #4 (bereavement) cancelled",
        "the family asked for privacy",
    )
    assert refused(busy, "followup", "cancel", "4", "--reason", "again") == (
        "Error: Follow-up #4 is cancelled already (the family asked for privacy)."
    )


def test_followup_done_closes_a_task(busy):
    result = ok(
        busy, "followup", "done", "3", "--note", "section 7 of the manual", now="2026-11-30 16:00"
    )
    assert result.stdout == (
        "Done: #3 (P5.4 write the operating procedure into the service manual) — "
        "section 7 of the manual\n"
    )
    assert busy.json("followup", "list", "--rule", "service-manual", now="2026-11-30 16:00") == [
        {
            **MANUAL,
            "state": "done",
            "done_at": "2026-11-30T16:00:00+08:00",
            "note": "section 7 of the manual",
        }
    ]
    assert [
        i["ref"] for i in busy.json("due", "--all", "--staff", "Chen Jing", now="2026-11-30 16:00")
    ] == [2]


def test_followup_done_twice_names_the_local_time_it_was_done(busy):
    ok(busy, "followup", "done", "3", "--note", "section 7", now="2026-11-30 16:00")
    # The local time it was done (it once showed the stored UTC time, 08:00).
    assert refused(busy, "followup", "done", "3", "--note", "again", now="2026-11-30 17:00") == (
        "Error: Follow-up #3 is done already (2026-11-30 16:00)."
    )


# --- log-visit --for / --purpose, joint visits ---------------------------------------------------------


def test_log_visit_for_satisfies_the_named_follow_up_and_says_why_another_stays_open(busy):
    ok(busy, "event", "1-101", "emergency-repair", "--at", REPAIRED)  # follow-up #5, phone or door
    result = ok(
        busy,
        "log-visit",
        "1-101",
        "--by",
        "Wang Fang",
        "--channel",
        "phone",
        "--for",
        "5",
        "--for",
        "1",
        now="2026-11-27 10:00",
    )
    assert result.stdout == (
        "Logged visit #1: phone, reached, Zhang San (1-101), by Wang Fang, 2026-11-27 10:00.\n"
        "Satisfied: P1 monthly visit for 2026-11.\n"
        "Satisfied: follow-up #5 (P4.4 follow-up after the emergency repair).\n"
        "Not counted: follow-up #1 stays open: it needs a door visit, this was phone.\n"
    )
    assert [
        (r["id"], r["state"], r["done_at"])
        for r in busy.json("followup", "list", "--ref", "1-101", now="2026-11-27 10:00")
    ] == [
        (1, "open", None),
        (2, "open", None),
        (3, "open", None),
        (5, "done", "2026-11-27T10:00:00+08:00"),
    ]
    assert busy.json("followup", "show", "5", now="2026-11-27 10:00")["done_visit_id"] == 1


def test_joint_follow_up_needs_everyone_named_with_by(busy):
    alone = ok(
        busy,
        "log-visit",
        "1-101",
        "--by",
        "Wang Fang",
        "--channel",
        "door",
        "--for",
        "1",
        now="2026-11-27 10:00",
    )
    assert alone.stdout == (
        "Logged visit #1: door, reached, Zhang San (1-101), by Wang Fang, 2026-11-27 10:00.\n"
        "Satisfied: P1 monthly visit for 2026-11.\n"
        "Not counted: follow-up #1 stays open: P4.11 needs a joint visit; missing health-butler (Dr Sun).\n"
    )
    manager_only = ok(
        busy,
        "log-visit",
        "1-101",
        "--by",
        "Li Hua",
        "--channel",
        "door",
        "--for",
        "2",
        now="2026-11-27 10:30",
    )
    assert manager_only.stdout == (
        "Logged visit #2: door, reached, Zhang San (1-101), by Li Hua, 2026-11-27 10:30.\n"
        "Not counted: follow-up #2 stays open: P5.4 needs a joint visit; missing chief-butler (Chen Jing).\n"
        "Satisfied: nothing new (this period was already covered).\n"
    )
    joint = ok(
        busy,
        "log-visit",
        "1-101",
        "--by",
        "Wang Fang",
        "--by",
        "Dr Sun",
        "--channel",
        "door",
        "--purpose",
        "P4.11",
        now="2026-11-27 11:00",
    )
    assert joint.stdout == (
        "Logged visit #3: door, reached, Zhang San (1-101), by Wang Fang with Dr Sun, 2026-11-27 11:00.\n"
        "Satisfied: follow-up #1 (P4.11 visit with the health butler (pregnancy or birth)).\n"
    )
    assert (
        busy.json("visit", "list", "--ref", "1-101", now="2026-11-27 11:00")[0]["by"] == "Wang Fang"
    )
    assert ok(
        busy,
        "log-visit",
        "1-101",
        "--by",
        "Li Hua",
        "--by",
        "Chen Jing",
        "--channel",
        "door",
        "--purpose",
        "new-service-visit",
        now="2026-11-27 11:30",
    ).stdout == (
        "Logged visit #4: door, reached, Zhang San (1-101), by Li Hua with Chen Jing, 2026-11-27 11:30.\n"
        "Satisfied: follow-up #2 (P5.4 visit after the new service: how did it feel?).\n"
    )
    assert [
        r["state"] for r in busy.json("followup", "list", "--ref", "1-101", now="2026-11-27 11:30")
    ] == ["open", "done", "done"]


def test_log_visit_busy_leaves_the_follow_up_open(busy):
    result = ok(
        busy,
        "log-visit",
        "2-101",
        "--by",
        "Zhao Lei",
        "--channel",
        "phone",
        "--outcome",
        "busy",
        "--callback",
        "2026-11-28 10:00",
        "--for",
        "4",
        now="2026-11-27 10:00",
    )
    assert result.stdout == (
        "Logged visit #1: phone, busy, Zhou Min (2-101), by Zhao Lei, 2026-11-27 10:00.\n"
        "Callback #5 set for 2026-11-28 10:00, owned by Zhao Lei.\n"
        "Not counted: follow-up #4 stays open: the visit did not reach anyone (busy).\n"
        "Not counted: a busy attempt does not satisfy a visit; the household stays due.\n"
    )
    assert busy.json("followup", "show", "4", now="2026-11-27 10:00")["state"] == "open"


def test_a_visit_that_names_no_follow_up_lists_the_open_ones(busy):
    assert ok(
        busy, "log-visit", "2-101", "--by", "Zhao Lei", "--channel", "door", now="2026-11-27 10:00"
    ).stdout == (
        "Logged visit #1: door, reached, Zhou Min (2-101), by Zhao Lei, 2026-11-27 10:00.\n"
        "Satisfied: P1 monthly visit for 2026-11.\n"
        "Open follow-ups here: #4 P4.7 condolence visit. Add --for ID when a visit is one of them.\n"
    )


# --- due --format json: a follow-up item, whole ----------------------------------------------------------


def test_due_json_follow_up_items_exact(busy):
    pregnancy = {
        "rule": "pregnancy-birth",
        "clause": "P4.11",
        "strength": "may",
        "kind": "followup",
        "subject": ZHANG_SAN,
        "owner": WANG,
        "due": "2026-12-03",
        "status": "due",
        "last_contact": None,
        "ref": 1,
        "zone": "A",
        "period": None,
        "missed_period": None,
        "why": "visit with the health butler (pregnancy or birth): pregnancy on 2026-11-26 23:00 — together: "
        "butler Wang Fang, health-butler Dr Sun",
        "together": [
            {"role": "butler", "name": "Wang Fang"},
            {"role": "health-butler", "name": "Dr Sun"},
        ],
        "planned": None,
    }
    assert busy.json("due", "--staff", "Dr Sun", now=NOW) == [pregnancy]
    new_service = {
        "rule": "new-service-visit",
        "clause": "P5.4",
        "strength": "must",
        "kind": "followup",
        "subject": ZHANG_SAN,
        "owner": LI_HUA,
        "due": "2026-12-03",
        "status": "due",
        "last_contact": None,
        "ref": 2,
        "zone": "A",
        "period": None,
        "missed_period": None,
        "why": "visit after the new service: how did it feel?: new-service on 2026-11-26 23:00 — together: "
        "chief-butler Chen Jing, manager Li Hua",
        "together": [
            {"role": "chief-butler", "name": "Chen Jing"},
            {"role": "manager", "name": "Li Hua"},
        ],
        "planned": None,
    }
    task = {
        "rule": "service-manual",
        "clause": "P5.4",
        "strength": "must",
        "kind": "task",
        "subject": ZHANG_SAN,
        "owner": {"id": 3, "name": "Chen Jing"},
        "due": "2026-12-10",
        "status": "due",
        "last_contact": None,
        "ref": 3,
        "zone": "A",
        "period": None,
        "missed_period": None,
        "why": "write the operating procedure into the service manual: new-service on 2026-11-26 23:00",
        "together": [],
        "planned": None,
    }
    assert busy.json("due", "--staff", "Chen Jing", now=NOW) == [new_service, task]
    # Past its deadline it is overdue.
    assert [
        (i["ref"], i["status"])
        for i in busy.json("due", "--staff", "Zhao Lei", now="2026-11-30 09:00")
        if i["kind"] == "followup"
    ] == [(4, "overdue")]


# --- void: events cancel their follow-ups, visits reopen what they settled ----------------------------------


def test_voiding_an_event_cancels_its_open_follow_ups(busy):
    result = ok(
        busy,
        "void",
        "event",
        "2",
        "--reason",
        "it was the neighbour's new service",
        now="2026-11-27 09:00",
    )
    assert result.stdout == (
        "Voided event #2: it was the neighbour's new service\n"
        "Follow-up #2 cancelled.\n"
        "Task #3 cancelled.\n"
    )
    assert [
        (r["id"], r["state"], r["note"])
        for r in busy.json("followup", "list", "--ref", "1-101", now="2026-11-27 09:00")
    ] == [
        (1, "open", None),
        (2, "cancelled", "it was the neighbour's new service"),
        (3, "cancelled", "it was the neighbour's new service"),
    ]
    assert busy.json("due", "--staff", "Chen Jing", now="2026-11-27 09:00") == []
    assert refused(busy, "void", "event", "2", "--reason", "again") == (
        "Error: Event #2 is void already (it was the neighbour's new service)."
    )


def test_voiding_an_activity_cancels_every_invitation(site):
    ok(site, "activity", "add", "Lantern", "--date", "2026-12-05")
    assert ok(site, "void", "activity", "1", "--reason", "called off").stdout == (
        "Voided activity #1: called off\nFollow-up #1 cancelled.\nFollow-up #2 cancelled.\n"
    )
    assert [i for i in site.json("due", "--all", now=NOW) if i["kind"] == "followup"] == []


def test_voiding_the_visit_that_satisfied_a_follow_up_reopens_it(busy):
    ok(
        busy,
        "log-visit",
        "2-101",
        "--by",
        "Zhao Lei",
        "--channel",
        "door",
        "--for",
        "4",
        now="2026-11-27 10:00",
    )
    assert busy.json("followup", "show", "4", now="2026-11-27 10:00")["state"] == "done"

    result = ok(
        busy, "void", "visit", "1", "--reason", "logged for the wrong unit", now="2026-11-27 11:00"
    )

    assert result.stdout == (
        "Voided visit #1: logged for the wrong unit\n"
        "Follow-up #4 is open again (the contact that settled it was voided).\n"
    )
    assert busy.json("followup", "list", "--ref", "2-101", now="2026-11-27 11:00") == [CONDOLENCE]
    assert [
        (i["ref"], i["status"])
        for i in busy.json("due", "--staff", "Zhao Lei", now="2026-11-27 11:00")
        if i["kind"] == "followup"
    ] == [(4, "due")]


def test_void_of_a_missing_event_says_where_its_number_is_found(busy, db):
    before = counts(db)
    assert refused(busy, "void", "event", "99", "--reason", "x") == (
        "Error: There is no event #99: its number was printed when it was recorded, and `careops followup show ID` "
        "names the event of each follow-up."
    )
    assert refused(busy, "void", "activity", "1", "--reason", "x") == (
        "Error: There is no activity #1: its number was printed when it was recorded, and `careops followup show ID` "
        "names the event of each follow-up."
    )
    assert counts(db) == before


def test_void_of_an_event_by_a_word_is_refused_in_plain_english(busy, db):
    before = counts(db)
    assert refused(busy, "void", "event", "one", "--reason", "x", code=2) == (
        "Error: Invalid value for 'ID': 'one' is not a number: give the event's id. (see `careops void --help`)"
    )
    assert counts(db) == before


# --- bad input: one Error line, nothing written -----------------------------------------------------------

KNOWN = (
    "bereavement, birth, commission-done, emergency-repair, fee-arrears, leak-repair, move-in, new-service, "
    "pregnancy, wedding; for an employee: pay-change, transfer, appraisal, career, resignation"
)


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (
            ("event", "1-101", "party"),
            1,
            f"Error: 'party' is not an event careops knows. Known: {KNOWN}.",
        ),
        (
            ("event", "1-101", "activity"),
            1,
            f"Error: 'activity' is not an event careops knows. Known: {KNOWN}.",
        ),
        (
            ("event", "Chair Qian", "wedding"),
            1,
            "Error: Chair Qian is a contact, not a household: events are recorded for households.",
        ),
        (
            ("event", "1-101", "wedding", "--at", "2026-11-27 09:00"),
            1,
            "Error: 2026-11-27 09:00 is later than now (2026-11-27 08:30); record the event once it has happened.",
        ),
        (
            ("event", "Nobody", "wedding"),
            1,
            "Error: No resident or contact matches 'Nobody'. See `careops resident list`.",
        ),
        (
            ("event", "1-101", "wedding", "--at", "2026-11-27 24:61"),
            2,
            "Error: Invalid value for '--at': '2026-11-27 24:61' is not a date and time like \"2026-11-27 08:30\" "
            "(see `careops event --help`)",
        ),
        (
            ("resident", "move-in", "1-101"),
            1,
            "Error: Zhang San (1-101) is already occupied (moved in 2026-10-01). A new owner? Change the record with "
            "`careops resident edit 1-101 …`.",
        ),
        (
            ("event", "2-101", "move-in"),
            1,
            "Error: Zhou Min (2-101) is already occupied (moved in 2026-10-01). A new owner? Change the record with "
            "`careops resident edit 2-101 …`.",
        ),
        (
            ("resident", "move-in", "1-102", "--date", "2026-11-28"),
            1,
            "Error: The move-in day 2026-11-28 is after today (2026-11-27); record the move-in on the day.",
        ),
        (
            ("activity", "add", "Lantern", "--date", "2026-11-27"),
            1,
            "Error: The activity on 2026-11-27 is not after today (2026-11-27): invitations go out before it.",
        ),
        (
            ("rain", "2026-11-30"),
            1,
            "Error: 2026-11-30 is after today (2026-11-27); record rain on the day it falls.",
        ),
        (
            ("followup", "done", "1", "--note", "went"),
            1,
            "Error: Follow-up #1 (visit with the health butler (pregnancy or birth)) is done by a visit: "
            "`careops log-visit REF --by STAFF --channel door --for 1`.",
        ),
        (("followup", "done", "3", "--note", "  "), 1, "Error: Say what was done with --note."),
        (
            ("followup", "cancel", "1", "--reason", "  "),
            1,
            "Error: Say why with --reason: a cancelled follow-up is kept with its reason.",
        ),
        (
            ("followup", "cancel", "1"),
            2,
            "Error: Missing option '--reason'. (see `careops followup cancel --help`)",
        ),
        (
            ("followup", "cancel", "99", "--reason", "x"),
            1,
            "Error: There is no follow-up #99. See `careops followup list --open`.",
        ),
        (
            ("followup", "done", "99", "--note", "x"),
            1,
            "Error: There is no follow-up #99. See `careops followup list --open`.",
        ),
        (
            ("followup", "show", "99"),
            1,
            "Error: There is no follow-up #99. See `careops followup list --open`.",
        ),
        (
            ("log-visit", "1-101", "--by", "Wang Fang", "--channel", "door", "--for", "99"),
            1,
            "Error: There is no follow-up #99. See `careops followup list --open`.",
        ),
        (
            ("log-visit", "1-101", "--by", "Wang Fang", "--channel", "door", "--for", "4"),
            1,
            "Error: Follow-up #4 is for Zhou Min (2-101), not for Zhang San (1-101).",
        ),
        (
            (
                "log-visit",
                "1-101",
                "--by",
                "Wang Fang",
                "--channel",
                "door",
                "--for",
                "1",
                "--for",
                "3",
            ),
            1,
            "Error: Follow-up #3 is a task, not a visit: close it with `careops followup done 3 --note TEXT`.",
        ),
        (
            ("log-visit", "1-101", "--by", "Wang Fang", "--channel", "door", "--purpose", "P4.7"),
            1,
            "Error: Zhang San (1-101) has no open follow-up for 'P4.7'. See `careops followup list --ref 1-101`.",
        ),
        (
            (
                "log-visit",
                "1-101",
                "--by",
                "Wang Fang",
                "--channel",
                "door",
                "--for",
                "1",
                "--satisfied",
                "yes",
            ),
            1,
            "Error: --satisfied records the person's verdict at a complaint revisit: name the revisit with --for ID "
            "(or --purpose complaint-revisit).",
        ),
        (
            ("log-visit", "1-101", "--by", "Wang Fang", "--channel", "door", "--satisfied", "no"),
            1,
            "Error: --satisfied records the person's verdict at a complaint revisit: name the revisit with --for ID "
            "(or --purpose complaint-revisit).",
        ),
        (
            ("log-visit", "1-101", "--by", "Wang Fang", "--channel", "door", "--urgent"),
            1,
            "Error: --urgent and --answered go with --feedback TEXT.",
        ),
        (
            ("log-visit", "1-101", "--by", "Wang Fang", "--channel", "door", "--answered"),
            1,
            "Error: --urgent and --answered go with --feedback TEXT.",
        ),
        (
            (
                "log-visit",
                "1-101",
                "--by",
                "Wang Fang",
                "--channel",
                "door",
                "--feedback",
                "  ",
                "--urgent",
            ),
            1,
            "Error: --urgent and --answered go with --feedback TEXT.",
        ),
        (
            (
                "log-visit",
                "1-101",
                "--by",
                "Wang Fang",
                "--channel",
                "phone",
                "--outcome",
                "busy",
                "--feedback",
                "lift",
            ),
            1,
            "Error: --feedback needs the person reached: nothing was raised on a busy attempt.",
        ),
        (
            (
                "log-visit",
                "1-101",
                "--by",
                "Wang Fang",
                "--by",
                "Dr Sun",
                "--by",
                "wang fang",
                "--channel",
                "door",
            ),
            1,
            "Error: Wang Fang is named twice with --by.",
        ),
        (
            (
                "log-visit",
                "1-101",
                "--by",
                "Wang Fang",
                "--by",
                "#1",
                "--channel",
                "door",
                "--for",
                "1",
            ),
            1,
            "Error: Wang Fang is named twice with --by.",
        ),
        (
            ("log-visit", "1-101", "--by", "Wang Fang", "--channel", "door", "--for", "one"),
            2,
            "Error: Invalid value for '--for': Input should be a valid integer, unable to parse string as an integer "
            "(see `careops log-visit --help`)",
        ),
    ],
)
def test_refused_commands_write_nothing(busy, db, argv, code, message):
    before = counts(db)
    assert refused(busy, *argv, code=code) == message
    assert counts(db) == before


def test_a_follow_up_that_is_done_or_cancelled_cannot_be_visited_for(busy, db):
    ok(busy, "followup", "cancel", "4", "--reason", "moved away", now="2026-11-27 09:00")
    before = counts(db)
    assert (
        refused(
            busy,
            "log-visit",
            "2-101",
            "--by",
            "Zhao Lei",
            "--channel",
            "door",
            "--for",
            "4",
            now="2026-11-27 10:00",
        )
        == "Error: Follow-up #4 is cancelled already (moved away)."
    )
    assert refused(busy, "followup", "cancel", "4", "--reason", "x", now="2026-11-27 10:00") == (
        "Error: Follow-up #4 is cancelled already (moved away)."
    )
    assert counts(db) == before


# Odd but well-formed input (a superscript digit, a 20-digit id, the year 1) is refused plainly, never reported
# as one of careops' own "Unexpected" failures.
@pytest.mark.parametrize(
    "argv",
    [
        ("void", "rain", "yesterday", "--reason", "x"),
        ("void", "event", "²", "--reason", "x"),
        ("event", "²", "wedding"),
        ("event", "1-101", "wedding", "--at", "0001-01-01 00:00"),
        ("followup", "show", "99999999999999999999"),
        ("followup", "cancel", "99999999999999999999", "--reason", "x"),
        (
            "log-visit",
            "1-101",
            "--by",
            "Wang Fang",
            "--channel",
            "door",
            "--for",
            "99999999999999999999",
        ),
        ("void", "event", "99999999999999999999", "--reason", "x"),
    ],
)
def test_odd_input_is_refused_plainly_not_as_an_unexpected_error(busy, db, argv):
    before = counts(db)
    result = busy(*argv, now=NOW)
    assert result.exit_code in (1, 2) and result.stdout == "" and "Traceback" not in result.output
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("Error: ")
    assert counts(db) == before
    assert "Unexpected" not in result.stderr, result.stderr

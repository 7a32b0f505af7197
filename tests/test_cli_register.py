"""CLI: the register (H3.1, P5) through a day of hotline calls, with a fixed clock and a fixed actor.

Every step prints one line a clerk can read back, is recorded with who took it (`--as STAFF`), and is refused
— one `Error:` line, nothing written — when it comes out of order. The deadlines themselves are tested against
the services in test_rules_register.py.
"""

from __future__ import annotations

import pytest

from conftest import NOW, ok, refused

THEN = "2026-10-01 09:00"
TABLES = ("complaint", "complaint_step", "audit", "obligation", "obligation_need", "visit")

KEEPER, MANAGER, ENGINEERING, SECURITY, LEADER, BUTLER = (
    "Xu Mei",
    "Li Hua",
    "Ma Gang",
    "He Ping",
    "Boss Liu",
    "Wang Fang",
)


def counts(db) -> dict[str, int]:
    return {table: db.count(table) for table in TABLES}


def as_(cli, who: str, *args: str, now: str):
    """A step taken by `who` (the global --as option), at `now`."""
    return ok(cli, "--as", who, *args, now=now)


@pytest.fixture
def site(cli, monkeypatch):
    """Butler Wang Fang (#1, zone A), manager Li Hua (#2), chief butler Chen Jing (#3), register keeper Xu Mei (#4,
    office), engineering head Ma Gang (#5), security head He Ping (#6), leadership Boss Liu (#7).
    Zhang San #1 (1-101, zone A, phone 13812345678). Recorded 2026-10-01 by Office Clerk."""
    monkeypatch.setenv("CAREOPS_USER", "Office Clerk")
    ok(cli, "staff", "add", BUTLER, "--role", "butler", now=THEN)
    ok(cli, "staff", "add", MANAGER, "--role", "manager", now=THEN)
    ok(cli, "staff", "add", "Chen Jing", "--role", "chief-butler", now=THEN)
    ok(cli, "staff", "add", KEEPER, "--role", "office", now=THEN)
    ok(cli, "staff", "add", ENGINEERING, "--role", "dept-head", "--dept", "engineering", now=THEN)
    ok(cli, "staff", "add", SECURITY, "--role", "dept-head", "--dept", "security", now=THEN)
    ok(cli, "staff", "add", LEADER, "--role", "leadership", now=THEN)
    ok(cli, "zone", "add", "A", "--butler", BUTLER, now=THEN)
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
        now=THEN,
    )
    return cli


@pytest.fixture
def calls(site):
    """Two calls this morning: C-2026-00001 from Li Na (not a resident), urgent, received 08:05 and logged 08:10;
    C-2026-00002 from Zhang San (1-101), general, 08:30. Neither routed yet."""
    as_(
        site,
        KEEPER,
        "complaint",
        "open",
        "--from",
        "Li Na 13800001111",
        "--channel",
        "hotline",
        "--summary",
        "lift stuck on floor 3",
        "--severity",
        "urgent",
        "--at",
        "2026-11-27 08:05",
        now="2026-11-27 08:10",
    )
    as_(
        site,
        KEEPER,
        "complaint",
        "open",
        "1-101",
        "--channel",
        "hotline",
        "--summary",
        "water stain on the ceiling",
        now="2026-11-27 08:30",
    )
    return site


def step(at, action, actor, dept=None, to=None, note=None):
    return {"at": at, "action": action, "actor": actor, "dept": dept, "to": to, "note": note}


def entry(
    id_,
    number,
    received,
    channel,
    kind,
    severity,
    who,
    unit,
    summary,
    state,
    dept,
    handler,
    answer_by,
    answered,
    overdue=False,
    answered_late=False,
):
    return {
        "id": id_,
        "number": number,
        "received": received,
        "channel": channel,
        "kind": kind,
        "severity": severity,
        "who": who,
        "unit": unit,
        "summary": summary,
        "state": state,
        "dept": dept,
        "handler": handler,
        "answer_by": answer_by,
        "answered": answered,
        "overdue": overdue,
        "answered_late": answered_late,
    }


LIFT = entry(
    1,
    "C-2026-00001",
    "2026-11-27T08:05:00+08:00",
    "hotline",
    "complaint",
    "urgent",
    "Li Na",
    None,
    "lift stuck on floor 3",
    "open",
    None,
    None,
    "2026-11-28T08:05:00+08:00",
    None,
)
STAIN = entry(
    2,
    "C-2026-00002",
    "2026-11-27T08:30:00+08:00",
    "hotline",
    "complaint",
    "general",
    "Zhang San",
    "1-101",
    "water stain on the ceiling",
    "open",
    None,
    None,
    "2026-11-29T08:30:00+08:00",
    None,
)


# --- a day of hotline calls -----------------------------------------------------------------------------


def test_open_from_a_caller_and_from_a_household(site, db):
    first = as_(
        site,
        KEEPER,
        "complaint",
        "open",
        "--from",
        "Li Na 13800001111",
        "--channel",
        "hotline",
        "--summary",
        "lift stuck on floor 3",
        "--severity",
        "urgent",
        "--at",
        "2026-11-27 08:05",
        now="2026-11-27 08:10",
    )
    assert first.stdout == (
        "Registered C-2026-00001: complaint, urgent, by hotline, from Li Na.\n"
        "A clear answer is due by 2026-11-28 08:05 (H3.1); owner: Xu Mei.\n"
    )
    assert first.stderr == ""
    second = as_(
        site,
        KEEPER,
        "complaint",
        "open",
        "Zhang San",
        "--channel",
        "hotline",
        "--summary",
        " water stain on the ceiling ",
        now="2026-11-27 08:30",
    )
    assert second.stdout == (
        "Registered C-2026-00002: complaint, general, by hotline, from Zhang San (1-101).\n"
        "A clear answer is due by 2026-11-29 08:30 (H3.1); owner: Xu Mei.\n"
    )
    third = as_(
        site,
        KEEPER,
        "complaint",
        "open",
        "--from",
        "Mr Gao",
        "--channel",
        "walk-in",
        "--kind",
        "inquiry",
        "--summary",
        "gym hours?",
        now="2026-11-27 08:40",
    )
    assert third.stdout == (
        "Registered C-2026-00003: inquiry, general, by walk-in, from Mr Gao.\n"
        "A clear answer is due by 2026-11-29 08:40 (H3.1); owner: Xu Mei.\n"
    )
    assert db.rows(
        "SELECT number, caller_name, caller_phone, party_id FROM complaint ORDER BY id"
    ) == [
        ("C-2026-00001", "Li Na", "13800001111", None),
        ("C-2026-00002", None, None, 1),
        ("C-2026-00003", "Mr Gao", None, None),
    ]
    assert db.count("complaint_step") == 3


def test_a_day_of_hotline_calls_end_to_end(calls, db):
    assert as_(
        calls,
        KEEPER,
        "complaint",
        "route",
        "C-2026-00001",
        "--dept",
        "engineering",
        now="2026-11-27 08:40",
    ).stdout == ("C-2026-00001 routed to engineering; handler: Ma Gang.\n")
    assert (
        as_(
            calls,
            ENGINEERING,
            "complaint",
            "answer",
            "c-2026-00001",
            "--note",
            "technician on the way",
            now="2026-11-27 09:10",
        ).stdout
        == "C-2026-00001 answered at 2026-11-27 09:10.\n"
    )
    assert (
        as_(
            calls,
            ENGINEERING,
            "complaint",
            "escalate",
            "1",
            "--to",
            LEADER,
            "--note",
            "needs a new lift motor",
            now="2026-11-27 09:20",
        ).stdout
        == "C-2026-00001 escalated to Boss Liu.\n"
    )
    assert as_(
        calls,
        ENGINEERING,
        "complaint",
        "cohandle",
        "#1",
        "--dept",
        "security",
        now="2026-11-27 09:30",
    ).stdout == ("C-2026-00001: security asked to co-handle.\n")
    assert as_(
        calls,
        KEEPER,
        "complaint",
        "chase",
        "C-2026-00001",
        "--note",
        "Ma Gang: motor ordered",
        now="2026-11-27 11:00",
    ).stdout == (
        "C-2026-00001 chased; if nothing moves, it is due for chasing again on 2026-12-02.\n"
    )
    resolved = as_(
        calls,
        ENGINEERING,
        "complaint",
        "resolve",
        "C-2026-00001",
        "--note",
        "motor replaced, lift tested",
        now="2026-11-27 16:00",
    )
    # Li Na is no resident: no revisit (P4.8 is a visit to a household); she was answered at 09:10 already.
    assert resolved.stdout == "C-2026-00001 resolved.\n"
    assert (
        as_(
            calls,
            MANAGER,
            "complaint",
            "close",
            "C-2026-00001",
            "--archive",
            "--summary",
            "lift motor replaced in 8 h",
            now="2026-11-27 16:30",
        ).stdout
        == "C-2026-00001 closed and archived with its write-up.\n"
    )

    shown = calls.json("complaint", "show", "C-2026-00001", now="2026-11-27 16:30")
    assert shown == {
        **LIFT,
        "state": "closed",
        "dept": "engineering",
        "handler": "Ma Gang",
        "answer_by": None,
        "answered": "2026-11-27T09:10:00+08:00",
        "void": None,
        "archived": True,
        "archive_summary": "lift motor replaced in 8 h",
        "escalated": True,
        "reopened": 0,
        "verdict": None,
        "resolved": "2026-11-27T16:00:00+08:00",
        "closed": "2026-11-27T16:30:00+08:00",
        "phone": "138****1111",
        "steps": [
            step("2026-11-27T08:05:00+08:00", "open", KEEPER, note="lift stuck on floor 3"),
            step("2026-11-27T08:40:00+08:00", "route", KEEPER, dept="engineering", to=ENGINEERING),
            step("2026-11-27T09:10:00+08:00", "answer", ENGINEERING, note="technician on the way"),
            step(
                "2026-11-27T09:20:00+08:00",
                "escalate",
                ENGINEERING,
                to=LEADER,
                note="needs a new lift motor",
            ),
            step("2026-11-27T09:30:00+08:00", "cohandle", ENGINEERING, dept="security"),
            step("2026-11-27T11:00:00+08:00", "chase", KEEPER, note="Ma Gang: motor ordered"),
            step(
                "2026-11-27T16:00:00+08:00",
                "resolve",
                ENGINEERING,
                note="motor replaced, lift tested",
            ),
            step("2026-11-27T16:30:00+08:00", "close", MANAGER, note="lift motor replaced in 8 h"),
        ],
        "followups": [],
    }
    # As of an earlier --now, later steps are not history yet.
    assert [
        s["action"] for s in calls.json("complaint", "show", "1", now="2026-11-27 09:15")["steps"]
    ] == ["open", "route", "answer"]

    reopened = as_(
        calls,
        KEEPER,
        "complaint",
        "reopen",
        "C-2026-00001",
        "--reason",
        " stuck again ",
        now="2026-11-27 17:00",
    )
    assert (
        reopened.stdout
        == "C-2026-00001 reopened: stuck again. A new answer is due by 2026-11-28 17:00.\n"
    )
    again = calls.json("complaint", "show", "C-2026-00001", now="2026-11-27 17:00")
    assert {
        k: again[k]
        for k in (
            "state",
            "dept",
            "handler",
            "answer_by",
            "answered",
            "resolved",
            "closed",
            "reopened",
        )
    } == {
        "state": "routed",
        "dept": "engineering",
        "handler": "Ma Gang",
        "answer_by": "2026-11-28T17:00:00+08:00",
        "answered": None,
        "resolved": None,
        "closed": None,
        "reopened": 1,
    }
    assert again["steps"][-1] == step(
        "2026-11-27T17:00:00+08:00", "reopen", KEEPER, note="stuck again"
    )
    assert db.count("complaint_step") == 2 + 8


def test_every_step_is_audited_with_who_took_it(calls):
    as_(calls, KEEPER, "complaint", "route", "2", "--dept", "engineering", now="2026-11-27 08:40")
    as_(
        calls,
        ENGINEERING,
        "complaint",
        "resolve",
        "2",
        "--note",
        "roof sealed",
        now="2026-11-27 15:00",
    )
    rows = [
        (r["actor"], r["action"], r["kind"], r["record_id"], r["detail"])
        for r in calls.json("history", "1-101", now=NOW)
        if r["kind"] in ("complaint", "followup")
    ]
    assert rows == [
        (KEEPER, "open", "complaint", 2, "C-2026-00002: open water stain on the ceiling"),
        (KEEPER, "route", "complaint", 2, "C-2026-00002: route engineering"),
        (ENGINEERING, "resolve", "complaint", 2, "C-2026-00002: resolve roof sealed"),
    ]


def test_actor_from_careops_user(calls, monkeypatch):
    monkeypatch.setenv("CAREOPS_USER", "Night Desk")
    ok(calls, "complaint", "route", "2", "--dept", "engineering", now="2026-11-27 08:40")
    assert calls.json("complaint", "show", "2", now="2026-11-27 08:40")["steps"][-1] == step(
        "2026-11-27T08:40:00+08:00", "route", "Night Desk", dept="engineering", to=ENGINEERING
    )


def test_resolving_a_households_complaint_writes_its_butlers_revisit_and_counts_as_the_answer(
    calls,
):
    as_(calls, KEEPER, "complaint", "route", "2", "--dept", "engineering", now="2026-11-27 08:40")
    result = as_(
        calls,
        ENGINEERING,
        "complaint",
        "resolve",
        "C-2026-00002",
        "--note",
        "roof sealed",
        now="2026-11-27 15:00",
    )
    assert result.stdout == (
        "C-2026-00002 resolved.\n"
        "The resolution counts as the answer to the person, at 2026-11-27 15:00.\n"
        "Follow-up #1 (P4.8 must): revisit after the complaint was dealt with — Wang Fang, "
        "door or phone, by 2026-12-02.\n"
    )
    revisit = {
        "rule": "complaint-revisit",
        "clause": "P4.8",
        "strength": "must",
        "kind": "followup",
        "subject": {"type": "household", "id": 1, "name": "Zhang San", "unit": "1-101"},
        "owner": {"id": 1, "name": "Wang Fang"},
        "due": "2026-12-02",
        "status": "due",
        "last_contact": None,
        "ref": 1,
        "zone": "A",
        "period": None,
        "missed_period": None,
        "why": "revisit after the complaint was dealt with: C-2026-00002 resolved on 2026-11-27",
        "together": [],
        "planned": None,
    }
    assert [
        i
        for i in calls.json("due", "--staff", BUTLER, now="2026-11-27 15:00")
        if i["kind"] != "cadence"
    ] == [revisit]


def test_revisit_verdict_no_reopens_the_complaint(calls):
    as_(calls, KEEPER, "complaint", "route", "2", "--dept", "engineering", now="2026-11-27 08:40")
    as_(
        calls,
        ENGINEERING,
        "complaint",
        "resolve",
        "2",
        "--note",
        "roof sealed",
        now="2026-11-27 15:00",
    )
    result = as_(
        calls,
        BUTLER,
        "log-visit",
        "1-101",
        "--by",
        BUTLER,
        "--channel",
        "door",
        "--purpose",
        "complaint-revisit",
        "--satisfied",
        "no",
        now="2026-11-30 10:00",
    )
    assert result.stdout == (
        "Logged visit #1: door, reached, Zhang San (1-101), by Wang Fang, 2026-11-30 10:00.\n"
        "Satisfied: P1 monthly visit for 2026-11.\n"
        "Satisfied: follow-up #1 (P4.8 revisit after the complaint was dealt with).\n"
        "Verdict recorded: satisfied no.\n"
        "C-2026-00002 is reopened: the person is not satisfied.\n"
    )
    shown = calls.json("complaint", "show", "2", now="2026-11-30 10:00")
    assert (shown["state"], shown["verdict"], shown["reopened"], shown["answer_by"]) == (
        "routed",
        "no",
        1,
        "2026-12-02T10:00:00+08:00",
    )
    assert shown["steps"][-2:] == [
        step("2026-11-30T10:00:00+08:00", "revisit", BUTLER, note="no"),
        step(
            "2026-11-30T10:00:00+08:00",
            "reopen",
            BUTLER,
            note="not satisfied at the revisit (visit #1)",
        ),
    ]
    assert shown["followups"] == [
        {"id": 1, "clause": "P4.8", "rule": "complaint-revisit", "state": "done", "verdict": "no"}
    ]


def test_revisit_verdict_yes_leaves_it_resolved(calls):
    as_(calls, KEEPER, "complaint", "route", "2", "--dept", "engineering", now="2026-11-27 08:40")
    as_(
        calls,
        ENGINEERING,
        "complaint",
        "resolve",
        "2",
        "--note",
        "roof sealed",
        now="2026-11-27 15:00",
    )
    assert as_(
        calls,
        BUTLER,
        "log-visit",
        "1-101",
        "--by",
        BUTLER,
        "--channel",
        "phone",
        "--for",
        "1",
        "--satisfied",
        "yes",
        now="2026-11-28 10:00",
    ).stdout == (
        "Logged visit #1: phone, reached, Zhang San (1-101), by Wang Fang, 2026-11-28 10:00.\n"
        "Satisfied: P1 monthly visit for 2026-11.\n"
        "Satisfied: follow-up #1 (P4.8 revisit after the complaint was dealt with).\n"
        "Verdict recorded: satisfied yes.\n"
    )
    shown = calls.json("complaint", "show", "2", now="2026-11-28 10:00")
    assert (shown["state"], shown["verdict"], shown["reopened"]) == ("resolved", "yes", 0)
    assert (
        as_(calls, KEEPER, "complaint", "close", "2", now="2026-11-28 11:00").stdout
        == "C-2026-00002 closed.\n"
    )


def test_a_major_complaint_needs_a_joint_revisit_and_an_archived_write_up(site, db):
    as_(
        site,
        KEEPER,
        "complaint",
        "open",
        "1-101",
        "--channel",
        "letter",
        "--severity",
        "major",
        "--summary",
        "the guard was rude",
        now="2026-11-27 09:00",
    )
    assert as_(
        site, KEEPER, "complaint", "route", "1", "--dept", "Security", now="2026-11-27 09:10"
    ).stdout == ("C-2026-00001 routed to Security; handler: He Ping.\n")
    assert as_(
        site,
        SECURITY,
        "complaint",
        "resolve",
        "1",
        "--note",
        "guard retrained, apology made",
        now="2026-11-27 15:00",
    ).stdout == (
        "C-2026-00001 resolved.\n"
        "The resolution counts as the answer to the person, at 2026-11-27 15:00.\n"
        "Follow-up #1 (P5.3 must): joint revisit after the major complaint — Li Hua, door, by 2026-12-02.\n"
        "  together: manager Li Hua, chief-butler Chen Jing, dept-head He Ping, butler Wang Fang\n"
    )
    before = counts(db)
    assert refused(site, "--as", KEEPER, "complaint", "close", "1", now="2026-11-27 16:00") == (
        "Error: C-2026-00001 is a major matter: close it with --archive --summary TEXT (H3.1: the outcome of important "
        "matters is written up and archived)."
    )
    assert counts(db) == before
    not_all = as_(
        site,
        BUTLER,
        "log-visit",
        "1-101",
        "--by",
        MANAGER,
        "--by",
        BUTLER,
        "--channel",
        "door",
        "--for",
        "1",
        now="2026-11-30 10:00",
    )
    assert not_all.stdout.splitlines()[1:] == [
        "Satisfied: P1 monthly visit for 2026-11.",
        "Not counted: follow-up #1 stays open: P5.3 needs a joint visit; missing chief-butler (Chen Jing), "
        "dept-head (He Ping).",
    ]
    assert (
        as_(
            site,
            KEEPER,
            "complaint",
            "close",
            "1",
            "--archive",
            "--summary",
            "guard retrained; apology letter",
            now="2026-11-30 16:00",
        ).stdout
        == "C-2026-00001 closed and archived with its write-up.\n"
    )


def test_visit_feedback_is_registered_and_resolving_it_writes_the_phone_back(site):
    result = as_(
        site,
        BUTLER,
        "log-visit",
        "1-101",
        "--by",
        BUTLER,
        "--channel",
        "door",
        "--feedback",
        "corridor light out",
        now="2026-11-27 10:00",
    )
    assert result.stdout == (
        "Logged visit #1: door, reached, Zhang San (1-101), by Wang Fang, 2026-11-27 10:00.\n"
        "Satisfied: P1 monthly visit for 2026-11.\n"
        "Registered C-2026-00001 (feedback, general) on the Owner Feedback Form: a clear answer is due by "
        "2026-11-29 10:00 (P5.2).\n"
    )
    # Visit feedback needs no routing to be resolved (the butler heard it at the door).
    assert as_(
        site, BUTLER, "complaint", "resolve", "1", "--note", "bulb replaced", now="2026-11-27 14:00"
    ).stdout == (
        "C-2026-00001 resolved.\n"
        "The resolution counts as the answer to the person, at 2026-11-27 14:00.\n"
        "Follow-up #1 (P5.1 must): phone back: the matter raised on the visit is done — Wang Fang, phone or door, "
        "by 2026-11-29.\n"
    )
    answered = as_(
        site,
        BUTLER,
        "log-visit",
        "1-101",
        "--by",
        BUTLER,
        "--channel",
        "door",
        "--feedback",
        "gym hours?",
        "--answered",
        now="2026-11-27 15:00",
    )
    assert answered.stdout.splitlines()[-2] == (
        "Registered C-2026-00002 (feedback, general) on the Owner Feedback Form: answered on the spot and closed."
    )


# --- complaint list -------------------------------------------------------------------------------------


def test_complaint_list_open_overdue_and_dept(calls):
    ok(calls, "dept", "add", "Cleaning", now=THEN)
    as_(
        calls,
        KEEPER,
        "complaint",
        "open",
        "--from",
        "Mr Gao",
        "--channel",
        "box",
        "--kind",
        "suggestion",
        "--summary",
        "more benches",
        "--at",
        "2026-11-20 10:00",
        now="2026-11-27 08:35",
    )
    as_(calls, KEEPER, "complaint", "route", "1", "--dept", "engineering", now="2026-11-27 08:40")
    as_(
        calls,
        KEEPER,
        "complaint",
        "route",
        "2",
        "--dept",
        "Cleaning",
        "--handler",
        BUTLER,
        now="2026-11-27 08:45",
    )
    as_(calls, ENGINEERING, "complaint", "resolve", "1", "--note", "fixed", now="2026-11-27 16:00")
    as_(calls, KEEPER, "complaint", "close", "1", now="2026-11-27 16:30")
    lift = {
        **LIFT,
        "state": "closed",
        "dept": "engineering",
        "handler": "Ma Gang",
        "answer_by": None,
        "answered": "2026-11-27T16:00:00+08:00",
    }
    stain = {**STAIN, "state": "routed", "dept": "Cleaning", "handler": "Wang Fang"}
    benches = entry(
        3,
        "C-2026-00003",
        "2026-11-20T10:00:00+08:00",
        "box",
        "suggestion",
        "general",
        "Mr Gao",
        None,
        "more benches",
        "open",
        None,
        None,
        "2026-11-22T10:00:00+08:00",
        None,
        overdue=True,
    )
    later = "2026-11-27 17:00"
    assert calls.json("complaint", "list", now=later) == [stain, lift, benches]
    assert calls.json("complaint", "list", "--open", now=later) == [stain, benches]
    assert calls.json("complaint", "list", "--overdue", now=later) == [benches]
    assert calls.json("complaint", "list", "--dept", "cleaning", now=later) == [stain]
    assert calls.json("complaint", "list", "--dept", "ENGINEERING", "--open", now=later) == []
    # Two days on, the stain is late too.
    assert [
        m["number"] for m in calls.json("complaint", "list", "--overdue", now="2026-11-29 09:00")
    ] == ["C-2026-00002", "C-2026-00003"]
    # Before the letters came in, the register was empty.
    assert (
        ok(calls, "complaint", "list", now="2026-11-20 09:00").stdout
        == "Nothing on the register matches.\n"
    )


def test_complaint_list_csv(calls):
    assert ok(calls, "complaint", "list", "--format", "csv", now="2026-11-27 09:00").stdout == (
        "number,received,channel,kind,severity,who,summary,state,dept,handler,answer_by,late\n"
        "C-2026-00002,2026-11-27 08:30,hotline,complaint,general,Zhang San,"
        "water stain on the ceiling,open,,,2026-11-29 08:30,\n"
        "C-2026-00001,2026-11-27 08:05,hotline,complaint,urgent,Li Na,lift stuck on floor 3,open,,,2026-11-28 08:05,\n"
    )
    assert ok(
        calls, "complaint", "list", "--format", "csv", now="2026-11-29 09:00"
    ).stdout.splitlines()[1:] == [
        "C-2026-00002,2026-11-27 08:30,hotline,complaint,general,Zhang San,"
        "water stain on the ceiling,open,,,2026-11-29 08:30,late",
        "C-2026-00001,2026-11-27 08:05,hotline,complaint,urgent,Li Na,"
        "lift stuck on floor 3,open,,,2026-11-28 08:05,late",
    ]


def test_a_late_answer_says_so(calls):
    as_(calls, KEEPER, "complaint", "route", "1", "--dept", "engineering", now="2026-11-27 08:40")
    assert as_(
        calls, ENGINEERING, "complaint", "answer", "1", "--note", "sorry", now="2026-11-28 10:05"
    ).stdout == ("C-2026-00001 answered at 2026-11-28 10:05 (26 h after registration: late).\n")


# --- privacy -------------------------------------------------------------------------------------------


def test_callers_phone_is_masked_unless_asked(calls):
    assert calls.json("complaint", "show", "1", now=NOW)["phone"] == "138****1111"
    shown = ok(calls, "complaint", "show", "1", "--show-phone", "--format", "json", now=NOW).stdout
    assert '"phone": "13800001111"' in shown
    table = ok(calls, "complaint", "show", "1", now=NOW).stdout
    assert "138****1111" in table and "13800001111" not in table
    assert "13800001111" in ok(calls, "complaint", "show", "1", "--show-phone", now=NOW).stdout
    assert "13800001111" not in ok(calls, "complaint", "list", "--format", "csv", now=NOW).stdout


# --- due: the keeper's answer and chase items -----------------------------------------------------------


def test_due_keeper_owns_the_answer_until_routed_then_chases_after_three_working_days(calls):
    answer = {
        "rule": "register-answer",
        "clause": "H3.1",
        "strength": "must",
        "kind": "complaint",
        "subject": {"type": "caller", "id": None, "name": "Li Na", "unit": None},
        "owner": {"id": 4, "name": "Xu Mei"},
        "due": "2026-11-28T08:05:00+08:00",
        "status": "due",
        "last_contact": None,
        "ref": "C-2026-00001",
        "zone": None,
        "period": None,
        "missed_period": None,
        "why": "complaint by hotline on 2026-11-27 08:05: lift stuck on floor 3 — a clear answer within 24 h",
        "together": [],
        "planned": None,
    }
    stain = {
        **answer,
        "subject": {"type": "household", "id": 1, "name": "Zhang San", "unit": "1-101"},
        "due": "2026-11-29T08:30:00+08:00",
        "ref": "C-2026-00002",
        "zone": "A",
        "why": "complaint by hotline on 2026-11-27 08:30: water stain on the ceiling — a clear answer within 48 h",
    }
    assert calls.json("due", "--staff", KEEPER, now="2026-11-27 08:30") == [answer, stain]

    as_(calls, KEEPER, "complaint", "route", "1", "--dept", "engineering", now="2026-11-27 08:40")
    as_(
        calls,
        ENGINEERING,
        "complaint",
        "answer",
        "1",
        "--note",
        "technician on the way",
        now="2026-11-27 09:10",
    )
    # Routed: the answer is the handler's; answered: nobody's.
    assert calls.json("due", "--staff", KEEPER, now="2026-11-27 09:10") == [stain]
    assert calls.json("due", "--staff", ENGINEERING, now="2026-11-27 09:10") == []

    chase = {
        "rule": "register-chase",
        "clause": "H3.1",
        "strength": "must",
        "kind": "chase",
        "subject": {"type": "caller", "id": None, "name": "Li Na", "unit": None},
        "owner": {"id": 4, "name": "Xu Mei"},
        "due": "2026-12-02",
        "status": "due",
        "last_contact": None,
        "ref": "C-2026-00001",
        "zone": None,
        "period": None,
        "missed_period": None,
        "why": "no step on C-2026-00001 since 2026-11-27 (engineering, Ma Gang)",
        "together": [],
        "planned": None,
    }
    overdue_stain = {**stain, "status": "overdue"}
    # Fri 27 Nov + 3 working days = Wed 2 Dec (Mon 30, Tue 1, Wed 2).
    assert calls.json("due", "--staff", KEEPER, now="2026-12-01 09:00") == [overdue_stain]
    assert calls.json("due", "--staff", KEEPER, now="2026-12-02 09:00") == [overdue_stain, chase]
    assert calls.json("due", "--staff", KEEPER, now="2026-12-03 09:00") == [
        overdue_stain,
        {**chase, "status": "overdue"},
    ]
    # A chase starts the clock again.
    as_(
        calls, KEEPER, "complaint", "chase", "1", "--note", "motor on order", now="2026-12-02 10:00"
    )
    assert calls.json("due", "--staff", KEEPER, now="2026-12-03 09:00") == [overdue_stain]
    assert [
        i["due"]
        for i in calls.json("due", "--staff", KEEPER, now="2026-12-07 09:00")
        if i["kind"] == "chase"
    ] == ["2026-12-07"]


# --- steps out of order: one Error line, nothing written ---------------------------------------------------


@pytest.fixture
def states(calls):
    """C-2026-00001 closed (urgent, routed, resolved, closed); C-2026-00002 open (not routed);
    C-2026-00003 routed to engineering; C-2026-00004 major, routed, resolved."""
    as_(calls, KEEPER, "complaint", "route", "1", "--dept", "engineering", now="2026-11-27 08:40")
    as_(calls, ENGINEERING, "complaint", "resolve", "1", "--note", "fixed", now="2026-11-27 10:00")
    as_(calls, KEEPER, "complaint", "close", "1", now="2026-11-27 10:30")
    as_(
        calls,
        KEEPER,
        "complaint",
        "open",
        "1-101",
        "--channel",
        "visit",
        "--summary",
        "parking",
        now="2026-11-27 10:40",
    )
    as_(calls, KEEPER, "complaint", "route", "3", "--dept", "engineering", now="2026-11-27 10:45")
    as_(
        calls,
        KEEPER,
        "complaint",
        "open",
        "1-101",
        "--channel",
        "letter",
        "--severity",
        "major",
        "--summary",
        "rude guard",
        now="2026-11-27 10:50",
    )
    as_(calls, KEEPER, "complaint", "route", "4", "--dept", "security", now="2026-11-27 10:55")
    as_(calls, SECURITY, "complaint", "resolve", "4", "--note", "retrained", now="2026-11-27 11:00")
    return calls


CLOSED_NOTE = (
    "nothing more is done on a closed matter; `careops complaint reopen C-2026-00001 --reason TEXT` if it is "
    "not done."
)
NEED_WHO = (
    'Error: Say who raised it: a household or contact (REF), or --from "NAME PHONE" for anyone else (only a '
    "suggestion-box slip may be anonymous)."
)
NOT_ROUTED = "route it to the responsible department first: `careops complaint route C-2026-00002 --dept DEPT`."


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (
            ("complaint", "answer", "C-2026-00001", "--note", "x"),
            1,
            f"Error: C-2026-00001 is closed: {CLOSED_NOTE}",
        ),
        (
            ("complaint", "resolve", "1", "--note", "x"),
            1,
            f"Error: C-2026-00001 is closed: {CLOSED_NOTE}",
        ),
        (("complaint", "chase", "1"), 1, f"Error: C-2026-00001 is closed: {CLOSED_NOTE}"),
        (("complaint", "close", "1"), 1, f"Error: C-2026-00001 is closed: {CLOSED_NOTE}"),
        (
            ("complaint", "route", "1", "--dept", "security"),
            1,
            "Error: C-2026-00001 is closed: a closed matter is not routed again; "
            "`careops complaint reopen C-2026-00001 --reason TEXT` first.",
        ),
        (
            ("complaint", "resolve", "C-2026-00002", "--note", "x"),
            1,
            f"Error: C-2026-00002 is not routed yet: {NOT_ROUTED}",
        ),
        (
            ("complaint", "escalate", "2", "--to", LEADER, "--note", "x"),
            1,
            f"Error: C-2026-00002 is not routed yet: {NOT_ROUTED}",
        ),
        (("complaint", "chase", "2"), 1, f"Error: C-2026-00002 is not routed yet: {NOT_ROUTED}"),
        (
            ("complaint", "cohandle", "2", "--dept", "security"),
            1,
            f"Error: C-2026-00002 is not routed yet: {NOT_ROUTED}",
        ),
        (
            ("complaint", "close", "3"),
            1,
            "Error: C-2026-00003 is routed: resolve it first "
            "(`careops complaint resolve C-2026-00003 --note TEXT`); only an inquiry or visit "
            "feedback is closed once answered, and praise at once.",
        ),
        (
            ("complaint", "close", "2"),
            1,
            "Error: C-2026-00002 is not routed yet: resolve it first "
            "(`careops complaint resolve C-2026-00002 --note TEXT`); only an inquiry or visit "
            "feedback is closed once answered, and praise at once.",
        ),
        (
            ("complaint", "close", "4"),
            1,
            "Error: C-2026-00004 is a major matter: close it with --archive --summary TEXT "
            "(H3.1: the outcome of important matters is written up and archived).",
        ),
        (
            ("complaint", "close", "4", "--archive"),
            1,
            "Error: An archived matter needs its write-up: --summary TEXT.",
        ),
        (("complaint", "close", "4", "--summary", "x"), 1, "Error: --summary goes with --archive."),
        (
            ("complaint", "resolve", "4", "--note", "x"),
            1,
            "Error: C-2026-00004 is resolved: it is resolved already (on 2026-11-27 11:00).",
        ),
        (
            ("complaint", "chase", "4"),
            1,
            "Error: C-2026-00004 is resolved: it is resolved already (on 2026-11-27 11:00).",
        ),
        (
            ("complaint", "route", "4", "--dept", "x"),
            1,
            "Error: C-2026-00004 is resolved: it is resolved already; reopen it first if the matter is not done.",
        ),
        (
            ("complaint", "answer", "4", "--note", "x"),
            1,
            "Error: C-2026-00004 is resolved: the person was answered on 2026-11-27 11:00 already.",
        ),
        (
            ("complaint", "reopen", "2", "--reason", "x"),
            1,
            "Error: C-2026-00002 is not routed yet: only a resolved or closed matter is reopened.",
        ),
        (
            ("complaint", "reopen", "3", "--reason", "x"),
            1,
            "Error: C-2026-00003 is routed: only a resolved or closed matter is reopened.",
        ),
        (("complaint", "reopen", "4", "--reason", "  "), 1, "Error: Say it with --reason TEXT."),
        (("complaint", "answer", "2", "--note", " "), 1, "Error: Say it with --note TEXT."),
        (("complaint", "route", "2", "--dept", " "), 1, "Error: Say it with --dept TEXT."),
        (
            ("complaint", "route", "2", "--dept", "security", "--handler", "Nobody"),
            1,
            "Error: No staff member matches 'Nobody'. See `careops staff list`, or add them with `careops staff add`.",
        ),
        (
            ("complaint", "escalate", "3", "--to", ENGINEERING, "--note", "x"),
            1,
            "Error: Ma Gang handles C-2026-00003 already; escalate to someone above the department (leadership).",
        ),
        (
            ("complaint", "cohandle", "3", "--dept", "Engineering"),
            1,
            "Error: Engineering is the responsible department already.",
        ),
        (
            ("complaint", "answer", "X-1", "--note", "x"),
            1,
            "Error: 'X-1' is not a register number like C-2026-00042 (or its id, 42).",
        ),
        (
            ("complaint", "show", "X-1"),
            1,
            "Error: 'X-1' is not a register number like C-2026-00042 (or its id, 42).",
        ),
        (
            ("complaint", "route", "", "--dept", "x"),
            1,
            "Error: '' is not a register number like C-2026-00042 (or its id, 42).",
        ),
        (
            ("complaint", "answer", "C-2026-00099", "--note", "x"),
            1,
            "Error: There is no register entry C-2026-00099. See `careops complaint list`.",
        ),
        (
            ("complaint", "show", "99"),
            1,
            "Error: There is no register entry 99. See `careops complaint list`.",
        ),
        (
            ("complaint", "reopen", "C-2025-00001", "--reason", "x"),
            1,
            "Error: There is no register entry C-2025-00001. See `careops complaint list`.",
        ),
        (("complaint", "open", "--channel", "hotline", "--summary", "x"), 1, NEED_WHO),
        (
            (
                "complaint",
                "open",
                "--from",
                "13800001111",
                "--channel",
                "hotline",
                "--summary",
                "x",
            ),
            1,
            NEED_WHO,
        ),
        (
            (
                "complaint",
                "open",
                "1-101",
                "--from",
                "Li Na",
                "--channel",
                "hotline",
                "--summary",
                "x",
            ),
            1,
            'Error: Give either REF or --from "NAME PHONE", not both.',
        ),
        (
            ("complaint", "open", "1-101", "--channel", "hotline"),
            1,
            "Error: Say what the matter is with --summary TEXT.",
        ),
        (
            (
                "complaint",
                "open",
                "1-101",
                "--channel",
                "hotline",
                "--summary",
                "x",
                "--at",
                "2026-11-27 12:00",
            ),
            1,
            "Error: 2026-11-27 12:00 is later than now (2026-11-27 11:30); register the matter once it has come in.",
        ),
        (
            ("complaint", "open", "1-101", "--channel", "fax", "--summary", "x"),
            2,
            "Error: Invalid value for '--channel': 'fax' is not one of 'hotline', 'letter', 'box', 'visit', 'walk-in'. "
            "(see `careops complaint open --help`)",
        ),
        (
            (
                "complaint",
                "open",
                "1-101",
                "--channel",
                "hotline",
                "--summary",
                "x",
                "--severity",
                "huge",
            ),
            2,
            "Error: Invalid value for '--severity': 'huge' is not one of 'urgent', 'general', 'major'. "
            "(see `careops complaint open --help`)",
        ),
        (
            ("complaint", "reopen", "4"),
            2,
            "Error: Missing option '--reason'. (see `careops complaint reopen --help`)",
        ),
    ],
)
def test_steps_out_of_order_are_refused_and_write_nothing(states, db, argv, code, message):
    before = counts(db)
    assert refused(states, "--as", KEEPER, *argv, now="2026-11-27 11:30", code=code) == message
    assert counts(db) == before


def test_a_voided_matter_takes_no_more_steps(calls, db):
    assert ok(
        calls,
        "void",
        "complaint",
        "C-2026-00002",
        "--reason",
        "entered twice",
        now="2026-11-27 09:00",
    ).stdout == ("Voided complaint C-2026-00002: entered twice\n")
    before = counts(db)
    assert refused(calls, "complaint", "route", "2", "--dept", "x", now="2026-11-27 09:30") == (
        "Error: C-2026-00002 is void (entered twice)."
    )
    assert counts(db) == before
    assert [m["number"] for m in calls.json("complaint", "list", now="2026-11-27 09:30")] == [
        "C-2026-00001"
    ]
    assert [i["ref"] for i in calls.json("due", "--staff", KEEPER, now="2026-11-27 09:30")] == [
        "C-2026-00001"
    ]


def test_voiding_a_resolved_complaint_cancels_its_revisit(calls):
    as_(calls, KEEPER, "complaint", "route", "2", "--dept", "engineering", now="2026-11-27 08:40")
    as_(
        calls,
        ENGINEERING,
        "complaint",
        "resolve",
        "2",
        "--note",
        "roof sealed",
        now="2026-11-27 15:00",
    )
    assert ok(
        calls, "void", "complaint", "2", "--reason", "not our building", now="2026-11-27 16:00"
    ).stdout == ("Voided complaint C-2026-00002: not our building\nFollow-up #1 cancelled.\n")
    assert [
        i
        for i in calls.json("due", "--all", "--staff", BUTLER, now="2026-11-27 16:00")
        if i["kind"] != "cadence"
    ] == []


def test_an_anonymous_slip_and_praise_need_no_answer(site, db):
    assert as_(
        site,
        KEEPER,
        "complaint",
        "open",
        "--channel",
        "box",
        "--summary",
        "dog mess by block 3",
        now="2026-11-27 09:00",
    ).stdout == (
        "Registered C-2026-00001: complaint, general, by box, from (anonymous).\n"
        "An anonymous slip has nobody to answer and no answer deadline: route it to the "
        "department that can act on it.\n"
    )
    assert as_(
        site,
        KEEPER,
        "complaint",
        "open",
        "1-101",
        "--channel",
        "letter",
        "--kind",
        "praise",
        "--summary",
        "thanks to Wang Fang",
        now="2026-11-27 09:10",
    ).stdout == (
        "Registered C-2026-00002: praise, general, by letter, from Zhang San (1-101).\n"
        "Praise needs no answer: pass it on and close it (`careops complaint close C-2026-00002`).\n"
    )
    assert site.json("due", "--staff", KEEPER, now="2026-12-01 09:00") == []
    assert site.json("complaint", "list", "--overdue", now="2026-12-01 09:00") == []
    assert [
        (m["number"], m["answer_by"], m["overdue"])
        for m in site.json("complaint", "list", now="2026-12-01 09:00")
    ] == [("C-2026-00002", None, False), ("C-2026-00001", None, False)]


# --- bugs ------------------------------------------------------------------------------------------------


def test_a_short_number_names_its_year(calls, db):
    before = counts(db)
    assert (
        refused(
            calls,
            "--as",
            KEEPER,
            "complaint",
            "route",
            "C-2025-1",
            "--dept",
            "engineering",
            now="2026-11-27 09:00",
        )
        == "Error: There is no register entry C-2025-1. See `careops complaint list`."
    )
    assert counts(db) == before


def test_a_callers_complaint_has_no_revisit_and_a_visit_cannot_name_one(calls, db):
    # Li Na is no resident: resolving her complaint writes no follow-up, so no household's visit can settle it.
    as_(calls, KEEPER, "complaint", "route", "1", "--dept", "engineering", now="2026-11-27 08:40")
    as_(
        calls,
        ENGINEERING,
        "complaint",
        "resolve",
        "1",
        "--note",
        "motor replaced",
        now="2026-11-27 16:00",
    )
    assert db.count("obligation") == 0
    before = counts(db)
    assert refused(
        calls,
        "--as",
        BUTLER,
        "log-visit",
        "1-101",
        "--by",
        BUTLER,
        "--channel",
        "door",
        "--purpose",
        "complaint-revisit",
        "--satisfied",
        "no",
        now="2026-11-28 10:00",
    ) == (
        "Error: Zhang San (1-101) has no open follow-up for 'complaint-revisit'. "
        "See `careops followup list --ref 1-101`."
    )
    assert counts(db) == before
    assert calls.json("complaint", "show", "1", now="2026-11-28 10:00")["state"] == "resolved"


def test_voiding_the_revisit_visit_undoes_its_verdict(calls):
    as_(calls, KEEPER, "complaint", "route", "2", "--dept", "engineering", now="2026-11-27 08:40")
    as_(
        calls,
        ENGINEERING,
        "complaint",
        "resolve",
        "2",
        "--note",
        "roof sealed",
        now="2026-11-27 15:00",
    )
    as_(
        calls,
        BUTLER,
        "log-visit",
        "1-101",
        "--by",
        BUTLER,
        "--channel",
        "door",
        "--for",
        "1",
        "--satisfied",
        "no",
        now="2026-11-30 10:00",
    )
    assert ok(
        calls, "void", "visit", "1", "--reason", "the visit never happened", now="2026-11-30 11:00"
    ).stdout == (
        "Voided visit #1: the visit never happened\n"
        "Follow-up #1 is open again (the contact that settled it was voided).\n"
    )
    shown = calls.json("complaint", "show", "2", now="2026-11-30 11:00")
    assert shown["followups"] == [
        {"id": 1, "clause": "P4.8", "rule": "complaint-revisit", "state": "open", "verdict": None}
    ]
    assert (shown["state"], shown["verdict"]) == ("resolved", None)
    assert [
        i["rule"]
        for i in calls.json("due", "--all", "--staff", ENGINEERING, now="2026-11-30 11:00")
    ] == []


@pytest.mark.parametrize("number", ["²", "99999999999999999999"])
def test_odd_numbers_are_refused_plainly(calls, db, number):
    before = counts(db)
    line = refused(calls, "complaint", "show", number, now=NOW)
    assert counts(db) == before
    assert "Unexpected" not in line, line


@pytest.mark.parametrize("name", ["Radiology", "#99"])
def test_routing_to_a_department_that_is_not_recorded_is_refused_and_writes_nothing(
    states, db, name
):
    before = counts(db)
    line = refused(
        states, "--as", KEEPER, "complaint", "route", "2", "--dept", name, now="2026-11-27 11:30"
    )
    assert line == (
        f"Error: There is no department '{name}'. Recorded: engineering, security. Add it with "
        "`careops dept add NAME`."
    )
    assert counts(db) == before
    assert db.count("dept") == 2

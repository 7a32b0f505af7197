"""Two clerks at once in the hospital office: racing `meeting hold`s record each meeting's minutes and attendees
once, racing `action done` / `action explain` close each action item once, a meeting voided while its items are
being closed leaves each item either closed or voided (and says so truly), cards typed in at once are all kept,
and a new department named by two clerks at once is recorded once — the loser of each race is refused cleanly
(one `Error:` line, exit 1), never with "database is locked", a database error or a double write.

The processes import careops first, then start together at a barrier, so their commands really do meet.
On PostgreSQL (CAREOPS_TEST_PG) the same tests run against the server.
"""

from __future__ import annotations

import pytest
import together

from conftest import NOW, ok

THEN = "2026-11-02 09:00"
MEETINGS = 8
CLERKS, CARDS = 3, 12


def run_together(commands_per_process, *, lockstep=False, hold=None, delays=None):
    """The clerks' commands, each clerk a process, started together (see together.py)."""
    return together.run_together(
        commands_per_process,
        env={"CAREOPS_USER": "Office Clerk"},
        lockstep=lockstep,
        hold=hold,
        delays=delays,
    )


def refusals(outputs) -> list[str]:
    return [out for one in outputs for code, out in one if code != 0]


def clean(line: str) -> bool:
    """One `Error:` line, and not a database's complaint."""
    return (
        line.startswith("Error: ")
        and "|" not in line
        and "database" not in line
        and "Unexpected" not in line
        and "Traceback" not in line
    )


@pytest.fixture
def hospital(cli, monkeypatch):
    """Xu Guoliang (#1, leadership), Zhou Wenjing (#2, office), Song Lihua (#3, head of Surgery, clinical); ward
    forums #1 … #8 of Surgery scheduled on 2026-11-02 for 2026-11-20 … 2026-11-27."""
    monkeypatch.setenv("CAREOPS_USER", "Office Clerk")
    ok(cli, "staff", "add", "Xu Guoliang", "--role", "leadership", now=THEN)
    ok(cli, "staff", "add", "Zhou Wenjing", "--role", "office", now=THEN)
    ok(cli, "staff", "add", "Song Lihua", "--role", "dept-head", now=THEN)
    ok(cli, "dept", "add", "Surgery", "--clinical", "--head", "Song Lihua", now=THEN)
    for k in range(MEETINGS):
        ok(
            cli,
            "meeting",
            "schedule",
            "ward-forum",
            "--date",
            f"2026-11-{20 + k}",
            "--dept",
            "Surgery",
            now=THEN,
        )
    return cli


def test_two_clerks_holding_the_same_meetings_at_once_record_each_once(hospital, db):
    # One clerk goes through the forums from the first, the other from the last: they meet in the middle.
    holds = [
        [["meeting", "hold", str(n), *attendees, "--minutes", f"minutes by {clerk}"] for n in order]
        for clerk, attendees, order in (
            ("A", ["--attendee", "Bed 1", "--attendee", "Bed 2"], range(1, MEETINGS + 1)),
            (
                "B",
                ["--attendee", "Bed 3", "--attendee", "Bed 4", "--attendee", "Bed 5"],
                range(MEETINGS, 0, -1),
            ),
        )
    ]

    outputs = run_together(holds)

    lines = refusals(outputs)
    assert len(lines) == MEETINGS, (
        lines
    )  # every meeting: held by one clerk, a clean refusal for the other
    assert all(
        clean(line) and line.startswith("Error: Meeting #") and "its minutes are recorded" in line
        for line in lines
    ), lines
    assert db.rows("SELECT count(*) FROM meeting WHERE held_day IS NOT NULL") == [(MEETINGS,)]
    # Each meeting has one clerk's minutes and that same clerk's attendees, never a mix or a double.
    rows = db.rows(
        "SELECT m.id, m.minutes, count(a.position) FROM meeting m JOIN meeting_attendee a ON "
        "a.meeting_id = m.id GROUP BY m.id, m.minutes ORDER BY m.id"
    )
    assert [(r[0], {"minutes by A": 2, "minutes by B": 3}[r[1]]) for r in rows] == [
        (r[0], r[2]) for r in rows
    ]
    assert [r[0] for r in rows] == list(range(1, MEETINGS + 1))
    assert db.scalar("SELECT count(*) FROM audit WHERE action = 'hold'") == MEETINGS
    assert {m["state"] for m in hospital.json("meeting", "list", now=NOW)} == {"held"}


@pytest.fixture
def opinions(hospital):
    """Forum #1 held on 2026-11-20; its opinions are action items #1 … #8, for Song Lihua."""
    ok(hospital, "meeting", "hold", "1", "--attendee", "Bed 12", "--minutes", "noise, food, chairs")
    for k in range(MEETINGS):
        ok(hospital, "meeting", "opinion", "1", f"opinion {k}", "--owner", "Song Lihua")
    return hospital


def test_two_clerks_closing_the_same_action_items_at_once_close_each_once(opinions, db):
    closes = [
        [["action", "done", str(n), "--note", "done by A"] for n in range(1, MEETINGS + 1)],
        [["action", "explain", str(n), "--note", "explained by B"] for n in range(MEETINGS, 0, -1)],
    ]

    outputs = run_together(closes)

    lines = refusals(outputs)
    assert len(lines) == MEETINGS, lines
    assert all(
        clean(line) and line.startswith("Error: Action item #") and "is closed already" in line
        for line in lines
    ), lines
    rows = db.rows("SELECT id, state, closed_note FROM action_item ORDER BY id")
    assert len(rows) == MEETINGS
    assert all(
        (state, note) in (("done", "done by A"), ("explained", "explained by B"))
        for _id, state, note in rows
    ), rows
    audited = db.rows(
        "SELECT record_id, action FROM audit WHERE kind = 'action' AND action IN ('done', 'explained') "
        "ORDER BY record_id"
    )
    assert audited == [(id_, state) for id_, state, _note in rows]
    assert opinions.json("action", "list", "--open", now=NOW) == []


def test_a_meeting_voided_while_its_items_are_closed_leaves_each_item_closed_or_voided(
    opinions, db
):
    racing = [
        [["action", "done", str(n), "--note", "done"] for n in range(MEETINGS, 0, -1)],
        [["void", "meeting", "1", "--reason", "wrong ward"]],
    ]

    outputs = run_together(racing)

    assert_closed_or_voided(outputs, db)


def test_a_meeting_voided_while_an_item_is_being_closed_says_what_it_voided(opinions, db, db_url):
    # The first clerk's `action done 1` has closed #1 and waits to audit it when the second voids the meeting.
    racing = [
        [["action", "done", str(n), "--note", "done"] for n in range(1, MEETINGS + 1)],
        [["void", "meeting", "1", "--reason", "wrong ward"]],
    ]

    outputs = run_together(racing, hold=(db_url, "audit"), delays=[0.0, 0.5])

    assert_closed_or_voided(outputs, db)


def assert_closed_or_voided(outputs, db) -> None:
    ((void_code, void_out),) = outputs[1]
    assert void_code == 0, void_out
    rows = db.rows("SELECT id, state, void_reason FROM action_item ORDER BY id")
    closed = [id_ for id_, state, reason in rows if state == "done" and reason is None]
    voided = [id_ for id_, state, reason in rows if state == "open" and reason == "wrong ward"]
    assert sorted(closed + voided) == list(range(1, MEETINGS + 1)), rows
    # Every `action done` after the void was refused cleanly; the void names exactly the items it voided.
    lines = refusals(outputs)
    assert all(
        clean(line)
        and line == f"Error: Action item #{line.split('#')[1].split(' ')[0]} is void (wrong ward)."
        for line in lines
    ), lines
    assert len(lines) == len(voided)
    cancelled = sorted(int(part.split("#")[1].split(" ")[0]) for part in void_out.split(" | ")[1:])
    assert cancelled == voided, (void_out, rows)


def test_clerks_typing_in_anonymous_cards_at_once_keep_every_card(hospital, db, db_url):
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
        "--question",
        "care:Quality of care",
    )
    cards = [
        [
            ["survey", "respond", "1", "--score", f"care={k % 5 + 1}", "--dept", "Surgery"]
            for k in range(CARDS)
        ]
        for _clerk in range(CLERKS)
    ]

    outputs = run_together(cards, lockstep=True, hold=(db_url, "survey_score"))

    assert refusals(outputs) == []
    assert db.count("survey_answer") == CLERKS * CARDS
    assert db.count("survey_score") == CLERKS * CARDS
    assert db.scalar("SELECT sum(score) FROM survey_score") == CLERKS * sum(
        k % 5 + 1 for k in range(CARDS)
    )
    assert db.scalar("SELECT count(*) FROM audit WHERE action = 'answer'") == 0


@pytest.mark.parametrize("spelling", ["the same", "in other cases"])
def test_clerks_naming_the_same_new_department_at_once_record_it_once(
    hospital, db, db_url, spelling
):
    cases = (str, str.upper, str.lower) if spelling == "in other cases" else (str, str, str)
    adding = [
        [["staff", "add", f"Nurse {clerk}", "--dept", case("Ward 5")]]
        for clerk, case in zip("ABC", cases, strict=True)
    ]

    # Each clerk has looked for the department and recorded it, and waits to audit that: then they go on together.
    outputs = run_together(adding, hold=(db_url, "audit"))

    assert refusals(outputs) == []
    [(name,)] = db.rows(
        "SELECT name FROM dept WHERE name != 'Surgery'"
    )  # as the first clerk spelt it
    assert name.lower() == "ward 5"
    assert db.rows("SELECT name, dept FROM staff WHERE dept IS NOT NULL ORDER BY name") == [
        ("Nurse A", name),
        ("Nurse B", name),
        ("Nurse C", name),
    ]
    assert (
        db.scalar(
            "SELECT count(*) FROM audit WHERE kind = 'dept' AND lower(detail) = 'department ward 5 added'"
        )
        == 1
    )


@pytest.mark.parametrize("spelling", ["the same", "in other cases"])
def test_clerks_adding_the_same_department_at_once_add_it_once(hospital, db, db_url, spelling):
    cases = (str, str.upper, str.lower) if spelling == "in other cases" else (str, str, str)
    adding = [[["dept", "add", case("Ward 5"), "--clinical"]] for case in cases]

    outputs = run_together(adding, hold=(db_url, "audit"))

    lines = refusals(outputs)
    assert len(lines) == 2, lines  # one clerk adds it; the others are told it is recorded already
    assert all(
        clean(line) and line.startswith("Error: Department '") and "is recorded already" in line
        for line in lines
    ), lines
    assert [
        name.lower() for (name,) in db.rows("SELECT name FROM dept WHERE name != 'Surgery'")
    ] == ["ward 5"]
    assert (
        db.scalar("SELECT count(*) FROM audit WHERE kind = 'dept' AND action = 'add'") == 2
    )  # Surgery's, Ward 5's

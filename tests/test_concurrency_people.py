"""Two clerks at once on employee relations: racing `leave start`s open one case per employee, racing
notifications of an appeal's decision store each recipient once — the loser of each race is refused cleanly
(one `Error:` line, exit 1), never with "database is locked" or a double write.

The processes import careops first, then start together at a barrier, so their commands really do meet.
On PostgreSQL (CAREOPS_TEST_PG) the same tests run against the server: the staff row (leave start) and the
appeal row (notify) are locked for the command's transaction.
"""

from __future__ import annotations

import pytest
import together

from conftest import NOW, ok

EMPLOYEES = 8


def run_together(commands_per_process):
    """Each clerk's commands in a process of their own, started together (see together.py)."""
    return together.run_together(commands_per_process, env={"CAREOPS_USER": "Office Clerk"})


def refusals(outputs) -> list[str]:
    """Each refused command as "exit-code output"."""
    return [f"{code} {out}" for one in outputs for code, out in one if code != 0]


@pytest.fixture
def company(cli, monkeypatch):
    """GM Qian (#1, gm), HR Sun (#2, hr), Li Hua (#3, dept-head) and her reports Emp 0 … Emp 7 (#4 … #11)."""
    monkeypatch.setenv("CAREOPS_USER", "Office Clerk")
    ok(cli, "staff", "add", "GM Qian", "--role", "gm")
    ok(cli, "staff", "add", "HR Sun", "--role", "hr", "--reports-to", "GM Qian")
    ok(
        cli,
        "staff",
        "add",
        "Li Hua",
        "--role",
        "dept-head",
        "--dept",
        "sales",
        "--reports-to",
        "GM Qian",
    )
    for k in range(EMPLOYEES):
        ok(cli, "staff", "add", f"Emp {k}", "--dept", "sales", "--reports-to", "Li Hua")
    return cli


def test_two_clerks_starting_the_same_leaving_cases_at_once_open_one_case_each(company, db):
    # One clerk goes through the list from the top, the other from the bottom: they meet in the middle.
    starts = [
        [["leave", "start", f"Emp {k}", "--last-day", "2026-12-31"] for k in order]
        for order in (range(EMPLOYEES), reversed(range(EMPLOYEES)))
    ]

    results = run_together(starts)

    lines = refusals(results)
    assert len(lines) == EMPLOYEES, lines  # every employee: one case opened, one clean refusal
    assert all(
        line.startswith("1 Error: Emp ")
        and "already has an open leave case" in line
        and "|" not in line
        for line in lines
    ), lines
    assert db.rows(
        "SELECT staff_id, count(*) FROM leave_case GROUP BY staff_id ORDER BY staff_id"
    ) == [(4 + k, 1) for k in range(EMPLOYEES)]
    assert db.count("leave_step") == EMPLOYEES * 3  # handover, exit-interview, final-pay
    assert db.scalar("SELECT count(*) FROM audit WHERE action = 'start'") == EMPLOYEES
    cases = company.json("leave", "list", "--open", now=NOW)
    assert sorted(c["employee"] for c in cases) == [f"Emp {k}" for k in range(EMPLOYEES)]


def test_a_leaving_case_and_a_transfer_started_at_once_make_one_case(company, db):
    racing = [
        [["leave", "start", f"Emp {k}", "--last-day", "2026-12-31"] for k in range(EMPLOYEES)],
        [
            ["transfer", "start", f"Emp {k}", "--to-dept", "marketing"]
            for k in reversed(range(EMPLOYEES))
        ],
    ]

    results = run_together(racing)

    lines = refusals(results)
    assert len(lines) == EMPLOYEES, lines
    assert all(
        line.startswith("1 Error: Emp ") and "already has an open" in line for line in lines
    ), lines
    assert db.rows(
        "SELECT staff_id, count(*) FROM leave_case GROUP BY staff_id ORDER BY staff_id"
    ) == [(4 + k, 1) for k in range(EMPLOYEES)]
    transfers = db.scalar("SELECT count(*) FROM leave_case WHERE kind = 'transfer'")
    # A transfer also records its E2.2 event; a refused one records none.
    assert db.scalar("SELECT count(*) FROM event WHERE kind = 'transfer'") == transfers
    assert db.count("leave_step") == 3 * (EMPLOYEES - transfers) + transfers


@pytest.fixture
def decided(company):
    """Appeals #1 … #8, one from each employee to Li Hua, each decided at NOW."""
    for k in range(EMPLOYEES):
        ok(
            company,
            "appeal",
            "file",
            f"Emp {k}",
            "--to",
            "Li Hua",
            "--channel",
            "in-person",
            "--grounds",
            "measure",
            "--summary",
            f"shift plan {k}",
        )
        ok(company, "appeal", "decide", str(k + 1), "--decision", "changed")
    return company


def test_two_clerks_notifying_hr_of_the_same_decisions_at_once_store_one_notification_each(
    decided, db
):
    notices = [
        [["appeal", "notify", str(n), "--to", "hr", "--via", via] for n in order]
        for via, order in (("email", range(1, EMPLOYEES + 1)), ("written", range(EMPLOYEES, 0, -1)))
    ]

    results = run_together(notices)

    lines = refusals(results)
    assert len(lines) == EMPLOYEES, lines
    assert all(
        line.startswith("1 Error: The hr was notified already for round 1 (2026-11-27 08:30, ")
        for line in lines
    ), lines
    assert db.rows(
        "SELECT appeal_id, count(*) FROM appeal_step WHERE action = 'notify' GROUP BY appeal_id "
        "ORDER BY appeal_id"
    ) == [(n, 1) for n in range(1, EMPLOYEES + 1)]
    assert db.scalar("SELECT count(*) FROM audit WHERE action = 'notify'") == EMPLOYEES
    assert {a["state"] for a in decided.json("appeal", "list", now=NOW)} == {"decided"}


def test_two_clerks_notifying_all_three_at_once_close_each_appeal_once(decided, db):
    recipients = ("appellant", "gm", "hr")
    notices = [
        [
            ["appeal", "notify", str(n), "--to", to, "--via", "email"]
            for n in range(1, EMPLOYEES + 1)
            for to in order
        ]
        for order in (recipients, recipients[::-1])
    ]

    results = run_together(notices)

    lines = refusals(results)
    assert len(lines) == 3 * EMPLOYEES, lines  # every (appeal, recipient): one stored, one refused
    assert all(
        line.startswith("1 Error: ") and ("was notified already" in line or "is closed" in line)
        for line in lines
    ), lines
    assert db.rows(
        "SELECT appeal_id, notified, count(*) FROM appeal_step WHERE action = 'notify' "
        "GROUP BY appeal_id, notified ORDER BY appeal_id, notified"
    ) == [(n, to, 1) for n in range(1, EMPLOYEES + 1) for to in recipients]
    assert db.rows("SELECT state, count(*) FROM appeal GROUP BY state") == [("closed", EMPLOYEES)]
    assert db.scalar("SELECT count(*) FROM appeal WHERE closed_at IS NULL") == 0
    # Everyone notified is involved once per role, however the race went.
    assert db.scalar("SELECT count(*) FROM appeal_person WHERE role = 'notified'") == 3 * EMPLOYEES

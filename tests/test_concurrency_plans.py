"""Visit plans drafted and approved at once (P1): several drafts of the same butler's month leave exactly one live
plan (the others void, "redrafted"), and an approval racing a redraft never leaves an approved plan with the
other's items, nor an approval lost on a voided plan — the loser of a race is refused cleanly (one `Error:` line,
exit 1), never with "database is locked", a database error or a double write.

Separate processes against one database file (or one PostgreSQL database with CAREOPS_TEST_PG), started together
as in test_concurrency_office.py; on PostgreSQL the plan table is locked until every process waits on it, so every
process has read what it reads before it writes, and waits: the widest race, every time.
"""

from __future__ import annotations

import re

import pytest
from test_concurrency_office import clean, refusals, run_together

from conftest import NOW, ok

THEN = "2026-11-02 09:00"
MONTHS = ["2026-12", "2027-01", "2027-02", "2027-03", "2027-04", "2027-05"]
HOUSEHOLDS = 6


@pytest.fixture
def site(cli):
    """Butlers Wang Fang (#1, zone A, six households) and Zhao Lei (#2, zone B, one), supervisor Chen Jing (#3)."""
    ok(cli, "staff", "add", "Wang Fang", "--role", "butler", now=THEN)
    ok(cli, "staff", "add", "Zhao Lei", "--role", "butler", now=THEN)
    ok(cli, "staff", "add", "Chen Jing", "--role", "supervisor", now=THEN)
    ok(cli, "zone", "add", "A", "--butler", "Wang Fang", now=THEN)
    ok(cli, "zone", "add", "B", "--butler", "Zhao Lei", now=THEN)
    for k in range(HOUSEHOLDS):
        ok(
            cli,
            "resident",
            "add",
            f"Owner {k}",
            "--unit",
            f"1-1-{101 + k}",
            "--zone",
            "A",
            now=THEN,
        )
    ok(cli, "resident", "add", "Zhou Min", "--unit", "2-1-101", "--zone", "B", now=THEN)
    return cli


def live_plans(db, month: str) -> list[tuple]:
    return db.rows(
        "SELECT p.id, p.staff_id, p.approved_at IS NOT NULL FROM visit_plan p WHERE p.period = 'month' "
        "AND p.first_day = :first AND p.voided_at IS NULL ORDER BY p.id",
        first=f"{month}-01",
    )


def items_of(db, plan_id: int) -> int:
    return db.scalar("SELECT count(*) FROM visit_plan_item WHERE plan_id = :id", id=plan_id)


def drafted_count(db, plan_id: int) -> int:
    """How many households the plan's draft said it placed (its audit row)."""
    detail = db.scalar(
        "SELECT detail FROM audit WHERE kind = 'plan' AND action = 'draft' AND record_id = :id",
        id=plan_id,
    )
    return int(re.search(r": (\d+) households", detail).group(1))


@pytest.mark.parametrize("how", ["the same command", "one butler and every butler"])
def test_drafts_of_the_same_month_at_once_leave_one_live_plan(site, db, db_url, how):
    commands = (
        [["plan", "month", "--staff", "Wang Fang", "--month", "2026-12"]] * 3
        if how == "the same command"
        else [
            ["plan", "month", "--staff", "Wang Fang", "--month", "2026-12"],
            ["plan", "month", "--month", "2026-12"],
            ["plan", "month", "--staff", "#1", "--month", "2026-12"],
        ]
    )

    outputs = run_together([[argv] for argv in commands], hold=(db_url, "visit_plan"))

    assert refusals(outputs) == []  # a draft is never refused: the later one replaces the earlier
    wang = db.rows(
        "SELECT id, voided_at IS NULL, void_reason FROM visit_plan WHERE staff_id = 1 ORDER BY id"
    )
    assert len(wang) == 3, wang
    assert [live for _id, live, _reason in wang] == [False, False, True]
    assert [reason for _id, _live, reason in wang] == ["redrafted", "redrafted", None]
    (live_id,) = [id_ for id_, live, _reason in wang if live]
    assert items_of(db, live_id) == HOUSEHOLDS
    assert all(
        items_of(db, id_) == HOUSEHOLDS for id_, _live, _reason in wang
    )  # a replaced draft keeps its items
    # Each draft replaced the one before it, as it said: a chain, never two drafts replacing the same one.
    replaced = sorted(
        int(m)
        for one in outputs
        for _code, out in one
        for m in re.findall(r"Wang Fang, 2026-12: .*?replaces draft #(\d+)", out)
    )
    assert replaced == [id_ for id_, live, _reason in wang if not live]
    assert (
        db.scalar(
            "SELECT count(*) FROM audit WHERE kind = 'plan' AND action = 'void' AND staff_id = 1"
        )
        == 2
    )
    assert len(live_plans(db, "2026-12")) == (2 if how == "one butler and every butler" else 1)


@pytest.fixture
def drafted(site):
    """Wang Fang's plans for December 2026 … May 2027 (#1 … #6), then a seventh household, Late Owner: a redraft
    now places seven households where the first drafts placed six."""
    for month in MONTHS:
        ok(site, "plan", "month", "--staff", "Wang Fang", "--month", month, now=NOW)
    ok(site, "resident", "add", "Late Owner", "--unit", "1-1-199", "--zone", "A", now=NOW)
    return site


@pytest.mark.parametrize("offset", [0.0, 0.05])
def test_approve_racing_a_redraft_never_approves_the_other_plans_items(drafted, db, db_url, offset):
    redrafts = [["plan", "month", "--staff", "Wang Fang", "--month", month] for month in MONTHS]
    approvals = [
        ["plan", "approve", "--staff", "Wang Fang", "--month", month, "--by", "Chen Jing"]
        for month in MONTHS
    ]

    outputs = run_together(
        [redrafts, approvals], lockstep=True, hold=(db_url, "visit_plan"), delays=[0.0, offset]
    )

    assert all(clean(line) for line in refusals(outputs)), refusals(outputs)
    for k, month in enumerate(MONTHS):
        (redraft_code, redraft_out), (approve_code, approve_out) = outputs[0][k], outputs[1][k]
        [(live_id, staff_id, approved)] = live_plans(db, month)
        assert staff_id == 1
        original = k + 1
        if approve_code == 0:
            approved_id = int(
                re.fullmatch(
                    rf"Approved Wang Fang's visit plan for {month} \(#(\d+)\), by Chen Jing\.",
                    approve_out.split(" | ")[0],
                ).group(1)
            )
            assert (live_id, approved) == (approved_id, True), (month, redraft_out, approve_out)
            assert (
                db.scalar(
                    "SELECT record_id FROM audit WHERE kind = 'plan' AND action = 'approve' AND "
                    "detail = :d",
                    d=f"approved the plan for {month}",
                )
                == approved_id
            )
        else:
            assert not approved, (month, redraft_out, approve_out)
        if redraft_code == 0:  # it came first: the original draft is void, and was never approved
            assert "replaces draft #" + str(original) in redraft_out, redraft_out
            assert live_id != original
            assert items_of(db, live_id) == HOUSEHOLDS + 1
        else:  # the approval came first: the redraft was refused and the approved plan is the original
            assert redraft_out.startswith(
                f"Error: Wang Fang's plan for {month} was approved by Chen Jing on "
            ), redraft_out
            assert (live_id, approved, approve_code) == (original, True, 0)
            assert items_of(db, live_id) == HOUSEHOLDS
        # The live plan holds exactly the households its own draft placed.
        assert items_of(db, live_id) == drafted_count(db, live_id)
    # No approval was recorded on a plan that a redraft then voided.
    assert (
        db.scalar(
            "SELECT count(*) FROM visit_plan WHERE voided_at IS NOT NULL AND approved_at IS NOT NULL"
        )
        == 0
    )
    assert db.scalar(
        "SELECT count(*) FROM audit WHERE kind = 'plan' AND action = 'approve'"
    ) == sum(code == 0 for code, _out in outputs[1])


def test_approving_the_same_year_at_once_records_it_once(site, db, db_url):
    approving = [
        [["plan", "approve", "--staff", "Wang Fang", "--year", "2027", "--by", "Chen Jing"]]
    ] * 3

    outputs = run_together(approving, hold=(db_url, "visit_plan"))

    lines = refusals(outputs)
    assert (
        lines
        == ["Error: Wang Fang's plan for 2027 is already approved (by Chen Jing on 2026-11-27)."]
        * 2
    ), lines
    assert db.rows(
        "SELECT staff_id, period, approved_by_id, voided_at IS NULL FROM visit_plan"
    ) == [(1, "year", 3, True)]
    assert db.scalar("SELECT count(*) FROM audit WHERE kind = 'plan' AND action = 'approve'") == 1

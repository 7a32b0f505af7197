"""P1 routine visits: the scheduler called directly with a fixed clock.

Each occupied household needs one reached door-or-phone contact per calendar
month (owner: its zone's butler; anyone's contact counts); each household not
moved in needs one per calendar quarter.
"""

from __future__ import annotations

from datetime import date

import pytest

from careops.scheduler.satisfied import Satisfied, satisfied_by
from careops.services.residents import edit_resident
from careops.services.zones import edit_zone
from careops.vocab import Channel, Outcome, Status

from conftest import clock
from scheduling import brief, household, items, local, two_zone_site, visit

MONTHLY = "p1-monthly-visit"
QUARTERLY = "p1-quarterly-call"


@pytest.fixture
def site(session):
    return two_zone_site(session)


# --- the monthly visit -------------------------------------------------------------------


def test_p1_monthly_visit_due_until_month_end(session, policy, site):
    h = household(session, "1-101", "2026-03-05 08:00")

    [item] = items(session, policy, "2026-03-20 08:30")

    assert item.rule == MONTHLY
    assert item.clause == "P1"
    assert item.strength == "must"
    assert item.kind == "cadence"
    assert (item.subject_type, item.subject_id, item.subject_unit) == ("household", h, "1-101")
    assert (item.owner_id, item.owner_name) == (site.wang, "Wang")
    assert item.due == date(2026, 3, 31)
    assert item.status == "due"
    assert item.last_contact is None
    assert item.period == "2026-03"
    assert item.ref is None
    assert item.zone == "A"


def test_p1_monthly_visit_reached_door_or_phone_satisfies(session, policy, site):
    door = household(session, "1-101", "2026-02-10 08:00")
    phone = household(session, "1-102", "2026-02-10 08:00")
    untouched = household(session, "1-103", "2026-02-10 08:00")
    visit(session, policy, door, "Wang", "2026-03-03 10:00", Channel.door)
    visit(session, policy, phone, "Wang", "2026-03-04 10:00", Channel.phone)

    assert brief(items(session, policy, "2026-03-20 08:30", MONTHLY)) == [
        (MONTHLY, untouched, "due", date(2026, 3, 31))
    ]


def test_p1_monthly_visit_any_staff_member_counts(session, policy, site):
    by_other_butler = household(session, "1-101", "2026-01-05 08:00")
    by_manager = household(session, "1-102", "2026-01-05 08:00")
    untouched = household(session, "1-103", "2026-01-05 08:00")
    visit(session, policy, by_other_butler, "Li", "2026-03-03 10:00")
    visit(session, policy, by_manager, "Zhao", "2026-03-04 10:00", Channel.phone)

    [item] = items(session, policy, "2026-03-20 08:30", MONTHLY)

    assert (item.subject_id, item.owner_id) == (untouched, site.wang)


def test_p1_monthly_visit_busy_and_no_answer_do_not_satisfy(session, policy, site):
    busy = household(session, "1-101", "2026-02-10 08:00")
    silent = household(session, "1-102", "2026-02-10 08:00")
    visit(session, policy, busy, "Wang", "2026-03-03 10:00", Channel.phone, Outcome.busy)
    visit(session, policy, silent, "Wang", "2026-03-03 10:05", Channel.phone, Outcome.no_answer)

    found = items(session, policy, "2026-03-20 08:30", MONTHLY)

    assert sorted((i.subject_id, i.status, i.last_contact) for i in found) == [
        (busy, "due", None),
        (silent, "due", None),
    ]


def test_p1_monthly_visit_owner_is_zone_butler_after_handover(session, policy, site):
    h = household(session, "1-101", "2026-03-02 08:00")
    edit_zone(session=session, clock=clock("2026-03-10 09:00"), name="A", butler="Li")

    [item] = items(session, policy, "2026-03-20 08:30", MONTHLY)

    assert (item.owner_id, item.owner_name) == (site.li, "Li")
    assert [i.subject_id for i in items(session, policy, "2026-03-20 08:30", owner_id=site.li)] == [
        h
    ]
    assert items(session, policy, "2026-03-20 08:30", owner_id=site.wang) == []


def test_p1_monthly_visit_scope_by_owner_and_zone(session, policy, site):
    a = household(session, "1-101", "2026-03-02 08:00", zone="A")
    b = household(session, "2-101", "2026-03-02 08:00", zone="B")
    now = "2026-03-20 08:30"

    assert [i.subject_id for i in items(session, policy, now, owner_id=site.wang)] == [a]
    assert [i.subject_id for i in items(session, policy, now, owner_id=site.li)] == [b]
    assert [i.subject_id for i in items(session, policy, now, MONTHLY, zone_id=site.zone_b)] == [b]
    assert items(session, policy, now, MONTHLY, owner_id=site.zhao) == []


# --- overdue carry-over ------------------------------------------------------------------


def test_p1_monthly_visit_overdue_when_whole_previous_month_missed(session, policy, site):
    never = household(session, "1-101", "2026-01-10 08:00")
    january_only = household(session, "1-102", "2026-01-10 08:00")
    visit(session, policy, january_only, "Wang", "2026-01-20 10:00")

    found = items(session, policy, "2026-03-10 08:30", MONTHLY)

    assert [(i.subject_id, i.status, i.due, i.last_contact) for i in found] == [
        (never, "overdue", date(2026, 3, 31), None),
        (january_only, "overdue", date(2026, 3, 31), local("2026-01-20 10:00")),
    ]


def test_p1_monthly_visit_only_due_when_partially_under_rule_last_month(session, policy, site):
    from_first_day = household(session, "1-101", "2026-02-01 08:00")
    from_mid_month = household(session, "1-102", "2026-02-10 08:00")

    found = items(session, policy, "2026-03-05 08:30", MONTHLY)

    assert sorted((i.subject_id, i.status) for i in found) == [
        (from_first_day, "overdue"),
        (from_mid_month, "due"),
    ]


def test_p1_monthly_visit_contact_last_month_is_due_not_overdue(session, policy, site):
    h = household(session, "1-101", "2025-12-01 08:00")
    visit(session, policy, h, "Wang", "2026-02-27 16:00")

    [item] = items(session, policy, "2026-03-05 08:30", MONTHLY)

    assert (item.subject_id, item.status, item.due, item.last_contact) == (
        h,
        "due",
        date(2026, 3, 31),
        local("2026-02-27 16:00"),
    )


def test_p1_monthly_visit_busy_last_month_still_overdue(session, policy, site):
    h = household(session, "1-101", "2025-12-01 08:00")
    visit(session, policy, h, "Wang", "2026-02-27 16:00", Channel.phone, Outcome.busy)

    [item] = items(session, policy, "2026-03-05 08:30", MONTHLY)

    assert (item.subject_id, item.status, item.last_contact) == (h, "overdue", None)


# --- period boundaries -------------------------------------------------------------------


def test_p1_monthly_visit_month_end_boundary(session, policy, site):
    visited = household(session, "1-101", "2026-03-01 08:00")
    missed = household(session, "1-102", "2026-03-01 08:00")
    visit(session, policy, visited, "Wang", "2026-03-15 10:00")

    assert brief(items(session, policy, "2026-03-31 20:00", MONTHLY)) == [
        (MONTHLY, missed, "due", date(2026, 3, 31))
    ]
    assert sorted(brief(items(session, policy, "2026-04-01 08:00", MONTHLY))) == [
        (MONTHLY, visited, "due", date(2026, 4, 30)),
        (MONTHLY, missed, "overdue", date(2026, 4, 30)),
    ]


def test_p1_monthly_visit_dec_to_jan_year_change(session, policy, site):
    november_only = household(session, "1-101", "2025-11-01 08:00")
    new_year_eve = household(session, "1-102", "2025-11-01 08:00")
    visit(session, policy, november_only, "Wang", "2025-11-15 10:00")
    visit(session, policy, new_year_eve, "Wang", "2025-12-31 23:30")

    found = items(session, policy, "2026-01-02 08:30", MONTHLY)

    assert sorted((i.subject_id, i.status, i.due, i.period, i.last_contact) for i in found) == [
        (november_only, "overdue", date(2026, 1, 31), "2026-01", local("2025-11-15 10:00")),
        (new_year_eve, "due", date(2026, 1, 31), "2026-01", local("2025-12-31 23:30")),
    ]


# --- time-zone edges ---------------------------------------------------------------------


def test_p1_visit_at_2330_local_on_month_end_counts_for_that_month(session, policy, site):
    # 23:30 in Shanghai on 31 January is 15:30 UTC the same day: January, in both clocks.
    h = household(session, "1-101", "2025-12-01 08:00")
    visit(session, policy, h, "Wang", "2026-01-31 23:30")

    assert items(session, policy, "2026-01-31 23:45", MONTHLY) == []
    [item] = items(session, policy, "2026-02-01 00:10", MONTHLY)
    assert (item.status, item.period, item.last_contact) == (
        "due",
        "2026-02",
        local("2026-01-31 23:30"),
    )


def test_p1_visit_early_on_the_first_counts_for_the_new_month_not_the_old_utc_one(
    session, policy, site
):
    # 07:30 on 1 February in Shanghai is still 31 January in UTC: it belongs to February.
    h = household(session, "1-101", "2025-12-01 08:00")
    visit(session, policy, h, "Wang", "2026-01-10 10:00")
    visit(session, policy, h, "Wang", "2026-02-01 07:30")

    assert items(session, policy, "2026-02-01 09:00", MONTHLY) == []
    [item] = items(session, policy, "2026-03-02 09:00", MONTHLY)
    assert (item.status, item.last_contact) == ("due", local("2026-02-01 07:30"))


def test_p1_visit_just_before_local_midnight_is_not_next_months(session, policy, site):
    # Only a late-January visit: February must list the household (due, not overdue).
    h = household(session, "1-101", "2025-12-01 08:00")
    visit(session, policy, h, "Wang", "2026-01-31 23:59")

    [item] = items(session, policy, "2026-02-28 23:00", MONTHLY)
    assert (item.subject_id, item.status, item.due) == (h, "due", date(2026, 2, 28))


# --- the quarterly call for households not moved in --------------------------------------


def test_p1_quarterly_call_not_moved_in_due_until_quarter_end(session, policy, site):
    h = household(session, "1-101", "2026-01-05 08:00", status=Status.not_moved_in)

    found = items(session, policy, "2026-02-10 08:30")

    assert [
        (i.rule, i.clause, i.subject_id, i.status, i.due, i.period, i.owner_id) for i in found
    ] == [(QUARTERLY, "P1", h, "due", date(2026, 3, 31), "2026-Q1", site.wang)]


def test_p1_quarterly_call_satisfied_once_per_quarter(session, policy, site):
    called = household(session, "1-101", "2026-01-05 08:00", status=Status.not_moved_in)
    busy = household(session, "1-102", "2026-01-05 08:00", status=Status.not_moved_in)
    visit(session, policy, called, "Li", "2026-01-20 10:00", Channel.phone)
    visit(session, policy, busy, "Wang", "2026-01-20 10:05", Channel.phone, Outcome.busy)

    assert brief(items(session, policy, "2026-03-31 20:00")) == [
        (QUARTERLY, busy, "due", date(2026, 3, 31))
    ]


def test_p1_quarterly_call_quarter_end_boundary_and_carry_over(session, policy, site):
    missed = household(session, "1-101", "2025-12-20 08:00", status=Status.not_moved_in)
    called_late = household(session, "1-102", "2025-12-20 08:00", status=Status.not_moved_in)
    partial = household(session, "1-103", "2026-01-02 08:00", status=Status.not_moved_in)
    visit(session, policy, called_late, "Wang", "2026-03-31 20:30", Channel.phone)

    found = items(session, policy, "2026-04-01 08:30", QUARTERLY)

    assert sorted((i.subject_id, i.status, i.due, i.period) for i in found) == [
        (missed, "overdue", date(2026, 6, 30), "2026-Q2"),
        (called_late, "due", date(2026, 6, 30), "2026-Q2"),
        (partial, "due", date(2026, 6, 30), "2026-Q2"),
    ]


def test_p1_quarterly_call_dec_to_jan_year_change(session, policy, site):
    h = household(session, "1-101", "2025-09-01 08:00", status=Status.not_moved_in)
    visit(session, policy, h, "Wang", "2025-09-20 10:00", Channel.phone)

    [item] = items(session, policy, "2026-01-02 08:30", QUARTERLY)

    assert (item.subject_id, item.status, item.due, item.period, item.last_contact) == (
        h,
        "overdue",
        date(2026, 3, 31),
        "2026-Q1",
        local("2025-09-20 10:00"),
    )


def test_p1_moving_in_switches_household_from_quarterly_call_to_monthly_visit(
    session, policy, site
):
    h = household(session, "1-101", "2025-09-01 08:00", status=Status.not_moved_in)
    edit_resident(
        session=session,
        clock=clock("2026-03-10 09:00"),
        ref=f"#{h}",
        status=Status.occupied,
        moved_in=date(2026, 3, 10),
    )

    # Under the monthly rule only from 10 March: April lists it as due, not overdue.
    assert brief(items(session, policy, "2026-04-02 08:30")) == [
        (MONTHLY, h, "due", date(2026, 4, 30))
    ]


# --- facts after now ---------------------------------------------------------------------


def test_p1_visit_after_now_is_ignored(session, policy, site):
    h = household(session, "1-101", "2026-01-05 08:00")
    visit(session, policy, h, "Wang", "2026-02-10 10:00")
    visit(session, policy, h, "Wang", "2026-03-20 10:00")

    [item] = items(session, policy, "2026-03-10 08:30", MONTHLY)

    assert (item.subject_id, item.status, item.last_contact) == (
        h,
        "due",
        local("2026-02-10 10:00"),
    )


def test_p1_household_recorded_after_now_is_listed_as_due_never_overdue(session, policy, site):
    # Our choice: --now hides later facts (visits, callbacks), not later records, so a command run
    # with a past --now still sees every household; such a household is never overdue.
    h = household(session, "1-101", "2026-03-25 08:00")

    [item] = items(session, policy, "2026-03-10 08:30")

    assert (item.rule, item.subject_id, item.status, item.due) == (
        MONTHLY,
        h,
        "due",
        date(2026, 3, 31),
    )


# --- what a visit newly satisfied --------------------------------------------------------


def test_p1_log_visit_reports_monthly_visit_satisfied_first_time_only(session, policy, site):
    h = household(session, "1-101", "2026-01-05 08:00")

    first = visit(session, policy, h, "Wang", "2026-03-03 10:00")
    second = visit(session, policy, h, "Li", "2026-03-10 10:00")

    assert first.satisfied == [Satisfied(MONTHLY, "P1", "monthly visit", "2026-03")]
    assert second.satisfied == []


def test_p1_log_visit_busy_satisfies_nothing(session, policy, site):
    h = household(session, "1-101", "2026-01-05 08:00")

    result = visit(session, policy, h, "Wang", "2026-03-03 10:00", Channel.phone, Outcome.busy)

    assert result.satisfied == []
    assert items(session, policy, "2026-03-03 12:00", MONTHLY)[0].subject_id == h


def test_p1_satisfied_by_quarterly_call_reports_the_quarter(session, policy, site):
    h = household(session, "1-101", "2026-01-05 08:00", status=Status.not_moved_in)

    result = visit(session, policy, h, "Wang", "2026-05-06 10:00", Channel.phone)

    assert result.satisfied == [
        Satisfied(QUARTERLY, "P1", "quarterly call, not moved in", "2026-Q2")
    ]


def test_p1_satisfied_by_2330_local_visit_is_for_that_month(session, policy, site):
    h = household(session, "1-101", "2026-01-05 08:00")
    result = visit(session, policy, h, "Wang", "2026-01-31 23:30")

    assert result.satisfied == [Satisfied(MONTHLY, "P1", "monthly visit", "2026-01")]
    # Asked again directly about the same visit row, the answer does not change.
    again = satisfied_by(session.connection(), policy, clock("2026-02-05 08:00"), result.visit)
    assert again == [Satisfied(MONTHLY, "P1", "monthly visit", "2026-01")]


def test_p1_satisfied_by_early_morning_visit_on_the_first_is_for_the_new_month(
    session, policy, site
):
    # 07:30 on 1 February in Shanghai is 23:30 UTC on 31 January: the visit is February's.
    h = household(session, "1-101", "2026-01-05 08:00")
    visit(session, policy, h, "Wang", "2026-01-20 10:00")

    result = visit(session, policy, h, "Wang", "2026-02-01 07:30")

    assert result.satisfied == [Satisfied(MONTHLY, "P1", "monthly visit", "2026-02")]

"""P2 the center manager's own contacts: the scheduler called directly with a fixed clock.

Owner and qualifying contact: the staff member with role manager. Committee
chair monthly (only if one exists); one key-attention household a month (one
item for the whole group); community office every two months; housing bureau
every quarter.
"""

from __future__ import annotations

from datetime import date

import pytest

from careops.scheduler.satisfied import Satisfied
from careops.vocab import Channel, ContactKind, Outcome

from scheduling import brief, contact, household, items, local, two_zone_site, visit

CHAIR = "p2-committee-chair"
KEY = "p2-key-household"
OFFICE = "p2-community-office"
BUREAU = "p2-housing-bureau"
MONTHLY = "p1-monthly-visit"
KEY_SATISFIED = Satisfied(KEY, "P2", "one key-attention household, monthly", "2026-03")
MONTHLY_SATISFIED = Satisfied(MONTHLY, "P1", "monthly visit", "2026-03")


@pytest.fixture
def site(session):
    return two_zone_site(session)


# --- committee chair ---------------------------------------------------------------------


def test_p2_committee_chair_monthly_owned_by_manager(session, policy, site):
    chair = contact(session, "Chair Sun", ContactKind.committee_chair, "2026-02-10 09:00")

    [item] = items(session, policy, "2026-03-05 08:30")

    assert (item.rule, item.clause, item.strength, item.kind) == (CHAIR, "P2", "must", "cadence")
    assert (item.subject_type, item.subject_id, item.subject_name, item.subject_unit) == (
        "contact",
        chair,
        "Chair Sun",
        None,
    )
    assert (item.owner_id, item.owner_name) == (site.zhao, "Zhao")
    assert (item.due, item.status, item.period, item.last_contact) == (
        date(2026, 3, 31),
        "due",
        "2026-03",
        None,
    )


def test_p2_committee_chair_only_when_a_chair_exists(session, policy, site):
    assert items(session, policy, "2026-03-05 08:30") == []


def test_p2_committee_chair_only_a_manager_contact_counts(session, policy, site):
    chair = contact(session, "Chair Sun", ContactKind.committee_chair, "2026-02-10 09:00")
    visit(session, policy, chair, "Wang", "2026-03-03 10:00")

    [item] = items(session, policy, "2026-03-05 08:30", CHAIR)
    assert (item.subject_id, item.status, item.last_contact) == (chair, "due", None)

    visit(session, policy, chair, "Zhao", "2026-03-06 10:00", Channel.phone)
    assert items(session, policy, "2026-03-06 12:00", CHAIR) == []


def test_p2_committee_chair_busy_does_not_count(session, policy, site):
    chair = contact(session, "Chair Sun", ContactKind.committee_chair, "2026-02-10 09:00")
    visit(session, policy, chair, "Zhao", "2026-03-03 10:00", Channel.phone, Outcome.busy)

    assert brief(items(session, policy, "2026-03-05 08:30", CHAIR)) == [
        (CHAIR, chair, "due", date(2026, 3, 31))
    ]


def test_p2_committee_chair_overdue_carry_over(session, policy, site):
    chair = contact(session, "Chair Sun", ContactKind.committee_chair, "2025-12-01 09:00")
    visit(session, policy, chair, "Zhao", "2026-01-15 10:00")
    visit(
        session, policy, chair, "Wang", "2026-02-15 10:00"
    )  # not the manager: February stays missed

    [item] = items(session, policy, "2026-03-02 08:30", CHAIR)

    assert (item.status, item.due, item.last_contact) == (
        "overdue",
        date(2026, 3, 31),
        local("2026-01-15 10:00"),
    )


def test_p2_committee_chair_dec_to_jan_year_change(session, policy, site):
    chair = contact(session, "Chair Sun", ContactKind.committee_chair, "2025-10-01 09:00")
    visit(session, policy, chair, "Zhao", "2025-12-31 23:30")

    assert items(session, policy, "2025-12-31 23:50", CHAIR) == []
    [item] = items(session, policy, "2026-01-01 00:10", CHAIR)
    assert (item.status, item.due, item.period, item.last_contact) == (
        "due",
        date(2026, 1, 31),
        "2026-01",
        local("2025-12-31 23:30"),
    )


# --- one key-attention household a month (a group item) ----------------------------------


def test_p2_one_key_household_per_month_listed_as_one_group_item(session, policy, site):
    household(session, "1-101", "2026-02-10 09:00", "A", ("key",))
    household(session, "1-102", "2026-02-10 09:00", "A", ("key",))
    household(session, "2-101", "2026-02-10 09:00", "B", ("key",))
    household(session, "2-102", "2026-02-10 09:00", "B")

    [item] = items(session, policy, "2026-03-05 08:30", KEY)

    assert (item.clause, item.strength, item.kind) == ("P2", "must", "cadence")
    assert (item.subject_type, item.subject_id, item.subject_name, item.subject_unit) == (
        "group",
        "tag:key",
        "key-attention households (3)",
        None,
    )
    assert (item.owner_id, item.owner_name) == (site.zhao, "Zhao")
    assert (item.due, item.status, item.period, item.last_contact) == (
        date(2026, 3, 31),
        "due",
        "2026-03",
        None,
    )
    # The key households are listed one by one only under P1, never under P2.
    assert sorted(i.rule for i in items(session, policy, "2026-03-05 08:30")) == [MONTHLY] * 4 + [
        KEY
    ]


def test_p2_one_key_household_per_month_any_member(session, policy, site):
    household(session, "1-101", "2026-02-10 09:00", "A", ("key",))
    b = household(session, "2-101", "2026-02-10 09:00", "B", ("key",))
    visit(session, policy, b, "Zhao", "2026-03-04 15:00", Channel.phone)

    assert items(session, policy, "2026-03-05 08:30", KEY) == []
    # Next month the group is due again (not overdue: March had its contact).
    [item] = items(session, policy, "2026-04-01 08:30", KEY)
    assert (item.status, item.due, item.last_contact) == (
        "due",
        date(2026, 4, 30),
        local("2026-03-04 15:00"),
    )


def test_p2_key_household_contact_by_butler_does_not_count(session, policy, site):
    a = household(session, "1-101", "2026-02-10 09:00", "A", ("key",))
    visit(session, policy, a, "Wang", "2026-03-04 10:00")

    assert brief(items(session, policy, "2026-03-05 08:30", KEY)) == [
        (KEY, "tag:key", "due", date(2026, 3, 31))
    ]


def test_p2_key_household_busy_or_no_answer_does_not_count(session, policy, site):
    a = household(session, "1-101", "2026-02-10 09:00", "A", ("key",))
    b = household(session, "1-102", "2026-02-10 09:00", "A", ("key",))
    visit(session, policy, a, "Zhao", "2026-03-04 10:00", Channel.phone, Outcome.busy)
    visit(session, policy, b, "Zhao", "2026-03-04 10:05", Channel.phone, Outcome.no_answer)

    [item] = items(session, policy, "2026-03-05 08:30", KEY)
    assert (item.status, item.last_contact) == ("due", None)


def test_p2_key_household_group_overdue_when_missed_last_month(session, policy, site):
    a = household(session, "1-101", "2025-12-01 09:00", "A", ("key",))
    household(session, "1-102", "2025-12-01 09:00", "A", ("key",))
    visit(session, policy, a, "Zhao", "2026-01-20 10:00")

    [item] = items(session, policy, "2026-03-03 08:30", KEY)

    assert (item.subject_id, item.status, item.due, item.last_contact) == (
        "tag:key",
        "overdue",
        date(2026, 3, 31),
        local("2026-01-20 10:00"),
    )


def test_p2_key_household_group_only_due_when_first_tagged_last_month(session, policy, site):
    household(session, "1-101", "2026-02-10 09:00", "A", ("key",))

    [item] = items(session, policy, "2026-03-03 08:30", KEY)

    assert item.status == "due"


def test_p2_key_household_no_group_item_without_key_households(session, policy, site):
    household(session, "1-101", "2026-02-10 09:00", "A", ("vip",))

    assert items(session, policy, "2026-03-05 08:30", KEY) == []


def test_p2_key_household_contact_after_now_is_ignored(session, policy, site):
    a = household(session, "1-101", "2026-02-10 09:00", "A", ("key",))
    visit(session, policy, a, "Zhao", "2026-03-20 10:00")

    [item] = items(session, policy, "2026-03-10 08:30", KEY)
    assert (item.status, item.last_contact) == ("due", None)


# --- community office (two-month periods) and housing bureau (quarters) ------------------


def test_p2_community_office_every_two_months_jan_feb_mar_apr(session, policy, site):
    visited = contact(session, "Office East", ContactKind.community_office, "2025-12-01 09:00")
    missed = contact(session, "Office West", ContactKind.community_office, "2025-12-01 09:00")
    visit(session, policy, visited, "Zhao", "2026-01-10 10:00")

    feb = items(session, policy, "2026-02-27 08:30", OFFICE)
    assert [(i.subject_id, i.status, i.due, i.period) for i in feb] == [
        (missed, "due", date(2026, 2, 28), "2026-01..2026-02")
    ]

    march = items(session, policy, "2026-03-02 08:30", OFFICE)
    assert sorted((i.subject_id, i.status, i.due, i.period) for i in march) == [
        (visited, "due", date(2026, 4, 30), "2026-03..2026-04"),
        (missed, "overdue", date(2026, 4, 30), "2026-03..2026-04"),
    ]


def test_p2_community_office_only_a_manager_contact_counts(session, policy, site):
    office = contact(session, "Office East", ContactKind.community_office, "2026-01-05 09:00")
    visit(session, policy, office, "Li", "2026-02-03 10:00")

    assert brief(items(session, policy, "2026-02-10 08:30", OFFICE)) == [
        (OFFICE, office, "due", date(2026, 2, 28))
    ]


def test_p2_housing_bureau_quarterly_quarter_end(session, policy, site):
    bureau = contact(session, "Housing Bureau", ContactKind.housing_bureau, "2025-12-15 09:00")

    assert brief(items(session, policy, "2026-03-31 20:00", BUREAU)) == [
        (BUREAU, bureau, "due", date(2026, 3, 31))
    ]

    visit(session, policy, bureau, "Zhao", "2026-03-31 23:30")
    assert items(session, policy, "2026-03-31 23:45", BUREAU) == []
    [item] = items(session, policy, "2026-04-01 00:05", BUREAU)
    assert (item.status, item.due, item.period, item.last_contact, item.owner_id) == (
        "due",
        date(2026, 6, 30),
        "2026-Q2",
        local("2026-03-31 23:30"),
        site.zhao,
    )


def test_p2_housing_bureau_overdue_after_a_missed_quarter(session, policy, site):
    bureau = contact(session, "Housing Bureau", ContactKind.housing_bureau, "2025-12-15 09:00")
    visit(session, policy, bureau, "Wang", "2026-02-15 10:00")  # a butler's visit does not count

    [item] = items(session, policy, "2026-04-01 08:30", BUREAU)
    assert (item.subject_id, item.status, item.due, item.last_contact) == (
        bureau,
        "overdue",
        date(2026, 6, 30),
        None,
    )


# --- ownership: any staff for P1, the manager only for P2 -------------------------------


def test_p2_any_staff_counts_for_p1_but_only_the_manager_for_p2(session, policy, site):
    a = household(session, "1-101", "2026-02-10 09:00", "A", ("key",))
    by_butler = visit(session, policy, a, "Li", "2026-03-03 10:00")

    assert by_butler.satisfied == [MONTHLY_SATISFIED]
    assert brief(items(session, policy, "2026-03-05 08:30")) == [
        (KEY, "tag:key", "due", date(2026, 3, 31))
    ]


def test_p2_items_belong_to_the_manager_scope_only(session, policy, site):
    household(session, "1-101", "2026-02-10 09:00", "A", ("key",))
    chair = contact(session, "Chair Sun", ContactKind.committee_chair, "2026-02-10 09:00")
    office = contact(session, "Office East", ContactKind.community_office, "2026-02-10 09:00")
    bureau = contact(session, "Housing Bureau", ContactKind.housing_bureau, "2026-02-10 09:00")
    now = "2026-03-05 08:30"

    mine = items(session, policy, now, owner_id=site.zhao)
    assert sorted((i.rule, str(i.subject_id)) for i in mine) == sorted(
        [(CHAIR, str(chair)), (KEY, "tag:key"), (OFFICE, str(office)), (BUREAU, str(bureau))]
    )
    assert {i.owner_id for i in mine} == {site.zhao}
    assert [i.rule for i in items(session, policy, now, owner_id=site.wang)] == [MONTHLY]
    assert items(session, policy, now, owner_id=site.li) == []


def test_p2_without_a_manager_items_have_no_owner(session, policy):
    chair = contact(session, "Chair Sun", ContactKind.committee_chair, "2026-02-10 09:00")

    [item] = items(session, policy, "2026-03-05 08:30")

    assert (item.rule, item.subject_id, item.owner_id, item.owner_name) == (
        CHAIR,
        chair,
        None,
        None,
    )


# --- what a visit newly satisfied --------------------------------------------------------


def test_p2_log_visit_reports_key_household_once_per_month(session, policy, site):
    a = household(session, "1-101", "2026-02-10 09:00", "A", ("key",))
    b = household(session, "1-102", "2026-02-10 09:00", "A", ("key",))

    first = visit(session, policy, a, "Zhao", "2026-03-03 10:00")
    second = visit(session, policy, b, "Zhao", "2026-03-04 10:00")

    assert first.satisfied == [MONTHLY_SATISFIED, KEY_SATISFIED]
    assert second.satisfied == [MONTHLY_SATISFIED]


def test_p2_log_visit_reports_committee_chair_only_for_the_manager(session, policy, site):
    chair = contact(session, "Chair Sun", ContactKind.committee_chair, "2026-02-10 09:00")

    by_butler = visit(session, policy, chair, "Wang", "2026-03-03 10:00")
    by_manager = visit(session, policy, chair, "Zhao", "2026-03-04 10:00")

    assert by_butler.satisfied == []
    assert by_manager.satisfied == [
        Satisfied(CHAIR, "P2", "owners' committee chair, monthly", "2026-03")
    ]


def test_p2_log_visit_reports_the_two_month_period(session, policy, site):
    office = contact(session, "Office East", ContactKind.community_office, "2025-12-01 09:00")

    result = visit(session, policy, office, "Zhao", "2026-04-30 23:30")

    assert result.satisfied == [
        Satisfied(OFFICE, "P2", "community office, every two months", "2026-03..2026-04")
    ]


def test_p2_committee_chair_recorded_after_now_is_listed_as_due(session, policy, site):
    # Our choice: --now hides later facts, not later records (see docs/architecture.md).
    chair = contact(session, "Chair Sun", ContactKind.committee_chair, "2026-03-25 09:00")

    [item] = items(session, policy, "2026-03-10 08:30")

    assert (item.rule, item.subject_id, item.status) == ("p2-committee-chair", chair, "due")


def test_p2_key_household_tagged_after_now_still_counts_in_the_group(session, policy, site):
    household(session, "1-101", "2026-02-10 09:00", "A", ("key",))
    household(session, "1-102", "2026-03-25 09:00", "A", ("key",))

    [item] = items(session, policy, "2026-03-10 08:30", KEY)

    assert item.subject_name == "key-attention households (2)"

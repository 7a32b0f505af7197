"""Calendar periods, China's working days, call windows, and the daily share they drive."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest

from careops.calendar.callwindows import windows_on, within_windows
from careops.calendar.periods import Period, period_of
from careops.calendar.workdays import WorkCalendar
from careops.clock import parse_local
from careops.scheduler.cadence import Scope
from careops.scheduler.due import due_view
from careops.services.residents import add_resident
from careops.services.staff import add_staff
from careops.services.visits import log_visit
from careops.services.zones import add_zone
from careops.vocab import Channel, Role

from conftest import clock

MONTHLY = "p1-monthly-visit"


# --- periods -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "day", "start", "end", "label"),
    [
        ("month", date(2026, 1, 31), date(2026, 1, 1), date(2026, 1, 31), "2026-01"),
        ("month", date(2026, 2, 14), date(2026, 2, 1), date(2026, 2, 28), "2026-02"),
        ("month", date(2028, 2, 29), date(2028, 2, 1), date(2028, 2, 29), "2028-02"),
        ("month", date(2026, 11, 30), date(2026, 11, 1), date(2026, 11, 30), "2026-11"),
        ("month", date(2026, 12, 31), date(2026, 12, 1), date(2026, 12, 31), "2026-12"),
        ("two-month", date(2026, 1, 15), date(2026, 1, 1), date(2026, 2, 28), "2026-01..2026-02"),
        ("two-month", date(2026, 3, 1), date(2026, 3, 1), date(2026, 4, 30), "2026-03..2026-04"),
        ("two-month", date(2026, 4, 30), date(2026, 3, 1), date(2026, 4, 30), "2026-03..2026-04"),
        (
            "two-month",
            date(2026, 12, 31),
            date(2026, 11, 1),
            date(2026, 12, 31),
            "2026-11..2026-12",
        ),
        ("quarter", date(2026, 3, 31), date(2026, 1, 1), date(2026, 3, 31), "2026-Q1"),
        ("quarter", date(2026, 4, 1), date(2026, 4, 1), date(2026, 6, 30), "2026-Q2"),
        ("quarter", date(2026, 12, 31), date(2026, 10, 1), date(2026, 12, 31), "2026-Q4"),
        ("half-year", date(2026, 7, 1), date(2026, 7, 1), date(2026, 12, 31), "2026-07..2026-12"),
        ("year", date(2026, 6, 15), date(2026, 1, 1), date(2026, 12, 31), "2026"),
    ],
)
def test_calendar_period_of_boundaries(kind, day, start, end, label):
    period = period_of(kind, day)
    assert (period.start, period.end, period.label()) == (start, end, label)
    assert period.after == end + timedelta(days=1)


@pytest.mark.parametrize(
    ("kind", "day", "previous"),
    [
        ("month", date(2026, 1, 10), Period("month", date(2025, 12, 1), date(2025, 12, 31))),
        ("month", date(2026, 3, 31), Period("month", date(2026, 2, 1), date(2026, 2, 28))),
        ("two-month", date(2026, 2, 1), Period("two-month", date(2025, 11, 1), date(2025, 12, 31))),
        ("quarter", date(2026, 1, 1), Period("quarter", date(2025, 10, 1), date(2025, 12, 31))),
        ("year", date(2026, 1, 1), Period("year", date(2025, 1, 1), date(2025, 12, 31))),
    ],
)
def test_calendar_previous_period_crosses_dec_to_jan(kind, day, previous):
    assert period_of(kind, day).previous() == previous


def test_calendar_clock_local_vs_utc_at_month_end():
    late = clock("2026-01-31 23:30")
    assert late.today == date(2026, 1, 31)
    assert late.now_utc == datetime(2026, 1, 31, 15, 30)
    assert late.day_start_utc(date(2026, 2, 1)) == datetime(2026, 1, 31, 16, 0)
    # 16:30 UTC on 31 January is already 1 February in Shanghai.
    assert late.local_date(datetime(2026, 1, 31, 16, 30)) == date(2026, 2, 1)
    assert late.local_date(datetime(2026, 1, 31, 15, 59)) == date(2026, 1, 31)


# --- China's working days ----------------------------------------------------------------


def test_calendar_national_day_2026_and_make_up_working_days():
    cal = WorkCalendar()
    assert [cal.is_working_day(date(2026, 10, d)) for d in range(1, 12)] == [
        False,
        False,
        False,
        False,
        False,
        False,
        False,  # 1–7 October: National Day holidays
        True,
        True,
        True,  # Saturday 10 October: a make-up working day
        False,
    ]
    assert cal.is_working_day(date(2026, 9, 20)) is True  # a Sunday worked for National Day
    assert cal.is_working_day(date(2026, 9, 19)) is False  # an ordinary Saturday
    assert cal.unpublished_years == set()


@pytest.mark.parametrize(
    ("first", "last", "count"),
    [
        (date(2026, 10, 1), date(2026, 10, 31), 18),
        (date(2026, 10, 2), date(2026, 10, 31), 18),
        (date(2026, 10, 8), date(2026, 10, 31), 18),
        (date(2026, 10, 10), date(2026, 10, 31), 16),
        (date(2026, 10, 31), date(2026, 10, 31), 0),
        (date(2026, 10, 30), date(2026, 10, 30), 1),
    ],
)
def test_calendar_working_days_counts_both_ends(first, last, count):
    assert WorkCalendar().working_days(first, last) == count


def test_calendar_2027_unpublished_falls_back_and_is_recorded():
    cal = WorkCalendar()
    assert cal.is_working_day(date(2027, 1, 1)) is False  # New Year's Day, computable
    assert cal.is_working_day(date(2027, 1, 2)) is False  # a Saturday
    assert cal.is_working_day(date(2027, 1, 4)) is True
    assert cal.is_working_day(date(2027, 2, 8)) is False  # Spring Festival, computable
    assert cal.working_days(date(2027, 1, 4), date(2027, 1, 31)) == 20
    assert cal.unpublished_years == {2027}


# --- P3 call windows ---------------------------------------------------------------------


def test_p3_call_windows_none_on_monday(policy):
    assert windows_on(policy.call_windows, date(2026, 3, 9)) == []


def test_p3_call_windows_tuesday_to_sunday(policy):
    spans = [(time(9), time(12)), (time(14), time(17, 30)), (time(19), time(21))]
    assert [windows_on(policy.call_windows, date(2026, 3, d)) for d in range(10, 16)] == [spans] * 6


@pytest.mark.parametrize(
    ("when", "fine"),
    [
        ("2026-03-10 08:59", False),
        ("2026-03-10 09:00", True),
        ("2026-03-10 11:59", True),
        ("2026-03-10 12:00", False),
        ("2026-03-10 14:00", True),
        ("2026-03-10 17:29", True),
        ("2026-03-10 17:30", False),
        ("2026-03-10 19:00", True),
        ("2026-03-10 20:59", True),
        ("2026-03-10 21:00", False),
        ("2026-03-09 10:00", False),
        ("2026-03-15 10:00", True),
    ],
)
def test_p3_within_call_windows_boundaries(policy, when, fine):
    assert within_windows(policy.call_windows, parse_local(when)) is fine


# --- the daily share ---------------------------------------------------------------------


@pytest.fixture
def site(session):
    c = clock("2025-06-01 08:00")
    wang = add_staff(session=session, clock=c, name="Wang", role=Role.butler)
    li = add_staff(session=session, clock=c, name="Li", role=Role.butler)
    add_zone(session=session, clock=c, name="A", butler="Wang")
    add_zone(session=session, clock=c, name="B", butler="Li")
    return SimpleNamespace(wang=wang.id, li=li.id)


def visited_households(session, policy, zone: str, count: int, since: str, month: str) -> list[int]:
    """`count` households of `zone`, recorded at `since`, each visited once in `month` ("YYYY-MM"),
    the first listed the longest ago."""
    ids = []
    for k in range(count):
        h = add_resident(
            session=session,
            clock=clock(since),
            name=f"Owner {zone}{k:03d}",
            unit=f"{zone}-{k:03d}",
            zone_ref=zone,
        ).id
        when = f"{month}-{1 + k // 2:02d} {10 + 2 * (k % 2):02d}:00"
        log_visit(
            session=session,
            clock=clock(when),
            policy=policy,
            ref=f"#{h}",
            by="Wang",
            channel=Channel.door,
            at=parse_local(when),
        )
        ids.append(h)
    return ids


def share(session, policy, now: str, calendar: WorkCalendar | None = None, **scope):
    return due_view(
        session.connection(), policy, clock(now), calendar or WorkCalendar(), Scope(**scope)
    )


@pytest.mark.parametrize(
    ("now", "households", "shown"),
    [
        # 2 October, a holiday: 18 working days left (not the 21 weekdays) -> ceil(19/18) = 2.
        ("2026-10-02 09:00", 19, 2),
        # 8 October, first day back: 18 working days left, the Saturday 10th included -> ceil(36/18) = 2.
        ("2026-10-08 09:00", 36, 2),
        # Saturday 10 October, a make-up working day: 16 left, today included -> ceil(32/16) = 2.
        ("2026-10-10 09:00", 32, 2),
    ],
)
def test_p1_daily_share_national_day_2026_follows_china_working_days(
    session, policy, site, now, households, shown
):
    ids = visited_households(session, policy, "A", households, "2026-08-01 08:00", "2026-09")

    view = share(session, policy, now)

    assert [(i.rule, i.subject_id, i.status) for i in view.items] == [
        (MONTHLY, h, "due") for h in ids[:shown]
    ]
    assert view.remaining == Counter({"monthly visit": households - shown})


def test_p1_daily_share_per_owner_longest_uncontacted_first_plus_all_overdue(session, policy, site):
    wang_ids = visited_households(session, policy, "A", 36, "2026-08-01 08:00", "2026-09")
    li_ids = visited_households(session, policy, "B", 5, "2026-08-01 08:00", "2026-09")
    overdue = [
        add_resident(
            session=session,
            clock=clock("2026-08-01 08:00"),
            name=f"Owner Z{k}",
            unit=f"A-9{k}",
            zone_ref="A",
        ).id
        for k in range(2)
    ]

    view = share(session, policy, "2026-10-08 09:00")

    assert [(i.subject_id, i.status, i.owner_id) for i in view.items] == [
        (overdue[0], "overdue", site.wang),
        (overdue[1], "overdue", site.wang),
        (li_ids[0], "due", site.li),  # ceil(5/18) = 1
        (wang_ids[0], "due", site.wang),
        (wang_ids[1], "due", site.wang),  # ceil(36/18) = 2
    ]
    assert view.remaining == Counter({"monthly visit": 34 + 4})
    assert [
        i.subject_id for i in share(session, policy, "2026-10-08 09:00", owner_id=site.li).items
    ] == [li_ids[0]]


def test_p1_daily_share_on_a_non_working_last_day_shows_everything(session, policy, site):
    ids = visited_households(session, policy, "A", 5, "2026-08-01 08:00", "2026-09")

    view = share(session, policy, "2026-10-31 09:00")  # a Saturday, no working day left

    assert [i.subject_id for i in view.items] == ids
    assert view.remaining == Counter()


def test_p1_daily_share_show_all_lists_every_open_item(session, policy, site):
    ids = visited_households(session, policy, "A", 36, "2026-08-01 08:00", "2026-09")

    view = due_view(
        session.connection(),
        policy,
        clock("2026-10-08 09:00"),
        WorkCalendar(),
        Scope(),
        show_all=True,
    )

    assert [i.subject_id for i in view.items] == ids
    assert view.remaining == Counter()


def test_p1_daily_share_2027_falls_back_without_failing(session, policy, site):
    ids = visited_households(session, policy, "A", 21, "2026-11-01 08:00", "2026-12")
    calendar = WorkCalendar()

    view = share(session, policy, "2027-01-04 09:00", calendar)

    # Fallback: weekends and computable holidays only -> 20 working days from 4 January; ceil(21/20) = 2.
    assert [(i.subject_id, i.status, i.due) for i in view.items] == [
        (h, "due", date(2027, 1, 31)) for h in ids[:2]
    ]
    assert view.remaining == Counter({"monthly visit": 19})
    assert calendar.unpublished_years == {2027}


def test_p1_daily_share_in_2026_reports_no_unpublished_year(session, policy, site):
    visited_households(session, policy, "A", 3, "2026-08-01 08:00", "2026-09")
    calendar = WorkCalendar()

    share(session, policy, "2026-10-08 09:00", calendar)

    assert calendar.unpublished_years == set()


def test_p1_daily_share_shrinks_as_items_are_settled_today(session, policy, site):
    # 8 October 2026: 18 working days left; 54 open -> a share of 3, fixed from the morning.
    ids = visited_households(session, policy, "A", 54, "2026-08-01 08:00", "2026-09")
    assert [i.subject_id for i in share(session, policy, "2026-10-08 09:00").items] == ids[:3]

    log_visit(
        session=session,
        clock=clock("2026-10-08 10:00"),
        policy=policy,
        ref=f"#{ids[0]}",
        by="Wang",
        channel=Channel.door,
        at=parse_local("2026-10-08 10:00"),
    )
    # Settling one leaves two, not ceil(53/18) = 3.
    assert [i.subject_id for i in share(session, policy, "2026-10-08 10:01").items] == ids[1:3]

    log_visit(
        session=session,
        clock=clock("2026-10-08 11:00"),
        policy=policy,
        ref=f"#{ids[40]}",
        by="Wang",
        channel=Channel.door,
        at=parse_local("2026-10-08 11:00"),
    )
    # One settled outside the list still counts toward today's share.
    view = share(session, policy, "2026-10-08 11:01")
    assert [i.subject_id for i in view.items] == ids[1:2]
    assert view.remaining == Counter({"monthly visit": 51})
    # The next morning the share is counted afresh: ceil(52/17) = 4.
    assert [i.subject_id for i in share(session, policy, "2026-10-09 09:00").items] == ids[1:5]


def test_p1_daily_share_an_overdue_item_settled_today_leaves_the_share_alone(session, policy, site):
    # 8 October 2026: 18 working days left; 19 due -> a share of 2; one more household is overdue.
    ids = visited_households(session, policy, "A", 19, "2026-08-01 08:00", "2026-09")
    late = add_resident(
        session=session,
        clock=clock("2026-08-01 08:00"),
        name="Owner late",
        unit="A-900",
        zone_ref="A",
    ).id
    assert [i.subject_id for i in share(session, policy, "2026-10-08 09:00").items] == [
        late,
        *ids[:2],
    ]

    log_visit(
        session=session,
        clock=clock("2026-10-08 10:00"),
        policy=policy,
        ref=f"#{late}",
        by="Wang",
        channel=Channel.door,
        at=parse_local("2026-10-08 10:00"),
    )

    view = share(session, policy, "2026-10-08 10:01")
    assert [i.subject_id for i in view.items] == ids[:2]
    assert view.remaining == Counter({"monthly visit": 17})

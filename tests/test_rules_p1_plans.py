"""P1 visit plans: drafting a butler's month, approving it, approved plans in `due`, the supervisor's items and
the year at a glance — the scheduler and the plan services called directly with fixed clocks.

China's official calendar for the months used here (the `holidays` package): September 2026 works Sunday the
20th and rests Friday the 25th (Mid-Autumn); October 2026 rests 1–7 October (National Day) and works Saturday
the 10th; November 2026 has no exception; January 2026 rests 1–2 January and works Sunday the 4th.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select

from careops.calendar.workdays import WorkCalendar
from careops.errors import Conflict, InvalidInput, NotFound
from careops.scheduler.cadence import Scope
from careops.scheduler.due import due_view
from careops.scheduler.plans import supervisor_items
from careops.scheduler.tables import visit_plan, visit_plan_item
from careops.services.audit import audit
from careops.services.plans import Drafted, approve, draft_month, year_grid
from careops.services.staff import add_staff
from careops.services.void import void
from careops.vocab import Channel, Outcome, Role, Status

from conftest import clock
from scheduling import household, two_zone_site, visit

MONTHLY = "p1-monthly-visit"
QUARTERLY = "p1-quarterly-call"
OCTOBER = date(2026, 10, 1)
OCTOBER_DAYS = [
    date(2026, 10, d)
    for d in (8, 9, 10, 12, 13, 14, 15, 16, 19, 20, 21, 22, 23, 26, 27, 28, 29, 30)
]
MONDAYS = {date(2026, 10, 12), date(2026, 10, 19), date(2026, 10, 26)}
LATER = "monthly visit, planned for later days"


@pytest.fixture
def site(session):
    """Zones A (butler Wang #1) and B (butler Li #2), manager Zhao (#3) and supervisor Chen (#4)."""
    found = two_zone_site(session)
    found.chen = add_staff(
        session=session, clock=clock("2025-06-01 08:00"), name="Chen", role=Role.supervisor
    ).id
    return found


def draft(
    session, policy, now: str, month: date | None = OCTOBER, staff: str | None = "Wang"
) -> list[Drafted]:
    return draft_month(
        session=session,
        clock=clock(now),
        policy=policy,
        calendar=WorkCalendar(),
        staff_ref=staff,
        month=month,
    )


def approve_plan(
    session,
    now: str,
    by: str = "Chen",
    staff: str = "Wang",
    month: date | None = OCTOBER,
    year: int | None = None,
) -> dict:
    return approve(
        session=session, clock=clock(now), staff_ref=staff, by_ref=by, month=month, year=year
    )


def placed(session, plan_id: int) -> dict[int, date]:
    """Household -> its planned day."""
    rows = session.connection().execute(
        select(visit_plan_item.c.party_id, visit_plan_item.c.day).where(
            visit_plan_item.c.plan_id == plan_id
        )
    )
    return dict(rows.all())


def channels(session, plan_id: int) -> list[tuple[int, str, str, date]]:
    rows = session.connection().execute(
        select(
            visit_plan_item.c.party_id,
            visit_plan_item.c.rule,
            visit_plan_item.c.channel,
            visit_plan_item.c.day,
        )
        .where(visit_plan_item.c.plan_id == plan_id)
        .order_by(visit_plan_item.c.party_id)
    )
    return [tuple(r) for r in rows]


def plans(session) -> list[tuple]:
    rows = session.connection().execute(
        select(
            visit_plan.c.id,
            visit_plan.c.staff_id,
            visit_plan.c.period,
            visit_plan.c.first_day,
            visit_plan.c.approved_at.is_not(None),
            visit_plan.c.approved_by_id,
            visit_plan.c.void_reason,
        ).order_by(visit_plan.c.id)
    )
    return [tuple(r) for r in rows]


def audited(session) -> list[tuple]:
    rows = session.connection().execute(
        select(audit.c.action, audit.c.record_id, audit.c.reason, audit.c.detail)
        .where(audit.c.kind == "plan")
        .order_by(audit.c.id)
    )
    return [tuple(r) for r in rows]


def households(
    session,
    count: int,
    since: str = "2026-09-01 08:00",
    status: Status = Status.occupied,
    first: int = 1,
) -> list[int]:
    return [household(session, f"1-{first + k:03d}", since, status=status) for k in range(count)]


def todays(session, policy, now: str, **scope):
    view = due_view(session.connection(), policy, clock(now), WorkCalendar(), Scope(**scope))
    return view.items, dict(view.remaining)


def brief(found) -> list[tuple]:
    return [(i.rule, i.subject_id, i.status, i.due, i.planned) for i in found]


def loads(days: dict[int, date]) -> Counter:
    return Counter(days.values())


# --- drafting: working days, an even spread, longest-uncontacted first -----------------------------------


def test_p1_plan_gives_every_household_one_working_day_spread_evenly(session, policy, site):
    ids = households(session, 40)

    drafted = draft(session, policy, "2026-09-28 09:00")

    assert drafted == [Drafted(1, "Wang", OCTOBER, 40, 18, None)]
    days = placed(session, 1)
    assert sorted(days) == ids
    assert sorted(loads(days)) == OCTOBER_DAYS  # every working day of October, and no other day
    assert (
        sorted(loads(days).values()) == [2] * 14 + [3] * 4
    )  # 40 over 18 days: loads differ by at most one
    assert plans(session) == [(1, site.wang, "month", OCTOBER, False, None, None)]
    assert audited(session) == [
        ("draft", 1, None, "plan for 2026-10: 40 households over 18 working days")
    ]


def test_p1_plan_october_2026_skips_national_day_and_works_the_make_up_saturday(
    session, policy, site
):
    households(session, 18)

    draft(session, policy, "2026-09-28 09:00")

    days = placed(session, 1)
    assert sorted(loads(days).items()) == [(d, 1) for d in OCTOBER_DAYS]
    assert not {date(2026, 10, d) for d in range(1, 8)} & set(days.values())
    assert (
        date(2026, 10, 10) in days.values()
    )  # a Saturday, worked in exchange for a National Day holiday


def test_p1_plan_september_2026_works_the_make_up_sunday_and_rests_on_mid_autumn(
    session, policy, site
):
    households(session, 44, since="2026-08-01 08:00")

    [drafted] = draft(session, policy, "2026-09-01 08:00", month=date(2026, 9, 1))

    working = [
        date(2026, 9, d)
        for d in (1, 2, 3, 4, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18, 20, 21, 22, 23, 24, 28, 29, 30)
    ]
    assert (drafted.households, drafted.days) == (44, 22)
    assert sorted(loads(placed(session, 1)).items()) == [(d, 2) for d in working]


def test_p1_plan_drafted_mid_month_starts_today(session, policy, site):
    households(session, 9)

    [drafted] = draft(session, policy, "2026-10-20 16:00", month=None)

    left = [date(2026, 10, d) for d in (20, 21, 22, 23, 26, 27, 28, 29, 30)]
    assert drafted == Drafted(1, "Wang", OCTOBER, 9, 9, None)
    assert sorted(loads(placed(session, 1)).items()) == [(d, 1) for d in left]


def test_p1_plan_drafted_on_a_holiday_starts_on_the_next_working_day(session, policy, site):
    households(session, 3)

    [drafted] = draft(
        session, policy, "2026-10-03 10:00", month=None
    )  # Saturday of the National Day week

    # All 18 working days from the 8th: 3 households on days ⌊k·18/3⌋ = 0, 6, 12 — the 8th, 15th and 23rd.
    assert (drafted.days, sorted(placed(session, 1).values())) == (
        18,
        [date(2026, 10, 8), date(2026, 10, 15), date(2026, 10, 23)],
    )


def test_p1_plan_longest_uncontacted_first(session, policy, site):
    aug, sep20, never_a, sep10, never_b = households(session, 5, since="2026-06-01 08:00")
    visit(session, policy, aug, "Wang", "2026-08-03 10:00")
    visit(session, policy, sep20, "Li", "2026-09-20 10:00")
    visit(session, policy, sep10, "Wang", "2026-09-10 10:00", Channel.phone)
    visit(
        session, policy, never_b, "Wang", "2026-09-22 10:00", Channel.phone, Outcome.busy
    )  # not a contact

    draft(session, policy, "2026-09-28 09:00")

    # 5 over 18 days: day indexes ⌊k·18/5⌋ = 0, 3, 7, 10, 14 — the 8th, 12th, 16th, 21st and 27th.
    assert placed(session, 1) == {
        never_a: date(2026, 10, 8),
        never_b: date(2026, 10, 12),
        aug: date(2026, 10, 16),
        sep10: date(2026, 10, 21),
        sep20: date(2026, 10, 27),
    }


def test_p1_plan_never_contacted_households_take_the_earliest_days(session, policy, site):
    ids = households(session, 36)
    for k, h in enumerate(ids[:18]):
        visit(session, policy, h, "Wang", f"2026-09-{k + 1:02d} 10:00")

    draft(session, policy, "2026-09-28 09:00")

    days = placed(session, 1)
    never = {days[h] for h in ids[18:]}
    assert max(never) < min(days[h] for h in ids[:18])
    assert sorted(loads(days).values()) == [2] * 18
    # 36 over 18 days: the k-th on day ⌊k/2⌋, so the 18 never contacted take the first 9 days, two a day.
    assert sorted(days[h] for h in ids[18:]) == sorted(OCTOBER_DAYS[:9] * 2)


def test_p1_plan_never_contacted_households_take_the_earliest_of_the_spaced_days(
    session, policy, site
):
    contacted = households(session, 3)
    never = households(session, 3, first=4)
    for k, h in enumerate(contacted):
        visit(session, policy, h, "Wang", f"2026-09-{k + 1:02d} 10:00")

    draft(session, policy, "2026-09-28 09:00")

    # 6 over 18 days: day indexes 0, 3, 6, 9, 12, 15. The never contacted come first in the order.
    days = placed(session, 1)
    assert [days[h] for h in never] == [date(2026, 10, 8), date(2026, 10, 12), date(2026, 10, 15)]
    assert [days[h] for h in contacted] == [
        date(2026, 10, 20),
        date(2026, 10, 23),
        date(2026, 10, 28),
    ]


def test_p1_plan_few_households_are_spaced_over_the_month(session, policy, site):
    ids = households(session, 6)

    draft(session, policy, "2026-09-28 09:00")

    # 6 over October's 18 working days: the k-th on day index ⌊k·18/6⌋ = 0, 3, 6, 9, 12, 15 of
    # 8, 9, 10 (Sat), 12, 13, 14, 15, 16, 19, 20, 21, 22, 23, 26, 27, 28, 29, 30 — not bunched on the first six.
    days = placed(session, 1)
    assert [days[h] for h in ids] == [date(2026, 10, d) for d in (8, 12, 15, 20, 23, 28)]
    assert sorted(loads(days).values()) == [1] * 6


# --- phone visits never on a Monday (P3) -------------------------------------------------------------------


def test_p1_plan_phone_calls_never_on_a_monday(session, policy, site):
    phoned = households(session, 10, status=Status.not_moved_in)
    doors = households(session, 10, first=11)

    draft(session, policy, "2026-09-28 09:00")

    rows = channels(session, 1)
    assert {(rule, channel) for _p, rule, channel, _d in rows} == {
        (QUARTERLY, "phone"),
        (MONTHLY, "door"),
    }
    days = placed(session, 1)
    # 20 over 18 days: the 8th and the 20th (day indexes 0 and 9) take two, every other day one. The ten calls
    # come first (never contacted, lower ids): the 8th, 8th, 9th, 10th, then Monday the 12th is skipped for the
    # 13th–16th, Monday the 19th for the 20th (twice); the doors fill the rest, Mondays included.
    assert sorted(days[h] for h in phoned) == [
        date(2026, 10, d) for d in (8, 8, 9, 10, 13, 14, 15, 16, 20, 20)
    ]
    assert sorted(days[h] for h in doors) == [
        date(2026, 10, d) for d in (12, 19, 21, 22, 23, 26, 27, 28, 29, 30)
    ]
    assert sorted(loads(days).values()) == [1] * 16 + [2] * 2


def test_p1_plan_only_phone_calls_leave_the_mondays_free(session, policy, site):
    households(session, 18, status=Status.not_moved_in)

    draft(session, policy, "2026-09-28 09:00")

    per_day = loads(placed(session, 1))
    assert not MONDAYS & set(per_day)
    assert sum(per_day.values()) == 18
    assert (
        sorted(per_day.values()) == [1] * 12 + [2] * 3
    )  # the other 15 days still within one of each other


def test_p1_plan_phone_call_drafted_on_a_monday_is_not_for_today(session, policy, site):
    (phoned,) = households(session, 1, status=Status.not_moved_in)
    door = household(session, "2-001", "2026-09-01 08:00")

    draft(session, policy, "2026-10-12 09:00", month=None)  # Monday

    # 15 working days left from the 12th; 2 households on day indexes 0 (Monday the 12th) and 7 (the 21st). The
    # call comes first (lower id) but skips Monday for the next day with room, the 21st; the door visit takes today.
    assert placed(session, 1) == {phoned: date(2026, 10, 21), door: date(2026, 10, 12)}


# --- who is planned ----------------------------------------------------------------------------------------


def test_p1_plan_leaves_out_households_contacted_this_period(session, policy, site):
    october, september, busy = households(session, 3)
    called_q4, called_q3 = households(session, 2, status=Status.not_moved_in, first=10)
    other_zone = household(session, "9-001", "2026-09-01 08:00", zone="B")
    visit(session, policy, october, "Li", "2026-10-09 10:00")
    visit(session, policy, september, "Wang", "2026-09-30 20:00")
    visit(session, policy, busy, "Wang", "2026-10-09 11:00", Channel.phone, Outcome.busy)
    visit(session, policy, called_q4, "Wang", "2026-10-02 10:00", Channel.phone)
    visit(session, policy, called_q3, "Wang", "2026-09-21 10:00", Channel.phone)

    draft(session, policy, "2026-10-12 09:00", month=None)

    assert sorted(placed(session, 1)) == [september, busy, called_q3]
    assert other_zone not in placed(session, 1)


def test_p1_plan_contacts_count_by_the_local_month_not_the_utc_one(session, policy, site):
    # 07:30 on 1 October in Shanghai is still 30 September in UTC; 23:30 on 30 September is September's.
    early, late = households(session, 2)
    visit(session, policy, early, "Wang", "2026-10-01 07:30")
    visit(session, policy, late, "Wang", "2026-09-30 23:30")

    draft(session, policy, "2026-10-08 09:00", month=None)

    assert placed(session, 1) == {late: date(2026, 10, 8)}


def test_p1_plan_approved_on_the_local_day(session, policy, site):
    households(session, 1)
    draft(session, policy, "2026-09-28 09:00")
    approve_plan(session, "2026-09-29 07:00")  # 23:00 UTC on the 28th

    with pytest.raises(Conflict, match=r"approved by Chen on 2026-09-29\."):
        draft(session, policy, "2026-09-29 09:00")


def test_p1_plan_for_next_month_counts_only_its_own_period(session, policy, site):
    (october,) = households(session, 1)
    (called_q4,) = households(session, 1, status=Status.not_moved_in, first=10)
    visit(session, policy, october, "Wang", "2026-10-09 10:00")
    visit(session, policy, called_q4, "Wang", "2026-10-09 11:00", Channel.phone)

    [drafted] = draft(session, policy, "2026-10-28 09:00", month=date(2026, 11, 1))

    # October's visit does not cover November; the quarter's call covers all of Q4.
    assert (drafted.households, drafted.days) == (1, 21)
    assert placed(session, 1) == {october: date(2026, 11, 2)}


def test_p1_plan_without_staff_drafts_every_butler(session, policy, site):
    a = household(session, "1-001", "2026-09-01 08:00", zone="A")
    b = household(session, "2-001", "2026-09-01 08:00", zone="B")

    drafted = draft(session, policy, "2026-09-28 09:00", staff=None)

    assert drafted == [
        Drafted(1, "Li", OCTOBER, 1, 18, None),
        Drafted(2, "Wang", OCTOBER, 1, 18, None),
    ]
    assert (placed(session, 1), placed(session, 2)) == (
        {b: date(2026, 10, 8)},
        {a: date(2026, 10, 8)},
    )


def test_p1_plan_covers_every_zone_the_butler_owns(session, policy, site):
    from careops.services.zones import add_zone

    add_zone(session=session, clock=clock("2025-06-01 08:00"), name="C", butler="Wang")
    a = household(session, "1-001", "2026-09-01 08:00", zone="A")
    c = household(session, "3-001", "2026-09-01 08:00", zone="C")

    assert draft(session, policy, "2026-09-28 09:00") == [Drafted(1, "Wang", OCTOBER, 2, 18, None)]
    assert placed(session, 1) == {
        a: date(2026, 10, 8),
        c: date(2026, 10, 20),
    }  # day indexes 0 and 9 of 18


def test_p1_plan_refuses_a_past_month_and_a_month_with_no_working_day_left(session, policy, site):
    with pytest.raises(
        InvalidInput, match=r"^2026-09 is over: a plan is for this month or a later one\.$"
    ):
        draft(session, policy, "2026-10-12 09:00", month=date(2026, 9, 1))
    with pytest.raises(InvalidInput, match=r"^no working day is left in 2026-10 to plan\.$"):
        draft(session, policy, "2026-10-31 09:00", month=None)  # a Saturday, not worked
    with pytest.raises(InvalidInput, match="Zhao owns no zone"):
        draft(session, policy, "2026-10-12 09:00", staff="Zhao")
    assert plans(session) == []


# --- redrafting and approving ------------------------------------------------------------------------------


def test_p1_plan_redraft_replaces_the_draft(session, policy, site):
    first, second = households(session, 2)
    draft(session, policy, "2026-09-28 09:00")
    third = household(session, "1-003", "2026-09-29 08:00")

    drafted = draft(session, policy, "2026-09-29 09:00")

    assert drafted == [Drafted(2, "Wang", OCTOBER, 3, 18, 1)]
    assert plans(session) == [
        (1, site.wang, "month", OCTOBER, False, None, "redrafted"),
        (2, site.wang, "month", OCTOBER, False, None, None),
    ]
    # 3 over 18 days: day indexes 0, 6, 12; the void draft had 2: day indexes 0 and 9.
    assert placed(session, 2) == {
        first: date(2026, 10, 8),
        second: date(2026, 10, 15),
        third: date(2026, 10, 23),
    }
    assert placed(session, 1) == {
        first: date(2026, 10, 8),
        second: date(2026, 10, 20),
    }  # kept, void, for the record
    assert audited(session) == [
        ("draft", 1, None, "plan for 2026-10: 2 households over 18 working days"),
        ("void", 1, "redrafted", None),
        ("draft", 2, None, "plan for 2026-10: 3 households over 18 working days"),
    ]


def test_p1_plan_approved_refuses_a_redraft(session, policy, site):
    households(session, 2)
    draft(session, policy, "2026-09-28 09:00")
    approve_plan(session, "2026-09-29 10:00")

    with pytest.raises(Conflict) as refused:
        draft(session, policy, "2026-09-30 09:00")

    assert str(refused.value) == (
        "Wang's plan for 2026-10 was approved by Chen on 2026-09-29. To redraft it, void it first: "
        "`careops void plan 1 --reason TEXT`."
    )
    assert plans(session) == [(1, site.wang, "month", OCTOBER, True, site.chen, None)]


def test_p1_plan_approve_by_the_supervisor(session, policy, site):
    households(session, 2)
    draft(session, policy, "2026-09-28 09:00")

    done = approve_plan(session, "2026-09-29 10:00")

    assert done == {"id": 1, "staff": "Wang", "period": "2026-10", "by": "Chen"}
    assert plans(session) == [(1, site.wang, "month", OCTOBER, True, site.chen, None)]
    assert audited(session)[-1] == ("approve", 1, None, "approved the plan for 2026-10")
    with pytest.raises(
        Conflict, match=r"^Wang's plan for 2026-10 is already approved \(by Chen on 2026-09-29\)\.$"
    ):
        approve_plan(session, "2026-09-30 10:00")


@pytest.mark.parametrize(
    ("by", "role"), [("Wang", "butler"), ("Zhao", "manager"), ("Li", "butler")]
)
def test_p1_plan_approve_refused_for_anyone_but_the_supervisor(session, policy, site, by, role):
    households(session, 2)
    draft(session, policy, "2026-09-28 09:00")

    with pytest.raises(InvalidInput) as refused:
        approve_plan(session, "2026-09-29 10:00", by=by)

    assert (
        str(refused.value)
        == f"only the butler department's supervisor approves visit plans (P1); {by} has role {role}."
    )
    assert plans(session) == [(1, site.wang, "month", OCTOBER, False, None, None)]


def test_p1_plan_approve_a_month_not_drafted_is_refused(session, policy, site):
    with pytest.raises(NotFound, match=r"^Wang has no plan for 2026-10 yet: "):
        approve_plan(session, "2026-09-29 10:00")
    assert plans(session) == []


def test_p1_plan_approve_the_year_records_it_once(session, policy, site):
    done = approve_plan(session, "2026-01-05 10:00", month=None, year=2026)

    assert done == {"id": 1, "staff": "Wang", "period": "2026", "by": "Chen"}
    assert plans(session) == [(1, site.wang, "year", date(2026, 1, 1), True, site.chen, None)]
    with pytest.raises(
        Conflict, match=r"^Wang's plan for 2026 is already approved \(by Chen on 2026-01-05\)\.$"
    ):
        approve_plan(session, "2026-01-06 10:00", month=None, year=2026)


# --- an approved plan in `due` -----------------------------------------------------------------------------


@pytest.fixture
def planned(session, policy, site):
    """Wang's October plan, approved on 29 September: A (never contacted) on 8 Oct, B (last 10 Sep) on 20 Oct (day
    indexes 0 and 9 of October's 18 working days).
    A is then visited on 30 September, so the daily share alone would now put B (longest-uncontacted) first."""
    a, b = households(session, 2, since="2026-06-01 08:00")
    visit(session, policy, b, "Wang", "2026-09-10 10:00")
    draft(session, policy, "2026-09-28 09:00")
    approve_plan(session, "2026-09-29 10:00")
    visit(session, policy, a, "Wang", "2026-09-30 10:00")
    return a, b


def test_p1_plan_approved_due_lists_todays_planned_household_not_the_daily_share(
    session, policy, planned
):
    a, _b = planned

    shown, remaining = todays(session, policy, "2026-10-08 09:00", owner_id=1)

    assert brief(shown) == [(MONTHLY, a, "due", date(2026, 10, 8), date(2026, 10, 8))]
    assert remaining == {LATER: 1}


def test_p1_plan_a_draft_leaves_due_to_the_daily_share(session, policy, site):
    a, b = households(session, 2, since="2026-06-01 08:00")
    visit(session, policy, b, "Wang", "2026-09-10 10:00")
    draft(session, policy, "2026-09-28 09:00")
    visit(session, policy, a, "Wang", "2026-09-30 10:00")

    shown, remaining = todays(session, policy, "2026-10-08 09:00", owner_id=site.wang)

    assert brief(shown) == [(MONTHLY, b, "due", date(2026, 10, 31), None)]
    assert remaining == {"monthly visit": 1}


def test_p1_plan_approved_due_on_the_planned_day_of_the_other(session, policy, planned):
    a, b = planned
    visit(session, policy, a, "Wang", "2026-10-08 10:00")

    shown, remaining = todays(session, policy, "2026-10-09 09:00", owner_id=1)
    assert brief(shown) == []  # B's day is not yet
    assert remaining == {LATER: 1}

    shown, remaining = todays(session, policy, "2026-10-20 09:00", owner_id=1)
    assert brief(shown) == [(MONTHLY, b, "due", date(2026, 10, 20), date(2026, 10, 20))]
    assert remaining == {}


def test_p1_plan_planned_day_passed_without_contact_is_overdue_against_the_plan(
    session, policy, planned
):
    a, b = planned
    visit(
        session, policy, a, "Wang", "2026-10-08 18:00", Channel.phone, Outcome.no_answer
    )  # not a contact

    shown, remaining = todays(session, policy, "2026-10-12 09:00", owner_id=1)
    assert brief(shown) == [(MONTHLY, a, "overdue", date(2026, 10, 8), date(2026, 10, 8))]
    assert remaining == {LATER: 1}  # B's day, the 20th, is still ahead

    shown, remaining = todays(session, policy, "2026-10-21 09:00", owner_id=1)
    assert brief(shown) == [
        (MONTHLY, a, "overdue", date(2026, 10, 8), date(2026, 10, 8)),
        (MONTHLY, b, "overdue", date(2026, 10, 20), date(2026, 10, 20)),
    ]
    assert [i.why for i in shown] == [
        "monthly visit: planned for 2026-10-08 in the approved plan, no contact yet",
        "monthly visit: planned for 2026-10-20 in the approved plan, no contact yet",
    ]
    assert remaining == {}


def test_p1_plan_household_that_missed_last_month_stays_overdue_and_shown(session, policy, site):
    (missed,) = households(session, 1, since="2026-06-01 08:00")  # no contact in September either
    draft(session, policy, "2026-10-08 07:00", month=None)
    approve_plan(session, "2026-10-08 07:30")
    (other,) = households(session, 1, since="2026-06-01 08:00", first=2)
    visit(session, policy, other, "Wang", "2026-09-30 10:00")

    # Drafted on the 8th with one household: its day is the 8th. Shown as overdue (September missed) every day.
    shown, _ = todays(session, policy, "2026-10-08 09:00", owner_id=1)
    assert [(i.subject_id, i.status, i.due, i.planned, i.missed) for i in shown] == [
        (missed, "overdue", date(2026, 10, 8), date(2026, 10, 8), "2026-09"),
        (other, "due", date(2026, 10, 31), None, None),
    ]


def test_p1_plan_overdue_household_planned_later_keeps_its_period_end(session, policy, site):
    never, august = households(session, 2, since="2026-06-01 08:00")
    visit(
        session, policy, august, "Wang", "2026-08-01 10:00"
    )  # none in September: overdue in October
    draft(session, policy, "2026-09-28 09:00")
    approve_plan(session, "2026-09-29 10:00")
    assert placed(session, 1) == {never: date(2026, 10, 8), august: date(2026, 10, 20)}

    shown, remaining = todays(session, policy, "2026-10-08 09:00", owner_id=1)

    assert [(i.subject_id, i.status, i.due, i.planned, i.missed) for i in shown] == [
        (never, "overdue", date(2026, 10, 8), date(2026, 10, 8), "2026-09"),
        (august, "overdue", date(2026, 10, 31), date(2026, 10, 20), "2026-09"),
    ]
    assert remaining == {}


def test_p1_plan_planned_day_is_due_until_its_end(session, policy, planned):
    a, _b = planned

    shown, _ = todays(session, policy, "2026-10-08 23:50", owner_id=1)

    assert brief(shown) == [(MONTHLY, a, "due", date(2026, 10, 8), date(2026, 10, 8))]


def test_p1_plan_contact_before_the_planned_day_settles_it(session, policy, planned):
    a, b = planned
    visit(session, policy, b, "Li", "2026-10-08 11:00")

    shown, remaining = todays(session, policy, "2026-10-09 09:00", owner_id=1)

    assert brief(shown) == [(MONTHLY, a, "overdue", date(2026, 10, 8), date(2026, 10, 8))]
    assert remaining == {}


def test_p1_plan_household_added_after_the_plan_comes_through_the_daily_share(
    session, policy, planned
):
    a, _b = planned
    late = household(session, "1-900", "2026-10-01 08:00")

    shown, remaining = todays(session, policy, "2026-10-08 09:00", owner_id=1)

    assert brief(shown) == [
        (MONTHLY, a, "due", date(2026, 10, 8), date(2026, 10, 8)),
        (MONTHLY, late, "due", date(2026, 10, 31), None),
    ]
    assert remaining == {LATER: 1}


def test_p1_plan_every_owner_and_a_zone_see_the_plan_too(session, policy, planned):
    a, _b = planned

    everyone, _ = todays(session, policy, "2026-10-08 09:00")
    zone_a, _ = todays(session, policy, "2026-10-08 09:00", zone_id=1)
    zone_b, _ = todays(session, policy, "2026-10-08 09:00", zone_id=2)

    assert [(i.rule, i.subject_id, i.planned) for i in everyone if i.kind == "cadence"] == [
        (MONTHLY, a, date(2026, 10, 8))
    ]
    assert brief(zone_a) == [(MONTHLY, a, "due", date(2026, 10, 8), date(2026, 10, 8))]
    assert zone_b == []


def test_p1_plan_voided_sends_due_back_to_the_daily_share(session, policy, planned):
    _a, b = planned

    void(
        session=session,
        clock=clock("2026-10-07 10:00"),
        kind="plan",
        record_id=1,
        reason="wrong month",
    )

    shown, remaining = todays(session, policy, "2026-10-08 09:00", owner_id=1)
    assert brief(shown) == [(MONTHLY, b, "due", date(2026, 10, 31), None)]
    assert remaining == {"monthly visit": 1}
    assert plans(session)[0][-1] == "wrong month"
    # Voided, the month may be drafted again.
    assert draft(session, policy, "2026-10-08 09:30") == [Drafted(2, "Wang", OCTOBER, 2, 18, None)]


def test_p1_plan_last_months_plan_does_not_steer_this_month(session, policy, planned):
    a, b = planned

    shown, remaining = todays(session, policy, "2026-11-02 09:00", owner_id=1)  # no November plan

    assert {(i.subject_id, i.planned) for i in shown} == {
        (a, None),
        (b, None),
    }  # both missed October: overdue
    assert {i.status for i in shown} == {"overdue"}
    assert remaining == {}


def test_p1_plan_quarterly_call_planned_for_later_counts_under_its_own_title(session, policy, site):
    (door,) = households(session, 1, since="2026-09-20 08:00")
    (phoned,) = households(
        session, 1, since="2026-09-20 08:00", status=Status.not_moved_in, first=5
    )
    draft(session, policy, "2026-09-28 09:00")
    approve_plan(session, "2026-09-29 10:00")

    shown, remaining = todays(session, policy, "2026-10-08 09:00", owner_id=1)

    assert placed(session, 1) == {
        door: date(2026, 10, 8),
        phoned: date(2026, 10, 20),
    }  # day indexes 0 and 9
    assert brief(shown) == [(MONTHLY, door, "due", date(2026, 10, 8), date(2026, 10, 8))]
    assert remaining == {"quarterly call, not moved in, planned for later days": 1}


# --- the supervisor's items --------------------------------------------------------------------------------


def supervisors(session, policy, now: str, **scope):
    found = supervisor_items(
        session.connection(), policy, clock(now), WorkCalendar(), Scope(**scope)
    )
    return [
        (
            i.rule,
            i.clause,
            i.strength,
            i.kind,
            i.title,
            i.subject_id,
            i.subject_name,
            i.owner_name,
            i.due,
            i.status,
            i.ref,
            i.period,
            i.why,
        )
        for i in found
    ]


NOT_DRAFTED = "{name}'s plan for {period} is not drafted yet: `careops plan month --staff {name} --month {period}`"


def month_item(
    name: str, butler: int, due: date, status: str, period: str = "2026-10", plan: int | None = None
):
    why = (
        NOT_DRAFTED.format(name=name, period=period)
        if plan is None
        else f"{name}'s plan for {period} (#{plan}) waits for approval: "
        f"`careops plan approve --staff {name} --month {period} --by SUPERVISOR`"
    )
    title = (
        f"draft and approve the visit plan for {period}"
        if plan is None
        else f"approve the visit plan for {period}"
    )
    return (
        "p1-plan-month",
        "P1",
        "must",
        "plan",
        title,
        butler,
        name,
        "Chen",
        due,
        status,
        plan,
        period,
        why,
    )


def year_item(name: str, butler: int, status: str = "due"):
    why = (
        f"P1: review {name}'s visit plans for 2026 at the start of the year: `careops plan year --staff {name}`, "
        f"then `careops plan approve --staff {name} --year 2026 --by SUPERVISOR`"
    )
    return (
        "p1-plan-year",
        "P1",
        "must",
        "plan",
        "approve the yearly visit plan for 2026",
        butler,
        name,
        "Chen",
        date(2026, 1, 31),
        status,
        None,
        "2026",
        why,
    )


def test_p1_plan_supervisor_owes_each_butlers_monthly_plan_by_the_third_working_day(
    session, policy, site
):
    # October's working days start on the 8th: the 3rd is Saturday the 10th (a make-up working day).
    assert supervisors(session, policy, "2026-10-08 09:00") == [
        month_item("Li", site.li, date(2026, 10, 10), "due"),
        month_item("Wang", site.wang, date(2026, 10, 10), "due"),
    ]
    assert supervisors(session, policy, "2026-10-10 20:00", owner_id=site.chen) == [
        month_item("Li", site.li, date(2026, 10, 10), "due"),
        month_item("Wang", site.wang, date(2026, 10, 10), "due"),
    ]
    assert supervisors(session, policy, "2026-10-12 08:00") == [
        month_item("Li", site.li, date(2026, 10, 10), "overdue"),
        month_item("Wang", site.wang, date(2026, 10, 10), "overdue"),
    ]


def test_p1_plan_supervisor_item_drafted_waits_for_approval_then_goes(session, policy, site):
    households(session, 1)
    draft(session, policy, "2026-11-02 08:00", month=None)

    # November: the 2nd, 3rd, 4th are its first working days.
    assert supervisors(session, policy, "2026-11-04 09:00") == [
        month_item("Li", site.li, date(2026, 11, 4), "due", "2026-11"),
        month_item("Wang", site.wang, date(2026, 11, 4), "due", "2026-11", plan=1),
    ]
    approve_plan(session, "2026-11-05 09:00", month=date(2026, 11, 1))
    assert supervisors(session, policy, "2026-11-05 10:00") == [
        month_item("Li", site.li, date(2026, 11, 4), "overdue", "2026-11")
    ]


def test_p1_plan_supervisor_yearly_plans_only_in_january(session, policy, site):
    # January 2026 rests on the 1st and 2nd and works Sunday the 4th: its 3rd working day is the 6th.
    assert supervisors(session, policy, "2026-01-05 09:00") == [
        month_item("Li", site.li, date(2026, 1, 6), "due", "2026-01"),
        year_item("Li", site.li),
        month_item("Wang", site.wang, date(2026, 1, 6), "due", "2026-01"),
        year_item("Wang", site.wang),
    ]
    approve_plan(session, "2026-01-07 09:00", month=None, year=2026)
    assert supervisors(session, policy, "2026-01-07 10:00") == [
        month_item("Li", site.li, date(2026, 1, 6), "overdue", "2026-01"),
        year_item("Li", site.li),
        month_item("Wang", site.wang, date(2026, 1, 6), "overdue", "2026-01"),
    ]
    assert supervisors(session, policy, "2026-02-02 09:00") == [
        month_item("Li", site.li, date(2026, 2, 4), "due", "2026-02"),
        month_item("Wang", site.wang, date(2026, 2, 4), "due", "2026-02"),
    ]


def test_p1_plan_supervisor_items_not_in_anyone_elses_list(session, policy, site):
    now = "2026-10-08 09:00"
    assert supervisors(session, policy, now, owner_id=site.wang) == []
    assert supervisors(session, policy, now, owner_id=site.zhao) == []
    assert supervisors(session, policy, now, zone_id=site.zone_a) == []
    shown, _ = todays(session, policy, now, owner_id=site.wang)
    assert [i for i in shown if i.kind == "plan"] == []


def test_p1_plan_supervisor_items_in_the_supervisors_due(session, policy, site):
    shown, remaining = todays(session, policy, "2026-10-12 09:00", owner_id=site.chen)

    assert [(i.rule, i.subject_name, i.status, i.due) for i in shown] == [
        ("p1-plan-month", "Li", "overdue", date(2026, 10, 10)),
        ("p1-plan-month", "Wang", "overdue", date(2026, 10, 10)),
    ]
    assert remaining == {}


def test_p1_plan_approval_as_of_the_clock_a_later_approval_is_not_seen_earlier(
    session, policy, site
):
    households(session, 2)
    draft(session, policy, "2026-10-08 09:00")
    approve_plan(session, "2026-10-09 10:00")

    before = [i[6] for i in supervisors(session, policy, "2026-10-09 09:00")]
    after = [i[6] for i in supervisors(session, policy, "2026-10-09 11:00")]
    assert (sorted(before), after) == (["Li", "Wang"], ["Li"])


def test_p1_plan_no_supervisor_items_without_a_supervisor(session, policy):
    two_zone_site(session)

    assert supervisors(session, policy, "2026-01-05 09:00") == []
    shown, _ = todays(session, policy, "2026-01-05 09:00")
    assert [i for i in shown if i.kind == "plan"] == []


# --- the year at a glance ----------------------------------------------------------------------------------


def grid(session, policy, now: str, year: int | None = None) -> dict:
    return year_grid(session=session, clock=clock(now), policy=policy, staff_ref="Wang", year=year)


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def marks(row: dict) -> list[str]:
    return [row[m] for m in MONTHS]


def test_p1_plan_year_grid_marks(session, policy, site):
    h = household(session, "1-101", "2025-12-01 08:00")
    q = household(session, "1-102", "2025-12-01 08:00", status=Status.not_moved_in)
    for day in ("01-10", "03-05", "04-30", "07-15", "09-10"):
        visit(session, policy, h, "Wang", f"2026-{day} 10:00")
    visit(session, policy, h, "Wang", "2026-05-10 10:00", Channel.phone, Outcome.busy)
    visit(session, policy, q, "Wang", "2026-02-10 10:00", Channel.phone)
    visit(session, policy, q, "Wang", "2026-08-10 10:00", Channel.phone)
    draft(session, policy, "2026-09-28 09:00")

    found = grid(session, policy, "2026-10-21 09:00")

    assert (found["staff"], found["year"], found["approved_on"], found["months"]) == (
        "Wang",
        2026,
        None,
        MONTHS,
    )
    rows = found["households"]
    assert [
        (r["party_id"], r["name"], r["unit"], r["zone"], r["clause"], r["rule"]) for r in rows
    ] == [
        (h, "Owner 1-101", "1-101", "A", "P1", MONTHLY),
        (q, "Owner 1-102", "1-102", "A", "P1", QUARTERLY),
    ]
    # q (last contact 10 Aug) is planned first, on day index 0 (8 October), h (10 Sep) on day index 9 (20 October).
    # Both planned days passed without contact: ✗ before the day.
    assert marks(rows[0]) == ["✓", "✗", "✓", "✓", "✗", "✗", "✓", "✗", "✓", "✗10-20", "·", "·"]
    assert marks(rows[1]) == ["", "✓", "", "", "", "✗", "", "✓", "", "✗10-08", "", "·"]
    assert [r["title"] for r in rows] == ["monthly visit", "quarterly call, not moved in"]


def test_p1_plan_year_grid_planned_day_today_or_later_is_just_the_day(session, policy, site):
    household(session, "1-101", "2025-12-01 08:00")
    household(session, "1-102", "2025-12-01 08:00")
    draft(session, policy, "2026-09-28 09:00")

    # Day indexes 0 and 9 of October's 18 working days: the 8th and the 20th.
    later = grid(session, policy, "2026-10-09 09:00")
    today = grid(session, policy, "2026-10-20 09:00")

    assert [marks(r)[9] for r in later["households"]] == ["✗10-08", "10-20"]
    assert [marks(r)[9] for r in today["households"]] == ["✗10-08", "10-20"]


def test_p1_plan_year_grid_visit_on_the_planned_month_shows_done(session, policy, site):
    h = household(session, "1-101", "2025-12-01 08:00")
    draft(session, policy, "2026-09-28 09:00")
    approve_plan(session, "2026-09-29 10:00", month=None, year=2026)
    visit(session, policy, h, "Wang", "2026-10-09 10:00")

    found = grid(session, policy, "2026-10-12 09:00", year=2026)

    assert found["approved_on"] == date(2026, 9, 29)
    assert marks(found["households"][0])[8:] == ["✗", "✓", "·", "·"]


def test_p1_plan_year_grid_a_later_year_is_all_to_do(session, policy, site):
    household(session, "1-101", "2025-12-01 08:00")

    found = grid(session, policy, "2026-10-12 09:00", year=2027)

    assert marks(found["households"][0]) == ["·"] * 12


def test_p1_plan_year_grid_no_cross_before_the_household_was_recorded(session, policy, site):
    household(session, "1-101", "2026-06-01 08:00")

    found = grid(session, policy, "2026-10-12 09:00")

    assert marks(found["households"][0]) == ["", "", "", "", "", "✗", "✗", "✗", "✗", "·", "·", "·"]


def test_p1_plan_year_grid_does_not_show_other_butlers_households(session, policy, site):
    household(session, "2-101", "2025-12-01 08:00", zone="B")

    assert grid(session, policy, "2026-10-12 09:00")["households"] == []

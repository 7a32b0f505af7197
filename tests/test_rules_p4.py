"""P4 follow-up visits and P5.4: events write follow-ups, visits settle them, with a fixed clock.

Each follow-up rule listening to an event (`careops event REF KIND`) writes one obligation
with its owner, channels and deadline: same day (move-in), 24 hours (emergency repair), the
day after the first rain after a leak repair, three months (after moving in), or our
default deadline. A visit naming it (`--for ID`, `--purpose RULE|CLAUSE`) settles it when
it reached the person, by an allowed channel, with every role a joint visit needs.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from careops.calendar.workdays import WorkCalendar
from careops.clock import parse_local
from careops.errors import Conflict, InvalidInput, NotFound
from careops.models import Party
from careops.report.cases import followup_sections
from careops.report.window import Month, ReportScope
from careops.scheduler.cadence import Scope
from careops.scheduler.due import due_view
from careops.scheduler.tables import event, obligation
from careops.scheduler.tables import visit as visit_table
from careops.services.followups import (
    add_activity,
    cancel_followup,
    finish_task,
    list_followups,
    record_event,
    record_rain,
    show_followup,
)
from careops.services.staff import add_staff
from careops.services.visits import log_visit
from careops.services.void import void
from careops.services.zones import edit_zone
from careops.vocab import Channel, Outcome, Role, Status

from conftest import clock
from scheduling import brief, household, items, local, two_zone_site

MONTHLY = "p1-monthly-visit"
QUARTERLY = "p1-quarterly-call"
WELCOME = "move-in-welcome"
KIT = "move-in-health-kit"
THREE_MONTHS = "move-in-3-months"
EMERGENCY = "emergency-repair"
LEAK = "leak-repair"
INVITE = "activity-invite"
SITE = ReportScope()


@pytest.fixture
def site(session):
    """Zones A (butler Wang) and B (butler Li), manager Zhao, chief butler Chen; household 1-101 in A."""
    found = two_zone_site(session)
    c = clock("2025-06-01 08:00")
    found.chen = add_staff(session=session, clock=c, name="Chen", role=Role.chief_butler).id
    found.h = household(session, "1-101", "2026-01-05 08:00")
    return found


@pytest.fixture
def hu(session, site):
    """Hu, the only health butler (not named on any zone)."""
    return add_staff(
        session=session, clock=clock("2025-06-01 08:00"), name="Hu", role=Role.health_butler
    ).id


def event_(session, policy, party_id: int, kind: str, when: str, now: str | None = None):
    """An event at local time `when`, recorded by a clock standing at `now` (default: that same moment)."""
    return record_event(
        session=session,
        clock=clock(now or when),
        policy=policy,
        ref=f"#{party_id}",
        kind=kind,
        at=parse_local(when),
    )


def log(
    session,
    policy,
    party_id: int,
    by,
    when: str,
    channel: Channel = Channel.door,
    outcome: Outcome = Outcome.reached,
    for_ids=(),
    purposes=(),
):
    return log_visit(
        session=session,
        clock=clock(when),
        policy=policy,
        ref=f"#{party_id}",
        by=by,
        channel=channel,
        at=parse_local(when),
        outcome=outcome,
        for_ids=list(for_ids),
        purposes=list(purposes),
    )


def ids(result) -> dict[str, int]:
    return {w.obligation.rule: w.obligation.id for w in result.followups}


def count(session, table) -> int:
    return session.connection().execute(select(func.count()).select_from(table)).scalar()


def status_at(session, policy, rule: str, nows: list[str]) -> list[tuple]:
    return [(now, *[(i.status, i.due) for i in items(session, policy, now, rule)]) for now in nows]


def listed(session, policy, now: str, rule: str, *, show_all: bool, **scope) -> list[tuple]:
    """(status, strength, due, ref) of the rule's items in `due` (the day's list) or `due --all`."""
    view = due_view(
        session.connection(), policy, clock(now), WorkCalendar(), Scope(**scope), show_all=show_all
    )
    return [(i.status, i.strength, i.due, i.ref) for i in view.items if i.rule == rule]


# --- P4.1 move-in --------------------------------------------------------------------------


def test_p4_1_move_in_writes_door_welcome_and_health_kit_visit_due_that_day(
    session, policy, site, hu
):
    h = household(session, "1-102", "2026-10-01 08:00", status=Status.not_moved_in)
    edit_zone(session=session, clock=clock("2026-11-01 08:00"), name="A", health_butler="Hu")

    result = event_(session, policy, h, "move-in", "2026-11-26 10:00")

    assert result.warnings == []
    assert [(w.obligation.rule, w.obligation.clause, w.owner) for w in result.followups] == [
        (WELCOME, "P4.1", "Wang"),
        (KIT, "P4.1", "Hu"),
        (THREE_MONTHS, "P4.2", "Wang"),
    ]
    found = {
        i.rule: i
        for i in items(session, policy, "2026-11-26 12:00", party_id=h)
        if i.kind == "followup"
    }
    assert sorted(found) == [THREE_MONTHS, KIT, WELCOME]
    for rule, owner in ((WELCOME, site.wang), (KIT, hu)):
        item = found[rule]
        assert (item.clause, item.strength, item.owner_id, item.due, item.status, item.ref) == (
            "P4.1",
            "must",
            owner,
            date(2026, 11, 26),
            "due",
            ids(result)[rule],
        )
    assert (
        show_followup(
            session=session, clock=clock("2026-11-26 12:00"), followup_id=ids(result)[WELCOME]
        )["channels"]
        == "door"
    )
    assert sorted(
        (i.rule, i.status)
        for i in items(session, policy, "2026-11-27 08:00", party_id=h)
        if i.rule in (WELCOME, KIT)
    ) == [(KIT, "overdue"), (WELCOME, "overdue")]


def test_p4_1_move_in_makes_the_household_occupied_from_that_day(session, policy, site):
    h = household(session, "1-102", "2026-10-01 08:00", status=Status.not_moved_in)
    assert [i.rule for i in items(session, policy, "2026-11-26 09:00", party_id=h)] == [QUARTERLY]

    event_(session, policy, h, "move-in", "2026-11-26 10:00")

    record = session.get(Party, h)
    assert (record.status, record.moved_in, record.status_since) == (
        "occupied",
        date(2026, 11, 26),
        date(2026, 11, 26),
    )
    cadence = [
        (i.rule, i.status, i.due)
        for i in items(session, policy, "2026-11-26 12:00", party_id=h)
        if i.kind == "cadence"
    ]
    assert cadence == [(MONTHLY, "due", date(2026, 11, 30))]


def test_p4_1_health_kit_goes_to_the_zone_health_butler_over_the_only_one(
    session, policy, site, hu
):
    ma = add_staff(
        session=session, clock=clock("2025-06-01 08:00"), name="Ma", role=Role.health_butler
    ).id
    edit_zone(session=session, clock=clock("2026-11-01 08:00"), name="A", health_butler="Ma")
    h = household(session, "1-102", "2026-10-01 08:00", status=Status.not_moved_in)

    result = event_(session, policy, h, "move-in", "2026-11-26 10:00")

    [kit] = items(session, policy, "2026-11-26 12:00", KIT)
    assert (kit.owner_id, kit.owner_name, kit.ref) == (ma, "Ma", ids(result)[KIT])
    assert ma != hu


def test_p4_1_health_kit_goes_to_the_one_health_butler_when_zone_names_none(
    session, policy, site, hu
):
    h = household(session, "1-102", "2026-10-01 08:00", status=Status.not_moved_in)

    result = event_(session, policy, h, "move-in", "2026-11-26 10:00")

    assert result.warnings == []
    [kit] = items(session, policy, "2026-11-26 12:00", KIT)
    assert (kit.owner_id, kit.owner_name) == (hu, "Hu")


@pytest.mark.parametrize("health_butlers", [0, 2])
def test_p4_1_health_kit_falls_to_the_chief_butler_with_a_warning_without_a_single_health_butler(
    session, policy, site, health_butlers
):
    for n in range(health_butlers):
        add_staff(
            session=session,
            clock=clock("2025-06-01 08:00"),
            name=f"Health {n}",
            role=Role.health_butler,
        )
    h = household(session, "1-102", "2026-10-01 08:00", status=Status.not_moved_in)

    result = event_(session, policy, h, "move-in", "2026-11-26 10:00")

    kit_id = ids(result)[KIT]
    assert result.warnings == [
        f"health butler's first visit with the family medicine kit (#{kit_id}) falls to Chen "
        "(chief-butler): no health butler for zone A: set one with `careops zone edit A "
        "--health-butler STAFF` or add a staff member with role health-butler."
    ]
    [kit] = items(session, policy, "2026-11-26 12:00", KIT)
    assert (kit.owner_id, kit.owner_name, kit.status) == (site.chen, "Chen", "due")


def test_p4_1_move_in_of_an_occupied_household_is_refused_and_writes_nothing(session, policy, site):
    before = (count(session, event), count(session, obligation))

    with pytest.raises(
        Conflict, match=r"Owner 1-101 \(1-101\) is already occupied \(moved in 2026-01-05\)"
    ):
        event_(session, policy, site.h, "move-in", "2026-11-26 10:00")

    assert (count(session, event), count(session, obligation)) == before
    assert session.get(Party, site.h).status_since == date(2026, 1, 5)


def test_p4_1_move_in_twice_is_refused_the_second_time(session, policy, site):
    h = household(session, "1-102", "2026-10-01 08:00", status=Status.not_moved_in)
    event_(session, policy, h, "move-in", "2026-11-26 10:00")
    before = (count(session, event), count(session, obligation))

    with pytest.raises(Conflict, match="already occupied"):
        event_(session, policy, h, "move-in", "2026-11-27 10:00")

    assert (count(session, event), count(session, obligation)) == before


def test_p4_1_move_in_at_07_00_local_is_that_local_day_not_the_utc_one(session, policy, site):
    # 07:00 on 1 December in Shanghai is still 30 November in UTC.
    h = household(session, "1-102", "2026-10-01 08:00", status=Status.not_moved_in)

    event_(session, policy, h, "move-in", "2026-12-01 07:00")

    assert session.get(Party, h).moved_in == date(2026, 12, 1)
    assert sorted(
        (i.rule, i.due)
        for i in items(session, policy, "2026-12-01 08:00", party_id=h)
        if i.kind == "followup"
    ) == [(THREE_MONTHS, date(2027, 3, 1)), (KIT, date(2026, 12, 1)), (WELCOME, date(2026, 12, 1))]


# --- P4.2 three months after move-in -------------------------------------------------------


def test_p4_2_move_in_on_30_nov_is_followed_up_by_28_feb_listed_a_week_before(
    session, policy, site
):
    h = household(session, "1-102", "2026-10-01 08:00", status=Status.not_moved_in)
    result = event_(session, policy, h, "move-in", "2026-11-30 10:00")

    assert status_at(
        session,
        policy,
        THREE_MONTHS,
        [
            "2026-11-30 12:00",
            "2027-02-20 23:59",
            "2027-02-21 00:00",
            "2027-02-28 23:59",
            "2027-03-01 00:00",
        ],
    ) == [
        ("2026-11-30 12:00", ("upcoming", date(2027, 2, 28))),
        ("2027-02-20 23:59", ("upcoming", date(2027, 2, 28))),
        ("2027-02-21 00:00", ("due", date(2027, 2, 28))),
        ("2027-02-28 23:59", ("due", date(2027, 2, 28))),
        ("2027-03-01 00:00", ("overdue", date(2027, 2, 28))),
    ]
    [item] = items(session, policy, "2027-02-21 09:00", THREE_MONTHS)
    assert (item.clause, item.owner_id, item.ref) == ("P4.2", site.wang, ids(result)[THREE_MONTHS])


def test_p4_2_three_months_followup_by_phone_is_done(session, policy, site):
    h = household(session, "1-102", "2026-10-01 08:00", status=Status.not_moved_in)
    result = event_(session, policy, h, "move-in", "2026-11-30 10:00")

    call = log(session, policy, h, "Wang", "2027-02-23 10:00", Channel.phone, purposes=["P4.2"])

    assert [r.id for r in call.followups_done] == [ids(result)[THREE_MONTHS]]
    assert items(session, policy, "2027-02-23 11:00", THREE_MONTHS) == []


# --- P4.3 commissioned matter done ---------------------------------------------------------


def test_p4_3_commission_done_phone_back_due_in_two_days_a_busy_call_does_not_do(
    session, policy, site
):
    result = event_(session, policy, site.h, "commission-done", "2026-11-26 10:00")
    fid = ids(result)["commission-callback"]

    [item] = items(session, policy, "2026-11-26 12:00", "commission-callback")
    assert (item.clause, item.strength, item.owner_id, item.due, item.status) == (
        "P4.3",
        "must",
        site.wang,
        date(2026, 11, 28),
        "due",
    )

    busy = log(
        session,
        policy,
        site.h,
        "Wang",
        "2026-11-27 10:00",
        Channel.phone,
        for_ids=[fid],
        outcome=Outcome.busy,
    )
    assert busy.followups_done == []
    assert busy.followups_open == [
        f"follow-up #{fid} stays open: the visit did not reach anyone (busy)."
    ]
    assert [
        i.status for i in items(session, policy, "2026-11-29 09:00", "commission-callback")
    ] == ["overdue"]

    phone = log(session, policy, site.h, "Wang", "2026-11-29 10:00", Channel.phone, for_ids=[fid])
    assert [r.id for r in phone.followups_done] == [fid]
    assert items(session, policy, "2026-11-29 11:00", "commission-callback") == []


# --- P4.4 repairs --------------------------------------------------------------------------


def test_p4_4_emergency_repair_at_23_00_is_due_by_23_00_next_day(session, policy, site):
    result = event_(session, policy, site.h, "emergency-repair", "2026-11-26 23:00")

    [item] = items(session, policy, "2026-11-26 23:10", EMERGENCY)
    assert (item.clause, item.strength, item.owner_id, item.ref) == (
        "P4.4",
        "must",
        site.wang,
        ids(result)[EMERGENCY],
    )
    assert item.due == local("2026-11-27 23:00")
    assert status_at(
        session, policy, EMERGENCY, ["2026-11-27 08:00", "2026-11-27 23:00", "2026-11-27 23:01"]
    ) == [
        ("2026-11-27 08:00", ("due", local("2026-11-27 23:00"))),
        ("2026-11-27 23:00", ("due", local("2026-11-27 23:00"))),
        ("2026-11-27 23:01", ("overdue", local("2026-11-27 23:00"))),
    ]


def test_p4_4_emergency_repair_recorded_later_with_its_time_counts_from_the_repair(
    session, policy, site
):
    event_(session, policy, site.h, "emergency-repair", "2026-11-26 15:30", now="2026-11-27 09:00")

    [item] = items(session, policy, "2026-11-27 09:00", EMERGENCY)
    assert (item.due, item.status) == (local("2026-11-27 15:30"), "due")
    assert items(session, policy, "2026-11-26 16:00", EMERGENCY) == []  # not known yet then


def test_p4_4_event_in_the_future_is_refused(session, policy, site):
    with pytest.raises(InvalidInput, match="later than now"):
        event_(
            session, policy, site.h, "emergency-repair", "2026-11-26 23:00", now="2026-11-26 22:00"
        )
    assert count(session, obligation) == 0


def test_p4_4_leak_repair_waits_for_rain_then_upcoming_due_overdue(session, policy, site):
    result = event_(session, policy, site.h, "leak-repair", "2026-11-24 10:00")
    dry_days = [f"2026-11-{d} 20:00" for d in range(24, 31)] + [
        f"2026-12-0{d} 20:00" for d in range(1, 5)
    ]

    for now in dry_days:  # the repair day, then ten days without rain
        [item] = items(session, policy, now, LEAK)
        assert (item.status, item.due, item.ref) == ("waiting", None, ids(result)[LEAK]), now

    rain = record_rain(session=session, clock=clock("2026-12-05 07:00"), day=date(2026, 12, 5))
    assert (rain.new, rain.waiting) == (True, 1)

    assert status_at(
        session,
        policy,
        LEAK,
        ["2026-12-05 08:00", "2026-12-06 00:00", "2026-12-06 23:59", "2026-12-07 00:00"],
    ) == [
        ("2026-12-05 08:00", ("upcoming", date(2026, 12, 6))),
        ("2026-12-06 00:00", ("due", date(2026, 12, 6))),
        ("2026-12-06 23:59", ("due", date(2026, 12, 6))),
        ("2026-12-07 00:00", ("overdue", date(2026, 12, 6))),
    ]
    [item] = items(session, policy, "2026-12-06 09:00", LEAK)
    assert (item.clause, item.owner_id) == ("P4.4", site.wang)


def test_p4_4_leak_repair_rain_on_the_repair_day_does_not_count(session, policy, site):
    event_(session, policy, site.h, "leak-repair", "2026-11-24 10:00")

    record_rain(session=session, clock=clock("2026-11-24 18:00"), day=date(2026, 11, 24))

    assert [(i.status, i.due) for i in items(session, policy, "2026-11-26 09:00", LEAK)] == [
        ("waiting", None)
    ]
    record_rain(session=session, clock=clock("2026-11-26 18:00"), day=date(2026, 11, 26))
    assert [(i.status, i.due) for i in items(session, policy, "2026-11-27 09:00", LEAK)] == [
        ("due", date(2026, 11, 27))
    ]


def test_p4_4_leak_repair_rain_recorded_twice_is_one_day_and_later_rain_changes_nothing(
    session, policy, site
):
    event_(session, policy, site.h, "leak-repair", "2026-11-24 10:00")

    first = record_rain(session=session, clock=clock("2026-12-05 07:00"), day=date(2026, 12, 5))
    again = record_rain(session=session, clock=clock("2026-12-05 19:00"), day=date(2026, 12, 5))
    record_rain(session=session, clock=clock("2026-12-06 19:00"), day=date(2026, 12, 6))

    assert (first.new, again.new) == (True, False)
    assert [(i.status, i.due) for i in items(session, policy, "2026-12-06 20:00", LEAK)] == [
        ("due", date(2026, 12, 6))
    ]


def test_p4_4_leak_repair_voided_rain_day_no_longer_counts(session, policy, site):
    event_(session, policy, site.h, "leak-repair", "2026-11-24 10:00")
    record_rain(session=session, clock=clock("2026-12-05 07:00"), day=date(2026, 12, 5))

    void(
        session=session,
        clock=clock("2026-12-05 09:00"),
        kind="rain",
        record_id="2026-12-05",
        reason="x",
    )

    assert [(i.status, i.due) for i in items(session, policy, "2026-12-06 09:00", LEAK)] == [
        ("waiting", None)
    ]
    record_rain(session=session, clock=clock("2026-12-08 07:00"), day=date(2026, 12, 8))
    assert [(i.status, i.due) for i in items(session, policy, "2026-12-08 09:00", LEAK)] == [
        ("upcoming", date(2026, 12, 9))
    ]


def test_p4_4_leak_repair_rain_recorded_later_is_not_seen_by_an_earlier_clock(
    session, policy, site
):
    event_(session, policy, site.h, "leak-repair", "2026-11-24 10:00")

    record_rain(session=session, clock=clock("2026-12-07 09:00"), day=date(2026, 12, 5))

    assert [(i.status, i.due) for i in items(session, policy, "2026-12-06 09:00", LEAK)] == [
        ("waiting", None)
    ]
    assert [(i.status, i.due) for i in items(session, policy, "2026-12-07 10:00", LEAK)] == [
        ("overdue", date(2026, 12, 6))
    ]


def test_p4_4_leak_repair_is_listed_with_its_due_day_once_it_has_rained(session, policy, site):
    fid = ids(event_(session, policy, site.h, "leak-repair", "2026-11-24 10:00"))[LEAK]
    now = clock("2026-12-07 09:00")
    assert [
        (i["id"], i["state"], i["due"])
        for i in list_followups(session=session, clock=now, rule=LEAK)
    ] == [(fid, "waiting", None)]

    record_rain(session=session, clock=clock("2026-12-05 07:00"), day=date(2026, 12, 5))

    assert [(i.ref, i.status, i.due) for i in items(session, policy, "2026-12-07 09:00", LEAK)] == [
        (fid, "overdue", date(2026, 12, 6))
    ]
    # `followup show` agrees with `due`: once it has rained, the follow-up is open with its day.
    shown = show_followup(session=session, clock=now, followup_id=fid)
    assert (shown["state"], shown["due"]) == ("open", date(2026, 12, 6))
    assert [
        (i["id"], i["state"], i["due"])
        for i in list_followups(session=session, clock=now, rule=LEAK)
    ] == [(fid, "open", date(2026, 12, 6))]


def test_p4_4_purpose_p4_4_picks_the_older_overdue_leak_repair_over_a_newer_emergency(
    session, policy, site
):
    leak = ids(event_(session, policy, site.h, "leak-repair", "2026-11-10 10:00"))[LEAK]
    record_rain(session=session, clock=clock("2026-11-12 07:00"), day=date(2026, 11, 12))
    emergency = ids(event_(session, policy, site.h, "emergency-repair", "2026-11-25 10:00"))[
        EMERGENCY
    ]
    assert [
        (i.ref, i.status) for i in items(session, policy, "2026-11-25 14:00") if i.clause == "P4.4"
    ] == [(leak, "overdue"), (emergency, "due")]

    result = log(session, policy, site.h, "Wang", "2026-11-25 14:00", purposes=["P4.4"])

    # The oldest open one, whatever its deadline: a leak repair has no stored deadline (its day comes from the rain).
    assert [r.id for r in result.followups_done] == [leak]


def test_p4_4_leak_repair_rain_in_the_future_is_refused(session, policy, site):
    with pytest.raises(InvalidInput, match="record rain on the day it falls"):
        record_rain(session=session, clock=clock("2026-12-04 22:00"), day=date(2026, 12, 5))


# --- P4.5 community activity ---------------------------------------------------------------


def test_p4_5_activity_invites_each_occupied_household_once_due_the_day_before(
    session, policy, site
):
    b = household(session, "2-101", "2026-01-05 08:00", zone="B")
    household(session, "1-102", "2026-01-05 08:00", status=Status.not_moved_in)
    gone = household(session, "1-103", "2026-01-05 08:00")
    void(
        session=session,
        clock=clock("2026-11-01 08:00"),
        kind="household",
        record_id=gone,
        reason="x",
    )

    result = add_activity(
        session=session,
        clock=clock("2026-11-26 10:00"),
        policy=policy,
        name="Concert",
        day=date(2026, 12, 5),
    )

    assert result.invitations == 2
    found = items(session, policy, "2026-11-26 12:00", INVITE)
    assert sorted(
        (i.subject_id, i.owner_id, i.clause, i.strength, i.due, i.status) for i in found
    ) == sorted(
        [
            (site.h, site.wang, "P4.5", "may", date(2026, 12, 4), "due"),
            (b, site.li, "P4.5", "may", date(2026, 12, 4), "due"),
        ]
    )
    assert {i.title for i in found} == {"invitation to the community event: Concert"}


def test_p4_5_activity_invitations_are_not_listed_from_the_activity_day(session, policy, site):
    add_activity(
        session=session,
        clock=clock("2026-11-26 10:00"),
        policy=policy,
        name="Concert",
        day=date(2026, 12, 5),
    )

    assert status_at(
        session, policy, INVITE, ["2026-11-26 09:59", "2026-12-04 23:59", "2026-12-05 00:00"]
    ) == [
        ("2026-11-26 09:59",),  # not added yet
        ("2026-12-04 23:59", ("due", date(2026, 12, 4))),
        ("2026-12-05 00:00",),
    ]


@pytest.mark.parametrize(
    "day, eve, ended_on",
    [
        (date(2026, 12, 5), date(2026, 12, 4), date(2026, 12, 5)),
        # The eve is the month's last day: the invitation lapses on 1 December, so in December.
        (date(2026, 12, 1), date(2026, 11, 30), date(2026, 12, 1)),
    ],
)
def test_p4_5_invitation_past_the_event_is_lapsed_in_due_all_that_month(
    session, policy, site, day, eve, ended_on
):
    add_activity(
        session=session, clock=clock("2026-11-26 10:00"), policy=policy, name="Concert", day=day
    )
    [ref] = [r["id"] for r in list_followups(session=session, clock=clock("2026-11-26 10:00"))]

    def state(now: str) -> str:
        return show_followup(session=session, clock=clock(now), followup_id=ref)["state"]

    eve_end = f"{eve} 23:59"
    assert listed(session, policy, eve_end, INVITE, show_all=False) == [("due", "may", eve, ref)]
    assert state(eve_end) == "open"
    # From the day of the event: in no day's list, lapsed in `due --all` until the month's end.
    month_end = f"{ended_on.replace(day=31)} 23:59"
    for now in (f"{ended_on} 00:00", month_end):
        assert listed(session, policy, now, INVITE, show_all=False) == []
        assert listed(session, policy, now, INVITE, show_all=True) == [("lapsed", "may", eve, ref)]
        assert state(now) == "lapsed"
    assert listed(session, policy, "2027-01-01 00:00", INVITE, show_all=True) == []
    assert state("2027-01-01 00:00") == "lapsed"


def test_p4_5_activity_today_or_past_is_refused(session, policy, site):
    with pytest.raises(InvalidInput, match="is not after today"):
        add_activity(
            session=session,
            clock=clock("2026-11-26 10:00"),
            policy=policy,
            name="Concert",
            day=date(2026, 11, 26),
        )
    assert count(session, obligation) == 0


def test_p4_5_activity_invitations_spread_as_a_daily_share_over_working_days_left(
    session, policy, site
):
    for n in range(2, 7):  # 1-101 .. 1-106: six households of Wang's
        household(session, f"1-10{n}", "2026-01-05 08:00")
    # Monday 30 Nov, activity on Saturday 5 Dec: the eve is Friday 4 Dec, five working days to go.
    add_activity(
        session=session,
        clock=clock("2026-11-30 08:00"),
        policy=policy,
        name="Concert",
        day=date(2026, 12, 5),
    )

    def share(now: str):
        view = due_view(
            session.connection(), policy, clock(now), WorkCalendar(), Scope(owner_id=site.wang)
        )
        return [i for i in view.items if i.rule == INVITE], view.remaining[
            "invitation to the community event: Concert"
        ]

    shown, left = share("2026-11-30 09:00")
    assert (len(shown), left) == (2, 4)  # ceil(6 / 5)
    assert {i.status for i in shown} == {"due"}
    first = shown[0]
    log(session, policy, first.subject_id, "Wang", "2026-11-30 10:00", for_ids=[first.ref])
    shown, left = share("2026-11-30 10:30")  # one done: the day's share shrinks by one
    assert (len(shown), left) == (1, 4)
    assert first.ref not in [i.ref for i in shown]
    shown, left = share("2026-12-01 09:00")  # five left over four working days
    assert (len(shown), left) == (2, 3)
    shown, left = share("2026-12-04 09:00")  # the eve: the last working day, every invitation left
    assert (len(shown), left) == (5, 0)


def test_p4_5_two_activities_on_the_same_day_list_every_invitation_on_the_eve(
    session, policy, site
):
    household(session, "1-102", "2026-01-05 08:00")
    add_activity(
        session=session,
        clock=clock("2026-11-30 08:00"),
        policy=policy,
        name="Concert",
        day=date(2026, 12, 5),
    )
    add_activity(
        session=session,
        clock=clock("2026-11-30 08:05"),
        policy=policy,
        name="Tea party",
        day=date(2026, 12, 5),
    )

    view = due_view(
        session.connection(),
        policy,
        clock("2026-12-04 09:00"),
        WorkCalendar(),
        Scope(owner_id=site.wang),
    )

    # Two invitations to one household are two items of the day's share: on the eve all four are listed.
    assert Counter(i.title for i in view.items if i.rule == INVITE) == Counter(
        {
            "invitation to the community event: Concert": 2,
            "invitation to the community event: Tea party": 2,
        }
    )


# --- P4.6, P4.7, P4.9 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, rule, clause, strength, due, channels, after",
    [
        ("wedding", "wedding", "P4.6", "may", date(2026, 12, 3), "door,phone", "lapsed"),
        ("bereavement", "bereavement", "P4.7", "must", date(2026, 11, 29), "door", "overdue"),
        ("fee-arrears", "fee-arrears", "P4.9", "must", date(2026, 12, 3), "door", "overdue"),
    ],
)
def test_p4_6_p4_7_p4_9_event_writes_followup_for_the_zone_butler(
    session, policy, site, kind, rule, clause, strength, due, channels, after
):
    result = event_(session, policy, site.h, kind, "2026-11-26 10:00")

    assert [w.obligation.rule for w in result.followups] == [rule]
    [item] = items(session, policy, "2026-11-26 12:00", rule)
    assert (
        item.clause,
        item.strength,
        item.kind,
        item.owner_id,
        item.due,
        item.status,
        item.ref,
    ) == (clause, strength, "followup", site.wang, due, "due", ids(result)[rule])
    assert (
        show_followup(session=session, clock=clock("2026-11-26 12:00"), followup_id=item.ref)[
            "channels"
        ]
        == channels
    )
    after_due = f"{due + timedelta(days=1)} 00:00"
    assert [s for s, *_ in listed(session, policy, after_due, rule, show_all=True)] == [after]


def test_p4_6_wedding_offer_is_may_and_lapses_not_overdue(session, policy, site):
    fid = ids(event_(session, policy, site.h, "wedding", "2026-11-26 10:00"))["wedding"]
    offer = ("may", date(2026, 12, 3), fid)

    # Due up to the end of its day, then lapsed: never overdue, in no day's list, in the owner's
    # `due --all` while the month it lapsed in lasts, then no longer.
    assert listed(session, policy, "2026-12-03 23:59", "wedding", show_all=False) == [
        ("due", *offer)
    ]
    for now in ("2026-12-04 00:00", "2026-12-31 23:59"):
        assert listed(session, policy, now, "wedding", show_all=False) == []
        assert items(session, policy, now, "wedding") == []  # not open (a household's profile)
        assert listed(session, policy, now, "wedding", show_all=True, owner_id=site.wang) == [
            ("lapsed", *offer)
        ]
    assert listed(session, policy, "2027-01-01 00:00", "wedding", show_all=True) == []
    # The follow-up says so, and nothing vanished: it is not among the open ones any more.
    later = clock("2027-01-01 00:00")
    assert show_followup(session=session, clock=later, followup_id=fid)["state"] == "lapsed"
    assert [(r["id"], r["state"]) for r in list_followups(session=session, clock=later)] == [
        (fid, "lapsed")
    ]
    assert list_followups(session=session, clock=later, open_only=True) == []


def test_p4_6_wedding_offer_lapsed_is_not_overdue_in_the_monthly_report(session, policy, site):
    event_(session, policy, site.h, "wedding", "2026-12-01 10:00")  # due by 8 December
    event_(session, policy, site.h, "bereavement", "2026-12-01 10:00")  # a must, for contrast

    c = clock("2027-01-02 08:30")
    [found] = followup_sections(
        session.connection(), policy, c, Month.of(date(2026, 12, 1), c), SITE
    )

    assert [(r["clause"], r["created"], r["open_overdue"]) for r in found.rows] == [
        ("P4.6", 1, 0),
        ("P4.7", 1, 1),
    ]


def test_p4_7_condolence_phone_call_does_not_do_a_door_only_followup(session, policy, site):
    fid = ids(event_(session, policy, site.h, "bereavement", "2026-11-26 10:00"))["bereavement"]

    call = log(session, policy, site.h, "Wang", "2026-11-26 15:00", Channel.phone, for_ids=[fid])

    assert call.followups_done == []
    assert call.followups_open == [
        f"follow-up #{fid} stays open: it needs a door visit, this was phone."
    ]
    assert [
        (i.ref, i.status) for i in items(session, policy, "2026-11-27 09:00", "bereavement")
    ] == [(fid, "due")]


def test_p4_9_fee_arrears_busy_attempt_does_not_do_the_followup(session, policy, site):
    fid = ids(event_(session, policy, site.h, "fee-arrears", "2026-11-26 10:00"))["fee-arrears"]

    busy = log(
        session,
        policy,
        site.h,
        "Wang",
        "2026-11-27 10:00",
        Channel.door,
        Outcome.busy,
        for_ids=[fid],
    )

    assert busy.followups_done == []
    assert busy.followups_open == [
        f"follow-up #{fid} stays open: the visit did not reach anyone (busy)."
    ]
    assert [i.ref for i in items(session, policy, "2026-11-27 11:00", "fee-arrears")] == [fid]


# --- P4.11 pregnancy and birth -------------------------------------------------------------


@pytest.mark.parametrize("kind", ["pregnancy", "birth"])
def test_p4_11_pregnancy_or_birth_may_visit_with_butler_and_health_butler(
    session, policy, site, hu, kind
):
    result = event_(session, policy, site.h, kind, "2026-11-26 10:00")
    fid = ids(result)["pregnancy-birth"]

    [item] = items(session, policy, "2026-11-26 12:00", "pregnancy-birth")
    assert (item.clause, item.strength, item.owner_id, item.due, item.together) == (
        "P4.11",
        "may",
        site.wang,
        date(2026, 12, 3),
        (("butler", "Wang"), ("health-butler", "Hu")),
    )
    # The health butler sees it in their list too.
    assert [
        i.ref for i in items(session, policy, "2026-11-26 12:00", "pregnancy-birth", owner_id=hu)
    ] == [fid]

    alone = log(session, policy, site.h, "Wang", "2026-11-27 10:00", for_ids=[fid])
    assert alone.followups_open == [
        f"follow-up #{fid} stays open: P4.11 needs a joint visit; missing health-butler (Hu)."
    ]
    together = log(session, policy, site.h, ["Wang", "Hu"], "2026-11-28 10:00", for_ids=[fid])
    assert [r.id for r in together.followups_done] == [fid]
    assert items(session, policy, "2026-11-28 11:00", "pregnancy-birth") == []


def test_p4_11_pregnancy_visit_is_may_and_lapses_not_overdue_for_both(session, policy, site, hu):
    fid = ids(event_(session, policy, site.h, "birth", "2026-11-26 10:00"))["pregnancy-birth"]

    for owner in (site.wang, hu):  # the butler's item, and the health butler's who must be there
        assert (
            listed(
                session,
                policy,
                "2026-12-04 08:30",
                "pregnancy-birth",
                show_all=False,
                owner_id=owner,
            )
            == []
        )
        assert listed(
            session, policy, "2026-12-04 08:30", "pregnancy-birth", show_all=True, owner_id=owner
        ) == [("lapsed", "may", date(2026, 12, 3), fid)]
    assert (
        show_followup(session=session, clock=clock("2026-12-04 08:30"), followup_id=fid)["state"]
        == "lapsed"
    )


# --- P5.4 new service ----------------------------------------------------------------------


def test_p5_4_new_service_writes_joint_visit_and_manual_task(session, policy, site):
    result = event_(session, policy, site.h, "new-service", "2026-11-26 10:00")

    found = {i.rule: i for i in items(session, policy, "2026-11-26 12:00") if i.clause == "P5.4"}
    visit_item, task = found["new-service-visit"], found["service-manual"]
    assert (
        visit_item.kind,
        visit_item.owner_id,
        visit_item.due,
        visit_item.together,
        visit_item.ref,
    ) == (
        "followup",
        site.zhao,
        date(2026, 12, 3),
        (("chief-butler", "Chen"), ("manager", "Zhao")),
        ids(result)["new-service-visit"],
    )
    assert (task.kind, task.owner_id, task.owner_name, task.due, task.status) == (
        "task",
        site.chen,
        "Chen",
        date(2026, 12, 10),
        "due",
    )


def test_p5_4_new_service_visit_by_the_manager_alone_stays_open_naming_the_chief_butler(
    session, policy, site
):
    fid = ids(event_(session, policy, site.h, "new-service", "2026-11-26 10:00"))[
        "new-service-visit"
    ]

    alone = log(session, policy, site.h, "Zhao", "2026-11-27 10:00", for_ids=[fid])
    assert alone.followups_open == [
        f"follow-up #{fid} stays open: P5.4 needs a joint visit; missing chief-butler (Chen)."
    ]

    joint = log(
        session,
        policy,
        site.h,
        ["Zhao", "Chen"],
        "2026-11-28 10:00",
        purposes=["new-service-visit"],
    )
    assert [r.id for r in joint.followups_done] == [fid]
    assert items(session, policy, "2026-11-28 11:00", "new-service-visit") == []


def test_p5_4_manual_task_is_done_by_finish_task_not_by_a_visit(session, policy, site):
    written = ids(event_(session, policy, site.h, "new-service", "2026-11-26 10:00"))
    task_id, visit_id = written["service-manual"], written["new-service-visit"]

    with pytest.raises(InvalidInput, match=f"follow-up #{task_id} is a task, not a visit"):
        log(session, policy, site.h, "Chen", "2026-11-27 10:00", for_ids=[task_id])
    with pytest.raises(InvalidInput, match=f"follow-up #{visit_id} .* is done by a visit"):
        finish_task(
            session=session,
            clock=clock("2026-11-27 11:00"),
            followup_id=visit_id,
            note_text="written",
        )

    finish_task(
        session=session,
        clock=clock("2026-11-30 11:00"),
        followup_id=task_id,
        note_text="manual p. 12",
    )

    assert items(session, policy, "2026-11-30 12:00", "service-manual") == []
    assert [i.ref for i in items(session, policy, "2026-11-30 10:00", "service-manual")] == [
        task_id
    ]  # as of before
    assert [i.ref for i in items(session, policy, "2026-11-30 12:00", "new-service-visit")] == [
        visit_id
    ]
    with pytest.raises(Conflict, match=f"follow-up #{task_id} is done already"):
        finish_task(
            session=session, clock=clock("2026-11-30 12:00"), followup_id=task_id, note_text="again"
        )


# --- naming the follow-up a visit is for ----------------------------------------------------


def test_p4_purpose_by_clause_or_rule_id_picks_the_oldest_open_followup(session, policy, site):
    first = ids(event_(session, policy, site.h, "fee-arrears", "2026-11-20 10:00"))["fee-arrears"]
    second = ids(event_(session, policy, site.h, "fee-arrears", "2026-11-25 10:00"))["fee-arrears"]

    by_clause = log(session, policy, site.h, "Wang", "2026-11-26 10:00", purposes=["p4.9"])
    by_rule = log(session, policy, site.h, "Wang", "2026-11-26 11:00", purposes=["fee-arrears"])

    assert ([r.id for r in by_clause.followups_done], [r.id for r in by_rule.followups_done]) == (
        [first],
        [second],
    )
    with pytest.raises(NotFound, match=r"Owner 1-101 \(1-101\) has no open follow-up for 'P4.9'"):
        log(session, policy, site.h, "Wang", "2026-11-26 12:00", purposes=["P4.9"])


def test_p4_for_another_households_followup_is_refused_and_nothing_written(session, policy, site):
    other = household(session, "1-102", "2026-01-05 08:00")
    fid = ids(event_(session, policy, other, "wedding", "2026-11-26 10:00"))["wedding"]
    before = count(session, visit_table)

    with pytest.raises(
        InvalidInput, match=rf"follow-up #{fid} is for Owner 1-102 \(1-102\), not for Owner 1-101"
    ):
        log(session, policy, site.h, "Wang", "2026-11-27 10:00", for_ids=[fid])

    assert count(session, visit_table) == before
    assert [i.ref for i in items(session, policy, "2026-11-27 11:00", "wedding")] == [fid]
    assert [i.subject_id for i in items(session, policy, "2026-11-27 11:00", MONTHLY)] == [
        site.h,
        other,
    ]


def test_p4_for_an_unknown_followup_is_refused_and_nothing_written(session, policy, site):
    with pytest.raises(NotFound, match="there is no follow-up #999"):
        log(session, policy, site.h, "Wang", "2026-11-27 10:00", for_ids=[999])
    assert count(session, visit_table) == 0


def test_p4_for_a_followup_done_already_is_refused(session, policy, site):
    fid = ids(event_(session, policy, site.h, "wedding", "2026-11-26 10:00"))["wedding"]
    log(session, policy, site.h, "Wang", "2026-11-26 11:00", for_ids=[fid])

    with pytest.raises(Conflict, match=f"follow-up #{fid} is done already"):
        log(session, policy, site.h, "Wang", "2026-11-26 12:00", for_ids=[fid])
    assert count(session, visit_table) == 1


def test_p1_reached_contact_with_a_followup_still_counts_for_the_monthly_visit(
    session, policy, site
):
    fid = ids(event_(session, policy, site.h, "wedding", "2026-11-26 10:00"))["wedding"]

    result = log(session, policy, site.h, "Wang", "2026-11-26 11:00", Channel.phone, for_ids=[fid])

    assert [r.id for r in result.followups_done] == [fid]
    assert [s.rule for s in result.satisfied] == [MONTHLY]
    assert items(session, policy, "2026-11-26 12:00", party_id=site.h) == []


def test_p4_visit_naming_no_followup_hints_at_the_open_ones_and_leaves_them_open(
    session, policy, site
):
    fid = ids(event_(session, policy, site.h, "wedding", "2026-11-26 10:00"))["wedding"]

    result = log(session, policy, site.h, "Wang", "2026-11-26 11:00")

    assert [h.id for h in result.hints] == [fid]
    assert [i.ref for i in items(session, policy, "2026-11-26 12:00", "wedding")] == [fid]


# --- as of the clock ------------------------------------------------------------------------


def test_p4_followup_done_later_is_still_open_at_an_earlier_clock(session, policy, site):
    fid = ids(event_(session, policy, site.h, "bereavement", "2026-11-26 10:00"))["bereavement"]
    log(session, policy, site.h, "Wang", "2026-11-30 10:00", for_ids=[fid])

    assert brief(items(session, policy, "2026-11-29 09:00", "bereavement")) == [
        ("bereavement", site.h, "due", date(2026, 11, 29))
    ]
    assert brief(items(session, policy, "2026-11-30 09:00", "bereavement")) == [
        ("bereavement", site.h, "overdue", date(2026, 11, 29))
    ]
    assert items(session, policy, "2026-11-30 10:00", "bereavement") == []


def test_p4_followup_cancelled_later_is_still_open_at_an_earlier_clock(session, policy, site):
    fid = ids(event_(session, policy, site.h, "wedding", "2026-11-26 10:00"))["wedding"]
    cancel_followup(
        session=session,
        clock=clock("2026-11-28 10:00"),
        followup_id=fid,
        reason="wedding called off",
    )

    assert [i.ref for i in items(session, policy, "2026-11-27 10:00", "wedding")] == [fid]
    assert items(session, policy, "2026-11-28 10:01", "wedding") == []
    [listed] = list_followups(session=session, clock=clock("2026-11-28 10:01"), rule="P4.6")
    assert (listed["id"], listed["state"], listed["note"]) == (
        fid,
        "cancelled",
        "wedding called off",
    )


def test_p4_event_recorded_later_is_not_seen_by_an_earlier_clock(session, policy, site):
    event_(session, policy, site.h, "wedding", "2026-11-26 10:00", now="2026-11-27 09:00")

    assert items(session, policy, "2026-11-26 12:00", "wedding") == []
    assert [i.due for i in items(session, policy, "2026-11-27 09:00", "wedding")] == [
        date(2026, 12, 3)
    ]


def test_p4_voided_event_cancels_its_followups(session, policy, site):
    result = event_(session, policy, site.h, "wedding", "2026-11-26 10:00")
    assert [i.ref for i in items(session, policy, "2026-11-26 10:30", "wedding")] == [
        ids(result)["wedding"]
    ]

    void(
        session=session,
        clock=clock("2026-11-26 11:00"),
        kind="event",
        record_id=result.event.id,
        reason="x",
    )

    assert items(session, policy, "2026-11-26 12:00", "wedding") == []


def test_p4_unknown_event_kind_is_refused(session, policy, site):
    with pytest.raises(InvalidInput, match="'party' is not an event careops knows"):
        event_(session, policy, site.h, "party", "2026-11-26 10:00")
    assert count(session, event) == 0


def test_p4_open_follow_ups_move_with_the_zone_and_the_household_to_the_new_butler(
    session, policy, site
):
    repair = (
        record_event(
            session=session,
            clock=clock("2026-11-26 10:00"),
            policy=policy,
            ref="1-101",
            kind="emergency-repair",
        )
        .followups[0]
        .obligation.id
    )
    edit_zone(session=session, clock=clock("2026-11-26 11:00"), name="A", butler="Li")
    [moved] = items(session, policy, "2026-11-26 12:00", rule=EMERGENCY)
    assert (moved.ref, moved.owner_name) == (repair, "Li")

    from careops.services.residents import edit_resident

    edit_zone(session=session, clock=clock("2026-11-26 12:30"), name="A", butler="Wang")
    edit_resident(session=session, clock=clock("2026-11-26 13:00"), ref="1-101", zone_ref="B")
    [again] = items(session, policy, "2026-11-26 14:00", rule=EMERGENCY)
    assert again.owner_name == "Li"


def test_p4_purpose_may_name_the_event_that_wrote_the_follow_up(session, policy, site):
    fid = ids(event_(session, policy, site.h, "new-service", "2026-11-26 10:00"))[
        "new-service-visit"
    ]
    result = log(
        session,
        policy,
        site.h,
        ["Zhao", "Chen"],
        "2026-11-26 15:00",
        Channel.door,
        purposes=["new-service"],
    )
    assert [r.id for r in result.followups_done] == [
        fid
    ]  # the visit, not the manual task of the same event


def test_p4_4_leak_repair_waiting_30_days_without_rain_asks_the_butler_whether_it_has_rained(
    session, policy, site
):
    event_(session, policy, site.h, "leak-repair", "2026-11-01 10:00", now="2026-11-01 10:00")

    [waiting] = items(session, policy, "2026-11-30 20:00", LEAK)  # 29 days: still waiting
    [asked] = items(session, policy, "2026-12-01 08:00", LEAK)  # 30 days after the repair
    assert (waiting.status, waiting.due) == ("waiting", None)
    assert (asked.status, asked.due, asked.owner_id) == ("due", date(2026, 12, 1), site.wang)
    assert asked.why == (
        "follow-up after the leak repair, once it has rained: no rainy day recorded since the repair of "
        "2026-11-01 — has it rained? Record it (`careops rain DATE`), and the follow-up is due the day after"
    )
    record_rain(session=session, clock=clock("2026-12-02 07:00"), day=date(2026, 11, 20))
    [rained] = items(session, policy, "2026-12-02 08:00", LEAK)
    assert (rained.status, rained.due) == ("overdue", date(2026, 11, 21))

"""P3 when and how to call: call windows and callbacks, with a fixed clock.

Phone calls are fine Tue–Sun 09:00–12:00, 14:00–17:30, 19:00–21:00; a call
outside them is recorded with a warning. A busy call with an agreed time makes
a callback owned by the caller: upcoming before its day, due on it, overdue
after; the next reached contact with that party closes it.
"""

from __future__ import annotations

from collections import Counter

import pytest

from careops.calendar.workdays import WorkCalendar
from careops.clock import parse_local
from careops.errors import InvalidInput
from careops.scheduler.cadence import Scope
from careops.scheduler.due import due_view
from careops.services.contacts import add_contact
from careops.services.residents import add_resident
from careops.services.visits import list_visits, log_visit
from careops.vocab import Channel, ContactKind, Outcome

from conftest import clock
from scheduling import household, items, local, two_zone_site

CALLBACK = "p3-callback"
MONTHLY = "p1-monthly-visit"


@pytest.fixture
def site(session):
    """Zone A (butler Wang) with household 1-101 recorded 2026-01-05; butler Li; manager Zhao."""
    found = two_zone_site(session)
    found.h = household(session, "1-101", "2026-01-05 08:00")
    return found


def call(
    session,
    policy,
    party_id: int,
    by: str,
    when: str,
    outcome: Outcome = Outcome.reached,
    callback: str | None = None,
    channel: Channel = Channel.phone,
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
        callback=parse_local(callback) if callback else None,
    )


# --- call windows ------------------------------------------------------------------------

# 2026-03-09 is a Monday, 2026-03-10 a Tuesday, 2026-03-15 a Sunday.
OUTSIDE = [
    "2026-03-09 10:00",
    "2026-03-10 08:59",
    "2026-03-10 12:00",
    "2026-03-10 13:59",
    "2026-03-10 17:30",
    "2026-03-10 18:59",
    "2026-03-10 21:00",
    "2026-03-15 21:30",
]
INSIDE = [
    "2026-03-10 09:00",
    "2026-03-10 11:59",
    "2026-03-10 14:00",
    "2026-03-10 17:29",
    "2026-03-10 19:00",
    "2026-03-14 10:00",
    "2026-03-15 20:59",
]


@pytest.mark.parametrize("when", OUTSIDE)
def test_p3_phone_call_outside_call_windows_warns_but_is_recorded(session, policy, site, when):
    result = call(session, policy, site.h, "Wang", when)

    [warning] = result.warnings
    assert f"this call at {parse_local(when):%a %H:%M} is outside the call windows (P3: " in warning
    assert "Tue/Wed/Thu/Fri/Sat/Sun 09:00-12:00, 14:00-17:30, 19:00-21:00" in warning
    # The fact is never refused: it is recorded and counts for P1.
    history = list_visits(session=session, clock=clock(when), ref=f"#{site.h}")
    assert [(v["id"], v["at"]) for v in history] == [(result.visit.id, local(when))]
    assert [s.rule for s in result.satisfied] == [MONTHLY]


@pytest.mark.parametrize("when", INSIDE)
def test_p3_phone_call_inside_call_windows_gives_no_warning(session, policy, site, when):
    assert call(session, policy, site.h, "Wang", when).warnings == []


def test_p3_door_visit_on_monday_gives_no_warning(session, policy, site):
    assert (
        call(session, policy, site.h, "Wang", "2026-03-09 10:00", channel=Channel.door).warnings
        == []
    )


def test_p3_callback_outside_call_windows_warns(session, policy, site):
    result = call(
        session,
        policy,
        site.h,
        "Wang",
        "2026-03-10 10:00",
        Outcome.busy,
        callback="2026-03-16 10:00",
    )

    [warning] = result.warnings
    assert warning.startswith(
        "the callback at Mon 2026-03-16 10:00 is outside the call windows (P3: "
    )
    assert result.callback is not None


# --- callbacks ---------------------------------------------------------------------------


def test_p3_callback_upcoming_due_overdue(session, policy, site):
    result = call(
        session,
        policy,
        site.h,
        "Wang",
        "2026-03-10 10:00",
        Outcome.busy,
        callback="2026-03-12 15:00",
    )
    assert result.warnings == []

    [before] = items(session, policy, "2026-03-11 18:00", CALLBACK)
    assert (before.rule, before.clause, before.strength, before.kind) == (
        CALLBACK,
        "P3",
        "should",
        "callback",
    )
    assert (before.subject_type, before.subject_id, before.subject_unit) == (
        "household",
        site.h,
        "1-101",
    )
    assert (before.owner_id, before.owner_name, before.ref) == (
        site.wang,
        "Wang",
        result.callback.id,
    )
    assert (before.due, before.status, before.last_contact) == (
        local("2026-03-12 15:00"),
        "upcoming",
        None,
    )

    statuses = [
        (now, items(session, policy, now, CALLBACK)[0].status)
        for now in ("2026-03-12 00:00", "2026-03-12 23:59", "2026-03-13 00:00", "2026-04-02 09:00")
    ]
    assert statuses == [
        ("2026-03-12 00:00", "due"),
        ("2026-03-12 23:59", "due"),
        ("2026-03-13 00:00", "overdue"),
        ("2026-04-02 09:00", "overdue"),
    ]


def test_p3_callback_owned_by_the_caller(session, policy, site):
    result = call(
        session, policy, site.h, "Li", "2026-03-10 10:00", Outcome.busy, callback="2026-03-12 15:00"
    )
    now = "2026-03-11 09:00"

    assert [
        (i.ref, i.owner_id) for i in items(session, policy, now, CALLBACK, owner_id=site.li)
    ] == [(result.callback.id, site.li)]
    assert items(session, policy, now, CALLBACK, owner_id=site.wang) == []
    # The household's monthly visit stays with its zone butler, still open: a busy call is no visit.
    assert [(i.rule, i.owner_id) for i in items(session, policy, now, owner_id=site.wang)] == [
        (MONTHLY, site.wang)
    ]


def test_p3_callback_closed_by_next_reached_contact_with_that_party(session, policy, site):
    busy = call(
        session,
        policy,
        site.h,
        "Wang",
        "2026-03-10 10:00",
        Outcome.busy,
        callback="2026-03-12 15:00",
    )

    reached = call(session, policy, site.h, "Li", "2026-03-12 15:05", channel=Channel.door)

    assert reached.closed == [busy.callback.id]
    assert items(session, policy, "2026-03-12 16:00", CALLBACK) == []
    assert items(session, policy, "2026-03-20 09:00", CALLBACK) == []
    # As of before the closing contact, the callback was still open.
    [earlier] = items(session, policy, "2026-03-12 15:00", CALLBACK)
    assert (earlier.ref, earlier.status) == (busy.callback.id, "due")


def test_p3_callback_not_closed_by_busy_no_answer_or_another_party(session, policy, site):
    other = add_resident(
        session=session,
        clock=clock("2026-01-05 08:00"),
        name="Owner 1-102",
        unit="1-102",
        zone_ref="A",
    ).id
    busy = call(
        session,
        policy,
        site.h,
        "Wang",
        "2026-03-10 10:00",
        Outcome.busy,
        callback="2026-03-12 15:00",
    )

    again = call(session, policy, site.h, "Wang", "2026-03-12 15:00", Outcome.busy)
    silent = call(session, policy, site.h, "Wang", "2026-03-12 15:10", Outcome.no_answer)
    elsewhere = call(session, policy, other, "Wang", "2026-03-12 15:20")

    assert (again.closed, silent.closed, elsewhere.closed) == ([], [], [])
    [item] = items(session, policy, "2026-03-13 09:00", CALLBACK)
    assert (item.ref, item.status, item.last_contact) == (busy.callback.id, "overdue", None)


def test_p3_callback_last_contact_is_the_last_reached_one(session, policy, site):
    call(session, policy, site.h, "Wang", "2026-02-10 10:00")
    call(
        session,
        policy,
        site.h,
        "Wang",
        "2026-03-10 10:00",
        Outcome.busy,
        callback="2026-03-12 15:00",
    )

    [item] = items(session, policy, "2026-03-11 09:00", CALLBACK)

    assert item.last_contact == local("2026-02-10 10:00")


def test_p3_callback_for_a_contact_by_the_manager(session, policy, site):
    chair = add_contact(
        session=session,
        clock=clock("2026-02-10 09:00"),
        name="Chair Sun",
        kind=ContactKind.committee_chair,
    ).id
    result = call(
        session,
        policy,
        chair,
        "Zhao",
        "2026-03-10 10:00",
        Outcome.busy,
        callback="2026-03-11 10:00",
    )

    [item] = items(session, policy, "2026-03-11 09:00", CALLBACK)

    assert (
        item.subject_type,
        item.subject_id,
        item.subject_name,
        item.owner_id,
        item.ref,
        item.status,
    ) == ("contact", chair, "Chair Sun", site.zhao, result.callback.id, "due")


def test_p3_callback_recorded_after_now_is_ignored(session, policy, site):
    call(
        session,
        policy,
        site.h,
        "Wang",
        "2026-03-10 10:00",
        Outcome.busy,
        callback="2026-03-12 15:00",
    )

    assert items(session, policy, "2026-03-10 09:00", CALLBACK) == []


def test_p3_callback_goes_with_busy_or_no_answer_and_after_the_call(session, policy, site):
    with pytest.raises(InvalidInput):
        call(
            session,
            policy,
            site.h,
            "Wang",
            "2026-03-10 10:00",
            Outcome.reached,
            callback="2026-03-12 15:00",
        )
    with pytest.raises(InvalidInput):
        call(
            session,
            policy,
            site.h,
            "Wang",
            "2026-03-10 10:00",
            Outcome.busy,
            callback="2026-03-10 09:00",
        )


def test_p3_callback_in_daily_share_due_today_shown_upcoming_summarised(session, policy, site):
    other = add_resident(
        session=session,
        clock=clock("2026-03-02 08:00"),
        name="Owner 1-102",
        unit="1-102",
        zone_ref="A",
    ).id
    today = call(
        session,
        policy,
        site.h,
        "Wang",
        "2026-03-10 10:00",
        Outcome.busy,
        callback="2026-03-12 15:00",
    )
    call(
        session,
        policy,
        other,
        "Wang",
        "2026-03-10 10:05",
        Outcome.busy,
        callback="2026-03-14 10:00",
    )

    view = due_view(
        session.connection(),
        policy,
        clock("2026-03-12 08:30"),
        WorkCalendar(),
        Scope(owner_id=site.wang),
    )

    assert [(i.rule, i.subject_id, i.status, i.ref) for i in view.items] == [
        (MONTHLY, site.h, "overdue", None),  # no February visit
        (CALLBACK, site.h, "due", today.callback.id),
        (MONTHLY, other, "due", None),  # a share of one open item is that item
    ]
    assert view.remaining == Counter({"call back": 1})

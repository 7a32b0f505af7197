"""render.ics: due items and plan days as iCalendar files, read back with icalendar as a calendar app would."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from careops.render.ics import due_calendar, plan_calendar
from careops.scheduler.items import DueItem

from conftest import clock

NOW = clock("2026-11-27 08:30")  # a Friday
SH = ZoneInfo("Asia/Shanghai")


def item(**fields) -> DueItem:
    base = {
        "rule": "p1-monthly-visit",
        "clause": "P1",
        "strength": "must",
        "kind": "cadence",
        "title": "monthly visit",
        "subject_type": "household",
        "subject_id": 7,
        "subject_name": "王芳",
        "subject_unit": "3-2-1201",
        "owner_id": 1,
        "owner_name": "Wang Fang",
        "due": date(2026, 11, 30),
        "status": "due",
        "last_contact": None,
        "zone": "A",
        "period": "2026-11",
        "why": "monthly visit: no contact yet in 2026-11",
    }
    return DueItem(**{**base, **fields})


OVERDUE = item(
    subject_id=8,
    subject_name="李四",
    subject_unit="3-2-1202",
    status="overdue",
    missed="2026-10",
    why="monthly visit: no contact yet in 2026-11, none in 2026-10 either",
)
DUE = item(last_contact=datetime(2026, 10, 10, 10, 0, tzinfo=SH))
CALLBACK = item(
    rule="p3-callback",
    clause="P3",
    strength="should",
    kind="callback",
    title="call back",
    subject_id=9,
    subject_name="Zhang San",
    subject_unit="1-1-101",
    ref=4,
    due=datetime(2026, 11, 27, 10, 0, tzinfo=SH),
    why="busy on 2026-11-24 10:00; call back as agreed",
)
LATE_CALLBACK = item(
    rule="p3-callback",
    clause="P3",
    kind="callback",
    title="call back",
    subject_id=10,
    subject_name="Sun Li",
    subject_unit=None,
    ref=5,
    status="overdue",
    due=datetime(2026, 11, 25, 15, 0, tzinfo=SH),
    why="",
)
WAITING = item(
    rule="p4-leak",
    clause="P4.4",
    kind="followup",
    title="leak check",
    subject_id=11,
    due=None,
    status="waiting",
)

PLAN = [
    {
        "day": date(2026, 12, 3),
        "party_id": 7,
        "name": "王芳",
        "unit": "3-2-1201",
        "zone": "A",
        "clause": "P1",
        "rule": "p1-monthly-visit",
        "title": "monthly visit",
        "channel": "door",
        "plan_id": 2,
    },
    {
        "day": date(2026, 12, 4),
        "party_id": 12,
        "name": "赵六",
        "unit": "5-1-302",
        "zone": "B",
        "clause": "P1",
        "rule": "p1-owner-call",
        "title": "quarterly call, not moved in",
        "channel": "phone",
        "plan_id": 2,
    },
]


def events(data: bytes) -> dict[str, object]:
    """The file's events by summary."""
    cal = Calendar.from_ical(data)
    return {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}


def test_due_calendar_is_valid_crlf_icalendar_with_its_name():
    data = due_calendar([OVERDUE, DUE, CALLBACK], NOW, name="Wang Fang — due")
    text = data.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")  # every line ends CRLF
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))  # folded as RFC 5545 says
    cal = Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == "-//careops//careops//EN"
    assert str(cal["X-WR-CALNAME"]) == "Wang Fang — due"


def test_an_all_day_item_falls_on_its_due_day_with_what_a_butler_needs():
    event = events(due_calendar([DUE], NOW, name="due"))["P1 monthly visit — 王芳 3-2-1201"]
    assert event.decoded("DTSTART") == date(2026, 11, 30)
    assert event.decoded("DTEND") == date(2026, 12, 1)
    assert [str(c) for c in event["CATEGORIES"].cats] == ["P1"]
    assert event.decoded("DTSTAMP") == datetime(2026, 11, 27, 0, 30, tzinfo=ZoneInfo("UTC"))
    assert str(event["DESCRIPTION"]).splitlines() == [
        "monthly visit: no contact yet in 2026-11",
        "Clause: P1 (must)",
        "Status: due",
        "Last contact: 2026-10-10 10:00",
        "Who: Wang Fang",
        "Zone: A",
    ]
    assert str(event["LOCATION"]) == "3-2-1201, zone A"
    assert str(event["UID"]).endswith("@careops")


def test_an_overdue_item_is_shown_today_and_names_the_missed_period():
    event = events(due_calendar([OVERDUE], NOW, name="due"))["P1 monthly visit — 李四 3-2-1202"]
    assert event.decoded("DTSTART") == date(2026, 11, 27)
    assert "Status: overdue (missed 2026-10)" in str(event["DESCRIPTION"])
    assert "Last contact: never" in str(event["DESCRIPTION"])


def test_a_callback_is_a_half_hour_in_the_site_time_zone_with_its_vtimezone():
    data = due_calendar([CALLBACK], NOW, name="due")
    event = events(data)["P3 call back — Zhang San 1-1-101"]
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == datetime(2026, 11, 27, 10, 0, tzinfo=SH) and end - start == timedelta(
        minutes=30
    )
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert [str(tz["TZID"]) for tz in Calendar.from_ical(data).walk("VTIMEZONE")] == [
        "Asia/Shanghai"
    ]
    assert b"DTSTART;TZID=Asia/Shanghai:20261127T100000\r\n" in data


def test_a_callback_whose_day_has_passed_is_a_to_do_today():
    event = events(due_calendar([LATE_CALLBACK], NOW, name="due"))["P3 call back — Sun Li"]
    assert event.decoded("DTSTART") == date(2026, 11, 27)
    assert b"VTIMEZONE" not in due_calendar([LATE_CALLBACK], NOW, name="due")


def test_a_waiting_item_has_no_day_and_no_event():
    assert list(events(due_calendar([WAITING, DUE], NOW, name="due"))) == [
        "P1 monthly visit — 王芳 3-2-1201"
    ]


def test_uids_are_stable_across_renders_and_distinct_between_items():
    first = due_calendar([OVERDUE, DUE, CALLBACK], NOW, name="due")
    again = due_calendar([CALLBACK, DUE, OVERDUE], clock("2026-11-28 09:00"), name="due")
    uids = {s: str(e["UID"]) for s, e in events(first).items()}
    assert uids == {s: str(e["UID"]) for s, e in events(again).items()}
    assert len(set(uids.values())) == 3
    assert due_calendar([DUE], NOW, name="due") == due_calendar(
        [DUE], NOW, name="due"
    )  # same bytes


def test_plan_calendar_has_one_all_day_event_per_planned_visit():
    found = events(plan_calendar(PLAN, NOW, name="Wang Fang — December plan"))
    door = found["P1 monthly visit — 王芳 3-2-1201, at the door"]
    phone = found["P1 quarterly call, not moved in — 赵六 5-1-302, by phone"]
    assert (door.decoded("DTSTART"), door.decoded("DTEND")) == (
        date(2026, 12, 3),
        date(2026, 12, 4),
    )
    assert phone.decoded("DTSTART") == date(2026, 12, 4)
    assert str(door["LOCATION"]) == "3-2-1201, zone A" and "LOCATION" not in phone
    assert [str(c) for c in door["CATEGORIES"].cats] == ["P1"]
    assert str(door["DESCRIPTION"]) == "Planned at the door under P1 (p1-monthly-visit), plan #2."


def test_a_plan_visit_moved_to_another_day_keeps_its_uid():
    moved = [{**PLAN[0], "day": date(2026, 12, 10)}, PLAN[1]]
    before = [
        str(e["UID"]) for e in Calendar.from_ical(plan_calendar(PLAN, NOW, name="p")).walk("VEVENT")
    ]
    after = [
        str(e["UID"])
        for e in Calendar.from_ical(plan_calendar(moved, NOW, name="p")).walk("VEVENT")
    ]
    assert before == after and len(set(before)) == 2
    assert all(re.fullmatch(r"[0-9a-f]{40}@careops", uid) for uid in before)


def test_an_empty_list_is_still_a_calendar():
    cal = Calendar.from_ical(due_calendar([], NOW, name="nothing due"))
    assert cal.walk("VEVENT") == [] and str(cal["X-WR-CALNAME"]) == "nothing due"

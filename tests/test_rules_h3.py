"""H3.2–H3.7 the hospital office, E3 the employee survey, P4.10 the residents' survey: the due items.

A small hospital recorded on 2025-12-01: leadership Bai, the office clerk Zhou, and two clinical
departments, Internal Medicine (head Song) and Surgery (head Xu); Guo heads Medical Affairs, a
functional department. Every fact is recorded by a clock standing at the moment it happened, and
the scheduler is asked as of a fixed clock.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from careops.clock import parse_local
from careops.errors import Conflict, InvalidInput
from careops.scheduler.tables import (
    action_item,
    dept,
    disclosure_check,
    meeting,
    meeting_attendee,
    obligation,
    survey,
)
from careops.services import checks, meetings, surveys
from careops.services.audit import audit
from careops.services.depts import add_dept, edit_dept
from careops.services.leaving import start_leave
from careops.services.staff import add_staff
from careops.services.visits import log_visit
from careops.services.void import void
from careops.vocab import Audience, Channel, ContactKind, MeetingKind, OpinionKind, Role, Status

from conftest import clock
from scheduling import contact, household, items, two_zone_site, visit

WARD = "meeting-ward-forum"
HOSPITAL_FORUM = "meeting-hospital-ward-forum"
SUPERVISORS = "meeting-volunteer-supervisors"
COMMUNITY = "meeting-community-reps"
SCHEDULED = "meeting-scheduled"
OPINION = "action-opinion"
COOPERATION = "action-cooperation"
FAILED = "action-check"
PATIENTS = "survey-patients"
EMPLOYEES = "survey-employees"
RESIDENTS = "residents-survey"
OFFICE_KINDS = ("meeting", "action", "check", "survey")
CHECK_RULES = [f"check-H3.7.{n}" for n in range(1, 8)]
MINUTES = "Ward rules explained; health education on fall prevention. Opinions: none raised."


def hospital(session) -> SimpleNamespace:
    """Bai (leadership), Zhou (office), Song and Xu (heads of Internal Medicine and Surgery, both clinical), Guo
    (head of Medical Affairs, functional): all recorded 2025-12-01 09:00."""
    c = clock("2025-12-01 09:00")
    found = SimpleNamespace()
    for attr, name, role in (
        ("bai", "Bai", Role.leadership),
        ("zhou", "Zhou", Role.office),
        ("song", "Song", Role.dept_head),
        ("xu", "Xu", Role.dept_head),
        ("guo", "Guo", Role.dept_head),
    ):
        setattr(found, attr, add_staff(session=session, clock=c, name=name, role=role).id)
    found.im = add_dept(
        session=session, clock=c, name="Internal Medicine", clinical=True, head="Song"
    )["id"]
    found.surgery = add_dept(session=session, clock=c, name="Surgery", clinical=True, head="Xu")[
        "id"
    ]
    found.affairs = add_dept(session=session, clock=c, name="Medical Affairs", head="Guo")["id"]
    return found


@pytest.fixture
def h(session) -> SimpleNamespace:
    return hospital(session)


def schedule(
    session,
    policy,
    kind: MeetingKind,
    day: str,
    when: str,
    dept_ref: str | None = None,
    chair: str | None = None,
) -> int:
    """A meeting scheduled for `day`, by a clock standing at local time `when`."""
    return meetings.schedule(
        session=session,
        clock=clock(when),
        policy=policy,
        kind=kind,
        day=date.fromisoformat(day),
        dept_ref=dept_ref,
        chair=chair,
    ).id


def hold(
    session,
    meeting_id: int,
    when: str,
    on: str | None = None,
    attendees=("Bed 3's patient", "Head nurse"),
    minutes: str = MINUTES,
):
    """The minutes of a meeting recorded at local time `when` (held on `on`, else on its scheduled day)."""
    return meetings.hold(
        session=session,
        clock=clock(when),
        meeting_id=meeting_id,
        attendees=list(attendees),
        minutes=minutes,
        on=date.fromisoformat(on) if on else None,
    )


def held(session, policy, kind: MeetingKind, day: str, dept_ref: str | None = None) -> int:
    """A meeting scheduled a week ahead and held on `day` at 16:00, its minutes recorded then."""
    meeting_id = schedule(session, policy, kind, day, f"{day} 08:00", dept_ref)
    hold(session, meeting_id, f"{day} 16:00")
    return meeting_id


def opinion(
    session,
    policy,
    meeting_id: int,
    when: str,
    text: str = "the corridor is noisy at night",
    owner: str = "Song",
    **kw,
):
    return meetings.add_opinion(
        session=session,
        clock=clock(when),
        policy=policy,
        meeting_id=meeting_id,
        text=text,
        owner=owner,
        **kw,
    )


def check(
    session,
    policy,
    item: str,
    ok: bool,
    when: str,
    dept_ref: str | None = None,
    note_text: str | None = None,
):
    return checks.record_check(
        session=session,
        clock=clock(when),
        policy=policy,
        item=item,
        ok=ok,
        dept_ref=dept_ref,
        note_text=note_text,
    )


def patient_survey(session, policy, opens: str, when: str, closes: str | None = None):
    return surveys.create_survey(
        session=session,
        clock=clock(when),
        policy=policy,
        name=f"opinion cards {opens}",
        audience=Audience.patients,
        opens=date.fromisoformat(opens),
        closes=date.fromisoformat(closes or opens),
        anonymous=True,
    )


def answer(session, survey_id: int, when: str, on: str | None = None):
    """One card (overall=4) for the survey, typed in at local time `when` (given on `on`, else that day)."""
    return surveys.respond(
        session=session,
        clock=clock(when),
        survey_id=survey_id,
        scores=["overall=4"],
        on=date.fromisoformat(on) if on else None,
    )


def answered_survey(session, policy, opens: str, when: str, closes: str | None = None):
    """A patient survey with one card given on its opening day (typed in then, at 17:00)."""
    made = patient_survey(session, policy, opens, when, closes)
    answer(session, made.id, f"{opens} 17:00")
    return made


def office(session, policy, now: str, **scope) -> list:
    return [i for i in items(session, policy, now, **scope) if i.kind in OFFICE_KINDS]


def of(found, subject_name: str) -> list:
    return [i for i in found if i.subject_name == subject_name]


def brief(found) -> list[tuple]:
    return sorted((i.subject_name, i.status, i.due, i.missed, i.owner_name) for i in found)


def count(session, table) -> int:
    return session.connection().execute(select(func.count()).select_from(table)).scalar()


def all_october_forums(session, policy):
    """Both departments held their forum in October 2026 (on the 15th)."""
    held(session, policy, MeetingKind.ward_forum, "2026-10-15", "Internal Medicine")
    held(session, policy, MeetingKind.ward_forum, "2026-10-15", "Surgery")


# --- A site is a hospital once it records a clinical department -------------------------------------------


def test_H3_butler_site_without_a_clinical_department_has_no_office_items(session, policy):
    two_zone_site(session)
    household(session, "1-101", "2025-06-01 08:00")
    c = clock("2025-06-01 08:00")
    add_staff(session=session, clock=c, name="Zhou", role=Role.office, dept="Service Center")
    add_dept(
        session=session, clock=c, name="Engineering", head="Zhou"
    )  # a department, but not a ward

    assert office(session, policy, "2026-11-02 10:00") == []
    assert {i.kind for i in items(session, policy, "2026-11-02 10:00")} == {"cadence"}

    add_dept(
        session=session, clock=clock("2026-11-02 10:00"), name="Internal Medicine", clinical=True
    )

    assert office(session, policy, "2026-11-02 09:59") == []
    found = office(session, policy, "2026-11-02 10:01")
    assert sorted(i.rule for i in found) == sorted(
        [WARD, HOSPITAL_FORUM, SUPERVISORS, COMMUNITY, PATIENTS, *CHECK_RULES]
    )
    # It became a hospital this month, this quarter, this year: nothing it owes is late yet.
    assert {(i.status, i.missed) for i in found} == {("due", None)}


def test_H3_6_staff_add_with_a_new_department_records_it_once_in_any_case(session):
    c = clock("2026-11-02 09:00")
    add_staff(session=session, clock=c, name="Song", role=Role.dept_head, dept="surgery")
    add_staff(session=session, clock=c, name="Xu", role=Role.employee, dept="  SURGERY ")

    rows = session.connection().execute(select(dept.c.name, dept.c.clinical, dept.c.head_id)).all()
    assert [tuple(r) for r in rows] == [("surgery", False, None)]
    assert session.info["new_depts"] == ["surgery"]


# --- H3.6 ward forums: each clinical department monthly -------------------------------------------------


def test_H3_6_forum_held_on_the_31st_counts_for_that_month(session, policy, h):
    held(session, policy, MeetingKind.ward_forum, "2026-09-15", "Internal Medicine")
    held(session, policy, MeetingKind.ward_forum, "2026-09-15", "Surgery")
    # Internal Medicine's forum was scheduled for the 31st and its minutes recorded the next morning; Surgery's
    # was scheduled for the 29th, held on the 31st instead (--on), also recorded the next morning.
    im = schedule(
        session,
        policy,
        MeetingKind.ward_forum,
        "2026-10-31",
        "2026-10-20 09:00",
        "Internal Medicine",
    )
    surgery = schedule(
        session, policy, MeetingKind.ward_forum, "2026-10-29", "2026-10-20 09:00", "Surgery"
    )
    assert (
        hold(session, im, "2026-11-01 09:00").day,
        hold(session, surgery, "2026-11-01 09:05", on="2026-10-31").day,
    ) == (date(2026, 10, 31), date(2026, 10, 31))

    # October is met: November's forum is merely due, not overdue, and nothing is left scheduled.
    found = office(session, policy, "2026-11-01 10:00")
    assert [i for i in found if i.rule == SCHEDULED] == []
    assert brief([i for i in found if i.rule == WARD]) == [
        ("Internal Medicine", "due", date(2026, 11, 30), None, "Song"),
        ("Surgery", "due", date(2026, 11, 30), None, "Xu"),
    ]
    [im_item] = of(found, "Internal Medicine")
    assert (
        im_item.clause,
        im_item.kind,
        im_item.period,
        im_item.subject_type,
        im_item.subject_id,
    ) == ("H3.6", "meeting", "2026-11", "dept", h.im)
    assert im_item.why == "ward forum (H3.6): none held with minutes in 2026-11"
    # The evening of the 31st, before the minutes were recorded, October's forum was still owed.
    before = [i for i in office(session, policy, "2026-10-31 20:00") if i.rule in (WARD, SCHEDULED)]
    assert sorted((i.rule, i.subject_name, i.status, i.due) for i in before) == [
        (SCHEDULED, "Internal Medicine", "due", date(2026, 10, 31)),
        (SCHEDULED, "Surgery", "overdue", date(2026, 10, 29)),
        (WARD, "Surgery", "due", date(2026, 10, 31)),
    ]
    # The 31st does not count for November: on 1 December November was missed.
    assert brief([i for i in office(session, policy, "2026-12-01 09:00") if i.rule == WARD]) == [
        ("Internal Medicine", "overdue", date(2026, 12, 31), "2026-11", "Song"),
        ("Surgery", "overdue", date(2026, 12, 31), "2026-11", "Xu"),
    ]


def test_H3_6_department_that_missed_last_month_is_overdue(session, policy, h):
    held(session, policy, MeetingKind.ward_forum, "2026-09-10", "Surgery")
    held(session, policy, MeetingKind.ward_forum, "2026-10-15", "Internal Medicine")

    found = [i for i in office(session, policy, "2026-11-02 10:00") if i.rule == WARD]

    assert brief(found) == [
        ("Internal Medicine", "due", date(2026, 11, 30), None, "Song"),
        ("Surgery", "overdue", date(2026, 11, 30), "2026-10", "Xu"),
    ]
    assert (
        of(found, "Surgery")[0].why
        == "ward forum (H3.6): none held with minutes in 2026-11, none in 2026-10 either"
    )
    assert [
        i.subject_name for i in items(session, policy, "2026-11-02 10:00", WARD, owner_id=h.xu)
    ] == ["Surgery"]


def test_H3_6_department_recorded_this_month_is_not_overdue_for_last_month(session, policy, h):
    all_october_forums(session, policy)
    add_staff(session=session, clock=clock("2026-09-01 09:00"), name="Ma", role=Role.dept_head)
    add_dept(
        session=session,
        clock=clock("2026-10-01 00:30"),
        name="Paediatrics",
        clinical=True,
        head="Ma",
    )
    add_dept(
        session=session,
        clock=clock("2026-10-02 09:00"),
        name="Ophthalmology",
        clinical=True,
        head="Ma",
    )
    add_dept(
        session=session,
        clock=clock("2026-11-03 09:00"),
        name="Dermatology",
        clinical=True,
        head="Ma",
    )

    found = [i for i in office(session, policy, "2026-11-05 10:00") if i.rule == WARD]

    assert brief(found) == [
        ("Dermatology", "due", date(2026, 11, 30), None, "Ma"),  # recorded this month
        ("Internal Medicine", "due", date(2026, 11, 30), None, "Song"),
        (
            "Ophthalmology",
            "due",
            date(2026, 11, 30),
            None,
            "Ma",
        ),  # recorded on 2 October: not all of it
        (
            "Paediatrics",
            "overdue",
            date(2026, 11, 30),
            "2026-10",
            "Ma",
        ),  # recorded on 1 October: all of it
        ("Surgery", "due", date(2026, 11, 30), None, "Xu"),
    ]
    assert sorted(
        i.subject_name for i in office(session, policy, "2026-11-02 10:00") if i.rule == WARD
    ) == ["Internal Medicine", "Ophthalmology", "Paediatrics", "Surgery"]


def test_H3_6_forum_owner_is_the_head_else_the_office_saying_no_head(session, policy, h):
    all_october_forums(session, policy)
    add_dept(session=session, clock=clock("2026-11-03 09:00"), name="Eye Clinic", clinical=True)

    [item] = of(office(session, policy, "2026-11-05 10:00"), "Eye Clinic")
    assert (item.rule, item.owner_id, item.owner_name, item.status) == (WARD, h.zhou, "Zhou", "due")
    assert item.why == (
        "ward forum (H3.6): none held with minutes in 2026-11; Eye Clinic has no head recorded "
        '(`careops dept edit "Eye Clinic" --head STAFF`)'
    )
    assert [
        i.subject_name for i in items(session, policy, "2026-11-05 10:00", WARD, owner_id=h.zhou)
    ] == ["Eye Clinic"]

    edit_dept(session=session, clock=clock("2026-11-06 09:00"), ref="eye clinic", head="Guo")

    [item] = of(office(session, policy, "2026-11-06 10:00"), "Eye Clinic")
    assert (item.owner_id, item.owner_name) == (h.guo, "Guo")
    assert item.why == "ward forum (H3.6): none held with minutes in 2026-11"
    assert items(session, policy, "2026-11-06 10:00", WARD, owner_id=h.zhou) == []


def test_H3_6_scheduled_forum_replaces_the_monthly_item_and_is_due_within_7_days(
    session, policy, h
):
    all_october_forums(session, policy)
    forum = schedule(
        session, policy, MeetingKind.ward_forum, "2026-11-20", "2026-11-02 09:00", "Surgery"
    )

    def seen(now: str) -> list[tuple]:
        return [
            (i.rule, i.status, i.due, i.owner_name, i.ref)
            for i in of(office(session, policy, now), "Surgery")
        ]

    assert seen("2026-11-02 08:59") == [(WARD, "due", date(2026, 11, 30), "Xu", None)]
    assert seen("2026-11-12 10:00") == [(SCHEDULED, "upcoming", date(2026, 11, 20), "Xu", forum)]
    assert seen("2026-11-13 10:00") == [(SCHEDULED, "due", date(2026, 11, 20), "Xu", forum)]
    assert seen("2026-11-20 10:00") == [(SCHEDULED, "due", date(2026, 11, 20), "Xu", forum)]
    [item] = of(office(session, policy, "2026-11-20 10:00"), "Surgery")
    assert (item.clause, item.kind, item.title) == (
        "H3.6",
        "meeting",
        f"ward forum #{forum} on 2026-11-20",
    )
    assert item.why == (
        f"scheduled for 2026-11-20, chaired by Xu: hold it and record the minutes "
        f"(`careops meeting hold {forum}`)"
    )
    # Internal Medicine arranged nothing: its monthly item stays.
    assert [
        (i.rule, i.status)
        for i in of(office(session, policy, "2026-11-13 10:00"), "Internal Medicine")
    ] == [(WARD, "due")]


def test_H3_6_scheduled_forum_whose_day_passed_without_minutes_is_overdue_until_held(
    session, policy, h
):
    all_october_forums(session, policy)
    forum = schedule(
        session, policy, MeetingKind.ward_forum, "2026-11-20", "2026-11-02 09:00", "Surgery"
    )

    found = of(office(session, policy, "2026-11-21 10:00"), "Surgery")

    assert [(i.rule, i.status, i.due, i.ref) for i in found] == [
        (SCHEDULED, "overdue", date(2026, 11, 20), forum),
        (WARD, "due", date(2026, 11, 30), None),
    ]
    assert found[0].why == (
        f"scheduled for 2026-11-20, chaired by Xu and no minutes recorded: record them "
        f"(`careops meeting hold {forum}`) or void it (a meeting without minutes is not held, H3.6)"
    )

    hold(session, forum, "2026-11-21 11:00")

    assert of(office(session, policy, "2026-11-21 11:01"), "Surgery") == []
    assert [i.rule for i in of(office(session, policy, "2026-11-21 10:59"), "Surgery")] == [
        SCHEDULED,
        WARD,
    ]


def test_H3_6_voided_scheduled_forum_brings_the_monthly_item_back(session, policy, h):
    all_october_forums(session, policy)
    forum = schedule(
        session, policy, MeetingKind.ward_forum, "2026-11-20", "2026-11-02 09:00", "Surgery"
    )
    assert [i.rule for i in of(office(session, policy, "2026-11-04 10:00"), "Surgery")] == [
        SCHEDULED
    ]

    void(
        session=session,
        clock=clock("2026-11-05 09:00"),
        kind="meeting",
        record_id=forum,
        reason="typed twice",
    )

    # Void means recorded by mistake: the meeting never counted, not even as of before the void.
    assert [
        (i.rule, i.status) for i in of(office(session, policy, "2026-11-05 10:00"), "Surgery")
    ] == [(WARD, "due")]
    assert [i.rule for i in of(office(session, policy, "2026-11-04 10:00"), "Surgery")] == [WARD]


def test_H3_6_meeting_held_without_minutes_is_refused_and_nothing_is_written(
    session, policy, h, tmp_path
):
    forum = schedule(
        session, policy, MeetingKind.ward_forum, "2026-11-20", "2026-11-02 09:00", "Surgery"
    )
    empty = tmp_path / "minutes.txt"
    empty.write_text(" \n\t\n", "utf-8")
    audited = count(session, audit)

    with pytest.raises(InvalidInput) as no_minutes:
        meetings.read_minutes(None, None)
    assert str(no_minutes.value) == (
        "a meeting without minutes is not held (H3.6): give --minutes TEXT or "
        "--minutes-file FILE. Nothing was recorded."
    )
    for text, path in (("  \n ", None), (None, str(empty)), ("\x00", None)):
        with pytest.raises(InvalidInput) as blank:
            meetings.read_minutes(text, path)
        assert str(blank.value) == (
            "the minutes are empty: a meeting without minutes is not held (H3.6). "
            "Nothing was recorded."
        )
    for attendees in ([], ["  ", ""]):
        with pytest.raises(
            InvalidInput, match=r"^say who attended: --attendee NAME \(once per person\)\.$"
        ):
            hold(session, forum, "2026-11-21 10:00", attendees=attendees)

    row = session.connection().execute(select(meeting).where(meeting.c.id == forum)).one()
    assert (row.held_day, row.minutes, row.held_at) == (None, None, None)
    assert (count(session, meeting_attendee), count(session, audit)) == (0, audited)
    assert [
        (i.rule, i.status) for i in of(office(session, policy, "2026-11-21 10:00"), "Surgery")
    ] == [(SCHEDULED, "overdue"), (WARD, "overdue")]
    assert meetings.read_minutes("  Ward rules explained.  ", None) == "Ward rules explained."


def test_H3_6_meeting_cannot_be_held_before_its_day(session, policy, h):
    forum = schedule(
        session, policy, MeetingKind.ward_forum, "2026-11-20", "2026-11-02 09:00", "Surgery"
    )
    audited = count(session, audit)

    with pytest.raises(InvalidInput) as early:
        hold(session, forum, "2026-11-19 16:00")
    assert str(early.value) == (
        f"meeting #{forum} is scheduled for 2026-11-20, after today (2026-11-19): record it "
        "once it has been held, or give --on DAY."
    )
    with pytest.raises(InvalidInput) as future:
        hold(session, forum, "2026-11-19 16:00", on="2026-11-20")
    assert (
        str(future.value)
        == "--on 2026-11-20 is after today (2026-11-19): record a meeting once it has been held."
    )

    assert (
        session.connection()
        .execute(select(meeting.c.held_day).where(meeting.c.id == forum))
        .scalar()
        is None
    )
    assert (count(session, meeting_attendee), count(session, audit)) == (0, audited)
    # Held earlier than planned (--on a past day) is fine, and counts for that day.
    assert hold(session, forum, "2026-11-19 16:00", on="2026-11-19").day == date(2026, 11, 19)


def test_H3_6_meeting_held_twice_is_refused(session, policy, h):
    forum = held(session, policy, MeetingKind.ward_forum, "2026-11-10", "Surgery")
    audited = count(session, audit)

    with pytest.raises(Conflict) as twice:
        hold(session, forum, "2026-11-11 09:00", minutes="other minutes")

    assert (
        str(twice.value) == f"meeting #{forum} was held on 2026-11-10 and its minutes are recorded."
    )
    assert (
        session.connection()
        .execute(select(meeting.c.minutes).where(meeting.c.id == forum))
        .scalar()
        == MINUTES
    )
    assert (count(session, meeting_attendee), count(session, audit)) == (2, audited)


def test_H3_6_ward_forum_is_held_by_one_clinical_department(session, policy, h):
    with pytest.raises(InvalidInput, match=r"give --dept DEPT \(H3\.6\)"):
        schedule(session, policy, MeetingKind.ward_forum, "2026-11-20", "2026-11-02 09:00")
    with pytest.raises(InvalidInput, match=r"^the department Medical Affairs is not clinical"):
        schedule(
            session,
            policy,
            MeetingKind.ward_forum,
            "2026-11-20",
            "2026-11-02 09:00",
            "Medical Affairs",
        )
    with pytest.raises(
        InvalidInput, match=r"^--dept is for ward forums; a hospital-ward-forum meeting"
    ):
        schedule(
            session,
            policy,
            MeetingKind.hospital_ward_forum,
            "2026-11-20",
            "2026-11-02 09:00",
            "Surgery",
        )
    assert count(session, meeting) == 0


# --- H3.6 the hospital's forum quarterly; H3.4, H3.5 the yearly meetings ----------------------------------


def test_H3_6_hospital_forum_quarterly_owned_by_leadership(session, policy, h):
    held(session, policy, MeetingKind.hospital_ward_forum, "2026-05-20")

    def seen(now: str) -> list[tuple]:
        return [
            (i.status, i.due, i.period, i.missed, i.owner_id, i.subject_name)
            for i in office(session, policy, now)
            if i.rule == HOSPITAL_FORUM
        ]

    assert seen("2026-06-30 23:00") == []
    assert seen("2026-07-01 08:00") == [
        ("due", date(2026, 9, 30), "2026-Q3", None, h.bai, "the hospital")
    ]
    forum = schedule(
        session, policy, MeetingKind.hospital_ward_forum, "2026-09-30", "2026-09-30 08:00"
    )
    assert seen("2026-09-30 09:00") == []  # arranged for today
    hold(session, forum, "2026-09-30 17:00", attendees=["Bai", "Guo", "patients' representatives"])
    assert seen("2026-09-30 18:00") == []
    assert seen("2026-10-01 08:00") == [
        ("due", date(2026, 12, 31), "2026-Q4", None, h.bai, "the hospital")
    ]
    assert seen("2027-01-01 08:00") == [
        ("overdue", date(2027, 3, 31), "2027-Q1", "2026-Q4", h.bai, "the hospital")
    ]
    [item] = [i for i in office(session, policy, "2027-01-01 08:00") if i.rule == HOSPITAL_FORUM]
    assert (item.clause, item.subject_type, item.owner_name) == ("H3.6", "hospital", "Bai")
    assert (
        item.why
        == "hospital ward forum (H3.6): none held with minutes in 2027-Q1, none in 2026-Q4 either"
    )
    scheduled = meetings.show_meeting(
        session=session, clock=clock("2026-10-01 08:00"), meeting_id=forum
    )
    assert (scheduled["chair"], scheduled["held_on"]) == ("Bai", date(2026, 9, 30))


def test_H3_4_volunteer_supervisors_meeting_yearly_owned_by_the_office(session, policy, h):
    def seen(now: str) -> list[tuple]:
        return [
            (i.clause, i.status, i.due, i.period, i.missed, i.owner_name)
            for i in office(session, policy, now)
            if i.rule == SUPERVISORS
        ]

    # The hospital was recorded in December 2025: 2025 was not all of it, so 2026 starts merely due.
    assert seen("2026-01-01 08:00") == [("H3.4", "due", date(2026, 12, 31), "2026", None, "Zhou")]
    assert seen("2026-12-31 15:00") == [("H3.4", "due", date(2026, 12, 31), "2026", None, "Zhou")]
    held(session, policy, MeetingKind.volunteer_supervisors, "2026-12-31")
    assert seen("2026-12-31 17:00") == []
    assert seen("2027-01-01 08:00") == [("H3.4", "due", date(2027, 12, 31), "2027", None, "Zhou")]
    assert seen("2028-01-01 08:00") == [
        ("H3.4", "overdue", date(2028, 12, 31), "2028", "2027", "Zhou")
    ]


def test_H3_5_community_reps_forum_yearly_owned_by_the_office(session, policy, h):
    def seen(now: str) -> list[tuple]:
        return [
            (i.clause, i.status, i.due, i.missed, i.owner_id)
            for i in office(session, policy, now)
            if i.rule == COMMUNITY
        ]

    forum = schedule(session, policy, MeetingKind.community_reps, "2026-01-01", "2025-12-20 09:00")
    assert seen("2026-01-01 08:00") == []  # arranged for today
    hold(session, forum, "2026-01-02 09:00")  # minutes recorded the next morning: held on 1 January
    assert seen("2026-01-02 08:59") == [("H3.5", "due", date(2026, 12, 31), None, h.zhou)]
    assert seen("2026-01-02 09:01") == []
    assert seen("2026-12-31 23:00") == []
    assert seen("2027-01-01 00:30") == [("H3.5", "due", date(2027, 12, 31), None, h.zhou)]


# --- H3.4, H3.5 action items ----------------------------------------------------------------------------


def test_H3_4_opinion_is_raised_only_at_a_held_meeting(session, policy, h):
    forum = schedule(
        session, policy, MeetingKind.volunteer_supervisors, "2026-05-15", "2026-05-01 09:00"
    )

    with pytest.raises(Conflict) as not_held:
        opinion(session, policy, forum, "2026-05-15 10:00", owner="Guo")

    assert str(not_held.value) == (
        f"meeting #{forum} has not been held: opinions are raised at a meeting, so record "
        f"its minutes first (`careops meeting hold {forum} …`)."
    )
    assert count(session, action_item) == 0


def test_H3_4_opinion_is_due_in_14_days_then_overdue(session, policy, h):
    supervisors = held(session, policy, MeetingKind.volunteer_supervisors, "2026-05-15")

    raised = opinion(
        session,
        policy,
        supervisors,
        "2026-05-15 18:00",
        text="publish the CT queue  time",
        owner="Guo",
    )

    assert (raised.kind, raised.owner, raised.due) == ("opinion", "Guo", date(2026, 5, 29))
    [item] = [i for i in office(session, policy, "2026-05-29 10:00") if i.kind == "action"]
    assert (
        item.rule,
        item.clause,
        item.kind,
        item.status,
        item.due,
        item.owner_id,
        item.subject_name,
        item.ref,
    ) == (OPINION, "H3.4", "action", "due", date(2026, 5, 29), h.guo, "the hospital", raised.id)
    assert item.why == (
        f"publish the CT queue time — from volunteer social supervisors' meeting #{supervisors} on "
        f"2026-05-15: do it (`careops action done {raised.id}`) or explain why not "
        f"(`action explain {raised.id}`)"
    )
    assert [
        i.status for i in office(session, policy, "2026-05-30 08:00") if i.kind == "action"
    ] == ["overdue"]
    assert [i.ref for i in office(session, policy, "2026-05-15 17:59") if i.kind == "action"] == []


def test_H3_6_opinion_at_a_ward_forum_is_the_departments(session, policy, h):
    forum = held(session, policy, MeetingKind.ward_forum, "2026-11-10", "Surgery")

    raised = opinion(session, policy, forum, "2026-11-10 17:00", owner="Xu", due=date(2026, 11, 12))

    [item] = [i for i in office(session, policy, "2026-11-13 09:00") if i.kind == "action"]
    assert (
        item.rule,
        item.clause,
        item.subject_type,
        item.subject_id,
        item.subject_name,
        item.owner_name,
        item.due,
        item.status,
    ) == (OPINION, "H3.6", "dept", h.surgery, "Surgery", "Xu", date(2026, 11, 12), "overdue")
    with pytest.raises(
        InvalidInput, match=r"^--due 2026-11-09 is before the meeting \(2026-11-10\)\.$"
    ):
        opinion(session, policy, forum, "2026-11-10 17:00", due=date(2026, 11, 9))
    assert [r.id for r in session.connection().execute(select(action_item.c.id))] == [raised.id]


def test_H3_4_closed_action_leaves_due_from_that_moment_and_cannot_be_closed_twice(
    session, policy, h
):
    supervisors = held(session, policy, MeetingKind.volunteer_supervisors, "2026-05-15")
    done = opinion(
        session,
        policy,
        supervisors,
        "2026-05-15 18:00",
        text="CT queue time on the screen",
        owner="Guo",
    )
    explained = opinion(
        session,
        policy,
        supervisors,
        "2026-05-15 18:00",
        text="a car park on the east side",
        owner="Bai",
    )

    assert meetings.close_action(
        session=session,
        clock=clock("2026-06-02 10:00"),
        action_id=done.id,
        note_text="shown on the hall screen",
    ) == {"id": done.id, "state": "done", "due": date(2026, 5, 29), "late": True}
    assert (
        meetings.close_action(
            session=session,
            clock=clock("2026-06-03 10:00"),
            action_id=explained.id,
            note_text="the lot is the city's; explained by phone",
            explained=True,
        )["state"]
        == "explained"
    )

    def refs(now: str) -> list:
        return sorted(i.ref for i in office(session, policy, now) if i.kind == "action")

    assert refs("2026-06-02 09:59") == [done.id, explained.id]
    assert refs("2026-06-02 10:01") == [explained.id]
    assert refs("2026-06-03 10:01") == []
    for action_id in (done.id, explained.id):
        with pytest.raises(Conflict, match=rf"^action item #{action_id} is closed already"):
            meetings.close_action(
                session=session,
                clock=clock("2026-06-04 10:00"),
                action_id=action_id,
                note_text="again",
            )
    with pytest.raises(InvalidInput, match=r"^say what was explained"):
        meetings.close_action(
            session=session,
            clock=clock("2026-06-04 10:00"),
            action_id=done.id,
            note_text=" ",
            explained=True,
        )


def test_H3_5_cooperation_is_agreed_only_at_the_community_reps_forum(session, policy, h):
    supervisors = held(session, policy, MeetingKind.volunteer_supervisors, "2026-05-15")
    forum = held(session, policy, MeetingKind.ward_forum, "2026-05-15", "Surgery")
    community = held(session, policy, MeetingKind.community_reps, "2026-06-10")

    for meeting_id in (supervisors, forum):
        with pytest.raises(InvalidInput, match=r"^cooperation is agreed with community units"):
            opinion(session, policy, meeting_id, "2026-06-10 18:00", kind=OpinionKind.cooperation)
    assert count(session, action_item) == 0

    agreed = opinion(
        session,
        policy,
        community,
        "2026-06-10 18:00",
        text="free clinic days at the street office",
        owner="Bai",
        kind=OpinionKind.cooperation,
    )

    [item] = [i for i in office(session, policy, "2026-06-11 09:00") if i.kind == "action"]
    assert (item.rule, item.clause, item.owner_name, item.due, item.ref, item.title) == (
        COOPERATION,
        "H3.5",
        "Bai",
        date(2026, 6, 24),
        agreed.id,
        f"cooperation #{agreed.id}: free clinic days at the street office",
    )


# --- H3.7 disclosure checks ------------------------------------------------------------------------------


def october_checked(session, policy, but: str | None = None):
    for n in range(1, 8):
        if f"H3.7.{n}" != but:
            check(session, policy, f"H3.7.{n}", True, "2026-10-20 10:00")


def test_H3_7_each_item_is_due_monthly_for_the_office_until_checked(session, policy, h):
    october_checked(session, policy, but="H3.7.6")

    found = [i for i in office(session, policy, "2026-11-02 10:00") if i.kind == "check"]

    assert [(i.rule, i.clause, i.status, i.due, i.missed, i.owner_id) for i in found] == [
        ("check-H3.7.6", "H3.7.6", "overdue", date(2026, 11, 30), "2026-10", h.zhou)
    ] + [
        (f"check-H3.7.{n}", f"H3.7.{n}", "due", date(2026, 11, 30), None, h.zhou)
        for n in (1, 2, 3, 4, 5, 7)
    ]
    assert found[0].why == (
        "the schedule of major tests and operations is posted: not checked in 2026-11, "
        "nor in 2026-10"
    )
    assert found[1].why == (
        "staff on duty wear a badge (photo, name, number, department, title): not checked in "
        "2026-11 (`careops check record H3.7.1 --ok|--fail`)"
    )

    check(session, policy, "H3.7.1", True, "2026-11-02 11:00")
    check(session, policy, "H3.7.6", True, "2026-11-02 11:00")

    assert sorted(
        i.rule for i in office(session, policy, "2026-11-02 11:01") if i.kind == "check"
    ) == [f"check-H3.7.{n}" for n in (2, 3, 4, 5, 7)]
    # Checked on the last day of the month: counted for that month, and the next month starts due.
    for n in (2, 3, 4, 5, 7):
        check(session, policy, f"H3.7.{n}", True, "2026-11-30 23:00")
    assert [i for i in office(session, policy, "2026-11-30 23:30") if i.kind == "check"] == []
    assert {
        (i.status, i.due) for i in office(session, policy, "2026-12-01 00:30") if i.kind == "check"
    } == {("due", date(2026, 12, 31))}


def test_H3_7_failed_check_counts_as_checked_and_becomes_an_action_for_the_dept_head(
    session, policy, h
):
    october_checked(session, policy)

    failed = check(
        session,
        policy,
        "prices",
        False,
        "2026-11-02 11:00",
        "surgery",
        "drug price list is last year's",
    )

    assert (failed.item.id, failed.ok, failed.dept, failed.owner, failed.due) == (
        "H3.7.3",
        False,
        "Surgery",
        "Xu",
        date(2026, 11, 16),
    )
    found = office(session, policy, "2026-11-02 11:01")
    assert "check-H3.7.3" not in [i.rule for i in found]
    [item] = [i for i in found if i.kind == "action"]
    assert (
        item.rule,
        item.clause,
        item.owner_id,
        item.subject_id,
        item.subject_name,
        item.due,
        item.status,
        item.ref,
    ) == (FAILED, "H3.7.3", h.xu, h.surgery, "Surgery", date(2026, 11, 16), "due", failed.action_id)
    assert item.why == (
        f"drug price list is last year's — from H3.7.3 checked on 2026-11-02: do it "
        f"(`careops action done {failed.action_id}`) or explain why not "
        f"(`action explain {failed.action_id}`)"
    )
    assert [
        i.status for i in office(session, policy, "2026-11-17 09:00") if i.kind == "action"
    ] == ["overdue"]
    meetings.close_action(
        session=session,
        clock=clock("2026-11-17 10:00"),
        action_id=failed.action_id,
        note_text="new list posted",
    )
    assert [i for i in office(session, policy, "2026-11-17 10:01") if i.kind == "action"] == []


def test_H3_7_failed_check_needs_a_department_and_nothing_is_written(session, policy, h):
    audited = count(session, audit)

    with pytest.raises(
        InvalidInput, match=r"^say which department must put it right: --fail --dept DEPT"
    ):
        check(session, policy, "H3.7.3", False, "2026-11-02 11:00")
    with pytest.raises(InvalidInput, match=r"^say how it was found: --ok or --fail\.$"):
        check(session, policy, "H3.7.3", None, "2026-11-02 11:00")

    assert (
        count(session, disclosure_check),
        count(session, action_item),
        count(session, audit),
    ) == (0, 0, audited)
    assert "check-H3.7.3" in [i.rule for i in office(session, policy, "2026-11-02 11:01")]


def test_H3_7_item_is_named_by_its_id_number_or_short_name(session, policy, h):
    for ref in ("H3.7.3", "h3.7.3", "3.7.3", "3", "prices", " PRICES "):
        assert checks.find_item(policy, ref).id == "H3.7.3"
    assert [checks.find_item(policy, ref).id for ref in ("1", "badge", "7", "open-letter")] == [
        "H3.7.1",
        "H3.7.1",
        "H3.7.7",
        "H3.7.7",
    ]
    for ref in ("8", "H3.7.0", "H3.6", ""):
        with pytest.raises(
            InvalidInput, match=r"is not a disclosure item\. The items: H3\.7\.1 \(badge\)"
        ):
            checks.find_item(policy, ref)


# --- H3.3 patient survey at least twice a year; E3 employee survey once a year ----------------------------


def test_H3_3_no_patient_survey_this_year_is_due_by_30_june_then_overdue(session, policy, h):
    def seen(now: str) -> list[tuple]:
        return [
            (i.clause, i.title, i.status, i.due, i.owner_id, i.period)
            for i in office(session, policy, now)
            if i.rule == PATIENTS
        ]

    title = "patient satisfaction survey: 0 of 2 this year"
    assert seen("2026-03-10 10:00") == [("H3.3", title, "due", date(2026, 6, 30), h.zhou, "2026")]
    assert seen("2026-06-30 23:00") == [("H3.3", title, "due", date(2026, 6, 30), h.zhou, "2026")]
    assert seen("2026-07-01 08:00") == [
        ("H3.3", title, "overdue", date(2026, 6, 30), h.zhou, "2026")
    ]
    [item] = [i for i in office(session, policy, "2026-07-01 08:00") if i.rule == PATIENTS]
    assert item.why == (
        "H3.3: at least 2 a year; 0 opened in 2026 so far (`careops survey create … --audience "
        "patients`)"
    )


def test_H3_3_a_quarter_with_one_patient_survey_leaves_one_of_two_due_31_december(
    session, policy, h
):
    answered_survey(session, policy, "2026-02-10", "2026-02-01 09:00", closes="2026-02-28")

    for now in ("2026-03-31 23:00", "2026-07-01 08:00", "2026-12-31 10:00"):
        [item] = [i for i in office(session, policy, now) if i.rule == PATIENTS]
        assert (item.title, item.status, item.due) == (
            "patient satisfaction survey: 1 of 2 this year",
            "due",
            date(2026, 12, 31),
        ), now
    [before] = [i for i in office(session, policy, "2026-02-09 10:00") if i.rule == PATIENTS]
    assert (before.title, before.due) == (
        "patient satisfaction survey: 0 of 2 this year",
        date(2026, 6, 30),
    )
    # A new year starts from none again (2026's missing survey carries over: H3.3_a tests below).
    [item] = [i for i in office(session, policy, "2027-01-01 08:00") if i.rule == PATIENTS]
    assert (item.title, item.due, item.missed) == (
        "patient satisfaction survey: 0 of 2 this year",
        date(2027, 6, 30),
        "2026",
    )


def test_H3_3_two_patient_surveys_a_year_leave_nothing_due(session, policy, h):
    answered_survey(session, policy, "2026-02-10", "2026-02-01 09:00")
    answered_survey(session, policy, "2026-09-01", "2026-08-25 09:00")

    assert [i for i in office(session, policy, "2026-09-01 08:00") if i.rule == PATIENTS] == []
    assert [i.title for i in office(session, policy, "2026-08-31 08:00") if i.rule == PATIENTS] == [
        "patient satisfaction survey: 1 of 2 this year"
    ]


def test_H3_3_survey_counts_from_its_first_answer_in_the_part_of_the_year_it_opened(
    session, policy, h
):
    made = patient_survey(
        session, policy, "2026-07-05", "2026-06-20 09:00", closes="2026-07-31"
    )  # arranged in June, opens in July

    [june] = [i for i in office(session, policy, "2026-06-25 10:00") if i.rule == PATIENTS]
    assert (june.title, june.status, june.due) == (
        "patient satisfaction survey: 0 of 2 this year",
        "due",
        date(2026, 6, 30),
    )
    # Open but nobody has answered yet: not counted (and the first half's survey is overdue).
    [opened] = [i for i in office(session, policy, "2026-07-05 10:00") if i.rule == PATIENTS]
    assert (opened.title, opened.status, opened.due) == (
        "patient satisfaction survey: 0 of 2 this year",
        "overdue",
        date(2026, 6, 30),
    )
    answer(session, made.id, "2026-07-08 11:00", on="2026-07-07")
    for now in ("2026-07-07 10:00", "2026-07-08 12:00"):  # from the day the first card was given
        [july] = [i for i in office(session, policy, now) if i.rule == PATIENTS]
        assert (july.title, july.status, july.due) == (
            "patient satisfaction survey: 1 of 2 this year",
            "due",
            date(2026, 12, 31),
        ), now


def test_H3_3_voided_or_other_audience_survey_does_not_count(session, policy, h):
    voided = answered_survey(session, policy, "2026-02-10", "2026-02-01 09:00")
    assert [i.title for i in office(session, policy, "2026-02-28 10:00") if i.rule == PATIENTS] == [
        "patient satisfaction survey: 1 of 2 this year"
    ]
    staff_survey = surveys.create_survey(
        session=session,
        clock=clock("2026-02-01 09:00"),
        policy=policy,
        name="staff",
        opens=date(2026, 2, 10),
        closes=date(2026, 2, 20),
        audience=Audience.employees,
    )
    answer(session, staff_survey.id, "2026-02-10 17:00")
    void(
        session=session,
        clock=clock("2026-03-01 09:00"),
        kind="survey",
        record_id=voided.id,
        reason="typed twice",
    )

    # Void means recorded by mistake: it never counted, not even as of before the void.
    for now in ("2026-02-28 10:00", "2026-03-01 10:00"):
        assert [i.title for i in office(session, policy, now) if i.rule == PATIENTS] == [
            "patient satisfaction survey: 0 of 2 this year"
        ]


def test_H3_3_hospital_recorded_in_the_second_half_owes_its_first_survey_by_december(
    session, policy
):
    c = clock("2026-08-01 09:00")
    zhou = add_staff(session=session, clock=c, name="Zhou", role=Role.office).id
    add_dept(session=session, clock=c, name="Surgery", clinical=True)

    [item] = [i for i in office(session, policy, "2026-08-10 10:00") if i.rule == PATIENTS]

    assert (item.title, item.status, item.due, item.owner_id) == (
        "patient satisfaction survey: 0 of 2 this year",
        "due",
        date(2026, 12, 31),
        zhou,
    )


def test_E3_employee_survey_once_a_year_for_hr_once_employees_are_recorded(session, policy):
    c = clock("2026-02-01 09:00")
    han = add_staff(session=session, clock=c, name="Han", role=Role.hr).id
    assert [i for i in items(session, policy, "2026-03-01 10:00") if i.kind == "survey"] == []

    add_staff(session=session, clock=c, name="Wu", role=Role.employee)

    [item] = [i for i in items(session, policy, "2026-03-01 10:00") if i.kind == "survey"]
    assert (
        item.rule,
        item.clause,
        item.title,
        item.status,
        item.due,
        item.owner_id,
        item.owner_name,
    ) == (
        EMPLOYEES,
        "E3",
        "employee satisfaction survey (anonymous): 0 of 1 this year",
        "due",
        date(2026, 12, 31),
        han,
        "Han",
    )
    assert [i for i in items(session, policy, "2026-01-31 10:00") if i.kind == "survey"] == []

    made = surveys.create_survey(
        session=session,
        clock=clock("2026-03-20 09:00"),
        policy=policy,
        name="staff 2026",
        audience=Audience.employees,
        opens=date(2026, 4, 1),
        closes=date(2026, 4, 15),
    )
    answer(session, made.id, "2026-04-01 17:00")

    assert [i.rule for i in items(session, policy, "2026-03-31 10:00") if i.kind == "survey"] == [
        EMPLOYEES
    ]
    assert [i for i in items(session, policy, "2026-04-01 10:00") if i.kind == "survey"] == []
    assert [
        (i.status, i.due) for i in items(session, policy, "2027-01-04 10:00") if i.kind == "survey"
    ] == [("due", date(2027, 12, 31))]


def test_H3_3_a_survey_nobody_answered_does_not_count(session, policy, h):
    made = patient_survey(session, policy, "2026-02-10", "2026-02-01 09:00", closes="2026-02-28")
    patient_survey(session, policy, "2026-09-01", "2026-08-25 09:00", closes="2026-09-30")

    # Both opened; nobody answered either: none held this year, the first half's is overdue.
    [item] = [i for i in office(session, policy, "2026-11-27 08:30") if i.rule == PATIENTS]
    assert (item.title, item.status, item.due) == (
        "patient satisfaction survey: 0 of 2 this year",
        "overdue",
        date(2026, 6, 30),
    )
    # A card given on 20 February, typed in on 2 March: counted from the 20th, in the first half.
    answer(session, made.id, "2026-03-02 10:00", on="2026-02-20")
    for now, held in (("2026-02-19 10:00", 0), ("2026-02-20 10:00", 1), ("2026-11-27 08:30", 1)):
        [item] = [i for i in office(session, policy, now) if i.rule == PATIENTS]
        assert item.title == f"patient satisfaction survey: {held} of 2 this year", now


def test_H3_3_a_year_with_one_patient_survey_is_overdue_in_january_with_missed_period(
    session, policy, h
):
    answered_survey(session, policy, "2026-03-10", "2026-03-01 09:00")

    def seen(now: str) -> list[tuple]:
        return [
            (i.title, i.status, i.due, i.period, i.missed)
            for i in office(session, policy, now)
            if i.rule == PATIENTS
        ]

    assert seen("2026-12-31 23:00") == [
        ("patient satisfaction survey: 1 of 2 this year", "due", date(2026, 12, 31), "2026", None)
    ]
    # 1 January 2027: 2026 ended one survey short; this year's first is due by June as usual.
    assert seen("2027-01-01 08:00") == [
        (
            "patient satisfaction survey: 0 of 2 this year",
            "overdue",
            date(2027, 6, 30),
            "2027",
            "2026",
        )
    ]
    [item] = [i for i in office(session, policy, "2027-01-01 08:00") if i.rule == PATIENTS]
    assert item.why == (
        "H3.3: at least 2 a year; 0 opened in 2027 so far, and only 1 in 2026 (`careops survey "
        "create … --audience patients`)"
    )
    assert item.to_json()["missed_period"] == "2026"
    # Opened but unanswered: still overdue. Once answered, the missing survey is made up: this year's quota remains.
    made = patient_survey(session, policy, "2027-02-01", "2027-01-20 09:00", closes="2027-02-28")
    assert [i[1:] for i in seen("2027-02-01 12:00")] == [
        ("overdue", date(2027, 6, 30), "2027", "2026")
    ]
    answer(session, made.id, "2027-02-01 16:00")
    assert seen("2027-02-01 17:00") == [
        ("patient satisfaction survey: 1 of 2 this year", "due", date(2027, 12, 31), "2027", None)
    ]
    # Only the year before carries over: 2028 asks about 2027 (one of two), not 2026.
    assert [i[4] for i in seen("2028-01-03 08:00")] == ["2027"]


def test_H3_3_a_year_with_two_answered_patient_surveys_carries_nothing_over(session, policy, h):
    answered_survey(session, policy, "2026-03-10", "2026-03-01 09:00")
    late = patient_survey(session, policy, "2026-12-20", "2026-12-01 09:00", closes="2027-01-15")

    [before] = [i for i in office(session, policy, "2027-01-02 08:00") if i.rule == PATIENTS]
    assert (before.status, before.missed) == ("overdue", "2026")
    # A survey opened on 20 December and first answered on 3 January counts for 2026, from the 3rd.
    answer(session, late.id, "2027-01-03 10:00")
    [after] = [i for i in office(session, policy, "2027-01-03 11:00") if i.rule == PATIENTS]
    assert (after.title, after.status, after.due, after.missed) == (
        "patient satisfaction survey: 0 of 2 this year",
        "due",
        date(2027, 6, 30),
        None,
    )


def test_H3_3_hospital_recorded_during_2026_is_not_overdue_for_2026_in_january(session, policy):
    c = clock("2026-08-01 09:00")
    add_staff(session=session, clock=c, name="Zhou", role=Role.office)
    add_dept(session=session, clock=c, name="Surgery", clinical=True)

    [item] = [i for i in office(session, policy, "2027-01-01 08:00") if i.rule == PATIENTS]
    assert (item.status, item.due, item.missed) == ("due", date(2027, 6, 30), None)


def test_E3_employee_survey_is_always_anonymous(session, policy):
    made = surveys.create_survey(
        session=session,
        clock=clock("2026-03-20 09:00"),
        policy=policy,
        name="staff 2026",
        audience=Audience.employees,
        opens=date(2026, 4, 1),
        closes=date(2026, 4, 15),
    )
    chosen = surveys.create_survey(
        session=session,
        clock=clock("2026-03-20 09:00"),
        policy=policy,
        name="staff b",
        audience=Audience.employees,
        opens=date(2026, 4, 1),
        closes=date(2026, 4, 15),
        anonymous=True,
    )
    named = surveys.create_survey(
        session=session,
        clock=clock("2026-03-20 09:00"),
        policy=policy,
        name="cards",
        audience=Audience.patients,
        opens=date(2026, 4, 1),
        closes=date(2026, 4, 15),
    )

    assert (made.anonymous, made.forced_anonymous) == (True, True)
    assert (chosen.anonymous, chosen.forced_anonymous) == (True, False)
    assert (named.anonymous, named.forced_anonymous) == (False, False)
    stored = dict(session.connection().execute(select(survey.c.id, survey.c.anonymous)).all())
    assert (stored[made.id], stored[named.id]) == (True, False)
    with pytest.raises(
        InvalidInput, match=rf"^survey #{made.id} is anonymous: an answer is never linked"
    ):
        surveys.respond(
            session=session,
            clock=clock("2026-04-02 10:00"),
            survey_id=made.id,
            scores=["overall=4"],
            respondent="Wu",
        )


# --- P4.10 residents' satisfaction survey: a door visit to every occupied household ---------------------


@pytest.fixture
def estate(session):
    """Zones A (butler Wang) and B (butler Li); 1-101 in A and 2-201 in B occupied, 1-102 in A not moved in."""
    found = two_zone_site(session)
    found.a = household(session, "1-101", "2025-06-01 08:00")
    found.b = household(session, "2-201", "2025-06-01 08:00", zone="B")
    found.empty = household(session, "1-102", "2025-06-01 08:00", status=Status.not_moved_in)
    return found


def residents_survey(
    session,
    policy,
    when: str = "2026-11-02 09:00",
    opens: str = "2026-11-10",
    closes: str = "2026-11-20",
):
    return surveys.create_survey(
        session=session,
        clock=clock(when),
        policy=policy,
        name="Autumn survey",
        audience=Audience.residents,
        opens=date.fromisoformat(opens),
        closes=date.fromisoformat(closes),
    )


def survey_visits(session, policy, now: str) -> list[tuple]:
    return sorted(
        (i.subject_name, i.owner_name, i.status, i.due)
        for i in items(session, policy, now, RESIDENTS)
    )


def test_P4_10_residents_survey_asks_a_door_visit_to_every_occupied_household(
    session, policy, estate
):
    made = residents_survey(session, policy)

    assert (made.visits, made.visits_due) == (2, date(2026, 11, 20))
    assert survey_visits(session, policy, "2026-11-02 09:01") == [
        ("Owner 1-101", "Wang", "upcoming", date(2026, 11, 20)),
        ("Owner 2-201", "Li", "upcoming", date(2026, 11, 20)),
    ]
    assert survey_visits(session, policy, "2026-11-10 08:00") == [
        ("Owner 1-101", "Wang", "due", date(2026, 11, 20)),
        ("Owner 2-201", "Li", "due", date(2026, 11, 20)),
    ]
    [item] = items(session, policy, "2026-11-10 08:00", RESIDENTS, party_id=estate.a)
    assert (item.clause, item.kind, item.subject_id, item.why) == (
        "P4.10",
        "followup",
        estate.a,
        "door visit for the satisfaction survey: Autumn survey: the survey closes on 2026-11-20",
    )
    assert items(session, policy, "2026-11-10 08:00", RESIDENTS, party_id=estate.empty) == []
    assert survey_visits(session, policy, "2026-11-20 23:00") == [
        ("Owner 1-101", "Wang", "due", date(2026, 11, 20)),
        ("Owner 2-201", "Li", "due", date(2026, 11, 20)),
    ]
    # After the close day the visit has no point: no longer listed (not overdue).
    assert survey_visits(session, policy, "2026-11-21 00:30") == []


def test_P4_10_only_a_door_visit_for_the_survey_settles_it(session, policy, estate):
    residents_survey(session, policy)

    by_phone = visit(session, policy, estate.a, "Wang", "2026-11-11 10:00", channel=Channel.phone)
    plain = visit(session, policy, estate.a, "Wang", "2026-11-11 11:00")
    assert (by_phone.followups_done, plain.followups_done) == ([], [])
    phoned = log_visit(
        session=session,
        clock=clock("2026-11-12 10:00"),
        policy=policy,
        ref=f"#{estate.a}",
        by="Wang",
        channel=Channel.phone,
        at=parse_local("2026-11-12 10:00"),
        purposes=["survey"],
    )
    assert (phoned.followups_done, len(phoned.followups_open)) == ([], 1)
    assert [i[0] for i in survey_visits(session, policy, "2026-11-12 10:30")] == [
        "Owner 1-101",
        "Owner 2-201",
    ]

    door = log_visit(
        session=session,
        clock=clock("2026-11-12 11:00"),
        policy=policy,
        ref=f"#{estate.a}",
        by="Wang",
        channel=Channel.door,
        at=parse_local("2026-11-12 11:00"),
        purposes=["survey"],
    )

    assert [r.rule for r in door.followups_done] == [RESIDENTS]
    assert [i[0] for i in survey_visits(session, policy, "2026-11-12 11:30")] == ["Owner 2-201"]
    assert [i[0] for i in survey_visits(session, policy, "2026-11-12 10:59")] == [
        "Owner 1-101",
        "Owner 2-201",
    ]


def test_P4_10_voiding_the_survey_cancels_its_door_visits(session, policy, estate):
    made = residents_survey(session, policy)

    result = void(
        session=session,
        clock=clock("2026-11-11 09:00"),
        kind="survey",
        record_id=made.id,
        reason="postponed",
    )

    assert survey_visits(session, policy, "2026-11-11 09:01") == []
    assert [i[0] for i in survey_visits(session, policy, "2026-11-11 08:59")] == [
        "Owner 1-101",
        "Owner 2-201",
    ]
    states = (
        session.connection()
        .execute(select(obligation.c.state).where(obligation.c.rule == RESIDENTS))
        .scalars()
    )
    assert sorted(states) == ["cancelled", "cancelled"]
    assert len(result.cancelled) == 1


# --- H3.2 leadership liaison -----------------------------------------------------------------------------


def test_H3_2_government_and_health_authority_are_owed_a_quarterly_contact_by_leadership(
    session, policy, h
):
    gov = contact(session, "District government", ContactKind.government, "2025-12-01 09:00")
    health = contact(session, "Health Commission", ContactKind.health_authority, "2025-12-01 09:00")
    visit(session, policy, gov, "Bai", "2026-09-10 15:00")

    def seen(now: str) -> list[tuple]:
        return sorted(
            (i.rule, i.clause, i.subject_id, i.owner_id, i.status, i.due, i.missed)
            for i in items(session, policy, now)
            if i.clause == "H3.2"
        )

    assert seen("2026-10-12 10:00") == [
        ("h3.2-government", "H3.2", gov, h.bai, "due", date(2026, 12, 31), None),
        ("h3.2-health-authority", "H3.2", health, h.bai, "overdue", date(2026, 12, 31), "2026-Q3"),
    ]

    # The office clerk's call does not count: it is the leadership's to keep.
    visit(session, policy, health, "Zhou", "2026-10-12 11:00", channel=Channel.phone)
    assert [i[4] for i in seen("2026-10-12 12:00")] == ["due", "overdue"]
    visit(session, policy, health, "Bai", "2026-10-13 11:00", channel=Channel.phone)
    assert [i[0] for i in seen("2026-10-13 12:00")] == ["h3.2-government"]
    visit(session, policy, gov, "Bai", "2026-12-31 16:00")
    assert seen("2026-12-31 17:00") == []


# --- Found while writing these tests (see the reasons) ---------------------------------------------------


def test_H3_6_department_made_clinical_this_month_is_not_overdue_for_last_month(session, policy):
    # Surgery was first named by `staff add --dept` (as every department of an upgraded database was), then made a
    # ward on 10 November 2026: the site is a hospital from that day, not from June 2025.
    c = clock("2025-06-01 09:00")
    add_staff(session=session, clock=c, name="Zhou", role=Role.office)
    add_staff(session=session, clock=c, name="Xu", role=Role.dept_head, dept="Surgery")

    edit_dept(
        session=session, clock=clock("2026-11-10 09:00"), ref="Surgery", clinical=True, head="Xu"
    )

    found = office(session, policy, "2026-11-10 10:00")
    assert [(i.status, i.missed) for i in found if i.rule == WARD] == [("due", None)]
    assert {(i.status, i.missed) for i in found} == {("due", None)}
    assert office(session, policy, "2026-11-09 10:00") == []
    assert [(i.due, i.status) for i in found if i.rule == PATIENTS] == [(date(2026, 12, 31), "due")]


def test_H3_3_patient_survey_owed_even_before_anyone_holds_role_office(session, policy):
    add_dept(session=session, clock=clock("2025-12-01 09:00"), name="Surgery", clinical=True)

    found = office(session, policy, "2026-07-01 10:00")

    # The office's other duties are listed, owner unknown; so must its survey be.
    assert sorted(
        (i.rule, i.owner_id) for i in found if i.rule in (SUPERVISORS, "check-H3.7.1")
    ) == [("check-H3.7.1", None), (SUPERVISORS, None)]
    assert [(i.status, i.due, i.owner_id) for i in found if i.rule == PATIENTS] == [
        ("overdue", date(2026, 6, 30), None)
    ]


def test_H3_7_a_failed_check_in_a_department_without_a_head_is_recorded_and_falls_to_the_office(
    session, policy, h
):
    add_dept(session=session, clock=clock("2026-11-01 09:00"), name="Paediatrics", clinical=True)
    # Surgery's head Xu leaves on 2026-11-10: from the 11th Surgery has no head either.
    start_leave(
        session=session,
        clock=clock("2026-11-03 09:00"),
        policy=policy,
        employee="Xu",
        last_day=date(2026, 11, 10),
    )

    none = check(session, policy, "prices", False, "2026-11-02 11:00", "Paediatrics")
    gone = check(session, policy, "bill", False, "2026-11-11 11:00", "Surgery", "no itemised bill")
    before = check(session, policy, "badge", False, "2026-11-10 11:00", "Surgery")

    assert [(c.item.id, c.dept, c.owner, c.fell_to, c.warnings) for c in (none, gone, before)] == [
        (
            "H3.7.3",
            "Paediatrics",
            "Zhou",
            "office",
            [
                f"action item #{none.action_id} falls to Zhou (office): Paediatrics has no head; "
                "name a head with `careops dept edit Paediatrics --head STAFF`."
            ],
        ),
        (
            "H3.7.4",
            "Surgery",
            "Zhou",
            "office",
            [
                f"action item #{gone.action_id} falls to Zhou (office): Surgery's head Xu has left; "
                "name a head with `careops dept edit Surgery --head STAFF`."
            ],
        ),
        ("H3.7.1", "Surgery", "Xu", None, None),  # on Xu's last day Xu still heads Surgery
    ]
    assert (count(session, disclosure_check), count(session, action_item)) == (3, 3)
    found = office(session, policy, "2026-11-11 11:01", owner_id=h.zhou)
    # Xu's item too, from the day after Xu's last: someone who has left owns nothing.
    assert sorted((i.ref, i.owner_id) for i in found if i.kind == "action") == [
        (none.action_id, h.zhou),
        (gone.action_id, h.zhou),
        (before.action_id, h.zhou),
    ]

    # Nobody in the office today: leadership owns it.
    start_leave(
        session=session,
        clock=clock("2026-11-12 09:00"),
        policy=policy,
        employee="Zhou",
        last_day=date(2026, 11, 12),
    )
    later = check(session, policy, "clinics", False, "2026-11-13 11:00", "Paediatrics")
    assert (later.owner, later.fell_to) == ("Bai", "leadership")

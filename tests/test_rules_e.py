"""E1.1–E1.3 contracts and leaving, E2.1–E2.2 one-to-ones and work interviews, E2.6 appeals: the due items.

A small company: chairman Dong; general manager Guo reports to him; HR officer Han, and the
department heads Sun (sales) and Zhou (marketing) report to Guo; employees Wu and Xu report to
Sun. Everyone was hired and recorded on 2024-12-02, so each manager–report pair has existed for
the whole of 2025. Every fact is recorded by a clock standing at the moment it happened, and
the scheduler is asked as of a fixed clock.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from careops.calendar.workdays import WorkCalendar
from careops.clock import parse_local
from careops.errors import Conflict, InvalidInput
from careops.scheduler.cadence import Scope
from careops.scheduler.due import due_view
from careops.scheduler.tables import appeal, appeal_person, appeal_step, staff
from careops.services import surveys
from careops.services.appeals import (
    decide,
    escalate,
    file_appeal,
    investigate,
    list_appeals,
    notify,
    show_appeal,
)
from careops.services.audit import audit, set_actor
from careops.services.interviews import log_interview, record_staff_event
from careops.services.leaving import do_step, list_cases, show_case, start_leave, start_transfer
from careops.services.staff import add_staff, edit_staff
from careops.services.void import void
from careops.vocab import (
    AppealChannel,
    Audience,
    ExitBy,
    Grounds,
    InterviewKind,
    LeaveStep,
    NotifyTo,
    Role,
    Via,
)

from conftest import clock
from scheduling import items, local

ONE_TO_ONE = "one-to-one"
PROBATION = "probation-interview"
WORK = "work-interview"
CONTRACT = "contract-ending"
DECISION = "appeal-decision"
NOTIFY = "appeal-notify"
CONFIDENTIAL = "(confidential)"
HIRED = date(2024, 12, 2)
ON_FILE = date(2030, 12, 31)  # everyone's contract end is on file, far ahead (E1.1 asks for it)


def company(session) -> SimpleNamespace:
    """Dong (chairman) ← Guo (gm) ← Han (hr), Sun (dept-head, sales), Zhou (dept-head, marketing); Sun ← Wu, Xu."""
    c = clock("2024-12-02 09:00")

    def add(
        name: str, role: Role = Role.employee, boss: str | None = None, dept: str | None = None
    ) -> int:
        return add_staff(
            session=session,
            clock=c,
            name=name,
            role=role,
            reports_to=boss,
            dept=dept,
            hired=HIRED,
            contract_ends=ON_FILE,
        ).id

    found = SimpleNamespace()
    found.dong = add("Dong", Role.chairman)
    found.guo = add("Guo", Role.gm, "Dong")
    found.han = add("Han", Role.hr, "Guo", "hr")
    found.sun = add("Sun", Role.dept_head, "Guo", "sales")
    found.zhou = add("Zhou", Role.dept_head, "Guo", "marketing")
    found.wu = add("Wu", boss="Sun", dept="sales")
    found.xu = add("Xu", boss="Sun", dept="sales")
    return found


@pytest.fixture
def co(session) -> SimpleNamespace:
    return company(session)


def hire(
    session,
    name: str,
    when: str,
    *,
    boss: str | None = "Sun",
    role: Role = Role.employee,
    hired: date | None = None,
    **details,
) -> int:
    """Someone recorded at local time `when` (hired that day unless told)."""
    c = clock(when)
    return add_staff(
        session=session,
        clock=c,
        name=name,
        role=role,
        reports_to=boss,
        dept="sales",
        hired=hired or c.today,
        **details,
    ).id


def talk(
    session,
    policy,
    employee: str,
    by: str,
    when: str,
    kind: InterviewKind = InterviewKind.one_to_one,
    minutes: int = 120,
):
    """An interview held at local time `when`, logged by a clock standing at that moment."""
    return log_interview(
        session=session,
        clock=clock(when),
        policy=policy,
        employee=employee,
        by=by,
        kind=kind,
        minutes=minutes,
        at=parse_local(when),
    )


def of(found, subject_id) -> list:
    return [i for i in found if i.subject_id == subject_id]


def one_item(session, policy, now: str, rule: str, subject_id, **scope):
    [item] = of(items(session, policy, now, rule, **scope), subject_id)
    return item


def statuses(session, policy, now: str, rule: str, subject_id) -> list[str]:
    return [i.status for i in of(items(session, policy, now, rule), subject_id)]


def count(session, table) -> int:
    return session.connection().execute(select(func.count()).select_from(table)).scalar()


def appeal_of(session, policy, when: str, employee: str = "Wu", to: str = "Sun", **kw):
    """An in-person appeal filed at local time `when`."""
    kw.setdefault("channel", AppealChannel.in_person)
    kw.setdefault("grounds", Grounds.interests)
    return file_appeal(
        session=session,
        clock=clock(when),
        policy=policy,
        employee=employee,
        to=to,
        summary="overtime not paid",
        **kw,
    )


def told(session, appeal_id: int, to: NotifyTo, when: str, via: Via = Via.email):
    return notify(session=session, clock=clock(when), appeal_id=appeal_id, to=to, via=via)


def viewer(staff_id: int, role: str) -> SimpleNamespace:
    return SimpleNamespace(id=staff_id, role=role)


# --- E3 employee satisfaction survey: once a year, counted once answered -------------------------------

STAFF_SURVEY = "survey-employees"


def staff_survey(session, policy, opens: str, when: str, closes: str) -> int:
    """An (always anonymous) employee survey created at local time `when`."""
    return surveys.create_survey(
        session=session,
        clock=clock(when),
        policy=policy,
        name=f"staff {opens}",
        audience=Audience.employees,
        opens=date.fromisoformat(opens),
        closes=date.fromisoformat(closes),
    ).id


def staff_answer(session, survey_id: int, when: str) -> None:
    surveys.respond(session=session, clock=clock(when), survey_id=survey_id, scores=["overall=4"])


def staff_survey_2025(session, policy) -> None:
    """The company (recorded 2024-12-02) held its 2025 survey: nothing carries into 2026."""
    staff_answer(
        session,
        staff_survey(session, policy, "2025-06-01", "2025-05-20 09:00", "2025-06-30"),
        "2025-06-02 10:00",
    )


def survey_seen(session, policy, now: str) -> list[tuple]:
    return [
        (i.title, i.status, i.due, i.owner_name, i.period, i.missed)
        for i in items(session, policy, now, STAFF_SURVEY)
    ]


def test_E3_a_staff_survey_nobody_answered_does_not_count(session, policy, co):
    staff_survey_2025(session, policy)
    made = staff_survey(session, policy, "2026-10-01", "2026-09-20 09:00", "2026-12-15")

    assert survey_seen(session, policy, "2026-11-27 08:30") == [
        (
            "employee satisfaction survey (anonymous): 0 of 1 this year",
            "due",
            date(2026, 12, 31),
            "Han",
            "2026",
            None,
        )
    ]
    staff_answer(session, made, "2026-11-27 09:00")
    assert survey_seen(session, policy, "2026-11-27 10:00") == []


def test_E3_no_staff_survey_in_2026_is_overdue_in_january_2027(session, policy, co):
    staff_survey_2025(session, policy)
    assert [i[1:] for i in survey_seen(session, policy, "2026-12-31 23:00")] == [
        ("due", date(2026, 12, 31), "Han", "2026", None)
    ]
    found = items(session, policy, "2027-01-01 08:00", STAFF_SURVEY)
    assert [(i.title, i.status, i.due, i.owner_name, i.period, i.missed) for i in found] == [
        (
            "employee satisfaction survey (anonymous): 0 of 1 this year",
            "overdue",
            date(2027, 12, 31),
            "Han",
            "2027",
            "2026",
        )
    ]
    assert found[0].why == (
        "E3: at least 1 a year; 0 opened in 2027 so far, and only 0 in 2026 (`careops survey create … "
        "--audience employees`)"
    )
    # Overdue until a survey is held (opened and answered); it is also 2027's survey.
    made = staff_survey(session, policy, "2027-03-01", "2027-02-20 09:00", "2027-03-15")
    assert [i[1:] for i in survey_seen(session, policy, "2027-03-01 12:00")] == [
        ("overdue", date(2027, 12, 31), "Han", "2027", "2026")
    ]
    staff_answer(session, made, "2027-03-02 10:00")
    assert survey_seen(session, policy, "2027-03-02 11:00") == []
    # 2027 held its survey: nothing carries into 2028 (and 2026 is no longer asked about).
    assert [i[1:] for i in survey_seen(session, policy, "2028-01-03 08:00")] == [
        ("due", date(2028, 12, 31), "Han", "2028", None)
    ]


def test_E3_a_2026_staff_survey_answered_in_2026_leaves_nothing_owed_in_january(
    session, policy, co
):
    made = staff_survey(session, policy, "2026-06-01", "2026-05-20 09:00", "2026-06-30")
    # The company was recorded on 2024-12-02 and held no survey in 2025: overdue until 2026's is answered.
    assert [i[1:] for i in survey_seen(session, policy, "2026-06-02 08:00")] == [
        ("overdue", date(2026, 12, 31), "Han", "2026", "2025")
    ]
    staff_answer(session, made, "2026-06-03 10:00")

    assert survey_seen(session, policy, "2026-06-03 11:00") == []
    assert [i[1:] for i in survey_seen(session, policy, "2027-01-01 08:00")] == [
        ("due", date(2027, 12, 31), "Han", "2027", None)
    ]


# --- E2.1 one-to-one ----------------------------------------------------------------------------------


def test_E2_1_one_to_one_of_119_minutes_does_not_count(session, policy, co):
    talk(session, policy, "Wu", "Sun", "2025-06-10 10:00")  # 2025 was kept, so 2026 is merely due
    logged = talk(session, policy, "Wu", "Sun", "2026-03-10 10:00", minutes=119)

    assert logged.counts is False
    assert logged.warnings == [
        "recorded, but it does not count for E2.1: 119 min, a one-to-one needs 120 min or more "
        "in one sitting."
    ]
    item = one_item(session, policy, "2026-03-10 14:00", ONE_TO_ONE, co.wu)
    assert (
        item.rule,
        item.clause,
        item.strength,
        item.kind,
        item.title,
        item.subject_type,
        item.subject_name,
    ) == (ONE_TO_ONE, "E2.1", "must", "cadence", "one-to-one of 120 min or more", "staff", "Wu")
    assert (
        item.owner_id,
        item.owner_name,
        item.due,
        item.status,
        item.period,
        item.missed,
        item.pooled,
    ) == (co.sun, "Sun", date(2026, 12, 31), "due", "2026", None, True)
    assert item.last_contact == local("2025-06-10 00:00")
    assert item.why == "one-to-one with Sun: none of 120 min or more yet in 2026"


def test_E2_1_one_to_one_of_120_minutes_counts(session, policy, co):
    talk(session, policy, "Wu", "Sun", "2025-06-10 10:00")
    logged = talk(session, policy, "Wu", "Sun", "2026-03-10 10:00", minutes=120)

    assert (logged.counts, logged.warnings) == (True, [])
    assert of(items(session, policy, "2026-03-10 14:00", ONE_TO_ONE), co.wu) == []
    assert of(items(session, policy, "2026-12-31 18:00", ONE_TO_ONE), co.wu) == []
    # Xu had none: still owed. As of before the talk, Wu was owed one too.
    assert statuses(session, policy, "2026-03-10 14:00", ONE_TO_ONE, co.xu) == ["overdue"]
    assert statuses(session, policy, "2026-03-10 09:59", ONE_TO_ONE, co.wu) == ["due"]
    # A new year, a new one-to-one owed.
    item = one_item(session, policy, "2027-01-04 09:00", ONE_TO_ONE, co.wu)
    assert (item.due, item.status, item.period, item.last_contact) == (
        date(2027, 12, 31),
        "due",
        "2027",
        local("2026-03-10 00:00"),
    )


def test_E2_1_one_to_one_with_someone_other_than_the_manager_does_not_count(session, policy, co):
    talk(session, policy, "Wu", "Sun", "2025-06-10 10:00")
    logged = talk(session, policy, "Wu", "Han", "2026-03-10 10:00", minutes=150)

    assert logged.counts is False
    assert logged.warnings == [
        "recorded, but it does not count for E2.1: Han is not Wu's manager (Sun)."
    ]
    item = one_item(session, policy, "2026-03-10 14:00", ONE_TO_ONE, co.wu)
    assert (item.owner_id, item.status) == (co.sun, "due")


def test_E2_1_overdue_when_the_pair_went_the_whole_previous_year_without_one(session, policy, co):
    talk(session, policy, "Wu", "Sun", "2025-06-10 10:00")
    talk(
        session, policy, "Xu", "Sun", "2025-06-10 14:00", minutes=119
    )  # too short: 2025 was missed
    ke = hire(session, "Ke", "2025-01-01 09:00")  # under Sun for the whole of 2025, never met
    ma = hire(
        session, "Ma", "2025-01-02 09:00"
    )  # under Sun from 2 January 2025 only: not the whole year

    found = items(session, policy, "2026-02-02 10:00", ONE_TO_ONE, owner_id=co.sun)
    assert sorted((i.subject_name, i.status, i.missed, i.due) for i in found) == [
        ("Ke", "overdue", "2025", date(2026, 12, 31)),
        ("Ma", "due", None, date(2026, 12, 31)),
        ("Wu", "due", None, date(2026, 12, 31)),
        ("Xu", "overdue", "2025", date(2026, 12, 31)),
    ]
    [xu] = of(found, co.xu)
    assert xu.why == "one-to-one with Sun: none of 120 min or more in 2026, none in 2025 either"
    assert of(found, ma)[0].why == "one-to-one with Sun: none of 120 min or more yet in 2026"
    assert [i.subject_id for i in found if i.subject_name == "Ke"] == [ke]


def test_E2_1_manager_changed_mid_year_the_new_manager_owes_the_one_to_one(session, policy, co):
    talk(session, policy, "Wu", "Sun", "2025-06-10 10:00")
    talk(session, policy, "Wu", "Sun", "2026-03-10 10:00")
    assert of(items(session, policy, "2026-06-30 10:00", ONE_TO_ONE), co.wu) == []

    edit_staff(session=session, clock=clock("2026-07-01 09:00"), ref="Wu", reports_to="Zhou")

    item = one_item(session, policy, "2026-07-01 10:00", ONE_TO_ONE, co.wu)
    assert (
        item.owner_id,
        item.owner_name,
        item.due,
        item.status,
        item.missed,
        item.last_contact,
    ) == (co.zhou, "Zhou", date(2026, 12, 31), "due", None, None)
    assert item.why == "one-to-one with Zhou: none of 120 min or more yet in 2026"
    # Sun, the old manager, owes Wu nothing: only Xu is left on Sun's list.
    assert [
        i.subject_id
        for i in items(session, policy, "2026-07-01 10:00", ONE_TO_ONE, owner_id=co.sun)
    ] == [co.xu]
    assert [
        i.subject_id
        for i in items(session, policy, "2026-07-01 10:00", ONE_TO_ONE, owner_id=co.zhou)
    ] == [co.wu]

    late = talk(
        session, policy, "Wu", "Sun", "2026-07-15 10:00"
    )  # the old manager again: does not count
    assert late.counts is False
    assert statuses(session, policy, "2026-07-15 11:00", ONE_TO_ONE, co.wu) == ["due"]

    talk(session, policy, "Wu", "Zhou", "2026-08-05 10:00")
    assert of(items(session, policy, "2026-08-05 11:00", ONE_TO_ONE), co.wu) == []


def test_E2_1_only_pairs_with_a_company_role_count(session, policy, co):
    c = clock("2024-12-02 09:00")
    add_staff(session=session, clock=c, name="Zhao", role=Role.manager, hired=HIRED)
    wang = add_staff(
        session=session, clock=c, name="Wang", role=Role.butler, reports_to="Zhao", hired=HIRED
    ).id
    li = add_staff(
        session=session, clock=c, name="Li", role=Role.butler, reports_to="Guo", hired=HIRED
    ).id

    found = items(session, policy, "2026-03-02 10:00", ONE_TO_ONE)
    # Wang (butler) under Zhao (property manager): neither holds a company role, no item.
    # Li (butler) under Guo (gm): the manager's role counts. Dong (chairman) has no manager.
    assert sorted(i.subject_id for i in found) == sorted(
        [co.guo, co.han, co.sun, co.zhou, co.wu, co.xu, li]
    )
    assert of(found, wang) == []
    assert [(i.owner_id, i.status) for i in of(found, li)] == [(co.guo, "overdue")]


def test_E2_1_someone_not_yet_hired_is_owed_no_one_to_one_before_starting(session, policy, co):
    qin = hire(session, "Qin", "2026-11-27 09:00", hired=date(2027, 1, 4))

    # Qin starts on 4 January 2027: there is no pair in 2026, and no 2026 one-to-one can be logged anyway.
    with pytest.raises(InvalidInput):
        talk(session, policy, "Qin", "Sun", "2026-12-01 10:00")
    assert of(items(session, policy, "2026-12-01 10:00", ONE_TO_ONE), qin) == []
    item = one_item(session, policy, "2027-01-05 10:00", ONE_TO_ONE, qin)
    assert (item.owner_id, item.due, item.status) == (co.sun, date(2027, 12, 31), "due")


def test_E2_1_daily_share_spreads_a_managers_one_to_ones_over_the_working_days_left(
    session, policy, co
):
    for name in ("Ai", "Bo", "Cai", "Du", "Fan", "Gu"):
        hire(session, name, "2026-01-05 09:00", boss="Zhou")
    calendar = WorkCalendar()
    scope = Scope(owner_id=co.zhou)

    # Friday 25 December: 25, 28, 29, 30, 31 are the working days left (not the weekend); 6 open → 2 a day.
    view = due_view(session.connection(), policy, clock("2026-12-25 08:00"), calendar, scope)
    assert [(i.subject_name, i.status) for i in view.items if i.rule == ONE_TO_ONE] == [
        ("Ai", "due"),
        ("Bo", "due"),
    ]
    assert view.remaining["one-to-one of 120 min or more"] == 4

    talk(session, policy, "Ai", "Zhou", "2026-12-25 09:00")  # one done today: one left to do today

    view = due_view(session.connection(), policy, clock("2026-12-25 10:00"), calendar, scope)
    assert [i.subject_name for i in view.items if i.rule == ONE_TO_ONE] == ["Bo"]
    assert view.remaining["one-to-one of 120 min or more"] == 4
    everything = due_view(
        session.connection(), policy, clock("2026-12-25 10:00"), calendar, scope, show_all=True
    )
    assert [i.subject_name for i in everything.items if i.rule == ONE_TO_ONE] == [
        "Bo",
        "Cai",
        "Du",
        "Fan",
        "Gu",
    ]


# --- E2.2 probation end -----------------------------------------------------------------------------


def test_E2_2_probation_end_interview_due_by_the_end_of_probation_for_the_manager(
    session, policy, co
):
    lin = hire(session, "Lin", "2026-06-01 09:00", probation_ends=date(2026, 11, 30))  # a Monday

    item = one_item(session, policy, "2026-11-16 08:00", PROBATION, lin)
    assert (
        item.rule,
        item.clause,
        item.strength,
        item.kind,
        item.title,
        item.subject_type,
        item.subject_name,
    ) == (PROBATION, "E2.2", "must", "interview", "probation-end interview", "staff", "Lin")
    assert (item.owner_id, item.owner_name, item.due, item.status, item.ref) == (
        co.sun,
        "Sun",
        date(2026, 11, 30),
        "due",
        None,
    )
    assert item.why == "probation ends on 2026-11-30: the manager interviews Lin by 2026-11-30"
    assert statuses(session, policy, "2026-06-01 10:00", PROBATION, lin) == ["upcoming"]
    assert statuses(session, policy, "2026-11-15 23:59", PROBATION, lin) == [
        "upcoming"
    ]  # 15 days ahead
    assert statuses(session, policy, "2026-11-30 23:59", PROBATION, lin) == ["due"]
    assert statuses(session, policy, "2026-12-01 00:00", PROBATION, lin) == ["overdue"]

    talk(
        session, policy, "Lin", "Sun", "2026-12-02 10:00", kind=InterviewKind.probation, minutes=45
    )

    assert of(items(session, policy, "2026-12-02 10:30", PROBATION), lin) == []
    assert statuses(session, policy, "2026-12-02 09:59", PROBATION, lin) == [
        "overdue"
    ]  # as of before it


def test_E2_2_probation_ending_on_a_holiday_is_due_the_last_working_day_before(session, policy, co):
    calendar = WorkCalendar()
    # National Day 2026: 1–7 October off (the 3rd is a Saturday); Wednesday 30 September is worked.
    assert [calendar.is_working_day(date(2026, 10, d)) for d in (1, 2, 3)] == [False, False, False]
    assert calendar.is_working_day(date(2026, 9, 30))
    chen = hire(session, "Chen", "2026-04-01 09:00", probation_ends=date(2026, 10, 3))

    item = one_item(session, policy, "2026-09-16 09:00", PROBATION, chen)
    assert (item.due, item.status, item.owner_id) == (date(2026, 9, 30), "due", co.sun)
    assert item.why == "probation ends on 2026-10-03: the manager interviews Chen by 2026-09-30"
    assert statuses(session, policy, "2026-09-15 18:00", PROBATION, chen) == ["upcoming"]
    assert statuses(session, policy, "2026-09-30 18:00", PROBATION, chen) == ["due"]
    assert statuses(session, policy, "2026-10-01 09:00", PROBATION, chen) == ["overdue"]


@pytest.mark.parametrize(
    ("ends", "due"),
    [
        (date(2026, 10, 4), date(2026, 9, 30)),  # Sunday in the holiday
        (date(2026, 10, 7), date(2026, 9, 30)),  # Wednesday, last day of the holiday
        (date(2026, 10, 8), date(2026, 10, 8)),  # Thursday, back at work
        (date(2026, 10, 10), date(2026, 10, 10)),  # Saturday worked in exchange for the holiday
        (date(2026, 10, 11), date(2026, 10, 10)),  # Sunday after it
    ],
)
def test_E2_2_probation_due_follows_chinas_official_calendar(session, policy, co, ends, due):
    chen = hire(session, "Chen", "2026-04-01 09:00", probation_ends=ends)

    assert one_item(session, policy, "2026-09-01 09:00", PROBATION, chen).due == due


def test_E2_2_probation_of_someone_without_a_manager_is_for_hr(session, policy, co):
    pei = hire(session, "Pei", "2026-06-01 09:00", boss=None, probation_ends=date(2026, 11, 30))

    item = one_item(session, policy, "2026-11-20 09:00", PROBATION, pei)
    assert (item.owner_id, item.owner_name, item.due, item.status) == (
        co.han,
        "Han",
        date(2026, 11, 30),
        "due",
    )


# --- E2.2 work interviews after an event ------------------------------------------------------------


@pytest.mark.parametrize("kind", ["pay-change", "transfer", "appraisal", "career", "resignation"])
def test_E2_2_event_calls_for_an_interview_of_its_kind_within_7_days(session, policy, co, kind):
    row, _, manager = record_staff_event(
        session=session, clock=clock("2026-11-20 10:00"), ref="Wu", kind=kind
    )

    assert manager == "Sun"
    assert items(session, policy, "2026-11-20 09:59", WORK) == []
    [item] = items(session, policy, "2026-11-20 11:00", WORK)
    assert (
        item.rule,
        item.clause,
        item.strength,
        item.kind,
        item.title,
        item.subject_id,
        item.subject_name,
    ) == (WORK, "E2.2", "must", "interview", f"{kind} interview", co.wu, "Wu")
    assert (item.owner_id, item.owner_name, item.due, item.status, item.ref) == (
        co.sun,
        "Sun",
        date(2026, 11, 27),
        "due",
        row.id,
    )
    assert item.why == f"{kind} recorded on 2026-11-20: the manager interviews Wu within 7 days"
    assert [i.status for i in items(session, policy, "2026-11-27 23:59", WORK)] == ["due"]
    assert [i.status for i in items(session, policy, "2026-11-28 00:00", WORK)] == ["overdue"]

    logged = talk(
        session, policy, "Wu", "Sun", "2026-11-30 10:00", kind=InterviewKind(kind), minutes=30
    )

    assert logged.settles == [f"{kind} of 2026-11-20"]
    assert items(session, policy, "2026-11-30 10:30", WORK) == []


def test_E2_2_interview_before_the_event_or_of_another_kind_does_not_close_it(session, policy, co):
    talk(
        session, policy, "Wu", "Sun", "2026-11-18 10:00", kind=InterviewKind.pay_change, minutes=30
    )
    row, _, _ = record_staff_event(
        session=session, clock=clock("2026-11-20 10:00"), ref="Wu", kind="pay-change"
    )
    talk(session, policy, "Wu", "Sun", "2026-11-21 10:00", kind=InterviewKind.appraisal, minutes=30)

    assert [(i.ref, i.status) for i in items(session, policy, "2026-11-22 10:00", WORK)] == [
        (row.id, "due")
    ]

    talk(
        session, policy, "Wu", "Sun", "2026-11-23 10:00", kind=InterviewKind.pay_change, minutes=30
    )
    assert items(session, policy, "2026-11-23 11:00", WORK) == []


def test_E2_2_interview_on_the_events_day_closes_it(session, policy, co):
    record_staff_event(session=session, clock=clock("2026-11-20 10:00"), ref="Xu", kind="appraisal")

    talk(session, policy, "Xu", "Sun", "2026-11-20 15:00", kind=InterviewKind.appraisal, minutes=30)

    assert items(session, policy, "2026-11-20 16:00", WORK) == []


def test_E2_2_voiding_the_event_removes_its_interview(session, policy, co):
    row, _, _ = record_staff_event(
        session=session, clock=clock("2026-11-20 10:00"), ref="Wu", kind="pay-change"
    )
    kept, _, _ = record_staff_event(
        session=session, clock=clock("2026-11-20 10:05"), ref="Xu", kind="career"
    )

    void(
        session=session,
        clock=clock("2026-11-21 09:00"),
        kind="event",
        record_id=row.id,
        reason="wrong person",
    )

    assert [(i.ref, i.subject_id) for i in items(session, policy, "2026-11-21 10:00", WORK)] == [
        (kept.id, co.xu)
    ]


# --- E1.1 contracts ---------------------------------------------------------------------------------


def test_E1_1_contract_ending_within_30_days_is_a_should_item_for_hr(session, policy, co):
    edit_staff(
        session=session, clock=clock("2026-11-01 09:00"), ref="Wu", contract_ends=date(2026, 12, 27)
    )

    assert items(session, policy, "2026-11-26 08:00", CONTRACT) == []  # 31 days ahead
    [item] = items(session, policy, "2026-11-27 08:00", CONTRACT)  # 30 days ahead
    assert (
        item.rule,
        item.clause,
        item.strength,
        item.kind,
        item.title,
        item.subject_id,
        item.subject_name,
    ) == (CONTRACT, "E1.1", "should", "contract", "labour contract ending", co.wu, "Wu")
    assert (item.owner_id, item.owner_name, item.due, item.status) == (
        co.han,
        "Han",
        date(2026, 12, 27),
        "due",
    )
    assert item.why == (
        "Wu's contract ends on 2026-12-27: renew it (`staff edit --contract-ends`) or record the "
        "leaving (`leave start`)"
    )
    assert [i.status for i in items(session, policy, "2026-12-27 23:59", CONTRACT)] == ["due"]
    [ended] = items(session, policy, "2026-12-28 00:00", CONTRACT)
    assert (ended.status, ended.why) == (
        "overdue",
        "Wu's contract ended on 2026-12-27 and nothing is recorded: renew it or record the leaving",
    )


def test_E1_1_contract_item_gone_once_renewed_or_the_leaving_is_recorded(session, policy, co):
    for name in ("Wu", "Xu"):
        edit_staff(
            session=session,
            clock=clock("2026-11-01 09:00"),
            ref=name,
            contract_ends=date(2026, 12, 15),
        )
    assert sorted(
        i.subject_id for i in items(session, policy, "2026-11-27 08:00", CONTRACT)
    ) == sorted([co.wu, co.xu])

    edit_staff(
        session=session, clock=clock("2026-11-27 09:00"), ref="Wu", contract_ends=date(2027, 12, 31)
    )
    start_leave(
        session=session,
        clock=clock("2026-11-27 09:30"),
        policy=policy,
        employee="Xu",
        last_day=date(2026, 12, 15),
    )

    assert items(session, policy, "2026-11-27 10:00", CONTRACT) == []
    assert items(session, policy, "2026-12-20 10:00", CONTRACT) == []


# --- E1.2, E1.3 leaving -----------------------------------------------------------------------------


def leave_items(session, policy, now: str) -> dict:
    found = [i for i in items(session, policy, now) if i.kind == "leave"]
    by_rule = {i.rule: i for i in found}
    assert len(by_rule) == len(found)
    return by_rule


def test_E1_2_leaving_case_lists_each_step_for_its_owner(session, policy, co):
    edit_staff(session=session, clock=clock("2026-11-01 09:00"), ref="Wu", key_position=True)
    started = start_leave(
        session=session,
        clock=clock("2026-11-02 09:00"),
        policy=policy,
        employee="Wu",
        last_day=date(2026, 11, 30),
        reason="moving city",
    )

    assert (started.steps, started.exit_by, started.manager) == (
        ["handover", "exit-interview", "audit", "final-pay"],
        "hr",
        "Sun",
    )
    found = leave_items(session, policy, "2026-11-02 10:00")
    assert sorted(found) == [
        "leave-audit",
        "leave-exit-interview",
        "leave-final-pay",
        "leave-handover",
    ]
    assert {r: (i.clause, i.strength, i.title, i.owner_id, i.status) for r, i in found.items()} == {
        "leave-handover": ("E1.2", "must", "hand over the work", co.sun, "due"),
        "leave-exit-interview": ("E1.3", "must", "exit interview (hr)", co.han, "due"),
        "leave-audit": ("E1.2", "must", "departure audit (key position)", co.han, "due"),
        "leave-final-pay": ("E1.2", "must", "release the final pay", co.han, "waiting"),
    }
    assert {(i.subject_id, i.due, i.ref) for i in found.values()} == {
        (co.wu, date(2026, 11, 30), started.id)
    }
    assert (
        found["leave-handover"].why
        == "Wu leaves on 2026-11-30; open: handover, exit-interview, audit, final-pay"
    )
    assert (
        found["leave-final-pay"].why
        == "Wu leaves on 2026-11-30; final pay waits for: handover, exit-interview, audit"
    )
    assert leave_items(session, policy, "2026-11-02 08:59") == {}  # before the case was opened


def test_E1_2_final_pay_is_refused_until_every_earlier_step_is_done(session, policy, co):
    edit_staff(session=session, clock=clock("2026-11-01 09:00"), ref="Wu", key_position=True)
    case = start_leave(
        session=session,
        clock=clock("2026-11-02 09:00"),
        policy=policy,
        employee="Wu",
        last_day=date(2026, 11, 30),
    ).id

    def step(which: LeaveStep, when: str):
        return do_step(session=session, clock=clock(when), case_id=case, step=which)

    with pytest.raises(Conflict, match="still open: handover, exit-interview, audit"):
        step(LeaveStep.final_pay, "2026-11-03 09:00")
    step(LeaveStep.handover, "2026-11-05 09:00")
    with pytest.raises(Conflict, match="still open: exit-interview, audit"):
        step(LeaveStep.final_pay, "2026-11-05 10:00")
    talk(session, policy, "Wu", "Han", "2026-11-10 10:00", kind=InterviewKind.exit, minutes=40)
    step(LeaveStep.audit, "2026-11-12 09:00")

    found = leave_items(session, policy, "2026-11-12 10:00")
    assert [(r, i.status, i.why) for r, i in found.items()] == [
        ("leave-final-pay", "due", "Wu leaves on 2026-11-30; open: final-pay")
    ]
    done = step(LeaveStep.final_pay, "2026-11-20 09:00")
    assert (done.complete, done.remaining) == (True, [])
    assert leave_items(session, policy, "2026-11-20 10:00") == {}
    assert (
        show_case(session=session, clock=clock("2026-11-20 10:00"), case_id=case)["state"] == "done"
    )


def test_E1_3_exit_interview_ticks_the_step_and_the_employee_chooses_who_holds_it(
    session, policy, co
):
    case = start_leave(
        session=session,
        clock=clock("2026-11-02 09:00"),
        policy=policy,
        employee="Xu",
        last_day=date(2026, 11, 30),
        exit_by=ExitBy.manager,
    ).id

    found = leave_items(session, policy, "2026-11-02 10:00")
    assert sorted(found) == [
        "leave-exit-interview",
        "leave-final-pay",
        "leave-handover",
    ]  # no key position: no audit
    exit_item = found["leave-exit-interview"]
    assert (exit_item.title, exit_item.clause, exit_item.owner_id, exit_item.ref) == (
        "exit interview (manager)",
        "E1.3",
        co.sun,
        case,
    )
    with pytest.raises(InvalidInput):
        do_step(
            session=session, clock=clock("2026-11-03 09:00"), case_id=case, step=LeaveStep.audit
        )

    logged = talk(
        session, policy, "Xu", "Sun", "2026-11-10 10:00", kind=InterviewKind.exit, minutes=40
    )

    assert (logged.settles, logged.warnings) == ([f"leaving case #{case}"], [])
    assert sorted(leave_items(session, policy, "2026-11-10 11:00")) == [
        "leave-final-pay",
        "leave-handover",
    ]
    shown = show_case(session=session, clock=clock("2026-11-10 11:00"), case_id=case)
    assert [(s["step"], s["done"], s["interview"]) for s in shown["steps"]] == [
        ("handover", False, None),
        ("exit-interview", True, logged.id),
        ("final-pay", False, None),
    ]


def test_E1_2_last_day_passed_with_steps_open_is_overdue(session, policy, co):
    case = start_leave(
        session=session,
        clock=clock("2026-11-02 09:00"),
        policy=policy,
        employee="Wu",
        last_day=date(2026, 11, 20),
    ).id
    do_step(session=session, clock=clock("2026-11-10 09:00"), case_id=case, step=LeaveStep.handover)

    before = leave_items(session, policy, "2026-11-20 18:00")
    assert {r: i.status for r, i in before.items()} == {
        "leave-exit-interview": "due",
        "leave-final-pay": "waiting",
    }
    assert statuses(session, policy, "2026-11-20 18:00", ONE_TO_ONE, co.wu) == ["overdue"]

    after = leave_items(session, policy, "2026-11-21 09:00")
    assert {r: (i.status, i.due, i.ref) for r, i in after.items()} == {
        "leave-exit-interview": ("overdue", date(2026, 11, 20), case),
        "leave-final-pay": ("overdue", date(2026, 11, 20), case),
    }
    for item in after.values():
        assert (
            item.why
            == "Wu: left without completing the procedure (E1.2), last day 2026-11-20; open: exit-interview, final-pay"
        )
    [listed] = list_cases(session=session, clock=clock("2026-11-21 09:00"))
    assert (listed["id"], listed["open_steps"], listed["flag"]) == (
        case,
        ["exit-interview", "final-pay"],
        "left without completing the procedure",
    )
    assert (
        statuses(session, policy, "2026-11-21 09:00", ONE_TO_ONE, co.wu) == []
    )  # gone: no longer a pair


def test_E1_2_transfer_has_only_the_handover_and_then_changes_the_dept(session, policy, co):
    started = start_transfer(
        session=session,
        clock=clock("2026-11-20 10:00"),
        employee="Wu",
        to_dept="marketing",
        on=date(2026, 12, 1),
    )

    assert started.steps == ["handover"]
    [handover] = leave_items(session, policy, "2026-11-20 11:00").values()
    assert (
        handover.rule,
        handover.clause,
        handover.title,
        handover.owner_id,
        handover.due,
        handover.status,
        handover.ref,
        handover.subject_id,
    ) == (
        "leave-handover",
        "E1.2",
        "hand over the work before the transfer to marketing",
        co.sun,
        date(2026, 12, 1),
        "due",
        started.id,
        co.wu,
    )
    assert handover.why == "Wu moves to marketing on 2026-12-01; open: handover"
    [talk_due] = items(
        session, policy, "2026-11-20 11:00", WORK
    )  # a change of post: E2.2 interview
    assert (talk_due.ref, talk_due.title, talk_due.due) == (
        started.event_id,
        "transfer interview",
        date(2026, 11, 27),
    )
    with pytest.raises(InvalidInput):
        do_step(
            session=session,
            clock=clock("2026-11-21 09:00"),
            case_id=started.id,
            step=LeaveStep.final_pay,
        )

    moved = do_step(
        session=session,
        clock=clock("2026-11-30 09:00"),
        case_id=started.id,
        step=LeaveStep.handover,
    )

    assert (moved.complete, moved.dept_change) == (True, ("sales", "marketing"))
    assert (
        session.connection().execute(select(staff.c.dept).where(staff.c.id == co.wu)).scalar()
        == "marketing"
    )
    assert leave_items(session, policy, "2026-11-30 10:00") == {}


# --- E2.6 appeals -----------------------------------------------------------------------------------


def test_E2_6_1_appeal_without_grounds_is_recorded(session, policy, co):
    # --grounds is optional (`appeal file`, file_appeal(grounds=None)): an appeal without it is still an appeal.
    filed = appeal_of(session, policy, "2026-11-02 09:00", grounds=None)

    [row] = list_appeals(
        session=session, clock=clock("2026-11-02 10:00"), policy=policy, viewer=viewer(co.han, "hr")
    )
    assert (row["id"], row["appellant"], row["grounds"], row["receiver"], row["state"]) == (
        filed.id,
        "Wu",
        None,
        "Sun",
        "open",
    )
    assert [i.ref for i in items(session, policy, "2026-11-02 10:00", DECISION)] == [filed.id]


def test_E2_6_4_unsigned_written_appeal_is_refused_and_writes_nothing(session, policy, co):
    tables = (appeal, appeal_step, appeal_person, audit)
    before = [count(session, t) for t in tables]

    with pytest.raises(InvalidInput, match=r"must be signed.*\(E2\.6\.4\)"):
        appeal_of(session, policy, "2026-11-02 09:00", channel=AppealChannel.written)

    assert [count(session, t) for t in tables] == before
    assert items(session, policy, "2026-11-02 10:00", DECISION) == []
    signed = appeal_of(
        session, policy, "2026-11-02 09:30", channel=AppealChannel.written, signed=True
    )
    spoken = appeal_of(
        session, policy, "2026-11-02 09:40", employee="Xu"
    )  # in person: no signature needed
    assert [count(session, t) for t in tables[:2]] == [before[0] + 2, before[1] + 2]
    assert sorted(i.ref for i in items(session, policy, "2026-11-02 10:00", DECISION)) == [
        signed.id,
        spoken.id,
    ]


def test_E2_6_3_filing_above_the_direct_manager_warns_unless_dept_head_or_gm(session, policy, co):
    hire(session, "Tang", "2025-01-06 09:00")  # a team lead under Sun
    hire(session, "Yu", "2025-01-06 09:00", boss="Tang")
    when = "2026-11-02 09:00"

    assert (
        appeal_of(session, policy, when, employee="Yu", to="Tang").warnings == []
    )  # the direct manager
    assert (
        appeal_of(session, policy, when, employee="Yu", to="Sun").warnings == []
    )  # the department head
    assert (
        appeal_of(session, policy, when, employee="Yu", to="Guo").warnings == []
    )  # the general manager
    assert (
        appeal_of(session, policy, when, employee="Yu", to="Han").warnings == []
    )  # HR: not up the line
    assert appeal_of(session, policy, when, employee="Yu", to="Dong").warnings == [
        "Dong is above Yu's direct manager (Tang): appeals go level by level, or straight to the department head or "
        "the general manager; skipping levels is discouraged (E2.6.3). Recorded all the same."
    ]
    assert appeal_of(session, policy, when, employee="Wu", to="Dong").warnings == [
        "Dong is above Wu's direct manager (Sun): appeals go level by level, or straight to the department head or "
        "the general manager; skipping levels is discouraged (E2.6.3). Recorded all the same."
    ]
    assert len(items(session, policy, "2026-11-02 10:00", DECISION)) == 6  # every one recorded


def test_E2_6_5_decision_due_10_working_days_after_filing_for_the_receiver(session, policy, co):
    filed = appeal_of(session, policy, "2026-09-21 10:00")  # a Monday

    # 22, 23, 24, (25 Mid-Autumn), 28, 29, 30, (1–7 October National Day), 8, 9, 10 (a Saturday worked), 12.
    [item] = items(session, policy, "2026-09-21 11:00", DECISION)
    assert (item.rule, item.clause, item.strength, item.kind, item.title, item.ref) == (
        DECISION,
        "E2.6.5",
        "must",
        "appeal",
        f"decide appeal #{filed.id} (round 1)",
        filed.id,
    )
    assert (
        item.subject_type,
        item.subject_id,
        item.subject_name,
        item.owner_id,
        item.owner_name,
        item.due,
        item.status,
    ) == ("staff", None, CONFIDENTIAL, co.sun, "Sun", date(2026, 10, 12), "due")
    assert item.why == (
        f"appeal #{filed.id} from (confidential), round 1 received 2026-09-21: investigate and decide "
        "within 10 working days"
    )
    assert items(session, policy, "2026-09-21 09:59", DECISION) == []
    assert [i.status for i in items(session, policy, "2026-10-12 18:00", DECISION)] == ["due"]
    assert [i.status for i in items(session, policy, "2026-10-13 08:00", DECISION)] == ["overdue"]
    assert [
        i.ref for i in items(session, policy, "2026-10-13 08:00", DECISION, owner_id=co.sun)
    ] == [filed.id]
    assert items(session, policy, "2026-10-13 08:00", DECISION, owner_id=co.guo) == []


def test_E2_6_5_decision_notified_within_2_working_days_to_appellant_gm_and_hr(session, policy, co):
    number = appeal_of(session, policy, "2026-11-16 09:00").id
    decide(
        session=session,
        clock=clock("2026-11-26 15:00"),
        appeal_id=number,
        decision="overtime to be paid",
    )

    assert items(session, policy, "2026-11-26 16:00", DECISION) == []
    [item] = items(session, policy, "2026-11-26 16:00", NOTIFY)
    assert (
        item.rule,
        item.clause,
        item.kind,
        item.title,
        item.ref,
        item.owner_id,
        item.due,
        item.status,
    ) == (
        NOTIFY,
        "E2.6.5",
        "appeal",
        f"notify the decision on appeal #{number}",
        number,
        co.sun,
        date(2026, 11, 30),
        "due",
    )
    assert item.why == (
        "decided on 2026-11-26: notify in writing or by e-mail within 2 working days; "
        "still to notify: appellant, gm, hr"
    )
    assert told(session, number, NotifyTo.appellant, "2026-11-27 09:00").left == ["gm", "hr"]
    second = told(session, number, NotifyTo.gm, "2026-11-27 10:00", Via.written)
    assert (second.notified, second.state, second.left) == ("Guo", "decided", ["hr"])

    [item] = items(session, policy, "2026-11-27 11:00", NOTIFY)
    assert (item.status, item.why) == (
        "due",
        "decided on 2026-11-26: notify in writing or by e-mail within 2 working "
        "days; still to notify: hr",
    )
    assert [i.status for i in items(session, policy, "2026-12-01 08:00", NOTIFY)] == ["overdue"]

    last = told(session, number, NotifyTo.hr, "2026-12-01 09:00")

    assert (last.notified, last.state, last.left) == ("Han", "closed", [])
    assert items(session, policy, "2026-12-01 10:00", NOTIFY) == []
    shown = show_appeal(
        session=session, clock=clock("2026-12-01 10:00"), policy=policy, appeal_id=number
    )
    assert (shown["state"], shown["due"]) == ("closed", None)


def test_E2_6_5_escalation_climbs_three_rounds_to_the_chairman(session, policy, co):
    number = appeal_of(session, policy, "2026-11-02 09:00").id

    with pytest.raises(Conflict):  # not decided yet
        escalate(session=session, clock=clock("2026-11-02 10:00"), appeal_id=number)
    decide(
        session=session,
        clock=clock("2026-11-03 10:00"),
        appeal_id=number,
        decision="no overtime was ordered",
    )
    for to in NotifyTo:
        told(session, number, to, "2026-11-03 11:00")
    second = escalate(
        session=session,
        clock=clock("2026-11-04 09:00"),
        appeal_id=number,
        note_text="not satisfied",
    )

    assert (second.round, second.receiver, second.state) == (2, "Guo", "open")
    [item] = items(session, policy, "2026-11-04 10:00", DECISION)
    assert (item.title, item.owner_id, item.due, item.status) == (
        f"decide appeal #{number} (round 2)",
        co.guo,
        date(2026, 11, 18),
        "due",
    )
    decide(session=session, clock=clock("2026-11-05 10:00"), appeal_id=number, decision="upheld")
    [item] = items(
        session, policy, "2026-11-05 11:00", NOTIFY
    )  # round 1's notifications do not count for round 2
    assert (item.owner_id, item.why.split("still to notify: ")[1]) == (co.guo, "appellant, gm, hr")
    with pytest.raises(
        Conflict, match="has not been notified of round 2"
    ):  # dissatisfied with what they were told
        escalate(session=session, clock=clock("2026-11-05 12:00"), appeal_id=number)
    notify(
        session=session,
        clock=clock("2026-11-05 15:00"),
        appeal_id=number,
        to=NotifyTo.appellant,
        via=Via.written,
    )
    third = escalate(session=session, clock=clock("2026-11-06 09:00"), appeal_id=number)

    assert (third.round, third.receiver, third.state) == (3, "Dong", "open")
    [item] = items(session, policy, "2026-11-06 10:00", DECISION)
    assert (item.title, item.owner_id, item.due) == (
        f"decide appeal #{number} (round 3)",
        co.dong,
        date(2026, 11, 20),
    )
    decide(
        session=session, clock=clock("2026-11-09 10:00"), appeal_id=number, decision="final: upheld"
    )
    notify(
        session=session,
        clock=clock("2026-11-09 15:00"),
        appeal_id=number,
        to=NotifyTo.appellant,
        via=Via.email,
    )
    with pytest.raises(Conflict, match="Dong is at the top"):
        escalate(session=session, clock=clock("2026-11-10 09:00"), appeal_id=number)

    shown = show_appeal(
        session=session,
        clock=clock("2026-11-10 10:00"),
        policy=policy,
        appeal_id=number,
        viewer=viewer(co.han, "hr"),
    )
    assert (shown["round"], shown["receiver"], shown["state"], shown["decision"]) == (
        3,
        "Dong",
        "decided",
        "final: upheld",
    )
    assert [
        (s["round"], s["action"], s["with"], s["notified"], s["note"]) for s in shown["steps"]
    ] == [
        (1, "file", "Sun", None, None),
        (1, "decide", None, None, "no overtime was ordered"),
        (1, "notify", None, "appellant", None),
        (1, "notify", None, "gm", None),
        (1, "notify", None, "hr", None),
        (2, "escalate", "Guo", None, "not satisfied"),
        (2, "decide", None, None, "upheld"),
        (2, "notify", None, "appellant", None),
        (3, "escalate", "Dong", None, None),
        (3, "decide", None, None, "final: upheld"),
        (3, "notify", None, "appellant", None),
    ]


def test_E2_6_appellant_is_named_only_to_those_involved_and_hr(session, policy, co):
    number = appeal_of(session, policy, "2026-11-02 09:00").id
    investigate(
        session=session,
        clock=clock("2026-11-03 09:00"),
        appeal_id=number,
        note_text="asked the team",
        with_staff=["Xu"],
    )

    def seen_in_items(now: str, viewer_id=None, viewer_role=None) -> tuple:
        [item] = [
            i
            for i in items(session, policy, now, viewer_id=viewer_id, viewer_role=viewer_role)
            if i.kind == "appeal"
        ]
        return item.subject_id, item.subject_name

    def seen_in_list(now: str, who) -> str:
        [row] = list_appeals(session=session, clock=clock(now), policy=policy, viewer=who)
        return row["appellant"]

    now = "2026-11-03 10:00"
    for who, role in (
        (co.wu, "employee"),
        (co.sun, "dept-head"),
        (co.xu, "employee"),
        (co.han, "hr"),
    ):
        assert seen_in_items(now, who, role) == (co.wu, "Wu"), (
            who
        )  # appellant, receiver, consulted, HR
        assert seen_in_list(now, viewer(who, role)) == "Wu", who
    for who, role in ((co.guo, "gm"), (co.zhou, "dept-head"), (co.dong, "chairman"), (None, None)):
        assert seen_in_items(now, who, role) == (None, CONFIDENTIAL), who
        assert seen_in_list(now, viewer(who, role) if who else None) == CONFIDENTIAL, who
    hidden = show_appeal(
        session=session,
        clock=clock(now),
        policy=policy,
        appeal_id=number,
        viewer=viewer(co.guo, "gm"),
    )
    assert (hidden["appellant"], hidden["summary"], hidden["receiver"]) == (
        CONFIDENTIAL,
        CONFIDENTIAL,
        "Sun",
    )
    assert [(s["action"], s["with"], s["note"]) for s in hidden["steps"]] == [
        ("file", "Sun", None),
        ("investigate", CONFIDENTIAL, CONFIDENTIAL),
    ]
    shown = show_appeal(
        session=session,
        clock=clock(now),
        policy=policy,
        appeal_id=number,
        viewer=viewer(co.xu, "employee"),
    )
    assert (shown["appellant"], shown["summary"]) == ("Wu", "overtime not paid")
    # The audit trail names no appellant.
    trail = (
        session.connection()
        .execute(select(audit.c.detail, audit.c.staff_id).where(audit.c.kind == "appeal"))
        .all()
    )
    assert trail and all(staff_id is None and "Wu" not in detail for detail, staff_id in trail)

    decide(
        session=session,
        clock=clock("2026-11-04 09:00"),
        appeal_id=number,
        decision="overtime to be paid",
    )
    told(session, number, NotifyTo.gm, "2026-11-04 10:00")  # notified: now involved
    assert seen_in_items("2026-11-04 11:00", co.guo, "gm") == (co.wu, "Wu")
    assert seen_in_list("2026-11-04 11:00", viewer(co.guo, "gm")) == "Wu"

    assert seen_in_items("2026-11-04 11:00", co.dong, "chairman") == (None, CONFIDENTIAL)
    set_actor(session, "Dong")  # Dong records the notification to HR: he took a step
    told(session, number, NotifyTo.hr, "2026-11-04 12:00")
    assert seen_in_list("2026-11-04 13:00", viewer(co.dong, "chairman")) == "Wu"
    assert seen_in_list("2026-11-04 13:00", viewer(co.zhou, "dept-head")) == CONFIDENTIAL


def test_E2_6_5_escalation_skips_a_manager_who_has_left(session, policy, co):
    # Qin ← Lin ← Sun ← Guo ← Dong: Qin appeals to Lin; Sun's last day is 3 November.
    hire(session, "Lin", "2026-01-05 09:00")
    hire(session, "Qin", "2026-01-05 09:00", boss="Lin")
    number = appeal_of(session, policy, "2026-11-02 09:00", employee="Qin", to="Lin").id
    start_leave(
        session=session,
        clock=clock("2026-11-02 10:00"),
        policy=policy,
        employee="Sun",
        last_day=date(2026, 11, 3),
    )
    decide(session=session, clock=clock("2026-11-03 10:00"), appeal_id=number, decision="no")
    told(session, number, NotifyTo.appellant, "2026-11-03 11:00")

    second = escalate(session=session, clock=clock("2026-11-04 09:00"), appeal_id=number)

    assert (second.round, second.receiver, second.state, second.warnings) == (
        2,
        "Guo",
        "open",
        ["passed over Sun (left): round 2 goes to Guo."],
    )
    [item] = items(session, policy, "2026-11-04 10:00", DECISION)
    assert (item.title, item.owner_id) == (f"decide appeal #{number} (round 2)", co.guo)
    assert items(session, policy, "2026-11-04 10:00", DECISION, owner_id=co.sun) == []


def test_E2_6_5_after_an_escalation_the_earlier_rounds_notifications_stay_owed(session, policy, co):
    number = appeal_of(session, policy, "2026-11-02 09:00").id
    decide(session=session, clock=clock("2026-11-03 10:00"), appeal_id=number, decision="no")
    told(session, number, NotifyTo.appellant, "2026-11-03 11:00")
    escalate(session=session, clock=clock("2026-11-04 09:00"), appeal_id=number)

    [owed] = items(session, policy, "2026-11-04 10:00", NOTIFY)
    assert (owed.title, owed.owner_id, owed.due, owed.why.split("still to notify: ")[1]) == (
        f"notify round 1's decision on appeal #{number}",
        co.sun,  # who decided round 1
        date(2026, 11, 5),
        "gm, hr",
    )
    # Without --round, the round the recipient was not told of; the appeal stays open in round 2.
    result = told(session, number, NotifyTo.gm, "2026-11-04 11:00")
    assert (result.round, result.state, result.left) == (1, "open", ["hr"])
    decide(session=session, clock=clock("2026-11-05 10:00"), appeal_id=number, decision="upheld")
    for to in NotifyTo:
        told(session, number, to, "2026-11-05 11:00")
    [still] = items(session, policy, "2026-11-05 12:00", NOTIFY)
    assert (still.title, still.why.split("still to notify: ")[1]) == (
        f"notify round 1's decision on appeal #{number}",
        "hr",
    )
    last = told(session, number, NotifyTo.hr, "2026-11-05 13:00")
    assert (last.round, last.state) == (1, "closed")
    assert items(session, policy, "2026-11-05 14:00", NOTIFY) == []


def test_E2_6_5_a_round_without_a_decision_cannot_be_notified(session, policy, co):
    number = appeal_of(session, policy, "2026-11-02 09:00").id
    decide(session=session, clock=clock("2026-11-03 10:00"), appeal_id=number, decision="no")
    with pytest.raises(Conflict, match="round 2 of appeal #1 has no decision to notify"):
        notify(
            session=session,
            clock=clock("2026-11-03 11:00"),
            appeal_id=number,
            to=NotifyTo.gm,
            via=Via.email,
            round_=2,
        )


def test_E2_6_2_a_peer_cannot_receive_an_appeal(session, policy, co):
    """Xu and Wu both report to Sun: Wu manages nobody and holds none of the roles E2.6.2 names."""
    with pytest.raises(InvalidInput, match=r"Wu cannot receive an appeal \(E2\.6\.2\)"):
        appeal_of(session, policy, "2026-11-02 09:00", employee="Xu", to="Wu")
    assert count(session, appeal) == 0
    hire(session, "Pei", "2026-11-01 09:00", boss="Wu")  # now Wu manages someone: management
    assert appeal_of(session, policy, "2026-11-02 09:00", employee="Xu", to="Wu").receiver == "Wu"


def test_E2_6_2_someone_who_has_left_cannot_receive_an_appeal(session, policy, co):
    start_leave(
        session=session,
        clock=clock("2026-11-01 09:00"),
        policy=policy,
        employee="Guo",
        last_day=date(2026, 11, 1),
    )
    with pytest.raises(InvalidInput, match="Guo cannot receive an appeal"):
        appeal_of(session, policy, "2026-11-02 09:00", to="Guo")

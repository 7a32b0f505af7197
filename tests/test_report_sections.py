"""The monthly report's follow-up, register, office and HR sections (P3–P5, H3.1, H3.3–H3.6, E1–E2, E3).

A known month of facts (May 2026, Asia/Shanghai) is built through the services, each fact by a clock
standing at the moment it happened; the report is read by a fixed clock on 10 June 2026, so open and
overdue figures are as of 1 June 00:00 local. Every figure is checked exactly.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from test_rules_e import company, talk, told
from test_rules_h3 import check, held, hospital, opinion
from test_rules_p1_plans import approve_plan
from test_rules_p1_plans import draft as draft_plan
from test_rules_register import matter, revisit_visit

from careops.clock import parse_local
from careops.report.cases import followup_sections, register_sections, trend_figures
from careops.report.chases import chases_section
from careops.report.checks import checks_section
from careops.report.contacts import contact_sections
from careops.report.contracts import contracts_section
from careops.report.leaving import leaving_sections
from careops.report.monthly import sections
from careops.report.office import hr_sections, office_sections
from careops.report.plans import plan_sections
from careops.report.visits import visit_sections
from careops.report.window import Month, ReportScope
from careops.scheduler.tables import obligation
from careops.services import meetings, surveys
from careops.services.appeals import decide, file_appeal
from careops.services.followups import cancel_followup, record_event, record_rain
from careops.services.interviews import record_staff_event
from careops.services.leaving import do_step, start_leave
from careops.services.register import answer, chase, close, resolve, route
from careops.services.staff import add_staff, edit_staff
from careops.services.void import void
from careops.services.zones import add_zone
from careops.vocab import (
    AppealChannel,
    Audience,
    Channel,
    ContactKind,
    InterviewKind,
    LeaveStep,
    MeetingKind,
    NotifyTo,
    Outcome,
    RegisterChannel,
    RegisterKind,
    Role,
    Severity,
    Verdict,
)

from conftest import clock
from scheduling import contact, household, items, two_zone_site, visit

REPORT_NOW = "2026-06-10 09:00"
SITE = ReportScope()


def may(now: str = REPORT_NOW) -> tuple:
    c = clock(now)
    return c, Month.of(date(2026, 5, 1), c)


def section(sections, key: str):
    [found] = [s for s in sections if s.key == key]
    return found


def rows_of(found, *keys) -> list[tuple]:
    return [tuple(r[k] for k in keys) for r in found.rows]


def event(session, policy, party_id: int, kind: str, when: str):
    return (
        record_event(
            session=session,
            clock=clock(when),
            policy=policy,
            ref=f"#{party_id}",
            kind=kind,
            at=parse_local(when),
        )
        .followups[0]
        .obligation.id
    )


def done_by_visit(session, policy, party_id: int, by: str, when: str, followup_id: int):
    from careops.services.visits import log_visit

    log_visit(
        session=session,
        clock=clock(when),
        policy=policy,
        ref=f"#{party_id}",
        by=by,
        channel=Channel.door,
        at=parse_local(when),
        for_ids=[followup_id],
    )


# --- follow-ups per clause (P3, P4, P5) ------------------------------------------------------------------


@pytest.fixture
def followups(session, policy):
    site = two_zone_site(session)
    a = household(session, "1-101", "2026-01-05 08:00")
    b = household(session, "2-201", "2026-01-05 08:00", zone="B")
    # P4.4 emergency repairs (24 h): on time (23 h), late (48 h), late from April (72 h), zone B on time (5 h).
    done_by_visit(
        session,
        policy,
        a,
        "Wang",
        "2026-05-05 09:00",
        event(session, policy, a, "emergency-repair", "2026-05-04 10:00"),
    )
    done_by_visit(
        session,
        policy,
        a,
        "Wang",
        "2026-05-12 10:00",
        event(session, policy, a, "emergency-repair", "2026-05-10 10:00"),
    )
    done_by_visit(
        session,
        policy,
        a,
        "Wang",
        "2026-05-02 10:00",
        event(session, policy, a, "emergency-repair", "2026-04-29 10:00"),
    )
    done_by_visit(
        session,
        policy,
        b,
        "Li",
        "2026-05-06 15:00",
        event(session, policy, b, "emergency-repair", "2026-05-06 10:00"),
    )
    # P4.4 leak repairs: rain on 8 May; the first is done on the day after (on time, 152 h), the second never.
    leak = event(session, policy, a, "leak-repair", "2026-05-03 10:00")
    record_rain(session=session, clock=clock("2026-05-08 20:00"), day=date(2026, 5, 8))
    done_by_visit(session, policy, a, "Wang", "2026-05-09 18:00", leak)
    event(session, policy, a, "leak-repair", "2026-05-11 10:00")
    record_rain(session=session, clock=clock("2026-05-13 20:00"), day=date(2026, 5, 13))
    # P4.7 condolence visit (3 days): open at the month's end and overdue.
    event(session, policy, a, "bereavement", "2026-05-20 10:00")
    # P4.6 wedding at 23:30 on 31 May local (15:30 UTC): May's, open, not yet due.
    event(session, policy, a, "wedding", "2026-05-31 23:30")
    # P4.3 phone-back, cancelled: created, never done.
    cancel_followup(
        session=session,
        clock=clock("2026-05-26 09:00"),
        followup_id=event(session, policy, a, "commission-done", "2026-05-25 10:00"),
        reason="owner moved",
    )
    # P4.9 from an event voided later: never counts.
    fee = event(session, policy, a, "fee-arrears", "2026-05-14 10:00")
    event_id = (
        session.connection()
        .execute(select(obligation.c.event_id).where(obligation.c.id == fee))
        .scalar()
    )
    void(
        session=session,
        clock=clock("2026-05-14 11:00"),
        kind="event",
        record_id=str(event_id),
        reason="wrong unit",
    )
    # P3 callback agreed for 16 May 10:00, settled by a reached call that evening (the same day: on time, 29 h).
    visit(
        session,
        policy,
        a,
        "Wang",
        "2026-05-15 15:00",
        channel=Channel.phone,
        outcome=Outcome.busy,
        callback="2026-05-16 10:00",
    )
    visit(session, policy, a, "Wang", "2026-05-16 20:00", channel=Channel.phone)
    # A callback agreed for 31 May, still open at the month's end: overdue only from 1 June, which it is at 00:00.
    visit(
        session,
        policy,
        b,
        "Li",
        "2026-05-30 15:00",
        channel=Channel.phone,
        outcome=Outcome.busy,
        callback="2026-05-31 10:00",
    )
    return site


COLUMNS = (
    "clause",
    "created",
    "done_on_time",
    "done_late",
    "cancelled",
    "ended",
    "open_overdue",
    "median_hours_to_done",
)


def test_p4_followups_done_on_time_late_and_overdue_per_clause(session, policy, followups):
    c, month = may()
    [found] = followup_sections(session.connection(), policy, c, month, SITE)
    assert (found.key, found.clause) == ("followups", "P3, P4, P5")
    assert [col.key for col in found.columns] == list(COLUMNS)
    assert rows_of(found, *COLUMNS) == [
        ("P3", 2, 1, 0, 0, 0, 1, 29.0),
        ("P4.3", 1, 0, 0, 1, 0, 0, None),  # cancelled in May
        ("P4.4", 5, 3, 2, 0, 0, 1, 48.0),  # hours to done: 5, 23, 48, 72, 152
        ("P4.6", 1, 0, 0, 0, 0, 0, None),
        ("P4.7", 1, 0, 0, 0, 0, 1, None),
    ]


def test_p4_6_a_wedding_offer_not_made_by_its_day_counts_as_lapsed_in_the_month_it_lapsed(
    session, policy, followups
):
    """The wedding of 31 May is offered by 7 June (a `may`): nobody did, so June counts it as missed or
    lapsed, never as overdue, and July does not count it again."""
    c = clock("2026-08-01 09:00")
    june, july = Month.of(date(2026, 6, 1), c), Month.of(date(2026, 7, 1), c)
    keys = ("clause", "created", "cancelled", "ended", "open_overdue")

    [in_june] = followup_sections(session.connection(), policy, c, june, SITE)
    [in_july] = followup_sections(session.connection(), policy, c, july, SITE)

    assert [r for r in rows_of(in_june, *keys) if r[0] == "P4.6"] == [("P4.6", 0, 0, 1, 0)]
    assert [r for r in rows_of(in_july, *keys) if r[0] == "P4.6"] == []


def test_p4_followups_as_of_now_in_the_current_month(session, policy, followups):
    """On 21 May 09:00 the condolence visit (due by the end of 23 May) is open but not overdue yet; the wedding of
    31 May does not exist yet, and the second leak repair (rain on 13 May) is overdue since 15 May."""
    c, month = may("2026-05-21 09:00")
    [found] = followup_sections(session.connection(), policy, c, month, SITE)
    assert rows_of(found, *COLUMNS) == [
        ("P3", 1, 1, 0, 0, 0, 0, 29.0),
        ("P4.4", 5, 3, 2, 0, 0, 1, 48.0),
        ("P4.7", 1, 0, 0, 0, 0, 0, None),
    ]


def test_p4_followups_for_one_zone_or_one_butler(session, policy, followups):
    c, month = may()
    for scope in (ReportScope(zone_id=followups.zone_b), ReportScope(staff_id=followups.li)):
        [found] = followup_sections(session.connection(), policy, c, month, scope)
        assert rows_of(found, *COLUMNS) == [
            ("P3", 1, 0, 0, 0, 0, 1, None),
            ("P4.4", 1, 1, 0, 0, 0, 0, 5.0),
        ]


def test_p4_trend_followups_done_on_time_pct(session, policy, followups):
    c, month = may()
    figures = trend_figures(session.connection(), policy, c, month, SITE)
    assert figures["followups_done_on_time_pct"] == 66.7  # 4 of 6 done in May
    april = trend_figures(session.connection(), policy, c, month.previous(c), SITE)
    assert april == {
        "received": 0,
        "answered_on_time_pct": None,
        "followups_done_on_time_pct": None,
    }


# --- the register (H3.1, P5.2, P4.8) ---------------------------------------------------------------------


@pytest.fixture
def register(session, policy):
    site = two_zone_site(session)
    add_staff(session=session, clock=clock("2025-06-01 08:00"), name="Qian", role=Role.office)
    add_staff(
        session=session,
        clock=clock("2025-06-01 08:00"),
        name="Sun",
        role=Role.dept_head,
        dept="engineering",
    )
    a = household(session, "1-101", "2026-01-05 08:00")
    b = household(session, "2-201", "2026-01-05 08:00", zone="B")
    # M1 urgent hotline complaint: answered in 11 h, resolved 6 May, revisited 7 May (satisfied).
    m1 = matter(session, a, "2026-05-04 09:00", Severity.urgent).number
    route(session=session, clock=clock("2026-05-04 10:00"), number=m1, dept="engineering")
    answer(
        session=session,
        clock=clock("2026-05-04 20:00"),
        number=m1,
        note_text="a fitter comes tomorrow",
    )
    resolve(
        session=session,
        clock=clock("2026-05-06 10:00"),
        policy=policy,
        number=m1,
        note_text="fixed",
    )
    revisit_visit(session, policy, a, "Wang", "2026-05-07 10:00", "complaint-revisit", Verdict.yes)
    # M2 general suggestion by letter from a caller: answered in 47 h.
    from careops.services.register import open_matter

    m2 = open_matter(
        session=session,
        clock=clock("2026-05-10 09:00"),
        caller="Li Na 13800001111",
        summary="more benches",
        channel=RegisterChannel.letter,
        kind=RegisterKind.suggestion,
    ).matter.number
    answer(
        session=session, clock=clock("2026-05-12 08:00"), number=m2, note_text="two benches ordered"
    )
    # M3 general walk-in complaint from zone B: answered on 2 June, 312 h later.
    m3 = open_matter(
        session=session,
        clock=clock("2026-05-20 09:00"),
        ref=f"#{b}",
        summary="noise",
        channel=RegisterChannel.walk_in,
    ).matter.number
    answer(
        session=session,
        clock=clock("2026-06-02 09:00"),
        number=m3,
        note_text="talked to the neighbours",
    )
    # M4 anonymous praise slip: received, needs no answer.
    open_matter(
        session=session,
        clock=clock("2026-05-25 09:00"),
        summary="thank you",
        channel=RegisterChannel.box,
        kind=RegisterKind.praise,
    )
    # M5 registered by mistake and voided: never counts.
    m5 = matter(session, a, "2026-05-15 09:00").id
    void(
        session=session,
        clock=clock("2026-05-15 10:00"),
        kind="complaint",
        record_id=str(m5),
        reason="duplicate",
    )
    # M6 April complaint resolved 2 May, not satisfied at the revisit on 3 May (reopened), escalated 5 May.
    m6 = matter(session, a, "2026-04-28 09:00").number
    route(session=session, clock=clock("2026-04-28 10:00"), number=m6, dept="engineering")
    resolve(
        session=session,
        clock=clock("2026-05-02 10:00"),
        policy=policy,
        number=m6,
        note_text="fixed",
    )
    revisit_visit(session, policy, a, "Wang", "2026-05-03 10:00", "complaint-revisit", Verdict.no)
    from careops.services.register import escalate

    escalate(
        session=session, clock=clock("2026-05-05 10:00"), number=m6, to="Zhao", note_text="again"
    )
    # M7 major hotline complaint: resolved (so answered) in 6 h, closed and archived.
    m7 = matter(session, a, "2026-05-08 09:00", Severity.major).number
    route(session=session, clock=clock("2026-05-08 10:00"), number=m7, dept="engineering")
    resolve(
        session=session,
        clock=clock("2026-05-08 15:00"),
        policy=policy,
        number=m7,
        note_text="fixed",
    )
    close(
        session=session,
        clock=clock("2026-05-09 10:00"),
        number=m7,
        archive=True,
        summary="lift replaced",
    )
    site.b = b
    return site


REGISTER = {
    "received": 5,
    "answered_within_24h_pct": 50.0,
    "answered_within_48h_pct": 75.0,
    "median_hours_to_answer": 29.0,
    "resolved": 3,
    "revisits_done": 2,
    "satisfied_pct": 50.0,
    "reopened": 1,
    "escalated": 1,
    "archived": 1,
}


def test_h3_1_register_answered_within_24h_and_48h_and_the_month_totals(session, policy, register):
    c, month = may()
    found = section(register_sections(session.connection(), policy, c, month, SITE), "register")
    assert (
        found.clause == "H3.1, P5.2, P4.8, P5.3"
    )  # the register rules, then the revisits (P4.8, P5.3)
    assert [col.key for col in found.columns] == list(REGISTER)
    row = dict(found.rows[0])
    assert row == REGISTER


def test_h3_1_register_median_hours_to_answer_of_an_even_count(session, policy, register):
    c, month = may()
    row = section(register_sections(session.connection(), policy, c, month, SITE), "register").rows[
        0
    ]
    assert row["median_hours_to_answer"] == 29.0


def test_h3_1_register_received_by_channel_kind_and_severity(session, policy, register):
    c, month = may()
    found = section(register_sections(session.connection(), policy, c, month, SITE), "register_by")
    assert rows_of(found, "by", "value", "received") == [
        ("channel", "box", 1),
        ("channel", "hotline", 2),
        ("channel", "letter", 1),
        ("channel", "walk-in", 1),
        ("kind", "complaint", 3),
        ("kind", "praise", 1),
        ("kind", "suggestion", 1),
        ("severity", "general", 3),
        ("severity", "major", 1),
        ("severity", "urgent", 1),
    ]


def test_h3_1_register_for_one_zone(session, policy, register):
    c, month = may()
    sections = register_sections(
        session.connection(), policy, c, month, ReportScope(zone_id=register.zone_b)
    )
    assert section(sections, "register").rows == [
        {
            "received": 1,
            "answered_within_24h_pct": 0.0,
            "answered_within_48h_pct": 0.0,
            "median_hours_to_answer": 312.0,
            "resolved": 0,
            "revisits_done": 0,
            "satisfied_pct": None,
            "reopened": 0,
            "escalated": 0,
            "archived": 0,
        }
    ]
    assert rows_of(section(sections, "register_by"), "by", "value", "received") == [
        ("channel", "walk-in", 1),
        ("kind", "complaint", 1),
        ("severity", "general", 1),
    ]


def test_p5_2_register_answers_unknown_yet_in_the_current_month(session, policy, register):
    """On 1 June 12:00 M3 has no answer yet: it counts in neither share, nor in the median."""
    c, month = may("2026-06-01 12:00")
    row = section(register_sections(session.connection(), policy, c, month, SITE), "register").rows[
        0
    ]
    assert (row["received"], row["answered_within_48h_pct"], row["median_hours_to_answer"]) == (
        5,
        75.0,
        11.0,
    )


def test_p5_2_trend_answered_on_time_by_severity(session, policy, register):
    """M1 (urgent, 11 h of 24), M2 (general, 47 h of 48) and M7 (major, 6 h of 24) on time; M3 late."""
    c, month = may()
    figures = trend_figures(session.connection(), policy, c, month, SITE)
    assert (figures["received"], figures["answered_on_time_pct"]) == (5, 75.0)


# --- the hospital office (H3.4–H3.6, H3.3) ----------------------------------------------------------------


@pytest.fixture
def office(session, policy):
    h = hospital(session)
    forum = held(session, policy, MeetingKind.ward_forum, "2026-05-12", "Internal Medicine")
    held(session, policy, MeetingKind.ward_forum, "2026-04-14", "Surgery")  # April's, not May's
    spring = held(session, policy, MeetingKind.hospital_ward_forum, "2026-04-20")
    held(session, policy, MeetingKind.volunteer_supervisors, "2026-03-10")
    # Opinions: one of April closed on 3 May; two of 12 May, one explained on 20 May, one still open (overdue).
    early = opinion(session, policy, spring, "2026-04-20 17:00", owner="Bai")
    meetings.close_action(
        session=session, clock=clock("2026-05-03 09:00"), action_id=early.id, note_text="done"
    )
    opinion(session, policy, forum, "2026-05-12 17:00")
    explained = opinion(session, policy, forum, "2026-05-12 17:05", text="a second lift")
    meetings.close_action(
        session=session,
        clock=clock("2026-05-20 09:00"),
        action_id=explained.id,
        note_text="no room for one",
        explained=True,
    )
    return h


def test_h3_6_meetings_required_and_held_in_the_period_to_date(session, policy, office):
    c, month = may()
    found = section(office_sections(session.connection(), policy, c, month, SITE), "meetings")
    assert rows_of(found, "kind", "clause", "period", "required", "held") == [
        ("ward-forum", "H3.6", "2026-05", 2, 1),
        ("hospital-ward-forum", "H3.6", "2026-Q2", 1, 1),
        ("volunteer-supervisors", "H3.4", "2026", 1, 1),
        ("community-reps", "H3.5", "2026", 1, 0),
    ]


def test_h3_4_action_items_opened_closed_and_overdue(session, policy, office):
    c, month = may()
    found = section(office_sections(session.connection(), policy, c, month, SITE), "actions")
    assert found.rows == [{"opened": 2, "closed": 2, "overdue": 1}]
    on_the_20th = section(
        office_sections(session.connection(), policy, *may("2026-05-20 12:00"), SITE), "actions"
    )
    assert on_the_20th.rows == [
        {"opened": 2, "closed": 2, "overdue": 0}
    ]  # the open one is due on 26 May


def test_h3_office_sections_are_site_wide_only(session, policy, office):
    c, month = may()
    assert office_sections(session.connection(), policy, c, month, ReportScope(zone_id=1)) == []
    assert (
        office_sections(session.connection(), policy, c, month, ReportScope(staff_id=office.song))
        == []
    )


def test_h3_6_no_meetings_owed_before_the_site_is_a_hospital(session, policy):
    two_zone_site(session)
    c, month = may()
    assert office_sections(session.connection(), policy, c, month, SITE) == []


def survey_with(
    session,
    policy,
    name: str,
    scores: list[int],
    *,
    anonymous: bool = True,
    opens: str = "2026-05-01",
    closes: str = "2026-05-31",
    day: str = "2026-05-10",
) -> int:
    created = surveys.create_survey(
        session=session,
        clock=clock(f"{opens} 08:00"),
        policy=policy,
        name=name,
        audience=Audience.patients,
        opens=date.fromisoformat(opens),
        closes=date.fromisoformat(closes),
        anonymous=anonymous,
    )
    for score in scores:
        surveys.respond(
            session=session,
            clock=clock(f"{day} 12:00"),
            survey_id=created.id,
            scores=[f"overall={score}"],
        )
    return created.id


def test_h3_3_surveys_answers_and_mean_with_small_anonymous_groups_hidden(session, policy, office):
    survey_with(session, policy, "May cards", [5, 4, 4, 3, 5, 3])
    survey_with(session, policy, "Ward 5 cards", [5, 1, 2])
    survey_with(session, policy, "Named cards", [2, 3], anonymous=False)
    survey_with(
        session,
        policy,
        "April cards",
        [5, 5, 5, 5, 5],
        opens="2026-04-01",
        closes="2026-04-30",
        day="2026-04-10",
    )
    c, month = may()
    found = section(office_sections(session.connection(), policy, c, month, SITE), "surveys")
    assert found.clause == "H3.3, E3, P4.10"
    assert rows_of(found, "survey", "audience", "clause", "answers", "mean_score") == [
        ("May cards", "patients", "H3.3", 6, 4.0),
        ("Ward 5 cards", "patients", "H3.3", 3, None),
        ("Named cards", "patients", "H3.3", 2, 2.5),
    ]
    assert found.note == (
        "Scores hidden for Ward 5 cards: an anonymous survey's scores are shown only for 5 answers "
        "or more in the month, and in the rest of the survey."
    )


def test_e3_survey_month_hidden_when_the_rest_of_its_answers_is_a_small_group(
    session, policy, office
):
    """7 answers, 5 in May and 2 in June: `survey results` shows all 7, so May's 5 would give away June's 2."""
    survey_id = survey_with(session, policy, "Spring cards", [4, 4, 4, 4, 4], closes="2026-06-30")
    for score in (1, 2):
        surveys.respond(
            session=session,
            clock=clock("2026-06-05 12:00"),
            survey_id=survey_id,
            scores=[f"overall={score}"],
        )
    c, month = may()
    found = section(office_sections(session.connection(), policy, c, month, SITE), "surveys")
    assert rows_of(found, "survey", "answers", "mean_score") == [("Spring cards", 5, None)]
    before_june = section(
        office_sections(session.connection(), policy, *may("2026-05-31 20:00"), SITE), "surveys"
    )
    assert rows_of(before_june, "survey", "answers", "mean_score") == [("Spring cards", 5, 4.0)]


# --- employee relations (E1.2, E2.1, E2.2, E2.6) --------------------------------------------------------------


@pytest.fixture
def hr(session, policy):
    co = company(session)
    add_staff(
        session=session,
        clock=clock("2026-03-02 09:00"),
        name="Zhang",
        role=Role.employee,
        reports_to="Sun",
        dept="sales",
        hired=date(2026, 3, 2),
        probation_ends=date(2026, 5, 15),
    )
    # E2.1 one-to-ones: Sun–Wu in March and Guo–Han in May count; Sun–Xu (60 min) does not; Guo–Zhou is June's.
    talk(session, policy, "Wu", "Sun", "2026-03-10 09:00")
    talk(session, policy, "Han", "Guo", "2026-05-15 09:00")
    talk(session, policy, "Xu", "Sun", "2026-05-20 09:00", minutes=60)
    talk(session, policy, "Zhou", "Guo", "2026-06-05 09:00")
    # E2.2: Wu's appraisal (10 May, due 17 May) held on 15 May; Han's career request (26 April, due 3 May) not held;
    # Zhang's probation (ends 15 May) not held; Dong's pay change on 28 May is due in June.
    record_staff_event(session=session, clock=clock("2026-05-10 09:00"), ref="Wu", kind="appraisal")
    talk(session, policy, "Wu", "Sun", "2026-05-15 10:00", kind=InterviewKind.appraisal, minutes=30)
    record_staff_event(session=session, clock=clock("2026-04-26 09:00"), ref="Han", kind="career")
    record_staff_event(
        session=session, clock=clock("2026-05-28 09:00"), ref="Guo", kind="pay-change"
    )
    # E1.2: Xu leaves on 20 May with every step still open.
    start_leave(
        session=session,
        clock=clock("2026-05-06 09:00"),
        policy=policy,
        employee="Xu",
        last_day=date(2026, 5, 20),
    )
    # E2.6: Wu's appeal, filed 4 May, decided Wed 13 May, all three told by Thu 14 May (in time); Zhou's appeal of
    # April, decided Tue 28 April, told by 7 May (late: 2 working days run out before the May holiday).
    wu = file_appeal(
        session=session,
        clock=clock("2026-05-04 09:00"),
        policy=policy,
        employee="Wu",
        to="Sun",
        channel=AppealChannel.in_person,
        summary="overtime not paid",
    ).id
    decide(session=session, clock=clock("2026-05-13 10:00"), appeal_id=wu, decision="paid in June")
    for to, when in (
        (NotifyTo.appellant, "2026-05-13 11:00"),
        (NotifyTo.gm, "2026-05-14 09:00"),
        (NotifyTo.hr, "2026-05-14 10:00"),
    ):
        told(session, wu, to, when)
    zhou = file_appeal(
        session=session,
        clock=clock("2026-04-20 09:00"),
        policy=policy,
        employee="Zhou",
        to="Guo",
        channel=AppealChannel.in_person,
        summary="bonus",
    ).id
    decide(session=session, clock=clock("2026-04-28 10:00"), appeal_id=zhou, decision="kept")
    for to, when in (
        (NotifyTo.appellant, "2026-04-29 10:00"),
        (NotifyTo.gm, "2026-05-06 09:00"),
        (NotifyTo.hr, "2026-05-07 10:00"),
    ):
        told(session, zhou, to, when)
    return co


HR = {
    "one_to_one_pct": 33.3,
    "one_to_one_done": 2,
    "employees": 6,
    "interviews_due": 3,
    "interviews_done": 1,
    "leaving_open": 1,
    "left_with_steps_open": 1,
    "appeals_filed": 1,
    "appeals_decided": 1,
    "appeals_notified": 2,
    "appeals_notified_in_time": 1,
}


def test_e2_hr_counts_for_the_month(session, policy, hr):
    """Pairs: Guo, Han, Sun, Zhou, Wu, Zhang (Xu left on 20 May); with a one-to-one this year: Wu, Han."""
    c, month = may()
    [found] = hr_sections(session.connection(), policy, c, month, SITE)
    assert (found.key, found.clause) == ("hr", "E1.2, E2.1, E2.2, E2.6")
    assert [col.key for col in found.columns] == list(HR)
    assert found.rows == [HR]


def test_e2_1_hr_one_to_one_coverage_of_the_year_to_date(session, policy, hr):
    """In June, Guo–Zhou's one-to-one of 5 June counts too; April's coverage is Wu's alone, of 7 pairs."""
    c = clock(REPORT_NOW)
    [june] = hr_sections(session.connection(), policy, c, Month.of(date(2026, 6, 1), c), SITE)
    assert (
        june.rows[0]["one_to_one_pct"],
        june.rows[0]["one_to_one_done"],
        june.rows[0]["employees"],
    ) == (50.0, 3, 6)
    [april] = hr_sections(session.connection(), policy, c, Month.of(date(2026, 4, 1), c), SITE)
    assert (
        april.rows[0]["one_to_one_pct"],
        april.rows[0]["one_to_one_done"],
        april.rows[0]["employees"],
    ) == (14.3, 1, 7)


def test_e2_hr_names_nobody_and_is_site_wide_only(session, policy, hr):
    c, month = may()
    [found] = hr_sections(session.connection(), policy, c, month, SITE)
    assert all(isinstance(v, (int, float)) for v in found.rows[0].values())
    assert hr_sections(session.connection(), policy, c, month, ReportScope(zone_id=1)) == []
    assert hr_sections(session.connection(), policy, c, month, ReportScope(staff_id=hr.sun)) == []


def test_e2_no_hr_section_without_the_company_roles(session, policy):
    two_zone_site(session)
    c, month = may()
    assert hr_sections(session.connection(), policy, c, month, SITE) == []


# --- the sections every clause that owns an obligation has (issue 17) ------------------------------------------


def keys(sections) -> list[str]:
    return [s.key for s in sections]


PROPERTY_KEYS = {"p1", "p1_missed", "p1_owners", "plans", "plan_approvals", "p2", "p3", "followups"}


def test_P1_report_lists_the_households_the_month_missed_with_their_last_contact(session, policy):
    """Zone A: 1-101 visited in May, 1-102 last reached in April (a busy call in May does not count), 1-103
    never; zone B: 2-201 reached by Li's colleague Wang (anyone's contact counts), 2-202 moved in on 1 June
    (not under the rule in May)."""
    site = two_zone_site(session)
    a1, a2, _never = (
        household(session, u, "2026-01-05 08:00") for u in ("1-101", "1-102", "1-103")
    )
    b1 = household(session, "2-201", "2026-01-05 08:00", zone="B")
    household(session, "2-202", "2026-06-01 08:00", zone="B")
    visit(session, policy, a1, "Wang", "2026-05-06 10:00")
    visit(session, policy, a2, "Wang", "2026-04-20 10:00")
    visit(session, policy, a2, "Wang", "2026-05-20 10:00", Channel.phone, Outcome.busy)
    visit(session, policy, b1, "Wang", "2026-05-21 10:00")
    c, month = may()
    found = section(visit_sections(session.connection(), policy, c, month, SITE), "p1_missed")
    assert (found.clause, found.shown) == ("P1", 20)
    assert [col.key for col in found.columns] == [
        "household",
        "unit",
        "zone",
        "staff",
        "last_contact",
    ]
    assert found.rows == [
        {
            "household": "Owner 1-102",
            "unit": "1-102",
            "zone": "A",
            "staff": "Wang",
            "last_contact": date(2026, 4, 20),
        },
        {
            "household": "Owner 1-103",
            "unit": "1-103",
            "zone": "A",
            "staff": "Wang",
            "last_contact": None,
        },
    ]
    p1 = section(visit_sections(session.connection(), policy, c, month, SITE), "p1")
    assert sum(r["missed"] for r in p1.rows) == len(found.rows)
    only_li = visit_sections(session.connection(), policy, c, month, ReportScope(staff_id=site.li))
    assert section(only_li, "p1_missed").rows == []


def test_P1_report_counts_plans_drafted_approved_on_time_late_and_waiting(session, policy):
    """May 2026's plans are approved by its 3rd working day, Friday 8 May (1–5 May are the Labour Day holiday).
    Wang's is approved on 7 May; Li's is redrafted on 12 May and approved on 13 May (late); Sun's is drafted on
    20 May and approved only on 2 June (waiting at the month's end); Ma (zone D) has no plan."""
    two_zone_site(session)
    then = clock("2025-06-01 08:00")
    add_staff(session=session, clock=then, name="Chen", role=Role.supervisor)
    ids = {}
    for name, zone in (("Sun", "C"), ("Ma", "D")):
        ids[name] = add_staff(session=session, clock=then, name=name, role=Role.butler).id
        add_zone(session=session, clock=then, name=zone, butler=name)
    for unit, zone in (("1-101", "A"), ("2-201", "B"), ("3-301", "C"), ("4-401", "D")):
        household(session, unit, "2026-01-05 08:00", zone=zone)
    first = date(2026, 5, 1)

    def draft(who: str, when: str) -> None:
        draft_plan(session, policy, when, month=first, staff=who)

    def approved(who: str, when: str) -> None:
        approve_plan(session, when, staff=who, month=first)

    draft("Wang", "2026-05-06 08:00")
    approved("Wang", "2026-05-07 09:00")
    draft("Li", "2026-05-06 08:00")
    draft("Li", "2026-05-12 08:00")
    approved("Li", "2026-05-13 09:00")
    draft("Sun", "2026-05-20 08:00")
    approved("Sun", "2026-06-02 09:00")
    c, month = may()
    found = section(plan_sections(session.connection(), policy, c, month, SITE), "plan_approvals")
    assert found.clause == "P1"
    assert found.rows == [
        {
            "plan": "approve the butlers' monthly visit plans",
            "period": "2026-05",
            "owed": 4,
            "drafted": 3,
            "approved_on_time": 1,
            "approved_late": 1,
            "waiting": 1,
            "not_drafted": 1,
        }
    ]
    # What `due` told the supervisor at the month's end: Ma's plan to draft and approve.
    owed = items(session, policy, "2026-05-31 23:00")
    assert [i.title for i in owed if i.subject_name == "Ma"] == [
        "draft and approve the visit plan for 2026-05"
    ]
    only_sun = plan_sections(
        session.connection(), policy, c, month, ReportScope(staff_id=ids["Sun"])
    )
    assert section(only_sun, "plan_approvals").rows[0]["owed"] == 1


def test_H3_2_report_counts_liaison_contacts_owed_made_missed_and_overdue(session, policy):
    """Leadership (Bai) owes the government and the health authority a contact each quarter. The government
    was met in Q1 and on 5 June; the health authority in neither quarter (a call by the office clerk Zhou on
    8 June does not count). As of 31 May both are open; at the end of June the health authority's is missed."""
    hospital(session)
    gov = contact(session, "District government", ContactKind.government, "2025-12-01 09:00")
    health = contact(session, "Health bureau", ContactKind.health_authority, "2025-12-01 09:00")
    visit(session, policy, gov, "Bai", "2026-02-10 10:00")
    visit(session, policy, gov, "Bai", "2026-06-05 10:00")
    visit(session, policy, health, "Zhou", "2026-06-08 10:00", Channel.phone)
    c = clock("2026-07-10 09:00")
    cols = ("rule", "period", "asked", "met", "not_met", "missed", "overdue", "contacts", "all_met")

    def liaison(first: date):
        found = contact_sections(session.connection(), policy, c, Month.of(first, c), taken=set())
        assert keys(found) == ["h3_2"]  # a hospital owes no P2: it has no center manager
        return found[0]

    june = liaison(date(2026, 6, 1))
    assert (june.title, june.clause) == ("The leadership's own contacts", "H3.2")
    assert rows_of(june, *cols) == [
        ("local government, quarterly (leadership)", "2026-Q2", 1, 1, 0, 0, 0, 1, True),
        ("health authority, quarterly (leadership)", "2026-Q2", 1, 0, 1, 1, 1, 0, False),
    ]
    assert rows_of(liaison(date(2026, 5, 1)), *cols) == [
        ("local government, quarterly (leadership)", "2026-Q2", 1, 0, 1, 0, 0, 0, False),
        ("health authority, quarterly (leadership)", "2026-Q2", 1, 0, 1, 0, 1, 0, False),
    ]
    # `due` at the end of May says the same: the government due, the health authority overdue (missed Q1).
    owed = items(session, policy, "2026-05-31 23:00")
    assert sorted((i.subject_id, i.status) for i in owed if i.clause == "H3.2") == [
        (gov, "due"),
        (health, "overdue"),
    ]


def test_H3_7_report_counts_checked_failed_and_unchecked_items(session, policy):
    """May: H3.7.1 checked (kept); H3.7.3 failed twice (Surgery on 7 May, put right on 20 May, on time; Internal
    Medicine on 25 May, due 8 June); H3.7.5 failed on 2 May and not put right by its day, 16 May; H3.7.4 failed
    in April (due 4 May) and was put right on 10 May, late; H3.7.2 was checked in April only."""
    hospital(session)
    check(session, policy, "H3.7.2", True, "2026-04-15 10:00")
    april = check(session, policy, "H3.7.4", False, "2026-04-20 10:00", "Surgery").action_id
    check(session, policy, "H3.7.1", True, "2026-05-06 10:00")
    surgery = check(session, policy, "H3.7.3", False, "2026-05-07 10:00", "Surgery").action_id
    check(session, policy, "H3.7.3", False, "2026-05-25 10:00", "Internal Medicine")
    check(session, policy, "H3.7.5", False, "2026-05-02 10:00", "Surgery")
    for action_id, when in ((surgery, "2026-05-20 09:00"), (april, "2026-05-10 09:00")):
        meetings.close_action(
            session=session, clock=clock(when), action_id=action_id, note_text="put right"
        )
    c, month = may()
    found = checks_section(session.connection(), policy, c, month)
    assert (found.key, found.clause) == ("checks", "H3.7")
    cols = (
        "item",
        "checks",
        "failed",
        "not_checked",
        "actions_opened",
        "actions_on_time",
        "actions_late",
        "actions_overdue",
    )
    assert rows_of(found, *cols) == [
        ("H3.7.1", 1, 0, 0, 0, 0, 0, 0),
        ("H3.7.2", 0, 0, 1, 0, 0, 0, 0),
        ("H3.7.3", 2, 2, 0, 2, 1, 0, 0),
        ("H3.7.4", 0, 0, 1, 0, 0, 1, 0),
        ("H3.7.5", 1, 1, 0, 1, 0, 0, 1),
        ("H3.7.6", 0, 0, 1, 0, 0, 0, 0),
        ("H3.7.7", 0, 0, 1, 0, 0, 0, 0),
    ]
    assert found.rows[0]["what"] == (
        "staff on duty wear a badge (photo, name, number, department, title)"
    )
    # `due` at the end of May listed the same four items for the office.
    owed = items(session, policy, "2026-05-31 23:00")
    assert sorted(i.clause for i in owed if i.kind == "check") == [
        "H3.7.2",
        "H3.7.4",
        "H3.7.6",
        "H3.7.7",
    ]


def test_H3_7_no_check_section_before_the_site_is_a_hospital(session, policy):
    two_zone_site(session)
    c, month = may()
    assert checks_section(session.connection(), policy, c, month) is None


def test_H3_1_report_counts_register_chases_due_done_on_time_late_and_open(session, policy):
    """Chases come due 3 working days after a routed matter's last step. M1 (engineering, routed Mon 11 May):
    chased on its day, 14 May (on time); due again 19 May, resolved on 20 May (late). M2 (cleaning, routed Mon 25
    May): due 28 May, chased only on 2 June (open at the month's end). M3 (engineering, routed 26 May) answered
    the next day: never came due. M4 (April's, routed Tue 28 April) came due on 6 May after the holiday, chased
    on 7 May (late) and resolved on 8 May. An unrouted matter is never chased."""
    site = two_zone_site(session)
    then = clock("2025-06-01 08:00")
    add_staff(session=session, clock=then, name="Qian", role=Role.office)
    for name, dept in (("Sun", "engineering"), ("Zhou", "cleaning")):
        add_staff(session=session, clock=then, name=name, role=Role.dept_head, dept=dept)
    home = household(session, "1-101", "2026-01-05 08:00")

    def routed(when: str, routed_at: str, dept: str) -> str:
        number = matter(session, home, when).number
        route(session=session, clock=clock(routed_at), number=number, dept=dept)
        return number

    def chased(number: str, when: str) -> None:
        chase(session=session, clock=clock(when), number=number, note_text="called")

    def resolved(number: str, when: str) -> None:
        resolve(session=session, clock=clock(when), policy=policy, number=number, note_text="done")

    m1 = routed("2026-05-11 09:00", "2026-05-11 10:00", "engineering")
    chased(m1, "2026-05-14 09:00")
    resolved(m1, "2026-05-20 10:00")
    m2 = routed("2026-05-25 09:00", "2026-05-25 10:00", "cleaning")
    chased(m2, "2026-06-02 09:00")
    m3 = routed("2026-05-26 09:00", "2026-05-26 10:00", "engineering")
    answer(session=session, clock=clock("2026-05-27 09:00"), number=m3, note_text="on it")
    m4 = routed("2026-04-28 09:00", "2026-04-28 10:00", "engineering")
    chased(m4, "2026-05-07 09:00")
    resolved(m4, "2026-05-08 10:00")
    matter(session, home, "2026-05-04 09:00")
    c, month = may()
    found = chases_section(session.connection(), policy, c, month, SITE)
    assert (found.key, found.clause) == ("chases", "H3.1")
    assert found.rows == [
        {"dept": "cleaning", "came_due": 1, "done_on_time": 0, "done_late": 0, "still_open": 1},
        {"dept": "engineering", "came_due": 3, "done_on_time": 1, "done_late": 2, "still_open": 0},
    ]
    # `due`'s chase items: M1's on its day; at the month's end, only M2's.
    assert [i.ref for i in items(session, policy, "2026-05-14 08:00", "register-chase")] == [m1]
    assert [i.ref for i in items(session, policy, "2026-05-31 23:00", "register-chase")] == [m2]
    mine = chases_section(session.connection(), policy, c, month, ReportScope(zone_id=site.zone_b))
    assert mine.rows == []


def test_E1_3_report_counts_exit_interviews_held_and_not_held_by_the_last_day(session, policy):
    """Xu leaves on Wed 20 May: handover on 19 May and exit interview (HR) on 18 May, final pay on 25 May (late).
    Wu leaves on Fri 29 May: nothing done by the month's end (the exit interview is held on 3 June)."""
    company(session)
    xu = start_leave(
        session=session,
        clock=clock("2026-05-06 09:00"),
        policy=policy,
        employee="Xu",
        last_day=date(2026, 5, 20),
    ).id
    start_leave(
        session=session,
        clock=clock("2026-05-15 09:00"),
        policy=policy,
        employee="Wu",
        last_day=date(2026, 5, 29),
    )
    talk(session, policy, "Xu", "Han", "2026-05-18 10:00", kind=InterviewKind.exit, minutes=30)
    for step, when in (
        (LeaveStep.handover, "2026-05-19 10:00"),
        (LeaveStep.final_pay, "2026-05-25 10:00"),
    ):
        do_step(session=session, clock=clock(when), case_id=xu, step=step)
    talk(session, policy, "Wu", "Han", "2026-06-03 10:00", kind=InterviewKind.exit, minutes=30)
    c, month = may()
    [found] = leaving_sections(session.connection(), policy, c, month)
    assert (found.key, found.clause) == ("leaving_steps", "E1.2, E1.3")
    assert rows_of(found, "step", "clause", "due", "done_on_time", "done_late", "not_done") == [
        ("hand over the work", "E1.2", 2, 1, 0, 1),
        ("exit interview", "E1.3", 2, 1, 0, 1),
        ("departure audit (key position)", "E1.2", 0, 0, 0, 0),
        ("release the final pay", "E1.2", 2, 0, 1, 1),
    ]
    # `due` at the end of May: Wu's three steps, overdue since the last day passed.
    owed = items(session, policy, "2026-05-31 23:00")
    assert (
        sorted((i.subject_name, i.status) for i in owed if i.kind == "leave")
        == [("Wu", "overdue")] * 3
    )


def test_P_a_hospital_or_a_company_alone_shows_no_property_section(session, policy):
    hospital(session)
    c, month = may()
    found = sections(session.connection(), policy, c, month, SITE)
    assert not PROPERTY_KEYS & set(keys(found))
    assert {"h3_2", "register", "chases", "checks"} <= set(keys(found))


def test_P_a_company_alone_shows_no_property_section(session, policy):
    company(session)
    c, month = may()
    found = sections(session.connection(), policy, c, month, SITE)
    assert not PROPERTY_KEYS & set(keys(found))
    assert {"hr", "contracts", "leaving_steps"} <= set(keys(found))
    assert "h3_2" not in keys(found) and "checks" not in keys(found)


def test_E1_1_report_counts_contracts_ending_renewed_leaving_and_open(session, policy):
    """Contract ends recorded on 1 April for May: Wu's (15 May) renewed on 10 May, Xu's (20 May) renewed on 25 May
    (late), Zhou's (25 May) settled by the leaving recorded, Han's (31 May) left open; Sun's 28 May was corrected
    the next day to 12 May (one contract, open). Zhang, hired on 4 May, has no contract end on file."""
    company(session)

    def ends(who: str, when: str, day: date) -> None:
        edit_staff(session=session, clock=clock(when), ref=who, contract_ends=day)

    for who, day in (("Wu", 15), ("Xu", 20), ("Zhou", 25), ("Han", 31), ("Sun", 28)):
        ends(who, "2026-04-01 09:00", date(2026, 5, day))
    ends("Guo", "2026-04-01 09:00", date(2026, 6, 10))
    ends("Sun", "2026-04-02 09:00", date(2026, 5, 12))
    ends("Wu", "2026-05-10 09:00", date(2027, 5, 15))
    ends("Xu", "2026-05-25 09:00", date(2027, 5, 20))
    start_leave(
        session=session,
        clock=clock("2026-05-06 09:00"),
        policy=policy,
        employee="Zhou",
        last_day=date(2026, 5, 25),
    )
    add_staff(
        session=session,
        clock=clock("2026-05-04 09:00"),
        name="Zhang",
        role=Role.employee,
        reports_to="Sun",
        hired=date(2026, 5, 4),
    )
    c, month = may()
    found = contracts_section(session.connection(), policy, c, month)
    assert (found.key, found.clause) == ("contracts", "E1.1")
    assert found.rows == [
        {
            "ending": 5,
            "renewed": 1,
            "renewed_late": 1,
            "leaving": 1,
            "open": 2,
            "overdue": 2,
            "no_end_on_file": 1,
        }
    ]
    # On 21 May: Xu's ended the day before and is not renewed yet; Han's has not ended.
    on_the_21st = contracts_section(session.connection(), policy, *may("2026-05-21 09:00"))
    assert on_the_21st.rows[0] | {"no_end_on_file": 1} == {
        "ending": 5,
        "renewed": 1,
        "renewed_late": 0,
        "leaving": 1,
        "open": 3,
        "overdue": 2,
        "no_end_on_file": 1,
    }
    # `due` at the end of May: Han's and Sun's contracts, Guo's ending within 30 days, Zhang's end to record.
    owed = items(session, policy, "2026-05-31 23:00", "contract-ending")
    assert sorted((i.subject_name, i.status) for i in owed) == [
        ("Guo", "due"),
        ("Han", "due"),
        ("Sun", "overdue"),
        ("Zhang", "due"),
    ]

"""H3.1 the register, P5.1–P5.3 answers and revisits: the register's deadlines with a fixed clock.

Every matter is registered one by one and owned by the register keeper (role office) until
it is routed, then by its handler (the department's head unless named). The person gets a
clear answer within 24 h (urgent, major) or 48 h (general) from registration. A routed
matter with no step for 3 working days is the keeper's to chase. Resolving a complaint
writes the P4.8 revisit (the P5.3 joint one for a major complaint); resolving visit
feedback writes the P5.1 phone-back.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from careops.clock import parse_local
from careops.errors import Conflict, InvalidInput
from careops.scheduler.tables import complaint_step, obligation
from careops.services.depts import add_dept
from careops.services.register import (
    answer,
    chase,
    close,
    escalate,
    list_matters,
    open_matter,
    reopen,
    resolve,
    route,
    show_matter,
)
from careops.services.staff import add_staff
from careops.services.visits import log_visit
from careops.services.void import void
from careops.vocab import (
    Channel,
    ContactKind,
    RegisterChannel,
    RegisterKind,
    Role,
    Severity,
    Verdict,
)

from conftest import clock
from scheduling import contact, household, items, local, two_zone_site

ANSWER = "register-answer"
CHASE = "register-chase"
INSTRUCTION = "register-instruction"
REVISIT = "complaint-revisit"
MAJOR_REVISIT = "major-complaint-revisit"
PHONE_BACK = "feedback-callback"


@pytest.fixture
def site(session):
    """Zones A (butler Wang) and B (Li), manager Zhao, chief butler Chen, keeper Qian (office),
    engineering head Sun, cleaning head Zhou; household 1-101 in zone A."""
    found = two_zone_site(session)
    c = clock("2025-06-01 08:00")
    found.chen = add_staff(session=session, clock=c, name="Chen", role=Role.chief_butler).id
    found.qian = add_staff(session=session, clock=c, name="Qian", role=Role.office).id
    found.sun = add_staff(
        session=session, clock=c, name="Sun", role=Role.dept_head, dept="engineering"
    ).id
    found.zhou = add_staff(
        session=session, clock=c, name="Zhou", role=Role.dept_head, dept="cleaning"
    ).id
    found.h = household(session, "1-101", "2026-01-05 08:00")
    return found


def matter(
    session,
    party_id: int,
    when: str,
    severity: Severity = Severity.general,
    now: str | None = None,
    kind: RegisterKind = RegisterKind.complaint,
):
    """A matter raised at local time `when` by the household, registered by a clock at `now` (default: then)."""
    return open_matter(
        session=session,
        clock=clock(now or when),
        ref=f"#{party_id}",
        summary="lift stuck",
        channel=RegisterChannel.hotline,
        kind=kind,
        severity=severity,
        at=parse_local(when),
    ).matter


def register(session, policy, now: str, rule: str = ANSWER, **scope):
    return items(session, policy, now, rule, **scope)


def revisit_visit(
    session, policy, party_id: int, by, when: str, rule: str, satisfied: Verdict | None = None
):
    return log_visit(
        session=session,
        clock=clock(when),
        policy=policy,
        ref=f"#{party_id}",
        by=by,
        channel=Channel.door,
        at=parse_local(when),
        purposes=[rule],
        satisfied=satisfied,
    )


def resolved(
    session, policy, site, severity: Severity = Severity.general, when: str = "2026-11-26 10:00"
):
    """A complaint from 1-101, routed to engineering and resolved at `when`."""
    number = matter(session, site.h, "2026-11-25 09:00", severity).number
    route(session=session, clock=clock("2026-11-25 10:00"), number=number, dept="engineering")
    result = resolve(
        session=session, clock=clock(when), policy=policy, number=number, note_text="lift fixed"
    )
    return number, result


def steps(session) -> int:
    return session.connection().execute(select(func.count()).select_from(complaint_step)).scalar()


# --- the answer deadline (H3.1, P5.2) -----------------------------------------------------


def test_h3_1_general_complaint_answer_due_48h_from_registration_owned_by_the_keeper(
    session, policy, site
):
    record = matter(session, site.h, "2026-11-26 09:30", now="2026-11-26 10:15")

    [item] = register(session, policy, "2026-11-26 10:15")
    assert (item.rule, item.clause, item.strength, item.kind, item.ref) == (
        ANSWER,
        "H3.1",
        "must",
        "complaint",
        record.number,
    )
    assert (item.subject_type, item.subject_id, item.owner_id, item.owner_name) == (
        "household",
        site.h,
        site.qian,
        "Qian",
    )
    assert (item.due, item.status) == (local("2026-11-28 09:30"), "due")
    assert [i.status for i in register(session, policy, "2026-11-28 09:30")] == ["due"]
    assert [i.status for i in register(session, policy, "2026-11-28 09:31")] == ["overdue"]
    assert register(session, policy, "2026-11-26 09:29") == []  # before it came in


@pytest.mark.parametrize("severity", [Severity.urgent, Severity.major])
def test_p5_2_urgent_and_major_complaint_answer_due_within_24h(session, policy, site, severity):
    matter(session, site.h, "2026-11-26 23:00", severity)

    [item] = register(session, policy, "2026-11-26 23:30")
    assert (item.due, item.status) == (local("2026-11-27 23:00"), "due")
    assert [i.status for i in register(session, policy, "2026-11-27 23:01")] == ["overdue"]


def test_h3_1_routed_matter_answer_owned_by_the_dept_head_or_the_named_handler(
    session, policy, site
):
    first = matter(session, site.h, "2026-11-26 09:00").number
    second = matter(session, site.h, "2026-11-26 09:10").number

    route(session=session, clock=clock("2026-11-26 10:00"), number=first, dept="Engineering")
    route(
        session=session,
        clock=clock("2026-11-26 10:00"),
        number=second,
        dept="engineering",
        handler="Li",
    )

    found = {i.ref: i for i in register(session, policy, "2026-11-26 11:00")}
    assert [(found[n].owner_id, found[n].owner_name) for n in (first, second)] == [
        (site.sun, "Sun"),
        (site.li, "Li"),
    ]
    assert [i.ref for i in register(session, policy, "2026-11-26 11:00", owner_id=site.qian)] == []
    assert [i.ref for i in register(session, policy, "2026-11-26 11:00", owner_id=site.sun)] == [
        first
    ]


def test_h3_1_routed_to_a_dept_without_head_stays_with_the_keeper(session, policy, site):
    number = matter(session, site.h, "2026-11-26 09:00").number

    add_dept(session=session, clock=clock("2026-11-26 09:30"), name="security")
    route(session=session, clock=clock("2026-11-26 10:00"), number=number, dept="security")

    [item] = register(session, policy, "2026-11-26 11:00")
    assert (item.ref, item.owner_id) == (number, site.qian)


def test_h3_1_answering_stops_the_answer_deadline(session, policy, site):
    number = matter(session, site.h, "2026-11-26 09:00").number

    answer(
        session=session,
        clock=clock("2026-11-27 15:00"),
        number=number,
        note_text="engineer comes Monday",
    )

    assert register(session, policy, "2026-11-27 15:01") == []
    assert register(session, policy, "2026-11-30 09:00") == []
    [earlier] = register(session, policy, "2026-11-27 14:59")  # as of before the answer
    assert (earlier.ref, earlier.status) == (number, "due")


def test_h3_1_answer_overdue_until_answered(session, policy, site):
    number = matter(session, site.h, "2026-11-26 09:00", Severity.urgent).number

    assert [(i.ref, i.status) for i in register(session, policy, "2026-11-28 09:00")] == [
        (number, "overdue")
    ]
    answer(
        session=session,
        clock=clock("2026-11-28 10:00"),
        number=number,
        note_text="sorry, fixed tomorrow",
    )
    assert register(session, policy, "2026-11-28 10:00") == []


def test_h3_1_caller_who_is_not_a_resident_is_on_the_register(session, policy, site):
    record = open_matter(
        session=session,
        clock=clock("2026-11-26 10:00"),
        caller="Li Na 13800001111",
        summary="noise at night",
        channel=RegisterChannel.hotline,
    ).matter

    [item] = register(session, policy, "2026-11-26 11:00")
    assert (
        item.ref,
        item.subject_type,
        item.subject_id,
        item.subject_name,
        item.owner_id,
        item.due,
    ) == (record.number, "caller", None, "Li Na", site.qian, local("2026-11-28 10:00"))


# --- chasing a quiet matter (H3.1) -------------------------------------------------------------


def test_h3_1_routed_matter_with_no_step_for_3_working_days_is_a_chase_for_the_keeper(
    session, policy, site
):
    number = matter(session, site.h, "2026-11-26 09:00").number
    route(
        session=session, clock=clock("2026-11-26 10:00"), number=number, dept="engineering"
    )  # Thursday

    # Friday 27, (weekend), Monday 30, Tuesday 1 December: the third working day.
    assert register(session, policy, "2026-11-30 18:00", CHASE) == []
    [item] = register(session, policy, "2026-12-01 08:00", CHASE)
    assert (
        item.kind,
        item.clause,
        item.ref,
        item.owner_id,
        item.owner_name,
        item.due,
        item.status,
    ) == ("chase", "H3.1", number, site.qian, "Qian", date(2026, 12, 1), "due")
    assert item.title == f"chase {number} with engineering"
    assert [i.status for i in register(session, policy, "2026-12-02 08:00", CHASE)] == ["overdue"]
    assert register(session, policy, "2026-12-01 08:00", CHASE, owner_id=site.sun) == []


def test_h3_1_a_step_restarts_the_chase_clock(session, policy, site):
    number = matter(session, site.h, "2026-11-26 09:00").number
    route(session=session, clock=clock("2026-11-26 10:00"), number=number, dept="engineering")

    chase(session=session, clock=clock("2026-12-01 09:00"), number=number, note_text="called Sun")

    assert register(session, policy, "2026-12-01 09:30", CHASE) == []
    assert register(session, policy, "2026-12-03 18:00", CHASE) == []
    [item] = register(session, policy, "2026-12-04 08:00", CHASE)
    assert (item.due, item.status) == (date(2026, 12, 4), "due")


def test_h3_1_chase_as_of_an_earlier_clock_ignores_a_later_resolution(session, policy, site):
    number = matter(session, site.h, "2026-11-26 09:00").number
    route(session=session, clock=clock("2026-11-26 10:00"), number=number, dept="engineering")
    assert [
        (i.ref, i.due, i.status) for i in register(session, policy, "2026-12-02 08:00", CHASE)
    ] == [(number, date(2026, 12, 1), "overdue")]

    resolve(
        session=session,
        clock=clock("2026-12-03 10:00"),
        policy=policy,
        number=number,
        note_text="lift fixed",
    )

    assert register(session, policy, "2026-12-03 10:30", CHASE) == []
    # As of 2 December the matter was routed, unresolved and quiet since 26 November: its chase was overdue.
    assert [
        (i.ref, i.due, i.status) for i in register(session, policy, "2026-12-02 08:00", CHASE)
    ] == [(number, date(2026, 12, 1), "overdue")]


def test_h3_1_unrouted_or_resolved_matter_is_not_chased(session, policy, site):
    matter(session, site.h, "2026-11-26 09:00")
    resolved(session, policy, site, when="2026-11-26 10:00")
    quiet = matter(session, site.h, "2026-11-26 09:00").number
    route(session=session, clock=clock("2026-11-26 10:00"), number=quiet, dept="engineering")

    assert [i.ref for i in register(session, policy, "2026-12-10 08:00", CHASE)] == [quiet]


# --- resolving: P4.8 revisit, P5.3 joint revisit ---------------------------------------------


def test_p4_8_resolving_a_complaint_writes_the_revisit_for_the_zone_butler(session, policy, site):
    _number, result = resolved(session, policy, site, when="2026-11-26 10:00")  # Thursday

    assert [(w.obligation.rule, w.owner) for w in result.followups] == [(REVISIT, "Wang")]
    [item] = register(session, policy, "2026-11-26 11:00", REVISIT)
    assert (
        item.clause,
        item.strength,
        item.kind,
        item.subject_id,
        item.owner_id,
        item.due,
        item.status,
    ) == ("P4.8", "must", "followup", site.h, site.wang, date(2026, 12, 1), "due")
    assert register(session, policy, "2026-11-26 11:00") == []  # resolving answered the person
    assert [i.status for i in register(session, policy, "2026-12-02 08:00", REVISIT)] == ["overdue"]


def test_p4_8_no_revisit_for_a_caller_who_is_not_a_resident(session, policy, site):
    number = open_matter(
        session=session,
        clock=clock("2026-11-25 09:00"),
        caller="Li Na 13800001111",
        summary="noise",
        channel=RegisterChannel.hotline,
    ).matter.number
    route(session=session, clock=clock("2026-11-25 10:00"), number=number, dept="engineering")

    resolve(
        session=session,
        clock=clock("2026-11-26 10:00"),
        policy=policy,
        number=number,
        note_text="done",
    )

    # P4.8 and P5.3 are the property regime's visits to its residents: a hotline caller gets none.
    assert register(session, policy, "2026-11-26 11:00", REVISIT) == []
    assert count_followups(session) == 0


def test_p5_3_resolving_a_major_complaint_writes_the_joint_revisit_of_four_roles(
    session, policy, site
):
    _number, result = resolved(session, policy, site, Severity.major)

    assert result.warnings == []
    [item] = register(session, policy, "2026-11-26 11:00", MAJOR_REVISIT)
    assert (item.clause, item.owner_id, item.due, item.status) == (
        "P5.3",
        site.zhao,
        date(2026, 12, 1),
        "due",
    )
    assert item.together == (
        ("butler", "Wang"),
        ("chief-butler", "Chen"),
        ("dept-head", "Sun"),
        ("manager", "Zhao"),
    )
    assert register(session, policy, "2026-11-26 11:00", REVISIT) == []
    for staff_id in (site.wang, site.chen, site.sun):  # each of them sees it in their own list
        assert [
            i.rule
            for i in register(session, policy, "2026-11-26 11:00", MAJOR_REVISIT, owner_id=staff_id)
        ] == [MAJOR_REVISIT]


def test_p5_3_major_complaint_revisit_by_the_butler_alone_stays_open(session, policy, site):
    _number, result = resolved(session, policy, site, Severity.major)
    fid = result.followups[0].obligation.id

    alone = revisit_visit(session, policy, site.h, "Wang", "2026-11-27 10:00", MAJOR_REVISIT)

    assert alone.followups_done == []
    assert alone.followups_open == [
        f"follow-up #{fid} stays open: P5.3 needs a joint visit; missing "
        "chief-butler (Chen), dept-head (Sun), manager (Zhao)."
    ]
    assert [
        (i.ref, i.status) for i in register(session, policy, "2026-11-27 11:00", MAJOR_REVISIT)
    ] == [(fid, "due")]


def test_p5_3_verdict_at_an_incomplete_joint_revisit_is_not_recorded(session, policy, site):
    number, _ = resolved(session, policy, site, Severity.major)

    alone = revisit_visit(
        session, policy, site.h, "Wang", "2026-11-27 10:00", MAJOR_REVISIT, satisfied=Verdict.no
    )

    assert (alone.reopened, alone.warnings) == (
        None,
        ["the verdict was not recorded: the revisit does not count yet."],
    )
    shown = show_matter(
        session=session, clock=clock("2026-11-27 10:30"), policy=policy, number=number
    )
    assert (shown["state"], shown["verdict"], shown["reopened"]) == ("resolved", None, 0)


def test_p5_3_major_complaint_revisit_head_of_another_dept_does_not_count(session, policy, site):
    _number, result = resolved(session, policy, site, Severity.major)
    fid = result.followups[0].obligation.id

    wrong = revisit_visit(
        session, policy, site.h, ["Zhao", "Chen", "Zhou", "Wang"], "2026-11-27 10:00", MAJOR_REVISIT
    )

    assert wrong.followups_open == [
        f"follow-up #{fid} stays open: P5.3 needs a joint visit; missing dept-head (Sun)."
    ]


def test_p5_3_major_complaint_revisit_with_all_four_is_done(session, policy, site):
    number, result = resolved(session, policy, site, Severity.major)
    fid = result.followups[0].obligation.id

    joint = revisit_visit(
        session,
        policy,
        site.h,
        ["Zhao", "Chen", "Sun", "Wang"],
        "2026-11-27 10:00",
        MAJOR_REVISIT,
        satisfied=Verdict.yes,
    )

    assert ([r.id for r in joint.followups_done], joint.reopened) == ([fid], None)
    assert register(session, policy, "2026-11-27 11:00", MAJOR_REVISIT) == []
    assert (
        show_matter(session=session, clock=clock("2026-11-27 11:00"), policy=policy, number=number)[
            "state"
        ]
        == "resolved"
    )


def test_p4_8_not_satisfied_at_the_revisit_reopens_the_complaint_with_a_fresh_deadline(
    session, policy, site
):
    number, _result = resolved(session, policy, site)

    visit = revisit_visit(
        session, policy, site.h, "Wang", "2026-11-27 10:00", REVISIT, satisfied=Verdict.no
    )

    assert visit.reopened == number
    shown = show_matter(
        session=session, clock=clock("2026-11-27 10:30"), policy=policy, number=number
    )
    assert (shown["state"], shown["handler"], shown["reopened"], shown["answer_by"]) == (
        "routed",
        "Sun",
        1,
        local("2026-11-29 10:00"),
    )
    [item] = register(session, policy, "2026-11-27 10:30")
    assert (item.ref, item.owner_id, item.due, item.status) == (
        number,
        site.sun,
        local("2026-11-29 10:00"),
        "due",
    )
    assert register(session, policy, "2026-11-27 10:30", REVISIT) == []


def test_p4_8_satisfied_at_the_revisit_keeps_the_complaint_resolved(session, policy, site):
    number, _result = resolved(session, policy, site)

    visit = revisit_visit(
        session, policy, site.h, "Wang", "2026-11-27 10:00", REVISIT, satisfied=Verdict.yes
    )

    assert visit.reopened is None
    assert register(session, policy, "2026-11-27 10:30") == []
    assert (
        show_matter(session=session, clock=clock("2026-11-27 10:30"), policy=policy, number=number)[
            "verdict"
        ]
        == "yes"
    )


# --- visit feedback (P5.1, P5.2) ---------------------------------------------------------------


def feedback(
    session, policy, party_id: int, when: str, urgent: bool = False, answered: bool = False
):
    return log_visit(
        session=session,
        clock=clock(when),
        policy=policy,
        ref=f"#{party_id}",
        by="Wang",
        channel=Channel.door,
        at=parse_local(when),
        feedback="water pressure low",
        urgent=urgent,
        answered=answered,
    )


def test_p5_2_urgent_visit_feedback_is_a_register_entry_answered_within_24h(session, policy, site):
    entry = feedback(session, policy, site.h, "2026-11-26 10:00", urgent=True).feedback

    assert (entry.kind, entry.channel, entry.severity, entry.state) == (
        "feedback",
        "visit",
        "urgent",
        "open",
    )
    [item] = register(session, policy, "2026-11-26 11:00")
    assert (item.ref, item.clause, item.owner_id, item.due, item.status) == (
        entry.number,
        "P5.2",
        site.qian,
        local("2026-11-27 10:00"),
        "due",
    )


def test_p5_2_general_visit_feedback_answered_within_48h(session, policy, site):
    entry = feedback(session, policy, site.h, "2026-11-26 10:00").feedback

    [item] = register(session, policy, "2026-11-26 11:00")
    assert (item.ref, item.due) == (entry.number, local("2026-11-28 10:00"))


def test_p5_1_visit_feedback_answered_on_the_spot_is_closed_at_once(session, policy, site):
    entry = feedback(
        session, policy, site.h, "2026-11-26 10:00", urgent=True, answered=True
    ).feedback

    assert entry.state == "closed"
    assert register(session, policy, "2026-11-26 10:00") == []
    [listed] = list_matters(session=session, clock=clock("2026-11-26 10:30"), policy=policy)
    assert (listed["number"], listed["state"], listed["answered"], listed["answer_by"]) == (
        entry.number,
        "closed",
        local("2026-11-26 10:00"),
        None,
    )


def test_p5_1_resolving_visit_feedback_writes_the_phone_back(session, policy, site):
    entry = feedback(session, policy, site.h, "2026-11-26 10:00").feedback

    result = resolve(
        session=session,
        clock=clock("2026-11-27 16:00"),
        policy=policy,
        number=entry.number,
        note_text="pump replaced",
    )

    assert [(w.obligation.rule, w.owner) for w in result.followups] == [(PHONE_BACK, "Wang")]
    [item] = register(session, policy, "2026-11-27 17:00", PHONE_BACK)
    assert (item.clause, item.owner_id, item.due, item.status) == (
        "P5.1",
        site.wang,
        date(2026, 11, 29),
        "due",
    )
    assert register(session, policy, "2026-11-27 17:00") == []


# --- refused steps leave the matter as it was --------------------------------------------------


def test_h3_1_resolving_an_unrouted_complaint_is_refused(session, policy, site):
    number = matter(session, site.h, "2026-11-26 09:00").number
    before = steps(session)

    with pytest.raises(
        Conflict, match=f"{number} is not routed yet: route it to the responsible department first"
    ):
        resolve(
            session=session,
            clock=clock("2026-11-26 10:00"),
            policy=policy,
            number=number,
            note_text="done",
        )

    shown = show_matter(
        session=session, clock=clock("2026-11-26 10:00"), policy=policy, number=number
    )
    assert (shown["state"], shown["answered"], shown["resolved"], steps(session)) == (
        "open",
        None,
        None,
        before,
    )
    assert session.connection().execute(select(func.count()).select_from(obligation)).scalar() == 0
    assert [i.ref for i in register(session, policy, "2026-11-26 10:00")] == [number]


def test_h3_1_answering_a_closed_matter_is_refused(session, policy, site):
    number, _ = resolved(session, policy, site)
    close(session=session, clock=clock("2026-11-26 11:00"), number=number)
    before = steps(session)

    with pytest.raises(
        Conflict, match=f"{number} is closed: nothing more is done on a closed matter"
    ):
        answer(session=session, clock=clock("2026-11-26 12:00"), number=number, note_text="again")

    shown = show_matter(
        session=session, clock=clock("2026-11-26 12:00"), policy=policy, number=number
    )
    assert (shown["state"], shown["answered"], steps(session)) == (
        "closed",
        local("2026-11-26 10:00"),
        before,
    )


def test_h3_1_closing_an_unresolved_complaint_is_refused(session, policy, site):
    number = matter(session, site.h, "2026-11-26 09:00").number
    route(session=session, clock=clock("2026-11-26 10:00"), number=number, dept="engineering")
    answer(session=session, clock=clock("2026-11-26 11:00"), number=number, note_text="on it")
    before = steps(session)

    with pytest.raises(Conflict, match=f"{number} is routed: resolve it first"):
        close(session=session, clock=clock("2026-11-26 12:00"), number=number)

    shown = show_matter(
        session=session, clock=clock("2026-11-26 12:00"), policy=policy, number=number
    )
    assert (shown["state"], shown["closed"], steps(session)) == ("routed", None, before)


def test_h3_1_closing_a_major_complaint_needs_the_archive_write_up(session, policy, site):
    number, _ = resolved(session, policy, site, Severity.major)
    before = steps(session)

    with pytest.raises(
        InvalidInput, match=f"{number} is a major matter: close it with --archive --summary TEXT"
    ):
        close(session=session, clock=clock("2026-11-26 11:00"), number=number)
    with pytest.raises(InvalidInput, match="an archived matter needs its write-up"):
        close(session=session, clock=clock("2026-11-26 11:00"), number=number, archive=True)

    shown = show_matter(
        session=session, clock=clock("2026-11-26 11:00"), policy=policy, number=number
    )
    assert (shown["state"], shown["archived"], steps(session)) == ("resolved", False, before)
    closed = close(
        session=session,
        clock=clock("2026-11-26 11:00"),
        number=number,
        archive=True,
        summary="lift replaced; maintenance contract changed",
    ).matter
    assert (closed.state, closed.archived) == ("closed", True)


def test_h3_1_reopening_an_open_matter_is_refused(session, policy, site):
    number = matter(session, site.h, "2026-11-26 09:00").number

    with pytest.raises(Conflict, match="only a resolved or closed matter is reopened"):
        reopen(session=session, clock=clock("2026-11-26 10:00"), number=number, reason="x")


def test_h3_1_reopened_matter_gets_a_fresh_answer_deadline_from_the_reopening(
    session, policy, site
):
    number, _ = resolved(session, policy, site, Severity.urgent)

    reopen(
        session=session, clock=clock("2026-11-30 09:00"), number=number, reason="lift stuck again"
    )

    [item] = register(session, policy, "2026-11-30 09:30")
    assert (item.ref, item.owner_id, item.due, item.status) == (
        number,
        site.sun,
        local("2026-12-01 09:00"),
        "due",
    )
    assert register(session, policy, "2026-11-30 09:30", REVISIT) == []  # the open revisit is moot


def count_followups(session) -> int:
    from sqlalchemy import func, select

    from careops.scheduler.tables import obligation

    return session.connection().execute(select(func.count()).select_from(obligation)).scalar()


def test_h3_1_an_anonymous_box_slip_and_praise_have_no_answer_deadline_but_a_slip_is_still_chased(
    session, policy, site
):
    slip = open_matter(
        session=session,
        clock=clock("2026-11-25 09:00"),
        summary="more benches",
        channel=RegisterChannel.box,
        kind=RegisterKind.suggestion,
    ).matter.number
    open_matter(
        session=session,
        clock=clock("2026-11-25 09:00"),
        caller="Li Na",
        summary="kind nurses",
        channel=RegisterChannel.walk_in,
        kind=RegisterKind.praise,
    )
    assert register(session, policy, "2026-11-30 09:00") == []
    route(session=session, clock=clock("2026-11-25 10:00"), number=slip, dept="engineering")
    assert [i.ref for i in register(session, policy, "2026-12-01 09:00", CHASE)] == [slip]


def test_h3_1_only_a_suggestion_box_slip_may_be_anonymous(session, policy, site):
    with pytest.raises(InvalidInput, match="only a suggestion-box slip may be anonymous"):
        open_matter(
            session=session,
            clock=clock("2026-11-25 09:00"),
            summary="x",
            channel=RegisterChannel.hotline,
        )


def test_h3_1_an_answer_after_the_deadline_stays_marked_late(session, policy, site):
    number = matter(session, site.h, "2026-11-25 09:00").number
    answer(
        session=session,
        clock=clock("2026-11-28 09:00"),
        number=number,
        note_text="sorry for the wait",
    )
    [listed] = list_matters(session=session, clock=clock("2026-11-30 09:00"), policy=policy)
    assert (listed["overdue"], listed["answered_late"]) == (False, True)


def test_h3_1_an_anonymous_slip_cannot_be_answered(session, policy, site):
    slip = open_matter(
        session=session,
        clock=clock("2026-11-25 09:00"),
        summary="more benches",
        channel=RegisterChannel.box,
        kind=RegisterKind.suggestion,
    ).matter.number
    with pytest.raises(InvalidInput, match="anonymous slip: there is nobody to answer"):
        answer(session=session, clock=clock("2026-11-25 10:00"), number=slip, note_text="x")


def test_p4_8_a_complaint_from_a_contact_gets_no_household_revisit(session, policy, site):
    chair = contact(session, "Committee chair Qi", ContactKind.committee_chair, "2026-01-05 08:00")
    number = matter(session, chair, "2026-11-25 09:00").number
    route(session=session, clock=clock("2026-11-25 10:00"), number=number, dept="engineering")
    assert (
        resolve(
            session=session,
            clock=clock("2026-11-26 10:00"),
            policy=policy,
            number=number,
            note_text="done",
        ).followups
        == []
    )


def test_h3_1_a_void_matter_is_still_shown_with_what_it_was_and_who_voided_it(
    session, policy, site
):
    number = matter(session, site.h, "2026-11-25 09:00").number
    void(
        session=session,
        clock=clock("2026-11-25 11:00"),
        kind="complaint",
        record_id=number,
        reason="entered twice",
    )
    shown = show_matter(
        session=session, clock=clock("2026-11-26 09:00"), policy=policy, number=number
    )
    assert (shown["summary"], shown["void"], [s["action"] for s in shown["steps"]]) == (
        "lift stuck",
        "entered twice",
        ["open", "void"],
    )


def test_h3_1_a_matter_escalated_to_a_leader_owes_their_instruction_within_2_working_days(
    session, policy, site
):
    bai = add_staff(
        session=session, clock=clock("2025-06-01 08:00"), name="Bai", role=Role.leadership
    ).id
    number = matter(session, site.h, "2026-11-26 09:00").number
    route(session=session, clock=clock("2026-11-26 10:00"), number=number, dept="engineering")
    escalate(
        session=session,
        clock=clock("2026-11-26 11:00"),  # Thursday
        number=number,
        to="Bai",
        note_text="needs a new lift: beyond engineering's budget",
    )

    [item] = register(session, policy, "2026-11-26 12:00", INSTRUCTION, owner_id=bai)
    assert (item.kind, item.clause, item.strength, item.ref, item.owner_name, item.due) == (
        "instruction",
        "H3.1",
        "must",
        number,
        "Bai",
        date(2026, 11, 30),  # Friday 27, (weekend), Monday 30: the second working day
    )
    assert item.title == f"instruct on {number} (escalated)"
    assert [i.status for i in register(session, policy, "2026-12-01 08:00", INSTRUCTION)] == [
        "overdue"
    ]
    answer(session=session, clock=clock("2026-12-01 09:00"), number=number, note_text="approved")
    assert register(session, policy, "2026-12-01 10:00", INSTRUCTION) == []
    # As of before the answer, it was owed: the clock reads the facts as they were.
    assert len(register(session, policy, "2026-12-01 08:30", INSTRUCTION)) == 1

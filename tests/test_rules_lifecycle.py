"""How an obligation ends, one meaning for every rule (issue 17), with a fixed clock.

Done on time, done late, cancelled, missed (time-boxed: it can no longer be done), lapsed (a `may`
past its window). Nothing vanishes: an item that ended without being done is listed by `due --all`
during the calendar month it ended in, and `followup list` keeps its state.
"""

from __future__ import annotations

from datetime import date

from careops.calendar.workdays import WorkCalendar
from careops.clock import parse_local
from careops.scheduler.cadence import Scope
from careops.scheduler.due import due_view
from careops.services.followups import list_followups
from careops.services.surveys import create_survey
from careops.services.visits import log_visit
from careops.vocab import Audience, Channel

from conftest import clock
from scheduling import household, items, two_zone_site

SURVEY = "residents-survey"


def test_p4_10_a_survey_door_visit_not_made_by_the_close_is_missed_not_gone(session, policy):
    site = two_zone_site(session)
    made = household(session, "1-101", "2026-01-05 08:00")
    never = household(session, "1-102", "2026-01-05 08:00")
    create_survey(
        session=session,
        clock=clock("2026-11-20 09:00"),
        policy=policy,
        name="Residents 2026",
        audience=Audience.residents,
        opens=date(2026, 11, 20),
        closes=date(2026, 12, 10),
    )

    log_visit(
        session=session,
        clock=clock("2026-11-26 10:00"),
        policy=policy,
        ref=f"#{made}",
        by="Wang",
        channel=Channel.door,
        at=parse_local("2026-11-26 10:00"),
        purposes=["survey"],
    )

    def seen(now: str) -> list[tuple]:
        return [(i.subject_id, i.status, i.strength) for i in items(session, policy, now, SURVEY)]

    def listed(now: str, open_only: bool = False) -> list[tuple]:
        return [
            (r["party_id"], r["state"])
            for r in list_followups(
                session=session, clock=clock(now), open_only=open_only, rule=SURVEY, policy=policy
            )
        ]

    assert seen("2026-12-10 20:00") == [(never, "due", "must")]
    assert seen("2026-12-11 09:00") == []  # the day's open items: no longer to do
    every = due_view(
        session.connection(),
        policy,
        clock("2026-12-11 09:00"),
        WorkCalendar(),
        Scope(),
        show_all=True,
    ).items
    assert [(i.subject_id, i.status) for i in every if i.rule == SURVEY] == [(never, "missed")]
    daily = due_view(
        session.connection(),
        policy,
        clock("2026-12-11 09:00"),
        WorkCalendar(),
        Scope(owner_id=site.wang),
    ).items
    assert [i for i in daily if i.rule == SURVEY] == []
    assert listed("2026-12-11 09:00") == [(made, "done"), (never, "missed")]
    assert listed("2026-12-11 09:00", open_only=True) == []
    later = due_view(
        session.connection(),
        policy,
        clock("2027-01-04 09:00"),
        WorkCalendar(),
        Scope(),
        show_all=True,
    ).items
    assert [i for i in later if i.rule == SURVEY] == []  # listed in the month it ended in
    assert listed("2027-01-04 09:00") == [(made, "done"), (never, "missed")]

    [never_id] = [
        r["id"]
        for r in list_followups(session=session, clock=clock("2026-12-11 09:00"), rule=SURVEY)
        if r["party_id"] == never
    ]
    late = log_visit(
        session=session,
        clock=clock("2026-12-11 10:00"),
        policy=policy,
        ref=f"#{never}",
        by="Wang",
        channel=Channel.door,
        at=parse_local("2026-12-11 10:00"),
        purposes=["survey"],
    )
    assert (late.followups_done, late.followups_open) == (
        [],
        [
            f"follow-up #{never_id} was missed: P4.10 could be done "
            "until 2026-12-11 00:00, before this contact."
        ],
    )

"""What settles an obligation, one meaning for every rule (issue 17), with a fixed clock.

A fact settles an obligation only if it happened at or after the obligation opened (its trigger, or
its window's start; a leak repair's, the first rainy day after it), no later than now, by someone the
rule allows (`settled_by`). Anything else is recorded as the fact it is and says why it did not count.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select
from test_rules_p4 import event_, ids

from careops.clock import parse_local
from careops.policy.models import Policy, Rule
from careops.scheduler.tables import obligation
from careops.scheduler.tables import visit as visit_table
from careops.services.followups import record_rain
from careops.services.staff import add_staff
from careops.services.visits import log_visit
from careops.vocab import Channel, Outcome, Role, Status

from conftest import clock
from scheduling import household, items, two_zone_site

KIT = "move-in-health-kit"
WELCOME = "move-in-welcome"
THREE_MONTHS = "move-in-3-months"
EMERGENCY = "emergency-repair"
LEAK = "leak-repair"


@pytest.fixture
def site(session):
    """Zones A (butler Wang) and B (butler Li), manager Zhao, health butler Hu; household 1-101 in A."""
    found = two_zone_site(session)
    found.hu = add_staff(
        session=session, clock=clock("2025-06-01 08:00"), name="Hu", role=Role.health_butler
    ).id
    found.h = household(session, "1-101", "2026-01-05 08:00")
    return found


def written_by(*args, **kwargs) -> dict[str, int]:
    """The follow-ups an event wrote, by rule (tests/test_rules_p4.py's event_)."""
    return ids(event_(*args, **kwargs))


def log(session, policy, party_id, by, when, now=None, channel=Channel.phone, **named):
    """A contact made at local `when`, logged by a clock standing at `now` (default: that moment)."""
    return log_visit(
        session=session,
        clock=clock(now or when),
        policy=policy,
        ref=f"#{party_id}",
        by=by,
        channel=channel,
        at=parse_local(when),
        outcome=Outcome.reached,
        for_ids=named.get("for_ids", []),
        purposes=named.get("purposes", []),
    )


def visits(session) -> int:
    return session.connection().execute(select(func.count()).select_from(visit_table)).scalar()


def state(session, followup_id: int) -> str:
    return (
        session.connection()
        .execute(select(obligation.c.state).where(obligation.c.id == followup_id))
        .scalar()
    )


def test_p4_4_a_call_before_the_emergency_repair_is_not_counted_and_stays_due(
    session, policy, site
):
    """The repair at 14:00 is recorded at 15:30; a call typed in with --at 12:30 was before it."""
    fid = written_by(
        session, policy, site.h, "emergency-repair", "2026-11-26 14:00", "2026-11-26 15:30"
    )[EMERGENCY]
    before = visits(session)

    early = log(
        session, policy, site.h, "Wang", "2026-11-26 12:30", "2026-11-26 15:40", purposes=["P4.4"]
    )

    assert (early.followups_done, early.followups_open) == (
        [],
        [
            f"follow-up #{fid} stays open: this contact (2026-11-26 12:30) is before P4.4 opened "
            "(2026-11-26 14:00)."
        ],
    )
    assert visits(session) == before + 1  # the call is recorded all the same
    assert state(session, fid) == "open"
    [item] = items(session, policy, "2026-11-26 15:45", EMERGENCY)
    assert (item.ref, item.status) == (fid, "due")

    later = log(session, policy, site.h, "Wang", "2026-11-26 16:00", purposes=["P4.4"])
    assert ([r.id for r in later.followups_done], later.followups_open) == ([fid], [])


def test_p4_4_a_call_at_the_moment_of_the_repair_counts(session, policy, site):
    fid = written_by(session, policy, site.h, "emergency-repair", "2026-11-26 14:00")[EMERGENCY]

    at_once = log(session, policy, site.h, "Wang", "2026-11-26 14:00", for_ids=[fid])

    assert [r.id for r in at_once.followups_done] == [fid]


def test_p4_2_a_visit_on_the_move_in_day_does_not_settle_the_three_months_visit(
    session, policy, site
):
    h = household(session, "1-102", "2026-10-01 08:00", status=Status.not_moved_in)
    written = written_by(session, policy, h, "move-in", "2026-11-30 10:00")

    same_day = log(
        session,
        policy,
        h,
        "Wang",
        "2026-11-30 15:00",
        channel=Channel.door,
        purposes=[WELCOME, "P4.2"],
    )

    assert [r.id for r in same_day.followups_done] == [written[WELCOME]]
    assert same_day.followups_open == [
        f"follow-up #{written[THREE_MONTHS]} stays open: this contact (2026-11-30 15:00) is before "
        "P4.2 opened (2027-02-21 00:00)."
    ]
    [item] = items(session, policy, "2027-02-21 09:00", THREE_MONTHS)
    assert (item.ref, item.status, item.due) == (written[THREE_MONTHS], "due", date(2027, 2, 28))

    in_window = log(session, policy, h, "Wang", "2027-02-21 10:00", purposes=["P4.2"])
    assert [r.id for r in in_window.followups_done] == [written[THREE_MONTHS]]


def test_p4_1_the_butler_alone_does_not_settle_the_health_butlers_kit_visit(session, policy, site):
    h = household(session, "1-102", "2026-10-01 08:00", status=Status.not_moved_in)
    written = written_by(session, policy, h, "move-in", "2026-11-26 09:00")

    alone = log(
        session, policy, h, "Wang", "2026-11-26 10:00", channel=Channel.door, for_ids=[written[KIT]]
    )

    assert (alone.followups_done, alone.followups_open) == (
        [],
        [
            f"follow-up #{written[KIT]} stays open: P4.1 is made by the health-butler; this was "
            "Wang (butler)."
        ],
    )
    assert state(session, written[KIT]) == "open"
    together = log(
        session,
        policy,
        h,
        ["Wang", "Hu"],
        "2026-11-26 11:00",
        channel=Channel.door,
        for_ids=[written[KIT], written[WELCOME]],
    )
    assert sorted(r.id for r in together.followups_done) == sorted([written[KIT], written[WELCOME]])


def test_p4_4_a_call_after_the_leak_repair_but_before_any_rain_is_not_counted(
    session, policy, site
):
    fid = written_by(session, policy, site.h, "leak-repair", "2026-11-20 10:00")[LEAK]

    dry = log(session, policy, site.h, "Wang", "2026-11-23 10:00", for_ids=[fid])

    assert dry.followups_open == [
        f"follow-up #{fid} stays open: P4.4 waits for the first rainy day after 2026-11-20, and "
        "none is recorded up to 2026-11-23 (`careops rain`)."
    ]
    record_rain(session=session, clock=clock("2026-11-25 08:00"), day=date(2026, 11, 25))
    still_before = log(
        session, policy, site.h, "Wang", "2026-11-24 10:00", "2026-11-25 09:00", for_ids=[fid]
    )
    assert still_before.followups_open == [
        f"follow-up #{fid} stays open: P4.4 waits for the first rainy day after 2026-11-20, and "
        "none is recorded up to 2026-11-24 (`careops rain`)."
    ]
    after_rain = log(session, policy, site.h, "Wang", "2026-11-25 18:00", for_ids=[fid])
    assert [r.id for r in after_rain.followups_done] == [fid]


def test_p2_the_earlier_by_role_reads_as_settled_by():
    said = {
        "id": "x",
        "clause": "P2",
        "strength": "must",
        "shape": "cadence",
        "title": "t",
        "explain": "e",
        "owner": "role:manager",
        "period": "month",
        "subject": {"kind": "contact", "contact_kind": "housing-bureau"},
    }

    by_role = Rule.model_validate(said | {"by_role": "manager"})

    assert by_role.settled_by == (Role.manager,)
    assert (by_role.settles("manager"), by_role.settles("butler")) == (True, False)
    assert Rule.model_validate(said).settles("butler")  # none named: anyone's contact counts
    with pytest.raises(
        ValueError, match=re.escape("give settled_by (by_role is its earlier name), not both")
    ):
        Rule.model_validate(said | {"by_role": "manager", "settled_by": ["manager"]})


def test_p2_h3_2_built_in_contacts_are_settled_by_the_role_the_clause_names(policy: Policy):
    assert {r.id: [x.value for x in r.settled_by] for r in policy.rules if r.settled_by} == {
        "p2-committee-chair": ["manager"],
        "p2-key-household": ["manager"],
        "p2-community-office": ["manager"],
        "p2-housing-bureau": ["manager"],
        KIT: ["health-butler"],
        "h3.2-government": ["leadership"],
        "h3.2-health-authority": ["leadership"],
        # E2.6.2: who may receive (and decide) an appeal, besides anyone who manages someone.
        "appeal-decision": ["dept-head", "manager", "hr", "union", "gm", "chairman"],
    }


def test_p4_6_a_visit_after_the_wedding_offer_lapsed_does_not_settle_it(session, policy, site):
    fid = written_by(session, policy, site.h, "wedding", "2026-11-10 10:00")["wedding"]

    late = log(session, policy, site.h, "Wang", "2026-11-18 10:00", for_ids=[fid])
    in_time = log(
        session, policy, site.h, "Wang", "2026-11-17 18:00", "2026-11-18 11:00", for_ids=[fid]
    )

    assert (late.followups_done, late.followups_open) == (
        [],
        [
            f"follow-up #{fid} has lapsed: P4.6 is a may, and its time (2026-11-17) had passed by "
            "this contact."
        ],
    )
    assert [r.id for r in in_time.followups_done] == [fid]  # typed in later, made in time

"""Who owns an obligation, one meaning for every rule (issue 17), with a fixed clock.

The holder of the rule's owner role as of today: someone whose last day has passed holds no role.
Where nobody holds it, the rule's fallback owner (policy `[fallback]`, or the rule's own `fallback`)
owns it and the writing says why.
"""

from __future__ import annotations

from datetime import date

import pytest

from careops.clock import parse_local
from careops.policy.models import Policy
from careops.services.followups import record_event
from careops.services.leaving import start_leave
from careops.services.register import keeper_name
from careops.services.staff import add_staff
from careops.vocab import Channel, Role

from conftest import clock
from scheduling import household, items, two_zone_site


@pytest.fixture
def site(session):
    """Zones A (butler Wang) and B (butler Li), manager Zhao, chief butler Chen; household 1-101 in A."""
    found = two_zone_site(session)
    found.chen = add_staff(
        session=session, clock=clock("2025-06-01 08:00"), name="Chen", role=Role.chief_butler
    ).id
    found.h = household(session, "1-101", "2026-01-05 08:00")
    return found


def leaves(session, policy, name: str, last_day: str, on: str = "2026-11-10 09:00") -> None:
    start_leave(
        session=session,
        clock=clock(on),
        policy=policy,
        employee=name,
        last_day=date.fromisoformat(last_day),
    )


def bereavement(session, policy, ref: str, when: str = "2026-11-26 10:00"):
    """A bereavement in the household `ref`, recorded as it happens."""
    return record_event(
        session=session,
        clock=clock(when),
        policy=policy,
        ref=ref,
        kind="bereavement",
        at=parse_local(when),
    )


def test_p4_7_a_followup_in_a_zone_whose_butler_has_left_falls_to_the_chief_butler(
    session, policy, site
):
    leaves(session, policy, "Wang", "2026-11-20")

    result = bereavement(session, policy, f"#{site.h}")

    [written] = result.followups
    assert (written.obligation.owner_id, written.owner) == (site.chen, "Chen")
    assert result.warnings == [
        f"condolence visit (#{written.obligation.id}) falls to Chen (chief-butler): zone A has no "
        "butler; give it one with `careops zone edit A --butler STAFF`."
    ]
    [item] = items(session, policy, "2026-11-26 12:00", "bereavement")
    assert (item.owner_id, item.owner_name) == (site.chen, "Chen")


def test_p4_7_the_butler_still_owns_it_on_their_last_day(session, policy, site):
    leaves(session, policy, "Wang", "2026-11-26")

    result = bereavement(session, policy, f"#{site.h}")

    assert ([w.obligation.owner_id for w in result.followups], result.warnings) == ([site.wang], [])


def test_h3_1_a_register_keeper_who_has_left_is_not_the_keeper(session, policy):
    c = clock("2025-06-01 08:00")
    add_staff(session=session, clock=c, name="Zhou", role=Role.office)
    add_staff(session=session, clock=c, name="Wu", role=Role.office)
    leaves(session, policy, "Zhou", "2026-11-20")

    assert [
        keeper_name(session, clock(now), policy) for now in ("2026-11-20 17:00", "2026-11-21 08:00")
    ] == ["Zhou", "Wu"]


def test_fallback_chains_come_from_the_policy_unless_a_rule_gives_its_own(policy: Policy):
    assert policy.get("bereavement").fallback == (
        "role:chief-butler",
        "role:supervisor",
        "role:manager",
    )
    assert policy.get("p2-housing-bureau").fallback == ("role:supervisor",)
    assert policy.get("p3-callback").fallback == (  # the caller's promise, kept by their zone
        "zone-butler",
        "role:chief-butler",
        "role:manager",
    )
    assert policy.get("h3.2-government").fallback == ("role:office",)


def test_a_fallback_naming_no_role_is_refused():
    with pytest.raises(ValueError, match="'janitor' is not a valid Role"):
        Policy.model_validate(
            {
                "call_windows": {
                    "clause": "P3",
                    "strength": "should",
                    "days": ["mon"],
                    "windows": ["09:00-12:00"],
                    "explain": "x",
                },
                "fallback": {"zone-butler": ["role:janitor"]},
                "rule": [],
            }
        )


def test_p1_a_zone_whose_butler_has_left_falls_to_the_chief_butler(session, policy, site):
    leaves(session, policy, "Wang", "2026-11-20")

    [before] = items(session, policy, "2026-11-20 09:00", "p1-monthly-visit", zone_id=site.zone_a)
    [after] = items(session, policy, "2026-11-21 09:00", "p1-monthly-visit", zone_id=site.zone_a)

    assert (before.owner_id, before.why) == (
        site.wang,
        "monthly visit: no contact yet in 2026-11, none in 2026-10 either",
    )
    assert (after.owner_id, after.owner_name, after.why) == (
        site.chen,
        "Chen",
        "monthly visit: no contact yet in 2026-11, none in 2026-10 either — zone A has no butler "
        "today: falls to Chen",
    )
    assert [
        i.subject_id
        for i in items(session, policy, "2026-11-21 09:00", "p1-monthly-visit", owner_id=site.chen)
    ] == [site.h]
    assert items(session, policy, "2026-11-21 09:00", "p1-monthly-visit", owner_id=site.wang) == []


def test_p2_a_manager_who_has_left_falls_to_the_supervisor(session, policy, site):
    from careops.vocab import ContactKind

    from scheduling import contact

    sun = add_staff(
        session=session, clock=clock("2025-06-01 08:00"), name="Sun", role=Role.supervisor
    ).id
    contact(session, "Housing bureau", ContactKind.housing_bureau, "2026-01-05 08:00")
    leaves(session, policy, "Zhao", "2026-11-20")

    [item] = items(session, policy, "2026-11-27 09:00", "p2-housing-bureau")

    assert (item.owner_id, item.why) == (
        sun,
        "housing bureau, quarterly: no contact yet in 2026-Q4, none in 2026-Q3 either — nobody "
        "holds manager today: falls to Sun",
    )


def test_every_open_must_or_should_item_of_every_regime_has_an_owner_whose_list_shows_it(
    session, policy, site
):
    """The invariant for every rule of every regime, on a site where the butler of zone A has left and
    zone A's household has an event: Wang's own leaving items too (no HR on a butler site: the
    manager)."""
    household(session, "2-101", "2026-01-05 08:00", zone="B")
    leaves(session, policy, "Wang", "2026-11-20")
    bereavement(session, policy, "1-101")
    now = "2026-11-27 09:00"

    every = [i for i in items(session, policy, now) if i.strength in ("must", "should")]
    assert {i.clause[0] for i in every} >= {"P", "E"}

    assert [(i.rule, i.why) for i in every if i.owner_id is None] == []
    owners = {i.owner_id for i in every}
    assert site.wang not in owners
    listed = {
        (o, i.rule, i.subject_id, i.ref)
        for o in owners
        for i in items(session, policy, now, owner_id=o)
    }
    assert {(i.owner_id, i.rule, i.subject_id, i.ref) for i in every} <= listed


def test_p4_7_a_followup_whose_owner_leaves_after_it_was_written_falls_to_the_chief_butler(
    session, policy, site
):
    fid = bereavement(session, policy, f"#{site.h}", "2026-11-10 10:00").followups[0].obligation.id
    leaves(session, policy, "Wang", "2026-11-20", on="2026-11-11 09:00")

    [on_last_day] = items(session, policy, "2026-11-20 09:00", "bereavement")
    [after] = items(session, policy, "2026-11-21 09:00", "bereavement")

    assert (on_last_day.ref, on_last_day.owner_id) == (fid, site.wang)
    assert (after.ref, after.owner_id, after.owner_name, after.status) == (
        fid,
        site.chen,
        "Chen",
        "overdue",
    )
    assert after.why == (
        "condolence visit: bereavement on 2026-11-10 10:00 — falls to Chen: nobody it was written "
        "for holds the role today"
    )
    assert [i.ref for i in items(session, policy, "2026-11-21 09:00", owner_id=site.chen)] == [
        fid,
        None,  # and zone A's monthly visit, which fell to Chen too
    ]
    assert items(session, policy, "2026-11-21 09:00", owner_id=site.wang) == []


def test_p3_a_callback_promised_by_someone_who_has_left_is_kept_by_the_zones_butler(
    session, policy, site
):
    from careops.vocab import Outcome

    from scheduling import visit

    visit(
        session,
        policy,
        site.h,
        "Chen",
        "2026-11-10 10:00",
        Channel.phone,
        Outcome.busy,
        "2026-11-25 10:00",
    )
    leaves(session, policy, "Chen", "2026-11-20", on="2026-11-11 09:00")

    [item] = items(session, policy, "2026-11-24 09:00", "p3-callback")

    assert (item.owner_id, item.owner_name) == (site.wang, "Wang")

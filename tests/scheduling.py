"""Helpers shared by the scheduler's rule tests: a small site, facts at fixed local times."""

from __future__ import annotations

from types import SimpleNamespace

from careops.clock import parse_local
from careops.scheduler.cadence import Scope
from careops.scheduler.due import open_items
from careops.services.contacts import add_contact
from careops.services.residents import add_resident
from careops.services.staff import add_staff
from careops.services.visits import log_visit
from careops.services.zones import add_zone
from careops.vocab import Channel, ContactKind, Outcome, Role, Status

from conftest import clock


def two_zone_site(session) -> SimpleNamespace:
    """Zones A (butler Wang) and B (butler Li), and the center manager Zhao, recorded 2025-06-01."""
    c = clock("2025-06-01 08:00")
    wang = add_staff(session=session, clock=c, name="Wang", role=Role.butler)
    li = add_staff(session=session, clock=c, name="Li", role=Role.butler)
    zhao = add_staff(session=session, clock=c, name="Zhao", role=Role.manager)
    zone_a = add_zone(session=session, clock=c, name="A", butler="Wang").zone
    zone_b = add_zone(session=session, clock=c, name="B", butler="Li").zone
    return SimpleNamespace(wang=wang.id, li=li.id, zhao=zhao.id, zone_a=zone_a.id, zone_b=zone_b.id)


def household(
    session,
    unit: str,
    since: str,
    zone: str = "A",
    tags: tuple = (),
    status: Status = Status.occupied,
) -> int:
    """A household recorded (and so under its rule) from the local day of `since`."""
    return add_resident(
        session=session,
        clock=clock(since),
        name=f"Owner {unit}",
        unit=unit,
        zone_ref=zone,
        status=status,
        tags=list(tags),
    ).id


def contact(session, name: str, kind: ContactKind, since: str) -> int:
    return add_contact(session=session, clock=clock(since), name=name, kind=kind).id


def visit(
    session,
    policy,
    party_id: int,
    by: str,
    when: str,
    channel: Channel = Channel.door,
    outcome: Outcome = Outcome.reached,
    callback: str | None = None,
):
    """A contact logged at local time `when`, by a clock standing at that same moment."""
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


def items(session, policy, now: str, rule: str | None = None, **scope):
    found = open_items(session.connection(), policy, clock(now), Scope(**scope))
    return [i for i in found if rule is None or i.rule == rule]


def brief(found) -> list[tuple]:
    return [(i.rule, i.subject_id, i.status, i.due) for i in found]


def local(text: str):
    """The aware local datetime the scheduler reports for a contact at `text`."""
    return clock(text).now

"""One household at a glance: details, what is open for it, its recent visits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from careops.clock import Clock
from careops.policy.models import Policy
from careops.scheduler.cadence import Scope
from careops.scheduler.due import open_items
from careops.scheduler.tables import party, staff, tag, zone
from careops.services.privacy import masked
from careops.services.refs import resolve_party
from careops.services.visits import list_visits

RECENT = 10


def household_profile(
    *, session: Session, clock: Clock, policy: Policy, ref: str, show_phone: bool = False
) -> dict[str, Any]:
    conn = session.connection()
    found = resolve_party(conn, ref)
    row = conn.execute(
        select(
            party.c.id,
            party.c.kind,
            party.c.name,
            party.c.unit,
            zone.c.name.label("zone"),
            staff.c.name.label("butler"),
            party.c.status,
            party.c.contact_kind,
            party.c.phone,
            party.c.moved_in,
            party.c.status_since,
        )
        .select_from(
            party.outerjoin(zone, zone.c.id == party.c.zone_id).outerjoin(
                staff, staff.c.id == zone.c.butler_id
            )
        )
        .where(party.c.id == found.id)
    ).one()
    tags = list(
        conn.execute(
            select(tag.c.tag).where(tag.c.party_id == found.id).order_by(tag.c.tag)
        ).scalars()
    )
    items = open_items(conn, policy, clock, Scope(party_id=found.id))
    visits = list_visits(session=session, clock=clock, ref=f"#{found.id}")[:RECENT]
    details = masked([dict(row._mapping)], show_phone)[0]
    return {
        **{k: v for k, v in details.items() if v is not None},
        "tags": tags,
        "open_items": [{**i.to_json(), "title": i.title} for i in items],
        "recent_visits": visits,
    }

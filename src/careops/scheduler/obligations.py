"""Written obligations (callbacks now; follow-ups and case deadlines later), as of the clock."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, and_, func, or_, select

from careops.clock import Clock
from careops.policy.models import Policy
from careops.scheduler.cadence import Scope
from careops.scheduler.items import DueItem
from careops.scheduler.tables import obligation, party, staff, visit, zone

# What this module says to people (one place, ready for translation).
WHY_AGREED = "{title} agreed for {due:%Y-%m-%d %H:%M}"


def obligation_items(conn: Connection, policy: Policy, clock: Clock, scope: Scope) -> list[DueItem]:
    now = clock.now_utc
    owner = staff.alias("owner")
    last = (select(func.max(visit.c.at))
            .where(visit.c.party_id == party.c.id, visit.c.outcome == "reached",
                   visit.c.voided_at.is_(None), visit.c.at <= now)
            .scalar_subquery())
    conds = [obligation.c.created_at <= now,
             or_(obligation.c.state == "open", and_(obligation.c.state == "done", obligation.c.done_at > now))]
    if scope.owner_id is not None:
        conds.append(obligation.c.owner_id == scope.owner_id)
    if scope.zone_id is not None:
        conds.append(party.c.zone_id == scope.zone_id)
    if scope.party_id is not None:
        conds.append(party.c.id == scope.party_id)
    query = (select(obligation.c.id, obligation.c.rule, obligation.c.clause, obligation.c.kind, obligation.c.due_at,
                    obligation.c.owner_id, owner.c.name.label("owner_name"), party.c.id.label("party_id"),
                    party.c.kind.label("party_kind"), party.c.name, party.c.unit, zone.c.name.label("zone"),
                    last.label("last"))
             .select_from(obligation.join(party, party.c.id == obligation.c.party_id)
                          .outerjoin(zone, zone.c.id == party.c.zone_id)
                          .outerjoin(owner, owner.c.id == obligation.c.owner_id))
             .where(*conds))
    rules = {r.id: r for r in policy.rules}
    return [_item(row, rules.get(row.rule), clock) for row in conn.execute(query)]


def _item(row, rule, clock: Clock) -> DueItem:
    due: datetime = clock.local(row.due_at)  # type: ignore[assignment]
    day = due.date()
    status = "upcoming" if day > clock.today else "due" if day == clock.today else "overdue"
    title = rule.title if rule else row.rule
    return DueItem(
        rule=row.rule, clause=row.clause, strength=rule.strength if rule else "should", kind=row.kind,
        title=title, subject_type=row.party_kind, subject_id=row.party_id, subject_name=row.name,
        subject_unit=row.unit, owner_id=row.owner_id, owner_name=row.owner_name, due=due,
        status=status, last_contact=clock.local(row.last), ref=row.id, zone=row.zone,
        why=WHY_AGREED.format(title=title, due=due),
    )

"""Staff: butlers, managers, supervisors… and who reports to whom."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from careops.clock import Clock
from careops.errors import InvalidInput
from careops.models import Staff
from careops.scheduler.tables import staff, zone
from careops.services.audit import note
from careops.services.refs import resolve_staff
from careops.vocab import Role

# What this module says to people (one place, ready for translation).
EMPTY = "the {what} must not be empty."
AUDIT_ADDED = "{role} {name} added"


def add_staff(*, session: Session, clock: Clock, name: str, role: Role, dept: str | None = None,
              reports_to: str | None = None, phone: str | None = None) -> Staff:
    name = _clean(name, "name")
    boss = resolve_staff(session.connection(), reports_to).id if reports_to else None
    member = Staff(name=name, role=role.value, dept=dept or None, reports_to_id=boss, phone=phone or None,
                   created_at=clock.now_utc)
    session.add(member)
    session.flush()
    note(session, clock, action="add", kind="staff", record_id=member.id, staff_id=member.id,
         detail=AUDIT_ADDED.format(role=member.role, name=member.name))
    return member


def list_staff(*, session: Session) -> list[dict]:
    boss = staff.alias("boss")
    zones = (select(func.count()).select_from(zone).where(zone.c.butler_id == staff.c.id).scalar_subquery())
    rows = session.connection().execute(
        select(staff.c.id, staff.c.name, staff.c.role, staff.c.dept, boss.c.name.label("reports_to"),
               zones.label("zones"))
        .select_from(staff.outerjoin(boss, boss.c.id == staff.c.reports_to_id))
        .order_by(staff.c.role, staff.c.name, staff.c.id))
    return [dict(r._mapping) for r in rows]


def _clean(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(EMPTY.format(what=what))
    return value

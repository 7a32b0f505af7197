"""Zones (管理区域): each is one butler's households."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import Connection, Select, func, select, update
from sqlmodel import Session

from careops.clock import Clock
from careops.errors import Conflict, InvalidInput
from careops.i18n import _
from careops.models import Zone
from careops.scheduler.tables import obligation, party, staff, zone
from careops.services.audit import note
from careops.services.refs import Record, resolve_staff, resolve_zone
from careops.services.staff import _clean

BUTLER_ROLES = {"butler", "chief-butler"}

# What this module says to people (one place, ready for translation).
ZONE_EXISTS = _(
    "zone {name!r} exists already. To hand it to another butler: `careops zone edit {name} --butler NAME`."
)
NOT_A_BUTLER = _("{name} is a {role}, not a butler; the zone's visits are theirs all the same.")
AUDIT_ADDED = _("zone {name} added, butler {butler}")
AUDIT_HANDED = _("zone {name} handed over: {before} → {after}")
AUDIT_HEALTH = _("zone {name} health butler: {before} → {after}")
NOT_A_HEALTH_BUTLER = _(
    "{name} is a {role}, not a health butler; the zone's health visits are theirs all the same."
)
NOTHING_TO_EDIT = _("say what changes: --butler STAFF and/or --health-butler STAFF.")


class ZoneChange(NamedTuple):
    zone: Zone
    butler: str | None  # the butler's name, as recorded
    before: str | None  # the previous butler's name (edit only)
    warnings: list[str]
    health_butler: str | None = None
    health_before: str | None = None


def add_zone(
    *,
    session: Session,
    clock: Clock,
    name: str,
    butler: str | None = None,
    health_butler: str | None = None,
) -> ZoneChange:
    name = _clean(name, "zone name")
    conn = session.connection()
    if conn.execute(select(zone.c.id).where(func.lower(zone.c.name) == name.lower())).first():
        raise Conflict(ZONE_EXISTS.format(name=name))
    person, warnings = _butler(conn, butler)
    health, more = _health_butler(conn, health_butler)
    record = Zone(
        name=name,
        butler_id=person.id if person else None,
        health_butler_id=health.id if health else None,
        created_at=clock.now_utc,
    )
    session.add(record)
    session.flush()
    note(
        session,
        clock,
        action="add",
        kind="zone",
        record_id=record.id,
        staff_id=person.id if person else None,
        detail=AUDIT_ADDED.format(name=record.name, butler=person.name if person else "-"),
    )
    return ZoneChange(
        record,
        person.name if person else None,
        None,
        warnings + more,
        health.name if health else None,
    )


def edit_zone(
    *,
    session: Session,
    clock: Clock,
    name: str,
    butler: str | None = None,
    health_butler: str | None = None,
) -> ZoneChange:
    """Hand a zone to another butler (its households' items move to them at once), or name its health butler."""
    if not butler and not health_butler:
        raise InvalidInput(NOTHING_TO_EDIT)
    conn = session.connection()
    found = resolve_zone(conn, name)
    person, warnings = _butler(conn, butler)
    health, more = _health_butler(conn, health_butler)
    record = session.get(Zone, found.id, with_for_update=True)
    assert record is not None  # resolve_zone found it
    before = conn.execute(select(staff.c.name).where(staff.c.id == record.butler_id)).scalar()
    health_before = conn.execute(
        select(staff.c.name).where(staff.c.id == record.health_butler_id)
    ).scalar()
    if person:
        if record.butler_id is not None:
            move_followups(
                conn,
                old=record.butler_id,
                new=person.id,
                parties=select(party.c.id).where(party.c.zone_id == record.id),
            )
        record.butler_id = person.id
        note(
            session,
            clock,
            action="hand-over",
            kind="zone",
            record_id=record.id,
            staff_id=person.id,
            detail=AUDIT_HANDED.format(name=record.name, before=before or "-", after=person.name),
        )
    if health:
        record.health_butler_id = health.id
        note(
            session,
            clock,
            action="edit",
            kind="zone",
            record_id=record.id,
            staff_id=health.id,
            detail=AUDIT_HEALTH.format(
                name=record.name, before=health_before or "-", after=health.name
            ),
        )
    session.flush()
    return ZoneChange(
        record,
        person.name if person else before,
        before if person else None,
        warnings + more,
        health.name if health else health_before,
        health_before if health else None,
    )


def move_followups(
    conn: Connection, *, old: int, new: int | None, parties: Sequence[int] | Select[int]
) -> int:
    """Open follow-ups the zone's butler owned for these households go to the new butler (callbacks stay:
    the caller agreed them)."""
    return conn.execute(
        update(obligation)
        .where(
            obligation.c.state == "open",
            obligation.c.kind.in_(("followup", "task")),
            obligation.c.owner_id == old,
            obligation.c.party_id.in_(parties),
        )
        .values(owner_id=new)
    ).rowcount


def _health_butler(conn: Connection, ref: str | None) -> tuple[Record | None, list[str]]:
    if not ref:
        return None, []
    person = resolve_staff(conn, ref)
    ok = person.role == "health-butler"
    return person, [] if ok else [NOT_A_HEALTH_BUTLER.format(name=person.name, role=person.role)]


def _butler(conn: Connection, ref: str | None) -> tuple[Record | None, list[str]]:
    if not ref:
        return None, []
    person = resolve_staff(conn, ref)
    warnings = (
        []
        if person.role in BUTLER_ROLES
        else [NOT_A_BUTLER.format(name=person.name, role=person.role)]
    )
    return person, warnings


def list_zones(*, session: Session) -> list[dict[str, Any]]:
    health = staff.alias("health")
    households = (
        select(func.count())
        .select_from(party)
        .where(
            party.c.zone_id == zone.c.id, party.c.kind == "household", party.c.voided_at.is_(None)
        )
        .scalar_subquery()
    )
    rows = session.connection().execute(
        select(
            zone.c.id,
            zone.c.name,
            staff.c.name.label("butler"),
            health.c.name.label("health_butler"),
            households.label("households"),
        )
        .select_from(
            zone.outerjoin(staff, staff.c.id == zone.c.butler_id).outerjoin(
                health, health.c.id == zone.c.health_butler_id
            )
        )
        .order_by(zone.c.name)
    )
    return [dict(r._mapping) for r in rows]

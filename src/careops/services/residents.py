"""Households: add, edit, list, show. A household belongs to a zone and so to its butler."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, ScalarSelect, func, insert, select
from sqlmodel import Session

from careops.clock import Clock
from careops.errors import Conflict, InvalidInput
from careops.i18n import _
from careops.models import Party
from careops.names import name_columns
from careops.scheduler.tables import party, tag, visit, zone
from careops.services.audit import note
from careops.services.privacy import masked
from careops.services.refs import resolve_party, resolve_zone
from careops.services.staff import _clean
from careops.vocab import Status

# What this module says to people (one place, ready for translation).
CHANGED = _("{field}: {before} → {after}")
NO_VALUE = _("-")
TAG_ADDED = _("tag +{tag}")
TAG_REMOVED = _("tag -{tag}")
MOVE_IN_FUTURE = _(
    "the move-in date {moved_in} is after today ({today}); record the household as not-moved-in for now."
)
NOT_MOVED_IN_DATE = _(
    "a household that has not moved in has no move-in date: drop --moved-in or use --status occupied."
)
UNIT_TAKEN = _(
    "unit {unit} is already recorded for #{id} {name}. To change that household: `careops resident edit #{id} …`."
)
AUDIT_ADDED = _("{name}, {unit} added ({status}; tags {tags})")


def add_resident(
    *,
    session: Session,
    clock: Clock,
    name: str,
    unit: str,
    zone_ref: str,
    phone: str | None = None,
    status: Status | None = None,
    moved_in: date | None = None,
    tags: Iterable[str] = (),
) -> Party:
    conn = session.connection()
    name, unit = _clean(name, "name"), _clean(unit, "unit")
    zone_id = resolve_zone(conn, zone_ref).id
    status = _status(status, moved_in, clock)
    _unit_free(conn, unit)
    record = Party(
        kind="household",
        name=name,
        unit=unit,
        zone_id=zone_id,
        phone=phone or None,
        status=status.value,
        moved_in=moved_in,
        status_since=moved_in or clock.today,
        created_at=clock.now_utc,
    )
    session.add(record)
    session.flush()
    assert record.id is not None  # flushed: the database gave it its id
    added = add_tags(conn, record.id, tags, clock.today)
    note(
        session,
        clock,
        action="add",
        kind="household",
        record_id=record.id,
        party_id=record.id,
        detail=AUDIT_ADDED.format(
            name=record.name, unit=record.unit, status=record.status, tags=",".join(added) or "-"
        ),
    )
    return record


def edit_resident(
    *,
    session: Session,
    clock: Clock,
    ref: str,
    name: str | None = None,
    unit: str | None = None,
    zone_ref: str | None = None,
    phone: str | None = None,
    status: Status | None = None,
    moved_in: date | None = None,
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
) -> tuple[Party, list[str]]:
    """Returns the household and a line per change made."""
    conn = session.connection()
    found = resolve_party(conn, ref, kind="household")
    record = session.get(
        Party, found.id, with_for_update=True
    )  # PostgreSQL: a second editor waits its turn
    assert record is not None and record.id is not None  # resolve_party found it
    changes: list[str] = []

    def change(field: str, value: object) -> None:
        if value is not None and getattr(record, field) != value:
            changes.append(
                CHANGED.format(field=field, before=getattr(record, field) or NO_VALUE, after=value)
            )
            setattr(record, field, value)

    if unit is not None and _clean(unit, "unit") != record.unit:
        _unit_free(conn, unit.strip())
    named = record.name
    change("name", _clean(name, "name") if name is not None else None)
    if record.name != named:  # the pinyin and initials it is typed and sorted by follow it
        for column, value in name_columns(record.name, person=record.kind != "contact").items():
            setattr(record, column, value)
    change("unit", unit.strip() if unit is not None else None)
    if zone_ref:
        moved_to = resolve_zone(conn, zone_ref)
        if moved_to.id != record.zone_id:
            before = conn.execute(
                select(zone.c.name, zone.c.butler_id).where(zone.c.id == record.zone_id)
            ).first()
            changes.append(
                CHANGED.format(
                    field="zone", before=before.name if before else NO_VALUE, after=moved_to.name
                )
            )
            record.zone_id = moved_to.id
            if before is not None and before.butler_id is not None:
                from careops.services.zones import move_followups

                move_followups(
                    conn, old=before.butler_id, new=moved_to.butler_id, parties=[record.id]
                )
    change("phone", phone)
    if status is not None or moved_in is not None:
        target = status or (Status.occupied if moved_in else Status(record.status))
        new_status = _status(target, moved_in, clock)
        if new_status.value != record.status or (moved_in and moved_in != record.moved_in):
            record.status_since = moved_in or clock.today
        change("status", new_status.value)
        change("moved_in", moved_in)
        if new_status == Status.not_moved_in:
            record.moved_in = None
    changes += [TAG_ADDED.format(tag=t) for t in add_tags(conn, record.id, add, clock.today)]
    changes += [TAG_REMOVED.format(tag=t) for t in remove_tags(conn, record.id, remove)]
    session.flush()
    if changes:
        note(
            session,
            clock,
            action="edit",
            kind="household",
            record_id=record.id,
            party_id=record.id,
            detail="; ".join(changes),
        )
    return record, changes


def _status(status: Status | None, moved_in: date | None, clock: Clock) -> Status:
    """The status a household gets; an occupied one falls under P1 from its move-in day (else from today)."""
    if moved_in is not None and moved_in > clock.today:
        raise InvalidInput(MOVE_IN_FUTURE.format(moved_in=moved_in, today=clock.today))
    if status is None:
        return Status.occupied
    if status == Status.not_moved_in and moved_in is not None:
        raise InvalidInput(NOT_MOVED_IN_DATE)
    return status


def _unit_free(conn: Connection, unit: str) -> None:
    taken = conn.execute(
        select(party.c.id, party.c.name).where(
            party.c.unit == unit, party.c.kind == "household", party.c.voided_at.is_(None)
        )
    ).first()
    if taken:
        raise Conflict(UNIT_TAKEN.format(unit=unit, id=taken.id, name=taken.name))


def add_tags(conn: Connection, party_id: int, tags: Iterable[str], today: date) -> list[str]:
    wanted = sorted({t.strip().lower() for t in tags if t and t.strip()})
    have = set(conn.execute(select(tag.c.tag).where(tag.c.party_id == party_id)).scalars())
    new = [t for t in wanted if t not in have]
    if new:
        conn.execute(insert(tag), [{"party_id": party_id, "tag": t, "since": today} for t in new])
    return new


def remove_tags(conn: Connection, party_id: int, tags: Iterable[str]) -> list[str]:
    wanted = {t.strip().lower() for t in tags if t and t.strip()}
    gone = sorted(
        wanted & set(conn.execute(select(tag.c.tag).where(tag.c.party_id == party_id)).scalars())
    )
    if gone:
        conn.execute(tag.delete().where(tag.c.party_id == party_id, tag.c.tag.in_(gone)))
    return gone


def last_contact_col(now_utc: datetime) -> ScalarSelect[datetime]:
    return (
        select(func.max(visit.c.at))
        .where(
            visit.c.party_id == party.c.id,
            visit.c.outcome == "reached",
            visit.c.voided_at.is_(None),
            visit.c.at <= now_utc,
        )
        .scalar_subquery()
    )


def list_residents(
    *, session: Session, clock: Clock, zone_ref: str | None = None, show_phone: bool = False
) -> list[dict[str, Any]]:
    conn = session.connection()
    conds: list[ColumnElement[bool]] = [party.c.kind == "household", party.c.voided_at.is_(None)]
    if zone_ref:
        conds.append(party.c.zone_id == resolve_zone(conn, zone_ref).id)
    rows = conn.execute(
        select(
            party.c.id,
            party.c.name,
            party.c.unit,
            zone.c.name.label("zone"),
            party.c.status,
            party.c.phone,
            party.c.moved_in,
            last_contact_col(clock.now_utc).label("last_contact"),
        )
        .select_from(party.outerjoin(zone, zone.c.id == party.c.zone_id))
        .where(*conds)
        .order_by(zone.c.name, party.c.unit, party.c.id)
    ).all()
    tags = tags_of(conn, conds)
    return masked(
        [
            {**r._mapping, "tags": tags.get(r.id, []), "last_contact": clock.local(r.last_contact)}
            for r in rows
        ],
        show_phone,
    )


def tags_of(conn: Connection, party_conds: Iterable[ColumnElement[bool]]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    rows = conn.execute(
        select(tag.c.party_id, tag.c.tag)
        .select_from(tag.join(party, party.c.id == tag.c.party_id))
        .where(*party_conds)
        .order_by(tag.c.party_id, tag.c.tag)
    )
    for party_id, name in rows:
        out.setdefault(party_id, []).append(name)
    return out

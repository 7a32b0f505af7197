"""Resolve what a person types (an id, a unit, a name) to one record, or say why not."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, Select, Table, func, or_, select

from careops.errors import Ambiguous, Conflict, NotFound
from careops.i18n import Text, _
from careops.names import ref_key
from careops.scheduler.tables import party, staff, zone

MAX_LISTED = 8
MAX_ID = (
    2**31 - 1
)  # the largest id every backend's id column holds (PostgreSQL's INTEGER is 32-bit)


def as_id(text: str) -> int | None:
    """`42` or `#42` -> 42; anything else (², a 30-digit number, a name) -> None."""
    digits = text.strip().removeprefix("#")
    if digits.isascii() and digits.isdigit() and int(digits) <= MAX_ID:
        return int(digits)
    return None


# A row as the resolvers return it: its columns are read by name (`row.id`, `row.name`).
Record = Row[*tuple[Any, ...]]


# What this module says to people (one place, ready for translation).
NO_RESIDENT = _("no resident matches {ref!r}.{hint}")
NO_CONTACT = _("no contact matches {ref!r}.{hint}")
NO_PARTY = _("no resident or contact matches {ref!r}.{hint}")
DID_YOU_MEAN = _(" Did you mean: {listing}?")
SEE_RESIDENTS = _(" See `careops resident list`.")
SEE_CONTACTS = _(" See `careops contact list`.")
AMBIGUOUS_PARTY = _(
    "{ref!r} matches {count} records: {listing}. Give the id (e.g. #{id}) or the unit."
)
LISTED = _("#{id} {name}")
LISTED_WITH_UNIT = _("#{id} {name} ({unit})")
AND_MORE = _(" and {count} more")
AMBIGUOUS_STAFF = _("{ref!r} matches {count} staff: {listing}. Give the id (e.g. #{id}).")
LISTED_STAFF = _("#{id} {name} ({role})")
NO_STAFF = _(
    "no staff member matches {ref!r}. See `careops staff list`, or add them with `careops staff add`."
)
AMBIGUOUS_ZONE = _("{ref!r} matches zones {listing}. Give the id.")
NO_ZONE = _(
    "no zone named {ref!r}. See `careops zone list`, or add it with `careops zone add {name}`."
)


def resolve_party(
    conn: Connection, ref: str, *, kind: str | None = None, include_void: bool = False
) -> Record:
    """REF is `#id`, an id, a unit or a name (or, when nothing is exactly that, the name in pinyin or initials:
    zhangsan, zs); households and contacts alike unless `kind` says.

    With `include_void`, a voided record is found when no live one matches (for its history)."""
    text = ref.strip()
    no_match = {"household": NO_RESIDENT, "contact": NO_CONTACT}.get(kind or "", NO_PARTY)
    conds: list[ColumnElement[bool]] = [party.c.voided_at.is_(None)]
    if kind:
        conds.append(party.c.kind == kind)
    if text.startswith("#") and as_id(text) is not None:
        match = party.c.id == as_id(text)
    else:
        number = as_id(text) if not text.startswith("#") else None
        match = or_(
            party.c.unit == text,
            func.lower(party.c.name) == text.lower(),
            *([party.c.id == number] if number is not None else []),
        )
    key = ref_key(text)
    matches = [
        match,
        *([or_(party.c.name_pinyin == key, party.c.name_initials == key)] if key else []),
    ]
    tries = [
        (m, conds) for m in matches
    ]  # exactly, then in pinyin (zhangsan, zs: 张三); live ones first
    if include_void:
        tries += [(m, [party.c.voided_at.is_not(None), *conds[1:]]) for m in matches]
    rows: Sequence[Record] = []
    for where, among in tries:
        rows = conn.execute(_party_cols().where(where, *among).order_by(party.c.id)).all()
        if rows:
            break
    if len(rows) == 1:
        return rows[0]
    if rows:
        raise Ambiguous(
            AMBIGUOUS_PARTY.format(ref=ref, count=len(rows), listing=_listing(rows), id=rows[0].id)
        )
    near = conn.execute(
        _party_cols()
        .where(or_(party.c.name.ilike(f"%{text}%"), party.c.unit.ilike(f"%{text}%")), *conds)
        .order_by(party.c.id)
        .limit(MAX_LISTED)
    ).all()
    hint = (
        DID_YOU_MEAN.format(listing=_listing(near))
        if near
        else SEE_CONTACTS
        if kind == "contact"
        else SEE_RESIDENTS
    )
    raise NotFound(no_match.format(ref=ref, hint=hint))


def _party_cols() -> Select[*tuple[Any, ...]]:
    return select(
        party.c.id,
        party.c.kind,
        party.c.name,
        party.c.unit,
        party.c.zone_id,
        party.c.status,
        party.c.contact_kind,
        party.c.phone,
        party.c.moved_in,
        party.c.status_since,
    )


def _listing(rows: Sequence[Record]) -> str:
    shown = ", ".join(_listed(r) for r in rows[:MAX_LISTED])
    return shown + (AND_MORE.format(count=len(rows) - MAX_LISTED) if len(rows) > MAX_LISTED else "")


def _listed(row: Record) -> str:
    unit = getattr(row, "unit", None)
    return (
        LISTED_WITH_UNIT.format(id=row.id, name=row.name, unit=unit)
        if unit
        else LISTED.format(id=row.id, name=row.name)
    )


def resolve_staff(conn: Connection, ref: str) -> Record:
    """REF is `#id`, an id, a name, or the name in pinyin or initials when no name is exactly that."""
    text = ref.strip().removeprefix("#")
    match = func.lower(staff.c.name) == text.lower()
    if as_id(text) is not None:
        match = or_(match, staff.c.id == as_id(text))
    rows = _staff(conn, match)
    key = ref_key(text)
    if not rows and key:  # wangxiuying, wxy: 王秀英
        rows = _staff(conn, or_(staff.c.name_pinyin == key, staff.c.name_initials == key))
    if len(rows) == 1:
        return rows[0]
    if rows:
        listing = ", ".join(
            LISTED_STAFF.format(id=r.id, name=r.name, role=r.role) for r in rows[:MAX_LISTED]
        )
        raise Ambiguous(
            AMBIGUOUS_STAFF.format(ref=ref, count=len(rows), listing=listing, id=rows[0].id)
        )
    raise NotFound(NO_STAFF.format(ref=ref))


def _staff(conn: Connection, match: ColumnElement[bool]) -> Sequence[Record]:
    return conn.execute(
        select(staff.c.id, staff.c.name, staff.c.role, staff.c.dept)
        .where(match)
        .order_by(staff.c.id)
    ).all()


def staff_name(conn: Connection, staff_id: int | None) -> str | None:
    """The name of a staff member known by id (None for none)."""
    if staff_id is None:
        return None
    return conn.execute(select(staff.c.name).where(staff.c.id == staff_id)).scalar()


def resolve_zone(conn: Connection, ref: str) -> Record:
    text = ref.strip()
    match = func.lower(zone.c.name) == text.lower()
    if as_id(text) is not None:
        match = or_(match, zone.c.id == as_id(text))
    rows = conn.execute(
        select(zone.c.id, zone.c.name, zone.c.butler_id).where(match).order_by(zone.c.id)
    ).all()
    if len(rows) == 1:
        return rows[0]
    if rows:
        listing = ", ".join(LISTED.format(id=r.id, name=r.name) for r in rows)
        raise Ambiguous(AMBIGUOUS_ZONE.format(ref=ref, listing=listing))
    raise NotFound(NO_ZONE.format(ref=ref, name=text))


def viewer_of(conn: Connection, as_staff: str | None) -> Record | None:
    """Who is looking: `--as STAFF` (must be a staff member), else the staff member named CAREOPS_USER, else None."""
    import os

    if as_staff:
        return resolve_staff(conn, as_staff)
    name = (os.environ.get("CAREOPS_USER") or "").strip()
    if not name:
        return None
    rows = conn.execute(
        select(staff.c.id, staff.c.name, staff.c.role, staff.c.dept)
        .where(func.lower(staff.c.name) == name.lower())
        .limit(2)
    ).all()
    return rows[0] if len(rows) == 1 else None


def live_row(
    conn: Connection,
    table: Table,
    record_id: int,
    *,
    missing: Text,
    void: Text,
    lock: bool = False,
) -> Record:
    """A record of `table` by id that is not void (locked for the update when asked): NotFound with `missing`
    when there is none (ids beyond the integer columns included), Conflict with `void` when it is void. The
    messages take {id} and {reason}."""
    if not 0 < record_id <= MAX_ID:
        raise NotFound(missing.format(id=record_id))
    query = select(table).where(table.c.id == record_id)
    row = conn.execute(query.with_for_update() if lock else query).first()
    if row is None:
        raise NotFound(missing.format(id=record_id))
    if row.voided_at is not None:
        raise Conflict(void.format(id=record_id, reason=row.void_reason))
    return row

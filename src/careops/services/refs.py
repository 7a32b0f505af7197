"""Resolve what a person types (an id, a unit, a name) to one record, or say why not."""

from __future__ import annotations

from sqlalchemy import Connection, func, or_, select

from careops.errors import Ambiguous, NotFound
from careops.scheduler.tables import party, staff, zone

MAX_LISTED = 8


def resolve_party(conn: Connection, ref: str, *, kind: str | None = None) -> object:
    """REF is `#id`, an id, a unit or a name; households and contacts alike unless `kind` says."""
    text = ref.strip()
    noun = {"household": "resident", "contact": "contact"}.get(kind or "", "resident or contact")
    conds = [party.c.voided_at.is_(None)]
    if kind:
        conds.append(party.c.kind == kind)
    if text.startswith("#") and text[1:].isdigit():
        match = party.c.id == int(text[1:])
    else:
        match = or_(party.c.unit == text, func.lower(party.c.name) == text.lower(),
                    *( [party.c.id == int(text)] if text.isdigit() else []))
    rows = conn.execute(_party_cols().where(match, *conds).order_by(party.c.id)).all()
    if len(rows) == 1:
        return rows[0]
    if rows:
        raise Ambiguous(f"{ref!r} matches {len(rows)} records: {_listing(rows)}. Give the id (e.g. #{rows[0].id}) or the unit.")
    near = conn.execute(_party_cols().where(
        or_(party.c.name.ilike(f"%{text}%"), party.c.unit.ilike(f"%{text}%")), *conds).order_by(party.c.id).limit(MAX_LISTED)).all()
    hint = f" Did you mean: {_listing(near)}?" if near else f" See `careops {'contact' if kind == 'contact' else 'resident'} list`."
    raise NotFound(f"no {noun} matches {ref!r}.{hint}")


def _party_cols():
    return select(party.c.id, party.c.kind, party.c.name, party.c.unit, party.c.zone_id, party.c.status,
                  party.c.contact_kind, party.c.phone, party.c.moved_in, party.c.status_since)


def _listing(rows) -> str:
    shown = ", ".join(f"#{r.id} {r.name}" + (f" ({r.unit})" if getattr(r, "unit", None) else "") for r in rows[:MAX_LISTED])
    return shown + (f" and {len(rows) - MAX_LISTED} more" if len(rows) > MAX_LISTED else "")


def resolve_staff(conn: Connection, ref: str) -> object:
    text = ref.strip().removeprefix("#")
    match = func.lower(staff.c.name) == text.lower()
    if text.isdigit():
        match = or_(match, staff.c.id == int(text))
    rows = conn.execute(select(staff.c.id, staff.c.name, staff.c.role, staff.c.dept).where(match).order_by(staff.c.id)).all()
    if len(rows) == 1:
        return rows[0]
    if rows:
        listing = ", ".join(f"#{r.id} {r.name} ({r.role})" for r in rows[:MAX_LISTED])
        raise Ambiguous(f"{ref!r} matches {len(rows)} staff: {listing}. Give the id (e.g. #{rows[0].id}).")
    raise NotFound(f"no staff member matches {ref!r}. See `careops staff list`, or add them with `careops staff add`.")


def resolve_zone(conn: Connection, ref: str) -> object:
    text = ref.strip()
    match = func.lower(zone.c.name) == text.lower()
    if text.removeprefix("#").isdigit():
        match = or_(match, zone.c.id == int(text.removeprefix("#")))
    rows = conn.execute(select(zone.c.id, zone.c.name, zone.c.butler_id).where(match).order_by(zone.c.id)).all()
    if len(rows) == 1:
        return rows[0]
    if rows:
        raise Ambiguous(f"{ref!r} matches zones {', '.join(f'#{r.id} {r.name}' for r in rows)}. Give the id.")
    raise NotFound(f"no zone named {ref!r}. See `careops zone list`, or add it with `careops zone add {text}`.")

"""Void: a wrong record is marked void with its reason, never deleted; everything derived ignores it.

Voiding a visit also undoes what it settled: a callback it closed is reopened (or closed by the
next reached contact that still stands), and a callback it created is cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlmodel import Session

from careops.clock import Clock
from careops.errors import Conflict, InvalidInput, NotFound
from careops.scheduler.tables import obligation, party, visit
from careops.services.audit import note

KINDS = ("visit", "household", "contact")
ALIASES = {"resident": "household", "visits": "visit"}

# What this module says to people (one place, ready for translation).
NEED_REASON = "say why with --reason: a void keeps the record and its reason for the audit."
UNKNOWN_KIND = "cannot void a {kind!r}: careops voids {kinds}."
NO_RECORD = "there is no {kind} #{id}. See `careops visit list` or `careops resident list`."
ALREADY_VOID = "{kind} #{id} is void already ({reason})."
AUDIT_VOIDED = "{kind} #{id} voided"


@dataclass
class VoidResult:
    kind: str
    id: int
    reopened: list[int] = field(default_factory=list)  # callbacks the visit had closed
    cancelled: list[int] = field(default_factory=list)  # callbacks the record had created or owed


def void(*, session: Session, clock: Clock, kind: str, record_id: int, reason: str) -> VoidResult:
    kind = ALIASES.get(kind.strip().lower(), kind.strip().lower())
    if kind not in KINDS:
        raise InvalidInput(UNKNOWN_KIND.format(kind=kind, kinds=", ".join(KINDS)))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(NEED_REASON)
    table = visit if kind == "visit" else party
    conds = [table.c.id == record_id] + ([] if kind == "visit" else [party.c.kind == kind])
    conn = session.connection()
    row = conn.execute(select(table.c.voided_at, table.c.void_reason, *_party_col(table)).where(*conds)).first()
    if row is None:
        raise NotFound(NO_RECORD.format(kind=kind, id=record_id))
    if row.voided_at is not None:
        raise Conflict(ALREADY_VOID.format(kind=kind, id=record_id, reason=row.void_reason))
    done = conn.execute(update(table).where(*conds, table.c.voided_at.is_(None))
                        .values(voided_at=clock.now_utc, void_reason=reason))
    if done.rowcount != 1:  # someone else voided it between our read and our write: no double step
        raise Conflict(ALREADY_VOID.format(kind=kind, id=record_id, reason=reason))
    result = VoidResult(kind, record_id)
    if kind == "visit":
        _undo_visit(conn, record_id, result, reason)
    else:
        result.cancelled = _cancel(conn, obligation.c.party_id == record_id, reason)
    note(session, clock, action="void", kind=kind, record_id=record_id, party_id=row.party_id, reason=reason,
         detail=AUDIT_VOIDED.format(kind=kind, id=record_id))
    return result


def _party_col(table):
    return [(table.c.party_id if table is visit else table.c.id).label("party_id")]


def _undo_visit(conn, visit_id: int, result: VoidResult, reason: str) -> None:
    result.cancelled = _cancel(conn, obligation.c.source_visit_id == visit_id, reason)
    closed = conn.execute(select(obligation.c.id, obligation.c.party_id, obligation.c.source_visit_id)
                          .where(obligation.c.done_visit_id == visit_id)).all()
    for callback in closed:  # a handful at most: the callbacks one contact settled
        source_at = select(visit.c.at).where(visit.c.id == callback.source_visit_id).scalar_subquery()
        nxt = conn.execute(select(visit.c.id, visit.c.at).where(
            visit.c.party_id == callback.party_id, visit.c.outcome == "reached", visit.c.voided_at.is_(None),
            visit.c.at >= source_at).order_by(visit.c.at, visit.c.id).limit(1)).first()
        values = ({"done_visit_id": nxt.id, "done_at": nxt.at} if nxt else {"state": "open", "done_visit_id": None, "done_at": None})
        if nxt is None:
            result.reopened.append(callback.id)
        conn.execute(update(obligation).where(obligation.c.id == callback.id).values(**values))


def _cancel(conn, which, reason: str | None) -> list[int]:
    ids = list(conn.execute(select(obligation.c.id).where(which, obligation.c.state == "open")).scalars())
    if ids:
        conn.execute(update(obligation).where(obligation.c.id.in_(ids)).values(state="cancelled", note=reason))
    return ids

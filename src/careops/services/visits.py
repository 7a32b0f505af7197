"""Logging a visit or call, and what it settles: cadence periods, callbacks (P1–P3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select, update
from sqlmodel import Session

from careops.calendar.callwindows import within_windows
from careops.clock import Clock
from careops.errors import InvalidInput
from careops.models import Obligation, Visit
from careops.policy.models import Policy
from careops.scheduler.satisfied import Satisfied, satisfied_by
from careops.scheduler.tables import obligation, party, staff, visit
from careops.services.audit import note as audit_note
from careops.services.refs import resolve_party, resolve_staff
from careops.vocab import Channel, Outcome

CALLBACK_RULE = "p3-callback"

# What this module says to people (one place, ready for translation).
FUTURE_VISIT = "--at {at:%Y-%m-%d %H:%M} is later than now ({now:%Y-%m-%d %H:%M}); log a visit once it has happened."
CALLBACK_WHEN_REACHED = "--callback goes with --outcome busy (or no-answer): a reached party needs no callback."
CALLBACK_TOO_EARLY = "the callback time {callback:%Y-%m-%d %H:%M} is not after the call itself."
CALL_OUTSIDE_WINDOWS = ("this call at {at:%a %H:%M} is outside the call windows ({clause}: {days} {hours}); "
                        "it is recorded all the same.")
CALLBACK_OUTSIDE_WINDOWS = "the callback at {at:%a %Y-%m-%d %H:%M} is outside the call windows ({clause}: {days} {hours})."
AUDIT_LOGGED = "{channel} visit, {outcome}, {at:%Y-%m-%d %H:%M}, by {by}"


@dataclass
class LogResult:
    visit: Visit
    party: object
    staff: object
    satisfied: list[Satisfied] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)  # callbacks this contact settled
    callback: Obligation | None = None
    warnings: list[str] = field(default_factory=list)


def log_visit(*, session: Session, clock: Clock, policy: Policy, ref: str, by: str, channel: Channel,
              at: datetime | None = None, minutes: int | None = None, outcome: Outcome = Outcome.reached,
              callback: datetime | None = None, note: str | None = None) -> LogResult:
    """`at` and `callback` are naive local times."""
    conn = session.connection()
    who = resolve_party(conn, ref)
    caller = resolve_staff(conn, by)
    at_utc = clock.utc_of_local(at) if at else clock.now_utc
    if at_utc > clock.now_utc:
        raise InvalidInput(FUTURE_VISIT.format(at=at, now=clock.now))
    if callback is not None and outcome == Outcome.reached:
        raise InvalidInput(CALLBACK_WHEN_REACHED)
    callback_utc = clock.utc_of_local(callback) if callback else None
    if callback_utc is not None and callback_utc <= at_utc:
        raise InvalidInput(CALLBACK_TOO_EARLY.format(callback=callback))
    record = Visit(party_id=who.id, staff_id=caller.id, channel=channel.value, at=at_utc, minutes=minutes,
                   outcome=outcome.value, callback_at=callback_utc, note=note or None, created_at=clock.now_utc)
    session.add(record)
    session.flush()
    result = LogResult(visit=record, party=who, staff=caller, warnings=_window_warnings(policy, clock, channel, at_utc, callback_utc))
    if outcome == Outcome.reached:
        result.satisfied = satisfied_by(conn, policy, clock, record)
        result.closed = _close_callbacks(session, record)
    if callback_utc is not None:
        result.callback = Obligation(kind="callback", rule=CALLBACK_RULE, clause=policy.get(CALLBACK_RULE).clause,
                                     party_id=who.id, owner_id=caller.id, due_at=callback_utc,
                                     source_visit_id=record.id, created_at=clock.now_utc)
        session.add(result.callback)
        session.flush()
    audit_note(session, clock, action="log", kind="visit", record_id=record.id, party_id=who.id, staff_id=caller.id,
               detail=AUDIT_LOGGED.format(channel=channel.value, outcome=outcome.value, at=clock.local(at_utc), by=caller.name))
    return result


def _window_warnings(policy: Policy, clock: Clock, channel: Channel, at_utc: datetime, callback_utc: datetime | None) -> list[str]:
    windows = policy.call_windows
    allowed = {"clause": windows.clause, "days": "/".join(d.capitalize() for d in windows.days),
               "hours": ", ".join(windows.windows)}
    warnings = []
    if channel == Channel.phone and not within_windows(windows, clock.local(at_utc)):
        warnings.append(CALL_OUTSIDE_WINDOWS.format(at=clock.local(at_utc), **allowed))
    if callback_utc is not None and not within_windows(windows, clock.local(callback_utc)):
        warnings.append(CALLBACK_OUTSIDE_WINDOWS.format(at=clock.local(callback_utc), **allowed))
    return warnings


def _close_callbacks(session: Session, record: Visit) -> list[int]:
    conn = session.connection()
    source = visit.alias("source")
    open_ids = list(conn.execute(
        select(obligation.c.id).select_from(obligation.join(source, source.c.id == obligation.c.source_visit_id))
        .where(obligation.c.party_id == record.party_id, obligation.c.kind == "callback",
               obligation.c.state == "open", source.c.at <= record.at)).scalars())
    if open_ids:
        conn.execute(update(obligation).where(obligation.c.id.in_(open_ids))
                     .values(state="done", done_visit_id=record.id, done_at=record.at))
    return open_ids


def list_visits(*, session: Session, clock: Clock, ref: str | None = None, staff_ref: str | None = None,
                since: date | None = None) -> list[dict]:
    conn = session.connection()
    conds = [visit.c.voided_at.is_(None), visit.c.at <= clock.now_utc]
    if ref:
        conds.append(visit.c.party_id == resolve_party(conn, ref).id)
    if staff_ref:
        conds.append(visit.c.staff_id == resolve_staff(conn, staff_ref).id)
    if since:
        conds.append(visit.c.at >= clock.day_start_utc(since))
    rows = conn.execute(
        select(visit.c.id, visit.c.at, party.c.name.label("party"), party.c.unit, staff.c.name.label("by"),
               visit.c.channel, visit.c.outcome, visit.c.minutes, visit.c.callback_at, visit.c.note)
        .select_from(visit.join(party, party.c.id == visit.c.party_id).join(staff, staff.c.id == visit.c.staff_id))
        .where(*conds).order_by(visit.c.at.desc(), visit.c.id.desc()))
    return [{**r._mapping, "at": clock.local(r.at), "callback_at": clock.local(r.callback_at)} for r in rows]

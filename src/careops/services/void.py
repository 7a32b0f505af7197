"""Void: a wrong record is marked void with its reason, never deleted; everything derived ignores it.

Voiding a visit also undoes what it settled: a callback it closed is reopened (or closed by the
next reached contact that still stands), a follow-up it satisfied is open again, and a callback it
created (or the feedback it registered) is cancelled. Voiding an event or an activity cancels the
follow-ups it wrote; voiding a register entry cancels its revisit; voiding a rainy day reopens a
leak-repair follow-up that only this rain let a visit settle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, Label, Table, insert, select, update
from sqlmodel import Session

from careops.clock import Clock, parse_date
from careops.errors import Conflict, InvalidInput, NotFound
from careops.i18n import _
from careops.scheduler.tables import (
    appeal,
    appeal_step,
    complaint,
    complaint_step,
    event,
    interview,
    leave_case,
    leave_step,
    obligation,
    party,
    rain_day,
    visit,
)
from careops.services.audit import note
from careops.services.refs import MAX_ID, Record

KINDS = (
    "visit",
    "household",
    "contact",
    "event",
    "activity",
    "complaint",
    "rain",
    "interview",
    "leave",
    "appeal",
    "meeting",
    "action",
    "check",
    "survey",
    "plan",
)
ALIASES = {"resident": "household", "visits": "visit", "feedback": "complaint", "transfer": "leave"}
SEE = {
    "interview": "`careops interview list`",
    "leave": "`careops leave list`",
    "appeal": "`careops appeal list`",
}
OFFICE_SEE = {
    "meeting": "`careops meeting list`",
    "action": "`careops action list`",
    "check": "`careops check list`",
    "survey": "`careops survey list`",
    "plan": "`careops plan show`",
}

# What this module says to people (one place, ready for translation).
NEED_REASON = _("say why with --reason: a void keeps the record and its reason for the audit.")
UNKNOWN_KIND = _("cannot void a {kind!r}: careops voids {kinds}.")
NO_RECORD = _("there is no {kind} #{id}. See `careops visit list` or `careops resident list`.")
NO_EVENT = _(
    "there is no {kind} #{id}: its number was printed when it was recorded, and `careops followup show ID` "
    "names the event of each follow-up."
)
NO_RAIN = _("no rain is recorded on {id}.")
NO_PEOPLE_RECORD = _("there is no {kind} #{id}. See {see}.")
STEP_REOPENED = _("Exit interview of leaving case #{id}")
TRANSFER_EVENT = _("The transfer interview (E2.2) of case #{id}")
DEPT_BACK = _("dept back to {dept} (transfer case #{id} voided)")
ALREADY_VOID = _("{kind} #{id} is void already ({reason}).")
AUDIT_VOIDED = _("{kind} #{id} voided")
LABELS = {
    "callback": _("Callback #{id}"),
    "followup": _("Follow-up #{id}"),
    "task": _("Task #{id}"),
    "action": _("Action item #{id}"),
}
DOOR_VISITS = _("{n} door visits (P4.10)")
AUDIT_VOIDED_NAMED = _("{kind} {label} voided")
ALREADY_VOID_NAMED = _("{kind} {label} is void already ({reason}).")


@dataclass
class VoidResult:
    kind: str
    id: int
    reopened: list[str] = field(
        default_factory=list
    )  # "Callback #3", "Follow-up #7": what the visit had closed
    cancelled: list[str] = field(default_factory=list)  # what the record had created or owed
    label: str | None = None  # a register number, a rainy day


def void(
    *, session: Session, clock: Clock, kind: str, record_id: int | str | date, reason: str
) -> VoidResult:
    """`record_id`: an id; a register number for a complaint; a date for rain."""
    kind = ALIASES.get(kind.strip().lower(), kind.strip().lower())
    if kind not in KINDS:
        raise InvalidInput(UNKNOWN_KIND.format(kind=kind, kinds=", ".join(KINDS)))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(NEED_REASON)
    if kind == "complaint":
        return _void_complaint(session, clock, record_id, reason)
    if kind == "rain":
        return _void_rain(session, clock, record_id, reason)
    assert not isinstance(record_id, date)  # a day is rain's: every other record has an id
    if kind in ("event", "activity"):
        return _void_event(session, clock, kind, record_id, reason)
    if kind in SEE:
        return _void_people(session, clock, kind, record_id, reason)
    if kind in OFFICE_SEE:
        return _void_office(session, clock, kind, record_id, reason)
    assert isinstance(record_id, int)  # a visit's, a household's or a contact's id
    if not 0 < record_id <= MAX_ID:
        raise NotFound(NO_RECORD.format(kind=kind, id=record_id))
    table = visit if kind == "visit" else party
    conds = [table.c.id == record_id] + ([] if kind == "visit" else [party.c.kind == kind])
    conn = session.connection()
    row = conn.execute(
        select(table.c.voided_at, table.c.void_reason, *_party_col(table)).where(*conds)
    ).first()
    if row is None:
        raise NotFound(NO_RECORD.format(kind=kind, id=record_id))
    if row.voided_at is not None:
        raise Conflict(ALREADY_VOID.format(kind=kind, id=record_id, reason=row.void_reason))
    done = conn.execute(
        update(table)
        .where(*conds, table.c.voided_at.is_(None))
        .values(voided_at=clock.now_utc, void_reason=reason)
    )
    if done.rowcount != 1:  # someone else voided it between our read and our write: no double step
        raise Conflict(ALREADY_VOID.format(kind=kind, id=record_id, reason=reason))
    result = VoidResult(kind, record_id)
    if kind == "visit":
        _undo_visit(session, record_id, result, reason, clock)
    else:
        result.cancelled = _cancel(conn, obligation.c.party_id == record_id, reason, clock)
    note(
        session,
        clock,
        action="void",
        kind=kind,
        record_id=record_id,
        party_id=row.party_id,
        reason=reason,
        detail=AUDIT_VOIDED.format(kind=kind, id=record_id),
    )
    return result


def _party_col(table: Table) -> list[Label[Any]]:
    return [(table.c.party_id if table is visit else table.c.id).label("party_id")]


def _undo_visit(
    session: Session, visit_id: int, result: VoidResult, reason: str, clock: Clock
) -> None:
    conn = session.connection()
    result.cancelled = _cancel(conn, obligation.c.source_visit_id == visit_id, reason, clock)
    feedback = list(
        conn.execute(
            select(complaint.c.id).where(
                complaint.c.source_visit_id == visit_id, complaint.c.voided_at.is_(None)
            )
        ).scalars()
    )
    for matter in feedback:  # what was raised on a visit that did not happen was not raised
        conn.execute(
            update(complaint)
            .where(complaint.c.id == matter)
            .values(voided_at=clock.now_utc, void_reason=reason)
        )
        result.cancelled += _cancel(conn, obligation.c.complaint_id == matter, reason, clock)
    settled = conn.execute(
        select(obligation.c.id, obligation.c.complaint_id, obligation.c.verdict).where(
            obligation.c.done_visit_id == visit_id, obligation.c.kind != "callback"
        )
    ).all()
    followups = [r.id for r in settled]
    for row in settled:
        if row.complaint_id is not None and row.verdict is not None:
            from careops.services.register import undo_verdict

            undo_verdict(session, clock, row.complaint_id, visit_id, reason)
    if (
        followups
    ):  # named by the visit (--for, --purpose): open again, for a visit that really happens
        conn.execute(
            update(obligation)
            .where(obligation.c.id.in_(followups))
            .values(state="open", done_visit_id=None, done_at=None, verdict=None)
        )
        result.reopened += [LABELS["followup"].format(id=i) for i in followups]
    closed = conn.execute(
        select(obligation.c.id, obligation.c.party_id, obligation.c.source_visit_id).where(
            obligation.c.done_visit_id == visit_id, obligation.c.kind == "callback"
        )
    ).all()
    for callback in closed:  # a handful at most: the callbacks one contact settled
        source_at = (
            select(visit.c.at).where(visit.c.id == callback.source_visit_id).scalar_subquery()
        )
        nxt = conn.execute(
            select(visit.c.id, visit.c.at)
            .where(
                visit.c.party_id == callback.party_id,
                visit.c.outcome == "reached",
                visit.c.voided_at.is_(None),
                visit.c.at >= source_at,
            )
            .order_by(visit.c.at, visit.c.id)
            .limit(1)
        ).first()
        values = (
            {"done_visit_id": nxt.id, "done_at": nxt.at}
            if nxt
            else {"state": "open", "done_visit_id": None, "done_at": None}
        )
        if nxt is None:
            result.reopened.append(LABELS["callback"].format(id=callback.id))
        conn.execute(update(obligation).where(obligation.c.id == callback.id).values(**values))


def _cancel(
    conn: Connection, which: ColumnElement[bool], reason: str | None, clock: Clock
) -> list[str]:
    rows = conn.execute(
        select(obligation.c.id, obligation.c.kind)
        .where(which, obligation.c.state == "open")
        .order_by(obligation.c.id)
    ).all()
    if rows:
        conn.execute(
            update(obligation)
            .where(which, obligation.c.state == "open")
            .values(state="cancelled", note=reason, cancelled_at=clock.now_utc)
        )
    return [LABELS.get(r.kind, LABELS["followup"]).format(id=r.id) for r in rows]


def _void_event(
    session: Session, clock: Clock, kind: str, record_id: int | str, reason: str
) -> VoidResult:
    conn = session.connection()
    if not 0 < int(record_id) <= MAX_ID:
        raise NotFound(NO_EVENT.format(kind=kind, id=record_id))
    is_activity = event.c.kind == "activity"
    conds = [event.c.id == int(record_id), is_activity if kind == "activity" else ~is_activity]
    row = conn.execute(
        select(event.c.voided_at, event.c.void_reason, event.c.party_id, event.c.staff_id).where(
            *conds
        )
    ).first()
    if row is None:
        raise NotFound(NO_EVENT.format(kind=kind, id=record_id))
    _not_void_yet(conn, event, conds, row, kind, f"#{record_id}", reason, clock)
    result = VoidResult(kind, int(record_id))
    result.cancelled = _cancel(conn, obligation.c.event_id == int(record_id), reason, clock)
    note(
        session,
        clock,
        action="void",
        kind=kind,
        record_id=int(record_id),
        party_id=row.party_id,
        reason=reason,
        staff_id=row.staff_id,
        detail=AUDIT_VOIDED.format(kind=kind, id=record_id),
    )
    return result


def _void_complaint(
    session: Session, clock: Clock, record_id: int | str | date, reason: str
) -> VoidResult:
    from careops.services.register import resolve_number

    conn = session.connection()
    row = resolve_number(conn, str(record_id), lock=True)  # refuses one that is void already
    conds = [complaint.c.id == row.id]
    _not_void_yet(conn, complaint, conds, row, "complaint", row.number, reason, clock)
    result = VoidResult("complaint", row.id, label=row.number)
    from careops.services.audit import actor_of

    actor = actor_of(session)
    conn.execute(
        insert(complaint_step).values(
            complaint_id=row.id,
            action="void",
            at=clock.now_utc,
            actor=actor.name,
            actor_staff_id=actor.staff_id,
            note=reason,
        )
    )
    result.cancelled = _cancel(conn, obligation.c.complaint_id == row.id, reason, clock)
    note(
        session,
        clock,
        action="void",
        kind="complaint",
        record_id=row.id,
        party_id=row.party_id,
        reason=reason,
        detail=AUDIT_VOIDED_NAMED.format(kind="complaint", label=row.number),
    )
    return result


def _void_rain(
    session: Session, clock: Clock, record_id: int | str | date, reason: str
) -> VoidResult:
    try:
        day = record_id if isinstance(record_id, date) else parse_date(str(record_id))
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    conn = session.connection()
    conds = [rain_day.c.day == day]
    row = conn.execute(select(rain_day.c.voided_at, rain_day.c.void_reason).where(*conds)).first()
    if row is None:
        raise NotFound(NO_RAIN.format(id=day))
    _not_void_yet(conn, rain_day, conds, row, "rain", day, reason, clock)
    note(
        session,
        clock,
        action="void",
        kind="rain",
        reason=reason,
        detail=AUDIT_VOIDED_NAMED.format(kind="rain", label=day),
    )
    return VoidResult("rain", 0, reopened=_reopen_before_rain(conn, clock, day), label=str(day))


def _reopen_before_rain(conn: Connection, clock: Clock, day: date) -> list[str]:
    """Leak-repair follow-ups (P4.4) that a visit settled once this day's rain had opened them: open again
    where no other rainy day falls after the repair and by the visit's day (a visit before the first rain
    does not count)."""
    settled = conn.execute(
        select(obligation.c.id, obligation.c.after_day, obligation.c.done_at).where(
            obligation.c.waiting_for == "rain",
            obligation.c.state == "done",
            obligation.c.after_day < day,
            obligation.c.done_at >= clock.day_start_utc(day),
        )
    ).all()
    again = [
        r.id
        for r in settled
        if conn.execute(
            select(rain_day.c.day)
            .where(
                rain_day.c.day > r.after_day,
                rain_day.c.day <= clock.local_date(r.done_at),
                rain_day.c.voided_at.is_(None),
            )
            .limit(1)
        ).first()
        is None
    ]
    if again:
        conn.execute(
            update(obligation)
            .where(obligation.c.id.in_(again))
            .values(state="open", done_visit_id=None, done_at=None)
        )
    return [LABELS["followup"].format(id=i) for i in again]


def _not_void_yet(
    conn: Connection,
    table: Table,
    conds: Sequence[ColumnElement[bool]],
    row: Record,
    kind: str,
    label: str | date,
    reason: str,
    clock: Clock,
) -> None:
    if row.voided_at is not None:
        raise Conflict(
            ALREADY_VOID_NAMED.format(
                kind=kind, label=label, reason=(row.void_reason or "").rstrip(".。")
            )
        )
    done = conn.execute(
        update(table)
        .where(*conds, table.c.voided_at.is_(None))
        .values(voided_at=clock.now_utc, void_reason=reason)
    )
    if done.rowcount != 1:
        raise Conflict(ALREADY_VOID_NAMED.format(kind=kind, label=label, reason=reason))


def _void_people(
    session: Session, clock: Clock, kind: str, record_id: int | str, reason: str
) -> VoidResult:
    """An interview, a leaving or transfer case, an appeal: what they settled or owed follows from the void
    (the scheduler ignores void records); an exit interview's step of an open case is open again."""
    from careops.services.audit import actor_of

    table = {"interview": interview, "leave": leave_case, "appeal": appeal}[kind]
    if not 0 < int(record_id) <= MAX_ID:
        raise NotFound(NO_PEOPLE_RECORD.format(kind=kind, id=record_id, see=SEE[kind]))
    conn = session.connection()
    conds = [table.c.id == int(record_id)]
    row = conn.execute(
        select(table.c.voided_at, table.c.void_reason, table.c.staff_id).where(*conds)
    ).first()
    if row is None:
        raise NotFound(NO_PEOPLE_RECORD.format(kind=kind, id=record_id, see=SEE[kind]))
    _not_void_yet(conn, table, conds, row, kind, f"#{record_id}", reason, clock)
    result = VoidResult(kind, int(record_id))
    if kind == "leave":
        result.kind = _undo_transfer(session, clock, int(record_id), reason, result)
    if kind == "interview":
        ticked = (
            conn.execute(
                select(leave_step.c.case_id)
                .select_from(leave_step.join(leave_case, leave_case.c.id == leave_step.c.case_id))
                .where(leave_step.c.interview_id == int(record_id), leave_case.c.state == "open")
            )
            .scalars()
            .all()
        )
        for case_id in (
            ticked
        ):  # another exit interview of the same case still stands: the step stays done by it
            other = conn.execute(
                select(interview.c.id, interview.c.created_at, interview.c.by_id)
                .where(
                    interview.c.leave_id == case_id,
                    interview.c.kind == "exit",
                    interview.c.voided_at.is_(None),
                )
                .order_by(interview.c.at, interview.c.id)
                .limit(1)
            ).first()
            values = (
                {"interview_id": other.id, "done_at": other.created_at}
                if other
                else {"done_at": None, "actor": None, "actor_staff_id": None, "interview_id": None}
            )
            conn.execute(
                update(leave_step)
                .where(leave_step.c.case_id == case_id, leave_step.c.interview_id == int(record_id))
                .values(**values)
            )
            if other is None:
                result.reopened.append(STEP_REOPENED.format(id=case_id))
    if kind == "appeal":
        actor = actor_of(session)
        current = conn.execute(select(appeal.c.round).where(*conds)).scalar()
        conn.execute(
            insert(appeal_step).values(
                appeal_id=int(record_id),
                round=current,
                action="void",
                at=clock.now_utc,
                actor=actor.name,
                actor_staff_id=actor.staff_id,
                note=reason,
            )
        )
    note(
        session,
        clock,
        action="void",
        kind=result.kind,
        record_id=int(record_id),
        reason=reason,
        staff_id=None if kind == "appeal" else row.staff_id,  # an appeal's audit names nobody
        detail=AUDIT_VOIDED.format(kind=result.kind, id=record_id),
    )
    return result


def _undo_transfer(
    session: Session, clock: Clock, case_id: int, reason: str, result: VoidResult
) -> str:
    """A transfer that did not happen: its E2.2 transfer event is void too, and a department changed by it goes back."""
    from careops.scheduler.tables import staff

    conn = session.connection()
    case = conn.execute(select(leave_case).where(leave_case.c.id == case_id)).one()
    if case.kind != "transfer":
        return "leave"
    events = conn.execute(
        update(event)
        .where(
            event.c.staff_id == case.staff_id,
            event.c.kind == "transfer",
            event.c.note.like(f"% (case #{case_id})"),
            event.c.voided_at.is_(None),
        )
        .values(voided_at=clock.now_utc, void_reason=reason)
    )
    if events.rowcount:
        result.cancelled.append(TRANSFER_EVENT.format(id=case_id))
    if case.state == "done":
        moved = conn.execute(
            update(staff)
            .where(staff.c.id == case.staff_id, staff.c.dept == case.to_dept)
            .values(dept=case.from_dept)
        )
        if moved.rowcount:
            note(
                session,
                clock,
                action="edit",
                kind="staff",
                record_id=case.staff_id,
                staff_id=case.staff_id,
                reason=reason,
                detail=DEPT_BACK.format(dept=case.from_dept or "-", id=case_id),
            )
    return "transfer"


def _void_office(
    session: Session, clock: Clock, kind: str, record_id: int | str, reason: str
) -> VoidResult:
    """A meeting (its open action items with it), an action item, a disclosure check (its open action item with
    it), a survey (a residents' survey's door visits are cancelled; its answers stay, unread), a visit plan (`due`
    goes back to the daily share)."""
    from careops.scheduler.tables import action_item, disclosure_check, meeting, survey, visit_plan

    table = {
        "meeting": meeting,
        "action": action_item,
        "check": disclosure_check,
        "survey": survey,
        "plan": visit_plan,
    }[kind]
    if not 0 < int(record_id) <= MAX_ID:
        raise NotFound(NO_PEOPLE_RECORD.format(kind=kind, id=record_id, see=OFFICE_SEE[kind]))
    conn = session.connection()
    conds = [table.c.id == int(record_id)]
    row = conn.execute(select(table).where(*conds).with_for_update()).first()
    if row is None:
        raise NotFound(NO_PEOPLE_RECORD.format(kind=kind, id=record_id, see=OFFICE_SEE[kind]))
    _not_void_yet(conn, table, conds, row, kind, f"#{record_id}", reason, clock)
    result = VoidResult(kind, int(record_id))
    derived = {"meeting": action_item.c.meeting_id, "check": action_item.c.check_id}.get(kind)
    if derived is not None:
        which = [
            derived == int(record_id),
            action_item.c.state == "open",
            action_item.c.voided_at.is_(None),
        ]
        ids = (
            conn.execute(
                select(action_item.c.id).where(*which).order_by(action_item.c.id).with_for_update()
            )
            .scalars()
            .all()
        )
        if ids:
            conn.execute(
                update(action_item)
                .where(action_item.c.id.in_(ids))
                .values(voided_at=clock.now_utc, void_reason=reason)
            )
            result.cancelled += [LABELS["action"].format(id=i) for i in ids]
    if kind == "survey" and row.event_id is not None:
        conn.execute(
            update(event)
            .where(event.c.id == row.event_id, event.c.voided_at.is_(None))
            .values(voided_at=clock.now_utc, void_reason=reason)
        )
        cancelled = _cancel(conn, obligation.c.event_id == row.event_id, reason, clock)
        if cancelled:
            result.cancelled.append(DOOR_VISITS.format(n=len(cancelled)))
    note(
        session,
        clock,
        action="void",
        kind=kind,
        record_id=int(record_id),
        reason=reason,
        staff_id=getattr(row, "owner_id", getattr(row, "staff_id", None)),
        detail=AUDIT_VOIDED.format(kind=kind, id=record_id),
    )
    return result

"""Leaving and internal transfers (E1.2, E1.3): a case with its checklist, each step done once, in order.

A leaving case's steps: handover, exit-interview (ticked by `interview log --kind exit`),
audit (only when the employee holds a key position), final-pay — refused until every
earlier step is done. A transfer has the handover step; when it is done the employee's
department changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, insert, or_, select, update
from sqlmodel import Session

from careops.clock import Clock
from careops.errors import Conflict, InvalidInput, NotFound
from careops.i18n import Text, _
from careops.policy.models import Policy
from careops.scheduler.people import STEP_ORDER, step_done
from careops.scheduler.shapes.leave_step import exit_side
from careops.scheduler.tables import event, interview, leave_case, leave_step, staff
from careops.services.audit import actor_of, note
from careops.services.depts import ensure_dept
from careops.services.refs import MAX_ID, Record, resolve_staff, staff_name
from careops.shell import arg
from careops.vocab import ExitBy, LeaveStep

# What this module says to people (one place, ready for translation).
ALREADY_LEAVING = _(
    "{name} already has an open {kind} case (#{id}, last day {day}): see `careops leave show {id}`."
)
ALREADY_LEFT = _("{name} left on {day} (case #{id}).")
LEAVING_DONE = _(
    "{name}'s leaving procedure is complete (case #{id}, last day {day}); if the date changed, void the "
    "case (`careops void leave {id} --reason TEXT`) and start again."
)
BEFORE_HIRED = _("--last-day {day} is before {name} was hired ({hired}).")
NO_CASE = _("there is no leaving or transfer case #{id}. See `careops leave list`.")
CASE_VOID = _("case #{id} is void ({reason}).")
NOT_A_STEP = _("case #{id} has no {step} step{why}. Its steps: {steps}.")
NOT_KEY = _(" ({name} holds no key position, so no departure audit)")
TRANSFER_ONLY = _(" (a transfer hands over the work only)")
EXIT_BY_INTERVIEW = _(
    "the exit interview is recorded with its notes: `careops interview log {name} --kind exit --by STAFF "
    "--minutes N --note TEXT` (it ticks this step)."
)
STEP_DONE = _("step {step} of case #{id} is done already ({at:%Y-%m-%d %H:%M}, {actor}).")
CASE_DONE = _("case #{id} is complete already.")
WAITS_FOR = _(
    "final pay is released only once every earlier step is done (E1.2); still open: {open}."
)
SAME_DEPT = _("{name} is in {dept} already.")
NO_DEPT = _("say which department with --to-dept.")
EXIT_BY_ON_TRANSFER = _("--exit-interview-by is for leaving, not transfers.")
AUDIT_START = _("{kind} case #{id} for {name}: last day {day}; steps {steps}")
AUDIT_STEP = _("case #{id}: {step} done")
AUDIT_TRANSFERRED = _("{name}: dept {before} → {after} (transfer case #{id})")


@dataclass
class Started:
    id: int
    kind: str
    name: str
    last_day: date
    steps: list[str]
    exit_by: str | None
    manager: str | None
    event_id: int | None = None  # a transfer records the E2.2 transfer event
    to_dept: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Stepped:
    id: int
    step: str
    name: str
    complete: bool
    remaining: list[str]
    dept_change: tuple[str | None, str] | None = None


def start_leave(
    *,
    session: Session,
    clock: Clock,
    policy: Policy,
    employee: str,
    last_day: date,
    reason: str | None = None,
    exit_by: ExitBy | None = None,
) -> Started:
    conn = session.connection()
    person = _person(conn, employee, clock)
    if person.hired and last_day < person.hired:
        raise InvalidInput(BEFORE_HIRED.format(day=last_day, name=person.name, hired=person.hired))
    steps = (
        ["handover", "exit-interview"] + (["audit"] if person.key_position else []) + ["final-pay"]
    )
    chosen = (
        exit_by.value if exit_by else exit_side(policy.first("leave-step", step="exit-interview"))
    )
    case_id = _open(
        session,
        clock,
        person,
        kind="leave",
        last_day=last_day,
        reason=reason,
        exit_by=chosen,
        steps=steps,
    )
    return Started(
        case_id,
        "leave",
        person.name,
        last_day,
        steps,
        chosen,
        staff_name(conn, person.reports_to_id),
    )


def start_transfer(
    *,
    session: Session,
    clock: Clock,
    employee: str,
    to_dept: str,
    on: date | None = None,
    reason: str | None = None,
) -> Started:
    conn = session.connection()
    to_dept = (to_dept or "").strip()
    if not to_dept:
        raise InvalidInput(NO_DEPT)
    person = _person(conn, employee, clock)
    if (person.dept or "").lower() == to_dept.lower():
        raise InvalidInput(SAME_DEPT.format(name=person.name, dept=person.dept))
    dept = ensure_dept(session, clock, to_dept)
    day = on or clock.today
    case_id = _open(
        session,
        clock,
        person,
        kind="transfer",
        last_day=day,
        reason=reason,
        exit_by=None,
        steps=["handover"],
        to_dept=dept,
    )
    # A change of post calls for a work interview (E2.2): the transfer is that event.
    event_id = conn.execute(
        insert(event)
        .values(
            staff_id=person.id,
            kind="transfer",
            at=clock.now_utc,
            on_day=clock.today,
            note=f"to {dept} (case #{case_id})",
            created_at=clock.now_utc,
        )
        .returning(event.c.id)
    ).scalar_one()
    return Started(
        case_id,
        "transfer",
        person.name,
        day,
        ["handover"],
        None,
        staff_name(conn, person.reports_to_id),
        event_id=event_id,
        to_dept=dept,
    )


def _person(conn: Connection, employee: str, clock: Clock) -> Record:
    found = resolve_staff(conn, employee)
    person = conn.execute(select(staff).where(staff.c.id == found.id).with_for_update()).one()
    open_case = conn.execute(
        select(leave_case.c.id, leave_case.c.kind, leave_case.c.last_day).where(
            leave_case.c.staff_id == person.id,
            leave_case.c.voided_at.is_(None),
            leave_case.c.state == "open",
        )
    ).first()
    if open_case:
        raise Conflict(
            ALREADY_LEAVING.format(
                name=person.name, kind=open_case.kind, id=open_case.id, day=open_case.last_day
            )
        )
    gone = conn.execute(
        select(leave_case.c.id, leave_case.c.last_day, leave_case.c.state).where(
            leave_case.c.staff_id == person.id,
            leave_case.c.voided_at.is_(None),
            leave_case.c.kind == "leave",
            or_(leave_case.c.last_day < clock.today, leave_case.c.state == "done"),
        )
    ).first()
    if gone and gone.last_day < clock.today:
        raise Conflict(ALREADY_LEFT.format(name=person.name, day=gone.last_day, id=gone.id))
    if gone:
        raise Conflict(LEAVING_DONE.format(name=person.name, day=gone.last_day, id=gone.id))
    return person


def _open(
    session: Session,
    clock: Clock,
    person: Record,
    *,
    kind: str,
    last_day: date,
    reason: str | None,
    exit_by: str | None,
    steps: list[str],
    to_dept: str | None = None,
) -> int:
    conn = session.connection()
    case_id: int = conn.execute(
        insert(leave_case)
        .values(
            staff_id=person.id,
            kind=kind,
            last_day=last_day,
            reason=(reason or "").strip() or None,
            exit_by=exit_by,
            key_position=bool(person.key_position),
            from_dept=person.dept,
            to_dept=to_dept,
            manager_id=person.reports_to_id,
            state="open",
            opened_at=clock.now_utc,
            created_at=clock.now_utc,
        )
        .returning(leave_case.c.id)
    ).scalar_one()
    conn.execute(
        insert(leave_step),
        [{"case_id": case_id, "step": s, "position": STEP_ORDER.index(s)} for s in steps],
    )
    note(
        session,
        clock,
        action="start",
        kind=kind,
        record_id=case_id,
        staff_id=person.id,
        detail=AUDIT_START.format(
            kind=kind, id=case_id, name=person.name, day=last_day, steps=", ".join(steps)
        ),
    )
    return case_id


def do_step(
    *, session: Session, clock: Clock, case_id: int, step: LeaveStep, note_text: str | None = None
) -> Stepped:
    conn = session.connection()
    case = _case(conn, case_id, lock=True)
    steps = conn.execute(
        select(leave_step.c.step, leave_step.c.done_at, leave_step.c.actor)
        .where(leave_step.c.case_id == case.id)
        .order_by(leave_step.c.position)
    ).all()
    names = [s.step for s in steps]
    if case.state == "done":
        raise Conflict(CASE_DONE.format(id=case.id))
    if step.value not in names:
        why = (
            NOT_KEY.format(name=case.name)
            if step == LeaveStep.audit
            else TRANSFER_ONLY
            if case.kind == "transfer"
            else ""
        )
        raise InvalidInput(
            NOT_A_STEP.format(id=case.id, step=step.value, why=why, steps=", ".join(names))
        )
    if step == LeaveStep.exit_interview:
        raise InvalidInput(EXIT_BY_INTERVIEW.format(name=arg(case.name)))
    this = next(s for s in steps if s.step == step.value)
    if this.done_at is not None:
        raise Conflict(
            STEP_DONE.format(
                step=step.value, id=case.id, at=clock.local(this.done_at), actor=this.actor
            )
        )
    earlier = [
        s.step
        for s in steps
        if s.done_at is None and STEP_ORDER.index(s.step) < STEP_ORDER.index(step.value)
    ]
    if step == LeaveStep.final_pay and earlier:
        raise Conflict(WAITS_FOR.format(open=", ".join(earlier)))
    actor = actor_of(session)
    conn.execute(
        update(leave_step)
        .where(leave_step.c.case_id == case.id, leave_step.c.step == step.value)
        .values(
            done_at=clock.now_utc,
            actor=actor.name,
            actor_staff_id=actor.staff_id,
            note=(note_text or "").strip() or None,
        )
    )
    note(
        session,
        clock,
        action="step",
        kind=case.kind,
        record_id=case.id,
        staff_id=case.staff_id,
        detail=AUDIT_STEP.format(id=case.id, step=step.value),
    )
    remaining = [s.step for s in steps if s.done_at is None and s.step != step.value]
    result = Stepped(case.id, step.value, case.name, not remaining, remaining)
    if not remaining:
        conn.execute(
            update(leave_case)
            .where(leave_case.c.id == case.id)
            .values(state="done", closed_at=clock.now_utc)
        )
        if case.kind == "transfer":
            conn.execute(update(staff).where(staff.c.id == case.staff_id).values(dept=case.to_dept))
            note(
                session,
                clock,
                action="edit",
                kind="staff",
                record_id=case.staff_id,
                staff_id=case.staff_id,
                detail=AUDIT_TRANSFERRED.format(
                    name=case.name, before=case.dept or "-", after=case.to_dept, id=case.id
                ),
            )
            result.dept_change = (case.dept, case.to_dept)
    return result


def _case(conn: Connection, case_id: int, *, lock: bool = False) -> Record:
    if not 0 < case_id <= MAX_ID:
        raise NotFound(NO_CASE.format(id=case_id))
    query = (
        select(leave_case, staff.c.name, staff.c.dept)
        .select_from(leave_case.join(staff, staff.c.id == leave_case.c.staff_id))
        .where(leave_case.c.id == case_id)
    )
    row = conn.execute(query.with_for_update(of=leave_case) if lock else query).first()
    if row is None:
        raise NotFound(NO_CASE.format(id=case_id))
    if row.voided_at is not None:
        raise Conflict(CASE_VOID.format(id=case_id, reason=row.void_reason))
    return row


def list_cases(
    *, session: Session, clock: Clock, open_only: bool = False, employee: str | None = None
) -> list[dict[str, Any]]:
    conn = session.connection()
    open_steps = (
        select(leave_step.c.case_id, func.count().label("open"))
        .where(~step_done(clock))
        .group_by(leave_step.c.case_id)
        .subquery()
    )
    conds: list[ColumnElement[bool]] = [
        leave_case.c.voided_at.is_(None),
        leave_case.c.created_at <= clock.now_utc,
    ]
    if open_only:
        conds.append(leave_case.c.state == "open")
    if employee:
        conds.append(leave_case.c.staff_id == resolve_staff(conn, employee).id)
    rows = conn.execute(
        select(
            leave_case.c.id,
            leave_case.c.kind,
            staff.c.name.label("employee"),
            leave_case.c.last_day,
            leave_case.c.state,
            leave_case.c.to_dept,
            func.coalesce(open_steps.c.open, 0).label("open_steps"),
        )
        .select_from(
            leave_case.join(staff, staff.c.id == leave_case.c.staff_id).outerjoin(
                open_steps, open_steps.c.case_id == leave_case.c.id
            )
        )
        .where(*conds)
        .order_by(leave_case.c.last_day, leave_case.c.id)
    ).all()
    pending = _pending(conn, [r.id for r in rows if r.open_steps], clock)
    return [
        {
            "id": r.id,
            "kind": r.kind,
            "employee": r.employee,
            "last_day": r.last_day,
            "to_dept": r.to_dept,
            "state": r.state,
            "open_steps": pending.get(r.id, []),
            "flag": _flag(r.kind, r.last_day, bool(r.open_steps), clock),
        }
        for r in rows
    ]


def _pending(conn: Connection, ids: list[int], clock: Clock) -> dict[int, list[str]]:
    if not ids:
        return {}
    found: dict[int, list[str]] = {}
    for case_id, step in conn.execute(
        select(leave_step.c.case_id, leave_step.c.step)
        .where(leave_step.c.case_id.in_(ids), ~step_done(clock))
        .order_by(leave_step.c.case_id, leave_step.c.position)
    ):
        found.setdefault(case_id, []).append(step)
    return found


LEFT_WITHOUT = _("left without completing the procedure")


def _flag(kind: str, last_day: date, open_steps: bool, clock: Clock) -> Text | None:
    return LEFT_WITHOUT if kind == "leave" and open_steps and last_day < clock.today else None


def show_case(*, session: Session, clock: Clock, case_id: int) -> dict[str, Any]:
    conn = session.connection()
    if not 0 < case_id <= MAX_ID:
        raise NotFound(NO_CASE.format(id=case_id))
    manager = staff.alias("manager")
    row = conn.execute(
        select(leave_case, staff.c.name.label("employee"), manager.c.name.label("manager"))
        .select_from(
            leave_case.join(staff, staff.c.id == leave_case.c.staff_id).outerjoin(
                manager, manager.c.id == staff.c.reports_to_id
            )
        )
        .where(leave_case.c.id == case_id)
    ).first()
    if row is None:
        raise NotFound(NO_CASE.format(id=case_id))
    interviewer = staff.alias("interviewer")
    steps = conn.execute(
        select(leave_step, interviewer.c.name.label("interviewer"))
        .select_from(
            leave_step.outerjoin(interview, interview.c.id == leave_step.c.interview_id).outerjoin(
                interviewer, interviewer.c.id == interview.c.by_id
            )
        )
        .where(leave_step.c.case_id == case_id)
        .order_by(leave_step.c.position)
    ).all()
    done = {s.step: s.done_at is not None and s.done_at <= clock.now_utc for s in steps}
    return {
        "id": row.id,
        "kind": row.kind,
        "employee": row.employee,
        "last_day": row.last_day,
        "reason": row.reason,
        "exit_interview_by": row.exit_by,
        "key_position": bool(row.key_position),
        "manager": row.manager,
        "from_dept": row.from_dept,
        "to_dept": row.to_dept,
        "state": row.state,
        "opened_at": clock.local(row.opened_at),
        "closed_at": clock.local(row.closed_at),
        "void": {"at": clock.local(row.voided_at), "reason": row.void_reason}
        if row.voided_at
        else None,
        "flag": _flag(row.kind, row.last_day, not all(done.values()), clock),
        "steps": [
            {
                "step": s.step,
                "done": done[s.step],
                "at": clock.local(s.done_at) if done[s.step] else None,
                "by": (s.interviewer or s.actor) if done[s.step] else None,
                "interview": s.interview_id,
                "note": s.note,
            }
            for s in steps
        ],
    }

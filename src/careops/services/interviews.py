"""Conversations with employees (E1.3, E2.1, E2.2) and the events that call for one.

An interview is a recorded fact; what it settles is derived by the scheduler (a one-to-one
of 120 minutes or more with the current manager settles E2.1 for the year; an interview of
the event's kind on or after its day settles E2.2). An exit interview also ticks the step
of the employee's open leaving case (E1.3).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, insert, select, update
from sqlmodel import Session

from careops.calendar.workdays import WorkCalendar
from careops.clock import Clock
from careops.errors import InvalidInput
from careops.i18n import _
from careops.policy.models import Policy
from careops.scheduler.deadlines import offset
from careops.scheduler.people import ONE_TO_ONE
from careops.scheduler.tables import event, interview, leave_case, leave_step, staff
from careops.services.audit import actor_of, note
from careops.services.refs import Record, resolve_staff, staff_name
from careops.shell import arg
from careops.vocab import InterviewKind

MAX_MINUTES = 24 * 60

# What this module says to people (one place, ready for translation).
SAME_PERSON = _("{name} cannot interview themselves: --by names the manager or the HR officer.")
FUTURE = _(
    "{at:%Y-%m-%d %H:%M} is later than now ({now:%Y-%m-%d %H:%M}); record the interview once it has happened."
)
FUTURE_EVENT = _(
    "{at:%Y-%m-%d %H:%M} is later than now ({now:%Y-%m-%d %H:%M}); record the event once it has happened."
)
BAD_MINUTES = _("--minutes must be between 1 and {max} (it was {minutes}).")
BEFORE_HIRED = _("{at:%Y-%m-%d} is before {name} was hired ({hired}).")
TOO_SHORT = _(
    "recorded, but it does not count for {clause}: {minutes} min, a one-to-one needs {need} min or more "
    "in one sitting."
)
NOT_MANAGER = _(
    "recorded, but it does not count for {clause}: {by} is not {name}'s manager ({manager})."
)
NO_MANAGER = _(
    "recorded, but it does not count for {clause}: {name} has no manager recorded "
    "(`careops staff edit {ref} --reports-to STAFF`)."
)
NOT_CHOSEN = _(
    "{name} chose an exit interview with {chosen}; {by} held it — recorded all the same."
)
NO_CASE = _(
    "no leaving case is open for {name}: the exit interview is kept in the file (`careops leave start` opens one)."
)
NOBODY = _("nobody")
HR_WORD = _("HR")
MANAGER_WORD = _("their manager ({name})")
AUDIT_INTERVIEW = _("{kind} interview with {name} by {by}, {minutes} min")
AUDIT_EVENT = _("{kind} for {name} on {day}")
AUDIT_STEP = _("leaving case #{case}: exit-interview done (interview #{id})")


@dataclass
class Logged:
    id: int
    kind: str
    at: datetime  # local
    minutes: int
    employee: str
    by: str
    counts: bool | None = None  # one-to-one: counts for E2.1
    settles: list[str] = field(
        default_factory=list
    )  # what it closed: "pay-change of 2026-11-20", "leaving case #3"
    warnings: list[str] = field(default_factory=list)


def log_interview(
    *,
    session: Session,
    clock: Clock,
    policy: Policy,
    employee: str,
    by: str,
    kind: InterviewKind,
    minutes: int,
    at: datetime | None = None,
    note_text: str | None = None,
) -> Logged:
    """`at`: naive local time (default now)."""
    conn = session.connection()
    person = resolve_staff(conn, employee)
    interviewer = resolve_staff(conn, by)
    if person.id == interviewer.id:
        raise InvalidInput(SAME_PERSON.format(name=person.name))
    if not 1 <= minutes <= MAX_MINUTES:
        raise InvalidInput(BAD_MINUTES.format(max=MAX_MINUTES, minutes=minutes))
    at_utc = clock.utc_of_local(at) if at else clock.now_utc
    if at_utc > clock.now_utc:
        raise InvalidInput(FUTURE.format(at=at, now=clock.now))
    row = conn.execute(
        select(staff.c.hired, staff.c.reports_to_id).where(staff.c.id == person.id)
    ).one()
    day = clock.local_date(at_utc)
    if row.hired and day < row.hired:
        raise InvalidInput(BEFORE_HIRED.format(at=day, name=person.name, hired=row.hired))
    case = _open_case(conn, person.id) if kind == InterviewKind.exit else None
    new_id = conn.execute(
        insert(interview)
        .values(
            staff_id=person.id,
            by_id=interviewer.id,
            kind=kind.value,
            at=at_utc,
            day=day,
            minutes=minutes,
            note=(note_text or "").strip() or None,
            leave_id=case.id if case else None,
            created_at=clock.now_utc,
        )
        .returning(interview.c.id)
    ).scalar_one()
    result = Logged(new_id, kind.value, clock.local(at_utc), minutes, person.name, interviewer.name)
    pairs = policy.first("one-to-one")
    if kind.value == ONE_TO_ONE and pairs is not None and pairs.minutes is not None:
        clause, need = pairs.clause, pairs.minutes
        result.counts = minutes >= need and row.reports_to_id == interviewer.id
        if minutes < need:
            result.warnings.append(TOO_SHORT.format(clause=clause, minutes=minutes, need=need))
        elif row.reports_to_id is None:
            result.warnings.append(
                NO_MANAGER.format(clause=clause, name=person.name, ref=arg(person.name))
            )
        elif row.reports_to_id != interviewer.id:
            result.warnings.append(
                NOT_MANAGER.format(
                    clause=clause,
                    by=interviewer.name,
                    name=person.name,
                    manager=staff_name(conn, row.reports_to_id),
                )
            )
    if kind.value in policy.staff_events():
        result.settles += [
            f"{kind.value} of {d}"
            for d in conn.execute(
                select(event.c.on_day)
                .where(
                    event.c.staff_id == person.id,
                    event.c.kind == kind.value,
                    event.c.voided_at.is_(None),
                    event.c.on_day <= day,
                )
                .order_by(event.c.on_day)
            ).scalars()
        ]
    if kind == InterviewKind.probation:
        ends = conn.execute(select(staff.c.probation_ends).where(staff.c.id == person.id)).scalar()
        if ends is not None:
            result.settles.append(f"probation-end interview (probation ends {ends})")
    if kind == InterviewKind.exit:
        if case is None:
            result.warnings.append(NO_CASE.format(name=person.name))
        else:
            _tick_exit(
                session,
                clock,
                conn,
                case,
                new_id,
                interviewer,
                row.reports_to_id,
                person.name,
                result,
            )
    note(
        session,
        clock,
        action="log",
        kind="interview",
        record_id=new_id,
        staff_id=person.id,
        detail=AUDIT_INTERVIEW.format(
            kind=kind.value, name=person.name, by=interviewer.name, minutes=minutes
        ),
    )
    return result


def _open_case(conn: Connection, staff_id: int) -> Record | None:
    return conn.execute(
        select(leave_case.c.id, leave_case.c.exit_by, leave_case.c.manager_id)
        .where(
            leave_case.c.staff_id == staff_id,
            leave_case.c.kind == "leave",
            leave_case.c.state == "open",
            leave_case.c.voided_at.is_(None),
        )
        .order_by(leave_case.c.id.desc())
        .limit(1)
    ).first()


def _tick_exit(
    session: Session,
    clock: Clock,
    conn: Connection,
    case: Record,
    interview_id: int,
    interviewer: Record,
    manager_id: int | None,
    name: str,
    result: Logged,
) -> None:
    actor = actor_of(session)
    done = conn.execute(
        update(leave_step)
        .where(
            and_(
                leave_step.c.case_id == case.id,
                leave_step.c.step == "exit-interview",
                leave_step.c.done_at.is_(None),
            )
        )
        .values(
            done_at=clock.now_utc,
            actor=actor.name,
            actor_staff_id=actor.staff_id,
            interview_id=interview_id,
        )
    )
    if done.rowcount != 1:
        return  # the step was done already (a second exit interview is simply kept in the file)
    result.settles.append(f"leaving case #{case.id}")
    chosen_manager = case.exit_by == "manager"
    if chosen_manager and interviewer.id != (case.manager_id or manager_id):
        result.warnings.append(
            NOT_CHOSEN.format(
                name=name,
                chosen=MANAGER_WORD.format(
                    name=staff_name(conn, case.manager_id or manager_id) or NOBODY
                ),
                by=interviewer.name,
            )
        )
    elif not chosen_manager and interviewer.role != "hr":
        result.warnings.append(NOT_CHOSEN.format(name=name, chosen=HR_WORD, by=interviewer.name))
    note(
        session,
        clock,
        action="step",
        kind="leave",
        record_id=case.id,
        detail=AUDIT_STEP.format(case=case.id, id=interview_id),
    )


def list_interviews(
    *,
    session: Session,
    clock: Clock,
    employee: str | None = None,
    by: str | None = None,
    kind: InterviewKind | None = None,
    year: int | None = None,
) -> list[dict[str, Any]]:
    conn = session.connection()
    who = staff.alias("who")
    interviewer = staff.alias("interviewer")
    conds: list[ColumnElement[bool]] = [interview.c.voided_at.is_(None)]
    if employee:
        conds.append(interview.c.staff_id == resolve_staff(conn, employee).id)
    if by:
        conds.append(interview.c.by_id == resolve_staff(conn, by).id)
    if kind:
        conds.append(interview.c.kind == kind.value)
    if year:
        conds.append(
            interview.c.day.between(datetime(year, 1, 1).date(), datetime(year, 12, 31).date())
        )
    rows = conn.execute(
        select(
            interview.c.id,
            interview.c.at,
            interview.c.kind,
            interview.c.minutes,
            who.c.name.label("employee"),
            interviewer.c.name.label("by"),
            interview.c.note,
        )
        .select_from(
            interview.join(who, who.c.id == interview.c.staff_id).join(
                interviewer, interviewer.c.id == interview.c.by_id
            )
        )
        .where(*conds)
        .order_by(interview.c.at.desc(), interview.c.id.desc())
    ).all()
    return [{**r._mapping, "at": clock.local(r.at)} for r in rows]


def record_staff_event(
    *,
    session: Session,
    clock: Clock,
    ref: str,
    kind: str,
    at: datetime | None = None,
    note_text: str | None = None,
) -> tuple[Record, Record, str | None]:
    """An event in an employee's working life (E2.2): the manager owes a work interview."""
    conn = session.connection()
    person = resolve_staff(conn, ref)
    at_utc = clock.utc_of_local(at) if at else clock.now_utc
    if at_utc > clock.now_utc:
        raise InvalidInput(FUTURE_EVENT.format(at=at, now=clock.now))
    day = clock.local_date(at_utc)
    row = conn.execute(
        insert(event)
        .values(
            staff_id=person.id,
            kind=kind,
            at=at_utc,
            on_day=day,
            note=(note_text or "").strip() or None,
            created_at=clock.now_utc,
        )
        .returning(*event.c)
    ).one()
    note(
        session,
        clock,
        action="log",
        kind="event",
        record_id=row.id,
        staff_id=person.id,
        detail=AUDIT_EVENT.format(kind=kind, name=person.name, day=day),
    )
    boss = conn.execute(select(staff.c.reports_to_id).where(staff.c.id == person.id)).scalar()
    return row, person, staff_name(conn, boss)


def interview_due(*, clock: Clock, policy: Policy, event_row: Record) -> date | None:
    """The day an event's work interview (E2.2) is due by (None: no rule asks for one)."""
    rule = policy.event_rule("interview", event_row.kind)
    if rule is None or rule.due_in is None:
        return None
    due = offset(rule.due_in, clock.local(event_row.at), WorkCalendar())
    return due.date() if isinstance(due, datetime) else due

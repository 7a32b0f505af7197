"""Feedback meetings (H3.4, H3.5, H3.6) with their minutes, and the action items opinions become.

A meeting is scheduled for a day, then held: holding it records who attended and the minutes
(a meeting without minutes is not held, H3.6). Each opinion raised there becomes an action item
with an owner and a due day; it is closed when done, or explained to those who raised it (H3.4).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlmodel import Session

from careops.clock import Clock
from careops.errors import Conflict, InvalidInput, NotFound
from careops.i18n import _
from careops.policy.models import Policy, parse_offset
from careops.scheduler.owners import role_holder
from careops.scheduler.tables import (
    action_item,
    dept,
    disclosure_check,
    meeting,
    meeting_attendee,
    staff,
)
from careops.services.audit import note
from careops.services.depts import resolve_dept
from careops.services.refs import MAX_ID, Record, live_row, resolve_staff
from careops.shell import arg
from careops.vocab import MeetingKind, OpinionKind

MAX_MINUTES = 100_000  # characters: a long set of minutes, not a file pasted by mistake
MAX_ATTENDEES = 500

# What this module says to people (one place, ready for translation).
NEED_DEPT = _("a ward forum is held by one clinical department: give --dept DEPT (H3.6).")
NOT_CLINICAL = _(
    "the department {dept} is not clinical, so it holds no ward forum: `careops dept edit {quoted} --clinical` "
    "if it is a ward."
)
NO_DEPT_FOR = _("--dept is for ward forums; a {kind} meeting is the hospital's.")
NO_MEETING = _("there is no meeting #{id}. See `careops meeting list`.")
MEETING_VOID = _("meeting #{id} is void ({reason}).")
ALREADY_HELD = _("meeting #{id} was held on {day} and its minutes are recorded.")
NOT_YET = _(
    "meeting #{id} is scheduled for {day}, after today ({today}): record it once it has been held, or give "
    "--on DAY."
)
HELD_IN_FUTURE = _("--on {day} is after today ({today}): record a meeting once it has been held.")
NEED_MINUTES = _(
    "a meeting without minutes is not held (H3.6): give --minutes TEXT or --minutes-file FILE. "
    "Nothing was recorded."
)
MINUTES_BOTH = _("give --minutes TEXT or --minutes-file FILE, not both.")
EMPTY_MINUTES = _(
    "the minutes are empty: a meeting without minutes is not held (H3.6). Nothing was recorded."
)
NOT_UTF8 = _("{path} is not a UTF-8 text file: save the minutes as plain text (UTF-8).")
CANNOT_READ = _("cannot read {path}: {why}.")
LONG_MINUTES = _("the minutes are longer than {n:,} characters: is this the right file?")
NEED_ATTENDEE = _("say who attended: --attendee NAME (once per person).")
TOO_MANY = _("more than {n} attendees: give the names of those present, once each.")
NOT_HELD_YET = _(
    "meeting #{id} has not been held: opinions are raised at a meeting, so record its minutes first "
    "(`careops meeting hold {id} …`)."
)
NEED_TEXT = _('say what the opinion is, e.g. "the ward is too noisy at night".')
DUE_BEFORE = _("--due {due} is before the meeting ({day}).")
COOPERATION_ONLY = _(
    "cooperation is agreed with community units: use --kind cooperation on a community-reps meeting (H3.5)."
)
NO_ACTION = _("there is no action item #{id}. See `careops action list`.")
ACTION_VOID = _("action item #{id} is void ({reason}).")
ACTION_CLOSED = _("action item #{id} is closed already ({state} on {at:%Y-%m-%d}).")
NEED_NOTE = _("say what was done (--note TEXT).")
NEED_EXPLANATION = _(
    "say what was explained to those who raised it, and why it cannot be done (--note TEXT)."
)
NO_OWNER_ROLE = _(
    "nobody has role {role}: add one (`careops staff add NAME --role {role}`) or give --chair STAFF."
)
AUDIT_SCHEDULED = _("{kind} #{id} scheduled for {day}{dept}")
HELD_NOT_MOVED = _(
    "meeting #{id} was held on {day}: a held meeting is not moved (void it if it was recorded wrongly)."
)
SAME_DAY = _("meeting #{id} is scheduled for {day} already.")
AUDIT_RESCHEDULED = _("{kind} #{id} moved from {before} to {day}")
AUDIT_HELD = _("{kind} #{id} held on {day}: {attendees} attendees, minutes {chars} characters")
AUDIT_OPINION = _("{kind} #{id} from meeting #{meeting}: owner {owner}, due {due}")
AUDIT_CLOSED = _("action item #{id} {state}")
FOR_DEPT = _(" ({dept})")


@dataclass
class Scheduled:
    id: int
    kind: str
    day: date
    dept: str | None
    chair: str | None
    passed: bool = False  # the day is before today: a meeting recorded after the fact


@dataclass
class Held:
    id: int
    kind: str
    day: date
    attendees: int


@dataclass
class Opened:
    id: int
    kind: str
    owner: str
    due: date
    meeting_id: int | None = None


def schedule(
    *,
    session: Session,
    clock: Clock,
    policy: Policy,
    kind: MeetingKind,
    day: date,
    dept_ref: str | None = None,
    chair: str | None = None,
) -> Scheduled:
    conn = session.connection()
    rule = policy.first("meeting", meeting=kind.value)
    dept_row = None
    if rule is not None and rule.per_dept:
        if not dept_ref:
            raise InvalidInput(NEED_DEPT)
        dept_row = resolve_dept(conn, dept_ref)
        if not dept_row.clinical:
            raise InvalidInput(NOT_CLINICAL.format(dept=dept_row.name, quoted=arg(dept_row.name)))
    elif dept_ref:
        raise InvalidInput(NO_DEPT_FOR.format(kind=kind.value))
    chair_row = resolve_staff(conn, chair) if chair else None
    chair_id = chair_row.id if chair_row else (dept_row.head_id if dept_row is not None else None)
    if chair_id is None and rule is not None and rule.chair and rule.chair.startswith("role:"):
        held = role_holder(conn, rule.chair.removeprefix("role:"), clock.today)
        chair_id = held[0] if held else None
    meeting_id = conn.execute(
        insert(meeting)
        .values(
            kind=kind.value,
            dept_id=dept_row.id if dept_row is not None else None,
            chair_id=chair_id,
            on_day=day,
            created_at=clock.now_utc,
        )
        .returning(meeting.c.id)
    ).scalar_one()
    note(
        session,
        clock,
        action="schedule",
        kind="meeting",
        record_id=meeting_id,
        staff_id=chair_id,
        detail=AUDIT_SCHEDULED.format(
            kind=kind.value,
            id=meeting_id,
            day=day,
            dept=FOR_DEPT.format(dept=dept_row.name) if dept_row is not None else "",
        ),
    )
    chair_name = (
        conn.execute(select(staff.c.name).where(staff.c.id == chair_id)).scalar()
        if chair_id
        else None
    )
    return Scheduled(
        meeting_id,
        kind.value,
        day,
        dept_row.name if dept_row is not None else None,
        chair_name,
        passed=day < clock.today,
    )


def reschedule(*, session: Session, clock: Clock, meeting_id: int, day: date) -> date:
    """Move a meeting that has not been held to another day; returns the day it had."""
    conn = session.connection()
    row = _meeting(conn, meeting_id, lock=True)
    if row.held_day is not None:
        raise Conflict(HELD_NOT_MOVED.format(id=row.id, day=row.held_day))
    if day == row.on_day:
        raise InvalidInput(SAME_DAY.format(id=row.id, day=day))
    before: date = row.on_day
    conn.execute(update(meeting).where(meeting.c.id == row.id).values(on_day=day))
    note(
        session,
        clock,
        action="reschedule",
        kind="meeting",
        record_id=row.id,
        detail=AUDIT_RESCHEDULED.format(kind=row.kind, id=row.id, before=row.on_day, day=day),
    )
    return before


def read_minutes(text: str | None, path: str | None) -> str:
    """The minutes from --minutes or --minutes-file, checked (the file is read before anything is written)."""
    if text is not None and path is not None:
        raise InvalidInput(MINUTES_BOTH)
    if text is None and path is None:
        raise InvalidInput(NEED_MINUTES)
    if path is not None:
        from pathlib import Path

        from careops.errors import CareopsError

        file = Path(path).expanduser()
        try:
            if file.stat().st_size > MAX_MINUTES * 4:
                raise InvalidInput(LONG_MINUTES.format(n=MAX_MINUTES))
            text = file.read_text(encoding="utf-8-sig")
        except CareopsError:
            raise
        except UnicodeDecodeError:
            raise InvalidInput(NOT_UTF8.format(path=path)) from None
        except OSError as exc:
            raise InvalidInput(CANNOT_READ.format(path=path, why=exc.strerror or exc)) from None
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise InvalidInput(EMPTY_MINUTES)
    if len(text) > MAX_MINUTES:
        raise InvalidInput(LONG_MINUTES.format(n=MAX_MINUTES))
    return text


def hold(
    *,
    session: Session,
    clock: Clock,
    meeting_id: int,
    attendees: list[str],
    minutes: str,
    on: date | None = None,
) -> Held:
    """Record that the meeting was held, with who attended and its minutes (checked by the caller: read_minutes)."""
    names = [" ".join(a.split()) for a in attendees if a and a.strip()]
    if not names:
        raise InvalidInput(NEED_ATTENDEE)
    if len(names) > MAX_ATTENDEES:
        raise InvalidInput(TOO_MANY.format(n=MAX_ATTENDEES))
    conn = session.connection()
    row = _meeting(conn, meeting_id, lock=True)
    if row.held_day is not None:
        raise Conflict(ALREADY_HELD.format(id=row.id, day=row.held_day))
    day = on or row.on_day
    if on is not None and on > clock.today:
        raise InvalidInput(HELD_IN_FUTURE.format(day=on, today=clock.today))
    if day > clock.today:
        raise InvalidInput(NOT_YET.format(id=row.id, day=row.on_day, today=clock.today))
    conn.execute(
        update(meeting)
        .where(meeting.c.id == row.id)
        .values(held_day=day, minutes=minutes, held_at=clock.now_utc)
    )
    conn.execute(
        insert(meeting_attendee),
        [{"meeting_id": row.id, "position": i, "name": n} for i, n in enumerate(names, 1)],
    )
    note(
        session,
        clock,
        action="hold",
        kind="meeting",
        record_id=row.id,
        detail=AUDIT_HELD.format(
            kind=row.kind, id=row.id, day=day, attendees=len(names), chars=len(minutes)
        ),
    )
    return Held(row.id, row.kind, day, len(names))


def _meeting(conn: Connection, meeting_id: int, *, lock: bool = False) -> Record:
    return live_row(conn, meeting, meeting_id, missing=NO_MEETING, void=MEETING_VOID, lock=lock)


def add_opinion(
    *,
    session: Session,
    clock: Clock,
    policy: Policy,
    meeting_id: int,
    text: str,
    owner: str,
    due: date | None = None,
    kind: OpinionKind = OpinionKind.opinion,
) -> Opened:
    text = " ".join((text or "").split())
    if not text:
        raise InvalidInput(NEED_TEXT)
    conn = session.connection()
    row = _meeting(conn, meeting_id, lock=True)
    if row.held_day is None:
        raise Conflict(NOT_HELD_YET.format(id=row.id))
    if kind == OpinionKind.cooperation and row.kind != MeetingKind.community_reps.value:
        raise InvalidInput(COOPERATION_ONLY)
    if due is not None and due < row.held_day:
        raise InvalidInput(DUE_BEFORE.format(due=due, day=row.held_day))
    person = resolve_staff(conn, owner)
    due = due or default_due(policy, clock, kind.value)
    action_id = conn.execute(
        insert(action_item)
        .values(
            kind=kind.value,
            text=text,
            meeting_id=row.id,
            owner_id=person.id,
            due=due,
            state="open",
            created_at=clock.now_utc,
        )
        .returning(action_item.c.id)
    ).scalar_one()
    note(
        session,
        clock,
        action="add",
        kind="action",
        record_id=action_id,
        staff_id=person.id,
        detail=AUDIT_OPINION.format(
            kind=kind.value, id=action_id, meeting=row.id, owner=person.name, due=due
        ),
    )
    return Opened(action_id, kind.value, person.name, due, row.id)


def default_due(policy: Policy, clock: Clock, kind: str = "opinion") -> date:
    """An action item's due day unless `--due` says: its rule's `due_in` from today (none: today)."""
    rule = policy.first("action", action=kind)
    return clock.today + timedelta(
        days=parse_offset(rule.due_in if rule and rule.due_in else "0d")[0]
    )


def close_action(
    *, session: Session, clock: Clock, action_id: int, note_text: str, explained: bool = False
) -> dict[str, Any]:
    """Done, or explained to those who raised it (what cannot be done, H3.4)."""
    text = " ".join((note_text or "").split())
    if not text:
        raise InvalidInput(NEED_EXPLANATION if explained else NEED_NOTE)
    conn = session.connection()
    row = live_row(conn, action_item, action_id, missing=NO_ACTION, void=ACTION_VOID, lock=True)
    if row.state != "open":
        raise Conflict(
            ACTION_CLOSED.format(id=action_id, state=row.state, at=clock.local(row.closed_at))
        )
    state = "explained" if explained else "done"
    conn.execute(
        update(action_item)
        .where(action_item.c.id == action_id)
        .values(state=state, closed_at=clock.now_utc, closed_note=text)
    )
    note(
        session,
        clock,
        action=state,
        kind="action",
        record_id=action_id,
        staff_id=row.owner_id,
        detail=AUDIT_CLOSED.format(id=action_id, state=state),
    )
    late = clock.today > row.due
    return {"id": action_id, "state": state, "due": row.due, "late": late}


def list_meetings(
    *, session: Session, clock: Clock, kind: MeetingKind | None = None, dept_ref: str | None = None
) -> list[dict[str, Any]]:
    conn = session.connection()
    chair = staff.alias("chair")
    attended = (
        select(func.count())
        .select_from(meeting_attendee)
        .where(meeting_attendee.c.meeting_id == meeting.c.id)
        .scalar_subquery()
    )
    actions = (
        select(func.count())
        .select_from(action_item)
        .where(action_item.c.meeting_id == meeting.c.id, action_item.c.voided_at.is_(None))
        .scalar_subquery()
    )
    still_open = (
        select(func.count())
        .select_from(action_item)
        .where(
            action_item.c.meeting_id == meeting.c.id,
            action_item.c.voided_at.is_(None),
            action_item.c.state == "open",
        )
        .scalar_subquery()
    )
    conds = [meeting.c.voided_at.is_(None), meeting.c.created_at <= clock.now_utc]
    if kind is not None:
        conds.append(meeting.c.kind == kind.value)
    if dept_ref:
        conds.append(meeting.c.dept_id == resolve_dept(conn, dept_ref).id)
    rows = conn.execute(
        select(
            meeting.c.id,
            meeting.c.kind,
            meeting.c.on_day,
            meeting.c.held_day,
            dept.c.name.label("dept"),
            chair.c.name.label("chair"),
            attended.label("attendees"),
            actions.label("actions"),
            still_open.label("open_actions"),
        )
        .select_from(
            meeting.outerjoin(dept, dept.c.id == meeting.c.dept_id).outerjoin(
                chair, chair.c.id == meeting.c.chair_id
            )
        )
        .where(*conds)
        .order_by(meeting.c.on_day.desc(), meeting.c.id.desc())
    ).all()
    return [
        {
            "id": r.id,
            "kind": r.kind,
            "day": r.on_day,
            "dept": r.dept,
            "chair": r.chair,
            "state": "held" if r.held_day is not None else "scheduled",
            "held_on": r.held_day,
            "attendees": r.attendees,
            "actions": r.actions,
            "open_actions": r.open_actions,
        }
        for r in rows
    ]


def show_meeting(*, session: Session, clock: Clock, meeting_id: int) -> dict[str, Any]:
    conn = session.connection()
    if not 0 < meeting_id <= MAX_ID:
        raise NotFound(NO_MEETING.format(id=meeting_id))
    chair = staff.alias("chair")
    row = conn.execute(
        select(meeting, dept.c.name.label("dept"), chair.c.name.label("chair"))
        .select_from(
            meeting.outerjoin(dept, dept.c.id == meeting.c.dept_id).outerjoin(
                chair, chair.c.id == meeting.c.chair_id
            )
        )
        .where(meeting.c.id == meeting_id)
    ).first()
    if row is None:
        raise NotFound(NO_MEETING.format(id=meeting_id))
    names = (
        conn.execute(
            select(meeting_attendee.c.name)
            .where(meeting_attendee.c.meeting_id == meeting_id)
            .order_by(meeting_attendee.c.position)
        )
        .scalars()
        .all()
    )
    return {
        "id": row.id,
        "kind": row.kind,
        "day": row.on_day,
        "dept": row.dept,
        "chair": row.chair,
        "state": "held" if row.held_day is not None else "scheduled",
        "held_on": row.held_day,
        "attendees": list(names),
        "minutes": row.minutes,
        "void": {"at": clock.local(row.voided_at), "reason": row.void_reason}
        if row.voided_at
        else None,
        "actions": _actions(conn, clock, meeting_id=meeting_id),
    }


def _actions(
    conn: Connection,
    clock: Clock,
    *,
    meeting_id: int | None = None,
    open_only: bool = False,
    owner_id: int | None = None,
) -> list[dict[str, Any]]:
    owner = staff.alias("owner")
    conds = [action_item.c.voided_at.is_(None), action_item.c.created_at <= clock.now_utc]
    if meeting_id is not None:
        conds.append(action_item.c.meeting_id == meeting_id)
    if open_only:
        conds.append(action_item.c.state == "open")
    if owner_id is not None:
        conds.append(action_item.c.owner_id == owner_id)
    rows = conn.execute(
        select(action_item, owner.c.name.label("owner"), disclosure_check.c.item)
        .select_from(
            action_item.join(owner, owner.c.id == action_item.c.owner_id).outerjoin(
                disclosure_check, disclosure_check.c.id == action_item.c.check_id
            )
        )
        .where(*conds)
        .order_by(action_item.c.due, action_item.c.id)
    ).all()
    return [
        {
            "id": r.id,
            "kind": r.kind,
            "text": r.text,
            "owner": r.owner,
            "due": r.due,
            "state": r.state,
            "overdue": r.state == "open" and r.due < clock.today,
            "meeting": r.meeting_id,
            "check": r.item,
            "closed_at": clock.local(r.closed_at),
            "note": r.closed_note,
        }
        for r in rows
    ]


def list_actions(
    *, session: Session, clock: Clock, open_only: bool = False, owner: str | None = None
) -> list[dict[str, Any]]:
    conn = session.connection()
    owner_id = resolve_staff(conn, owner).id if owner else None
    return _actions(conn, clock, open_only=open_only, owner_id=owner_id)

"""Staff: butlers, managers, employees, HR… who reports to whom, and their contract dates (E1)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, insert, literal_column, select
from sqlmodel import Session

from careops.clock import Clock
from careops.errors import Conflict, InvalidInput
from careops.i18n import Text, _
from careops.models import Staff, contract_term
from careops.scheduler.tables import leave_case, staff, zone
from careops.services.audit import note
from careops.services.depts import ensure_dept
from careops.services.refs import Record, resolve_staff, staff_name
from careops.vocab import Role

MAX_LINE = 50  # a reporting line longer than this is a loop in the data

# What this module says to people (one place, ready for translation).
EMPTY = _("the {what} must not be empty.")
AUDIT_ADDED = _("{role} {name} added")
AUDIT_EDITED = _("{name}: {changes}")
CHANGE = _("{field} {before} → {after}")
BAD_EMAIL = _("{email!r} is not an e-mail address (like name@example.com).")
SELF_MANAGER = _("{name} cannot report to themselves.")
LOOP = _("{name} cannot report to {boss}: {boss} already reports to {name} (through {path}).")
BEFORE_HIRED = _("--{what} {day} is before the hire date ({hired}).")
NOTHING_TO_EDIT = _(
    "say what changes: --role, --dept, --reports-to, --phone, --email, --hired, --probation-ends, "
    "--contract-ends or --key-position/--no-key-position."
)
FIELDS = {
    "role": _("role"),
    "dept": _("dept"),
    "reports_to_id": _("reports to"),
    "phone": _("phone"),
    "email": _("e-mail"),
    "hired": _("hired"),
    "probation_ends": _("probation ends"),
    "contract_ends": _("contract ends"),
    "key_position": _("key position"),
}
NONE = _("-")


@dataclass
class StaffChange:
    member: Staff
    changes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    new_manager: str | None = None  # set when --reports-to changed the manager


def add_staff(
    *,
    session: Session,
    clock: Clock,
    name: str,
    role: Role = Role.employee,
    dept: str | None = None,
    reports_to: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    hired: date | None = None,
    probation_ends: date | None = None,
    contract_ends: date | None = None,
    key_position: bool = False,
) -> Staff:
    name = _clean(name, "name")
    conn = session.connection()
    boss = resolve_staff(conn, reports_to).id if reports_to else None
    email = _email(email)
    _check_dates(hired, probation_ends, contract_ends)
    dept = ensure_dept(session, clock, dept)
    member = Staff(
        name=name,
        role=role.value,
        dept=dept,
        reports_to_id=boss,
        phone=(phone or "").strip() or None,
        email=email,
        hired=hired,
        probation_ends=probation_ends,
        contract_ends=contract_ends,
        key_position=key_position,
        reports_since=(hired or clock.today) if boss else None,
        created_at=clock.now_utc,
    )
    session.add(member)
    session.flush()
    _contract_term(session, clock, member)
    note(
        session,
        clock,
        action="add",
        kind="staff",
        record_id=member.id,
        staff_id=member.id,
        detail=AUDIT_ADDED.format(role=member.role, name=member.name),
    )
    return member


def edit_staff(
    *,
    session: Session,
    clock: Clock,
    ref: str,
    role: Role | None = None,
    dept: str | None = None,
    reports_to: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    hired: date | None = None,
    probation_ends: date | None = None,
    contract_ends: date | None = None,
    key_position: bool | None = None,
) -> StaffChange:
    """Change what is given; a new manager starts a new one-to-one pair from today (E2.1)."""
    dept_name = (dept or "").strip() or None
    values: dict[str, object] = {
        "role": role.value if role else None,
        "dept": dept_name,
        "phone": (phone or "").strip() or None,
        "email": _email(email),
        "hired": hired,
        "probation_ends": probation_ends,
        "contract_ends": contract_ends,
        "key_position": key_position,
    }
    values = {k: v for k, v in values.items() if v is not None}
    if not values and not reports_to:
        raise InvalidInput(NOTHING_TO_EDIT)
    conn = session.connection()
    found = resolve_staff(conn, ref)
    boss_id: int | None = None
    if reports_to:
        boss = resolve_staff(conn, reports_to)
        _no_loop(conn, found, boss)
        boss_id = values["reports_to_id"] = boss.id
    member = session.get(Staff, found.id, with_for_update=True)
    assert member is not None  # resolve_staff found them
    _check_dates(  # what is given, else what is recorded
        hired if hired is not None else member.hired,
        probation_ends if probation_ends is not None else member.probation_ends,
        contract_ends if contract_ends is not None else member.contract_ends,
    )
    if dept_name is not None:
        values["dept"] = ensure_dept(session, clock, dept_name)
    result = StaffChange(member)
    ends_before = member.contract_ends
    for key, value in values.items():
        before = getattr(member, key)
        if before == value:
            continue
        after: object
        if key == "reports_to_id":
            member.reports_since = clock.today
            before, after = staff_name(conn, before), staff_name(conn, boss_id)
            result.new_manager = after
        else:
            after = value
        result.changes.append(
            CHANGE.format(field=FIELDS[key], before=_shown(before), after=_shown(after))
        )
        setattr(member, key, value)
    session.flush()
    if "contract_ends" in values and values["contract_ends"] != ends_before:
        _contract_term(session, clock, member)
    if result.changes:
        note(
            session,
            clock,
            action="edit",
            kind="staff",
            record_id=member.id,
            staff_id=member.id,
            detail=AUDIT_EDITED.format(name=member.name, changes="; ".join(result.changes)),
        )
    return result


def _contract_term(session: Session, clock: Clock, member: Staff) -> None:
    """Keep the contract end just recorded (E1.1): a renewal replaces `contract_ends`, the report needs both."""
    if member.contract_ends is not None:
        session.connection().execute(
            insert(contract_term).values(
                staff_id=member.id, ends=member.contract_ends, recorded_at=clock.now_utc
            )
        )


def _no_loop(conn: Connection, member: Record, boss: Record) -> None:
    if boss.id == member.id:
        raise InvalidInput(SELF_MANAGER.format(name=member.name))
    path = [boss.name]
    for person in reporting_line(conn, boss.id)[1:]:
        path.append(person.name)
        if person.id == member.id:
            raise Conflict(LOOP.format(name=member.name, boss=boss.name, path=" → ".join(path)))


def reporting_line(conn: Connection, staff_id: int) -> list[Record]:
    """The staff member, their manager, the manager's manager… up to the top: one recursive query
    (WITH RECURSIVE, on SQLite and PostgreSQL alike), stopped after MAX_LINE steps should the data loop."""
    cols = (staff.c.id, staff.c.name, staff.c.role, staff.c.dept, staff.c.reports_to_id)
    # A literal 0 (not a bound parameter): one integer type for `depth` on PostgreSQL.
    line = (
        select(*cols, literal_column("0").label("depth"))
        .where(staff.c.id == staff_id)
        .cte("line", recursive=True)
    )
    up = staff.alias("up")
    line = line.union_all(
        select(
            up.c.id,
            up.c.name,
            up.c.role,
            up.c.dept,
            up.c.reports_to_id,
            (line.c.depth + 1).label("depth"),
        ).where(up.c.id == line.c.reports_to_id, line.c.depth < MAX_LINE)
    )
    rows = conn.execute(select(line).order_by(line.c.depth)).all()
    seen: set[int] = set()
    result: list[Record] = []
    for row in rows:  # a loop in the data (A → B → A) ends the line where it comes back
        if row.id in seen:
            break
        seen.add(row.id)
        result.append(row)
    return result


def list_staff(*, session: Session) -> list[dict[str, Any]]:
    boss = staff.alias("boss")
    zones = (
        select(func.count())
        .select_from(zone)
        .where(zone.c.butler_id == staff.c.id)
        .scalar_subquery()
    )
    rows = session.connection().execute(
        select(
            staff.c.id,
            staff.c.name,
            staff.c.role,
            staff.c.dept,
            boss.c.name.label("reports_to"),
            zones.label("zones"),
        )
        .select_from(staff.outerjoin(boss, boss.c.id == staff.c.reports_to_id))
        .order_by(staff.c.role, staff.c.name_pinyin, staff.c.name, staff.c.id)
    )
    return [dict(r._mapping) for r in rows]


def show_staff(*, session: Session, clock: Clock, ref: str) -> dict[str, Any]:
    """One staff member: their details, the reporting line up to the top, their reports, a leaving case."""
    conn = session.connection()
    found = resolve_staff(conn, ref)
    row = conn.execute(select(staff).where(staff.c.id == found.id)).one()
    line = reporting_line(conn, found.id)
    reports = conn.execute(
        select(staff.c.id, staff.c.name, staff.c.role)
        .where(staff.c.reports_to_id == found.id)
        .order_by(staff.c.name_pinyin, staff.c.name, staff.c.id)
    ).all()
    leaving = conn.execute(
        select(
            leave_case.c.id,
            leave_case.c.kind,
            leave_case.c.last_day,
            leave_case.c.state,
            leave_case.c.to_dept,
        )
        .where(leave_case.c.staff_id == found.id, leave_case.c.voided_at.is_(None))
        .order_by(leave_case.c.id)
    ).all()
    left = next(
        (c.last_day for c in leaving if c.kind == "leave" and c.last_day < clock.today), None
    )
    return {
        "id": row.id,
        "name": row.name,
        "role": row.role,
        "dept": row.dept,
        "phone": row.phone,
        "email": row.email,
        "hired": row.hired,
        "probation_ends": row.probation_ends,
        "contract_ends": row.contract_ends,
        "key_position": bool(row.key_position),
        "reports_since": row.reports_since,
        "status": "left" if left else "active",
        "left_on": left,
        "reporting_line": [{"id": p.id, "name": p.name, "role": p.role} for p in line],
        "reports": [{"id": r.id, "name": r.name, "role": r.role} for r in reports],
        "cases": [
            {
                "id": c.id,
                "kind": c.kind,
                "last_day": c.last_day,
                "state": c.state,
                "to_dept": c.to_dept,
            }
            for c in leaving
        ],
    }


def _shown(value: object) -> Text:
    if value is None:
        return NONE
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _email(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise InvalidInput(BAD_EMAIL.format(email=value))
    return value


def _check_dates(
    hired: date | None, probation_ends: date | None, contract_ends: date | None
) -> None:
    if hired is None:
        return
    for what, day in (("probation-ends", probation_ends), ("contract-ends", contract_ends)):
        if day is not None and day < hired:
            raise InvalidInput(BEFORE_HIRED.format(what=what, day=day, hired=hired))


def _clean(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(EMPTY.format(what=what))
    return value

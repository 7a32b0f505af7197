"""Disclosure checks (H3.7.1 … H3.7.7): each item looked at once a month; a failed one becomes an action
item owned by the department's head, or, when the department has no head today (none named, or theirs has
left), by the policy's `[fallback]` for `dept-head` (the office, then leadership): a failed check is always
recorded."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlmodel import Session

from careops.calendar.periods import period_of
from careops.clock import Clock
from careops.errors import InvalidInput
from careops.i18n import _
from careops.policy.models import Policy
from careops.scheduler.owners import Holder, Roles, left_before, role_holder
from careops.scheduler.tables import action_item, dept, disclosure_check, staff
from careops.services.audit import actor_of, note
from careops.services.depts import resolve_dept
from careops.services.meetings import default_due
from careops.shell import arg

# What this module says to people (one place, ready for translation).
NO_ITEM = _("{item!r} is not a disclosure item. The items: {known}.")
OK_OR_FAIL = _("say how it was found: --ok or --fail.")
FAIL_NEEDS_DEPT = _(
    "say which department must put it right: --fail --dept DEPT (its head owns the action item, "
    "H3.7). Nothing was recorded."
)
NO_HEAD_WHY = _("{dept} has no head")
HEAD_LEFT_WHY = _("{dept}'s head {name} has left")
FALLS_TO = _(
    "action item #{id} falls to {name} ({role}): {why}; name a head with "
    "`careops dept edit {quoted} --head STAFF`."
)
NO_OWNER = _(
    "nobody owns the action item: {why} and nobody holds {roles}; no action item was written. Name a head "
    "with `careops dept edit {quoted} --head STAFF`."
)
DEPT_HEAD = "dept-head"
FUTURE = _("--on {day} is after today ({today}).")
DUE_BEFORE = _("--due {due} is before the day of the check ({day}).")
FAIL_NOTE = _("{title}: found not kept")
AUDIT_CHECK = _("{item} {result}{dept}")
OK_WORD, FAIL_WORD = "ok", "failed"
FOR_DEPT = _(" in {dept}")


@dataclass
class Checked:
    id: int
    item: CheckItem
    ok: bool
    dept: str | None
    action_id: int | None = None
    owner: str | None = None
    due: date | None = None
    # The role the action item fell to when the department has no head today (None: its head owns it).
    fell_to: str | None = None
    warnings: list[str] | None = None


@dataclass(frozen=True)
class CheckItem:
    """A disclosure item: the clause of a `check` rule of the policy, its short name and title."""

    id: str
    key: str
    title: str


def check_items(policy: Policy) -> list[CheckItem]:
    """Every item the policy checks (its rules of shape `check`), in the policy's order."""
    return [CheckItem(r.clause, r.key or r.clause, r.title) for r in policy.shaped("check")]


def find_item(policy: Policy, text: str) -> CheckItem:
    """H3.7.1, 3.7.1, 1 or the short name (badge…), any case."""
    key = (text or "").strip().lower()
    for item in check_items(policy):
        number = item.id.rsplit(".", 1)[1]
        if key in (item.id.lower(), item.id.lower().removeprefix("h"), number, item.key):
            return item
    known = ", ".join(f"{i.id} ({i.key})" for i in check_items(policy))
    raise InvalidInput(NO_ITEM.format(item=text, known=known))


def record_check(
    *,
    session: Session,
    clock: Clock,
    policy: Policy,
    item: str,
    ok: bool | None,
    note_text: str | None = None,
    dept_ref: str | None = None,
    on: date | None = None,
    due: date | None = None,
) -> Checked:
    found = find_item(policy, item)
    if ok is None:
        raise InvalidInput(OK_OR_FAIL)
    day = on or clock.today
    if day > clock.today:
        raise InvalidInput(FUTURE.format(day=day, today=clock.today))
    conn = session.connection()
    dept_row = resolve_dept(conn, dept_ref) if dept_ref else None
    if not ok and dept_row is None:
        raise InvalidInput(FAIL_NEEDS_DEPT)
    if due is not None and due < day:
        raise InvalidInput(DUE_BEFORE.format(due=due, day=day))
    owner: Holder | None = None
    fell_to, why = None, ""
    if not ok:
        assert dept_row is not None  # refused above: a failed check names its department
        owner, fell_to, why = dept_owner(conn, policy, dept_row.name, dept_row.head_id, clock.today)
    text = " ".join((note_text or "").split()) or None
    actor = actor_of(session)
    check_id = conn.execute(
        insert(disclosure_check)
        .values(
            item=found.id,
            ok=ok,
            dept_id=dept_row.id if dept_row is not None else None,
            day=day,
            note=text,
            by_id=actor.staff_id,
            created_at=clock.now_utc,
        )
        .returning(disclosure_check.c.id)
    ).scalar_one()
    where = FOR_DEPT.format(dept=dept_row.name) if dept_row is not None else ""
    note(
        session,
        clock,
        action="check",
        kind="check",
        record_id=check_id,
        detail=AUDIT_CHECK.format(item=found.id, result=OK_WORD if ok else FAIL_WORD, dept=where),
    )
    result = Checked(check_id, found, ok, dept_row.name if dept_row is not None else None)
    if not ok:
        assert dept_row is not None
        quoted = arg(dept_row.name)
        if owner is None:
            roles = ", ".join(r.removeprefix("role:") for r in policy.fallback.get(DEPT_HEAD, ()))
            result.warnings = [NO_OWNER.format(why=why, roles=roles or "-", quoted=quoted)]
            return result
        result.due = due or default_due(policy, clock, "check")
        result.owner = owner[1]
        result.fell_to = fell_to
        result.action_id = conn.execute(
            insert(action_item)
            .values(
                kind="check",
                text=text or FAIL_NOTE.format(title=found.title),
                check_id=check_id,
                owner_id=owner[0],
                due=result.due,
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
            record_id=result.action_id,
            staff_id=owner[0],
            detail=AUDIT_CHECK.format(item=found.id, result=FAIL_WORD, dept=where),
        )
        if fell_to is not None:
            result.warnings = [
                FALLS_TO.format(
                    id=result.action_id, name=owner[1], role=fell_to, why=why, quoted=quoted
                )
            ]
    return result


def dept_owner(
    conn: Connection, policy: Policy, name: str, head_id: int | None, today: date
) -> tuple[Holder | None, str | None, str]:
    """Who owns what a department must put right, as of today: its head while they have not left, else the
    first of the policy's `dept-head` fallbacks someone holds. Returns (owner, the role it fell to or None,
    why it fell)."""
    head = (
        conn.execute(
            select(staff.c.id, staff.c.name, left_before(today).label("left")).where(
                staff.c.id == head_id
            )
        ).first()
        if head_id is not None
        else None
    )
    if head is not None and not head.left:
        return (head.id, head.name), None, ""
    why = (
        HEAD_LEFT_WHY.format(dept=name, name=head.name)
        if head is not None
        else NO_HEAD_WHY.format(dept=name)
    )
    for spec in policy.fallback.get(DEPT_HEAD, ()):
        if spec.startswith("role:"):
            role = spec.removeprefix("role:")
            held = role_holder(conn, role, today)
            if held is not None:
                return held, role, why
    return None, None, why


def list_checks(
    *, session: Session, clock: Clock, policy: Policy, month: date | None = None
) -> dict[str, Any]:
    """The month's checks, one row per item: the last result, how many times, and the open action items."""
    conn = session.connection()
    period = period_of("month", month or clock.today)
    by = staff.alias("by")
    rows = conn.execute(
        select(
            disclosure_check.c.id,
            disclosure_check.c.item,
            disclosure_check.c.ok,
            disclosure_check.c.day,
            disclosure_check.c.note,
            dept.c.name.label("dept"),
            by.c.name.label("by"),
            action_item.c.id.label("action_id"),
            action_item.c.state.label("action_state"),
        )
        .select_from(
            disclosure_check.outerjoin(dept, dept.c.id == disclosure_check.c.dept_id)
            .outerjoin(by, by.c.id == disclosure_check.c.by_id)
            .outerjoin(
                action_item,
                (action_item.c.check_id == disclosure_check.c.id)
                & action_item.c.voided_at.is_(None),
            )
        )
        .where(
            disclosure_check.c.voided_at.is_(None),
            disclosure_check.c.created_at <= clock.now_utc,
            disclosure_check.c.day >= period.start,
            disclosure_check.c.day <= period.end,
        )
        .order_by(disclosure_check.c.item, disclosure_check.c.day, disclosure_check.c.id)
    ).all()
    checks = [
        {
            "id": r.id,
            "item": r.item,
            "result": OK_WORD if r.ok else FAIL_WORD,
            "day": r.day,
            "dept": r.dept,
            "by": r.by,
            "note": r.note,
            "action": r.action_id,
            "action_state": r.action_state,
        }
        for r in rows
    ]
    last = {c["item"]: c for c in checks}  # in order of day: the last one wins
    counts = Counter(c["item"] for c in checks)
    failed = Counter(c["item"] for c in checks if c["result"] == FAIL_WORD)
    items = [
        {
            "item": i.id,
            "key": i.key,
            "title": i.title,
            "checked": counts.get(i.id, 0),
            "failed": failed.get(i.id, 0),
            "last": last[i.id]["result"] if i.id in last else None,
            "last_day": last[i.id]["day"] if i.id in last else None,
        }
        for i in check_items(policy)
    ]
    rule = policy.first("check")
    owner = Roles(conn, clock.today).owner(rule)[0] if rule else None
    return {
        "month": period.label(),
        "owner": owner[1] if owner else None,
        "items": items,
        "checks": checks,
    }

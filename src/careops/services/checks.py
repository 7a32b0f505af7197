"""Disclosure checks (H3.7.1 … H3.7.7): each item looked at once a month; a failed one becomes an action
item owned by the department's head."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlmodel import Session

from careops.calendar.periods import period_of
from careops.clock import Clock
from careops.errors import InvalidInput
from careops.i18n import _
from careops.policy.models import CheckItem, Policy
from careops.scheduler.owners import role_holder
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
NO_HEAD = _(
    "the department {dept} has no head to own the action item: `careops dept edit {quoted} --head STAFF` first. "
    "Nothing was recorded."
)
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


def find_item(policy: Policy, text: str) -> CheckItem:
    """H3.7.1, 3.7.1, 1 or the short name (badge…), any case."""
    key = (text or "").strip().lower()
    for item in policy.office.check:
        number = item.id.rsplit(".", 1)[1]
        if key in (item.id.lower(), item.id.lower().removeprefix("h"), number, item.key):
            return item
    known = ", ".join(f"{i.id} ({i.key})" for i in policy.office.check)
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
    head = None
    if not ok:
        assert dept_row is not None  # refused above: a failed check names its department
        head = (
            conn.execute(
                select(staff.c.id, staff.c.name).where(staff.c.id == dept_row.head_id)
            ).first()
            if dept_row.head_id
            else None
        )
        if head is None:
            raise InvalidInput(NO_HEAD.format(dept=dept_row.name, quoted=arg(dept_row.name)))
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
        assert head is not None  # refused above: a failed check's department has a head
        result.due = due or default_due(policy, clock)
        result.owner = head.name
        result.action_id = conn.execute(
            insert(action_item)
            .values(
                kind="check",
                text=text or FAIL_NOTE.format(title=found.title),
                check_id=check_id,
                owner_id=head.id,
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
            staff_id=head.id,
            detail=AUDIT_CHECK.format(item=found.id, result=FAIL_WORD, dept=where),
        )
    return result


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
        for i in policy.office.check
    ]
    owner = role_holder(conn, policy.office.check_owner.removeprefix("role:"), clock.today)
    return {
        "month": period.label(),
        "owner": owner[1] if owner else None,
        "items": items,
        "checks": checks,
    }

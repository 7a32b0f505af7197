"""Shape `leave-step` (E1.2, E1.3): each open step of a leaving case (or the handover of a transfer), by the
last day; one rule per step (`step`). The final pay waits for every earlier step. The exit interview is the
rule owner's unless the employee chose the other side (`leave start --exit-interview-by`)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Row, or_, select

from careops.i18n import _
from careops.policy.models import Rule
from careops.scheduler.items import DueItem
from careops.scheduler.owners import mine
from careops.scheduler.people import STEP_ORDER, staff_item, step_done
from careops.scheduler.shapes import Context
from careops.scheduler.tables import leave_case, leave_step, staff

# What this module says to people (one place, ready for translation).
TITLE_BY = _("{title} ({by})")
TITLE_TRANSFER = _("hand over the work before the transfer to {dept}")
WHY = _("{name} leaves on {day:%Y-%m-%d}; open: {open}")
WHY_TRANSFER = _("{name} moves to {dept} on {day:%Y-%m-%d}; open: handover")
WHY_FINAL_PAY_WAITS = _("{name} leaves on {day:%Y-%m-%d}; final pay waits for: {open}")
WHY_LEFT = _(
    "{name}: left without completing the procedure (E1.2), last day {day:%Y-%m-%d}; open: {open}"
)
SIDES = {
    "manager": "manager",
    "hr": "role:hr",
}  # the employee's choice of side -> the owner it means


def items(ctx: Context, rules: list[Rule]) -> list[DueItem]:
    clock = ctx.clock
    by_step = {r.step: r for r in rules}
    employee = staff.alias("employee")
    manager = staff.alias("manager")
    rows = ctx.conn.execute(
        select(
            leave_case.c.id,
            leave_case.c.kind,
            leave_case.c.last_day,
            leave_case.c.exit_by,
            leave_case.c.to_dept,
            leave_step.c.step,
            step_done(clock).label("done"),
            employee.c.id.label("staff_id"),
            employee.c.name,
            manager.c.id.label("manager_id"),
            manager.c.name.label("manager_name"),
        )
        .select_from(
            leave_case.join(leave_step, leave_step.c.case_id == leave_case.c.id)
            .join(employee, employee.c.id == leave_case.c.staff_id)
            .outerjoin(manager, manager.c.id == employee.c.reports_to_id)
        )
        .where(
            leave_case.c.voided_at.is_(None),
            leave_case.c.created_at <= clock.now_utc,
            or_(leave_case.c.closed_at.is_(None), leave_case.c.closed_at > clock.now_utc),
        )
        .order_by(leave_case.c.id, leave_step.c.position)
    ).all()
    cases: dict[int, list[Row[Any]]] = defaultdict(list)
    for row in rows:
        cases[row.id].append(row)
    found = []
    for steps in cases.values():
        open_steps = [s.step for s in steps if not s.done]
        for row in steps:
            rule = by_step.get(row.step)
            if row.done or rule is None:
                continue
            item = _item(ctx, rule, row, open_steps)
            if mine(ctx.scope.owner_id, _holder(item)):
                found.append(item)
    return found


def exit_side(rule: Rule | None) -> str:
    """Who holds the exit interview unless the employee chose: `hr` or `manager` (the rule's owner)."""
    return "manager" if rule is not None and rule.owner == "manager" else "hr"


def _holder(item: DueItem) -> tuple[int, str] | None:
    return (item.owner_id, item.owner_name or "") if item.owner_id is not None else None


def _item(ctx: Context, rule: Rule, row: Row[Any], open_steps: list[str]) -> DueItem:
    clock = ctx.clock
    side = row.exit_by if row.step == "exit-interview" and row.exit_by else None
    if side is not None and SIDES[side] != rule.owner:
        rule = rule.model_copy(update={"owner": SIDES[side]})
    manager = (row.manager_id, row.manager_name) if row.manager_id is not None else None
    owner, fell = ctx.roles.owner(rule, manager)
    before = [s for s in open_steps if STEP_ORDER.index(s) < STEP_ORDER.index(row.step)]
    gone = row.last_day < clock.today
    waits = row.step == "final-pay" and bool(before)
    if row.kind == "transfer":
        title = TITLE_TRANSFER.format(dept=row.to_dept)
        why = WHY_TRANSFER.format(name=row.name, dept=row.to_dept, day=row.last_day)
    else:
        title = (
            TITLE_BY.format(title=rule.title, by=row.exit_by or exit_side(rule))
            if row.step == "exit-interview"
            else rule.title
        )
        words = WHY_LEFT if gone else WHY_FINAL_PAY_WAITS if waits else WHY
        shown = before if (waits and not gone) else open_steps
        why = words.format(name=row.name, day=row.last_day, open=", ".join(shown))
    return staff_item(
        rule,
        kind="leave",
        title=title,
        subject_id=row.staff_id,
        subject_name=row.name,
        owner=owner,
        due=row.last_day,
        status="overdue" if gone else "waiting" if waits else "due",
        ref=row.id,
        why=why + fell,
    )

"""Shape `probation` (E2.2): the manager interviews each employee on probation by the last working day on or
before the end of probation, listed from `opens` before; no event needed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from careops.i18n import _
from careops.policy.models import Rule, parse_offset
from careops.scheduler.items import DueItem
from careops.scheduler.owners import left_before, mine
from careops.scheduler.people import interview_held, probation_due, staff_item
from careops.scheduler.shapes import Context
from careops.scheduler.tables import interview, staff

# What this module says to people (one place, ready for translation).
WHY = _("probation ends on {ends:%Y-%m-%d}: the manager interviews {name} by {due:%Y-%m-%d}")


def items(ctx: Context, rules: list[Rule]) -> list[DueItem]:
    return [i for rule in rules for i in _items(ctx, rule)]


def _items(ctx: Context, rule: Rule) -> list[DueItem]:
    clock = ctx.clock
    manager = staff.alias("manager")
    done = interview_held(
        clock, interview.c.staff_id == staff.c.id, interview.c.kind == "probation"
    )
    rows = ctx.conn.execute(
        select(
            staff.c.id,
            staff.c.name,
            staff.c.probation_ends,
            manager.c.id.label("manager_id"),
            manager.c.name.label("manager_name"),
        )
        .select_from(staff.outerjoin(manager, manager.c.id == staff.c.reports_to_id))
        .where(
            staff.c.probation_ends.is_not(None),
            ~done,
            ~left_before(clock.today),
            staff.c.created_at <= clock.now_utc,
        )
    ).all()
    opens_days = parse_offset(rule.opens or "0d")[0]
    found = []
    for row in rows:
        holder = (row.manager_id, row.manager_name) if row.manager_id is not None else None
        owner, fell = ctx.roles.owner(rule, holder)
        if not mine(ctx.scope.owner_id, owner):
            continue
        due = probation_due(ctx.calendar, row.probation_ends)
        status = (
            "overdue"
            if due < clock.today
            else "upcoming"
            if clock.today < due - timedelta(days=opens_days)
            else "due"
        )
        found.append(
            staff_item(
                rule,
                kind="interview",
                title=rule.title,
                subject_id=row.id,
                subject_name=row.name,
                owner=owner,
                due=due,
                status=status,
                why=WHY.format(ends=row.probation_ends, name=row.name, due=due) + fell,
            )
        )
    return found

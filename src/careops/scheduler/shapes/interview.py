"""Shape `interview` (E2.2): an employee's event named in the rule's `on` (a pay change, a transfer…) asks the
employee's manager for an interview of the same kind within `due_in` of the event's day."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from careops.i18n import _
from careops.policy.models import Rule
from careops.scheduler.deadlines import offset
from careops.scheduler.items import DueItem
from careops.scheduler.owners import left_before, mine
from careops.scheduler.people import interview_held, staff_item, within_words
from careops.scheduler.shapes import Context
from careops.scheduler.tables import event, interview, staff

# What this module says to people (one place, ready for translation).
TITLE = _("{kind} interview")
WHY = _("{kind} recorded on {day:%Y-%m-%d}: the manager interviews {name} within {within}")


def items(ctx: Context, rules: list[Rule]) -> list[DueItem]:
    return [i for rule in rules for i in _items(ctx, rule)]


def _items(ctx: Context, rule: Rule) -> list[DueItem]:
    clock = ctx.clock
    assert rule.due_in is not None  # the shape needs it
    manager = staff.alias("manager")
    done = interview_held(
        clock,
        interview.c.staff_id == event.c.staff_id,
        interview.c.kind == event.c.kind,
        interview.c.day >= event.c.on_day,
    )
    rows = ctx.conn.execute(
        select(
            event.c.id,
            event.c.kind,
            event.c.on_day,
            staff.c.id.label("staff_id"),
            staff.c.name,
            manager.c.id.label("manager_id"),
            manager.c.name.label("manager_name"),
        )
        .select_from(
            event.join(staff, staff.c.id == event.c.staff_id).outerjoin(
                manager, manager.c.id == staff.c.reports_to_id
            )
        )
        .where(
            event.c.staff_id.is_not(None),
            event.c.kind.in_(rule.on),
            event.c.voided_at.is_(None),
            event.c.created_at <= clock.now_utc,
            event.c.at <= clock.now_utc,
            ~done,
            ~left_before(clock.today),
        )
    ).all()
    within = within_words(rule.due_in)
    found = []
    for row in rows:
        holder = (row.manager_id, row.manager_name) if row.manager_id is not None else None
        owner, fell = ctx.roles.owner(rule, holder)
        if not mine(ctx.scope.owner_id, owner):
            continue
        due = offset(
            rule.due_in,
            clock.localize(datetime.combine(row.on_day, datetime.min.time())),
            ctx.calendar,
        )
        day = due.date() if isinstance(due, datetime) else due
        found.append(
            staff_item(
                rule,
                kind="interview",
                title=TITLE.format(kind=row.kind),
                subject_id=row.staff_id,
                subject_name=row.name,
                owner=owner,
                due=day,
                status="overdue" if day < clock.today else "due",
                ref=row.id,
                why=WHY.format(kind=row.kind, day=row.on_day, name=row.name, within=within) + fell,
            )
        )
    return found

"""Shape `check` (H3.7): one disclosure item (the rule's clause, H3.7.1…) checked once a `period` by its owner
(the office). A period that passed without a check carries over (overdue, `missed_period`). A failed check's
put-right is an `action` item. Only on a hospital site (a clinical department recorded)."""

from __future__ import annotations

from sqlalchemy import select

from careops.calendar.periods import period_of
from careops.i18n import _
from careops.policy.models import Rule
from careops.scheduler.items import DueItem
from careops.scheduler.office import HOSPITAL, checked_in, hospital_since
from careops.scheduler.owners import mine
from careops.scheduler.people import staff_item
from careops.scheduler.shapes import Context

# What this module says to people (one place, ready for translation).
TITLE = _("check: {title}")
WHY = _("{title}: not checked in {period} (`careops check record {item} --ok|--fail`)")
WHY_MISSED = _("{title}: not checked in {period}, nor in {previous}")


def items(ctx: Context, rules: list[Rule]) -> list[DueItem]:
    clock = ctx.clock
    began = hospital_since(ctx.conn, clock)
    if began is None:
        return []
    found = []
    for rule in rules:
        assert rule.period is not None  # the shape needs it
        owner, fell = ctx.roles.owner(rule)
        if not mine(ctx.scope.owner_id, owner):
            continue
        period = period_of(rule.period, clock.today)
        previous = period.previous()
        checked = checked_in(period, clock).subquery()
        before = checked_in(previous, clock).subquery()
        row = ctx.conn.execute(
            select(
                select(checked.c.item).where(checked.c.item == rule.clause).exists().label("now"),
                select(before.c.item).where(before.c.item == rule.clause).exists().label("before"),
            )
        ).one()
        if row.now:
            continue
        missed = began <= previous.start and not row.before
        why = (WHY_MISSED if missed else WHY).format(
            title=rule.title, period=period.name(), previous=previous.name(), item=rule.clause
        )
        found.append(
            staff_item(
                rule,
                kind="check",
                title=TITLE.format(title=rule.title),
                subject_type="hospital",
                subject_id=rule.clause,
                subject_name=HOSPITAL,
                owner=owner,
                due=period.end,
                status="overdue" if missed else "due",
                period=period.label(),
                missed=previous.label() if missed else None,
                why=why + fell,
            )
        )
    return found

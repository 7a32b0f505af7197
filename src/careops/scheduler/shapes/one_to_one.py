"""Shape `one-to-one` (E2.1): each manager–report pair, one one-to-one of at least `minutes` by the current
manager each `period`; pooled into the daily share like the monthly visits. A period that passed without one
carries over (overdue, `missed_period`)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import exists, func, literal, or_, select

from careops.calendar.periods import period_of
from careops.clock import Clock
from careops.i18n import _
from careops.policy.models import Rule
from careops.scheduler.items import DueItem
from careops.scheduler.owners import left_before, mine
from careops.scheduler.people import one_to_one_counts, staff_item
from careops.scheduler.shapes import Context
from careops.scheduler.tables import interview, staff

# What this module says to people (one place, ready for translation).
WHY = _("one-to-one with {manager}: none of {minutes} min or more yet in {period}")
WHY_MISSED = _(
    "one-to-one with {manager}: none of {minutes} min or more in {period}, none in {previous} either"
)


def items(ctx: Context, rules: list[Rule]) -> list[DueItem]:
    return [i for rule in rules for i in _items(ctx, rule)]


def _items(ctx: Context, rule: Rule) -> list[DueItem]:
    clock = ctx.clock
    assert rule.period is not None and rule.minutes is not None  # the shape needs both
    period = period_of(rule.period, clock.today)
    counts = one_to_one_counts(rule.minutes)
    until_day = clock.today - timedelta(days=1) if ctx.settled_today else clock.today
    seen = interview.c.created_at <= clock.now_utc
    met = exists(
        select(literal(1)).where(
            counts, seen, interview.c.day >= period.start, interview.c.day <= until_day
        )
    )
    last = (
        select(func.max(interview.c.day))
        .where(counts, seen, interview.c.day <= until_day)
        .scalar_subquery()
    )
    settled = (
        exists(select(literal(1)).where(counts, seen, interview.c.day == clock.today))
        if ctx.settled_today
        else literal(False)
    )
    manager = staff.alias("manager")
    since_col = func.coalesce(staff.c.reports_since, staff.c.hired)
    conds = [
        staff.c.reports_to_id.is_not(None),
        ~left_before(clock.today),
        ~met,
        staff.c.created_at <= clock.now_utc,
        or_(staff.c.hired.is_(None), staff.c.hired <= clock.today),
    ]
    if rule.among:
        among = [r.value for r in rule.among]
        conds.append(or_(staff.c.role.in_(among), manager.c.role.in_(among)))
    rows = ctx.conn.execute(
        select(
            staff.c.id,
            staff.c.name,
            staff.c.created_at,
            since_col.label("since"),
            manager.c.id.label("manager_id"),
            manager.c.name.label("manager_name"),
            last.label("last"),
            settled.label("settled"),
        )
        .select_from(staff.join(manager, manager.c.id == staff.c.reports_to_id))
        .where(*conds)
    ).all()
    previous = period.previous()
    found = []
    for row in rows:
        owner, fell = ctx.roles.owner(rule, (row.manager_id, row.manager_name))
        if not mine(ctx.scope.owner_id, owner):
            continue
        since = row.since or clock.local_date(row.created_at)
        missed = since <= previous.start and (row.last is None or row.last < previous.start)
        why = (WHY_MISSED if missed else WHY).format(
            manager=row.manager_name,
            minutes=rule.minutes,
            period=period.name(),
            previous=previous.name(),
        )
        found.append(
            staff_item(
                rule,
                kind="cadence",
                title=rule.title,
                subject_id=row.id,
                subject_name=row.name,
                owner=owner,
                due=period.end,
                status="overdue" if missed else "due",
                last_contact=_day_start(clock, row.last),
                period=period.label(),
                missed=previous.label() if missed else None,
                settled=bool(row.settled),
                pooled=True,
                why=why + fell,
            )
        )
    return found


def _day_start(clock: Clock, day: date | None) -> datetime | None:
    return None if day is None else clock.local(clock.day_start_utc(day))

"""Visit plans (P1): which household a butler visits on which working day of a month, and what the supervisor owes.

A draft gives every household under one of the butler's cadence rules a working day of the month (China's
official calendar), longest-uncontacted first, spread evenly over the month: day loads differ by at most one. An item
planned by phone (the rule's first channel; the owners not moved in) never falls on a Monday (P3).

Once the supervisor approves the plan, `due` lists a household on its planned day instead of in the daily
share, and as overdue against the plan once that day has passed without a qualifying contact. The supervisor's
own items: each butler's monthly plan not approved by the month's 3rd working day, and in January each
butler's yearly plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Connection, and_, exists, func, literal, or_, select

from careops.calendar.periods import period_of
from careops.calendar.workdays import WorkCalendar
from careops.clock import Clock
from careops.i18n import _
from careops.policy.models import Policy, Rule
from careops.scheduler.cadence import Scope, qualifying, subject_filter
from careops.scheduler.deadlines import day_after
from careops.scheduler.items import DueItem
from careops.scheduler.owners import Holder, Roles
from careops.scheduler.tables import party, staff, tag, visit, visit_plan, visit_plan_item, zone
from careops.shell import arg
from careops.vocab import Channel

if TYPE_CHECKING:
    from careops.scheduler.shapes import Context

MONDAY = 0

# What this module says to people (one place, ready for translation).
WHY_PLAN_MISSED = _("{title}: planned for {day:%Y-%m-%d} in the approved plan, no contact yet")
PLAN_TITLE = _("approve the visit plan for {period}")
DRAFT_TITLE = _("draft and approve the visit plan for {period}")
YEAR_TITLE = _("approve the yearly visit plan for {period}")
WHY_NOT_DRAFTED = _(
    "{name}'s plan for {period} is not drafted yet: `careops plan month --staff {staff} --month {period}`"
)
WHY_UNAPPROVED = _(
    "{name}'s plan for {period} (#{id}) waits for approval: "
    "`careops plan approve --staff {staff} --month {period} --by SUPERVISOR`"
)
WHY_YEAR = _(
    "P1: review {name}'s visit plans for {period} at the start of the year: "
    "`careops plan year --staff {staff}`, then `careops plan approve --staff {staff} --year {period} --by SUPERVISOR`"
)


def plan_rules(policy: Policy) -> list[Rule]:
    """The rules a butler's plan covers: each household of the butler's zones under a cadence (P1)."""
    rules = []
    for r in policy.cadence_rules():
        assert r.subject is not None  # a cadence rule
        if r.owner == "zone-butler" and r.mode == "each" and r.subject.kind == "household":
            rules.append(r)
    return rules


def planned_channel(rule: Rule) -> str:
    return rule.channels[0].value


@dataclass(frozen=True)
class Candidate:
    butler_id: int
    party_id: int
    rule: str
    channel: str
    last: datetime | None  # the last qualifying contact (UTC), None: never


def candidates(
    conn: Connection, policy: Policy, clock: Clock, butler_ids: list[int], first: date
) -> list[Candidate]:
    """Every household of these butlers' zones that a plan for the month starting `first` must place: under one
    of the plan rules by the month's end, and not yet contacted in the rule's period (as of now). One query per rule."""
    last_day = period_of("month", first).end
    found: list[Candidate] = []
    for rule in plan_rules(policy):
        assert rule.period is not None and rule.subject is not None  # a cadence rule
        period = period_of(rule.period, first)
        match = visit.c.party_id == party.c.id
        source, met = qualifying(
            rule, match, clock.now_utc, since=clock.day_start_utc(period.start)
        )
        _, ever = qualifying(rule, match, clock.now_utc)
        last = select(func.max(visit.c.at)).select_from(source).where(ever).scalar_subquery()
        from_ = party.join(zone, zone.c.id == party.c.zone_id)
        since = party.c.status_since
        if rule.subject.tag:
            from_ = from_.join(
                tag, and_(tag.c.party_id == party.c.id, tag.c.tag == rule.subject.tag)
            )
            since = tag.c.since
        query = (
            select(zone.c.butler_id, party.c.id, last.label("last"))
            .select_from(from_)
            .where(
                *subject_filter(rule),
                zone.c.butler_id.in_(butler_ids),
                or_(since.is_(None), since <= last_day),
                ~exists(select(literal(1)).select_from(source).where(met)),
            )
        )
        channel = planned_channel(rule)
        found += [Candidate(b, p, rule.id, channel, at) for b, p, at in conn.execute(query)]
    return found


def working_days(calendar: WorkCalendar, first: date, last: date) -> list[date]:
    days: list[date] = []
    day = first
    while day <= last:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def assign(items: list[Candidate], days: list[date]) -> list[tuple[Candidate, date]]:
    """Longest-uncontacted first, spread evenly over the month: the k-th of n items goes to day ⌊k·d/n⌋, so the
    days' loads differ by at most one (and with fewer items than days, they are spaced out, not bunched at the
    start). An item planned by phone skips Mondays, taking the next day with room; if only Mondays have room
    left, it goes to the least-loaded other day from there on (or, at the month's end, before)."""
    ordered = sorted(
        items, key=lambda c: (c.last is not None, c.last or datetime.min, c.party_id, c.rule)
    )
    capacity = [0] * len(days)
    for k in range(len(ordered)):
        capacity[k * len(days) // len(ordered)] += 1
    load = [0] * len(days)
    placed: list[tuple[Candidate, date]] = []
    start = 0  # the first day that may still have room
    for item in ordered:
        allowed = [
            i
            for i in range(len(days))
            if not (item.channel == Channel.phone.value and days[i].weekday() == MONDAY)
        ]
        if (
            not allowed
        ):  # a month whose only working days are Mondays: P3 still rules out phoning then
            allowed = list(range(len(days)))
        while start < len(days) and load[start] >= capacity[start]:
            start += 1
        slot = next((i for i in allowed if i >= start and load[i] < capacity[i]), None)
        if (
            slot is None
        ):  # its days are full or Mondays: the least-loaded allowed day from here, else before
            ahead = [i for i in allowed if i >= start] or allowed
            slot = min(ahead, key=lambda i: (load[i], i))
        load[slot] += 1
        placed.append((item, days[slot]))
    return placed


# Approved plans in `due`.


def approved_days(conn: Connection, clock: Clock, scope: Scope) -> dict[tuple[int, str], date]:
    """(household, rule) -> its day in an approved, live plan for this month (of the butler asked for, or of all)."""
    first = clock.today.replace(day=1)
    live = [
        visit_plan.c.period == "month",
        visit_plan.c.first_day == first,
        visit_plan.c.voided_at.is_(None),
        visit_plan.c.approved_at.is_not(None),
        visit_plan.c.approved_at <= clock.now_utc,  # approved as of the clock
    ]
    if scope.owner_id is not None:
        live.append(visit_plan.c.staff_id == scope.owner_id)
    if not conn.execute(
        select(exists(select(literal(1)).select_from(visit_plan).where(*live)))
    ).scalar():
        return {}
    query = (
        select(visit_plan_item.c.party_id, visit_plan_item.c.rule, visit_plan_item.c.day)
        .select_from(visit_plan_item.join(visit_plan, visit_plan.c.id == visit_plan_item.c.plan_id))
        .where(*live)
    )
    if scope.zone_id is not None or scope.party_id is not None:
        query = query.join(party, party.c.id == visit_plan_item.c.party_id)
        if scope.zone_id is not None:
            query = query.where(party.c.zone_id == scope.zone_id)
        if scope.party_id is not None:
            query = query.where(party.c.id == scope.party_id)
    return {(p, r): d for p, r, d in conn.execute(query)}


def mark_planned(items: list[DueItem], days: dict[tuple[int, str], date], today: date) -> None:
    """Give each cadence item its planned day (its due day from now on); a day passed without contact makes it
    overdue against the plan."""
    if not days:
        return
    for item in items:
        if item.kind != "cadence" or not isinstance(item.subject_id, int):
            continue
        day = days.get((item.subject_id, item.rule))
        if day is None:
            continue
        item.planned = day
        if (
            item.status == "overdue" and day > today
        ):  # missed last period: still overdue, planned later
            continue
        item.due = day
        if day < today and item.status == "due":
            item.status = "overdue"
            item.why = WHY_PLAN_MISSED.format(title=item.title, day=day)


# The supervisor's items (P1).


def supervisor_items(
    conn: Connection, policy: Policy, clock: Clock, calendar: WorkCalendar, scope: Scope
) -> list[DueItem]:
    """The supervisor's items of every `plan-approval` rule (the shape's entry point with its own context)."""
    from careops.scheduler.shapes import Context

    if scope.zone_id is not None or scope.party_id is not None:
        return []  # a zone's or a household's list holds no plan
    ctx = Context(conn, policy, clock, calendar, scope, Roles(conn, clock.today))
    return approval_items(ctx, policy.shaped("plan-approval"))


def approval_items(ctx: Context, rules: list[Rule]) -> list[DueItem]:
    """Shape `plan-approval` (P1): each butler's visit plan for the rule's `period` (month, year) not approved
    yet, due `due_in` after the period's eve (3 working days into the month; 31 days into the year); a yearly
    plan is asked for during the year's first month. Only on a site with a plan rule and someone holding the
    rule's owner role (the supervisor), and only in their list."""
    conn, clock, calendar, scope = ctx.conn, ctx.clock, ctx.calendar, ctx.scope
    if not rules or not plan_rules(ctx.policy):
        return []
    today = clock.today
    butlers = (
        select(staff.c.id, staff.c.name)
        .where(staff.c.id.in_(select(zone.c.butler_id)), staff.c.id.not_in(ctx.roles.gone))
        .order_by(staff.c.name_pinyin, staff.c.name, staff.c.id)
    )
    owed = []  # (rule, supervisor, plans by butler, due day, period label) of each rule owed today
    for rule in rules:
        holder = ctx.roles.owner(rule)[0]
        if holder is None or (scope.owner_id is not None and scope.owner_id != holder[0]):
            continue
        assert rule.period is not None and rule.due_in is not None  # the shape needs both
        period = period_of(rule.period, today)
        if rule.period == "year" and today.month != 1:
            continue  # the year's plan is reviewed at its start
        plans = {
            row.staff_id: row
            for row in conn.execute(
                select(visit_plan.c.id, visit_plan.c.staff_id, visit_plan.c.approved_at).where(
                    visit_plan.c.voided_at.is_(None),
                    visit_plan.c.created_at <= clock.now_utc,
                    visit_plan.c.period == rule.period,
                    visit_plan.c.first_day == period.start,
                )
            )
        }
        due = day_after(rule.due_in, period.start - timedelta(days=1), calendar)
        owed.append((rule, holder, plans, due, period.label()))
    items: list[DueItem] = []
    for butler_id, name in conn.execute(butlers) if owed else ():
        for rule, holder, plans, due, label in owed:
            plan = plans.get(butler_id)
            if (
                plan is not None
                and plan.approved_at is not None
                and plan.approved_at <= clock.now_utc
            ):
                continue  # approved as of the clock
            if rule.period == "year":
                title, why = YEAR_TITLE, WHY_YEAR
            else:
                title = DRAFT_TITLE if plan is None else PLAN_TITLE
                why = WHY_NOT_DRAFTED if plan is None else WHY_UNAPPROVED
            items.append(
                _item(
                    rule,
                    title.format(period=label),
                    butler_id,
                    name,
                    holder,
                    due,
                    today,
                    why.format(
                        name=name, period=label, staff=arg(name), id=plan.id if plan else None
                    ),
                    plan.id if plan and rule.period != "year" else None,
                    label,
                )
            )
    return items


def _item(
    rule: Rule,
    title: str,
    butler_id: int,
    name: str,
    holder: Holder,
    due: date,
    today: date,
    why: str,
    ref: int | None,
    period: str,
) -> DueItem:
    return DueItem(
        rule=rule.id,
        clause=rule.clause,
        strength=rule.strength,
        kind="plan",
        title=title,
        subject_type="staff",
        subject_id=butler_id,
        subject_name=name,
        subject_unit=None,
        owner_id=holder[0],
        owner_name=holder[1],
        due=due,
        status="overdue" if today > due else "due",
        last_contact=None,
        ref=ref,
        period=period,
        why=why,
    )

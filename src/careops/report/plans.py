"""The monthly report's visit plans (P1): plan against visits per butler, and the supervisor's approvals.

Plan against visits: the households of each butler's approved plan for the month, those reached in their period
and those whose planned day passed without a contact. Approvals, one row per rule of shape `plan-approval`: the
plans owed (one per butler who owns a zone), drafted, approved by the day `due` asks (the rule's `due_in` after
the period's eve) or after it, and still waiting for the supervisor at the month's end. Each an aggregate query:
never a step per household.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import Connection, and_, exists, func, literal, or_, select

from careops.calendar.periods import period_of
from careops.calendar.workdays import WorkCalendar
from careops.clock import Clock
from careops.i18n import _
from careops.policy.models import Policy, Rule
from careops.report.model import PCT, TEXT, Column, Section, pct
from careops.report.window import Month, ReportScope, as_of, count_if, counts
from careops.scheduler.cadence import qualifying
from careops.scheduler.deadlines import offset
from careops.scheduler.owners import role_holder
from careops.scheduler.people import within_words
from careops.scheduler.plans import plan_rules
from careops.scheduler.tables import party, staff, visit, visit_plan, visit_plan_item, zone

# What this module says to people (one place, ready for translation).
PLANS_TITLE = _("Plans against visits")
PLANS_NOTE = _(
    "Approved plans only. Visited: a qualifying contact in the month; planned day missed: the day "
    "passed without one."
)
APPROVALS_TITLE = _("Visit plans for the supervisor")
APPROVALS_NOTE = _(
    "A plan for each butler who owns a zone. Approved on time: within {within} of the period's start. "
    "Waiting: drafted, not approved at the month's end; not drafted: no plan at the month's end."
)
L_STAFF = _("Butler")
L_PLANNED = _("Planned")
L_VISITED = _("Visited")
L_PLAN_PCT = _("Plan done %")
L_PLAN_MISSED = _("Planned day missed")
L_PLAN = _("Plan")
L_PERIOD = _("Period")
L_OWED = _("Owed")
L_DRAFTED = _("Drafted")
L_ON_TIME = _("Approved on time")
L_LATE = _("Approved late")
L_WAITING = _("Waiting for approval")
L_NOT_DRAFTED = _("Not drafted")
APPROVAL_KEYS = ("owed", "drafted", "approved_on_time", "approved_late", "waiting", "not_drafted")
MONTH = "month"  # visit_plan.period of a month's plan


def plan_sections(
    conn: Connection, policy: Policy, clock: Clock, month: Month, scope: ReportScope
) -> list[Section]:
    found = [
        plans_section(conn, policy, clock, month, scope),
        approvals_section(conn, policy, clock, month, scope),
    ]
    return [s for s in found if s is not None]


def plans_section(
    conn: Connection, policy: Policy, clock: Clock, month: Month, scope: ReportScope
) -> Section | None:
    rules = plan_rules(policy)
    if not rules:
        return None
    visited_by_rule = []
    for rule in rules:
        assert rule.period is not None  # a cadence has a period
        start = clock.day_start_utc(period_of(rule.period, month.first).start)
        source, cond = qualifying(
            rule,
            visit.c.party_id == visit_plan_item.c.party_id,
            month.end_utc - timedelta(microseconds=1),
            since=start,
        )
        visited_by_rule.append(
            and_(
                visit_plan_item.c.rule == rule.id,
                exists(select(literal(1)).select_from(source).where(cond)),
            )
        )
    visited = or_(*visited_by_rule)
    passed = visit_plan_item.c.day < min(clock.today, month.last + timedelta(days=1))
    query = (
        select(
            staff.c.name.label("staff"),
            func.count().label("planned"),
            count_if(visited).label("visited"),
            count_if(and_(~visited, passed)).label("missed"),
        )
        .select_from(
            visit_plan_item.join(visit_plan, visit_plan.c.id == visit_plan_item.c.plan_id)
            .join(staff, staff.c.id == visit_plan.c.staff_id)
            .join(party, party.c.id == visit_plan_item.c.party_id)
        )
        .where(
            visit_plan.c.period == MONTH,
            visit_plan.c.first_day == month.first,
            visit_plan.c.voided_at.is_(None),
            visit_plan.c.approved_at.is_not(None),
        )
        .group_by(staff.c.id, staff.c.name, staff.c.name_pinyin)
        .order_by(staff.c.name_pinyin, staff.c.name)
    )
    if scope.zone_id is not None:
        query = query.where(party.c.zone_id == scope.zone_id)
    if scope.staff_id is not None:
        query = query.where(visit_plan.c.staff_id == scope.staff_id)
    rows = [
        {
            "staff": r.staff,
            "planned": r.planned,
            "visited": r.visited,
            "done_pct": pct(r.visited, r.planned),
            "missed": r.missed,
        }
        for r in conn.execute(query)
    ]
    columns = [
        Column("staff", L_STAFF, TEXT),
        Column("planned", L_PLANNED),
        Column("visited", L_VISITED),
        Column("done_pct", L_PLAN_PCT, PCT),
        Column("missed", L_PLAN_MISSED),
    ]
    return Section("plans", PLANS_TITLE, rules[0].clause, columns, rows, PLANS_NOTE)


def approvals_section(
    conn: Connection, policy: Policy, clock: Clock, month: Month, scope: ReportScope
) -> Section | None:
    """A row per rule of shape `plan-approval` whose period starts with the month (the month's plans every
    month, the year's in January), where plans are owed: plan rules, and someone holding the rule's owner role
    (the supervisor), as `due` asks."""
    rules = [
        r
        for r in policy.shaped("plan-approval")
        if r.period
        and period_of(r.period, month.first).start == month.first
        and _held(conn, r, clock)
    ]
    if not plan_rules(policy) or not rules:
        return None
    rows = []
    for rule in rules:
        assert rule.period is not None  # checked above
        period = period_of(rule.period, month.first)
        due = _deadline(rule, period.start, clock)
        figures = _approvals(conn, clock, month, scope, rule.period, period.start, due)
        rows.append({"plan": rule.title, "period": period.label(), **figures})
    columns = [
        Column("plan", L_PLAN, TEXT),
        Column("period", L_PERIOD, TEXT),
        Column("owed", L_OWED),
        Column("drafted", L_DRAFTED),
        Column("approved_on_time", L_ON_TIME),
        Column("approved_late", L_LATE),
        Column("waiting", L_WAITING),
        Column("not_drafted", L_NOT_DRAFTED),
    ]
    return Section(
        "plan_approvals",
        APPROVALS_TITLE,
        rules[0].clause,
        columns,
        rows,
        APPROVALS_NOTE.format(within=", ".join(within_words(r.due_in or "0d") for r in rules)),
        match=("plan",),
    )


def _held(conn: Connection, rule: Rule, clock: Clock) -> bool:
    """Someone holds the rule's owner role today (a site without a supervisor is owed no approval)."""
    role = rule.owner.removeprefix("role:")
    return not rule.owner.startswith("role:") or role_holder(conn, role, clock.today) is not None


def _deadline(rule: Rule, first: date, clock: Clock) -> date:
    """The plan is approved `due_in` after its period's eve (3 working days into the month)."""
    eve = clock.localize(datetime.combine(first - timedelta(days=1), time()))
    due = offset(rule.due_in or "0d", eve, WorkCalendar())
    return due.date() if isinstance(due, datetime) else due


def _approvals(
    conn: Connection,
    clock: Clock,
    month: Month,
    scope: ReportScope,
    kind: str,
    first: date,
    due: date,
) -> dict[str, int]:
    """Each butler's plan of `kind` starting `first` as it stood at the month's end (a redrafted plan is the
    one live then), approved by the end of `due` or after."""
    end = as_of(clock, month)
    p = visit_plan.c
    butlers = select(zone.c.butler_id).where(zone.c.butler_id.is_not(None))
    if scope.zone_id is not None:
        butlers = butlers.where(zone.c.id == scope.zone_id)
    live = and_(
        p.staff_id == staff.c.id,
        p.period == kind,
        p.first_day == first,
        p.created_at < end,
        or_(p.voided_at.is_(None), p.voided_at >= end),
    )
    approved = and_(p.approved_at.is_not(None), p.approved_at < end)
    by_due = p.approved_at < clock.day_start_utc(due + timedelta(days=1))
    query = (
        select(
            func.count().label("owed"),
            count_if(p.id.is_not(None)).label("drafted"),
            count_if(and_(approved, by_due)).label("approved_on_time"),
            count_if(and_(approved, ~by_due)).label("approved_late"),
            count_if(and_(p.id.is_not(None), ~approved)).label("waiting"),
            count_if(p.id.is_(None)).label("not_drafted"),
        )
        .select_from(staff.outerjoin(visit_plan, live))
        .where(staff.c.id.in_(butlers))
    )
    if scope.staff_id is not None:
        query = query.where(staff.c.id == scope.staff_id)
    return counts(conn.execute(query).one(), APPROVAL_KEYS)

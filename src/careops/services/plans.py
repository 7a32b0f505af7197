"""Visit plans (P1): draft a butler's month, show it, approve it (the supervisor), the year at a glance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Join,
    and_,
    case,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlmodel import Session

from careops import i18n
from careops.calendar.periods import MONTHS_IN, period_of
from careops.calendar.workdays import WorkCalendar
from careops.clock import Clock
from careops.errors import Conflict, InvalidInput, NotFound
from careops.i18n import _
from careops.policy.models import Policy
from careops.scheduler.cadence import qualifying, subject_filter
from careops.scheduler.plans import assign, candidates, plan_rules, working_days
from careops.scheduler.tables import party, staff, tag, visit, visit_plan, visit_plan_item, zone
from careops.services.audit import note
from careops.services.refs import Record, resolve_staff
from careops.shell import arg
from careops.vocab import Role

# What this module says to people (one place, ready for translation).
NO_ZONE = _(
    "{name} owns no zone, so has no households to plan. Give them one first: "
    "`careops zone edit ZONE --butler {staff}`."
)
NO_BUTLERS = _("no staff member owns a zone yet: `careops zone add NAME --butler STAFF` first.")
NO_RULES = _(
    "the policy has no visit rule owned by the zone's butler, so there is nothing to plan."
)
PAST_MONTH = _("{month} is over: a plan is for this month or a later one.")
NO_DAYS = _("no working day is left in {month} to plan.")
APPROVED = _(
    "{name}'s plan for {period} was approved by {by} on {day}. To redraft it, void it first: "
    "`careops void plan {id} --reason TEXT`."
)
NOT_SUPERVISOR = _(
    "only the butler department's supervisor approves visit plans (P1); {name} has role {role}."
)
NO_DRAFT = _(
    "{name} has no plan for {month} yet: `careops plan month --staff {staff} --month {month}` drafts it."
)
NO_PLANS = _(
    "no visit plan for {month} yet: `careops plan month --month {month}` drafts every butler's."
)
ALREADY = _("{name}'s plan for {period} is already approved (by {by} on {day}).")
MONTH_OR_YEAR = _("give the plan's --month YYYY-MM or its --year YYYY.")
AUDIT_DRAFT = _("plan for {month}: {households} households over {days} working days")
AUDIT_APPROVED = _("approved the plan for {period}")
REDRAFTED = _("redrafted")
STATE_DRAFT, STATE_APPROVED = "draft", "approved"
DONE, MISSED, TODAY, PLANNED = "done", "missed", "today", "planned"
VISITED, NOT_YET, NOT_DUE = "✓", "✗", "·"


@dataclass
class Drafted:
    plan_id: int
    staff: str
    month: date
    households: int
    days: int
    replaced: int | None  # the draft this one replaces


def _butlers(conn: Connection, staff_ref: str | None) -> Sequence[Record]:
    if staff_ref is not None:
        person = resolve_staff(conn, staff_ref)
        if not conn.execute(
            select(exists(select(literal(1)).where(zone.c.butler_id == person.id)))
        ).scalar():
            raise InvalidInput(NO_ZONE.format(name=person.name, staff=arg(person.name)))
        return [person]
    rows = conn.execute(
        select(staff.c.id, staff.c.name, staff.c.role)
        .where(staff.c.id.in_(select(zone.c.butler_id)))
        .order_by(staff.c.name_pinyin, staff.c.name, staff.c.id)
    ).all()
    if not rows:
        raise InvalidInput(NO_BUTLERS)
    return rows


def draft_month(
    *,
    session: Session,
    clock: Clock,
    policy: Policy,
    calendar: WorkCalendar,
    staff_ref: str | None,
    month: date | None,
) -> list[Drafted]:
    """Draft (or redraft) the month's plan of one butler, or of every butler who owns a zone."""
    conn = session.connection()
    first = (month or clock.today).replace(day=1)
    last = period_of("month", first).end
    label = first.strftime("%Y-%m")
    if last < clock.today:
        raise InvalidInput(PAST_MONTH.format(month=label))
    if not plan_rules(policy):
        raise InvalidInput(NO_RULES)
    days = working_days(calendar, max(first, clock.today), last)
    if not days:
        raise InvalidInput(NO_DAYS.format(month=label))
    butlers = _butlers(conn, staff_ref)
    ids = [b.id for b in butlers]
    # One draft at a time per butler: their staff rows are locked until the plan is written.
    conn.execute(
        select(staff.c.id).where(staff.c.id.in_(ids)).order_by(staff.c.id).with_for_update()
    ).all()
    existing = {
        r.staff_id: r
        for r in conn.execute(
            select(visit_plan, staff.c.name.label("by_name"))
            .outerjoin(staff, staff.c.id == visit_plan.c.approved_by_id)
            .where(
                visit_plan.c.staff_id.in_(ids),
                visit_plan.c.period == "month",
                visit_plan.c.first_day == first,
                visit_plan.c.voided_at.is_(None),
            )
            .with_for_update(of=visit_plan)
        )
    }
    for b in butlers:
        old = existing.get(b.id)
        if old is not None and old.approved_at is not None:
            raise Conflict(
                APPROVED.format(
                    name=b.name,
                    period=label,
                    by=old.by_name,
                    day=clock.local_date(old.approved_at),
                    id=old.id,
                )
            )
    found = candidates(conn, policy, clock, ids, first)
    results = []
    for b in butlers:
        old = existing.get(b.id)
        if old is not None:
            conn.execute(
                update(visit_plan)
                .where(visit_plan.c.id == old.id)
                .values(voided_at=clock.now_utc, void_reason=str(REDRAFTED))
            )
            note(
                session,
                clock,
                action="void",
                kind="plan",
                record_id=old.id,
                staff_id=b.id,
                reason=str(REDRAFTED),
            )
        plan_id = conn.execute(
            insert(visit_plan)
            .values(staff_id=b.id, period="month", first_day=first, created_at=clock.now_utc)
            .returning(visit_plan.c.id)
        ).scalar_one()
        placed = assign([c for c in found if c.butler_id == b.id], days)
        if placed:
            conn.execute(
                insert(visit_plan_item),
                [
                    {
                        "plan_id": plan_id,
                        "party_id": c.party_id,
                        "rule": c.rule,
                        "day": day,
                        "channel": c.channel,
                    }
                    for c, day in placed
                ],
            )
        note(
            session,
            clock,
            action="draft",
            kind="plan",
            record_id=plan_id,
            staff_id=b.id,
            detail=AUDIT_DRAFT.format(month=label, households=len(placed), days=len(days)),
        )
        results.append(
            Drafted(
                plan_id, b.name, first, len(placed), len(days), old.id if old is not None else None
            )
        )
    return results


def approve(
    *,
    session: Session,
    clock: Clock,
    staff_ref: str,
    by_ref: str,
    month: date | None,
    year: int | None,
) -> dict[str, Any]:
    conn = session.connection()
    if (month is None) == (year is None):
        raise InvalidInput(MONTH_OR_YEAR)
    by = resolve_staff(conn, by_ref)
    if by.role != Role.supervisor.value:
        raise InvalidInput(NOT_SUPERVISOR.format(name=by.name, role=by.role))
    butler = _butlers(conn, staff_ref)[0]
    # One approval or draft at a time per butler (as in draft_month): a second one reads the first one's result.
    conn.execute(select(staff.c.id).where(staff.c.id == butler.id).with_for_update()).all()
    if month is not None:
        period, first = "month", month.replace(day=1)
    else:
        assert year is not None  # one of the two, as checked above
        period, first = "year", date(year, 1, 1)
    label = first.strftime("%Y-%m") if period == "month" else str(first.year)
    row = conn.execute(
        select(visit_plan, staff.c.name.label("by_name"))
        .outerjoin(staff, staff.c.id == visit_plan.c.approved_by_id)
        .where(
            visit_plan.c.staff_id == butler.id,
            visit_plan.c.period == period,
            visit_plan.c.first_day == first,
            visit_plan.c.voided_at.is_(None),
        )
        .with_for_update(of=visit_plan)
    ).first()
    if row is not None and row.approved_at is not None:
        raise Conflict(
            ALREADY.format(
                name=butler.name,
                period=label,
                by=row.by_name,
                day=clock.local_date(row.approved_at),
            )
        )
    if row is None and period == "month":
        raise NotFound(NO_DRAFT.format(name=butler.name, month=label, staff=arg(butler.name)))
    if row is None:  # the year's plan is every month's households: approving it records it
        plan_id = conn.execute(
            insert(visit_plan)
            .values(
                staff_id=butler.id,
                period="year",
                first_day=first,
                created_at=clock.now_utc,
                approved_at=clock.now_utc,
                approved_by_id=by.id,
            )
            .returning(visit_plan.c.id)
        ).scalar_one()
    else:
        plan_id = row.id
        conn.execute(
            update(visit_plan)
            .where(visit_plan.c.id == plan_id)
            .values(approved_at=clock.now_utc, approved_by_id=by.id)
        )
    note(
        session,
        clock,
        action="approve",
        kind="plan",
        record_id=plan_id,
        staff_id=butler.id,
        detail=AUDIT_APPROVED.format(period=label),
    )
    return {"id": plan_id, "staff": butler.name, "period": label, "by": by.name}


def _done(clock: Clock, policy: Policy, first: date) -> ColumnElement[bool]:
    """A plan item has had a qualifying contact in its rule's period so far (the period holding the month `first`)."""
    conds: list[ColumnElement[bool]] = []
    for rule in plan_rules(policy):
        assert rule.period is not None  # a cadence has a period
        source, met = qualifying(
            rule,
            visit.c.party_id == visit_plan_item.c.party_id,
            clock.now_utc,
            since=clock.day_start_utc(period_of(rule.period, first).start),
        )
        conds.append(
            and_(
                visit_plan_item.c.rule == rule.id,
                exists(select(literal(1)).select_from(source).where(met)),
            )
        )
    return or_(*conds) if conds else literal(False)


def show_month(
    *, session: Session, clock: Clock, policy: Policy, staff_ref: str | None, month: date | None
) -> dict[str, Any]:
    """One butler's plan day by day (`staff_ref`), or every butler's plan of the month in one line each."""
    conn = session.connection()
    first = (month or clock.today).replace(day=1)
    label = first.strftime("%Y-%m")
    approver = staff.alias("approver")
    live = [
        visit_plan.c.period == "month",
        visit_plan.c.first_day == first,
        visit_plan.c.voided_at.is_(None),
    ]
    done = _done(clock, policy, first)
    today = clock.today
    if staff_ref is None:
        query = (
            select(
                visit_plan.c.id,
                staff.c.name.label("staff"),
                approver.c.name.label("approved_by"),
                visit_plan.c.approved_at,
                func.count(visit_plan_item.c.party_id).label("households"),
                func.count(func.distinct(visit_plan_item.c.day)).label("days"),
                func.sum(case((done, 1), else_=0)).label("done"),
                func.sum(case((and_(~done, visit_plan_item.c.day < today), 1), else_=0)).label(
                    "missed"
                ),
            )
            .select_from(
                visit_plan.join(staff, staff.c.id == visit_plan.c.staff_id)
                .outerjoin(approver, approver.c.id == visit_plan.c.approved_by_id)
                .outerjoin(visit_plan_item, visit_plan_item.c.plan_id == visit_plan.c.id)
            )
            .where(*live)
            .group_by(
                visit_plan.c.id,
                staff.c.name,
                staff.c.name_pinyin,
                approver.c.name,
                visit_plan.c.approved_at,
            )
            .order_by(staff.c.name_pinyin, staff.c.name, visit_plan.c.id)
        )
        rows = [
            {
                "id": r.id,
                "staff": r.staff,
                "month": label,
                "state": STATE_APPROVED if r.approved_at else STATE_DRAFT,
                "approved_by": r.approved_by,
                "approved_on": clock.local_date(r.approved_at) if r.approved_at else None,
                "households": r.households,
                "days": r.days,
                "done": r.done or 0,
                "missed": r.missed or 0,
            }
            for r in conn.execute(query)
        ]
        if not rows:
            raise NotFound(NO_PLANS.format(month=label))
        return {"month": label, "plans": rows}
    butler = _butlers(conn, staff_ref)[0]
    plan = conn.execute(
        select(visit_plan, approver.c.name.label("approved_by"))
        .outerjoin(approver, approver.c.id == visit_plan.c.approved_by_id)
        .where(*live, visit_plan.c.staff_id == butler.id)
    ).first()
    if plan is None:
        raise NotFound(NO_DRAFT.format(name=butler.name, month=label, staff=arg(butler.name)))
    days = _days(conn, clock, policy, [plan.id], first)
    return {
        "id": plan.id,
        "staff": butler.name,
        "month": label,
        "state": STATE_APPROVED if plan.approved_at else STATE_DRAFT,
        "approved_by": plan.approved_by,
        "approved_on": clock.local_date(plan.approved_at) if plan.approved_at else None,
        "households": len(days),
        "working_days": len({d["day"] for d in days}),
        "done": sum(d["status"] == DONE for d in days),
        "missed": sum(d["status"] == MISSED for d in days),
        "days": days,
    }


def _with_tag(subject_tag: str | None, from_: Join) -> Join:
    if subject_tag:
        from_ = from_.join(tag, and_(tag.c.party_id == party.c.id, tag.c.tag == subject_tag))
    return from_


def _days(
    conn: Connection, clock: Clock, policy: Policy, plan_ids: Sequence[int], first: date
) -> list[dict[str, Any]]:
    """The plans' items in day order, each with its status today: done, missed, today, planned."""
    rules = {r.id: r for r in plan_rules(policy)}
    query = (
        select(
            visit_plan_item.c.plan_id,
            visit_plan_item.c.day,
            visit_plan_item.c.rule,
            visit_plan_item.c.channel,
            party.c.id,
            party.c.name,
            party.c.unit,
            zone.c.name.label("zone"),
            staff.c.name.label("staff"),
            _done(clock, policy, first).label("done"),
        )
        .select_from(
            visit_plan_item.join(party, party.c.id == visit_plan_item.c.party_id)
            .join(visit_plan, visit_plan.c.id == visit_plan_item.c.plan_id)
            .join(staff, staff.c.id == visit_plan.c.staff_id)
            .outerjoin(zone, zone.c.id == party.c.zone_id)
        )
        .where(visit_plan_item.c.plan_id.in_(plan_ids))
        .order_by(
            visit_plan_item.c.day,
            staff.c.name_pinyin,
            staff.c.name,
            zone.c.name,
            party.c.unit,
            party.c.id,
            visit_plan_item.c.rule,
        )
    )
    today = clock.today
    days: list[dict[str, Any]] = []
    for r in conn.execute(query):
        rule = rules.get(r.rule)
        status = (
            DONE if r.done else MISSED if r.day < today else TODAY if r.day == today else PLANNED
        )
        days.append(
            {
                "day": r.day,
                "weekday": i18n.weekday(r.day),
                "party_id": r.id,
                "name": r.name,
                "unit": r.unit,
                "zone": r.zone,
                "rule": r.rule,
                "clause": rule.clause if rule else None,
                "title": rule.title if rule else r.rule,
                "channel": r.channel,
                "status": status,
                "plan_id": r.plan_id,
                "staff": r.staff,
            }
        )
    return days


def month_days(
    *, session: Session, clock: Clock, policy: Policy, month: date | None
) -> list[dict[str, Any]]:
    """Every live plan's items of the month (`plan show --format ics` without --staff)."""
    conn = session.connection()
    first = (month or clock.today).replace(day=1)
    ids = (
        conn.execute(
            select(visit_plan.c.id).where(
                visit_plan.c.period == "month",
                visit_plan.c.first_day == first,
                visit_plan.c.voided_at.is_(None),
            )
        )
        .scalars()
        .all()
    )
    if not ids:
        raise NotFound(NO_PLANS.format(month=first.strftime("%Y-%m")))
    return _days(conn, clock, policy, ids, first)


def year_grid(
    *, session: Session, clock: Clock, policy: Policy, staff_ref: str, year: int | None
) -> dict[str, Any]:
    """The year at a glance: every household of the butler's zones × the 12 months: ✓ contacted (under the
    household's rule), ✗ a period that ended without contact, the planned day (MM-DD) from a monthly plan
    (✗MM-DD once it passed without contact), · still to do."""
    conn = session.connection()
    butler = _butlers(conn, staff_ref)[0]
    year = year or clock.today.year
    starts = [date(year, m, 1) for m in range(1, 13)]
    bounds = [clock.day_start_utc(d) for d in starts] + [clock.day_start_utc(date(year + 1, 1, 1))]
    rows: list[dict[str, Any]] = []
    for rule in plan_rules(policy):
        assert rule.period is not None and rule.subject is not None  # a cadence has both
        match = visit.c.party_id == party.c.id
        months = []
        for m in range(12):
            source, met = qualifying(rule, match, bounds[m + 1], since=bounds[m])
            months.append(
                exists(
                    select(literal(1)).select_from(source).where(met, visit.c.at < bounds[m + 1])
                ).label(f"m{m + 1}")
            )
        since = tag.c.since if rule.subject.tag else party.c.status_since
        query = (
            select(
                party.c.id,
                party.c.name,
                party.c.unit,
                zone.c.name.label("zone"),
                since.label("since"),
                party.c.created_at,
                *months,
            )
            .select_from(
                _with_tag(rule.subject.tag, party.join(zone, zone.c.id == party.c.zone_id))
            )
            .where(*subject_filter(rule), zone.c.butler_id == butler.id)
            .order_by(zone.c.name, party.c.unit, party.c.id)
        )
        planned = {
            (p, d.month): d
            for p, d in conn.execute(
                select(visit_plan_item.c.party_id, visit_plan_item.c.day)
                .select_from(
                    visit_plan_item.join(visit_plan, visit_plan.c.id == visit_plan_item.c.plan_id)
                )
                .where(
                    visit_plan.c.staff_id == butler.id,
                    visit_plan.c.period == "month",
                    visit_plan.c.voided_at.is_(None),
                    visit_plan.c.first_day >= starts[0],
                    visit_plan.c.first_day <= starts[-1],
                    visit_plan_item.c.rule == rule.id,
                )
            )
        }
        span = MONTHS_IN[rule.period]
        for r in conn.execute(query):
            hit = [bool(getattr(r, f"m{m}")) for m in range(1, 13)]
            row = {
                "party_id": r.id,
                "name": r.name,
                "unit": r.unit,
                "zone": r.zone,
                "clause": rule.clause,
                "rule": rule.id,
                "title": rule.title,
            }
            under_since = r.since or clock.local_date(r.created_at)  # under the rule from this day
            for m in range(1, 13):
                period = period_of(rule.period, starts[m - 1])
                in_period = hit[period.start.month - 1 : period.start.month - 1 + span]
                if period.end < under_since or (
                    period.end < clock.today and under_since > period.start and not any(in_period)
                ):
                    mark = ""  # not under the rule (for the whole period) yet: nothing was owed
                elif hit[m - 1]:
                    mark = VISITED
                elif (r.id, m) in planned and not any(in_period):
                    day = planned[(r.id, m)]
                    mark = (NOT_YET if day < clock.today else "") + day.strftime(
                        "%m-%d"
                    )  # ✗12-01: its day passed
                elif period.end < clock.today and not any(in_period) and m == period.end.month:
                    mark = NOT_YET
                elif (
                    not any(in_period)
                    and period.end >= clock.today
                    and (span == 1 or m == period.end.month)
                ):
                    mark = NOT_DUE
                else:
                    mark = ""
                row[starts[m - 1].strftime("%b")] = mark
            rows.append(row)
    approved = conn.execute(
        select(visit_plan.c.approved_at).where(
            visit_plan.c.staff_id == butler.id,
            visit_plan.c.period == "year",
            visit_plan.c.first_day == starts[0],
            visit_plan.c.voided_at.is_(None),
        )
    ).scalar()
    return {
        "staff": butler.name,
        "year": year,
        "approved_on": clock.local_date(approved) if approved else None,
        "months": [d.strftime("%b") for d in starts],
        "households": rows,
    }

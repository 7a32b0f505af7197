"""Shapes `meeting` and `meeting-scheduled` (H3.4–H3.6): a series of meetings held with minutes.

- `meeting`: one held each `period`; `per_dept`: one for each clinical department, owned by its head. A period
  that passed without one carries over (overdue, `missed_period`). A meeting already scheduled within the
  period settles nothing but takes the item off the list: `meeting-scheduled` lists it instead.
- `meeting-scheduled`: each scheduled meeting, listed from `opens` before its day for its chair (else the
  department's head, else the owner of its kind of meeting), overdue once its day has passed without minutes.
  It takes the clause and title of its kind's `meeting` rule.

Only on a hospital site (a clinical department recorded)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import or_, select

from careops.calendar.periods import Period, period_of
from careops.i18n import Text, _
from careops.policy.models import Rule, parse_offset
from careops.scheduler.items import DueItem
from careops.scheduler.office import HOSPITAL, held_in, hospital_since, is_clinical, scheduled_in
from careops.scheduler.owners import Holder, mine
from careops.scheduler.people import staff_item
from careops.scheduler.shapes import Context
from careops.scheduler.tables import dept, meeting, staff
from careops.shell import arg

# What this module says to people (one place, ready for translation).
TITLE = _("{title}: not held in {period}")
WHY = _("{title} ({clause}): none held with minutes in {period}")
WHY_MISSED = _("{title} ({clause}): none held with minutes in {period}, none in {previous} either")
WHY_NO_HEAD = _("; {dept} has no head recorded (`careops dept edit {quoted} --head STAFF`)")
TITLE_SCHEDULED = _("{title} #{id} on {day:%Y-%m-%d}")
WHY_SCHEDULED = _(
    "scheduled for {day:%Y-%m-%d}{chair}: hold it and record the minutes (`careops meeting hold {id}`)"
)
WHY_SCHEDULED_PASSED = _(
    "scheduled for {day:%Y-%m-%d}{chair} and no minutes recorded: record them (`careops meeting "
    "hold {id}`) or void it (a meeting without minutes is not held, H3.6)"
)
CHAIRED = _(", chaired by {name}")


def items(ctx: Context, rules: list[Rule]) -> list[DueItem]:
    began = hospital_since(ctx.conn, ctx.clock)
    if began is None:
        return []
    return [i for rule in rules for i in _series(ctx, rule, began)]


def _series(ctx: Context, rule: Rule, began: date) -> list[DueItem]:
    clock = ctx.clock
    assert rule.period is not None and rule.meeting is not None  # the shape needs both
    kind = rule.meeting
    period = period_of(rule.period, clock.today)
    previous = period.previous()
    if not rule.per_dept:
        owner, fell = ctx.roles.owner(rule)
        if not mine(ctx.scope.owner_id, owner):
            return []
        row = ctx.conn.execute(
            select(
                held_in(kind, period, clock).label("now"),
                held_in(kind, previous, clock).label("before"),
                scheduled_in(kind, period, clock).label("arranged"),
            )
        ).one()
        if row.now or row.arranged:
            return []
        missed = began <= previous.start and not row.before
        return [_item(rule, period, missed, None, HOSPITAL, owner, fell)]
    head = staff.alias("head")
    rows = ctx.conn.execute(
        select(
            dept.c.id,
            dept.c.name,
            dept.c.clinical_since,
            head.c.id.label("head_id"),
            head.c.name.label("head_name"),
            held_in(kind, previous, clock, dept.c.id).label("before"),
        )
        .select_from(dept.outerjoin(head, head.c.id == dept.c.head_id))
        .where(
            is_clinical(clock),
            ~held_in(kind, period, clock, dept.c.id),
            ~scheduled_in(kind, period, clock, dept.c.id),
        )
        .order_by(dept.c.name)
    ).all()
    found = []
    for row in rows:
        holder = (row.head_id, row.head_name) if row.head_id else None
        owner, fell = ctx.roles.owner(rule, holder)
        if not mine(ctx.scope.owner_id, owner):
            continue
        missed = row.clinical_since <= previous.start and not row.before
        if not row.head_id:  # says so itself, and how to name one
            fell = WHY_NO_HEAD.format(dept=row.name, quoted=arg(row.name))
        found.append(_item(rule, period, missed, row.id, row.name, owner, fell))
    return found


def _item(
    rule: Rule,
    period: Period,
    missed: bool,
    subject_id: int | None,
    subject: Text,
    owner: Holder | None,
    extra: str,
) -> DueItem:
    previous = period.previous()
    why = (WHY_MISSED if missed else WHY).format(
        title=rule.title, clause=rule.clause, period=period.name(), previous=previous.name()
    )
    return staff_item(
        rule,
        kind="meeting",
        title=TITLE.format(title=rule.title, period=period.name()),
        subject_type="dept" if subject_id else "hospital",
        subject_id=subject_id,
        subject_name=subject,
        owner=owner,
        due=period.end,
        status="overdue" if missed else "due",
        period=period.label(),
        missed=previous.label() if missed else None,
        why=why + extra,
    )


def scheduled_items(ctx: Context, rules: list[Rule]) -> list[DueItem]:
    return [i for rule in rules for i in _scheduled(ctx, rule)]


def _scheduled(ctx: Context, rule: Rule) -> list[DueItem]:
    clock = ctx.clock
    chair = staff.alias("chair")
    head = staff.alias("head")
    rows = ctx.conn.execute(
        select(
            meeting.c.id,
            meeting.c.kind,
            meeting.c.on_day,
            meeting.c.chair_id,
            chair.c.name.label("chair_name"),
            dept.c.id.label("dept_id"),
            dept.c.name.label("dept"),
            dept.c.head_id,
            head.c.name.label("head_name"),
        )
        .select_from(
            meeting.outerjoin(chair, chair.c.id == meeting.c.chair_id)
            .outerjoin(dept, dept.c.id == meeting.c.dept_id)
            .outerjoin(head, head.c.id == dept.c.head_id)
        )
        .where(
            meeting.c.voided_at.is_(None),
            meeting.c.created_at <= clock.now_utc,
            or_(meeting.c.held_at.is_(None), meeting.c.held_at > clock.now_utc),
        )
        .order_by(meeting.c.on_day, meeting.c.id)
    ).all()
    horizon = clock.today + timedelta(days=parse_offset(rule.opens or "0d")[0])
    found = []
    for row in rows:
        series = ctx.policy.first("meeting", meeting=row.kind)
        holder: Holder | None = None
        if row.chair_id is not None:
            holder = (row.chair_id, row.chair_name)
        elif row.head_id is not None:
            holder = (row.head_id, row.head_name)
        owner, fell = ctx.roles.owner(rule if holder or series is None else series, holder)
        if not mine(ctx.scope.owner_id, owner):
            continue
        passed = row.on_day < clock.today
        chaired = CHAIRED.format(name=row.chair_name) if row.chair_name else ""
        why = (WHY_SCHEDULED_PASSED if passed else WHY_SCHEDULED).format(
            day=row.on_day, chair=chaired, id=row.id
        )
        found.append(
            staff_item(
                rule,
                kind="meeting",
                title=TITLE_SCHEDULED.format(
                    title=series.title if series else row.kind, id=row.id, day=row.on_day
                ),
                subject_type="dept" if row.dept_id else "hospital",
                subject_id=row.dept_id,
                subject_name=row.dept or HOSPITAL,
                owner=owner,
                due=row.on_day,
                status="overdue" if passed else "due" if row.on_day <= horizon else "upcoming",
                ref=row.id,
                why=why + fell,
                clause=series.clause if series else rule.clause,
            )
        )
    return found

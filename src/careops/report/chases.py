"""The monthly report's register chases (H3.1), by department.

A routed matter that is not resolved and has had no step for the chase rule's `due_in` is the register keeper's
to chase, as `due` lists it: the chase comes due on the day `next_chase` gives for the day of its last step, and
any later step on the matter (a chase, an answer, a resolution…) ends it. The report counts the chases that came
due in the month, and how each ended by the month's end: a step on its day (on time), a step after it (late),
or none yet (still open). One aggregate query over the register's steps, bounded by the clock.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Connection, and_, case, func, or_, select

from careops.calendar.workdays import WorkCalendar
from careops.clock import Clock
from careops.i18n import _
from careops.policy.models import Policy
from careops.report.cases import register_source
from careops.report.model import TEXT, Column, Section
from careops.report.window import Month, ReportScope, as_of, count_if, counts, local_day, utc_offset
from careops.scheduler.people import within_words
from careops.scheduler.register import next_chase
from careops.scheduler.tables import complaint, complaint_step

# What this module says to people (one place, ready for translation).
TITLE = _("Register chases")
NOTE = _(
    "A chase comes due when a matter passed to a department has had no step for {within} and is not "
    "resolved; any step on the matter ends it: on its day (on time) or later (late). Still open: no step by "
    "the month's end."
)
L_DEPT = _("Department")
L_CAME_DUE = _("Came due")
L_ON_TIME = _("Done on time")
L_LATE = _("Done late")
L_OPEN = _("Still open")
# A revisit is the resident's follow-up, not a step on the matter (as in `due`).
NOT_A_STEP = "revisit"
CHASE_KEYS = ("came_due", "done_on_time", "done_late", "still_open")
ROUTED = "route"
REOPENED = "reopen"
ENDED = ("resolve", "close")  # after these, nothing is chased until the matter is reopened


def chases_section(
    conn: Connection, policy: Policy, clock: Clock, month: Month, scope: ReportScope
) -> Section | None:
    rule = next(iter(policy.shaped("register-chase")), None)
    if rule is None or rule.due_in is None:
        return None
    columns = [
        Column("dept", L_DEPT, TEXT),
        Column("came_due", L_CAME_DUE),
        Column("done_on_time", L_ON_TIME),
        Column("done_late", L_LATE),
        Column("still_open", L_OPEN),
    ]
    note = NOTE.format(within=within_words(rule.due_in))
    due_on = _chase_days(policy, clock, month)
    rows = _counts(conn, clock, month, scope, due_on) if due_on else []
    return Section("chases", TITLE, rule.clause, columns, rows, note)


def _chase_days(policy: Policy, clock: Clock, month: Month) -> dict[date, date]:
    """The days a last step may fall on for its chase to come due in the month (to today), with that day:
    walked back from the month's end until the chase would have come due before the month (deadlines never
    run backwards)."""
    calendar = WorkCalendar()
    last = min(month.last, clock.today)
    found: dict[date, date] = {}
    day = last
    while (due := next_chase(policy, day, calendar)) is not None and due >= month.first:
        if due <= last:
            found[day] = due
        day -= timedelta(days=1)
    return found


def _counts(
    conn: Connection, clock: Clock, month: Month, scope: ReportScope, due_on: dict[date, date]
) -> list[dict]:
    step, later, routed, state = (
        complaint_step.alias(n) for n in ("step", "later", "routed", "state")
    )
    now, end = clock.now_utc, as_of(clock, month)
    step_day = local_day(step.c.at, utc_offset(clock, month))
    opens = case({d: clock.day_start_utc(due) for d, due in due_on.items()}, value=step_day)
    closes = case(
        {d: clock.day_start_utc(due + timedelta(days=1)) for d, due in due_on.items()},
        value=step_day,
    )
    following = (
        select(func.min(later.c.at))
        .where(
            later.c.complaint_id == step.c.complaint_id,
            later.c.at > step.c.at,
            later.c.at <= now,
            later.c.action != NOT_A_STEP,
        )
        .scalar_subquery()
    )
    was_routed = (
        select(routed.c.id)
        .where(
            routed.c.complaint_id == step.c.complaint_id,
            routed.c.action == ROUTED,
            routed.c.at <= step.c.at,
        )
        .exists()
    )
    # The matter's state after the step: resolved or closed, unless reopened since.
    last_turn = (
        select(state.c.action)
        .where(
            state.c.complaint_id == step.c.complaint_id,
            state.c.action.in_((*ENDED, REOPENED)),
            state.c.at <= step.c.at,
        )
        .order_by(state.c.at.desc(), state.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    source, where = register_source(
        scope,
        complaint.c.received_at <= now,
        step.c.action != NOT_A_STEP,
        step.c.at <= now,
        opens.is_not(None),
        was_routed,
        or_(last_turn.is_(None), last_turn == REOPENED),
    )
    chases = (
        select(
            func.coalesce(complaint.c.dept, "").label("dept"),
            opens.label("opens"),
            closes.label("closes"),
            following.label("following"),
        )
        .select_from(source.join(step, step.c.complaint_id == complaint.c.id))
        .where(*where)
        .subquery()
    )
    c = chases.c
    done = and_(c.following.is_not(None), c.following < end)
    rows = conn.execute(
        select(
            c.dept,
            func.count().label("came_due"),
            count_if(and_(done, c.following < c.closes)).label("done_on_time"),
            count_if(and_(done, c.following >= c.closes)).label("done_late"),
            count_if(~done).label("still_open"),
        )
        .where(
            or_(c.following.is_(None), c.following >= c.opens)
        )  # no step before its day: it came due
        .group_by(c.dept)
        .order_by(c.dept)
    ).all()
    return [{"dept": r.dept, **counts(r, CHASE_KEYS)} for r in rows]

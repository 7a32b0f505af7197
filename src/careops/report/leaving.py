"""The monthly report's leaving steps (E1.2, E1.3: the handover, the exit interview, the departure audit, the final
pay), one row per rule of shape `leave-step`.

The cases (leaving or transfer) whose last day fell in the month, to today, and for each step the
rule asks: done by the last day, done after it (by the month's end), or not done at the month's end, as `due`
lists them. One aggregate query grouped by step. Site-wide, where the company's roles are recorded.
"""

from __future__ import annotations

from sqlalchemy import Connection, and_, exists, func, literal, select

from careops.clock import Clock
from careops.i18n import _
from careops.policy.models import Policy
from careops.report.model import TEXT, Column, Section
from careops.report.window import Month, as_of, count_if, counts, local_day, utc_offset
from careops.scheduler.tables import leave_case, leave_step, staff
from careops.vocab import Role

# What this module says to people (one place, ready for translation).
STEPS_TITLE = _("Leaving steps by the last day")
STEPS_NOTE = _(
    "Cases (leaving or transfer) whose last day fell in the month, to today, and each step they ask for: done "
    "by the last day, done after it, or not done at the month's end. The exit interview is done when an "
    "interview of kind exit ticks it."
)
L_STEP = _("Step")
L_CLAUSE = _("Clause")
L_DUE = _("Last day in the month")
L_ON_TIME = _("Done by the last day")
L_LATE = _("Done after it")
L_NOT_DONE = _("Not done at the month's end")
STEP_KEYS = ("due", "done_on_time", "done_late", "not_done")


def company_site(conn: Connection, clock: Clock, roles: tuple[Role, ...]) -> bool:
    """Someone holds one of these roles (the company's) as of the clock: the E sections are the company's."""
    return bool(
        roles
        and conn.execute(
            select(
                exists(
                    select(literal(1)).where(
                        staff.c.role.in_([r.value for r in roles]),
                        staff.c.created_at <= clock.now_utc,
                    )
                )
            )
        ).scalar()
    )


def leaving_sections(conn: Connection, policy: Policy, clock: Clock, month: Month) -> list[Section]:
    """The leaving steps, where the company's roles are recorded."""
    rules = policy.shaped("leave-step")
    among = tuple(r for rule in policy.rules for r in rule.among)
    if not rules or not company_site(conn, clock, among):
        return []
    return [_steps(conn, policy, clock, month)]


def _steps(conn: Connection, policy: Policy, clock: Clock, month: Month) -> Section:
    c, s = leave_case.c, leave_step.c
    end = as_of(clock, month)
    done = and_(s.done_at.is_not(None), s.done_at < end, s.done_at <= clock.now_utc)
    done_day = local_day(s.done_at, utc_offset(clock, month))
    found = {
        r.step: r
        for r in conn.execute(
            select(
                s.step,
                func.count().label("due"),
                count_if(and_(done, done_day <= c.last_day)).label("done_on_time"),
                count_if(and_(done, done_day > c.last_day)).label("done_late"),
                count_if(~done).label("not_done"),
            )
            .select_from(leave_case.join(leave_step, s.case_id == c.id))
            .where(
                c.voided_at.is_(None),
                c.created_at <= clock.now_utc,
                c.last_day >= month.first,
                c.last_day <= min(month.last, clock.today),
            )
            .group_by(s.step)
        )
    }
    rules = policy.shaped("leave-step")
    rows = [
        {"step": rule.title, "clause": rule.clause, **counts(found.get(rule.step), STEP_KEYS)}
        for rule in rules
    ]
    columns = [
        Column("step", L_STEP, TEXT),
        Column("clause", L_CLAUSE, TEXT),
        Column("due", L_DUE),
        Column("done_on_time", L_ON_TIME),
        Column("done_late", L_LATE),
        Column("not_done", L_NOT_DONE),
    ]
    clause = ", ".join(dict.fromkeys(r.clause for r in rules))
    return Section("leaving_steps", STEPS_TITLE, clause, columns, rows, STEPS_NOTE)

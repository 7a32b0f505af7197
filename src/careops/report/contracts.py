"""The monthly report's labour contracts (E1.1): the contracts that ended in the month and what became of each by
the month's end, and the employees with no contract end on file.

A contract is a contract end recorded for a staff member (`contract_term`, every one kept: a renewal records a
later end and so replaces `staff.contract_ends`). As `due` says of the rule of shape `contract`, a contract
ending is settled by a renewal (a later end recorded) or by the leaving recorded (`leave start`); until then it
is open, and overdue once its day has passed. An end replaced by an earlier or the same one was a correction,
not a contract that ended. An employee the rule names (`among`) with no end on file by the month's end is asked
for one. One aggregate query over the terms, one over the staff: never a step per employee.
"""

from __future__ import annotations

from sqlalchemy import Connection, and_, exists, func, literal, or_, select

from careops.clock import Clock
from careops.i18n import _
from careops.models import contract_term
from careops.policy.models import Policy
from careops.report.leaving import company_site
from careops.report.model import Column, Section
from careops.report.window import Month, as_of, count_if, counts, local_day, utc_offset
from careops.scheduler.owners import left_before
from careops.scheduler.tables import leave_case, staff

# What this module says to people (one place, ready for translation).
TITLE = _("Labour contracts")
NOTE = _(
    "Contracts whose end on file falls in the month, and by the month's end: renewed (a later end recorded) by "
    "that day or after it, the leaving recorded, or neither (still open; overdue once the day has passed). No "
    "end on file: employees HR must record a contract end for."
)
L_ENDING = _("Ending in the month")
L_RENEWED = _("Renewed by the end")
L_RENEWED_LATE = _("Renewed after it")
L_LEAVING = _("Leaving recorded")
L_OPEN = _("Still open")
L_OVERDUE = _("Of which overdue")
L_NO_END = _("No end on file")
KEYS = ("ending", "renewed", "renewed_late", "leaving", "open", "overdue")


def contracts_section(
    conn: Connection, policy: Policy, clock: Clock, month: Month
) -> Section | None:
    rule = policy.first("contract")
    if rule is None or not company_site(conn, clock, rule.among):
        return None
    row = counts(_endings(conn, clock, month), KEYS)
    row["no_end_on_file"] = _no_end_on_file(conn, clock, month, [r.value for r in rule.among])
    columns = [
        Column("ending", L_ENDING),
        Column("renewed", L_RENEWED),
        Column("renewed_late", L_RENEWED_LATE),
        Column("leaving", L_LEAVING),
        Column("open", L_OPEN),
        Column("overdue", L_OVERDUE),
        Column("no_end_on_file", L_NO_END),
    ]
    return Section("contracts", TITLE, rule.clause, columns, [row], NOTE)


def _endings(conn: Connection, clock: Clock, month: Month):
    t = contract_term.c
    later = contract_term.alias("later")
    end = as_of(clock, month)
    end_day = clock.local_date(end)
    # The end recorded next for the same person (by the month's end): a renewal, or a correction.
    after = or_(
        later.c.recorded_at > t.recorded_at,
        and_(later.c.recorded_at == t.recorded_at, later.c.id > t.id),
    )

    def next_term(column):
        return (
            select(column)
            .where(later.c.staff_id == t.staff_id, after, later.c.recorded_at <= end)
            .order_by(later.c.recorded_at, later.c.id)
            .limit(1)
            .scalar_subquery()
        )

    leaving = exists(
        select(literal(1)).where(
            leave_case.c.staff_id == t.staff_id,
            leave_case.c.kind == "leave",
            leave_case.c.voided_at.is_(None),
            leave_case.c.created_at <= end,
        )
    )
    terms = (
        select(
            t.ends,
            next_term(later.c.ends).label("next_ends"),
            next_term(later.c.recorded_at).label("next_at"),
            leaving.label("leaving"),
        )
        .select_from(contract_term.join(staff, staff.c.id == t.staff_id))
        .where(
            t.ends >= month.first,
            t.ends <= month.last,
            t.recorded_at <= end,
            staff.c.created_at <= clock.now_utc,
        )
        .subquery()
    )
    c = terms.c
    renewed = and_(c.next_ends.is_not(None), c.next_ends > c.ends)
    by_the_end = local_day(c.next_at, utc_offset(clock, month)) <= c.ends
    still_open = and_(~renewed, ~c.leaving)
    return conn.execute(
        select(
            func.count().label("ending"),
            count_if(and_(renewed, by_the_end)).label("renewed"),
            count_if(and_(renewed, ~by_the_end)).label("renewed_late"),
            count_if(and_(~renewed, c.leaving)).label("leaving"),
            count_if(still_open).label("open"),
            count_if(and_(still_open, c.ends < end_day)).label("overdue"),
        ).where(or_(c.next_ends.is_(None), c.next_ends > c.ends))  # a correction ended nothing
    ).one()


def _no_end_on_file(conn: Connection, clock: Clock, month: Month, roles: list[str]) -> int:
    end = as_of(clock, month)
    on_file = exists(
        select(literal(1)).where(
            contract_term.c.staff_id == staff.c.id, contract_term.c.recorded_at <= end
        )
    )
    found: int = conn.execute(
        select(func.count()).where(
            staff.c.role.in_(roles),
            staff.c.created_at <= end,
            ~on_file,
            ~left_before(clock.local_date(end)),
        )
    ).scalar_one()
    return found

"""The monthly report's disclosure checks (H3.7): one row per item the policy checks (its rules of shape `check`).

For each item: the checks recorded in the month and how many failed, whether it went unchecked in its period to
the month's end (what `due` lists as the office's check item), and the action items its failed checks opened,
with how they were closed. Only on a hospital site (a clinical department by the month's end), site-wide. Two
aggregate queries grouped by item, bounded by the clock like the scheduler.
"""

from __future__ import annotations

from sqlalchemy import Connection, and_, case, or_, select

from careops.calendar.periods import period_of
from careops.clock import Clock
from careops.i18n import _
from careops.policy.models import Policy, Rule
from careops.report.cases import within
from careops.report.model import TEXT, Column, Section
from careops.report.window import Month, as_of, count_if, counts, local_day, utc_offset
from careops.scheduler.office import hospital_since
from careops.scheduler.tables import action_item, disclosure_check

# What this module says to people (one place, ready for translation).
TITLE = _("Disclosure checks")
NOTE = _(
    "Not checked: no check of the item in its period to the month's end (then the office owes it). Action "
    "items: those a failed check of the item opened in the month; closed on time or late: done or explained "
    "in the month, by their due day or after it; overdue: open at the month's end past their due day."
)
L_ITEM = _("Item")
L_WHAT = _("What")
L_CHECKS = _("Checks")
L_FAILED = _("Failed")
L_NOT_CHECKED = _("Not checked")
L_OPENED = _("Action items opened")
L_ON_TIME = _("Closed on time")
L_LATE = _("Closed late")
L_OVERDUE = _("Open, overdue")
ACTION_KEYS = ("actions_opened", "actions_on_time", "actions_late", "actions_overdue")


def checks_section(conn: Connection, policy: Policy, clock: Clock, month: Month) -> Section | None:
    rules = policy.shaped("check")
    began = hospital_since(conn, clock)
    last = min(month.last, clock.today)
    if not rules or began is None or began > last:
        return None  # not a hospital by the month's end: no check is owed
    checks = _checks(conn, rules, clock, month)
    actions = _actions(conn, clock, month)
    rows = []
    for rule in rules:
        done = checks.get(rule.clause)
        figures = counts(done, ("checks", "failed"))
        figures["not_checked"] = 0 if done and done.in_period else 1
        figures |= counts(actions.get(rule.clause), ACTION_KEYS)
        rows.append({"item": rule.clause, "what": rule.title, **figures})
    columns = [
        Column("item", L_ITEM, TEXT),
        Column("what", L_WHAT, TEXT),
        Column("checks", L_CHECKS),
        Column("failed", L_FAILED),
        Column("not_checked", L_NOT_CHECKED),
        Column("actions_opened", L_OPENED),
        Column("actions_on_time", L_ON_TIME),
        Column("actions_late", L_LATE),
        Column("actions_overdue", L_OVERDUE),
    ]
    clause = common_clause([r.clause for r in rules])
    return Section("checks", TITLE, clause, columns, rows, NOTE, match=("item",))


def common_clause(clauses: list[str]) -> str:
    """The clause the items share (H3.7.1 … H3.7.7 -> H3.7), else all of them."""
    parts = [c.split(".") for c in clauses]
    shared = []
    for pieces in zip(*parts, strict=False):
        if len(set(pieces)) > 1:
            break
        shared.append(pieces[0])
    return ".".join(shared) if shared else ", ".join(dict.fromkeys(clauses))


def _checks(conn: Connection, rules: list[Rule], clock: Clock, month: Month) -> dict:
    """Per item: checks recorded in the month, those that failed, and whether any fell in its period up to the
    month's end (a rule's period may be longer than a month)."""
    d = disclosure_check.c
    last = min(month.last, clock.today)
    starts = {r.clause: period_of(r.period or "month", month.first).start for r in rules}
    in_month = d.day >= month.first
    rows = conn.execute(
        select(
            d.item,
            count_if(in_month).label("checks"),
            count_if(and_(in_month, d.ok.is_(False))).label("failed"),
            count_if(d.day >= case(starts, value=d.item, else_=month.first)).label("in_period"),
        )
        .where(
            d.item.in_(list(starts)),
            d.voided_at.is_(None),
            d.created_at <= clock.now_utc,
            d.day >= min(starts.values()),
            d.day <= last,
        )
        .group_by(d.item)
    ).all()
    return {r.item: r for r in rows}


def _actions(conn: Connection, clock: Clock, month: Month) -> dict:
    """Per item: the action items its failed checks opened in the month, closed in the month (by their due day or
    after it), and open at the month's end past their due day."""
    a = action_item.c
    end = as_of(clock, month)
    closed_day = local_day(a.closed_at, utc_offset(clock, month))
    closed = within(a.closed_at, month, clock)
    open_at_end = and_(a.created_at < end, or_(a.closed_at.is_(None), a.closed_at >= end))
    rows = conn.execute(
        select(
            disclosure_check.c.item,
            count_if(within(a.created_at, month, clock)).label("actions_opened"),
            count_if(and_(closed, closed_day <= a.due)).label("actions_on_time"),
            count_if(and_(closed, closed_day > a.due)).label("actions_late"),
            count_if(and_(open_at_end, a.due < clock.local_date(end))).label("actions_overdue"),
        )
        .select_from(action_item.join(disclosure_check, disclosure_check.c.id == a.check_id))
        .where(
            a.voided_at.is_(None),
            a.created_at <= clock.now_utc,
            disclosure_check.c.voided_at.is_(None),
        )
        .group_by(disclosure_check.c.item)
    ).all()
    return {r.item: r for r in rows}

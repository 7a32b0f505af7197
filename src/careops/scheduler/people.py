"""Employee relations (E1, E2): the queries their shapes and services share.

The items themselves are the shapes' (careops.scheduler.shapes: one-to-one, probation, interview, contract,
leave-step, appeal-decision, appeal-notify). Nothing is written when a fact is recorded: each item is a
set-based query over staff, interviews, events, leaving cases and appeals, as of the clock. So an item's owner
is always the employee's manager *now* (a new manager inherits what is open), and voiding a fact removes what
it caused.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Exists,
    Select,
    and_,
    exists,
    literal,
    or_,
    select,
)

from careops.calendar.workdays import WorkCalendar
from careops.clock import Clock
from careops.i18n import Text, _
from careops.policy.models import Rule, parse_offset
from careops.scheduler.items import DueItem
from careops.scheduler.owners import Holder
from careops.scheduler.tables import (
    appeal,
    appeal_person,
    appeal_step,
    interview,
    leave_step,
    staff,
)

ONE_TO_ONE = "one-to-one"  # the kind of interview E2.1 counts
STEP_ORDER = ("handover", "exit-interview", "audit", "final-pay")
RECIPIENTS = ("appellant", "gm", "hr")

# What this module says to people (one place, ready for translation).
CONFIDENTIAL = _("(confidential)")
WITHIN_WORDS = {
    "h": _("{n} hours"),
    "d": _("{n} days"),
    "wd": _("{n} working days"),
    "mo": _("{n} months"),
}


def within_words(text: str) -> str:
    n, unit = parse_offset(text)
    return WITHIN_WORDS[unit].format(n=n)


def staff_item(
    rule: Rule,
    *,
    kind: str,
    title: Text,
    subject_id: int | str | None,
    subject_name: Text,
    owner: Holder | None,
    **rest: Any,
) -> DueItem:
    """An item of `rule` about an employee (a staff member), a department or the hospital: no unit, no last
    contact unless given; the rule's clause unless `clause` says (an item taking another rule's clause)."""
    rest.setdefault("last_contact", None)
    return DueItem(
        rule=rule.id,
        clause=rest.pop("clause", rule.clause),
        strength=rule.strength,
        kind=kind,
        title=title,
        subject_type=rest.pop("subject_type", "staff"),
        subject_id=subject_id,
        subject_name=subject_name,
        subject_unit=None,
        owner_id=owner[0] if owner else None,
        owner_name=owner[1] if owner else None,
        **rest,
    )


def one_to_one_counts(minutes: int) -> ColumnElement[bool]:
    """An interview that counts for E2.1 between the report (staff row) and their current manager."""
    return and_(
        interview.c.staff_id == staff.c.id,
        interview.c.by_id == staff.c.reports_to_id,
        interview.c.kind == ONE_TO_ONE,
        interview.c.minutes >= minutes,
        interview.c.voided_at.is_(None),
    )


def interview_held(clock: Clock, *conds: ColumnElement[bool]) -> Exists:
    """An interview matching `conds`, held and recorded as of the clock, not voided."""
    return exists(
        select(literal(1)).where(
            *conds,
            interview.c.voided_at.is_(None),
            interview.c.created_at <= clock.now_utc,
            interview.c.at <= clock.now_utc,
        )
    )


def probation_due(calendar: WorkCalendar, ends: date) -> date:
    """The interview is due by the last working day on or before the end of probation."""
    day = ends
    for _step in range(40):  # the longest run of days off in China's calendar is well under this
        if calendar.is_working_day(day):
            return day
        day -= timedelta(days=1)
    return ends


def step_done(clock: Clock) -> ColumnElement[bool]:
    """A leaving step done as of the clock."""
    return and_(leave_step.c.done_at.is_not(None), leave_step.c.done_at <= clock.now_utc)


def involved(viewer_id: int | None) -> Exists:
    """The appeal (a column) involves the viewer: appellant, receiver, consulted, notified or acting."""
    return exists(
        select(literal(1)).where(
            appeal_person.c.appeal_id == appeal.c.id, appeal_person.c.staff_id == viewer_id
        )
    )


def may_see(
    conn: Connection, viewer_id: int | None, viewer_role: str | None
) -> ColumnElement[bool]:
    """A column: the viewer may see the appellant's name (HR, or someone the appeal involves)."""
    if viewer_role == "hr":
        return literal(True)
    if viewer_id is None:
        return literal(False)
    return involved(viewer_id)


def notified_now(clock: Clock) -> Select[*tuple[Any, ...]]:
    """The recipients notified of each round's decision as of the clock: one row per (appeal, round, recipient)."""
    return select(appeal_step.c.appeal_id, appeal_step.c.round, appeal_step.c.notified).where(
        appeal_step.c.action == "notify", appeal_step.c.at <= clock.now_utc
    )


def decisions_now(clock: Clock) -> Select[*tuple[Any, ...]]:
    """Every round's decision of a live appeal as of the clock, with the round's receiver (who decided): one row
    per (appeal, round). An escalated round's decision stays: its notifications are still owed (E2.6.5)."""
    started = appeal_step.alias("started")  # the round's filing or escalation names its receiver
    receiver = (
        select(started.c.receiver_id)
        .where(
            started.c.appeal_id == appeal_step.c.appeal_id,
            started.c.round == appeal_step.c.round,
            started.c.action.in_(("file", "escalate")),
        )
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(
            appeal_step.c.appeal_id,
            appeal_step.c.round,
            appeal_step.c.at.label("decided_at"),
            receiver.label("receiver_id"),
        )
        .join(appeal, appeal.c.id == appeal_step.c.appeal_id)
        .where(
            appeal_step.c.action == "decide",
            appeal_step.c.at <= clock.now_utc,
            appeal.c.voided_at.is_(None),
            appeal.c.created_at <= clock.now_utc,
            or_(appeal.c.closed_at.is_(None), appeal.c.closed_at > clock.now_utc),
        )
    )

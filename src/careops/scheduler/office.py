"""The hospital office (H3.3–H3.7) and the satisfaction surveys (H3.3, E3): the queries their shapes share.

The items themselves are the shapes' (careops.scheduler.shapes: meeting, meeting-scheduled, action, check,
survey-quota). Like the employee-relations items, nothing is written ahead: each item is a set-based query over
departments, meetings, action items, disclosure checks and surveys as of the clock.

A site is a hospital once it records a clinical department; only then are the hospital's meetings, patient
surveys and disclosure checks due.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Exists,
    Select,
    and_,
    exists,
    func,
    literal,
    or_,
    select,
)

from careops.calendar.periods import Period, period_of
from careops.clock import Clock
from careops.i18n import _
from careops.scheduler.tables import (
    action_item,
    dept,
    disclosure_check,
    meeting,
    staff,
    survey,
    survey_answer,
)

# What this module says to people (one place, ready for translation).
HOSPITAL = _("the hospital")


def hospital_since(conn: Connection, clock: Clock) -> date | None:
    """The day the site became a hospital (its first clinical department, as of the clock), or None."""
    found: date | None = conn.execute(
        select(func.min(dept.c.clinical_since)).where(is_clinical(clock))
    ).scalar()
    return found


def is_clinical(clock: Clock) -> ColumnElement[bool]:
    """The department (a row of `dept`) is clinical as of the clock (a ward since that day)."""
    return and_(
        dept.c.clinical.is_(True),
        dept.c.clinical_since.is_not(None),
        dept.c.clinical_since <= clock.today,
        dept.c.created_at <= clock.now_utc,
    )


def held_in(
    kind: str, period: Period, clock: Clock, dept_id: ColumnElement[Any] | None = None
) -> Exists:
    """A meeting of `kind` (for the department column, when given) held with minutes within the
    period, as of the clock."""
    conds = [
        meeting.c.kind == kind,
        meeting.c.voided_at.is_(None),
        meeting.c.held_day.is_not(None),
        meeting.c.held_day >= period.start,
        meeting.c.held_day <= min(period.end, clock.today),
        meeting.c.held_at <= clock.now_utc,
    ]
    if dept_id is not None:
        conds.append(meeting.c.dept_id == dept_id)
    return exists(select(literal(1)).where(*conds))


def scheduled_in(
    kind: str, period: Period, clock: Clock, dept_id: ColumnElement[Any] | None = None
) -> Exists:
    """A meeting of `kind` scheduled from today to the period's end and not held yet: the owner has arranged it."""
    conds = [
        meeting.c.kind == kind,
        meeting.c.voided_at.is_(None),
        meeting.c.created_at <= clock.now_utc,
        or_(meeting.c.held_at.is_(None), meeting.c.held_at > clock.now_utc),
        meeting.c.on_day >= clock.today,
        meeting.c.on_day <= period.end,
    ]
    if dept_id is not None:
        conds.append(meeting.c.dept_id == dept_id)
    return exists(select(literal(1)).where(*conds))


def action_open(clock: Clock) -> ColumnElement[bool]:
    """An action item open as of the clock."""
    return and_(
        action_item.c.voided_at.is_(None),
        action_item.c.created_at <= clock.now_utc,
        or_(action_item.c.closed_at.is_(None), action_item.c.closed_at > clock.now_utc),
    )


def checked_in(period: Period, clock: Clock) -> Select[*tuple[Any, ...]]:
    """Disclosure checks recorded within the period as of the clock: one row per item checked."""
    return (
        select(disclosure_check.c.item)
        .distinct()
        .where(
            disclosure_check.c.voided_at.is_(None),
            disclosure_check.c.created_at <= clock.now_utc,
            disclosure_check.c.day >= period.start,
            disclosure_check.c.day <= min(period.end, clock.today),
        )
    )


def survey_deadline(year: int, per_year: int, count: int) -> date:
    """The n-th survey of the year is due by the end of the n-th equal part of it (twice a year: June, December)."""
    months = 12 // per_year
    part_end = min(12, months * (count + 1))
    return period_of("month", date(year, part_end, 1)).end


def answered(clock: Clock) -> Exists:
    """The survey (a row of `survey`) has at least one answer given by the clock's day. An answer keeps its day
    only (no time, nobody who typed it in: anonymity), and is never voided: a voided survey takes its answers
    with it."""
    return exists(
        select(literal(1)).where(
            survey_answer.c.survey_id == survey.c.id, survey_answer.c.day <= clock.today
        )
    )


def surveys_held(audience: str, year: Period, clock: Clock) -> Select[*tuple[Any, ...]]:
    """How many surveys of the audience count towards the year's quota as of the clock: one row, a count.

    A survey counts for the year it opened in (its `opens` day places it in the year and in the part of the
    year), but only once somebody has answered it: a survey nobody answered is not a survey held. It counts
    from its first answer's day on, for the year it opened in (a survey opened on 20 December and first
    answered on 3 January counts for the December's year, from 3 January)."""
    return (
        select(func.count())
        .select_from(survey)
        .where(
            survey.c.audience == audience,
            survey.c.voided_at.is_(None),
            survey.c.created_at <= clock.now_utc,
            survey.c.opens >= year.start,
            survey.c.opens <= min(year.end, clock.today),
            answered(clock),
        )
    )


def company_since(conn: Connection, clock: Clock) -> date | None:
    """The day the company's employees were first recorded (someone with role employee), or None."""
    first = conn.execute(
        select(func.min(staff.c.created_at)).where(
            staff.c.role == "employee", staff.c.created_at <= clock.now_utc
        )
    ).scalar()
    return None if first is None else clock.local_date(first)

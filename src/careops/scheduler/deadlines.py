"""When a follow-up is due, from the rule's `due_in` and the moment that triggered it (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from careops.calendar.workdays import WorkCalendar
from careops.policy.models import Rule, parse_offset


@dataclass(frozen=True)
class Deadline:
    due: (
        datetime | date | None
    )  # a local date-time (24h), a local day (by the end of it), or None while waiting
    opens: date | None = None  # listed as upcoming before this day


def deadline(
    rule: Rule, at: datetime, calendar: WorkCalendar, *, event_day: date | None = None
) -> Deadline:
    """`at`: the local, aware moment of the trigger; `event_day`: an activity's day (for day-before)."""
    if rule.wait == "rain":
        return Deadline(None)
    due = offset(rule.due_in or "same-day", at, calendar, event_day=event_day)
    opens = None
    if rule.opens and isinstance(due, date) and not isinstance(due, datetime):
        opens = due - timedelta(days=parse_offset(rule.opens)[0])
    return Deadline(due, opens if opens and opens > at.date() else None)


def offset(
    text: str, at: datetime, calendar: WorkCalendar, *, event_day: date | None = None
) -> datetime | date:
    """24h -> a date-time; 2d, 2wd, 3mo, same-day -> a day; day-before -> the eve of `event_day`;
    event-day -> `event_day` itself (a residents' survey's close)."""
    count, unit = parse_offset(text)
    if text == "day-before":
        return (event_day or at.date()) - timedelta(days=1)
    if text == "event-day":
        return event_day or at.date()
    if unit == "h":
        return at + timedelta(hours=count)
    if unit == "wd":
        return calendar.add_working_days(at.date(), count)
    if unit == "mo":
        return at.date() + relativedelta(months=count)  # 30 Nov + 3 months = 28 Feb
    return at.date() + timedelta(days=count)


def after_rain(rule: Rule, rain: date) -> date:
    """A follow-up waiting for rain is due `due_in` days after the first rainy day (1d: the day after)."""
    count, _ = parse_offset(rule.due_in or "1d")
    return rain + timedelta(days=count)


def day_after(text: str, day: date, calendar: WorkCalendar) -> date:
    """The day `text` (2d, 3wd…) after `day`: working days skip the days off."""
    count, unit = parse_offset(text)
    return calendar.add_working_days(day, count) if unit == "wd" else day + timedelta(days=count)

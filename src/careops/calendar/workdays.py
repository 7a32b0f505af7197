"""Working days by China's official calendar: public holidays and make-up working days.

The `holidays` package carries the State Council's published schedule (holidays
and the weekend days worked in exchange) and computes the lunar holidays for any
year. For a year whose schedule is not published in it yet, we fall back to
weekends plus the computable holidays and remember the year, so the caller can
say so once.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache


class WorkCalendar:
    def __init__(self) -> None:
        self.unpublished_years: set[int] = set()

    def is_working_day(self, day: date) -> bool:
        schedule, published = _china(day.year)
        if not published:
            self.unpublished_years.add(day.year)
        return schedule.is_working_day(day)

    def working_days(self, first: date, last: date) -> int:
        """Working days from `first` to `last`, both included."""
        count, day = 0, first
        while day <= last:
            count += self.is_working_day(day)
            day += timedelta(days=1)
        return count


@lru_cache(maxsize=8)
def _china(year: int):
    from holidays.countries.china import China, ChinaStaticHolidays

    published = year in ChinaStaticHolidays.special_public_holidays
    return China(years=year), published

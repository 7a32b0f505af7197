"""Calendar periods in the site's time zone: month, two months (Jan–Feb…), quarter, half-year, year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

MONTHS_IN = {"month": 1, "two-month": 2, "quarter": 3, "half-year": 6, "year": 12}

# How periods are named to people (one place, ready for translation).
MONTH_LABEL = "{start:%Y-%m}"
QUARTER_LABEL = "{year}-Q{quarter}"
YEAR_LABEL = "{year}"
MONTHS_LABEL = "{start:%Y-%m}..{end:%Y-%m}"


@dataclass(frozen=True)
class Period:
    kind: str
    start: date  # first day
    end: date  # last day (inclusive)

    @property
    def after(self) -> date:
        return self.end + timedelta(days=1)

    def previous(self) -> Period:
        return period_of(self.kind, self.start - timedelta(days=1))

    def label(self) -> str:
        months = MONTHS_IN[self.kind]
        if months == 1:
            return MONTH_LABEL.format(start=self.start)
        if months == 3:
            return QUARTER_LABEL.format(year=self.start.year, quarter=(self.start.month - 1) // 3 + 1)
        if months == 12:
            return YEAR_LABEL.format(year=self.start.year)
        return MONTHS_LABEL.format(start=self.start, end=self.end)


def period_of(kind: str, day: date) -> Period:
    months = MONTHS_IN[kind]
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    next_month = first_month + months
    after = date(day.year + (next_month - 1) // 12, (next_month - 1) % 12 + 1, 1)
    return Period(kind, start, after - timedelta(days=1))

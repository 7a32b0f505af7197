"""Calendar periods in the site's time zone: month, two months (Jan–Feb…), quarter, half-year, year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from careops import i18n
from careops.i18n import Text, _

MONTHS_IN = {"month": 1, "two-month": 2, "quarter": 3, "half-year": 6, "year": 12}

# A period's label, the same in every language (JSON, CSV, stored): 2026-11, 2026-Q4, 2026, 2026-01..2026-02.
MONTH_LABEL = "{start:%Y-%m}"
QUARTER_LABEL = "{year}-Q{quarter}"
YEAR_LABEL = "{year}"
MONTHS_LABEL = "{start:%Y-%m}..{end:%Y-%m}"

# How periods are named to people (one place, ready for translation): the label in English.
MONTH_NAME = _("{start:%Y-%m}")
QUARTER_NAME = _("{year}-Q{quarter}")
YEAR_NAME = _("{year}")
MONTHS_NAME = _("{start:%Y-%m}..{end:%Y-%m}")
THIS = {"month": _("this month"), "quarter": _("this quarter"), "year": _("this year")}
LAST = {"month": _("last month"), "quarter": _("last quarter"), "year": _("last year")}


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
        """The period's label for programs: the same in every language."""
        return self._words(MONTH_LABEL, QUARTER_LABEL, YEAR_LABEL, MONTHS_LABEL)

    def name(self, *, relative: bool = True) -> str:
        """The period as people name it, in the language in force (2026年11月, 2026年第4季度). Chinese names the
        current month, quarter or year and the one before as people say them (本月, 上季度, 去年) unless `relative`
        is off (a report of a past month); English keeps the label."""
        if relative and self.kind in THIS and i18n.is_chinese():
            current = period_of(self.kind, i18n.today())
            if self == current:
                return str(THIS[self.kind])
            if self == current.previous():
                return str(LAST[self.kind])
        return self._words(MONTH_NAME, QUARTER_NAME, YEAR_NAME, MONTHS_NAME)

    def _words(self, month: Text, quarter: Text, year: Text, months: Text) -> str:
        n = MONTHS_IN[self.kind]
        if n == 1:
            return month.format(start=self.start)
        if n == 3:
            return quarter.format(year=self.start.year, quarter=(self.start.month - 1) // 3 + 1)
        if n == 12:
            return year.format(year=self.start.year)
        return months.format(start=self.start, end=self.end)


def period_of(kind: str, day: date) -> Period:
    months = MONTHS_IN[kind]
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    next_month = first_month + months
    after = date(day.year + (next_month - 1) // 12, (next_month - 1) % 12 + 1, 1)
    return Period(kind, start, after - timedelta(days=1))


def name_of(label: str) -> str:
    """A period's label (2026-11, 2026-Q4, 2026, 2026-01..2026-02) as people name it in the language in force."""
    first, _sep, last = label.partition("..")
    if last:
        start, end = date.fromisoformat(first + "-01"), date.fromisoformat(last + "-01")
        return period_of(
            "two-month" if (end.month - start.month) % 12 == 1 else "half-year", start
        ).name()
    if "-Q" in label:
        year, quarter = label.split("-Q")
        return period_of("quarter", date(int(year), int(quarter) * 3, 1)).name()
    if len(label) == 4:
        return period_of("year", date(int(label), 1, 1)).name()
    return period_of("month", date.fromisoformat(label + "-01")).name()

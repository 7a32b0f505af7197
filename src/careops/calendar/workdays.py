"""Working days by China's official calendar: public holidays and make-up working days.

The `holidays` package carries the State Council's published schedule (holidays
and the weekend days worked in exchange) and computes the lunar holidays for any
year. For a year whose schedule is not published in it yet, we fall back to
weekends plus the computable holidays and remember the year, so the caller can
say so once.

Building a year's calendar costs ~0.15 s (imports and lunar arithmetic), more
than `due` for a butler may spend, so each year's exceptions to "Monday–Friday"
are kept in a small JSON file in the user's cache folder, keyed by the version
of `holidays` that computed them.
"""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, TypedDict


class _Year(TypedDict):
    """A year's exceptions to "Monday–Friday", as ISO days."""

    published: bool  # the State Council's schedule for the year is in `holidays`
    weekday_holidays: set[str]
    worked_weekends: set[str]


class _Stored(TypedDict):
    """A year as the cache file keeps it (JSON has no sets)."""

    published: bool
    weekday_holidays: list[str]
    worked_weekends: list[str]


class WorkCalendar:
    def __init__(self) -> None:
        self.unpublished_years: set[int] = set()

    def is_working_day(self, day: date) -> bool:
        year = _year(day.year)
        if not year["published"]:
            self.unpublished_years.add(day.year)
        iso = day.isoformat()
        if day.weekday() >= 5:
            return iso in year["worked_weekends"]
        return iso not in year["weekday_holidays"]

    def working_days(self, first: date, last: date) -> int:
        """Working days from `first` to `last`, both included."""
        count, day = 0, first
        while day <= last:
            count += self.is_working_day(day)
            day += timedelta(days=1)
        return count

    def add_working_days(self, day: date, count: int) -> date:
        """The `count`-th working day after `day` (2 working days after Friday: Tuesday)."""
        found = 0
        while found < count:
            day += timedelta(days=1)
            found += self.is_working_day(day)
        return day


@lru_cache(maxsize=8)
def _year(year: int) -> _Year:
    path = _cache_file()
    cached = _read(path)
    if str(year) in cached:
        entry = cached[str(year)]
        return {
            "published": entry["published"],
            "weekday_holidays": set(entry["weekday_holidays"]),
            "worked_weekends": set(entry["worked_weekends"]),
        }
    entry = _compute(year)
    cached[str(year)] = entry
    _write(path, cached)
    return {
        **entry,
        "weekday_holidays": set(entry["weekday_holidays"]),
        "worked_weekends": set(entry["worked_weekends"]),
    }


def _compute(year: int) -> _Stored:
    from holidays.countries.china import China, ChinaStaticHolidays

    schedule = China(years=year)  # type: ignore[no-untyped-call]  # holidays leaves __init__ untyped
    day, days = date(year, 1, 1), []
    while day.year == year:
        days.append(day)
        day += timedelta(days=1)
    return {
        "published": year in ChinaStaticHolidays.special_public_holidays,
        "weekday_holidays": [
            d.isoformat() for d in days if d.weekday() < 5 and not schedule.is_working_day(d)
        ],
        "worked_weekends": [
            d.isoformat() for d in days if d.weekday() >= 5 and schedule.is_working_day(d)
        ],
    }


def _cache_file() -> Path | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        stamp = version("holidays")
    except PackageNotFoundError:
        return None
    folder = os.environ.get("CAREOPS_CACHE")
    if not folder:
        from platformdirs import user_cache_dir

        folder = user_cache_dir("careops", appauthor=False)
    return Path(folder) / f"workdays-cn-holidays-{stamp}.json"


def _read(path: Path | None) -> dict[str, Any]:
    try:
        return json.loads(path.read_text("utf-8")) if path else {}
    except (OSError, ValueError):
        return {}


def _write(path: Path | None, data: dict[str, Any]) -> None:
    """Best effort: a cache that cannot be written only costs time."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), "utf-8")
        tmp.replace(path)
    except OSError:
        pass

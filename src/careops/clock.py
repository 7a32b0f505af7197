"""The one clock: every command acts as of `Clock.now` in the site's time zone.

Facts are stored as naive UTC datetimes; people see local time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TypeVar, overload
from zoneinfo import ZoneInfo

from careops.i18n import _

DEFAULT_TZ = "Asia/Shanghai"
NOW_FORMAT = "%Y-%m-%d %H:%M"

# What this module says to people (one place, ready for translation).
NOT_A_DATETIME = _('{text!r} is not a date and time like "2026-11-27 08:30"')
NOT_A_DATE = _('{text!r} is not a date like "2026-11-27"')
IMPLAUSIBLE_YEAR = _("{text!r} is not a plausible date: careops takes years {first} to {last}")
FIRST_YEAR, LAST_YEAR = 1900, 2199


def site_timezone() -> ZoneInfo:
    return ZoneInfo(os.environ.get("CAREOPS_TZ") or DEFAULT_TZ)


def parse_local(text: str) -> datetime:
    """Parse "YYYY-MM-DD HH:MM" (or a bare date, meaning 00:00) as naive local time."""
    text = text.strip()
    for fmt in (NOW_FORMAT, "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return _plausible(datetime.strptime(text, fmt), text)
        except ValueError as exc:
            if "plausible" in str(exc):
                raise
            continue
    raise ValueError(NOT_A_DATETIME.format(text=text))


def parse_date(text: str) -> date:
    try:
        parsed = datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(NOT_A_DATE.format(text=text)) from None
    return _plausible(parsed, text)


_D = TypeVar("_D", bound=date)  # a date, or a date and time


def _plausible(value: _D, text: str) -> _D:
    """Far-off years are typing mistakes, and one before year 1 in UTC cannot even be stored."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(
            IMPLAUSIBLE_YEAR.format(text=text.strip(), first=FIRST_YEAR, last=LAST_YEAR)
        )
    return value


@dataclass(frozen=True)
class Clock:
    now: datetime  # aware, in the site's time zone

    @classmethod
    def at(cls, local: datetime | None = None, tz: ZoneInfo | None = None) -> Clock:
        tz = tz or site_timezone()
        if local is None:
            return cls(datetime.now(tz).replace(second=0, microsecond=0))
        return cls(local.replace(tzinfo=tz) if local.tzinfo is None else local.astimezone(tz))

    @property
    def tz(self) -> ZoneInfo:
        return self.now.tzinfo  # type: ignore[return-value]

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def now_utc(self) -> datetime:
        return to_utc(self.now)

    def localize(self, naive_local: datetime) -> datetime:
        return naive_local.replace(tzinfo=self.tz)

    def utc_of_local(self, naive_local: datetime) -> datetime:
        return to_utc(self.localize(naive_local))

    def day_start_utc(self, day: date) -> datetime:
        """The UTC instant at which local `day` begins."""
        return self.utc_of_local(datetime.combine(day, time()))

    @overload
    def local(self, utc_naive: datetime) -> datetime: ...
    @overload
    def local(self, utc_naive: None) -> None: ...
    @overload
    def local(self, utc_naive: datetime | None) -> datetime | None: ...
    def local(self, utc_naive: datetime | None) -> datetime | None:
        if utc_naive is None:
            return None
        return utc_naive.replace(tzinfo=UTC).astimezone(self.tz)

    def local_date(self, utc_naive: datetime) -> date:
        return self.local(utc_naive).date()


def to_utc(aware: datetime) -> datetime:
    return aware.astimezone(UTC).replace(tzinfo=None)

"""P3: when a phone visit is fine (days and time windows from policy)."""

from __future__ import annotations

from datetime import date, datetime, time

from careops.policy.models import CallWindows


def windows_on(policy: CallWindows, day: date) -> list[tuple[time, time]]:
    """Today's call windows, or [] when the day is not a day for calls."""
    return policy.spans() if day.weekday() in policy.weekdays() else []


def within_windows(policy: CallWindows, local: datetime) -> bool:
    moment = local.time()
    return any(start <= moment < end for start, end in windows_on(policy, local.date()))

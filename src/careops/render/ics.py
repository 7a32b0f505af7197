"""Due items and visit plans as iCalendar files (RFC 5545), for a butler to import into a phone calendar.

Every event has a UID worked out from what it is about (never random), so importing the file again
updates the events instead of adding copies. icalendar writes the text (folding, escaping, CRLF);
this module only decides what each event says and on which day it falls.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

from careops.i18n import Text, _
from careops.scheduler.items import ENDED, OVERDUE, DueItem

PRODID = "-//careops//careops//EN"
TIMED_MINUTES = 30  # a callback at 10:00 takes the 10:00–10:30 slot

# What this module says to people (one place, ready for translation).
SUMMARY = _("{clause} {title} — {who}")
CLAUSE_LINE = _("Clause: {clause} ({strength})")
STATUS_LINE = _("Status: {status}")
MISSED = _("{status} (missed {period})")
LAST_CONTACT_LINE = _("Last contact: {when}")
NEVER_CONTACTED = _("never")
OWNER_LINE = _("Who: {owner}")
ZONE_LINE = _("Zone: {zone}")
TOGETHER_LINE = _("Together with: {people}")
PLANNED_LINE = _("Planned {channel} under {clause} ({rule}), plan #{plan_id}.")
CHANNEL_WORDS = {"door": _("at the door"), "phone": _("by phone")}
PLAN_SUMMARY = _("{clause} {title} — {who}, {channel}")
PLACE = _("{unit}, zone {zone}")


def due_calendar(items: list[DueItem], clock, *, name: str) -> bytes:
    """One event per due item: all-day on its day (today when overdue), or a timed slot for a callback."""
    cal = _calendar(name)
    for item in items:
        if item.due is None:  # waiting (for rain…): it has no day yet
            continue
        cal.add_component(_due_event(item, clock))
    return _finish(cal)


def plan_calendar(days: list[dict], clock, *, name: str) -> bytes:
    """One all-day event per planned visit; moving a visit to another day updates its event."""
    from icalendar import Event

    cal = _calendar(name)
    for day in days:
        event = Event.new(
            # Not the plan's id: a redrafted plan's visits update the events of the draft they replace.
            uid=_uid("plan", day["day"].strftime("%Y-%m"), day["party_id"], day["rule"]),
            stamp=_stamp(clock),
            start=day["day"],
            end=day["day"] + timedelta(days=1),
            summary=PLAN_SUMMARY.format(
                clause=day["clause"],
                title=day["title"],
                who=_who(day["name"], day["unit"]),
                channel=_channel(day["channel"]),
            ),
            description=PLANNED_LINE.format(
                channel=_channel(day["channel"]),
                clause=day["clause"],
                rule=day["rule"],
                plan_id=day["plan_id"],
            ),
            categories=[day["clause"]],
            location=_place(day.get("unit"), day.get("zone")) if day["channel"] == "door" else None,
        )
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return _finish(cal)


def _calendar(name: str):
    from icalendar import Calendar

    return Calendar.new(prodid=PRODID, name=name, uid=_uid("calendar", name))


def _finish(cal) -> bytes:
    """Adds the VTIMEZONE of every time zone the events use, over the years they span."""
    years = [event.start.year for event in cal.events]
    if years:
        cal.add_missing_timezones(
            first_date=date(min(years) - 1, 1, 1), last_date=date(max(years) + 2, 1, 1)
        )
    return cal.to_ical()


def _due_event(item: DueItem, clock):
    from icalendar import Event

    start, end = _span(item, clock)
    event = Event.new(
        uid=_uid(
            "due", item.rule, item.subject_type, item.subject_id, item.ref, item.due_day.isoformat()
        ),
        stamp=_stamp(clock),
        start=start,
        end=end,
        summary=SUMMARY.format(
            clause=item.clause, title=item.title, who=_who(item.subject_name, item.subject_unit)
        ),
        description=_description(item, clock),
        categories=[item.clause],
        location=_place(item.subject_unit, item.zone),
    )
    if not isinstance(start, datetime):
        event.add("transp", "TRANSPARENT")  # a day's to-do, not a meeting: the day stays free
    return event


def _span(item: DueItem, clock) -> tuple[date | datetime, date | datetime]:
    """A timed item keeps its slot unless its day has passed; anything late is shown today, as a to-do.
    An item that ended undone (a lapsed `may`, a missed one) is no to-do: it stays on its own day."""
    if isinstance(item.due, datetime) and item.due_day >= clock.today:
        start = item.due.astimezone(clock.tz)
        return start, start + timedelta(minutes=TIMED_MINUTES)
    late = item.status == OVERDUE or item.due_day < clock.today
    day = clock.today if late and item.status not in ENDED else item.due_day
    return day, day + timedelta(days=1)


def _description(item: DueItem, clock) -> str:
    status = MISSED.format(status=item.status, period=item.missed) if item.missed else item.status
    last = (
        item.last_contact.astimezone(clock.tz).strftime("%Y-%m-%d %H:%M")
        if item.last_contact
        else NEVER_CONTACTED
    )
    lines = [item.why] if item.why else []
    lines += [
        CLAUSE_LINE.format(clause=item.clause, strength=item.strength),
        STATUS_LINE.format(status=status),
        LAST_CONTACT_LINE.format(when=last),
    ]
    if item.owner_name:
        lines.append(OWNER_LINE.format(owner=item.owner_name))
    if item.zone:
        lines.append(ZONE_LINE.format(zone=item.zone))
    if item.together:
        lines.append(
            TOGETHER_LINE.format(people=", ".join(f"{who} ({role})" for role, who in item.together))
        )
    return "\n".join(lines)


def _who(name: Text, unit: str | None) -> Text:
    return f"{name} {unit}" if unit else name


def _place(unit: str | None, zone: str | None) -> str | None:
    if unit and zone:
        return PLACE.format(unit=unit, zone=zone)
    return unit or None


def _channel(channel: str) -> Text:
    return CHANNEL_WORDS.get(channel, channel)


def _stamp(clock) -> datetime:
    return clock.now.astimezone(UTC)


def _uid(*parts) -> str:
    """The same thing gives the same UID in every file, so a calendar app updates it in place."""
    key = "|".join("" if part is None else str(part) for part in parts)
    return hashlib.sha1(key.encode("utf-8")).hexdigest() + "@careops"

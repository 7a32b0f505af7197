"""The monthly report for the CLI: which month and scope, then the report (careops.report) over them."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from careops.clock import Clock
from careops.errors import InvalidInput
from careops.i18n import _
from careops.policy.models import Policy
from careops.report.model import Report
from careops.services.refs import resolve_staff, resolve_zone

# What this module says to people (one place, ready for translation).
FUTURE = _("--month {month} has not begun yet (today is {today}).")


def monthly_report(
    *,
    session: Session,
    clock: Clock,
    policy: Policy,
    month: date | None,
    zone_ref: str | None,
    staff_ref: str | None,
    trend: bool,
) -> Report:
    """The report for `month` (default: this one, to date), for one zone or one staff member if given."""
    from careops.report.monthly import monthly_report as build
    from careops.report.window import ReportScope

    first = (month or clock.today).replace(day=1)
    if first > clock.today:
        raise InvalidInput(FUTURE.format(month=first.strftime("%Y-%m"), today=clock.today))
    conn = session.connection()
    zone = resolve_zone(conn, zone_ref) if zone_ref is not None else None
    person = resolve_staff(conn, staff_ref) if staff_ref is not None else None
    scope = ReportScope(zone_id=zone.id if zone else None, staff_id=person.id if person else None)
    return build(
        conn,
        policy,
        clock,
        first,
        scope,
        zone=zone.name if zone else None,
        staff=person.name if person else None,
        trend=trend,
    )

"""`due` for a person: resolve who and where, then ask the scheduler."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from sqlmodel import Session

from careops.calendar.callwindows import windows_on
from careops.calendar.workdays import WorkCalendar
from careops.clock import Clock
from careops.policy.models import Policy
from careops.scheduler.cadence import Scope
from careops.scheduler.due import DueView, due_view
from careops.services.refs import resolve_staff, resolve_zone, viewer_of


@dataclass
class DueReport:
    view: DueView
    call_windows: list[tuple[time, time]]
    clause: str
    unpublished_years: set[int]


def due_report(
    *,
    session: Session,
    clock: Clock,
    policy: Policy,
    staff_ref: str | None = None,
    zone_ref: str | None = None,
    show_all: bool = False,
    viewer: str | None = None,
) -> DueReport:
    """`viewer`: `--as STAFF`, who is looking (else CAREOPS_USER): appeals name the appellant only to
    those involved and HR."""
    conn = session.connection()
    who = viewer_of(conn, viewer)
    scope = Scope(
        owner_id=resolve_staff(conn, staff_ref).id if staff_ref else None,
        zone_id=resolve_zone(conn, zone_ref).id if zone_ref else None,
        viewer_id=who.id if who else None,
        viewer_role=who.role if who else None,
    )
    calendar = WorkCalendar()
    view = due_view(conn, policy, clock, calendar, scope, show_all=show_all)
    return DueReport(
        view,
        windows_on(policy.call_windows, clock.today),
        policy.call_windows.clause,
        calendar.unpublished_years,
    )

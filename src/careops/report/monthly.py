"""`careops report monthly`: every section for the month, each row with the month before's figures beside it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Connection

from careops.clock import Clock
from careops.policy.models import Policy
from careops.report.model import Report, Section
from careops.report.window import Month, ReportScope

TREND_MONTHS = 6


def sections(
    conn: Connection, policy: Policy, clock: Clock, month: Month, scope: ReportScope
) -> list[Section]:
    from careops.report.cases import followup_sections, register_sections
    from careops.report.office import hr_sections, office_sections
    from careops.report.visits import visit_sections

    found = visit_sections(conn, policy, clock, month, scope)
    found += followup_sections(conn, policy, clock, month, scope)
    found += register_sections(conn, policy, clock, month, scope)
    if scope.whole_site:
        found += office_sections(conn, policy, clock, month, scope)
        found += hr_sections(conn, policy, clock, month, scope)
    for section in found:
        section.rows = [{k: plain(v) for k, v in row.items()} for row in section.rows]
    return found


def plain(value):
    """PostgreSQL sums integers as NUMERIC: a figure is an int, a float or None, whatever the database."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def monthly_report(
    conn: Connection,
    policy: Policy,
    clock: Clock,
    first: date,
    scope: ReportScope,
    *,
    zone: str | None = None,
    staff: str | None = None,
    trend: bool = True,
) -> Report:
    month = Month.of(first, clock)
    before = month.previous(clock)
    current = sections(conn, policy, clock, month, scope)
    earlier = {s.key: s for s in sections(conn, policy, clock, before, scope)}
    for section in current:
        section.add_previous(
            earlier.get(section.key) or Section(section.key, "", "", section.columns)
        )
    report = Report(
        month=month.first,
        previous_month=before.first,
        generated_at=clock.now,
        zone=zone,
        staff=staff,
        sections=current,
    )
    if trend:
        known = {
            month.label: next((s for s in current if s.key == "p1"), None),
            before.label: earlier.get("p1"),
        }
        report.trend = trend_points(conn, policy, clock, month, scope, known)
    return report


def trend_points(conn, policy, clock, month: Month, scope: ReportScope, known: dict) -> list[dict]:
    """The last six months, oldest first: P1 coverage, register volume and on-time answers, follow-ups on time.
    `known`: the P1 sections already counted, by month label (their coverage is not counted twice)."""
    from careops.report.cases import trend_figures
    from careops.report.visits import coverage, coverage_of

    points = []
    months = [month]
    for _ in range(TREND_MONTHS - 1):
        months.insert(0, months[0].previous(clock))
    for m in months:
        share = (
            coverage_of(known[m.label])
            if known.get(m.label)
            else coverage(conn, policy, clock, m, scope)
        )
        figures = {"coverage_pct": share, **trend_figures(conn, policy, clock, m, scope)}
        points.append({"month": m.label, **{k: plain(v) for k, v in figures.items()}})
    return points

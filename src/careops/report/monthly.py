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
    """Every section the site has something to count for: a site without households (a hospital or a company
    alone) has no property sections, and the site-wide sections are left out of a zone's or a person's report."""
    from careops.report.cases import followup_sections, register_sections
    from careops.report.chases import chases_section
    from careops.report.checks import checks_section
    from careops.report.contacts import contact_sections
    from careops.report.contracts import contracts_section
    from careops.report.leaving import leaving_sections
    from careops.report.office import hr_sections, office_sections
    from careops.report.plans import plan_sections
    from careops.report.visits import p3_section, property_site, visit_sections

    households = property_site(conn, clock, month)
    head: list[Section] = []
    tail: list[Section | None] = []
    if households:
        head += visit_sections(conn, policy, clock, month, scope)
        head += plan_sections(conn, policy, clock, month, scope)
        tail.append(p3_section(conn, policy, clock, month, scope))
    tail += [
        s for s in followup_sections(conn, policy, clock, month, scope) if households or s.rows
    ]
    tail += register_sections(conn, policy, clock, month, scope)
    tail.append(chases_section(conn, policy, clock, month, scope))
    if scope.whole_site:
        tail += office_sections(conn, policy, clock, month, scope)
        tail.append(checks_section(conn, policy, clock, month))
        tail += hr_sections(conn, policy, clock, month, scope)
        tail.append(contracts_section(conn, policy, clock, month))
        tail += leaving_sections(conn, policy, clock, month)
    found = [s for s in tail if s is not None]
    if scope.whole_site:
        taken = {s.key for s in head + found}
        found = contact_sections(conn, policy, clock, month, taken) + found
    found = head + found
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

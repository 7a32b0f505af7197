"""The report's visit sections: P1 coverage per butler and zone, the households not contacted in the month, the
owners not moved in (quarter to date), and calls outside the call windows (P3).

Each figure is one aggregate query over the month's visits (COUNT, SUM(CASE WHEN EXISTS …)), grouped by zone
or by staff: never a query or a Python step per household.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Integer, and_, cast, exists, extract, func, literal, or_, select

from careops import i18n
from careops.calendar.periods import period_of
from careops.clock import Clock
from careops.i18n import _
from careops.policy.models import Policy, Rule
from careops.report.model import PCT, TEXT, Column, Section, pct
from careops.report.window import Month, ReportScope, as_of, count_if, utc_offset
from careops.scheduler.cadence import qualifying
from careops.scheduler.plans import plan_rules
from careops.scheduler.tables import party, staff, tag, visit, zone
from careops.vocab import Channel

# What this module says to people (one place, ready for translation).
P1_TITLE = _("Monthly visits (butler, zone)")
P1_NOTE = _(
    "Households under the rule by the month's end; contacted: a qualifying visit or call in the month."
)
OWNERS_TITLE = _("Owners not moved in (quarter)")
OWNERS_NOTE = _(
    "Phoned (or visited) at least once from the quarter's first day to the month's end."
)
P3_TITLE = _("Calls outside the call windows")
P3_NOTE = _(
    "Phone visits to households logged on a day or at a time {clause} advises against (calls are fine on {days}, "
    "{windows})."
)
L_STAFF, L_ZONE, L_HOUSEHOLDS, L_DOOR, L_PHONE = (
    _("Butler"),
    _("Zone"),
    _("Households"),
    _("At the door"),
    _("By phone only"),
)
L_CONTACTED, L_COVERAGE, L_MISSED = _("Contacted"), _("Coverage %"), _("Not contacted")
L_OWNERS, L_PHONED = _("Owners not moved in"), _("Contacted this quarter")
MISSED_TITLE = _("Households not contacted in the month")
MISSED_NOTE = _(
    "Households under the monthly rule by the month's end with no qualifying visit or call in the month, by "
    "anyone: the households the month missed (to date, for this month)."
)
L_HOUSEHOLD, L_UNIT, L_LAST = _("Household"), _("Unit"), _("Last contact")
MISSED_SHOWN = (
    20  # on a terminal: the first 20 and the count (the xlsx and html formats list them all)
)
L_CALLER, L_CALLS, L_OUTSIDE, L_OUTSIDE_PCT = (
    _("Staff"),
    _("Calls"),
    _("Outside the windows"),
    _("Outside %"),
)


def visit_sections(
    conn, policy: Policy, clock: Clock, month: Month, scope: ReportScope
) -> list[Section]:
    sections = [
        p1_section(conn, policy, clock, month, scope),
        missed_section(conn, policy, clock, month, scope),
        owners_section(conn, policy, clock, month, scope),
    ]
    return [s for s in sections if s is not None]


def property_site(conn, clock: Clock, month: Month) -> bool:
    """The site has households or zones by the month's end: a hospital or a company alone has neither, and its
    report has no property sections."""
    end = as_of(clock, month)
    recorded = [
        select(literal(1)).where(party.c.kind == "household", party.c.created_at <= end),
        select(literal(1)).where(zone.c.created_at <= end),
    ]
    return any(conn.execute(select(exists(q))).scalar() for q in recorded)


def _monthly(policy: Policy) -> Rule | None:
    return next((r for r in plan_rules(policy) if r.period == "month"), None)


def _longer(policy: Policy) -> Rule | None:
    return next((r for r in plan_rules(policy) if r.period != "month"), None)


def met_in(rule: Rule, start, end, channel: str | None = None):
    """EXISTS a qualifying contact of the household in [start, end) (by one channel only, if given)."""
    if channel is not None:
        rule = rule.model_copy(update={"channels": (Channel(channel),)})
    source, cond = qualifying(
        rule, visit.c.party_id == party.c.id, end - timedelta(microseconds=1), since=start
    )
    return exists(select(literal(1)).select_from(source).where(cond))


def under_rule(rule: Rule, month: Month):
    """The households under `rule` by the month's end (its selector; recorded before the month ended, not void then)."""
    subject = rule.subject
    assert subject is not None  # a plan's rule is a cadence: it names its households
    since = tag.c.since if subject.tag else party.c.status_since
    conds = [party.c.kind == subject.kind]
    if subject.status is not None:
        conds.append(party.c.status == subject.status.value)
    if subject.contact_kind is not None:
        conds.append(party.c.contact_kind == subject.contact_kind.value)
    return [
        *conds,
        or_(party.c.voided_at.is_(None), party.c.voided_at >= month.end_utc),
        party.c.created_at < month.end_utc,
        or_(since.is_(None), since <= month.last),
    ]


def rule_from(rule: Rule):
    from_ = party.outerjoin(zone, zone.c.id == party.c.zone_id).outerjoin(
        staff, staff.c.id == zone.c.butler_id
    )
    subject = rule.subject
    assert subject is not None  # a plan's rule is a cadence: it names its households
    if subject.tag:
        from_ = from_.join(tag, and_(tag.c.party_id == party.c.id, tag.c.tag == subject.tag))
    return from_


def _scoped(query, scope: ReportScope):
    if scope.zone_id is not None:
        query = query.where(zone.c.id == scope.zone_id)
    if scope.staff_id is not None:
        query = query.where(zone.c.butler_id == scope.staff_id)
    return query


def p1_section(conn, policy, clock, month: Month, scope: ReportScope) -> Section | None:
    rule = _monthly(policy)
    if rule is None:
        return None
    any_ = met_in(rule, month.start_utc, month.end_utc)
    door = met_in(rule, month.start_utc, month.end_utc, Channel.door.value)
    query = _scoped(
        select(
            staff.c.name.label("staff"),
            zone.c.name.label("zone"),
            func.count().label("households"),
            count_if(door).label("door"),
            count_if(any_).label("contacted"),
        )
        .select_from(rule_from(rule))
        .where(*under_rule(rule, month))
        .group_by(zone.c.id, zone.c.name, staff.c.name, staff.c.name_pinyin)
        .order_by(staff.c.name_pinyin, staff.c.name, zone.c.name),
        scope,
    )
    # By phone only: contacted, and not at the door (a door visit is a contact: door <= contacted).
    rows = [
        {
            "staff": r.staff,
            "zone": r.zone,
            "households": r.households,
            "door": r.door,
            "phone": r.contacted - r.door,
            "contacted": r.contacted,
            "coverage_pct": pct(r.contacted, r.households),
            "missed": r.households - r.contacted,
        }
        for r in conn.execute(query)
    ]
    columns = [
        Column("staff", L_STAFF, TEXT),
        Column("zone", L_ZONE, TEXT),
        Column("households", L_HOUSEHOLDS),
        Column("door", L_DOOR),
        Column("phone", L_PHONE),
        Column("contacted", L_CONTACTED),
        Column("coverage_pct", L_COVERAGE, PCT),
        Column("missed", L_MISSED),
    ]
    return Section("p1", P1_TITLE, rule.clause, columns, rows, P1_NOTE)


def missed_section(conn, policy, clock, month: Month, scope: ReportScope) -> Section | None:
    """Each household of the P1 figure "Not contacted", with its zone, butler and last qualifying contact."""
    rule = _monthly(policy)
    if rule is None:
        return None
    until = month.end_utc - timedelta(microseconds=1)
    source, ever = qualifying(rule, visit.c.party_id == party.c.id, until)
    last = select(func.max(visit.c.at)).select_from(source).where(ever).scalar_subquery()
    query = _scoped(
        select(
            party.c.name,
            party.c.unit,
            zone.c.name.label("zone"),
            staff.c.name.label("staff"),
            last.label("last"),
        )
        .select_from(rule_from(rule))
        .where(*under_rule(rule, month), ~met_in(rule, month.start_utc, month.end_utc))
        .order_by(zone.c.name, party.c.unit, party.c.name, party.c.id),
        scope,
    )
    rows = [
        {
            "household": r.name,
            "unit": r.unit,
            "zone": r.zone,
            "staff": r.staff,
            "last_contact": clock.local_date(r.last) if r.last else None,
        }
        for r in conn.execute(query)
    ]
    columns = [
        Column("household", L_HOUSEHOLD, TEXT),
        Column("unit", L_UNIT, TEXT),
        Column("zone", L_ZONE, TEXT),
        Column("staff", L_STAFF, TEXT),
        Column("last_contact", L_LAST, TEXT),
    ]
    return Section(
        "p1_missed",
        MISSED_TITLE,
        rule.clause,
        columns,
        rows,
        MISSED_NOTE,
        match=("household", "unit"),
        shown=MISSED_SHOWN,
    )


def owners_section(conn, policy, clock, month: Month, scope: ReportScope) -> Section | None:
    rule = _longer(policy)
    if rule is None:
        return None
    assert rule.period is not None  # a cadence has a period
    start = clock.day_start_utc(period_of(rule.period, month.first).start)
    contacted = met_in(rule, start, month.end_utc)
    query = _scoped(
        select(
            staff.c.name.label("staff"),
            zone.c.name.label("zone"),
            func.count().label("owners"),
            count_if(contacted).label("contacted"),
        )
        .select_from(rule_from(rule))
        .where(*under_rule(rule, month))
        .group_by(zone.c.id, zone.c.name, staff.c.name, staff.c.name_pinyin)
        .order_by(staff.c.name_pinyin, staff.c.name, zone.c.name),
        scope,
    )
    rows = [
        {
            "staff": r.staff,
            "zone": r.zone,
            "owners": r.owners,
            "contacted": r.contacted,
            "coverage_pct": pct(r.contacted, r.owners),
        }
        for r in conn.execute(query)
    ]
    columns = [
        Column("staff", L_STAFF, TEXT),
        Column("zone", L_ZONE, TEXT),
        Column("owners", L_OWNERS),
        Column("contacted", L_PHONED),
        Column("coverage_pct", L_COVERAGE, PCT),
    ]
    return Section("p1_owners", OWNERS_TITLE, rule.clause, columns, rows, OWNERS_NOTE)


def p3_section(conn, policy, clock, month: Month, scope: ReportScope) -> Section:
    windows = policy.call_windows
    minutes = utc_offset(clock, month) // 60
    utc_minute = cast(extract("hour", visit.c.at), Integer) * 60 + cast(
        extract("minute", visit.c.at), Integer
    )
    local = utc_minute + minutes + 1440  # in [0, 4320): the local minute, shifted by one day
    local_minute = local % 1440
    local_dow = (
        cast(extract("dow", visit.c.at), Integer) + local // 1440 - 1 + 7
    ) % 7  # 0 = Sunday
    days = [(d + 1) % 7 for d in windows.weekdays()]
    spans = [(s.hour * 60 + s.minute, e.hour * 60 + e.minute) for s, e in windows.spans()]
    inside = and_(
        local_dow.in_(days), or_(*(and_(local_minute >= a, local_minute < b) for a, b in spans))
    )
    conds = [
        visit.c.channel == Channel.phone.value,
        visit.c.voided_at.is_(None),
        visit.c.at >= month.start_utc,
        visit.c.at < month.end_utc,
        party.c.kind == "household",
    ]
    if scope.zone_id is not None:
        conds.append(party.c.zone_id == scope.zone_id)
    if scope.staff_id is not None:
        conds.append(visit.c.staff_id == scope.staff_id)
    query = (
        select(
            staff.c.name.label("staff"),
            func.count().label("calls"),
            count_if(~inside).label("outside"),
        )
        .select_from(
            visit.join(party, party.c.id == visit.c.party_id).join(
                staff, staff.c.id == visit.c.staff_id
            )
        )
        .where(*conds)
        .group_by(staff.c.id, staff.c.name, staff.c.name_pinyin)
        .order_by(staff.c.name_pinyin, staff.c.name)
    )
    rows = [
        {
            "staff": r.staff,
            "calls": r.calls,
            "outside": r.outside,
            "outside_pct": pct(r.outside, r.calls),
        }
        for r in conn.execute(query)
    ]
    columns = [
        Column("staff", L_CALLER, TEXT),
        Column("calls", L_CALLS),
        Column("outside", L_OUTSIDE),
        Column("outside_pct", L_OUTSIDE_PCT, PCT),
    ]
    note = P3_NOTE.format(
        clause=windows.clause,
        days=i18n.weekdays(windows.days),
        windows=", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in windows.spans()),
    )
    return Section("p3", P3_TITLE, windows.clause, columns, rows, note)


def coverage(conn, policy, clock, month: Month, scope: ReportScope) -> float | None:
    """The month's P1 coverage over the scope (the trend chart): one aggregate query."""
    rule = _monthly(policy)
    if rule is None:
        return None
    contacted = met_in(rule, month.start_utc, month.end_utc)
    row = conn.execute(
        _scoped(
            select(func.count().label("n"), count_if(contacted).label("contacted"))
            .select_from(rule_from(rule))
            .where(*under_rule(rule, month)),
            scope,
        )
    ).one()
    return pct(row.contacted, row.n)


def coverage_of(section: Section | None) -> float | None:
    """The same figure from a P1 section already counted (this month's and the month before's)."""
    if section is None:
        return None
    return pct(
        sum(r["contacted"] for r in section.rows), sum(r["households"] for r in section.rows)
    )

"""Which cadence obligations one visit satisfied: it qualifies, and is the period's first that does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import ColumnElement, Connection, and_, exists, literal, select

from careops.calendar.periods import period_of
from careops.clock import Clock
from careops.models import Visit
from careops.policy.models import Policy, Rule
from careops.scheduler.cadence import qualifying, subject_filter
from careops.scheduler.tables import party, tag, visit


@dataclass(frozen=True)
class Satisfied:
    rule: str
    clause: str
    title: str
    period: str


def satisfied_by(
    conn: Connection, policy: Policy, clock: Clock, visit_row: Visit
) -> list[Satisfied]:
    """`visit_row` has party_id, id and at (naive UTC)."""
    day = clock.local_date(visit_row.at)
    found = []
    for rule in policy.cadence_rules():
        assert rule.period is not None and rule.subject is not None  # a cadence rule has both
        period = period_of(rule.period, day)
        start = clock.day_start_utc(period.start)
        end = clock.day_start_utc(period.after) - timedelta(microseconds=1)
        match_this: ColumnElement[bool]
        if rule.mode == "any":
            group = (
                select(tag.c.party_id)
                .select_from(tag.join(party, party.c.id == tag.c.party_id))
                .where(tag.c.tag == rule.subject.tag, *subject_filter(rule))
            )
            match_this = visit.c.party_id.in_(group)
        else:
            match_this = and_(
                visit.c.party_id == visit_row.party_id,
                visit.c.party_id.in_(
                    select(party.c.id).where(*subject_filter(rule), *_tagged(rule))
                ),
            )
        source, counts = qualifying(rule, match_this, end, since=start)
        this = exists(
            select(literal(1)).select_from(source).where(counts, visit.c.id == visit_row.id)
        )
        other = exists(
            select(literal(1)).select_from(source).where(counts, visit.c.id != visit_row.id)
        )
        if conn.execute(select(this & ~other)).scalar():
            found.append(Satisfied(rule.id, rule.clause, rule.title, period.name()))
    return found


def not_by_role(
    conn: Connection, policy: Policy, visit_row: Visit, role: str | None
) -> list[tuple[str, str]]:
    """(clause, roles) of each cadence rule whose subject the visit's party is, by one of the rule's channels,
    that a contact by `role` does not settle (P2: only the manager's; CH3: only the nurse's or manager's)."""
    found = []
    for rule in policy.cadence_rules():
        if rule.settles(role) or visit_row.channel not in {c.value for c in rule.channels}:
            continue
        is_subject = exists(
            select(literal(1)).where(
                party.c.id == visit_row.party_id, *subject_filter(rule), *_tagged(rule)
            )
        )
        if conn.execute(select(is_subject)).scalar():
            found.append((rule.clause, " or ".join(r.value for r in rule.settled_by)))
    return found


def _tagged(rule: Rule) -> list[ColumnElement[bool]]:
    assert rule.subject is not None  # a cadence rule
    if not rule.subject.tag:
        return []
    return [party.c.id.in_(select(tag.c.party_id).where(tag.c.tag == rule.subject.tag))]

"""Cadence rules: each subject (or any one of a group) needs a qualifying contact per period.

One set-based query per rule: the subjects that match the rule's selector and
have no qualifying contact in the current period, with their last qualifying
contact. Whether an item is overdue (the subject was under the rule for the
whole previous period and had no qualifying contact in it) follows from that
last contact, so no second query is needed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, FromClause, and_, case, exists, func, literal, or_, select
from sqlalchemy.sql import ColumnElement

from careops.calendar.periods import Period, period_of
from careops.clock import Clock
from careops.i18n import Text, _
from careops.policy.models import Rule
from careops.scheduler.items import DueItem
from careops.scheduler.owners import Holder, Roles
from careops.scheduler.tables import party, staff, tag, visit, zone

BY_STAFF = staff.alias("by_staff")  # who made a visit, when a rule asks for a role

# A cadence owner named by the subject's zone -> the zone's column naming them.
ZONE_OWNERS = {"zone-butler": "butler_id", "health-butler": "health_butler_id"}

# What this module says to people (one place, ready for translation).
WHY_DUE = _("{title}: no contact yet in {period}")
WHY_OVERDUE = _("{title}: no contact yet in {period}, none in {previous} either")
GROUP_NAME = _("{name} ({size})")
FALLS_TO_BUTLER = _(" — zone {zone} has no butler today: falls to {name}")
FALLS_TO_HEALTH_BUTLER = _(" — zone {zone} has no health butler today: falls to {name}")
FALLS_TO_ROLE = _(" — nobody holds {role} today: falls to {name}")

# Builds a rule's item: subject type, id, name, unit, owner id, owner name, zone, last contact (UTC),
# overdue, settled today.
Maker = Callable[
    [
        str,
        int | str,
        Text,
        str | None,
        int | None,
        str | None,
        str | None,
        datetime | None,
        bool,
        bool,
    ],
    DueItem,
]


@dataclass(frozen=True)
class Scope:
    """Which items the caller wants: those one staff member owns, those of one zone."""

    owner_id: int | None = None
    zone_id: int | None = None
    party_id: int | None = None
    # Who is looking (`--as`, CAREOPS_USER): an appeal's appellant is named only to those involved and HR.
    viewer_id: int | None = None
    viewer_role: str | None = None


def qualifying(
    rule: Rule, party_match: ColumnElement[bool], until: datetime, since: datetime | None = None
) -> tuple[FromClause, ColumnElement[bool]]:
    """A visit that counts for `rule`: reached, not voided, by the right channel (and role), at or before `until`."""
    conds = [
        party_match,
        visit.c.outcome == "reached",
        visit.c.voided_at.is_(None),
        visit.c.channel.in_([c.value for c in rule.channels]),
        visit.c.at <= until,
    ]
    if since is not None:
        conds.append(visit.c.at >= since)
    source: FromClause = visit
    if rule.settled_by:
        source = visit.join(BY_STAFF, BY_STAFF.c.id == visit.c.staff_id)
        conds.append(BY_STAFF.c.role.in_([r.value for r in rule.settled_by]))
    return source, and_(*conds)


def subject_filter(rule: Rule, p: FromClause = party) -> list[ColumnElement[bool]]:
    subject = rule.subject
    assert subject is not None  # a cadence rule
    conds = [p.c.kind == subject.kind, p.c.voided_at.is_(None)]
    if subject.status is not None:
        conds.append(p.c.status == subject.status.value)
    if subject.contact_kind is not None:
        conds.append(p.c.contact_kind == subject.contact_kind.value)
    return conds


def cadence_items(
    conn: Connection,
    rule: Rule,
    clock: Clock,
    scope: Scope,
    *,
    settled_today: bool = False,
    roles: Roles | None = None,
) -> list[DueItem]:
    """The rule's open items. With `settled_today`, also those first settled today (marked `settled`):
    the daily share is counted from what was open when the day began."""
    roles = roles or Roles(conn, clock.today)
    holder = (
        roles.holder(rule.owner.removeprefix("role:")) if rule.owner.startswith("role:") else None
    )
    fell = False
    if rule.owner.startswith("role:") and holder is None:
        holder, fell = roles.fallback(rule), True
    if holder and scope.owner_id is not None and holder[0] != scope.owner_id:
        return []
    if rule.owner.startswith("role:") and scope.owner_id is not None and holder is None:
        return []
    assert rule.period is not None  # a cadence rule
    period = period_of(rule.period, clock.today)
    if rule.mode == "any":
        found = _group_item(conn, rule, clock, scope, period, holder, settled_today)
    else:
        found = _each_items(conn, rule, clock, scope, period, holder, settled_today, roles)
    if fell and holder is not None:
        why = FALLS_TO_ROLE.format(role=rule.owner.removeprefix("role:"), name=holder[1])
        for item in found:
            item.why += why
    return found


def _each_items(
    conn: Connection,
    rule: Rule,
    clock: Clock,
    scope: Scope,
    period: Period,
    holder: Holder | None,
    settled_today: bool,
    roles: Roles,
) -> list[DueItem]:
    assert rule.subject is not None  # a cadence rule
    match = visit.c.party_id == party.c.id
    open_until, settled = _open_until(rule, match, clock, settled_today)
    source, met = qualifying(rule, match, open_until, since=clock.day_start_utc(period.start))
    # The last contact before the item was open counts; for an item settled today that is before midnight,
    # so it keeps the status it had when the day began.
    _, ever = qualifying(rule, match, open_until)
    last = select(func.max(visit.c.at)).select_from(source).where(ever).scalar_subquery()
    owner = staff.alias("owner")
    from_ = party.outerjoin(zone, zone.c.id == party.c.zone_id)
    conds = [*subject_filter(rule), ~exists(select(literal(1)).select_from(source).where(met))]
    if rule.subject.tag:
        from_ = from_.join(tag, and_(tag.c.party_id == party.c.id, tag.c.tag == rule.subject.tag))
        since_col = tag.c.since
    else:
        since_col = party.c.status_since
    owner_cols: list[ColumnElement[Any]]
    fallen: ColumnElement[Any] = literal(False)
    if rule.owner in ZONE_OWNERS:
        # A zone without its butler (or health butler) today (none named, or they have left): the rule's
        # fallback owns it.
        gone, stand_in = roles.gone, roles.fallback(rule)
        named = zone.c[ZONE_OWNERS[rule.owner]]
        from_ = from_.outerjoin(owner, and_(owner.c.id == named, owner.c.id.not_in(gone)))
        fallen = owner.c.id.is_(None)
        owner_cols = [
            case((fallen, literal(stand_in[0] if stand_in else None)), else_=owner.c.id).label(
                "owner_id"
            ),
            case((fallen, literal(stand_in[1] if stand_in else None)), else_=owner.c.name).label(
                "owner_name"
            ),
        ]
        if scope.owner_id is not None:
            # Through the zone list, so the planner starts from the butler's zones, not every household.
            mine: ColumnElement[bool] = party.c.zone_id.in_(
                select(zone.c.id).where(named == scope.owner_id, named.not_in(gone))
            )
            if stand_in is not None and stand_in[0] == scope.owner_id:
                mine = or_(mine, fallen)
            conds.append(mine)
    else:
        owner_cols = [
            literal(holder[0] if holder else None).label("owner_id"),
            literal(holder[1] if holder else None).label("owner_name"),
        ]
    if scope.zone_id is not None:
        conds.append(party.c.zone_id == scope.zone_id)
    if scope.party_id is not None:
        conds.append(party.c.id == scope.party_id)
    query = (
        select(
            party.c.id,
            party.c.kind,
            party.c.name,
            party.c.unit,
            since_col.label("since"),
            zone.c.name.label("zone"),
            last.label("last"),
            *owner_cols,
            settled.label("settled"),
            fallen.label("fallen"),
        )
        .select_from(from_)
        .where(*conds)
    )
    missed = _missed_previous(period, clock)
    make = _maker(rule, clock, period)
    found = []
    for row in conn.execute(query):
        item = make(
            row.kind,
            row.id,
            row.name,
            row.unit,
            row.owner_id,
            row.owner_name,
            row.zone,
            row.last,
            missed(row.since, row.last),
            row.settled,
        )
        if row.fallen and row.owner_id is not None:
            words = FALLS_TO_BUTLER if rule.owner == "zone-butler" else FALLS_TO_HEALTH_BUTLER
            item.why += words.format(zone=row.zone or "—", name=row.owner_name)
        found.append(item)
    return found


def _open_until(
    rule: Rule, match: ColumnElement[bool], clock: Clock, settled_today: bool
) -> tuple[datetime, ColumnElement[bool]]:
    """Up to when a contact closes an item, and the column telling an item settled today.

    Without `settled_today`: contacts up to now close items (settled is always false). With it:
    only contacts before today close them, and `settled` marks those closed since midnight."""
    if not settled_today:
        return clock.now_utc, literal(False)
    midnight = clock.day_start_utc(clock.today)
    source, today = qualifying(rule, match, clock.now_utc, since=midnight)
    return midnight - timedelta(microseconds=1), exists(
        select(literal(1)).select_from(source).where(today)
    )


def _group_item(
    conn: Connection,
    rule: Rule,
    clock: Clock,
    scope: Scope,
    period: Period,
    holder: Holder | None,
    settled_today: bool,
) -> list[DueItem]:
    assert rule.subject is not None  # a cadence rule
    if scope.zone_id is not None or scope.party_id is not None:
        return []
    member = party.alias("member")
    members = and_(
        tag.c.tag == rule.subject.tag, member.c.id == tag.c.party_id, *subject_filter(rule, member)
    )
    in_group = visit.c.party_id.in_(
        select(tag.c.party_id)
        .select_from(tag.join(member, member.c.id == tag.c.party_id))
        .where(members)
    )
    open_until, settled = _open_until(rule, in_group, clock, settled_today)
    source, met = qualifying(rule, in_group, open_until, since=clock.day_start_utc(period.start))
    _, ever = qualifying(rule, in_group, open_until)
    row = conn.execute(
        select(
            settled.label("settled"),
            select(func.count())
            .select_from(tag.join(member, member.c.id == tag.c.party_id))
            .where(members)
            .scalar_subquery()
            .label("size"),
            select(func.min(tag.c.since))
            .select_from(tag.join(member, member.c.id == tag.c.party_id))
            .where(members)
            .scalar_subquery()
            .label("since"),
            exists(select(literal(1)).select_from(source).where(met)).label("met"),
            select(func.max(visit.c.at))
            .select_from(source)
            .where(ever)
            .scalar_subquery()
            .label("last"),
        )
    ).one()
    if not row.size or row.met:
        return []
    name = GROUP_NAME.format(name=rule.group_name or rule.subject.tag, size=row.size)
    make = _maker(rule, clock, period)
    return [
        make(
            "group",
            f"tag:{rule.subject.tag}",
            name,
            None,
            holder[0] if holder else None,
            holder[1] if holder else None,
            None,
            row.last,
            _missed_previous(period, clock)(row.since, row.last),
            row.settled,
        )
    ]


def _missed_previous(
    period: Period, clock: Clock
) -> Callable[[date | None, datetime | None], bool]:
    """since, last -> under the rule for the whole previous period, and no qualifying contact in it."""
    previous = period.previous().start
    previous_utc = clock.day_start_utc(previous)
    return lambda since, last: (
        since is not None and since <= previous and (last is None or last < previous_utc)
    )


def _maker(rule: Rule, clock: Clock, period: Period) -> Maker:
    """A function building this rule's items for this period; the per-rule words are made once."""
    label, previous = period.label(), period.previous().label()
    why_due = WHY_DUE.format(title=rule.title, period=period.name())
    why_overdue = WHY_OVERDUE.format(
        title=rule.title, period=period.name(), previous=period.previous().name()
    )

    def make(
        subject_type: str,
        subject_id: int | str,
        name: Text,
        unit: str | None,
        owner_id: int | None,
        owner_name: str | None,
        zone_name: str | None,
        last: datetime | None,
        overdue: bool,
        settled: bool = False,
    ) -> DueItem:
        return DueItem(
            rule=rule.id,
            clause=rule.clause,
            strength=rule.strength,
            kind="cadence",
            title=rule.title,
            subject_type=subject_type,
            subject_id=subject_id,
            subject_name=name,
            subject_unit=unit,
            owner_id=owner_id,
            owner_name=owner_name,
            due=period.end,
            status="overdue" if overdue else "due",
            last_contact=clock.local(last),
            zone=zone_name,
            period=label,
            missed=previous if overdue else None,
            settled=bool(settled),
            pooled=True,
            why=why_overdue if overdue else why_due,
        )

    return make

"""The register's deadlines as due items (H3.1, P5.2): answer each matter in time, chase what stalls.

- *complaint*: a matter not yet answered is due by 24 h (urgent, major) or 48 h (general)
  from registration or its last reopening; owned by its handler, or by the register
  keeper (role office) while unrouted.
- *chase*: a routed, unresolved matter with no step for `chase_after` (3 working days)
  is the keeper's to chase.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Protocol, cast

from sqlalchemy import ColumnElement, Connection, FromClause, Row, and_, func, literal, or_, select

from careops.calendar.workdays import WorkCalendar
from careops.clock import Clock
from careops.i18n import Text, _
from careops.policy.models import Policy, SeverityName, parse_offset
from careops.scheduler.cadence import Scope
from careops.scheduler.items import DueItem
from careops.scheduler.owners import Holder, role_holder
from careops.scheduler.tables import complaint, complaint_step, party, staff, visit, zone

ANSWER_RULE = "register-answer"
CHASE_RULE = "register-chase"

# What this module says to people (one place, ready for translation).
ANSWER_TITLE = _("answer {number} ({severity} {kind})")
CHASE_TITLE = _("chase {number} with {dept}")
WHY_ANSWER = _(
    "{kind} by {channel} on {at:%Y-%m-%d %H:%M}: {summary} — a clear answer within {hours} h"
)
WHY_CHASE = _("no step on {number} since {last:%Y-%m-%d} ({dept}, {handler})")
NO_HANDLER = _("no handler")


class Answerable(Protocol):
    """A register entry (a `complaint` row, or a Complaint): what its answer deadline runs from."""

    @property
    def clock_from(self) -> datetime: ...
    @property
    def severity(self) -> str: ...


def answer_deadline(policy: Policy, clock: Clock, row: Answerable) -> datetime:
    """The local moment the person must have had a clear answer by."""
    hours = policy.desk.answer_hours[
        cast(SeverityName, row.severity)
    ]  # one of the three, as recorded
    return clock.local(row.clock_from) + timedelta(hours=hours)


def register_items(
    conn: Connection, policy: Policy, clock: Clock, calendar: WorkCalendar, scope: Scope
) -> list[DueItem]:
    keeper = role_holder(conn, policy.desk.keeper_role.value, clock.today)
    return _answers(conn, policy, clock, scope, keeper) + _chases(
        conn, policy, clock, calendar, scope, keeper
    )


def _base(
    clock: Clock, scope: Scope, owner_col: ColumnElement[Any], keeper: Holder | None
) -> tuple[list[FromClause | ColumnElement[Any]], FromClause, list[ColumnElement[bool]]]:
    now = clock.now_utc
    handler = staff.alias("handler")
    last = (
        select(func.max(visit.c.at))
        .where(
            visit.c.party_id == party.c.id,
            visit.c.outcome == "reached",
            visit.c.voided_at.is_(None),
            visit.c.at <= now,
        )
        .scalar_subquery()
    )
    conds = [
        complaint.c.voided_at.is_(None),
        complaint.c.received_at <= now,
        or_(complaint.c.closed_at.is_(None), complaint.c.closed_at > now),
    ]
    if scope.owner_id is not None:
        conds.append(owner_col == scope.owner_id)
    if scope.zone_id is not None:
        conds.append(party.c.zone_id == scope.zone_id)
    if scope.party_id is not None:
        conds.append(party.c.id == scope.party_id)
    cols: list[FromClause | ColumnElement[Any]] = [
        complaint,
        party.c.name.label("party_name"),
        party.c.kind.label("party_kind"),
        party.c.unit,
        zone.c.name.label("zone"),
        last.label("last"),
        handler.c.name.label("handler_name"),
    ]
    from_ = (
        complaint.outerjoin(party, party.c.id == complaint.c.party_id)
        .outerjoin(zone, zone.c.id == party.c.zone_id)
        .outerjoin(handler, handler.c.id == complaint.c.handler_id)
    )
    return cols, from_, conds


def _answers(
    conn: Connection, policy: Policy, clock: Clock, scope: Scope, keeper: Holder | None
) -> list[DueItem]:
    keeper_id = literal(keeper[0] if keeper else None)
    owner_col = func.coalesce(complaint.c.handler_id, keeper_id)
    cols, from_, conds = _base(clock, scope, owner_col, keeper)
    conds.append(or_(complaint.c.answered_at.is_(None), complaint.c.answered_at > clock.now_utc))
    conds.append(complaint.c.clock_from <= clock.now_utc)
    # Praise needs no answer, and an anonymous slip has nobody to answer.
    conds.append(complaint.c.kind != "praise")
    conds.append(or_(complaint.c.party_id.is_not(None), complaint.c.caller_name.is_not(None)))
    items = []
    for row in conn.execute(select(*cols).select_from(from_).where(*conds)):
        due = answer_deadline(policy, clock, row)
        hours = policy.desk.answer_hours[row.severity]
        owner_id, owner_name = (
            (row.handler_id, row.handler_name) if row.handler_id else (keeper or (None, None))
        )
        clause = policy.desk.answer_clause if row.kind == "feedback" else policy.desk.clause
        items.append(
            _item(
                row,
                clock,
                rule=ANSWER_RULE,
                clause=clause,
                strength=policy.desk.strength,
                kind="complaint",
                title=ANSWER_TITLE.format(number=row.number, severity=row.severity, kind=row.kind),
                owner=(owner_id, owner_name),
                due=due,
                status="due" if due >= clock.now else "overdue",
                why=WHY_ANSWER.format(
                    kind=row.kind,
                    channel=row.channel,
                    at=clock.local(row.received_at),
                    summary=_short(row.summary),
                    hours=hours,
                ),
            )
        )
    return items


def _chases(
    conn: Connection,
    policy: Policy,
    clock: Clock,
    calendar: WorkCalendar,
    scope: Scope,
    keeper: Holder | None,
) -> list[DueItem]:
    if keeper is None and scope.owner_id is not None:
        return []
    count, unit = parse_offset(policy.desk.chase_after)
    latest = _latest_quiet_day(clock.today, count, unit, calendar)
    keeper_id = literal(keeper[0] if keeper else None)
    cols, from_, conds = _base(clock, scope, keeper_id, keeper)
    now = clock.now_utc
    # As of the clock: routed by now, not resolved by now, and its last step (by now) long enough ago.
    steps = complaint_step.alias("steps")
    last_step = (
        select(func.max(steps.c.at))
        .where(
            steps.c.complaint_id == complaint.c.id, steps.c.at <= now, steps.c.action != "revisit"
        )
        .scalar_subquery()
    )
    routed = (
        select(steps.c.id)
        .where(steps.c.complaint_id == complaint.c.id, steps.c.action == "route", steps.c.at <= now)
        .exists()
    )
    conds += [
        complaint.c.state != "open",
        routed,
        or_(complaint.c.resolved_at.is_(None), complaint.c.resolved_at > now),
        last_step < clock.day_start_utc(latest + timedelta(days=1)),
    ]
    items = []
    for row in conn.execute(
        select(*cols, last_step.label("quiet")).select_from(from_).where(and_(*conds))
    ):
        quiet_since = clock.local_date(row.quiet)
        due = _after(quiet_since, count, unit, calendar)
        items.append(
            _item(
                row,
                clock,
                rule=CHASE_RULE,
                clause=policy.desk.clause,
                strength=policy.desk.strength,
                kind="chase",
                title=CHASE_TITLE.format(number=row.number, dept=row.dept),
                owner=keeper or (None, None),
                due=due,
                status="due" if due >= clock.today else "overdue",
                why=WHY_CHASE.format(
                    number=row.number,
                    last=quiet_since,
                    dept=row.dept,
                    handler=row.handler_name or NO_HANDLER,
                ),
            )
        )
    return items


def next_chase(policy: Policy, day: date, calendar: WorkCalendar) -> date:
    """The day a matter with its last step on `day` is due for chasing."""
    count, unit = parse_offset(policy.desk.chase_after)
    return _after(day, count, unit, calendar)


def _after(day: date, count: int, unit: str, calendar: WorkCalendar) -> date:
    return calendar.add_working_days(day, count) if unit == "wd" else day + timedelta(days=count)


def _latest_quiet_day(today: date, count: int, unit: str, calendar: WorkCalendar) -> date:
    """The last day a step may have been taken on for the matter to need chasing today."""
    day = today
    while _after(day, count, unit, calendar) > today:
        day -= timedelta(days=1)
    return day


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _item(
    row: Row[*tuple[Any, ...]],
    clock: Clock,
    *,
    rule: str,
    clause: str,
    strength: str,
    kind: str,
    title: Text,
    owner: tuple[int | None, str | None],
    due: date | datetime,
    status: str,
    why: str,
) -> DueItem:
    if row.party_id is None:
        subject_type, name = "caller", row.caller_name or ""
    else:
        subject_type, name = row.party_kind, row.party_name
    return DueItem(
        rule=rule,
        clause=clause,
        strength=strength,
        kind=kind,
        title=title,
        subject_type=subject_type,
        subject_id=row.party_id,
        subject_name=name,
        subject_unit=row.unit,
        owner_id=owner[0],
        owner_name=owner[1],
        due=due,
        status=status,
        last_contact=clock.local(row.last),
        ref=row.number,
        zone=row.zone,
        why=why,
    )

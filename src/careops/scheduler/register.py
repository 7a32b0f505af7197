"""The register's deadlines as due items (H3.1, P5.2): answer each matter in time, chase what stalls.

- *complaint*: a matter not yet answered is due by 24 h (urgent, major) or 48 h (general)
  from registration or its last reopening; owned by its handler, or by the register
  keeper (role office) while unrouted.
- *chase*: a routed, unresolved matter with no step for the rule's `due_in` (3 working days)
  is the keeper's to chase.

Who owns either, and what happens when nobody holds the role, is the rule's (owner, fallback).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol, cast

from sqlalchemy import ColumnElement, FromClause, Row, and_, exists, func, literal, or_, select

from careops.calendar.workdays import WorkCalendar
from careops.clock import Clock
from careops.i18n import Text, _
from careops.policy.models import Policy, Rule, SeverityName, parse_offset
from careops.scheduler.cadence import Scope
from careops.scheduler.items import DueItem
from careops.scheduler.owners import Holder, mine

if TYPE_CHECKING:
    from careops.scheduler.shapes import Context
from careops.scheduler.tables import complaint, complaint_step, party, staff, visit, zone

# What this module says to people (one place, ready for translation).
ANSWER_TITLE = _("answer {number} ({severity} {kind})")
INSTRUCTED = (
    "route",
    "answer",
    "resolve",
    "close",
)  # a leader's instruction shows as one of these steps
INSTRUCTION_TITLE = _("instruct on {number} (escalated)")
WHY_INSTRUCTION = _(
    "{number} was escalated to you on {day:%Y-%m-%d} by {dept}: {summary} — give an instruction (route, "
    "answer or resolve it: `careops complaint route|answer|resolve {number}`)"
)
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


def answer_items(ctx: Context, rules: list[Rule]) -> list[DueItem]:
    """Shape `register-answer`: each entry owed a clear answer, by its severity's hours (P5.2)."""
    keeper = ctx.roles.holder(ctx.policy.desk.keeper_role.value)
    return [i for rule in rules for i in _answers(ctx, rule, keeper)]


def instruction_items(ctx: Context, rules: list[Rule]) -> list[DueItem]:
    """Shape `register-instruction`: a matter escalated to a leader (`complaint escalate --to`) owes the leader's
    instruction within the rule's `due_in`, until a step after it routes, answers or resolves the matter (H3.1)."""
    return [i for rule in rules for i in _instructions(ctx, rule)]


def chase_items(ctx: Context, rules: list[Rule]) -> list[DueItem]:
    """Shape `register-chase`: each routed entry with no step for the rule's `due_in` (H3.1)."""
    return [i for rule in rules for i in _chases(ctx, rule)]


def _base(
    clock: Clock, scope: Scope
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


def _answers(ctx: Context, rule: Rule, keeper: Holder | None) -> list[DueItem]:
    conn, policy, clock, scope = ctx.conn, ctx.policy, ctx.clock, ctx.scope
    cols, from_, conds = _base(clock, scope)
    conds.append(or_(complaint.c.answered_at.is_(None), complaint.c.answered_at > clock.now_utc))
    conds.append(complaint.c.clock_from <= clock.now_utc)
    # Praise needs no answer, and an anonymous slip has nobody to answer.
    conds.append(complaint.c.kind != "praise")
    conds.append(or_(complaint.c.party_id.is_not(None), complaint.c.caller_name.is_not(None)))
    items = []
    for row in conn.execute(select(*cols).select_from(from_).where(*conds)):
        due = answer_deadline(policy, clock, row)
        hours = policy.desk.answer_hours[row.severity]
        # An entry not passed to anyone yet is the register keeper's to answer.
        handler = (row.handler_id, row.handler_name) if row.handler_id else keeper
        owner, fell = ctx.roles.owner(rule, handler)
        if not mine(scope.owner_id, owner):
            continue
        items.append(
            _item(
                row,
                clock,
                rule,
                clause=rule.clause_by_kind.get(row.kind, rule.clause),
                kind="complaint",
                title=ANSWER_TITLE.format(number=row.number, severity=row.severity, kind=row.kind),
                owner=owner or (None, None),
                due=due,
                status="due" if due >= clock.now else "overdue",
                why=WHY_ANSWER.format(
                    kind=row.kind,
                    channel=row.channel,
                    at=clock.local(row.received_at),
                    summary=_short(row.summary),
                    hours=hours,
                )
                + fell,
            )
        )
    return items


def _instructions(ctx: Context, rule: Rule) -> list[DueItem]:
    clock, calendar, scope = ctx.clock, ctx.calendar, ctx.scope
    assert rule.due_in is not None  # a register-instruction rule has one
    count, unit = parse_offset(rule.due_in)
    now = clock.now_utc
    asked = complaint_step.alias("asked")
    later = complaint_step.alias("later")
    leader = staff.alias("leader")
    acted = exists(
        select(literal(1)).where(
            later.c.complaint_id == asked.c.complaint_id,
            later.c.at >= asked.c.at,
            later.c.id != asked.c.id,
            later.c.action.in_(INSTRUCTED),
            later.c.at <= now,
        )
    )
    cols, from_, conds = _base(clock, scope)
    from_ = from_.join(asked, asked.c.complaint_id == complaint.c.id).join(
        leader, leader.c.id == asked.c.staff_id
    )
    conds += [asked.c.action == "escalate", asked.c.at <= now, ~acted]
    found = []
    for row in ctx.conn.execute(
        select(
            *cols,
            asked.c.at.label("asked_at"),
            leader.c.id.label("leader_id"),
            leader.c.name.label("leader_name"),
        )
        .select_from(from_)
        .where(*conds)
    ):
        owner, fell = ctx.roles.owner(rule, (row.leader_id, row.leader_name))
        if not mine(scope.owner_id, owner):
            continue
        day = clock.local_date(row.asked_at)
        due = _after(day, count, unit, calendar)
        found.append(
            _item(
                row,
                clock,
                rule,
                kind="instruction",
                title=INSTRUCTION_TITLE.format(number=row.number),
                owner=owner or (None, None),
                due=due,
                status="due" if due >= clock.today else "overdue",
                why=WHY_INSTRUCTION.format(
                    number=row.number, day=day, dept=row.dept, summary=_short(row.summary)
                )
                + fell,
            )
        )
    return found


def _chases(ctx: Context, rule: Rule) -> list[DueItem]:
    conn, clock, calendar, scope = ctx.conn, ctx.clock, ctx.calendar, ctx.scope
    owner, fell = ctx.roles.owner(rule)
    if not mine(scope.owner_id, owner):
        return []
    assert rule.due_in is not None  # a register-chase rule has one
    count, unit = parse_offset(rule.due_in)
    latest = _latest_quiet_day(clock.today, count, unit, calendar)
    cols, from_, conds = _base(clock, scope)
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
                rule,
                kind="chase",
                title=CHASE_TITLE.format(number=row.number, dept=row.dept),
                owner=owner or (None, None),
                due=due,
                status="due" if due >= clock.today else "overdue",
                why=WHY_CHASE.format(
                    number=row.number,
                    last=quiet_since,
                    dept=row.dept,
                    handler=row.handler_name or NO_HANDLER,
                )
                + fell,
            )
        )
    return items


def next_chase(policy: Policy, day: date, calendar: WorkCalendar) -> date | None:
    """The day a matter with its last step on `day` is due for chasing (None: the policy has no chase rule)."""
    rule = next(iter(policy.shaped("register-chase")), None)
    if rule is None or rule.due_in is None:
        return None
    count, unit = parse_offset(rule.due_in)
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
    rule: Rule,
    *,
    clause: str | None = None,
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
        rule=rule.id,
        clause=clause or rule.clause,
        strength=rule.strength,
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

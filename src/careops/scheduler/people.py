"""Employee relations as due items (E1.1, E1.2, E1.3, E2.1, E2.2, E2.6), derived from the facts.

Nothing here is written when a fact is recorded: each item is a set-based query over
staff, interviews, events, leaving cases and appeals, as of the clock. So an item's
owner is always the employee's manager *now* (a new manager inherits what is open),
and voiding a fact removes what it caused.

- *one-to-one* (E2.1, cadence): each manager–report pair, one one-to-one of at least
  `one_to_one_minutes` by the current manager this calendar year; pooled into the
  daily share like the monthly visits.
- *interview* (E2.2): probation end (by the last working day on or before it), and
  each pay-change / transfer / appraisal / career / resignation event (within 7 days).
- *contract* (E1.1): a contract ending within 30 days, for HR (should).
- *leave* (E1.2, E1.3): each open step of a leaving case or a transfer.
- *appeal* (E2.6.5): the round's decision, then its notification to the three parties.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Exists,
    Row,
    Select,
    and_,
    exists,
    func,
    literal,
    or_,
    select,
)

from careops.calendar.periods import period_of
from careops.calendar.workdays import WorkCalendar
from careops.clock import Clock
from careops.i18n import _
from careops.policy.models import Policy, parse_offset
from careops.scheduler.cadence import Scope
from careops.scheduler.deadlines import offset
from careops.scheduler.items import DueItem
from careops.scheduler.owners import Holder, left_before, role_holder
from careops.scheduler.tables import (
    appeal,
    appeal_person,
    appeal_step,
    event,
    interview,
    leave_case,
    leave_step,
    staff,
)
from careops.vocab import STAFF_EVENTS

ONE_TO_ONE = "one-to-one"
PROBATION = "probation-interview"
WORK_INTERVIEW = "work-interview"
CONTRACT = "contract-ending"
LEAVE_RULE = "leave-{step}"
DECISION = "appeal-decision"
NOTIFY = "appeal-notify"
STEP_ORDER = ("handover", "exit-interview", "audit", "final-pay")
RECIPIENTS = ("appellant", "gm", "hr")

# What this module says to people (one place, ready for translation).
TITLE_ONE_TO_ONE = _("one-to-one of {minutes} min or more")
WHY_ONE_TO_ONE = _("one-to-one with {manager}: none of {minutes} min or more yet in {period}")
WHY_ONE_TO_ONE_MISSED = _(
    "one-to-one with {manager}: none of {minutes} min or more in {period}, none in {previous} either"
)
TITLE_PROBATION = _("probation-end interview")
WHY_PROBATION = _(
    "probation ends on {ends:%Y-%m-%d}: the manager interviews {name} by {due:%Y-%m-%d}"
)
TITLE_INTERVIEW = _("{kind} interview")
WHY_INTERVIEW = _(
    "{kind} recorded on {day:%Y-%m-%d}: the manager interviews {name} within {within}"
)
TITLE_CONTRACT = _("labour contract ending")
WHY_CONTRACT = _(
    "{name}'s contract ends on {ends:%Y-%m-%d}: renew it (`staff edit --contract-ends`) "
    "or record the leaving (`leave start`)"
)
WHY_CONTRACT_ENDED = _(
    "{name}'s contract ended on {ends:%Y-%m-%d} and nothing is recorded: renew it or record the leaving"
)
TITLE_LEAVE = {
    "handover": _("hand over the work"),
    "exit-interview": _("exit interview ({by})"),
    "audit": _("departure audit (key position)"),
    "final-pay": _("release the final pay"),
}
TITLE_TRANSFER = _("hand over the work before the transfer to {dept}")
WHY_LEAVE = _("{name} leaves on {day:%Y-%m-%d}; open: {open}")
WHY_TRANSFER = _("{name} moves to {dept} on {day:%Y-%m-%d}; open: handover")
WHY_FINAL_PAY_WAITS = _("{name} leaves on {day:%Y-%m-%d}; final pay waits for: {open}")
WHY_LEFT = _(
    "{name}: left without completing the procedure (E1.2), last day {day:%Y-%m-%d}; open: {open}"
)
TITLE_DECISION = _("decide appeal #{id} (round {round})")
WHY_DECISION = _(
    "appeal #{id} from {name}, round {round} received {at:%Y-%m-%d}: investigate and decide within {within}"
)
TITLE_NOTIFY = _("notify the decision on appeal #{id}")
WHY_NOTIFY = _(
    "decided on {at:%Y-%m-%d}: notify in writing or by e-mail within {within}; still to notify: {left}"
)
CONFIDENTIAL = _("(confidential)")
WITHIN_WORDS = {
    "h": _("{n} hours"),
    "d": _("{n} days"),
    "wd": _("{n} working days"),
    "mo": _("{n} months"),
}


def within_words(text: str) -> str:
    n, unit = parse_offset(text)
    return WITHIN_WORDS[unit].format(n=n)


def people_items(
    conn: Connection,
    policy: Policy,
    clock: Clock,
    calendar: WorkCalendar,
    scope: Scope,
    *,
    settled_today: bool = False,
) -> list[DueItem]:
    if scope.zone_id is not None or scope.party_id is not None:
        return []  # staff have no zone and are not households
    hr = role_holder(conn, "hr", clock.today)
    items = _one_to_ones(conn, policy, clock, scope, settled_today)
    items += _probation(conn, policy, clock, calendar, scope, hr)
    items += _work_interviews(conn, policy, clock, calendar, scope, hr)
    items += _contracts(conn, policy, clock, scope, hr)
    items += _leaving(conn, policy, clock, scope, hr)
    items += appeal_items(conn, policy, clock, calendar, scope)
    return items


def _owner_ok(scope: Scope, owner_id: int | None) -> bool:
    return scope.owner_id is None or owner_id == scope.owner_id


# An employee's due item: no unit, no last contact unless given.
_item = partial(DueItem, subject_type="staff", subject_unit=None, last_contact=None)


# E2.1 -------------------------------------------------------------------------------------------------


def one_to_one_counts(policy: Policy) -> ColumnElement[bool]:
    """An interview that counts for E2.1 between the report (staff row) and their current manager."""
    return and_(
        interview.c.staff_id == staff.c.id,
        interview.c.by_id == staff.c.reports_to_id,
        interview.c.kind == ONE_TO_ONE,
        interview.c.minutes >= policy.people.one_to_one_minutes,
        interview.c.voided_at.is_(None),
    )


def _one_to_ones(
    conn: Connection, policy: Policy, clock: Clock, scope: Scope, settled_today: bool
) -> list[DueItem]:
    people = policy.people
    period = period_of("year", clock.today)
    counts = one_to_one_counts(policy)
    until_day = clock.today - timedelta(days=1) if settled_today else clock.today
    seen = interview.c.created_at <= clock.now_utc
    met = exists(
        select(literal(1)).where(
            counts, seen, interview.c.day >= period.start, interview.c.day <= until_day
        )
    )
    last = (
        select(func.max(interview.c.day))
        .where(counts, seen, interview.c.day <= until_day)
        .scalar_subquery()
    )
    settled = (
        exists(select(literal(1)).where(counts, seen, interview.c.day == clock.today))
        if settled_today
        else literal(False)
    )
    manager = staff.alias("manager")
    since_col = func.coalesce(staff.c.reports_since, staff.c.hired)
    company = [r.value for r in people.company_roles]
    conds = [
        staff.c.reports_to_id.is_not(None),
        or_(staff.c.role.in_(company), manager.c.role.in_(company)),
        ~left_before(clock.today),
        ~met,
        staff.c.created_at <= clock.now_utc,
        or_(staff.c.hired.is_(None), staff.c.hired <= clock.today),
    ]
    if scope.owner_id is not None:
        conds.append(staff.c.reports_to_id == scope.owner_id)
    rows = conn.execute(
        select(
            staff.c.id,
            staff.c.name,
            staff.c.dept,
            staff.c.created_at,
            since_col.label("since"),
            manager.c.id.label("owner_id"),
            manager.c.name.label("owner_name"),
            last.label("last"),
            settled.label("settled"),
        )
        .select_from(staff.join(manager, manager.c.id == staff.c.reports_to_id))
        .where(*conds)
    ).all()
    label, previous = period.label(), period.previous()
    title = TITLE_ONE_TO_ONE.format(minutes=people.one_to_one_minutes)
    items = []
    for row in rows:
        since = row.since or clock.local_date(row.created_at)
        missed = since <= previous.start and (row.last is None or row.last < previous.start)
        why = (WHY_ONE_TO_ONE_MISSED if missed else WHY_ONE_TO_ONE).format(
            manager=row.owner_name,
            minutes=people.one_to_one_minutes,
            period=period.name(),
            previous=previous.name(),
        )
        items.append(
            _item(
                rule=ONE_TO_ONE,
                clause=people.one_to_one_clause,
                strength="must",
                kind="cadence",
                title=title,
                subject_id=row.id,
                subject_name=row.name,
                owner_id=row.owner_id,
                owner_name=row.owner_name,
                due=period.end,
                status="overdue" if missed else "due",
                last_contact=_day_start(clock, row.last),
                period=label,
                missed=previous.label() if missed else None,
                settled=bool(row.settled),
                pooled=True,
                why=why,
            )
        )
    return items


def _day_start(clock: Clock, day: date | None) -> datetime | None:
    return None if day is None else clock.local(clock.day_start_utc(day))


# E2.2 -------------------------------------------------------------------------------------------------


def _owned(scope: Scope, hr: Holder | None) -> list[ColumnElement[bool]]:
    """Only the items of `scope.owner_id`: the employee's manager, or HR for someone with none (in SQL)."""
    if scope.owner_id is None:
        return []
    return [func.coalesce(staff.c.reports_to_id, hr[0] if hr else None) == scope.owner_id]


def _manager_or_hr(row: Row[*tuple[Any, ...]], hr: Holder | None) -> tuple[int | None, str | None]:
    if row.manager_id is not None:
        return row.manager_id, row.manager_name
    return (hr[0], hr[1]) if hr else (None, None)


def probation_due(calendar: WorkCalendar, ends: date) -> date:
    """The interview is due by the last working day on or before the end of probation."""
    day = ends
    for _step in range(40):  # the longest run of days off in China's calendar is well under this
        if calendar.is_working_day(day):
            return day
        day -= timedelta(days=1)
    return ends


def _probation(
    conn: Connection,
    policy: Policy,
    clock: Clock,
    calendar: WorkCalendar,
    scope: Scope,
    hr: Holder | None,
) -> list[DueItem]:
    people = policy.people
    manager = staff.alias("manager")
    done = exists(
        select(literal(1)).where(
            interview.c.staff_id == staff.c.id,
            interview.c.kind == "probation",
            interview.c.voided_at.is_(None),
            interview.c.created_at <= clock.now_utc,
            interview.c.at <= clock.now_utc,
        )
    )
    rows = conn.execute(
        select(
            staff.c.id,
            staff.c.name,
            staff.c.dept,
            staff.c.probation_ends,
            manager.c.id.label("manager_id"),
            manager.c.name.label("manager_name"),
        )
        .select_from(staff.outerjoin(manager, manager.c.id == staff.c.reports_to_id))
        .where(
            staff.c.probation_ends.is_not(None),
            ~done,
            ~left_before(clock.today),
            staff.c.created_at <= clock.now_utc,
            *_owned(scope, hr),
        )
    ).all()
    opens_days = parse_offset(people.probation_opens)[0]
    items = []
    for row in rows:
        owner_id, owner_name = _manager_or_hr(row, hr)
        due = probation_due(calendar, row.probation_ends)
        status = (
            "overdue"
            if due < clock.today
            else "upcoming"
            if clock.today < due - timedelta(days=opens_days)
            else "due"
        )
        items.append(
            _item(
                rule=PROBATION,
                clause=people.interview_clause,
                strength="must",
                kind="interview",
                title=TITLE_PROBATION,
                subject_id=row.id,
                subject_name=row.name,
                owner_id=owner_id,
                owner_name=owner_name,
                due=due,
                status=status,
                why=WHY_PROBATION.format(ends=row.probation_ends, name=row.name, due=due),
            )
        )
    return items


def _work_interviews(
    conn: Connection,
    policy: Policy,
    clock: Clock,
    calendar: WorkCalendar,
    scope: Scope,
    hr: Holder | None,
) -> list[DueItem]:
    people = policy.people
    manager = staff.alias("manager")
    done = exists(
        select(literal(1)).where(
            interview.c.staff_id == event.c.staff_id,
            interview.c.kind == event.c.kind,
            interview.c.day >= event.c.on_day,
            interview.c.voided_at.is_(None),
            interview.c.created_at <= clock.now_utc,
            interview.c.at <= clock.now_utc,
        )
    )
    rows = conn.execute(
        select(
            event.c.id,
            event.c.kind,
            event.c.on_day,
            staff.c.id.label("staff_id"),
            staff.c.name,
            staff.c.dept,
            manager.c.id.label("manager_id"),
            manager.c.name.label("manager_name"),
        )
        .select_from(
            event.join(staff, staff.c.id == event.c.staff_id).outerjoin(
                manager, manager.c.id == staff.c.reports_to_id
            )
        )
        .where(
            event.c.staff_id.is_not(None),
            event.c.kind.in_(STAFF_EVENTS),
            event.c.voided_at.is_(None),
            event.c.created_at <= clock.now_utc,
            event.c.at <= clock.now_utc,
            ~done,
            ~left_before(clock.today),
            *_owned(scope, hr),
        )
    ).all()
    within = within_words(people.interview_within)
    items = []
    for row in rows:
        owner_id, owner_name = _manager_or_hr(row, hr)
        due = offset(
            people.interview_within,
            clock.localize(datetime.combine(row.on_day, datetime.min.time())),
            calendar,
        )
        due = due.date() if isinstance(due, datetime) else due
        items.append(
            _item(
                rule=WORK_INTERVIEW,
                clause=people.interview_clause,
                strength="must",
                kind="interview",
                title=TITLE_INTERVIEW.format(kind=row.kind),
                subject_id=row.staff_id,
                subject_name=row.name,
                owner_id=owner_id,
                owner_name=owner_name,
                due=due,
                status="overdue" if due < clock.today else "due",
                ref=row.id,
                why=WHY_INTERVIEW.format(
                    kind=row.kind, day=row.on_day, name=row.name, within=within
                ),
            )
        )
    return items


# E1.1 -------------------------------------------------------------------------------------------------


def _contracts(
    conn: Connection, policy: Policy, clock: Clock, scope: Scope, hr: Holder | None
) -> list[DueItem]:
    people = policy.people
    if hr is None or not _owner_ok(scope, hr[0]):
        return []
    leaving = exists(
        select(literal(1)).where(
            leave_case.c.staff_id == staff.c.id,
            leave_case.c.kind == "leave",
            leave_case.c.voided_at.is_(None),
        )
    )
    horizon = clock.today + timedelta(days=people.contract_notice_days)
    rows = conn.execute(
        select(staff.c.id, staff.c.name, staff.c.dept, staff.c.contract_ends).where(
            staff.c.contract_ends.is_not(None),
            staff.c.contract_ends <= horizon,
            ~leaving,
            staff.c.created_at <= clock.now_utc,
        )
    ).all()
    return [
        _item(
            rule=CONTRACT,
            clause=people.contract_clause,
            strength="should",
            kind="contract",
            title=TITLE_CONTRACT,
            subject_id=row.id,
            subject_name=row.name,
            owner_id=hr[0],
            owner_name=hr[1],
            due=row.contract_ends,
            status="overdue" if row.contract_ends < clock.today else "due",
            why=(WHY_CONTRACT_ENDED if row.contract_ends < clock.today else WHY_CONTRACT).format(
                name=row.name, ends=row.contract_ends
            ),
        )
        for row in rows
    ]


# E1.2, E1.3 -------------------------------------------------------------------------------------------


def step_done(clock: Clock) -> ColumnElement[bool]:
    """A leaving step done as of the clock."""
    return and_(leave_step.c.done_at.is_not(None), leave_step.c.done_at <= clock.now_utc)


def _leaving(
    conn: Connection, policy: Policy, clock: Clock, scope: Scope, hr: Holder | None
) -> list[DueItem]:
    people = policy.people
    employee = staff.alias("employee")
    manager = staff.alias("manager")
    rows = conn.execute(
        select(
            leave_case.c.id,
            leave_case.c.kind,
            leave_case.c.last_day,
            leave_case.c.exit_by,
            leave_case.c.to_dept,
            leave_step.c.step,
            step_done(clock).label("done"),
            employee.c.id.label("staff_id"),
            employee.c.name,
            employee.c.dept,
            manager.c.id.label("manager_id"),
            manager.c.name.label("manager_name"),
        )
        .select_from(
            leave_case.join(leave_step, leave_step.c.case_id == leave_case.c.id)
            .join(employee, employee.c.id == leave_case.c.staff_id)
            .outerjoin(manager, manager.c.id == employee.c.reports_to_id)
        )
        .where(
            leave_case.c.voided_at.is_(None),
            leave_case.c.created_at <= clock.now_utc,
            or_(leave_case.c.closed_at.is_(None), leave_case.c.closed_at > clock.now_utc),
        )
        .order_by(leave_case.c.id, leave_step.c.position)
    ).all()
    cases: dict[int, list[Row[*tuple[Any, ...]]]] = defaultdict(list)
    for row in rows:
        cases[row.id].append(row)
    items = []
    for steps in cases.values():
        open_steps = [s.step for s in steps if not s.done]
        for row in steps:
            if row.done:
                continue
            owner_id, owner_name = _step_owner(row, hr)
            if not _owner_ok(scope, owner_id):
                continue
            before = [s for s in open_steps if STEP_ORDER.index(s) < STEP_ORDER.index(row.step)]
            gone = row.last_day < clock.today
            if row.kind == "transfer":
                title, why = (
                    TITLE_TRANSFER.format(dept=row.to_dept),
                    WHY_TRANSFER.format(name=row.name, dept=row.to_dept, day=row.last_day),
                )
                clause = people.leave_clause
            else:
                title = TITLE_LEAVE[row.step].format(by=row.exit_by or people.exit_interview_by)
                clause = people.exit_clause if row.step == "exit-interview" else people.leave_clause
                words = (
                    WHY_LEFT
                    if gone
                    else WHY_FINAL_PAY_WAITS
                    if (row.step == "final-pay" and before)
                    else WHY_LEAVE
                )
                why = words.format(
                    name=row.name,
                    day=row.last_day,
                    open=", ".join(
                        before if (row.step == "final-pay" and before and not gone) else open_steps
                    ),
                )
            status = (
                "overdue" if gone else "waiting" if (row.step == "final-pay" and before) else "due"
            )
            items.append(
                _item(
                    rule=LEAVE_RULE.format(step=row.step),
                    clause=clause,
                    strength="must",
                    kind="leave",
                    title=title,
                    subject_id=row.staff_id,
                    subject_name=row.name,
                    owner_id=owner_id,
                    owner_name=owner_name,
                    due=row.last_day,
                    status=status,
                    ref=row.id,
                    why=why,
                )
            )
    return items


def _step_owner(row: Row[*tuple[Any, ...]], hr: Holder | None) -> tuple[int | None, str | None]:
    if row.step == "handover" or (row.step == "exit-interview" and row.exit_by == "manager"):
        return _manager_or_hr(row, hr)
    return (hr[0], hr[1]) if hr else (None, None)


# E2.6 -------------------------------------------------------------------------------------------------


def involved(viewer_id: int | None) -> Exists:
    """The appeal (a column) involves the viewer: appellant, receiver, consulted, notified or acting."""
    return exists(
        select(literal(1)).where(
            appeal_person.c.appeal_id == appeal.c.id, appeal_person.c.staff_id == viewer_id
        )
    )


def may_see(
    conn: Connection, viewer_id: int | None, viewer_role: str | None
) -> ColumnElement[bool]:
    """A column: the viewer may see the appellant's name (HR, or someone the appeal involves)."""
    if viewer_role == "hr":
        return literal(True)
    if viewer_id is None:
        return literal(False)
    return involved(viewer_id)


def notified_now(clock: Clock) -> Select[*tuple[Any, ...]]:
    """The recipients of this round's decision notified as of the clock: one row per (appeal, recipient)."""
    return (
        select(appeal_step.c.appeal_id, appeal_step.c.notified)
        .join(appeal, appeal.c.id == appeal_step.c.appeal_id)
        .where(
            appeal_step.c.action == "notify",
            appeal_step.c.round == appeal.c.round,
            appeal_step.c.at <= clock.now_utc,
        )
    )


def appeal_items(
    conn: Connection, policy: Policy, clock: Clock, calendar: WorkCalendar, scope: Scope
) -> list[DueItem]:
    people = policy.people
    receiver = staff.alias("receiver")
    appellant = staff.alias("appellant")
    conds = [
        appeal.c.voided_at.is_(None),
        appeal.c.created_at <= clock.now_utc,
        or_(appeal.c.closed_at.is_(None), appeal.c.closed_at > clock.now_utc),
    ]
    if scope.owner_id is not None:
        conds.append(appeal.c.receiver_id == scope.owner_id)
    rows = conn.execute(
        select(
            appeal.c.id,
            appeal.c.round,
            appeal.c.round_at,
            appeal.c.state,
            appeal.c.decided_at,
            appellant.c.id.label("appellant_id"),
            appellant.c.name,
            appellant.c.dept,
            receiver.c.id.label("owner_id"),
            receiver.c.name.label("owner_name"),
            may_see(conn, scope.viewer_id, scope.viewer_role).label("visible"),
        )
        .select_from(
            appeal.join(appellant, appellant.c.id == appeal.c.staff_id).join(
                receiver, receiver.c.id == appeal.c.receiver_id
            )
        )
        .where(*conds)
    ).all()
    notified: dict[int, set[str]] = defaultdict(set)
    if any(r.decided_at is not None for r in rows):
        for appeal_id, who in conn.execute(
            notified_now(clock).where(appeal.c.decided_at.is_not(None))
        ):
            notified[appeal_id].add(who)
    items = []
    for row in rows:
        name = row.name if row.visible else CONFIDENTIAL
        subject_id = row.appellant_id if row.visible else None
        if row.decided_at is None or row.decided_at > clock.now_utc:
            due = offset(people.decision_within, clock.local(row.round_at), calendar)
            title = TITLE_DECISION.format(id=row.id, round=row.round)
            why = WHY_DECISION.format(
                id=row.id,
                name=name,
                round=row.round,
                at=clock.local(row.round_at),
                within=within_words(people.decision_within),
            )
            rule = DECISION
        else:
            due = offset(people.notify_within, clock.local(row.decided_at), calendar)
            left = [r for r in RECIPIENTS if r not in notified[row.id]]
            title = TITLE_NOTIFY.format(id=row.id)
            why = WHY_NOTIFY.format(
                at=clock.local(row.decided_at),
                within=within_words(people.notify_within),
                left=", ".join(left),
            )
            rule = NOTIFY
        due = due.date() if isinstance(due, datetime) else due
        items.append(
            _item(
                rule=rule,
                clause=people.appeal_clause + ".5",
                strength="must",
                kind="appeal",
                title=title,
                subject_id=subject_id,
                subject_name=name,
                owner_id=row.owner_id,
                owner_name=row.owner_name,
                due=due,
                status="overdue" if due < clock.today else "due",
                ref=row.id,
                why=why,
            )
        )
    return items

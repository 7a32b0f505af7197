"""The hospital office's items (H3.3–H3.7) and the employee survey (E3), derived from the facts.

Like the employee-relations items, nothing is written ahead: each item is a set-based query
over departments, meetings, action items, disclosure checks and surveys as of the clock.

A site is a hospital once it records a clinical department; only then are the hospital's
meetings, patient surveys and disclosure checks due.

- *meeting* (H3.4–H3.6): each clinical department whose ward forum is not held this month; the
  hospital's quarterly forum and the two yearly meetings not held this period; a scheduled
  meeting listed from `scheduled_ahead_days` before its day, overdue once the day has passed
  without minutes.
- *action* (H3.4, H3.5, H3.7): each open action item, for its owner.
- *check* (H3.7): each of the seven disclosure items not checked this month.
- *survey* (H3.3, E3): fewer surveys of patients (employees) opened this year and answered than the policy
  asks; a year that ended short carries over (overdue, `missed` that year).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Exists,
    Select,
    and_,
    exists,
    func,
    literal,
    or_,
    select,
)

from careops.calendar.periods import Period, period_of
from careops.calendar.workdays import WorkCalendar
from careops.clock import Clock
from careops.i18n import Text, _
from careops.policy.models import MeetingRule, Office, Policy
from careops.scheduler.cadence import Scope
from careops.scheduler.items import DueItem
from careops.scheduler.owners import Holder, role_holder
from careops.scheduler.tables import (
    action_item,
    dept,
    disclosure_check,
    meeting,
    staff,
    survey,
    survey_answer,
)
from careops.shell import arg

MEETING_RULE = "meeting-{kind}"
SCHEDULED_RULE = "meeting-scheduled"
ACTION_RULE = "action-{kind}"
CHECK_RULE = "check-{item}"
SURVEY_RULE = "survey-{audience}"

# What this module says to people (one place, ready for translation).
HOSPITAL = _("the hospital")
TITLE_MEETING = _("{title}: not held in {period}")
WHY_MEETING = _("{title} ({clause}): none held with minutes in {period}")
WHY_MEETING_MISSED = _(
    "{title} ({clause}): none held with minutes in {period}, none in {previous} either"
)
WHY_NO_HEAD = _("; {dept} has no head recorded (`careops dept edit {quoted} --head STAFF`)")
TITLE_SCHEDULED = _("{title} #{id} on {day:%Y-%m-%d}")
WHY_SCHEDULED = _(
    "scheduled for {day:%Y-%m-%d}{chair}: hold it and record the minutes (`careops meeting hold {id}`)"
)
WHY_SCHEDULED_PASSED = _(
    "scheduled for {day:%Y-%m-%d}{chair} and no minutes recorded: record them (`careops meeting "
    "hold {id}`) or void it (a meeting without minutes is not held, H3.6)"
)
CHAIRED = _(", chaired by {name}")
TITLE_ACTION = {
    "opinion": _("opinion #{id}: {text}"),
    "cooperation": _("cooperation #{id}: {text}"),
    "check": _("put right #{id}: {text}"),
}
SHORT = 60  # characters of an action item's text in its title (the why line has all of it)
WHY_ACTION = _(
    "{text} — from {source}: do it (`careops action done {id}`) or explain why not (`action explain {id}`)"
)
FROM_MEETING = _("{title} #{meeting} on {day:%Y-%m-%d}")
FROM_CHECK = _("{item} checked on {day:%Y-%m-%d}")
TITLE_CHECK = _("check: {title}")
WHY_CHECK = _("{title}: not checked in {period} (`careops check record {item} --ok|--fail`)")
WHY_CHECK_MISSED = _("{title}: not checked in {period}, nor in {previous}")
TITLE_SURVEY = _("{title}: {count} of {needed} this year")
WHY_SURVEY = _(
    "{clause}: at least {needed} a year; {count} opened in {year} so far "
    "(`careops survey create … --audience {audience}`)"
)
WHY_SURVEY_MISSED = _(
    "{clause}: at least {needed} a year; {count} opened in {year} so far, and only {before} in {previous} "
    "(`careops survey create … --audience {audience}`)"
)


def office_items(
    conn: Connection, policy: Policy, clock: Clock, calendar: WorkCalendar, scope: Scope
) -> list[DueItem]:
    if scope.zone_id is not None or scope.party_id is not None:
        return []
    office = policy.office
    hospital_since = conn.execute(
        select(func.min(dept.c.clinical_since)).where(is_clinical(clock))
    ).scalar()
    items = _actions(conn, office, clock, scope)
    items += _scheduled(conn, office, clock, scope)
    items += _surveys(conn, office, clock, scope, hospital=hospital_since)
    if hospital_since is None:
        return items
    began = hospital_since
    holders: dict[str, Holder | None] = {}
    for rule in office.meeting:
        items += _meetings(conn, rule, clock, scope, began, holders)
    items += _checks(conn, office, clock, scope, began, holders)
    return items


def is_clinical(clock: Clock) -> ColumnElement[bool]:
    """The department (a row of `dept`) is clinical as of the clock (a ward since that day)."""
    return and_(
        dept.c.clinical.is_(True),
        dept.c.clinical_since.is_not(None),
        dept.c.clinical_since <= clock.today,
        dept.c.created_at <= clock.now_utc,
    )


def _holder(
    conn: Connection, owner: str, holders: dict[str, Holder | None], today: date
) -> Holder | None:
    """`role:X` → the first staff member with that role who has not left (looked up once per call)."""
    role = owner.removeprefix("role:")
    if role not in holders:
        holders[role] = role_holder(conn, role, today)
    return holders[role]


# A due item of the office: no unit, no last contact.
_item = partial(DueItem, subject_unit=None, last_contact=None)


def held_in(
    kind: str, period: Period, clock: Clock, dept_id: ColumnElement[Any] | None = None
) -> Exists:
    """A meeting of `kind` (for the department column, when given) held with minutes within the
    period, as of the clock."""
    conds = [
        meeting.c.kind == kind,
        meeting.c.voided_at.is_(None),
        meeting.c.held_day.is_not(None),
        meeting.c.held_day >= period.start,
        meeting.c.held_day <= min(period.end, clock.today),
        meeting.c.held_at <= clock.now_utc,
    ]
    if dept_id is not None:
        conds.append(meeting.c.dept_id == dept_id)
    return exists(select(literal(1)).where(*conds))


def scheduled_in(
    kind: str, period: Period, clock: Clock, dept_id: ColumnElement[Any] | None = None
) -> Exists:
    """A meeting of `kind` scheduled from today to the period's end and not held yet: the owner has arranged it."""
    conds = [
        meeting.c.kind == kind,
        meeting.c.voided_at.is_(None),
        meeting.c.created_at <= clock.now_utc,
        or_(meeting.c.held_at.is_(None), meeting.c.held_at > clock.now_utc),
        meeting.c.on_day >= clock.today,
        meeting.c.on_day <= period.end,
    ]
    if dept_id is not None:
        conds.append(meeting.c.dept_id == dept_id)
    return exists(select(literal(1)).where(*conds))


def _meetings(
    conn: Connection,
    rule: MeetingRule,
    clock: Clock,
    scope: Scope,
    began: date,
    holders: dict[str, Holder | None],
) -> list[DueItem]:
    period = period_of(rule.period, clock.today)
    previous = period.previous()
    if not rule.per_dept:
        owner = _holder(conn, rule.owner, holders, clock.today)
        if scope.owner_id is not None and (owner is None or owner[0] != scope.owner_id):
            return []
        row = conn.execute(
            select(
                held_in(rule.kind, period, clock).label("now"),
                held_in(rule.kind, previous, clock).label("before"),
                scheduled_in(rule.kind, period, clock).label("arranged"),
            )
        ).one()
        if row.now or row.arranged:
            return []
        missed = began <= previous.start and not row.before
        return [_meeting_item(rule, period, missed, None, HOSPITAL, owner, "")]
    head = staff.alias("head")
    office_holder = _holder(conn, "role:office", holders, clock.today)
    conds = [
        is_clinical(clock),
        ~held_in(rule.kind, period, clock, dept.c.id),
        ~scheduled_in(rule.kind, period, clock, dept.c.id),
    ]
    if scope.owner_id is not None:
        fallback = office_holder[0] if office_holder else None
        conds.append(func.coalesce(dept.c.head_id, fallback) == scope.owner_id)
    rows = conn.execute(
        select(
            dept.c.id,
            dept.c.name,
            dept.c.clinical_since,
            head.c.id.label("head_id"),
            head.c.name.label("head_name"),
            held_in(rule.kind, previous, clock, dept.c.id).label("before"),
        )
        .select_from(dept.outerjoin(head, head.c.id == dept.c.head_id))
        .where(*conds)
        .order_by(dept.c.name)
    ).all()
    items = []
    for row in rows:
        owner = (row.head_id, row.head_name) if row.head_id else office_holder
        missed = row.clinical_since <= previous.start and not row.before
        extra = "" if row.head_id else WHY_NO_HEAD.format(dept=row.name, quoted=arg(row.name))
        items.append(_meeting_item(rule, period, missed, row.id, row.name, owner, extra))
    return items


def _meeting_item(
    rule: MeetingRule,
    period: Period,
    missed: bool,
    subject_id: int | None,
    subject: Text,
    owner: Holder | None,
    extra: str,
) -> DueItem:
    previous = period.previous()
    why = (WHY_MEETING_MISSED if missed else WHY_MEETING).format(
        title=rule.title, clause=rule.clause, period=period.name(), previous=previous.name()
    ) + extra
    return _item(
        rule=MEETING_RULE.format(kind=rule.kind),
        clause=rule.clause,
        strength="must",
        kind="meeting",
        title=TITLE_MEETING.format(title=rule.title, period=period.name()),
        subject_type="dept" if subject_id else "hospital",
        subject_id=subject_id,
        subject_name=subject,
        owner_id=owner[0] if owner else None,
        owner_name=owner[1] if owner else None,
        due=period.end,
        status="overdue" if missed else "due",
        period=period.label(),
        missed=previous.label() if missed else None,
        why=why,
    )


def _scheduled(conn: Connection, office: Office, clock: Clock, scope: Scope) -> list[DueItem]:
    """Meetings scheduled from `scheduled_ahead_days` ahead, and those whose day passed without minutes."""
    chair = staff.alias("chair")
    head = staff.alias("head")
    conds = [
        meeting.c.voided_at.is_(None),
        meeting.c.created_at <= clock.now_utc,
        or_(meeting.c.held_at.is_(None), meeting.c.held_at > clock.now_utc),
    ]
    rows = conn.execute(
        select(
            meeting.c.id,
            meeting.c.kind,
            meeting.c.on_day,
            meeting.c.chair_id,
            chair.c.name.label("chair_name"),
            dept.c.id.label("dept_id"),
            dept.c.name.label("dept"),
            dept.c.head_id,
            head.c.name.label("head_name"),
        )
        .select_from(
            meeting.outerjoin(chair, chair.c.id == meeting.c.chair_id)
            .outerjoin(dept, dept.c.id == meeting.c.dept_id)
            .outerjoin(head, head.c.id == dept.c.head_id)
        )
        .where(*conds)
        .order_by(meeting.c.on_day, meeting.c.id)
    ).all()
    horizon = clock.today + timedelta(days=office.scheduled_ahead_days)
    holders: dict[str, Holder | None] = {}
    items = []
    for row in rows:
        rule = office.meeting_rule(row.kind)
        title = rule.title if rule else row.kind
        owner: Holder | None
        if row.chair_id is not None:
            owner = (row.chair_id, row.chair_name)
        elif row.head_id is not None:
            owner = (row.head_id, row.head_name)
        else:
            owner = _holder(
                conn,
                rule.owner if rule and rule.owner.startswith("role:") else "role:office",
                holders,
                clock.today,
            )
        if scope.owner_id is not None and (owner is None or owner[0] != scope.owner_id):
            continue
        passed = row.on_day < clock.today
        status = "overdue" if passed else "due" if row.on_day <= horizon else "upcoming"
        chaired = CHAIRED.format(name=row.chair_name) if row.chair_name else ""
        why = (WHY_SCHEDULED_PASSED if passed else WHY_SCHEDULED).format(
            day=row.on_day, chair=chaired, id=row.id
        )
        items.append(
            _item(
                rule=SCHEDULED_RULE,
                clause=rule.clause if rule else "H3",
                strength="must",
                kind="meeting",
                title=TITLE_SCHEDULED.format(title=title, id=row.id, day=row.on_day),
                subject_type="dept" if row.dept_id else "hospital",
                subject_id=row.dept_id,
                subject_name=row.dept or HOSPITAL,
                owner_id=owner[0] if owner else None,
                owner_name=owner[1] if owner else None,
                due=row.on_day,
                status=status,
                ref=row.id,
                why=why,
            )
        )
    return items


def action_open(clock: Clock) -> ColumnElement[bool]:
    """An action item open as of the clock."""
    return and_(
        action_item.c.voided_at.is_(None),
        action_item.c.created_at <= clock.now_utc,
        or_(action_item.c.closed_at.is_(None), action_item.c.closed_at > clock.now_utc),
    )


def _actions(conn: Connection, office: Office, clock: Clock, scope: Scope) -> list[DueItem]:
    owner = staff.alias("owner")
    conds = [action_open(clock)]
    if scope.owner_id is not None:
        conds.append(action_item.c.owner_id == scope.owner_id)
    rows = conn.execute(
        select(
            action_item.c.id,
            action_item.c.kind,
            action_item.c.text,
            action_item.c.due,
            action_item.c.owner_id,
            owner.c.name.label("owner_name"),
            meeting.c.id.label("meeting_id"),
            meeting.c.kind.label("meeting_kind"),
            meeting.c.held_day,
            disclosure_check.c.item,
            disclosure_check.c.day.label("check_day"),
            dept.c.id.label("dept_id"),
            dept.c.name.label("dept"),
        )
        .select_from(
            action_item.join(owner, owner.c.id == action_item.c.owner_id)
            .outerjoin(meeting, meeting.c.id == action_item.c.meeting_id)
            .outerjoin(disclosure_check, disclosure_check.c.id == action_item.c.check_id)
            .outerjoin(
                dept, dept.c.id == func.coalesce(meeting.c.dept_id, disclosure_check.c.dept_id)
            )
        )
        .where(*conds)
    ).all()
    items = []
    for row in rows:
        if row.meeting_id is not None:
            rule = office.meeting_rule(row.meeting_kind)
            clause = rule.clause if rule else office.action_clause
            source = FROM_MEETING.format(
                title=rule.title if rule else row.meeting_kind,
                meeting=row.meeting_id,
                day=row.held_day,
            )
        else:
            clause = row.item or office.check_clause
            source = FROM_CHECK.format(item=row.item, day=row.check_day)
        if row.kind == "cooperation":
            clause = "H3.5"
        items.append(
            _item(
                rule=ACTION_RULE.format(kind=row.kind),
                clause=clause,
                strength="must",
                kind="action",
                title=TITLE_ACTION.get(row.kind, TITLE_ACTION["opinion"]).format(
                    id=row.id, text=_short(row.text)
                ),
                subject_type="dept" if row.dept_id else "hospital",
                subject_id=row.dept_id,
                subject_name=row.dept or HOSPITAL,
                owner_id=row.owner_id,
                owner_name=row.owner_name,
                due=row.due,
                status="overdue" if row.due < clock.today else "due",
                ref=row.id,
                why=WHY_ACTION.format(text=row.text, source=source, id=row.id),
            )
        )
    return items


def _short(text: str) -> str:
    return text if len(text) <= SHORT else text[: SHORT - 1].rstrip() + "…"


def checked_in(period: Period, clock: Clock) -> Select[*tuple[Any, ...]]:
    """Disclosure checks recorded within the period as of the clock: one row per item checked."""
    return (
        select(disclosure_check.c.item)
        .distinct()
        .where(
            disclosure_check.c.voided_at.is_(None),
            disclosure_check.c.created_at <= clock.now_utc,
            disclosure_check.c.day >= period.start,
            disclosure_check.c.day <= min(period.end, clock.today),
        )
    )


def _checks(
    conn: Connection,
    office: Office,
    clock: Clock,
    scope: Scope,
    began: date,
    holders: dict[str, Holder | None],
) -> list[DueItem]:
    owner = _holder(conn, office.check_owner, holders, clock.today)
    if scope.owner_id is not None and (owner is None or owner[0] != scope.owner_id):
        return []
    period = period_of(office.check_period, clock.today)
    previous = period.previous()
    now = set(conn.execute(checked_in(period, clock)).scalars())
    before = set(conn.execute(checked_in(previous, clock)).scalars())
    items = []
    for check in office.check:
        if check.id in now:
            continue
        missed = began <= previous.start and check.id not in before
        why = (WHY_CHECK_MISSED if missed else WHY_CHECK).format(
            title=check.title, period=period.name(), previous=previous.name(), item=check.id
        )
        items.append(
            _item(
                rule=CHECK_RULE.format(item=check.id),
                clause=check.id,
                strength="must",
                kind="check",
                title=TITLE_CHECK.format(title=check.title),
                subject_type="hospital",
                subject_id=check.id,
                subject_name=HOSPITAL,
                owner_id=owner[0] if owner else None,
                owner_name=owner[1] if owner else None,
                due=period.end,
                status="overdue" if missed else "due",
                period=period.label(),
                missed=previous.label() if missed else None,
                why=why,
            )
        )
    return items


def survey_deadline(year: int, per_year: int, count: int) -> date:
    """The n-th survey of the year is due by the end of the n-th equal part of it (twice a year: June, December)."""
    months = 12 // per_year
    part_end = min(12, months * (count + 1))
    return period_of("month", date(year, part_end, 1)).end


def answered(clock: Clock) -> Exists:
    """The survey (a row of `survey`) has at least one answer given by the clock's day. An answer keeps its day
    only (no time, nobody who typed it in: anonymity), and is never voided: a voided survey takes its answers
    with it."""
    return exists(
        select(literal(1)).where(
            survey_answer.c.survey_id == survey.c.id, survey_answer.c.day <= clock.today
        )
    )


def surveys_held(audience: str, year: Period, clock: Clock) -> Select[*tuple[Any, ...]]:
    """How many surveys of the audience count towards the year's quota as of the clock: one row, a count.

    A survey counts for the year it opened in (its `opens` day places it in the year and in the part of the
    year), but only once somebody has answered it: a survey nobody answered is not a survey held. It counts
    from its first answer's day on, for the year it opened in (a survey opened on 20 December and first
    answered on 3 January counts for the December's year, from 3 January)."""
    return (
        select(func.count())
        .select_from(survey)
        .where(
            survey.c.audience == audience,
            survey.c.voided_at.is_(None),
            survey.c.created_at <= clock.now_utc,
            survey.c.opens >= year.start,
            survey.c.opens <= min(year.end, clock.today),
            answered(clock),
        )
    )


def _surveys(
    conn: Connection, office: Office, clock: Clock, scope: Scope, *, hospital: date | None
) -> list[DueItem]:
    """Each survey rule of the policy (`[[office.survey]]`, `per_year` a calendar year) whose year has fewer
    surveys held (opened in the year and answered, `surveys_held`) than it asks.

    `hospital`: the day the site became a hospital (None: it is not one). A part of the year that began
    before that day is not owed on its own deadline, only by the year's end.

    A year that ended short carries over, like a cadence's month: when the site kept the rule for the whole
    previous year (it became a hospital, or recorded its employees, by that year's 1 January) and fewer than
    `per_year` surveys were held in it, the item is overdue with `missed` that year, until this year holds as
    many surveys as the previous one lacked; this year's own quota stays due as usual (a survey held now counts
    for both). Only the immediately previous year carries over."""
    year = period_of("year", clock.today)
    previous = year.previous()
    items = []
    holders: dict[str, Holder | None] = {}
    for rule in office.survey:
        if rule.audience == "patients" and hospital is None:
            continue
        began = hospital if rule.audience == "patients" else _company_since(conn, clock)
        if began is None:
            continue
        owner = _holder(conn, rule.owner, holders, clock.today)
        if scope.owner_id is not None and (owner is None or owner[0] != scope.owner_id):
            continue
        count = conn.execute(surveys_held(rule.audience, year, clock)).scalar_one()
        if count >= rule.per_year:
            continue
        before = rule.per_year
        if began <= previous.start:
            before = conn.execute(surveys_held(rule.audience, previous, clock)).scalar_one()
        missed = count < rule.per_year - before
        due = survey_deadline(clock.today.year, rule.per_year, count)
        part_start = date(due.year, due.month - 12 // rule.per_year + 1, 1)
        if (
            due < clock.today and began > part_start
        ):  # that part of the year began before the site kept this rule
            due = year.end
        why = WHY_SURVEY_MISSED if missed else WHY_SURVEY
        items.append(
            _item(
                rule=SURVEY_RULE.format(audience=rule.audience),
                clause=rule.clause,
                strength="must",
                kind="survey",
                title=TITLE_SURVEY.format(title=rule.title, count=count, needed=rule.per_year),
                subject_type="survey",
                subject_id=None,
                subject_name=rule.audience,
                owner_id=owner[0] if owner else None,
                owner_name=owner[1] if owner else None,
                due=due,
                status="overdue" if missed or due < clock.today else "due",
                period=year.label(),
                missed=previous.label() if missed else None,
                why=why.format(
                    clause=rule.clause,
                    needed=rule.per_year,
                    count=count,
                    year=year.name(),
                    before=before,
                    previous=previous.name(),
                    audience=rule.audience,
                ),
            )
        )
    return items


def _company_since(conn: Connection, clock: Clock) -> date | None:
    """The day the company's employees were first recorded (someone with role employee), or None."""
    first = conn.execute(
        select(func.min(staff.c.created_at)).where(
            staff.c.role == "employee", staff.c.created_at <= clock.now_utc
        )
    ).scalar()
    return None if first is None else clock.local_date(first)
